"""Experiments side by side, from `dvc exp show --json` shaped input built here."""

import math

import pytest

from synthproof.errors import SynthproofError
from synthproof.experiments import (
    experiment_table,
    format_over_seeds,
    load_experiments,
    markdown,
    over_seeds,
    sweep_figure,
    sweep_metrics,
)
from tests.conftest import RUNS, exp_show


def test_every_experiment_with_its_swept_params_and_flat_metrics():
    experiments = load_experiments(exp_show(RUNS))
    assert [e.name for e in experiments] == ["exp-0", "exp-1", "exp-2", "exp-3"]
    table = experiment_table(experiments, ["discriminator_auc", "quality_score"])
    # paths differ too, but file locations are never what an experiment is about
    assert list(table.columns) == [
        "experiment", "seed", "generator.max_rows", "discriminator_auc", "quality_score",
    ]  # fmt: skip
    assert table["discriminator_auc"].tolist() == [0.80, 0.84, 0.70, 0.72]
    assert len(load_experiments(exp_show(RUNS), include_baselines=True)) == 5


def test_mean_and_std_over_seeds_per_configuration():
    table = experiment_table(load_experiments(exp_show(RUNS)), ["discriminator_auc"])
    summary = over_seeds(table, ["discriminator_auc"]).set_index("generator.max_rows")
    assert summary.loc[1000, "runs"] == 2
    assert summary.loc[1000, "discriminator_auc_mean"] == pytest.approx(0.82)
    assert summary.loc[5000, "discriminator_auc_std"] == pytest.approx(math.sqrt(2) * 0.01)
    text = format_over_seeds(over_seeds(table, ["discriminator_auc"]), ["discriminator_auc"])
    assert text["discriminator_auc"].tolist() == ["0.820 ± 0.028", "0.710 ± 0.014"]
    assert markdown(text).splitlines()[2].startswith("| 1000 | 2 | 0.820 ± 0.028 |")


def test_sweep_plot_and_a_param_that_was_not_swept():
    table = experiment_table(load_experiments(exp_show(RUNS)), ["discriminator_auc"])
    figure = sweep_figure(table, "generator.max_rows", ["discriminator_auc"])
    (axis,) = figure.axes
    (errorbar,) = axis.containers  # one line: no other param was swept but the seed
    assert list(errorbar.lines[0].get_ydata()) == pytest.approx([0.82, 0.71])
    with pytest.raises(SynthproofError, match="not a swept param"):
        sweep_figure(table, "generator.epochs", ["discriminator_auc"])


def test_the_table_shows_each_interval_beside_its_figure():
    runs = exp_show(RUNS)
    for i, experiment in enumerate(runs[1]["experiments"]):
        metrics = experiment["revs"][0]["data"]["metrics"]["metrics/discriminate.json"]["data"]
        metrics.update(discriminator_auc_low=0.6 + i / 100, discriminator_auc_high=0.9)
    experiments = load_experiments(runs)
    table = experiment_table(experiments, ["discriminator_auc", "quality_score"], intervals=True)
    assert list(table.columns)[-4:] == [
        "discriminator_auc", "discriminator_auc_low", "discriminator_auc_high", "quality_score",
    ]  # fmt: skip
    assert table["discriminator_auc_low"].tolist() == [0.6, 0.61, 0.62, 0.63]
    assert "discriminator_auc_low" not in experiment_table(experiments, ["discriminator_auc"])


def test_by_default_the_table_and_plot_show_the_task_s_own_figures(tmp_path, capsys):
    """Runs on a numeric target have R2, not accuracy: the default columns and the sweep plot's panels
    are those the runs have."""
    import json

    from synthproof.experiments import main

    runs = exp_show(RUNS)
    for experiment in runs[1]["experiments"]:
        metrics = experiment["revs"][0]["data"]["metrics"]
        metrics["metrics/compare.json"] = {"data": {"ratio_r2": 0.9, "tstr_r2": 0.4}}
    experiments = load_experiments(runs)
    table = experiment_table(experiments)
    assert {"ratio_r2", "tstr_r2", "discriminator_auc"} <= set(table.columns)
    assert not {"ratio_accuracy", "tstr_accuracy", "ratio_mcc"} & set(table.columns)
    source = tmp_path / "exp_show.json"
    source.write_text(json.dumps(runs))
    out = tmp_path / "sweep.png"
    assert main(["plot", "--exp-show", str(source), "--x", "generator.max_rows", "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert sweep_metrics(experiments) == ["discriminator_auc", "ratio_r2", "quality_score"]
    assert sweep_metrics(load_experiments(exp_show(RUNS)))[1] == "ratio_accuracy"
