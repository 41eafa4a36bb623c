"""End to end: `dvc repro` in a temporary copy of the repository, on real census rows, tiny params."""

import dataclasses
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from stages.common import COST_FIGURE
from synthproof.config import Params, StageCost
from tests.conftest import (
    CENSUS,
    GENERATOR_STAGES,
    STAGES,
    copy_repo,
    decoded_images,
    dvc,
    ran_stages,
    read_details,
    read_metrics,
    render_dom,
    sh,
)

pytestmark = pytest.mark.integration  # runs dvc, or starts a cluster or a server: the slow tier


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = copy_repo(tmp_path_factory.mktemp("pipeline"))
    result = dvc("repro", cwd=repo)
    assert ran_stages(result.stdout) == STAGES
    return repo


def test_metrics_are_tidy_scalars_with_unique_names_and_details_hold_the_rest(repo):
    seen = {}
    for stage in STAGES - {"report"}:
        metrics, details = read_metrics(repo, stage), read_details(repo, stage)
        # numbers and flags only: `dvc exp diff` cannot diff text (a name, a reason), which the details hold
        assert all(not isinstance(value, dict | list | str) for value in metrics.values()), stage
        assert metrics == {key: value for key, value in details.items() if key in metrics}
        for key in metrics:
            assert key not in seen, f"{key} is in both {seen.get(key)} and {stage}"
            seen[key] = stage
    assert {"discriminator_auc", "floor_auc", "ratio_accuracy", "quality_score", "dcr_share"} <= set(seen)
    assert {"singling_out_risk", "linkability_risk", "inference_risk_max"} <= set(seen)
    assert read_details(repo, "privacy")["inference_risk_max_column"]


def test_every_output_and_metric_is_there(repo):
    train = pd.read_parquet(repo / "data/split/train.parquet")
    holdout = pd.read_parquet(repo / "data/split/holdout.parquet")
    synthetic = pd.read_parquet(repo / "data/synthetic.parquet")
    assert len(train) + len(holdout) == 48842 and len(holdout) == round(0.2 * 48842)
    assert len(synthetic) == 3000
    assert synthetic.dtypes.to_dict() == train.dtypes.to_dict()
    schema = json.loads((repo / "data/schema.json").read_text())
    assert schema["target"] == "income" and len(schema["columns"]) == 15

    assert read_metrics(repo, "ingest")["rows"] == 48842
    assert read_metrics(repo, "split")["holdout_rows"] == len(holdout)
    trained = read_metrics(repo, "train")
    assert trained["rows_used"] == 2000 and trained["epochs_run"] == 2 and "stopped_by_time_budget" in trained
    assert read_details(repo, "train")["generator"] == "ctgan"
    # the seconds, memory and threads vary from run to run: the stage's cost file holds them, no result does
    train_cost = json.loads((repo / "metrics/cost/train.json").read_text())
    timings = {"train_seconds", "transformer_fit_seconds", "seconds_per_epoch", "train_threads"}
    assert timings <= set(train_cost)
    assert not {"train_seconds", "train_threads", "train_peak_memory_mb"} & set(trained)
    assert train_cost["train_peak_memory_mb"] > 100  # torch alone is more
    assert 0 < trained["model_size_mb"] < 50  # the model file, models/generator.zip
    sampled = read_metrics(repo, "sample")
    assert "sample_seconds" not in sampled and "copies_rejected" not in sampled  # guard off
    assert sampled["synthetic_rows"] == 3000 and sampled["dtypes_match"] is True
    assert sampled["out_of_range_share_max"] == 0.0
    assert set(read_details(repo, "sample")["columns"]) == set(train.columns)
    losses = pd.read_csv(repo / "plots/train/loss.csv")
    assert losses["epoch"].tolist() == [1, 2]
    assert (repo / "plots/train/loss.png").read_bytes()[:4] == b"\x89PNG"
    for stage in STAGES:  # what each stage cost, apart from its results
        cost = json.loads((repo / "metrics" / "cost" / f"{stage}.json").read_text())
        # seconds to one decimal: report, on this small table, can round to 0
        assert cost[f"{stage}_stage_seconds"] >= (0 if stage == "report" else 0.1), stage
        assert cost[f"{stage}_peak_memory_mb"] > 50, stage  # python and pandas alone take more
        workers = cost[f"{stage}_workers_peak_memory_mb"]  # loky's processes (ctgan's transformer has some)
        assert workers > 50 if stage in ("score_real", "compare") else workers >= 0, stage


def test_discriminator_outputs(repo):
    fake_or_real = read_details(repo, "discriminate")
    headline = [
        "discriminator_auc",
        "discriminator_accuracy",
        "floor_auc",
        "floor_accuracy",
        "auc_above_floor",
    ]
    assert all(0 <= fake_or_real[key] <= 1 for key in headline[:4])
    # 2 epochs on 2,000 rows: CTGAN is easy to tell from real rows; two real samples are not
    assert fake_or_real["discriminator_auc"] > 0.8 and abs(fake_or_real["floor_auc"] - 0.5) < 0.1
    assert len(fake_or_real["top_giveaway_columns"]) == 3
    assert set(fake_or_real["column_auc"]) == set(fake_or_real["column_importance"])
    link = fake_or_real["linked_columns"]["education->education_num"]
    # the wrapper derives education_num from education (generator.derive_linked_columns: true)
    assert read_details(repo, "train")["derived_columns"] == {"education_num": "education"}
    assert link["holdout_broken_share"] == 0.0 and link["synthetic_broken_share"] == 0.0
    most_fake = pd.read_csv(repo / "data/discriminate/most_fake.csv")
    assert len(most_fake) == 100 and most_fake["probability_fake"].is_monotonic_decreasing
    crosstabs = sorted(p.name for p in (repo / "data/discriminate/linked").iterdir())
    assert "education__education_num__real.csv" in crosstabs
    for name in ("probabilities", "columns"):
        assert (repo / f"plots/discriminate/{name}.png").read_bytes()[:4] == b"\x89PNG"
        assert len(pd.read_csv(repo / f"plots/discriminate/{name}.csv")) > 0


def test_fidelity_outputs(repo):
    fidelity = read_details(repo, "fidelity")
    assert 0 < fidelity["quality_score"] < fidelity["quality_ceiling"] <= 100
    assert fidelity["quality_ratio"] == pytest.approx(
        fidelity["quality_score"] / fidelity["quality_ceiling"], abs=1e-3
    )
    for key in ("column_shapes", "pair_trends"):
        assert 0 <= fidelity[key] <= 1, key
    assert set(fidelity["columns"]) == set(pd.read_parquet(repo / "data/split/train.parquet").columns)
    for name in ("distributions", "correlations", "pairs"):
        assert (repo / f"plots/fidelity/{name}.png").read_bytes()[:4] == b"\x89PNG"
    assert len(pd.read_csv(repo / "plots/fidelity/column_shapes.csv")) == 15
    assert set(pd.read_csv(repo / "plots/fidelity/distributions.csv")["column"]) == set(fidelity["columns"])
    pairs = pd.read_csv(repo / "plots/fidelity/pair_trends.csv")
    assert len(pairs) == 15 * 14 // 2 and pairs["gap"].is_monotonic_decreasing


def test_privacy_outputs(repo):
    privacy = read_details(repo, "privacy")
    for key in ("dcr_share", "exact_copy_share", "nndr_median", "singling_out_risk", "linkability_risk"):
        assert 0 <= privacy[f"{key}"] <= 1, key
    assert privacy["exact_copy_share"] < 0.01  # CTGAN after 2 epochs copies nobody
    assert {"holdout_exact_copy_share", "holdout_dcr_median_train"} <= set(read_metrics(repo, "privacy"))
    secrets = [name for name in privacy["attacks"] if name.startswith("inference_")]
    # every column, the target first, but education and education_num, which fix each other
    assert secrets[0] == "inference_income" and len(secrets) == 13
    assert not {"inference_education", "inference_education_num"} & set(secrets)
    assert privacy["inference_risk_max_column"] in {name.removeprefix("inference_") for name in secrets}
    risks = pd.read_csv(repo / "plots/privacy/risks.csv")
    assert (
        len(risks) == 3 + 13
        and (risks["low"] <= risks["risk"]).all()
        and (risks["risk"] <= risks["high"]).all()
    )
    for name in ("dcr", "risks"):
        assert (repo / f"plots/privacy/{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_compare_outputs(repo):
    compared = read_details(repo, "compare")
    for name in ("accuracy", "auc", "f1", "mcc"):
        assert 0 <= compared[f"tstr_{name}"] <= 1 and 0 <= compared[f"trtr_{name}"] <= 1
        assert compared[f"ratio_{name}"] == pytest.approx(
            compared[f"tstr_{name}"] / compared[f"trtr_{name}"], abs=2e-3
        )
    assert compared["trtr_accuracy"] > 0.8  # census: real-trained models reach 0.85-0.87
    assert compared["target_type"] == "binary"
    assert compared["classes"]["real"] == ["<=50K", ">50K"]
    assert set(compared["leaderboards"]["real"]) == {"lr", "dt", "lightgbm", "qda", "dummy"}
    assert "failed" in compared["leaderboards"]["real"]["qda"]
    assert -1 <= compared["leaderboard_spearman"] <= 1
    # the row budget (compare.max_rows: 32,000) holds the whole of this run's 2,400 synthetic fit rows
    assert compared["cross_validated_rows_synthetic"] == compared["rows"]["synthetic_train"] == 2400
    board = pd.read_csv(repo / "plots/compare/leaderboards.csv")
    assert set(board["trained_on"]) == {"synthetic", "real"} and len(board) == 10
    assert len(pd.read_csv(repo / "plots/compare/confusion.csv")) == len(
        pd.read_parquet(repo / "data/split/holdout.parquet")
    )
    for name in ("leaderboards", "roc", "confusion"):
        assert (repo / f"plots/compare/{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_the_holdout_reaches_no_training_stage(repo):
    stages = yaml.safe_load((repo / "dvc.yaml").read_text())["stages"]
    holdout = "${paths.holdout}"
    assert holdout in stages["split"]["outs"]
    assert all(holdout not in stage.get("deps", []) for stage in (stages["train"], stages["sample"]))
    assert holdout in stages["discriminate"]["deps"]  # evaluation stages: the floor, the ceiling
    assert holdout in stages["privacy"]["deps"] and holdout in stages["compare"]["deps"]  # the control
    assert holdout not in stages["fidelity"]["deps"]  # its ceiling comes from score_real


def test_second_repro_runs_nothing(repo):
    result = dvc("repro", cwd=repo)
    assert ran_stages(result.stdout) == set()
    # bytecode Python writes beside the code (sample depends on the generators' folder) is not code
    cache = repo / "synthproof/generators/__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "wrapper.cpython-311.pyc").write_bytes(b"\x00")
    assert "up to date" in dvc("status", cwd=repo).stdout


def stale_stages(repo) -> set[str]:
    return set(json.loads(dvc("status", "--json", cwd=repo).stdout))


def test_a_code_change_makes_stale_exactly_the_stages_that_run_that_code(repo):
    wrapper = repo / "synthproof/generators/wrapper.py"
    original = wrapper.read_text()
    docstring = '''    """``series`` in the real column's dtype where it can hold the values."""\n'''
    assert docstring in original
    wrapper.write_text(original.replace(docstring, docstring + "    series = series.copy()\n"))
    try:
        # decoding runs at sampling too: a fix there must reach the synthetic table, whatever the generator
        assert stale_stages(repo) == {"train", "sample"}
    finally:
        wrapper.write_text(original)
    assert stale_stages(repo) == set()
    # the model zoo reaches only the stages that fit its models: no import runs up a layer to it
    zoo = repo / "synthproof/evaluation/zoo.py"
    original = zoo.read_text()
    zoo.write_text(original + "\nZOO_EDITED = True\n")
    try:
        assert stale_stages(repo) == {"score_real", "compare"}
    finally:
        zoo.write_text(original)
    assert stale_stages(repo) == set()


def test_a_generator_depends_on_its_own_params_section_not_the_others(repo):
    params_file = repo / "params.yaml"
    original = params_file.read_text()
    params = yaml.safe_load(original)
    try:
        params["generator"]["tvae"]["embedding_dim"] = 64  # not the generator that runs
        params["compare"]["n_jobs"] = 1
        params_file.write_text(yaml.safe_dump(params, sort_keys=False))
        # the reference's TRTR leaderboard is fitted with compare.n_jobs too
        assert stale_stages(repo) == {"score_real", "compare", "report"}  # the report shows every param
        params["generator"]["ctgan"]["pac"] = 5  # the one that runs
        params_file.write_text(yaml.safe_dump(params, sort_keys=False))
        assert stale_stages(repo) == {"score_real", "train", "compare", "report"}
    finally:
        params_file.write_text(original)
    assert stale_stages(repo) == set()


def test_metrics_show_and_an_experiment_reruns_only_what_its_param_touches(repo):
    shown = json.loads(dvc("metrics", "show", "--json", cwd=repo).stdout)
    assert shown, "dvc metrics show found no metrics"
    sh("git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A", cwd=repo)
    sh("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "baseline", cwd=repo)
    result = dvc("exp", "run", "-S", "generator.epochs=3", cwd=repo)
    assert ran_stages(result.stdout) == GENERATOR_STAGES  # the references stay cached
    assert read_metrics(repo, "train")["epochs_run"] == 3
    diff = json.loads(dvc("metrics", "diff", "--json", cwd=repo).stdout)
    assert "epochs_run" in diff["metrics/train.json"]


def test_another_generator_by_name_with_the_copy_guard(repo):
    floor = read_metrics(repo, "discriminate")["floor_auc"]
    result = dvc("exp", "run", "-S", "generator.name=cart", "-S", "sample.reject_copies=true", cwd=repo)
    assert ran_stages(result.stdout) == GENERATOR_STAGES  # another generator: the references stay cached
    assert read_metrics(repo, "discriminate")["floor_auc"] == floor
    trained = read_metrics(repo, "train")
    assert read_details(repo, "train")["generator"] == "cart" and "epochs_run" not in trained
    assert pd.read_csv(repo / "plots/train/loss.csv").empty  # no epochs: an empty loss table
    sampled = read_metrics(repo, "sample")
    assert sampled["copies_left"] == 0 and sampled["dtypes_match"] is True
    assert read_metrics(repo, "privacy")["exact_copy_share"] == 0.0
    # sequential trees on real rows: far harder to tell from real than 2-epoch CTGAN
    assert read_metrics(repo, "discriminate")["discriminator_auc"] < 0.65


def test_bad_input_stops_the_stage_with_one_line_and_no_output(tmp_path):
    repo = copy_repo(tmp_path, target="salary")
    result = dvc("repro", cwd=repo, check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: target column")]
    assert errors and "set target in params.yaml" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (repo / "data/raw/table.parquet").exists() and not (repo / "data/schema.json").exists()


def test_a_params_typo_stops_the_pipeline(tmp_path):
    repo = copy_repo(tmp_path, generator__epoch=5)
    result = dvc("repro", cwd=repo, check=False)
    assert result.returncode != 0
    assert "unknown key generator.epoch (did you mean generator.epochs?)" in result.stderr


def test_the_gate_fails_a_generator_that_copies_training_rows(repo):
    dvc("exp", "run", "-S", "generator.name=resample", "-S", "sample.reject_copies=false", cwd=repo)
    assert read_metrics(repo, "privacy")["exact_copy_share"] == 1.0
    result = sh(sys.executable, "-m", "synthproof.gate", cwd=repo, check=False)
    assert result.returncode == 1
    failed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAIL")]
    # copies, and every attack: redrawn training rows single out, link and give away the people in them
    assert failed[:2] == ["dcr_share", "exact_copy_share_above_holdout"]
    assert {"singling_out_risk", "linkability_risk", "inference_risk_max"} <= set(failed)
    assert "reference: real_exact_copy_share = " in result.stdout
    assert (
        result.stdout.strip().splitlines()[-1].startswith("gate: ") and f"{len(failed)} fail" in result.stdout
    )
    first = result.stdout.splitlines()[:3]  # the three answers come first
    assert [line.split()[0] for line in first] == ["Useful?", "Realistic?", "Private?"]
    assert first[2].split()[1] == "no" and "exact_copy_share_above_holdout" not in first[0]


def test_dvc_exp_show_opens_with_the_verdict(repo):
    header = dvc("exp", "show", "--csv", cwd=repo).stdout.splitlines()[0].split(",")
    metrics = header[header.index("parent") + 1 :]
    assert metrics[:3] == ["useful.answer", "useful.ratio_accuracy", "useful.ratio_accuracy_low"]
    assert "realistic.auc_above_floor" in metrics[:20] and "private.dcr_share_high" in metrics[:40]
    verdict = json.loads((repo / "metrics/verdict.json").read_text())
    assert {verdict[q]["answer"] for q in ("useful", "realistic", "private")} <= {"yes", "no", "undecided"}


def test_the_report_is_one_page_that_renders_offline(repo, chromium):
    page = (repo / "reports/report.html").read_text()
    assert "<script" not in page and "http://" not in page and "https://" not in page
    fidelity = read_metrics(repo, "fidelity")
    assert f"{fidelity['quality_score']:.4g}" in page and "most fake" in page and "Leaderboard" in page
    assert page.count("<img") == 11 and decoded_images(chromium, repo / "reports/report.html") == 11
    assert "Privacy attacks" in page and "inference: income" in page


def test_plots_diff_across_experiments_renders_offline(repo, chromium, tmp_path):
    experiments = json.loads(dvc("exp", "show", "--json", cwd=repo).stdout)
    names = [r["name"] for e in experiments for x in e.get("experiments") or [] for r in x["revs"]]
    assert len(names) >= 2
    dvc("plots", "diff", *names[:2], "-o", str(tmp_path / "plots"), cwd=repo)
    page = (tmp_path / "plots/index.html").read_text()
    assert "<script src" not in page  # .dvc/offline_plots.html inlines Vega: no CDN
    dom = render_dom(chromium, tmp_path / "plots/index.html")
    # each data plot becomes a canvas once Vega has run; the PNG plots are images
    assert dom.count('class="marks"') >= 7


def test_long_stages_show_progress_and_one_closing_line_with_the_same_metrics(repo, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, symlinks=True)
    # what must not change with progress on or off (the seconds are in the cost files, apart)
    outputs = {
        "score_real": [
            "metrics/score_real.json",
            "data/reference/compare.json",
            "data/reference/discriminate.json",
            "data/reference/fidelity.json",
            "data/reference/compare_holdout.parquet",
            "data/reference/privacy.parquet",
        ],
        "discriminate": ["metrics/discriminate.json"],
        "fidelity": ["metrics/fidelity.json"],
        "privacy": ["metrics/privacy.json"],
        "compare": ["metrics/compare.json", "metrics/details/compare.json", "plots/compare/leaderboards.csv"],
    }
    for stage, files in outputs.items():
        written = {}
        for mode in ("lines", "off"):
            result = sh(sys.executable, "-m", f"stages.{stage}", cwd=copy, env={"SYNTHPROOF_PROGRESS": mode})
            lines = result.stderr.strip().splitlines()
            assert "\r" not in result.stderr, stage  # a log gets lines, never a redrawn bar
            closing = lines[-1]
            assert closing.startswith(f"{stage}: ") and closing.endswith(" s)"), closing
            progress = [line for line in lines if "%|" in line]
            if mode == "lines":
                assert progress and progress[-1].startswith(stage) and "100%" in progress[-1], lines
            else:
                assert progress == [], lines
            written[mode] = [(copy / name).read_bytes() for name in files]
        assert written["lines"] == written["off"] == [(repo / name).read_bytes() for name in files], stage
    logged = sh(sys.executable, "-m", "stages.compare", cwd=copy).stderr.strip().splitlines()  # no TTY: lines
    assert any(line.startswith("compare: synthetic leaderboard: ") for line in logged)
    assert "models x 3 folds" in logged[-1] and "ratio_accuracy = " in logged[-1]  # the headline figure


def results_of(repo: Path) -> dict[str, bytes]:
    """Every file a run wrote under data/, metrics/ and reports/, by its path, but the cost files
    (paths.cost: seconds, memory and threads, which vary from run to run)."""
    cost = {getattr(Params().paths.cost, item.name) for item in dataclasses.fields(StageCost)}
    files = {}
    for top in ("data", "metrics", "reports"):
        for file in sorted((repo / top).rglob("*")):
            name = file.relative_to(repo).as_posix()
            if file.is_file() and name not in cost:
                files[name] = file.read_bytes()
    return files


def test_two_fresh_runs_with_one_seed_write_the_same_bytes_the_cost_files_aside(tmp_path):
    """Results and report are the same bytes run after run (in another folder too); only the cost files,
    which no stage reads, hold the seconds, the memory, the threads and the leaderboards' TT (Sec)."""
    small = pd.read_csv(CENSUS, nrows=3000, dtype=str, keep_default_na=False)  # the text as written
    runs = []
    for name in ("first", "second"):
        repo = copy_repo(
            tmp_path / name, generator__name="cart", ingest__source="small.csv", ingest__sha256=None
        )
        small.to_csv(repo / "small.csv", index=False)
        assert ran_stages(dvc("repro", cwd=repo).stdout) == STAGES
        runs.append(repo)
    first, second = (results_of(repo) for repo in runs)
    assert "reports/report.html" in first and "data/reference/compare.json" in first
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    for name, content in first.items():  # no result file holds a timing, a memory or a thread count
        if name.startswith("metrics/") and name.endswith(".json"):
            timed = [key for key in json.loads(content) if COST_FIGURE.search(key)]
            assert timed == [], name
    assert b"TT (Sec)" not in first["data/reference/compare.json"] + first["metrics/details/compare.json"]
    cost = Params().paths.cost
    trained = json.loads((runs[0] / cost.train).read_text())
    assert trained["train_seconds"] >= 0 and trained["train_stage_seconds"] > 0
    boards = json.loads(first["metrics/details/compare.json"])["leaderboards"]
    for stage, side in (("score_real", "real"), ("compare", "synthetic")):  # fit seconds, PyCaret's name
        fits = json.loads((runs[0] / getattr(cost, stage)).read_text())["leaderboard"]
        assert set(fits) == {model for model, row in boards[side].items() if "failed" not in row}, stage
        assert all(fit["TT (Sec)"] >= 0 for fit in fits.values()) and fits["lr"]["TT (Sec)"] > 0, stage
