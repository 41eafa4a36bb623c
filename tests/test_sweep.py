"""A real queued 2x2 sweep in a temporary copy of the repository, as the README documents it."""

import json
import sys
import time

import pytest

from synthproof.experiments import experiment_table, load_experiments, over_seeds
from tests.conftest import copy_repo, dvc, sh

pytestmark = pytest.mark.integration  # runs dvc, or starts a cluster or a server: the slow tier


def test_a_queued_2x2_sweep_gives_four_experiments_and_their_spread(tmp_path):
    repo = copy_repo(
        tmp_path,
        generator__name="cart",  # seconds to train; the sweep mechanics are the same for any generator
        compare__models=["lr", "dt", "dummy"],
        compare__folds=2,
        sample__rows=1500,
    )
    dvc("exp", "run", "--queue", "-S", "generator.max_rows=500,1000", "-S", "seed=1,2", cwd=repo)
    dvc("queue", "start", "-j", "1", cwd=repo)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status = dvc("queue", "status", cwd=repo).stdout
        if "Queued" not in status and "Running" not in status:
            break
        time.sleep(3)
    assert status.count("Success") == 4, status

    shown = json.loads(dvc("exp", "show", "--json", cwd=repo).stdout)
    experiments = load_experiments(shown)
    assert len(experiments) == 4
    table = experiment_table(experiments)
    assert {"seed", "generator.max_rows"} <= set(table.columns)
    assert (
        table[["discriminator_auc", "floor_auc", "ratio_accuracy", "quality_score", "dcr_share"]]
        .notna()
        .all()
        .all()
    )
    summary = over_seeds(table).set_index("generator.max_rows")
    assert summary["runs"].tolist() == [2, 2]
    assert (summary["discriminator_auc_std"] > 0).all()  # different seeds, different splits and models

    # --sort-by works on the tidy metric columns
    sorted_csv = dvc("exp", "show", "--csv", "--sort-by", "discriminator_auc", cwd=repo).stdout
    assert "discriminator_auc" in sorted_csv.splitlines()[0]
    result = sh(sys.executable, "-m", "synthproof.experiments", "table", "--over-seeds", cwd=repo)
    assert result.stdout.count("±") >= 2 * 5
    plot = tmp_path / "sweep.png"
    sh(sys.executable, "-m", "synthproof.experiments", "plot", "--x", "generator.max_rows",
       "--out", str(plot), cwd=repo)  # fmt: skip
    assert plot.read_bytes()[:4] == b"\x89PNG"
