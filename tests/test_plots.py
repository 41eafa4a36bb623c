"""The figures stay readable and bounded on a wide, multiclass table: the columns that matter, one ROC
curve per class, and every PNG within the pixel and byte bounds whatever the table's width."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from synthproof.evaluation.compare import PredictionTask, refit_and_score, roc_points
from synthproof.evaluation.fidelity import (
    correlation_matrices,
    distributions,
    pair_gaps,
    pair_views,
    quality,
)
from synthproof.plots import (
    MAX_BYTES,
    MAX_PIXELS,
    TOP_COLUMNS,
    TOP_PANELS,
    WORST_PAIRS,
    correlations_figure,
    distributions_figure,
    importance_figure,
    pairs_figure,
    png_size,
    roc_figure,
    save_figure,
)
from tests.conftest import wide_multiclass_table

TARGET = "segment_class"


@pytest.fixture(scope="module")
def wide():
    """The wide table's training part, its holdout, and a 'synthetic' table whose columns are each
    drawn alone (so every pair is broken) with one column shifted (the worst shape)."""
    table = wide_multiclass_table()
    train, holdout = table.iloc[:4000].reset_index(drop=True), table.iloc[4000:].reset_index(drop=True)
    rng = np.random.default_rng(1)
    synthetic = train.apply(lambda column: rng.permutation(column.to_numpy()))
    synthetic["item_010"] = synthetic["item_010"] + 5
    categorical = ["store", "segment", TARGET]
    ordered = [c for c in table.columns if c not in categorical]
    return train, holdout, synthetic, categorical, ordered


def saved_within_bounds(figure, path):
    save_figure(figure, path)
    width, height = png_size(path)
    assert width <= MAX_PIXELS[0] and height <= MAX_PIXELS[1], (path.name, width, height)
    assert path.stat().st_size <= MAX_BYTES, (path.name, path.stat().st_size)
    return width, height


def test_a_figure_of_any_size_is_saved_within_the_bounds(tmp_path):
    figure, axis = plt.subplots(figsize=(60, 90))  # what a panel per column of a 1,000-column table asks
    axis.imshow(np.random.default_rng(0).random((400, 400)))  # noise: the worst case for PNG bytes
    width, height = saved_within_bounds(figure, tmp_path / "huge.png")
    assert height > 0.9 * MAX_PIXELS[1] or width > 0.9 * MAX_PIXELS[0]  # shrunk to fit, not to a stamp
    small, _ = plt.subplots(figsize=(5, 4))
    assert png_size_of(small, tmp_path / "small.png")[0] < 700  # a small figure keeps its own size


def png_size_of(figure, path):
    save_figure(figure, path)
    return png_size(path)


def test_the_wide_table_s_figures_show_the_columns_and_pairs_that_matter(wide, tmp_path):
    train, holdout, synthetic, categorical, ordered = wide
    scores = quality(train, synthetic, categorical, ordered)
    ceiling = quality(train, holdout, categorical, ordered)

    shares = distributions(train, synthetic, categorical, ordered)
    assert set(shares["column"]) == set(train.columns)  # the file holds every column
    figure = distributions_figure(shares, scores.column_shapes)
    titles = [axis.get_title() for axis in figure.axes if axis.get_title()]
    assert len(titles) == TOP_PANELS and titles[0].startswith("item_010 (shape")  # the worst first
    saved_within_bounds(figure, tmp_path / "distributions.png")

    gaps = pair_gaps(scores, ceiling)
    assert len(gaps) == 137 * 136 // 2 and gaps["gap"].is_monotonic_decreasing
    views = pair_views(train, synthetic, gaps.head(WORST_PAIRS), categorical)
    assert [v["kind"] for v in views] and all(v["real"].shape == v["synthetic"].shape for v in views)
    for view in views:
        if view["kind"] == "shares":
            assert view["real"].sum() == pytest.approx(1) and view["synthetic"].sum() == pytest.approx(1)
    figure = pairs_figure(views)
    assert len(figure.axes) == 2 * WORST_PAIRS
    saved_within_bounds(figure, tmp_path / "pairs.png")

    real_corr, synthetic_corr = correlation_matrices(train, synthetic, ordered)
    figure = correlations_figure(real_corr, synthetic_corr, "pearson")
    assert len(figure.axes[0].get_xticklabels()) == TOP_COLUMNS
    assert "differ the most" in figure.get_suptitle()
    every = real_corr.columns[:TOP_COLUMNS]  # exactly as many as it shows: all of them, no selection said
    assert (
        correlations_figure(
            real_corr.loc[every, every], synthetic_corr.loc[every, every], "pearson"
        ).get_suptitle()
        == ""
    )
    saved_within_bounds(figure, tmp_path / "correlations.png")

    columns = pd.DataFrame(
        {"column": train.columns, "importance": np.linspace(0, 0.1, 137), "auc": np.linspace(0.9, 0.5, 137)}
    )
    figure = importance_figure(columns)
    left, right = figure.axes
    assert len(left.get_yticklabels()) == len(right.get_yticklabels()) == TOP_COLUMNS
    assert left.get_yticklabels()[-1].get_text() == train.columns[-1]  # the most gain, on top
    assert right.get_yticklabels()[-1].get_text() == train.columns[0]  # the best alone, on top
    saved_within_bounds(figure, tmp_path / "columns.png")


def test_a_narrow_table_keeps_every_column_in_its_figures(census):
    columns = pd.DataFrame({"column": census.columns, "importance": 0.1, "auc": 0.6})
    left, right = importance_figure(columns).axes
    assert len(left.get_yticklabels()) == len(census.columns)
    assert left.get_shared_y_axes().joined(left, right)  # a row per column across both panels


def test_a_multiclass_roc_has_a_curve_per_class_whose_weighted_auc_is_the_headline(wide, tmp_path):
    train, holdout, _, categorical, ordered = wide
    features = [c for c in categorical if c != TARGET]
    classes = np.array(sorted(train[TARGET].unique()))
    task = PredictionTask(TARGET, features, ordered, classes, seed=0)
    refit = refit_and_score("lightgbm", "real", train, {"holdout": holdout}, task)
    curves = roc_points([refit])
    per_class = curves.groupby("class")[["auc", "support"]].first()
    present = holdout[TARGET].value_counts()
    assert per_class["support"].to_dict() == present.to_dict()  # every class the holdout holds
    weighted = (per_class["auc"] * per_class["support"]).sum() / per_class["support"].sum()
    assert weighted == pytest.approx(refit.tables["holdout"]["AUC"], abs=1e-3)
    figure = roc_figure(curves)
    lines = [line for line in figure.axes[0].get_lines() if line.get_label()[0] != "_"]
    assert len(lines) == len(present)
    assert all("AUC" in line.get_label() and "n=" in line.get_label() for line in lines)
    assert "support-weighted mean" in figure.axes[0].get_title()
    saved_within_bounds(figure, tmp_path / "roc.png")


def test_a_majority_only_model_is_named_for_the_classes_it_never_predicts(wide):
    train, holdout, _, categorical, ordered = wide
    classes = np.array(sorted(train[TARGET].unique()))
    task = PredictionTask(TARGET, [c for c in categorical if c != TARGET], ordered, classes)
    dummy = refit_and_score("dummy", "synthetic", train, {"holdout": holdout}, task)
    assert dummy.never_predicted == sorted(set(holdout[TARGET]) - {"common"})
