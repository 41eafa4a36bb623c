"""The compare loop on a Dask cluster (two workers on loopback) and on a Ray cluster (a head node on
loopback) gives the local leaderboard."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from joblib import Parallel, delayed

from synthproof.compute import backend
from synthproof.errors import SynthproofError
from synthproof.evaluation.compare import CompareSettings, leaderboard
from tests.conftest import disjoint_census

SCORES = ["Accuracy", "AUC", "Recall", "Prec.", "F1", "Kappa", "MCC"]


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip(
        "dask.distributed",
        reason="the cluster extra is not installed: pip install -r requirements-cluster.txt",
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def ray_head():
    """A one-node Ray cluster on loopback, started the way a user starts a head node."""
    pytest.importorskip("ray", reason="ray is not installed: pip install -r requirements-cluster.txt")
    ray_cli = str(Path(sys.executable).parent / "ray")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    start = [ray_cli, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}", "--num-cpus=2"]
    start += ["--include-dashboard=false", "--object-store-memory=200000000", "--disable-usage-stats"]
    subprocess.run(start, check=True, capture_output=True, env=env)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray_cli, "stop", "--force"], capture_output=True, env=env)


def leaderboards_here_and_there(census, name: str, address: str):
    (rows,), categorical, numeric = disjoint_census(census, (3000,), seed=5)
    categorical = [c for c in categorical if c != "income"]
    args = (rows, "income", categorical, numeric, CompareSettings(["lr", "dt", "lightgbm", "dummy"], folds=3))
    local = leaderboard(*args)
    with backend(name, address):
        remote = leaderboard(*args)
        where = Parallel(n_jobs=2)(delayed(_ray_task_id)() for _ in range(2))
    return local, remote, where


def _ray_task_id():
    try:
        import ray
    except ImportError:
        return None
    return ray.get_runtime_context().get_task_id() if ray.is_initialized() else None


def assert_same_board(remote, local):
    # the same fits, the same scores: float sums may differ in the last bits between processes
    pd.testing.assert_frame_equal(remote[["id", *SCORES]], local[["id", *SCORES]], rtol=1e-9, atol=1e-12)


@pytest.mark.integration  # starts a cluster, or waits on an address: the slow tier
def test_the_leaderboard_on_a_dask_cluster_equals_the_local_one(census, dask_cluster):
    local, remote, _ = leaderboards_here_and_there(census, "dask", dask_cluster.scheduler_address)
    assert_same_board(remote, local)
    assert dask_cluster.scheduler.task_prefixes  # the fits did run on the cluster's workers


@pytest.mark.integration  # starts a cluster, or waits on an address: the slow tier
def test_the_leaderboard_on_a_ray_cluster_equals_the_local_one(census, ray_head):
    local, remote, where = leaderboards_here_and_there(census, "ray", ray_head)
    assert_same_board(remote, local)
    assert all(where)  # joblib's tasks ran as Ray tasks, not in local processes


@pytest.mark.integration  # starts a cluster, or waits on an address: the slow tier
def test_an_unreachable_scheduler_is_a_clear_error_not_a_local_run():
    pytest.importorskip("dask.distributed", reason="the cluster extra is not installed")
    unreachable = backend("dask", "tcp://127.0.0.1:9", timeout_seconds=2)
    with pytest.raises(SynthproofError, match="no Dask scheduler answered"), unreachable:
        pass


def test_a_cluster_backend_without_an_address_is_a_params_error():
    from synthproof.config import ComputeParams

    with pytest.raises(SynthproofError, match="compute.backend dask needs compute.address"):
        ComputeParams(backend="dask")
