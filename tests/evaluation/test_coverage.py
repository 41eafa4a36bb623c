"""Alpha-precision, beta-recall and authenticity on real census rows, where each answer is known: a copy,
real rows the generator never saw, columns shuffled apart, and a collapsed mode."""

import numpy as np
import pytest

from synthproof.evaluation.coverage import CoverageTest
from tests.conftest import disjoint_census, schema_of


@pytest.fixture(scope="module")
def parts(census):
    return disjoint_census(census, (4000, 4000), seed=5)


def scored(parts, other):
    (train, _), categorical, numeric = parts
    return CoverageTest(max_rows=None, seed=0).run(schema_of("income", categorical, numeric), train, other)


def test_a_copy_is_precise_and_covers_all_but_is_never_authentic(parts):
    (train, _), _, _ = parts
    copy = scored(parts, train)
    assert copy.alpha_precision > 0.95 and copy.beta_recall > 0.95 and copy.authenticity == 0.0


def test_unseen_real_rows_score_high_and_are_authentic_about_half_the_time(parts):
    (_, unseen), _, _ = parts
    real = scored(parts, unseen)
    assert real.alpha_precision > 0.9 and real.beta_recall > 0.3
    low, high = real.intervals["authenticity"]
    assert 0.3 < low < high < 0.8


def test_a_collapsed_mode_is_precise_but_covers_little(parts):
    (_, unseen), _, _ = parts
    # every row from the commonest kind of person: real rows, but one narrow corner of the table
    mode = unseen[(unseen["sex"] == "Male") & (unseen["race"] == "White") & (unseen["marital_status"] ==
                  "Married-civ-spouse")]  # fmt: skip
    collapsed = mode.sample(4000, replace=True, random_state=0)
    narrow, real = scored(parts, collapsed), scored(parts, unseen)
    assert narrow.beta_recall < real.beta_recall - 0.2
    assert narrow.intervals["beta_recall"][1] < real.intervals["beta_recall"][0]


def test_columns_shuffled_apart_cover_few_real_rows_and_the_ball_barely_sees_it(parts):
    """Independent columns leave every row's distance to the centre as it was (a sum over the columns), so
    the ball-based precision barely moves; the real rows that find a synthetic row near them fall from half
    to a tenth (recall), and nearly every row is then 'authentic'."""
    (_, unseen), _, _ = parts
    rng = np.random.default_rng(0)
    shuffled = unseen.apply(lambda column: column.to_numpy()[rng.permutation(len(column))])
    broad, real = scored(parts, shuffled), scored(parts, unseen)
    assert broad.alpha_precision < real.alpha_precision and broad.alpha_precision > 0.9
    assert broad.intervals["beta_recall"][1] < 0.2 < 0.4 < real.intervals["beta_recall"][0]
    assert broad.intervals["authenticity"][0] > real.intervals["authenticity"][1]


def test_each_interval_holds_its_figure(parts):
    (train, unseen), _, _ = parts
    for table in (train, unseen):
        result = scored(parts, table)
        for name in ("alpha_precision", "beta_recall", "authenticity"):
            low, high = result.intervals[name]
            assert low <= getattr(result, name) <= high, (name, result)
