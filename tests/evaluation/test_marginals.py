"""Accuracy over binned marginals (mostlyai-qa's), where the answers are known: a copy scores 1, a shuffle
keeps every column's shares but loses pairs, and a third column that is the exclusive-or of two others is
seen by triples alone."""

import numpy as np
import pandas as pd
import pytest

from synthproof.evaluation.marginals import MarginalAccuracyTest, _numeric_breaks
from tests.conftest import disjoint_census


@pytest.fixture(scope="module")
def parts(census):
    return disjoint_census(census, (6000, 6000), seed=7)


def scored(real, other, numeric):
    return MarginalAccuracyTest(rounds=30, seed=0).run(real, other, numeric)


def test_a_copy_scores_one_and_unseen_real_rows_nearly(parts):
    (train, unseen), _, numeric = parts
    copy = scored(train, train, numeric)
    assert copy.figures == {"accuracy": 1.0, "accuracy_univariate": 1.0, "accuracy_bivariate": 1.0,
                            "accuracy_trivariate": 1.0}  # fmt: skip
    real = scored(train, unseen, numeric)
    assert 0.9 < real.figures["accuracy_trivariate"] < real.figures["accuracy_univariate"] < 1.0
    assert real.column_sets == {"univariate": 15, "bivariate": 105, "trivariate": 455}
    low, high = real.intervals["accuracy"]
    assert low < real.figures["accuracy"] < high and high - low < 0.02


def test_a_shuffle_keeps_each_column_s_shares_and_loses_its_pairs(parts):
    (train, unseen), _, numeric = parts
    rng = np.random.default_rng(0)
    shuffled = unseen.apply(lambda column: column.to_numpy()[rng.permutation(len(column))])
    broken, real = scored(train, shuffled, numeric), scored(train, unseen, numeric)
    assert broken.figures["accuracy_univariate"] == real.figures["accuracy_univariate"]
    assert broken.intervals["accuracy_bivariate"][1] < real.intervals["accuracy_bivariate"][0]


def test_a_column_that_is_the_exclusive_or_of_two_others_shows_in_triples_alone():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 2, 20_000), rng.integers(0, 2, 20_000)
    real = pd.DataFrame({"a": a, "b": b, "c": a ^ b}).astype(str)
    independent = pd.DataFrame({name: rng.integers(0, 2, 20_000) for name in "abc"}).astype(str)
    found = scored(real, independent, [])
    assert found.figures["accuracy_univariate"] > 0.99 and found.figures["accuracy_bivariate"] > 0.98
    # real rows fill 4 of the 8 cells (a quarter each), independent ones all 8: half the mass is misplaced
    assert abs(found.figures["accuracy_trivariate"] - 0.5) < 0.02


def test_numbers_are_binned_as_mostlyai_qa_bins_them():
    assert list(_numeric_breaks(np.array([1.0, 2.0, 2.0, 5.0]), 10)) == [1.0, 2.0, 5.0, 6.0]  # each value
    breaks = _numeric_breaks(np.arange(1000, dtype=float), 10)
    assert len(breaks) == 11 and breaks[0] == 0 and breaks[-1] == 999
    assert np.allclose(_numeric_breaks(np.array([0.123, 0.456, 0.789]), 10), [0.1, 0.4, 0.7, 1.789])


def test_the_other_table_is_scored_at_the_reference_s_size(parts):
    """Fewer rows score lower by their noise alone: unseen real rows at 1,500 rows score below themselves
    at 6,000, and other_rows is a seeded sample of that size."""
    (train, unseen), _, numeric = parts
    test = MarginalAccuracyTest(rounds=10, seed=0)
    small = test.run(train, unseen, numeric, other_rows=1500)
    assert small.figures == test.run(train, unseen.sample(n=1500, random_state=0), numeric).figures
    whole = test.run(train, unseen, numeric)
    assert small.figures["accuracy_trivariate"] < whole.figures["accuracy_trivariate"]
