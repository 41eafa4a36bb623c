"""Hostile tables and files, through the whole pipeline: column names and category values that are path
pieces, JSON and CSV specials, HTML and formulas go through every stage, with everything written inside
the repository and every name shown as it is; a model file that would run code is refused. Every message
the gate, the report and DVC print here is grepped for internals (tests.conftest.plain)."""

import html
import pickle
import sys

import pandas as pd
import pytest

from synthproof.config import Params
from tests.conftest import STAGES, copy_repo, dvc, every_file, plain, ran_stages, render_dom, set_params, sh

pytestmark = pytest.mark.integration  # runs dvc, or starts a cluster or a server: the slow tier

# A script that ran leaves this attribute on the page; the data spells it only in two halves.
PWNED = "document.body.setAttribute('data-pwned','y'+'es')"
SCRIPTS = [
    f"<script>{PWNED}</script>",
    f'<img src=x onerror="{PWNED}">',
    f"</script><script>{PWNED}</script>",
]


def hostile_names(outside) -> dict[str, str]:
    """Census's columns renamed: path pieces, specials, HTML, a formula, blank-looking and unicode."""
    return {
        "age": "../../../../escaped",
        "workclass": SCRIPTS[0],
        "fnlwgt": "-leading dash",
        "education": "back\\slash/and/slash",
        "education_num": f"{outside}/absolute",
        "marital_status": "m" * 250,
        "occupation": "price, usd $\\frac{$",  # not TeX in the plots
        "relationship": 'a:b "quoted" [1] {2}',
        "race": "new\nline",
        "sex": "=1+1",
        "capital_gain": " ",
        "capital_loss": "größe €",
        "hours_per_week": "名前",
        "native_country": "speed km/h",
        "income": SCRIPTS[2],  # the target
    }


def hostile_table(census, rows, outside) -> pd.DataFrame:
    table = census.sample(rows, random_state=0).reset_index(drop=True)
    workclass = {"Private": SCRIPTS[1], "Self-emp-not-inc": "=HYPERLINK(1)"}
    table["workclass"] = table["workclass"].replace(workclass)
    table["sex"] = table["sex"].replace({"Male": "../../m", "Female": 'f, "x"\n{y}'})
    table["income"] = table["income"].replace({"<=50K": SCRIPTS[0], ">50K": "=1+1"})
    return table.rename(columns=hostile_names(outside))


def run_hostile(tmp_path_factory, census, rows, **params):
    folder = tmp_path_factory.mktemp("hostile")
    outside = folder / "outside"  # where an absolute column name points: must stay empty
    table = hostile_table(census, rows, outside)
    table.to_parquet(folder / "table.parquet")
    repo = copy_repo(
        folder / "repo",
        folder / "table.parquet",
        target=SCRIPTS[2],
        ingest__sha256=None,
        generator__derive_linked_columns=True,
        **params,
    )
    result = dvc("repro", cwd=repo)
    return folder, repo, result, table


@pytest.fixture(scope="module")
def hostile_cart(tmp_path_factory, census):
    return run_hostile(tmp_path_factory, census, 600, generator__name="cart")


@pytest.fixture(scope="module")
def hostile_ctgan(tmp_path_factory, census):
    return run_hostile(tmp_path_factory, census, 300, generator__name="ctgan")


@pytest.mark.parametrize("run", ["hostile_cart", "hostile_ctgan"])
def test_hostile_names_go_through_every_stage_and_nothing_leaves_the_repository(run, request):
    folder, repo, result, table = request.getfixturevalue(run)
    assert ran_stages(result.stdout) == STAGES
    assert sorted(p.name for p in folder.iterdir()) == ["repo", "table.parquet"]  # nothing beside it
    for path in every_file(Params().paths):
        assert (repo / path).exists(), path
    synthetic = pd.read_parquet(repo / Params().paths.synthetic)
    assert list(synthetic.columns) == list(table.columns)
    assert set(synthetic[SCRIPTS[2]]) <= set(table[SCRIPTS[2]])
    linked = repo / Params().paths.discriminate.linked
    index = pd.read_csv(linked / "index.csv")
    assert set(index["real"]) | set(index["synthetic"]) | {"index.csv"} == {p.name for p in linked.iterdir()}
    gate = sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False)
    assert gate.returncode in (0, 1, 3) and "Error" not in plain(gate.stderr), gate.stderr


def test_every_name_shows_as_it_is_in_the_report_and_no_script_from_the_data_runs(hostile_cart, chromium):
    _, repo, _, table = hostile_cart
    page = (repo / Params().paths.report).read_text()
    for name in table.columns:
        assert all(html.escape(line) in page for line in name.splitlines()), name
    assert "data-pwned" in page and "<script>document.body" not in page
    assert 'data-pwned="yes"' not in render_dom(chromium, repo / Params().paths.report)


def test_dvc_s_plots_pages_render_the_data_and_run_none_of_it(hostile_cart, chromium):
    _, repo, _, _ = hostile_cart
    dvc("plots", "show", "-o", "plots_page", cwd=repo)
    dom = render_dom(chromium, repo / "plots_page/index.html")
    assert "vega" in dom.lower() and 'data-pwned="yes"' not in dom
    # dvc plots diff against the same workspace renders the same data the same way
    dvc("plots", "diff", "HEAD", "-o", "diff_page", cwd=repo)
    assert 'data-pwned="yes"' not in render_dom(chromium, repo / "diff_page/index.html")


def test_the_gate_and_the_report_refuse_figures_the_params_did_not_make(hostile_cart):
    _, repo, _, _ = hostile_cart
    set_params(repo, compare__folds=2)  # edited, and the run that would follow interrupted
    gate = sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False)
    assert gate.returncode == 4 and "`compare.folds` is 2 in params.yaml, but the stage ran with 3" in plain(
        gate.stderr
    )
    report = sh(sys.executable, "-m", "stages.report", cwd=repo, check=False)
    assert report.returncode != 0 and "the metrics are stale" in plain(report.stderr)
    assert "Traceback" not in report.stderr
    set_params(repo, compare__folds=3)
    assert sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False).returncode in (0, 1, 3)


class _Runs:
    """A pickle that, loaded, leaves a file behind: what a hostile worker could push as a model."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_a_model_file_that_would_run_code_is_refused_by_the_next_run(hostile_cart):
    _, repo, _, _ = hostile_cart
    model, marker = repo / Params().paths.model, repo.parent / "ran"
    whole = model.read_bytes()
    forgeries = [(whole[: len(whole) // 2], "is damaged"), (pickle.dumps(_Runs(marker)), "is a pickle")]
    for forged, message in forgeries:
        model.write_bytes(forged)
        dvc("commit", "-f", "train", cwd=repo)  # recorded as if train had made it (a shared remote's worker)
        result = dvc("repro", "sample", "--force", "--single-item", cwd=repo, check=False)
        assert result.returncode != 0 and not marker.exists()
        assert "Traceback" not in result.stderr and message in plain(result.stderr), result.stderr
