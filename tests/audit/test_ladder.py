"""The ladder's rungs, each built on a small table and checked for the property that defines it."""

import numpy as np
import pandas as pd
import pytest

from synthproof.audit.ladder import Rung, build_rung, most_tied_column, three_way_split
from synthproof.errors import SynthproofError
from synthproof.rows import copy_mask


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 3000
    size = rng.integers(1, 500, n)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": rng.lognormal(10, 1, n).round(2),
            "size": size,
            "size_band": np.where(size > 250, "large", "small"),  # fixed by size: the tied pair
            "colour": rng.choice(["red", "green", "blue"], n),
            "label": rng.choice(["yes", "no"], n, p=[0.3, 0.7]),
        }
    )


@pytest.fixture(scope="module")
def parts(table):
    return three_way_split(table, "label", 0.2, 0.2, seed=0, task="classification")


def _build(name, parts, seed=1):
    train, _, twin = parts
    return build_rung(Rung.parse(name), train, twin, "label", ["size_band", "colour", "label"],
                      ["age", "income", "size"], seed)  # fmt: skip


def test_the_three_parts_are_disjoint_and_stratified(table, parts):
    train, holdout, twin = parts
    assert (len(train), len(holdout), len(twin)) == (1800, 600, 600)
    keyed = [set(map(tuple, part.to_numpy().tolist())) for part in parts]
    assert not (keyed[0] & keyed[2]) and not (keyed[1] & keyed[2]) and not (keyed[0] & keyed[1])
    for part in parts:
        assert part["label"].eq("yes").mean() == pytest.approx(table["label"].eq("yes").mean(), abs=0.01)


def test_the_ideal_is_the_twin(parts):
    assert _build("ideal", parts).equals(parts[2].reset_index(drop=True))


@pytest.mark.parametrize("percent", [0.5, 2, 10, 100])
def test_copies_replace_that_share_of_the_twin_with_training_rows(parts, percent):
    train, _, twin = parts
    rung = _build(f"copies_{percent:g}", parts)
    assert len(rung) == len(twin)
    copied = copy_mask(rung, train).sum()
    assert copied == max(1, round(percent / 100 * len(twin)))
    assert copy_mask(rung, twin).sum() == len(twin) - copied  # the rest stay the twin's rows


def test_near_copies_sit_beside_training_rows_but_copy_none(parts):
    train, _, twin = parts
    rung = _build("near_copies_10", parts)
    assert (
        copy_mask(rung, train.astype(rung.dtypes.to_dict())).sum() == 0
    )  # no exact copy: every near copy was changed somewhere
    strangers = rung[~copy_mask(rung, twin.astype(rung.dtypes.to_dict()))]  # whole numbers became floats
    assert len(strangers) == 60
    # each stranger is within 5% of a standard deviation of some training row's age and income
    for _, row in strangers.head(10).iterrows():
        close = (np.abs(train["age"] - row["age"]) < 0.05 * train["age"].std()) & (
            np.abs(train["income"] - row["income"]) < 0.05 * train["income"].std()
        )
        assert close.any()


def test_a_permuted_target_keeps_the_columns_and_the_class_shares(parts):
    twin = parts[2].reset_index(drop=True)
    rung = _build("permuted_target", parts)
    assert rung.drop(columns="label").equals(twin.drop(columns="label"))
    assert sorted(rung["label"]) == sorted(twin["label"])
    assert (rung["label"] != twin["label"]).mean() > 0.3


def test_shuffled_columns_keep_each_marginal_and_lose_the_tie(parts):
    twin = parts[2].reset_index(drop=True)
    rung = _build("shuffled", parts)
    for name in twin.columns:
        assert sorted(rung[name]) == sorted(twin[name])
    assert ((rung["size"] > 250) == (rung["size_band"] == "large")).mean() < 0.7


def test_a_broken_pair_shuffles_the_most_tied_column_alone(parts):
    train, _, twin = parts
    assert most_tied_column(train, "label", ["size_band", "colour", "label"]) == "size_band"
    rung = _build("broken_pair", parts)
    twin = twin.reset_index(drop=True)
    assert rung.drop(columns="size_band").equals(twin.drop(columns="size_band"))
    assert ((rung["size"] > 250) == (rung["size_band"] == "large")).mean() < 0.7


def test_a_broken_pair_is_a_tie_many_rows_hold(table):
    # the audit's digits: pixel_3_7 (717 zeros, 2 ones) "tied" to its neighbour by those 2 rows was
    # shuffled, which changed nothing a judge could see; cars: Cylinders "tied" to Name, a near-key
    rng = np.random.default_rng(1)
    n = len(table)
    rare = np.zeros(n, dtype=int)
    rare[:2] = 1
    wider = table.assign(
        rare_a=rare, rare_b=rare.copy(), name=[f"car {i}" for i in rng.permutation(n)]
    )  # a perfect tie held by 2 rows, and a key
    assert most_tied_column(wider, "label", ["size_band", "colour", "label", "name"]) == "size_band"
    loose = table.drop(columns=["size_band"])
    with pytest.raises(SynthproofError, match="no pair of columns tied"):
        most_tied_column(loose, "label", ["colour", "label"])


def test_rung_names_round_trip_and_bad_ones_are_refused():
    for name in ["ideal", "copies_0.5", "near_copies_100", "permuted_target", "shuffled", "broken_pair"]:
        assert Rung.parse(name).name == name
    assert Rung.parse("near_copies_5").must_fail == "private"
    assert Rung.parse("ideal").must_fail is None
    with pytest.raises(SynthproofError, match="not a rung"):
        Rung.parse("leaky")
    with pytest.raises(SynthproofError, match="needs a share"):
        Rung.parse("copies")
    with pytest.raises(SynthproofError, match="share"):
        Rung("copies", 1.5)
