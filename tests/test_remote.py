"""Sweeps over machines, on loopback: a bare git repository and moto's S3 server as the shared remotes,
two worker clones that each run an experiment and auto-push it, a reviewer clone that pulls both."""

import json
import socket

import pytest

from tests.conftest import copy_repo, dvc, sh

pytestmark = pytest.mark.integration  # runs dvc, or starts a cluster or a server: the slow tier

BUCKET = "synthproof-experiments"
GIT = ("git", "-c", "user.name=t", "-c", "user.email=t@t")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_endpoint(monkeypatch):
    server_module = pytest.importorskip(
        "moto.server", reason="the remote extra is not installed: pip install -r requirements-remote.txt"
    )
    pytest.importorskip("dvc_s3", reason="the remote extra is not installed")
    import boto3

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


WORKER_ENV = {"DVC_EXP_AUTO_PUSH": "true", "DVC_EXP_GIT_REMOTE": "origin"}


def test_two_workers_push_experiments_a_reviewer_pulls_both(tmp_path, s3_endpoint):
    origin = tmp_path / "origin.git"
    sh("git", "init", "-q", "--bare", str(origin), cwd=tmp_path)
    base = copy_repo(
        (tmp_path / "base"),
        generator__name="cart",
        compare__models=["dt", "dummy"],
        compare__folds=2,
        sample__rows=1000,
    )
    dvc("remote", "add", "-d", "shared", f"s3://{BUCKET}/cache", cwd=base)
    dvc("remote", "modify", "shared", "endpointurl", s3_endpoint, cwd=base)
    sh(*GIT, "commit", "-qam", "shared DVC remote", cwd=base)
    sh("git", "push", "-q", str(origin), "HEAD:main", cwd=base)

    runs = {"worker1": "cart", "worker2": "independent"}
    for worker, generator in runs.items():
        clone = tmp_path / worker
        sh("git", "clone", "-q", "-b", "main", str(origin), str(clone), cwd=tmp_path)
        # what a job-array task or CI matrix entry runs; auto-push sends the experiment to both remotes
        dvc("exp", "run", "--pull", "-S", f"generator.name={generator}", cwd=clone, env=WORKER_ENV)

    reviewer = tmp_path / "reviewer"
    sh("git", "clone", "-q", "-b", "main", str(origin), str(reviewer), cwd=tmp_path)
    listed = dvc("exp", "list", "origin", "--name-only", cwd=reviewer).stdout.split()
    assert len(listed) == 2
    dvc("exp", "pull", "origin", *listed, cwd=reviewer)
    shown = json.loads(dvc("exp", "show", "--json", cwd=reviewer).stdout)
    experiments = [rev for entry in shown for exp in entry.get("experiments") or [] for rev in exp["revs"]]
    generators = {
        rev["data"]["params"]["params.yaml"]["data"]["generator"]["name"]: rev["data"]["metrics"]
        for rev in experiments
    }
    assert set(generators) == {"cart", "independent"}
    for metrics in generators.values():
        assert 0 <= metrics["metrics/discriminate.json"]["data"]["discriminator_auc"] <= 1
    # The cached outputs (the synthetic table) came through the S3 remote, not the workers' disks.
    dvc("exp", "apply", listed[0], cwd=reviewer)
    dvc("pull", cwd=reviewer)
    assert (reviewer / "data/synthetic.parquet").stat().st_size > 0
