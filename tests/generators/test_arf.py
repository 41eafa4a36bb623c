"""Adversarial random forests on real census rows: the forest stops once it cannot tell its draws from
real rows, and FORGE draws new numbers inside each leaf's bounds, never whole training rows."""

import numpy as np
import pandas as pd
import pytest

from synthproof.generators import ARFGenerator, TableWrapper
from synthproof.rows import copy_mask
from synthproof.schema import prepare_table


@pytest.fixture(scope="module")
def fitted(census):
    table, schema, _ = prepare_table(census.sample(4000, random_state=0), "income")
    generator = ARFGenerator(num_trees=20, seed=0, threads=1)
    wrapped = TableWrapper(generator, spike_min_share=0.3, seed=0)
    report = wrapped.fit(table, schema.names("categorical")).report
    return table, generator, wrapped, report


def test_the_forest_trains_until_it_cannot_tell_its_draws_from_real_rows(fitted):
    _, _, _, report = fitted
    assert 1 <= report["arf_rounds"] <= 11 and report["arf_oob_accuracy"] <= 0.6


def test_it_draws_new_rows_with_real_categories_in_the_observed_ranges(fitted):
    table, _, wrapped, _ = fitted
    synthetic = wrapped.sample(4000, seed=1)
    assert list(synthetic.columns) == list(table.columns)
    assert copy_mask(synthetic, table).mean() < 0.01
    for column in ("age", "fnlwgt", "hours_per_week"):
        assert synthetic[column].between(table[column].min(), table[column].max()).all(), column
        assert synthetic[column].isin(set(table[column])).mean() < 1.0  # new numbers, not only donors
    assert set(synthetic["workclass"].dropna()) <= set(table["workclass"].dropna())
    # the leaves keep what predicts income: married rows are richer, as in the real ones
    married = synthetic["marital_status"] == "Married-civ-spouse"
    rich = synthetic["income"] == ">50K"
    assert rich[married].mean() > 2 * rich[~married].mean()


def test_each_drawn_number_lies_in_its_leaf_s_bounds(fitted):
    _, generator, _, _ = fitted
    rng = np.random.default_rng(3)
    drawn = generator._draw_from_leaves(2000, rng, numeric_from_leaf=True)
    numeric = np.flatnonzero(~generator._discrete)
    low, high = generator._data.min(axis=0)[numeric], generator._data.max(axis=0)[numeric]
    assert ((drawn[:, numeric] >= low - 1e-6) & (drawn[:, numeric] <= high + 1e-6)).all()


def test_same_seed_same_rows(fitted):
    _, _, wrapped, _ = fitted
    pd.testing.assert_frame_equal(wrapped.sample(300, seed=5), wrapped.sample(300, seed=5))
