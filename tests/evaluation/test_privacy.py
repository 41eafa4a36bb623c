"""Distances to the closest record on real census rows."""

import numpy as np
import pandas as pd
import pytest

from synthproof.evaluation import privacy as privacy_module
from synthproof.evaluation.privacy import (
    HoldoutPrivacy,
    MixedEmbedding,
    closest_distances,
    dcr_histogram,
    holdout_reference,
    privacy,
)
from synthproof.io import write_parquet
from tests.conftest import disjoint_census


@pytest.fixture(scope="module")
def parts(census):
    """Three disjoint samples of real census rows and the column kinds."""
    return disjoint_census(census, (8000, 2000, 4000), seed=1)


def test_a_real_sample_is_as_close_to_holdout_as_to_training(parts):
    (train, holdout, other), categorical, numeric = parts
    result = privacy(train, holdout, other, categorical, numeric, seed=0)
    # 4,000 rows: a fair coin gives 0.5 with a standard error of 0.008
    assert abs(result.dcr_share - 0.5) < 0.04
    # against the raw sets, the training part (4x the holdout) is closest about 80% of the time
    assert abs(result.dcr_share_raw - 0.8) < 0.04
    assert result.exact_copy_share < 0.01
    assert result.metrics()["holdout_dcr_median_train"] > 0


def test_copies_of_training_rows_are_flagged(parts):
    (train, holdout, _), categorical, numeric = parts
    copies = train.sample(3000, random_state=0)
    result = privacy(train, holdout, copies, categorical, numeric, seed=0)
    assert result.exact_copy_share == 1.0
    assert result.dcr_share > 0.99  # a copy sits on its training row (a real duplicate in the holdout ties)
    assert result.dcr_share_raw > 0.99
    assert result.metrics()["dcr_median_train"] == 0.0
    assert result.nndr_median == 0.0


@pytest.mark.parametrize("many_values", [False, True])
def test_the_distance_counts_a_category_mismatch_as_one(monkeypatch, many_values):
    # the same distances whether the categorical is one-hot encoded or compared by code
    monkeypatch.setattr(privacy_module, "ONE_HOT_MAX", 2 if many_values else 64)
    train = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0], "c": list("aabbc")})
    embedding = MixedEmbedding(train, ["c"], ["x"])
    assert embedding.coded == (["c"] if many_values else [])
    points = embedding.transform(pd.DataFrame({"x": [0.0, 0.0, np.nan, 0.0], "c": ["a", "b", "a", "z"]}))
    distances = closest_distances(points, points, 4)
    assert distances[0].tolist() == pytest.approx([0.0, 1.0, 1.0, np.sqrt(2.0)])
    # x is scaled by its interquartile range (2): 0 and the median 2 are 1 apart; missing adds 1 more
    assert distances[2].tolist() == pytest.approx([0.0, np.sqrt(2.0), np.sqrt(3.0), np.sqrt(3.0)])


def test_the_search_finds_the_nearest_rows_exactly(parts, monkeypatch):
    """Blocked brute force with codes for the many-valued categoricals against a plain full scan."""
    monkeypatch.setattr(privacy_module, "ONE_HOT_MAX", 8)  # occupation, education... compared by code
    monkeypatch.setattr(privacy_module, "BLOCK_CELLS", 50_000)  # many blocks
    (train, holdout, _), categorical, numeric = parts
    embedding = MixedEmbedding(train, categorical, numeric)
    assert len(embedding.coded) >= 3
    queries, reference = embedding.transform(holdout.iloc[:300]), embedding.transform(train.iloc[:3000])
    found = closest_distances(queries, reference, 2)
    squared = ((queries.dense[:, None, :] - reference.dense[None, :, :]) ** 2).sum(axis=2)
    squared += (queries.codes[:, None, :] != reference.codes[None, :, :]).sum(axis=2)
    expected = np.sort(np.sqrt(squared), axis=1)[:, :2]
    np.testing.assert_allclose(found, expected, rtol=1e-12, atol=1e-12)
    copies = closest_distances(reference, reference, 1)
    assert (copies == 0).all()  # every row finds itself at exactly 0


def test_dcr_histogram_shares_sum_to_one(parts):
    (train, holdout, other), categorical, numeric = parts
    table = dcr_histogram(privacy(train, holdout, other, categorical, numeric, seed=0))
    assert table["synthetic"].sum() == pytest.approx(1.0, abs=1e-3)
    assert table["holdout"].sum() == pytest.approx(1.0, abs=1e-3)


def test_copies_are_counted_over_every_row_above_the_search_cap(census):
    """With more rows than fidelity.privacy_max_rows, a seeded sample of the training rows used to be the
    reference: a generator that re-draws training rows scored about half its true copy share."""
    (train, holdout, _), categorical, numeric = disjoint_census(census, (4000, 1000, 10), seed=3)
    redrawn = train.sample(4000, replace=True, random_state=0)  # every row a training row
    result = privacy(train, holdout, redrawn, categorical, numeric, seed=0, max_rows=1000)
    assert result.exact_copy_share == 1.0 and result.copies == 4000
    metrics = result.metrics()
    assert metrics["exact_copy_share_low"] > 0.99 and metrics["exact_copy_share_high"] == 1.0
    # census has real duplicates: the holdout's own share is the reference, with its interval
    assert 0 <= metrics["holdout_exact_copy_share_low"] <= result.holdout_exact_copy_share
    assert metrics["exact_copy_share_above_holdout_low"] > 0.9
    assert metrics["dcr_share_low"] <= metrics["dcr_share"] <= metrics["dcr_share_high"]


@pytest.mark.parametrize("max_rows", [None, 1000])
def test_the_holdout_reference_read_back_from_its_file_gives_the_same_metrics(parts, tmp_path, max_rows):
    (train, holdout, other), categorical, numeric = parts
    reference = holdout_reference(train, holdout, categorical, numeric, seed=0, max_rows=max_rows)
    write_parquet(reference.to_frame(), tmp_path / "privacy.parquet")
    read_back = HoldoutPrivacy.from_frame(pd.read_parquet(tmp_path / "privacy.parquet"))
    cached = privacy(
        train, holdout, other, categorical, numeric, seed=0, max_rows=max_rows, reference=read_back
    )
    fresh = privacy(train, holdout, other, categorical, numeric, seed=0, max_rows=max_rows)
    assert cached.metrics() == fresh.metrics()
    assert np.array_equal(dcr_histogram(cached), dcr_histogram(fresh))


def test_a_block_of_ties_falls_back_to_float64_with_the_same_distances(monkeypatch):
    """Rows tied by the hundred leave too many float32 candidates: the block is searched in float64."""
    calls = []
    original = privacy_module._BlockSearch._k_smallest

    def counted(self, order):
        calls.append(order.dtype)
        return original(self, order)

    monkeypatch.setattr(privacy_module._BlockSearch, "_k_smallest", counted)
    rng = np.random.default_rng(0)
    train = pd.DataFrame({"x": np.r_[np.zeros(500), rng.normal(size=20)], "c": ["a"] * 510 + ["b"] * 10})
    embedding = MixedEmbedding(train, ["c"], ["x"])
    queries = embedding.transform(pd.DataFrame({"x": [0.0, 0.5, 3.0], "c": ["a", "a", "b"]}))
    found = closest_distances(queries, embedding.transform(train), 2)
    assert np.float64 in calls  # the fallback ran
    points = embedding.transform(train)
    squared = ((queries.dense[:, None, :] - points.dense[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_allclose(found, np.sort(np.sqrt(squared), axis=1)[:, :2], rtol=1e-12, atol=1e-12)
    assert found[0].tolist() == [0.0, 0.0]
