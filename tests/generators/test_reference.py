"""The reference generators on real census rows: ``independent`` and ``resample``."""

import numpy as np
import pytest

from synthproof.generators import IndependentGenerator, ResampleGenerator, TableWrapper
from synthproof.rows import copy_mask
from tests.conftest import disjoint_census


@pytest.fixture(scope="module")
def real(census):
    (rows,), categorical, _ = disjoint_census(census, (5000,), seed=3)
    return rows, categorical


def test_independent_keeps_marginals_and_breaks_a_known_correlation(real):
    rows, categorical = real
    generator = TableWrapper(IndependentGenerator(seed=0))
    generator.fit(rows, categorical)
    synthetic = generator.sample(20000, seed=1)
    assert abs(rows["age"].mean() - synthetic["age"].mean()) < 0.5
    shares = rows["education"].value_counts(normalize=True)
    fake_shares = synthetic["education"].value_counts(normalize=True).reindex(shares.index, fill_value=0)
    assert (shares - fake_shares).abs().max() < 0.01

    # Married people earn more in the real table; drawn alone, the columns no longer know it.
    def rich_share_gap(frame):
        married = frame["marital_status"] == "Married-civ-spouse"
        rich = frame["income"] == ">50K"
        return rich[married].mean() - rich[~married].mean()

    assert rich_share_gap(rows) > 0.3
    assert abs(rich_share_gap(synthetic)) < 0.03
    assert abs(np.corrcoef(synthetic["age"], synthetic["hours_per_week"])[0, 1]) < 0.03


def test_resample_rows_are_all_training_rows(real):
    rows, categorical = real
    generator = TableWrapper(ResampleGenerator(seed=0), spike_min_share=0.3, derive_linked_columns=True)
    generator.fit(rows, categorical)
    synthetic = generator.sample(3000, seed=1)
    assert copy_mask(synthetic, rows).all()
    assert synthetic.duplicated().mean() < 0.5  # drawn across the table, not one row repeated
