"""Tables users bring, through the whole pipeline by params only: columns named like the pipeline's own
(a target called `label`, `index`, unicode, spaces), and small tables with a key-like column, through every
generator (the grid, a DVC subrepo)."""

import json
import sys

import pandas as pd
import pytest

from synthproof.config import LEARNING_GENERATORS, Params
from tests.conftest import (
    STAGES,
    copy_repo,
    decoded_images,
    dvc,
    every_file,
    ran_stages,
    sh,
    small_table_with_a_key_like_number,
)

pytestmark = pytest.mark.integration  # runs dvc, or starts a cluster or a server: the slow tier

# Census's columns renamed after every name the code gives a column, a label or a frame of its own.
OWN_NAMES = {
    "income": "label",  # the target: the most common target name there is
    "age": "probability_fake",
    "workclass": "fake",
    "fnlwgt": "index",
    "education": "real",
    "education_num": "actual",
    "marital_status": "predicted",
    "occupation": "entry",
    "relationship": "model",
    "race": "fold",
    "sex": "epoch",
    "capital_gain": "capital gain (€)",
    "capital_loss": "label_",
    "hours_per_week": "trained_on",
    "native_country": "pays d'origine",
}


@pytest.fixture(scope="module")
def own_names(tmp_path_factory, census):
    folder = tmp_path_factory.mktemp("own_names")
    table = census.sample(4000, random_state=0).rename(columns=OWN_NAMES)
    table.to_csv(folder / "table.csv", index=False)
    repo = copy_repo(
        folder / "repo",
        folder / "table.csv",
        target="label",
        ingest__sha256=None,
        ingest__na_values=["?"],
        generator__derive_linked_columns=True,
    )
    result = dvc("repro", cwd=repo)
    return repo, result, list(table.columns)


def test_columns_named_like_the_pipeline_s_own_go_through_every_stage(own_names):
    repo, result, columns = own_names
    assert ran_stages(result.stdout) == STAGES
    params = Params()
    for path in every_file(params.paths):
        assert (repo / path).exists(), path
    synthetic = pd.read_parquet(repo / params.paths.synthetic)
    assert list(synthetic.columns) == columns
    assert set(synthetic["label"]) <= {"<=50K", ">50K"}
    # the records keep the table's label and probability_fake and name their own apart
    most_fake = pd.read_csv(repo / params.paths.discriminate.most_fake)
    assert list(most_fake.columns[:2]) == ["label__", "probability_fake_"]
    assert set(most_fake["label__"]) <= {"FAKE", "REAL"} and set(most_fake["label"]) <= {"<=50K", ">50K"}
    compare = json.loads((repo / params.paths.details.compare).read_text())
    assert compare["classes"]["real"] == ["<=50K", ">50K"]
    train = json.loads((repo / params.paths.details.train).read_text())
    assert train["derived_columns"] == {"actual": "real"}  # education_num from education, under any name
    gate = sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False)
    assert gate.returncode in (0, 1, 3) and "error" not in gate.stderr, gate.stderr


@pytest.fixture(scope="module")
def small_tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    datasets = {}
    for rows in (100,):  # the fewest rows ingest takes (ingest.min_rows): a 20-row holdout, the hardest case
        small_table_with_a_key_like_number(rows, seed=rows).to_csv(folder / f"small_{rows}.csv", index=False)
        datasets[f"small_{rows}"] = {"target": "label", "source": str(folder / f"small_{rows}.csv")}
    repo = copy_repo(
        folder / "repo",
        grid__datasets=datasets,
        grid__generators=LEARNING_GENERATORS,
        sample__rows=None,
    )
    dvc("--cd", "grid", "repro", cwd=repo)
    return repo, datasets


def test_small_tables_with_a_key_like_column_through_every_generator(small_tables):
    repo, datasets = small_tables
    table = pd.read_csv(repo / "grid/results.csv")
    assert len(table) == len(datasets) * len(LEARNING_GENERATORS)
    params = Params()
    for row in table.itertuples():
        cell = params.paths.in_grid(row.dataset, row.generator)
        synthetic = pd.read_parquet(repo / cell.synthetic)
        real = pd.read_parquet(repo / cell.train)
        assert synthetic.notna().all().all(), (row.dataset, row.generator)  # the real table has no missing
        assert list(synthetic.columns) == list(real.columns)
        train_report = json.loads((repo / cell.details.train).read_text())
        assert "income" not in train_report["derived_columns"].values(), (row.dataset, row.generator)
        # no more copies of training rows than the holdout's own share, within the noise; resample is
        # the reference that copies by design
        copies_fail = "max_exact_copy_share_above_holdout" in str(row.gate_failed)
        assert copies_fail == (row.generator == "resample"), (
            row.dataset,
            row.generator,
            row.exact_copy_share,
        )
    print(table[["dataset", "generator", "exact_copy_share", "discriminator_auc", "gate"]].to_string())


@pytest.fixture(scope="module")
def numeric_target(tmp_path_factory):
    """Census with its numeric `age` as the target (74 values: regression under target_type auto)."""
    repo = copy_repo(
        tmp_path_factory.mktemp("regression"),
        target="age",
        generator__name="cart",
        compare__regression_models=["lr", "ridge", "dt", "lightgbm", "dummy"],
    )
    result = dvc("repro", cwd=repo)
    return repo, result


def test_a_numeric_target_runs_end_to_end_as_regression(numeric_target, chromium):
    repo, result = numeric_target
    assert ran_stages(result.stdout) == STAGES
    params = Params()
    for path in every_file(params.paths):  # the classification plots too, saying there is nothing to show
        assert (repo / path).exists(), path
    metrics = {
        stage: json.loads((repo / f"metrics/{stage}.json").read_text()) for stage in STAGES - {"report"}
    }
    names = [name for stage_metrics in metrics.values() for name in stage_metrics]
    assert len(names) == len(set(names))  # one dvc exp show column each
    ingest = json.loads((repo / params.paths.details.ingest).read_text())  # text: the details hold it
    assert ingest["task"] == "regression"
    assert "74 distinct values" in ingest["task_reason"]
    split = json.loads((repo / params.paths.details.split).read_text())
    assert split["target_quantiles"]["holdout"]["0.5"] == pytest.approx(
        split["target_quantiles"]["train"]["0.5"], abs=1
    )
    compare = metrics["compare"]
    assert "ratio_accuracy" not in compare
    assert compare["trtr_r2"] > 0.3  # age from marital status, relationship, hours, ...
    assert compare["ratio_r2_low"] <= compare["ratio_r2"] <= compare["ratio_r2_high"]
    details = json.loads((repo / params.paths.details.compare).read_text())
    assert details["target_type"] == "regression"
    assert set(details["leaderboards"]["real"]["lr"]) == {
        "MAE",
        "MSE",
        "RMSE",
        "R2",
        "RMSLE",
        "MAPE",
        "fit_rows",
    }  # the fit seconds (TT (Sec)) vary from run to run: score_real's cost file holds them
    fits = json.loads((repo / params.paths.cost.score_real).read_text())["leaderboard"]
    assert fits["lr"]["TT (Sec)"] >= 0
    points = pd.read_csv(repo / params.paths.plots.predictions)
    holdout = pd.read_parquet(repo / params.paths.holdout)
    assert len(points) == 2 * len(holdout) and set(points["trained_on"]) == {"synthetic", "real"}
    assert (
        pd.read_csv(repo / params.paths.plots.roc).empty
        and pd.read_csv(repo / params.paths.plots.confusion).empty
    )
    page = (repo / params.paths.report).read_text()
    assert "Predicted vs actual" in page and "Residuals" in page and "ROC of the best" not in page
    assert "TSTR / TRTR R2" in page and "TSTR / TRTR accuracy" not in page
    assert decoded_images(chromium, repo / params.paths.report) == page.count("<img")
    gate = sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False)
    assert gate.returncode in (0, 1, 3) and "error" not in gate.stderr, gate.stderr
    assert "n/a           ratio_accuracy" in gate.stdout and "ratio_r2 = " in gate.stdout
    # a second repro runs nothing: every declared output is there and stable
    assert ran_stages(dvc("repro", cwd=repo).stdout) == set()
