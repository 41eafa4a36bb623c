"""The grid (`dvc --cd grid repro`, a DVC subrepo) in a temporary copy of the repository: census and bank
marketing (the embedded tables) times two generators, on the pipeline test's tiny params."""

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from synthproof.checks import CHECKS
from synthproof.config import load_params
from synthproof.freshness import describe, stale_stages
from synthproof.grid import grid_table
from synthproof.io import write_csv
from tests.conftest import REPO, STAGES, copy_repo, dvc, ran_stages, read_details

CELL_STAGES = ("train", "sample", "discriminate", "fidelity", "privacy", "compare")


def cell_stages(datasets, generators):
    return {f"{stage}@{d}-{g}" for stage in CELL_STAGES for d in datasets for g in generators}


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    repo = copy_repo(  # params.yaml's grid.datasets: census and bank marketing, the embedded tables
        tmp_path_factory.mktemp("grid"),
        grid__generators=["cart", "independent"],
        generator__max_rows=None,  # the whole training part, as a provided table's maker sees it
    )
    result = dvc("--cd", "grid", "repro", cwd=repo)
    return repo, ran_stages(result.stdout)


@pytest.mark.integration  # runs dvc: the slow tier
def test_each_dataset_is_split_once_and_each_cell_runs(grid):
    _, ran = grid
    datasets = ("census", "bank_marketing")
    # the real rows' own scores (score_real) once per dataset, not once per cell
    per_dataset = {f"{stage}@{d}" for stage in ("ingest", "split", "score_real") for d in datasets}
    assert ran == per_dataset | cell_stages(datasets, ("cart", "independent")) | {"tabulate"}


@pytest.mark.integration  # runs dvc: the slow tier
def test_one_row_per_dataset_and_generator_with_every_headline_metric(grid):
    repo, _ = grid
    table = pd.read_csv(repo / "grid/results.csv")
    assert list(zip(table["dataset"], table["generator"], strict=True)) == [
        ("census", "cart"),
        ("census", "independent"),
        ("bank_marketing", "cart"),
        ("bank_marketing", "independent"),
    ]
    assert table.drop(columns=["gate_failed", "gate_inconclusive"]).notna().all().all()
    rows = table.set_index(["dataset", "generator"])
    # each dataset's own split: 80% of its rows, the same for both generators
    assert rows.loc["census", "train_rows"].tolist() == [round(0.8 * 48842)] * 2
    assert rows.loc["bank_marketing", "train_rows"].tolist() == [round(0.8 * 45211)] * 2
    for dataset in ("census", "bank_marketing"):
        cart, independent = rows.loc[(dataset, "cart")], rows.loc[(dataset, "independent")]
        # drawing each column alone breaks what the trees keep: the discriminator sees it, and so do
        # models trained on the output
        assert independent["discriminator_auc"] > cart["discriminator_auc"] + 0.1, dataset
        assert cart["ratio_accuracy"] > independent["ratio_accuracy"], dataset
        assert abs(cart["floor_auc"] - 0.5) < 0.1 and cart["floor_auc"] == independent["floor_auc"]
        assert cart["trtr_accuracy"] == independent["trtr_accuracy"] > 0.8  # same real rows, same models
    # bank marketing's target is y, not census's income: its models predict y on its own holdout
    details = repo / "grid/cells/bank_marketing/cart/metrics/details/compare.json"
    compare = json.loads(details.read_text())
    assert compare["classes"]["real"] == ["no", "yes"]
    thresholds = {check.threshold for check in CHECKS} - {"min_ratio_r2", "max_epsilon"}  # a class, no DP
    for row in table.itertuples():
        failed = set(row.gate_failed.split()) if isinstance(row.gate_failed, str) else set()
        unsure = set(row.gate_inconclusive.split()) if isinstance(row.gate_inconclusive, str) else set()
        assert failed <= thresholds and unsure <= thresholds and not failed & unsure
        assert (f"{len(failed)} fail" in row.gate) == bool(failed), row.gate
    for dataset in ("census", "bank_marketing"):
        # models trained on independent columns learn the majority class only: MCC 0, whatever the
        # accuracy ratio says on an imbalanced target (bank marketing: 88% "no")
        assert rows.loc[(dataset, "independent"), "tstr_mcc"] < 0.05
        assert "min_ratio_mcc" in rows.loc[(dataset, "independent"), "gate_failed"]
    markdown = (repo / "grid/results.md").read_text()
    assert "## census" in markdown and "## bank_marketing" in markdown and "Target `y`" in markdown
    assert (repo / "grid/results.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.integration  # runs dvc: the slow tier
def test_a_new_generator_would_run_only_its_own_cells(grid):
    repo, _ = grid
    assert "changed" not in dvc("--cd", "grid", "status", cwd=repo).stdout
    # the root project does not see the grid's stages (grid/ is a DVC subrepo): only its own, never run here
    assert set(json.loads(dvc("status", "--json", cwd=repo).stdout)) <= STAGES
    params_file = repo / "params.yaml"
    before = params_file.read_text()
    params = yaml.safe_load(before)
    params["grid"]["generators"].append("resample")
    params_file.write_text(yaml.safe_dump(params, sort_keys=False))
    try:
        changed = json.loads(dvc("--cd", "grid", "status", "--json", cwd=repo).stdout)
    finally:
        params_file.write_text(before)
    datasets = ("census", "bank_marketing")
    assert set(changed) == cell_stages(datasets, ("resample",)) | {"tabulate"}  # no score_real


@pytest.mark.integration  # runs dvc: the slow tier
def test_a_cell_not_in_the_grid_is_a_clear_error(grid):
    repo, _ = grid
    result = subprocess.run(
        [sys.executable, "-m", "stages.train", "--dataset", "adult", "--generator", "cart"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "grid.datasets has no 'adult'" in result.stderr and "Traceback" not in result.stderr


def test_a_numeric_target_s_section_shows_r2_not_accuracy():
    """A grid of a class target and a numeric one (regression): each section shows its own scores."""
    from synthproof.config import parse_params
    from synthproof.grid import grid_figure, grid_markdown

    params = parse_params({"grid": {"datasets": {
        "census": {"target": "income", "source": "census.csv.gz"},
        "census_age": {"target": "age", "source": "census.csv.gz"},
    }}})  # fmt: skip
    shared = {"train_rows": 39074, "floor_auc": 0.5, "quality_ceiling": 98.7, "discriminator_auc": 0.6,
              "quality_score": 95.0, "dcr_share": 0.5, "exact_copy_share": 0.0, "train_seconds": 10.0,
              "gate": "9 pass, 1 n/a", "gate_failed": "", "gate_inconclusive": ""}  # fmt: skip
    table = pd.DataFrame([
        {**shared, "dataset": "census", "generator": "cart", "trtr_accuracy": 0.86, "trtr_mcc": 0.6,
         "tstr_accuracy": 0.85, "ratio_accuracy": 0.99, "ratio_mcc": 0.97},
        {**shared, "dataset": "census_age", "generator": "cart", "trtr_r2": 0.45, "tstr_r2": 0.41,
         "ratio_r2": 0.91, "ratio_rmse": 1.04},
    ])  # fmt: skip
    markdown = grid_markdown(table, params)
    census, census_age = markdown.split("## census_age")
    assert "TSTR / TRTR accuracy" in census and "| 0.990 |" in census and "R2" not in census
    assert "train-real-test-real R2 0.4500" in census_age and "TSTR / TRTR R2" in census_age
    assert "| 0.4100 | 0.910 | 1.040 |" in census_age and "accuracy" not in census_age
    grid_figure(table).savefig(io.BytesIO(), format="png")


@pytest.mark.integration  # runs dvc: the slow tier
def test_a_table_made_elsewhere_is_a_cell_beside_the_generators(grid):
    repo, _ = grid
    cells = repo / "grid/cells"
    fingerprint = read_details(cells / "census", "split")["train_fingerprint"]  # a dataset's own files
    (repo / "vendor").mkdir()
    (repo / "vendor/acme.parquet").write_bytes((cells / "census/cart/data/synthetic.parquet").read_bytes())
    params = yaml.safe_load((repo / "params.yaml").read_text())
    params["grid"]["provided"] = {
        "acme": {"dataset": "census", "source": "vendor/acme.parquet", "trained_on": fingerprint}
    }
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    ran = ran_stages(dvc("--cd", "grid", "repro", cwd=repo).stdout)
    assert ran == {f"{stage}_provided@acme" for stage in CELL_STAGES} | {"tabulate"}  # same split, references
    table = pd.read_csv(repo / "grid/results.csv")
    assert list(zip(table["dataset"], table["generator"], strict=True)) == [
        ("census", "cart"),
        ("census", "independent"),
        ("census", "acme"),
        ("bank_marketing", "cart"),
        ("bank_marketing", "independent"),
    ]
    rows = table.set_index(["dataset", "generator"])
    figures = ["discriminator_auc", "quality_score", "dcr_share", "ratio_accuracy", "gate"]
    # cart's own rows, given back as a vendor's table: the same figures, to the last digit
    assert rows.loc[("census", "acme"), figures].tolist() == rows.loc[("census", "cart"), figures].tolist()


def test_each_section_has_the_attacks_and_the_other_judges_figures_beside_the_holdout_s():
    from synthproof.config import parse_params
    from synthproof.grid import grid_markdown

    params = parse_params({"grid": {"datasets": {"census": {"target": "income", "source": "census.csv.gz"}}}})
    row = {"dataset": "census", "train_rows": 39074, "floor_auc": 0.5, "quality_ceiling": 98.7,
           "discriminator_auc": 0.6, "quality_score": 95.0, "dcr_share": 0.5, "exact_copy_share": 0.0,
           "train_seconds": 10.0, "trtr_accuracy": 0.86, "trtr_mcc": 0.6, "tstr_accuracy": 0.85,
           "ratio_accuracy": 0.99, "ratio_mcc": 0.97, "gate": "11 pass", "gate_failed": "",
           "gate_inconclusive": "", "singling_out_risk": 0.01, "linkability_risk": 0.0,
           "inference_risk_max": 0.05, "membership_auc": 0.536, "beta_recall": 0.51,
           "holdout_beta_recall": 0.49}  # fmt: skip
    table = pd.DataFrame(
        [{**row, "generator": "cart"}, {**row, "generator": "resample", "membership_auc": 0.81}]
    )
    markdown = grid_markdown(table, params)
    header = "| generator | singling out | linkability | inference (worst) | membership AUC | beta-recall |"
    assert header in markdown
    assert "| resample | 0.010 | 0.000 | 0.050 | 0.810 | 0.510 |" in markdown
    assert "The holdout's own: beta-recall 0.490." in markdown


def test_the_committed_grid_is_that_of_the_committed_code(tmp_path, monkeypatch):
    # the README's generator tables come from grid/results.csv: every cell's record in grid/dvc.lock matches
    # today's code and params (the gate's own check), and the table is what tabulate writes from the cells'
    # committed metrics (tabulate's dep is the whole cells folder, whose data a clone has not pulled)
    stale = {stage: why for stage, why in stale_stages(REPO / "grid").items() if stage != "tabulate"}
    assert not stale, describe(stale) + "; run `dvc --cd grid repro` (docs/grid.md)"
    monkeypatch.chdir(REPO)
    params = load_params(REPO / "params.yaml")
    write_csv(grid_table(params), tmp_path / "results.csv")
    assert (tmp_path / "results.csv").read_bytes() == (REPO / params.paths.grid.table).read_bytes()
