"""Distances to the closest record on real census rows."""

import numpy as np
import pandas as pd
import pytest

from synthproof.evaluation import privacy as privacy_module
from synthproof.evaluation.privacy import (
    DistanceTest,
    HoldoutPrivacy,
    MixedEmbedding,
    closest_distances,
    closest_rows,
    dcr_histogram,
)
from synthproof.io import write_parquet
from tests.conftest import disjoint_census, schema_of


def privacy(train, holdout, synthetic, categorical, numeric, reference=None, **settings):
    """The distance test on census parts, every row searched unless ``max_rows`` says otherwise."""
    test = DistanceTest(**{"max_rows": None, **settings})
    return test.run(schema_of("income", categorical, numeric), train, holdout, synthetic, reference)


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
    # the rows too (coverage's sources): the first of those at the nearest distance, as a full scan finds it
    distances, rows = closest_rows(queries, reference, 1)
    np.testing.assert_array_equal(rows[:, 0], np.argmin(np.round(squared, 9), axis=1))
    np.testing.assert_allclose(distances, expected[:, :1], rtol=1e-12, atol=1e-12)
    _, itself = closest_rows(reference, reference, 1)
    first_equal = [int(np.flatnonzero((reference.dense == reference.dense[i]).all(axis=1)
                                      & (reference.codes == reference.codes[i]).all(axis=1))[0])
                   for i in range(len(reference))]  # fmt: skip
    np.testing.assert_array_equal(itself[:, 0], first_equal)  # a duplicate row finds the first copy


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
    test, schema = DistanceTest(max_rows=max_rows, seed=0), schema_of("income", categorical, numeric)
    reference = test.reference(schema, train, holdout)
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


@pytest.mark.parametrize("leak", ["near_copies_5", "copies_2", "near_copies_100"])
def test_near_copies_of_training_rows_fail_the_gate(census, leak):
    # issue 44: census split three ways; real rows neither side saw with 5% of them replaced by training
    # rows nudged by 1% of a standard deviation (no exact copy) passed every privacy line of the gate
    from synthproof.audit.ladder import Rung, build_rung, three_way_split
    from synthproof.checks import FAIL, PASS, evaluate
    from synthproof.config import GateParams
    from synthproof.schema import prepare_table

    table, schema, _ = prepare_table(census.sample(30000, random_state=3), "income")
    categorical, numeric = schema.names("categorical"), schema.names("numeric")
    train, holdout, twin = three_way_split(table, "income", 0.25, 0.25, 0, schema.task)

    def verdict(rung: str) -> str:
        synthetic = build_rung(Rung.parse(rung), train, twin, "income", categorical, numeric, seed=1)
        result = privacy(train, holdout, synthetic, categorical, numeric, seed=0)
        gate = GateParams(max_dcr_share=None)  # the two copy lines alone: exact copies, and near ones
        outcomes = [
            o.verdict for o in evaluate(gate, {"privacy": result.metrics()}) if "copy" in o.check.metric
        ]
        assert len(outcomes) == 2
        return FAIL if FAIL in outcomes else PASS if set(outcomes) == {PASS} else outcomes

    assert verdict(leak) == FAIL
    assert verdict("ideal") == PASS


def test_the_near_copy_share_counts_rows_closer_than_the_holdouts_closest(parts):
    (train, holdout, other), categorical, numeric = parts
    nudged = train.sample(2000, random_state=0).reset_index(drop=True)
    nudged["age"] = nudged["age"] + 0.01
    mixed = pd.concat([other.iloc[:2000], nudged], ignore_index=True)
    metrics = privacy(train, holdout, mixed, categorical, numeric, seed=0, near_quantile=0.01).metrics()
    # half the rows sit 0.01 / IQR(age) from their source: all of them nearer than the holdout's closest 1%
    assert metrics["real_near_copy_share"] == pytest.approx(0.01, abs=0.002)  # the quantile's own share
    assert metrics["holdout_near_copy_share"] == pytest.approx(0.01, abs=0.005)
    assert metrics["near_copy_share"] == pytest.approx(0.505, abs=0.01)
    assert metrics["near_copy_share_above_holdout"] == pytest.approx(0.495, abs=0.01)
    assert metrics["near_copy_share_above_holdout_low"] > 0.45


def test_near_copies_are_found_on_a_table_whose_real_rows_repeat(census):
    # the audit's randhie cells: a panel where 55% of the holdout's rows equal a training row put the
    # holdout's 1% quantile of distance at 0, and 5% near-copies read as no near-copy at all
    (people, _, _), categorical, numeric = disjoint_census(census, (6000, 10, 10), seed=4)
    panel = pd.concat([people, people], ignore_index=True).sample(frac=1.0, random_state=0)  # two years each
    train, holdout, unseen = panel.iloc[:6000], panel.iloc[6000:8000], panel.iloc[8000:11800]
    nudged = train.sample(200, random_state=0).reset_index(drop=True)
    nudged["age"] = nudged["age"] + 0.01
    synthetic = pd.concat([unseen, nudged], ignore_index=True)  # real rows, and 5% near-copies
    metrics = privacy(train, holdout, synthetic, categorical, numeric, seed=0, near_quantile=0.01).metrics()
    # real rows repeat training rows about half the time, whichever part they are in
    assert metrics["holdout_exact_copy_share"] == pytest.approx(0.5, abs=0.04)
    assert metrics["real_exact_copy_share"] == pytest.approx(0.5, abs=0.03)
    assert metrics["exact_copy_share_above_holdout_low"] < 0 < metrics["exact_copy_share_above_holdout_high"]
    # exact copies are the exact-copy line's: the near-copy line counts the rows near, not on, a training row
    assert metrics["real_near_copy_share"] == pytest.approx(0.005, abs=0.003)
    assert metrics["near_copy_share_above_holdout"] == pytest.approx(0.05, abs=0.01)
    assert metrics["near_copy_share_above_holdout_low"] > 0.03


def test_a_table_of_holdout_rows_is_closer_to_the_holdout_than_real_rows_can_be(parts):
    # issue 44's ceiling line: the holdout's rows reached the table (min_dcr_share)
    from synthproof.checks import FAIL, evaluate
    from synthproof.config import GateParams

    (train, holdout, _), categorical, numeric = parts
    result = privacy(train, holdout, holdout.sample(1500, random_state=0), categorical, numeric, seed=0)
    assert result.dcr_share_interval[1] < 0.1
    outcomes = evaluate(GateParams(), {"privacy": result.metrics()})
    (outcome,) = [o for o in outcomes if o.check.threshold == "min_dcr_share"]
    assert outcome.verdict == FAIL


@pytest.mark.parametrize("one_hot_max", [64, 2])  # the column one-hot, then compared by code
def test_values_no_training_row_holds_differ_from_each_other(monkeypatch, one_hot_max):
    # the audit's airports: every city the training part lacks was one value, so the twin's rows sat
    # nearer the holdout's than real rows do (DCR share 0.08) and failed the ceiling line
    monkeypatch.setattr(privacy_module, "ONE_HOT_MAX", one_hot_max)
    train = pd.DataFrame({"city": ["a", "b", "c", "a"], "x": [0.0, 1.0, 2.0, 3.0]})
    embedding = MixedEmbedding(train, ["city"], ["x"])
    assert embedding.one_hot == (["city"] if one_hot_max == 64 else [])
    rows = pd.DataFrame({"city": ["u", "v", "u", "a"], "x": [1.0, 1.0, 1.0, 1.0]})
    first, second = embedding.transform(rows.iloc[:2]), embedding.transform(rows.iloc[2:])  # apart
    distances = closest_distances(first, second, 2)
    np.testing.assert_allclose(distances[0], [0.0, 1.0])  # u: itself, then the known a
    np.testing.assert_allclose(distances[1], [1.0, 1.0])  # v: neither u nor a
    np.testing.assert_allclose(closest_distances(first, embedding.transform(train), 1)[:, 0], [1.0, 1.0])


def test_real_rows_with_many_rare_categories_are_as_close_to_holdout_as_to_training():
    rng = np.random.default_rng(0)
    n = 6000
    table = pd.DataFrame(
        {
            "city": [f"city {i}" for i in rng.integers(0, 4000, n)],  # most cities in one part only
            "state": rng.choice(list("ABCDEFGHIJ"), n),
            "x": rng.normal(size=n),
        }
    )
    train, holdout, twin = table.iloc[:2400], table.iloc[2400:3600], table.iloc[3600:]
    result = privacy(train, holdout, twin, ["city", "state"], ["x"], seed=0)
    assert result.dcr_share_interval[0] < 0.5 < result.dcr_share_interval[1]


def test_the_real_rows_own_share_pools_the_training_part_and_decides_a_one_percent_copy(parts):
    # issue 44's audit: the copy lines were undecided on 87% of real-row tables, their reference being
    # the holdout's share alone (2,000 rows: an interval of +-0.5% around no copy at all)
    (train, holdout, other), categorical, numeric = parts
    copied = pd.concat([other.iloc[:3960], train.iloc[:40]], ignore_index=True)  # 1% training rows
    metrics = privacy(train, holdout, copied, categorical, numeric, seed=0).metrics()
    real = metrics["real_exact_copy_share_high"] - metrics["real_exact_copy_share_low"]
    holdout_only = metrics["holdout_exact_copy_share_high"] - metrics["holdout_exact_copy_share_low"]
    assert real < holdout_only / 2
    assert metrics["exact_copy_share_above_holdout_low"] > 0.005  # a 1% copy fails a 0.5% line
    fresh = privacy(train, holdout, other, categorical, numeric, seed=0).metrics()
    assert fresh["exact_copy_share_above_holdout_high"] < 0.005  # and unseen real rows pass it
