"""The compare loop on a Dask cluster (two workers on loopback) gives the local leaderboard."""

import pandas as pd
import pytest

from synthproof.compute import backend
from synthproof.errors import SynthproofError
from synthproof.evaluation.compare import leaderboard
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


def test_the_leaderboard_on_a_dask_cluster_equals_the_local_one(census, dask_cluster):
    (rows,), categorical, numeric = disjoint_census(census, (3000,), seed=5)
    categorical = [c for c in categorical if c != "income"]
    args = (rows, "income", categorical, numeric, ["lr", "dt", "lightgbm", "dummy"])
    local = leaderboard(*args, folds=3)
    with backend("dask", dask_cluster.scheduler_address):
        remote = leaderboard(*args, folds=3)
    # the same fits, the same scores: float sums may differ in the last bits between processes
    pd.testing.assert_frame_equal(remote[["id", *SCORES]], local[["id", *SCORES]], rtol=1e-9, atol=1e-12)
    assert dask_cluster.scheduler.task_prefixes  # the fits did run on the cluster's workers


def test_an_unreachable_scheduler_is_a_clear_error_not_a_local_run():
    pytest.importorskip("dask.distributed", reason="the cluster extra is not installed")
    unreachable = backend("dask", "tcp://127.0.0.1:9", timeout_seconds=2)
    with pytest.raises(SynthproofError, match="no Dask scheduler answered"), unreachable:
        pass


def test_a_cluster_backend_without_an_address_is_a_params_error():
    from synthproof.config import ComputeParams

    with pytest.raises(SynthproofError, match="compute.backend dask needs compute.address"):
        ComputeParams(backend="dask")
