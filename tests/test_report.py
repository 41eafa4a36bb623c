"""The report page: a failed model's error in a cell of its own, the classes a multiclass model never
predicts in the headline, and, on a 137-column four-class table through the whole pipeline, a page that
renders in headless Chromium with every figure within its bounds and a ROC curve per class."""

import re
import sys

import pandas as pd
import pytest

from synthproof.plots import MAX_BYTES, MAX_PIXELS, png_size
from synthproof.report import ReportInputs, render
from tests.conftest import STAGES, copy_repo, decoded_images, dvc, ran_stages, sh, wide_multiclass_table

SCORES = {"Accuracy": 0.9, "AUC": 0.8, "Recall": 0.9, "Prec.": 0.8, "F1": 0.85, "Kappa": 0.1, "MCC": 0.2}


def multiclass_details() -> dict:
    error = "LinAlgError: The covariance matrix of class common is not full rank. Increase `reg_param`."
    board = {"lightgbm": dict(SCORES), "qda": {"failed": error}}  # no TT (Sec): the cost files hold it
    return {
        "target_type": "multiclass",
        "best_synthetic_model": "dummy",
        "best_real_model": "lightgbm",
        "never_predicted": {"synthetic:dummy": ["rare", "rarest", "uncommon"], "real:lightgbm": ["rarest"]},
        "leaderboards": {"synthetic": board, "real": board},
    }


def test_a_failed_model_s_error_has_its_own_cell_and_the_headline_names_classes_never_predicted():
    page = render(ReportInputs(params={}, metrics={}, details={"compare": multiclass_details()}, images={}))
    board = page[page.index("Leaderboard, trained on synthetic") :]
    header = re.search(r"<thead>(.*?)</thead>", board).group(1)
    assert header.endswith("<th>MCC</th><th>error</th></tr>")  # no fit seconds: they vary run to run
    qda = re.search(r"<tr><td[^>]*>qda</td>(.*?)</tr>", board).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", qda)
    assert cells[:-1] == [""] * 7 and cells[-1].startswith("LinAlgError: The covariance")
    headline = page[page.index("<h2>Headline</h2>") : page.index("Leaderboard")]
    assert "never predicts" in headline and "rare, rarest, uncommon" in headline and "rarest" in headline

    binary = {**multiclass_details(), "target_type": "binary"}
    page = render(ReportInputs(params={}, metrics={}, details={"compare": binary}, images={}))
    assert "never predicts" not in page


def test_on_a_wide_table_the_page_lists_the_target_and_the_riskiest_secrets_and_says_where_the_rest_are():
    attack = {"risk": 0.0, "risk_low": 0.0, "risk_high": 0.1, "attack_rate": 0.1, "control_rate": 0.1,
              "baseline_rate": 0.0, "attacks": 500}  # fmt: skip
    attacks = {name: attack for name in ("singling_out", "singling_out_univariate", "linkability")}
    attacks |= {f"inference_c{i}": {**attack, "risk": i / 200} for i in range(137)}
    params = {"privacy": {"inference": {"shown": 5}}}
    page = render(
        ReportInputs(params=params, metrics={}, details={"privacy": {"attacks": attacks}}, images={})
    )
    section = page[page.index("<h2>Privacy attacks</h2>") :]
    rows = re.findall(r"<tr><td[^>]*>inference: (c\d+)</td>", section)
    assert rows == ["c0", "c136", "c135", "c134", "c133"]  # the target (guessed first), then the riskiest
    assert "132 more secrets" in section and "metrics/details/privacy.json" in section


@pytest.fixture(scope="module")
def wide_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wide")
    wide_multiclass_table().to_csv(folder / "wide.csv", index=False)
    repo = copy_repo(
        folder / "repo",
        folder / "wide.csv",
        target="segment_class",
        ingest__sha256=None,
        generator__name="cart",
        compare__models=["lr", "dt", "lightgbm", "qda", "dummy"],
    )
    result = dvc("repro", cwd=repo)
    assert ran_stages(result.stdout) == STAGES
    return repo


@pytest.mark.integration
def test_a_wide_multiclass_report_renders_with_bounded_figures_and_a_roc_curve_per_class(wide_run, chromium):
    repo = wide_run
    page_path = repo / "reports/report.html"
    assert page_path.stat().st_size < 10e6
    for image in sorted((repo / "plots").rglob("*.png")):
        width, height = png_size(image)
        assert width <= MAX_PIXELS[0] and height <= MAX_PIXELS[1], (image.name, width, height)
        assert image.stat().st_size <= MAX_BYTES, image.name
    curves = pd.read_csv(repo / "plots/compare/roc.csv")
    holdout = pd.read_parquet(repo / "data/split/holdout.parquet")["segment_class"].value_counts()
    for _, model in curves.groupby(["trained_on", "model_id"]):
        assert model.groupby("class")["support"].first().to_dict() == holdout.to_dict()

    page = page_path.read_text()
    assert page.count("<img") == 11 and decoded_images(chromium, page_path) == 11
    assert "one-vs-rest per class" in page and "never predicts" in page
    gate = sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False)
    assert gate.returncode in (0, 1, 3) and gate.stdout.strip().splitlines()[-1].startswith("gate: ")


def test_the_three_answers_open_the_page_in_the_gate_s_colours():
    answers = [("Useful?", "pass", "yes", "a model trained on synthetic rows reaches 0.97"),
               ("Realistic?", "FAIL", "no", "a classifier tells synthetic from real rows at AUC 0.93"),
               ("Private?", "inconclusive", "undecided", "5 of 6 checks pass")]  # fmt: skip
    page = render(ReportInputs(params={}, metrics={}, details={}, images={}, answers=answers))
    first = page.index('<table class="answers text">')
    assert first < page.index("<h2>Headline</h2>")
    assert '<td class="fail">no</td>' in page and '<td class="unsure">undecided</td>' in page
    assert page.index("Useful?") < page.index("Realistic?") < page.index("Private?")
