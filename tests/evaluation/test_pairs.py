"""Category pairs never seen together in real rows, on real census rows."""

import numpy as np

from synthproof.evaluation.pairs import unseen_pairs
from tests.conftest import disjoint_census


def test_a_broken_pair_is_found_named_and_counted_beside_the_holdout_s_own(census):
    (train, holdout, other), categorical, _ = disjoint_census(census, (20000, 5000, 5000), seed=4)
    # a fake that keeps every column's values but draws sex independently of relationship
    fake = other.copy()
    fake["sex"] = np.random.default_rng(0).permutation(fake["sex"].to_numpy())
    reference = unseen_pairs(train, holdout, categorical)
    broken = unseen_pairs(train, fake, categorical)
    assert reference.share < 0.05  # rare real combinations, unseen in 20,000 training rows
    assert broken.share > reference.share + 0.05
    # "Husband, Female" never occurs in real rows ("Wife, Male" does, in 0.008% of them): the top pair
    top = broken.pairs.iloc[0]
    assert (top.column_a, top.value_a, top.column_b, top.value_b) == (
        "relationship",
        "Husband",
        "sex",
        "Female",
    )
    assert top.rows > 0.3 * (fake["relationship"] == "Husband").sum()
    assert broken.count == int(broken.flagged.sum()) and broken.pairs["rows"].is_monotonic_decreasing
    # the training rows themselves carry no pair they do not hold
    assert unseen_pairs(train, train, categorical).count == 0


def test_a_number_tied_to_a_category_is_binned_its_spike_apart(census):
    # issue 44's audit: bank marketing's poutcome shuffled alone (pdays is -1, "never contacted", for 82% of
    # rows, and poutcome then "unknown") passed Realistic?: category pairs alone cannot see a number's tie
    (train, holdout, other), categorical, numeric = disjoint_census(census, (20000, 5000, 5000), seed=4)
    fake = other.copy()
    fake["capital_gain"] = np.where(other["capital_gain"] > 0, 0, 7688)  # the spike at 0 turned over
    plain = unseen_pairs(train, fake, categorical, numeric)
    assert plain.share > unseen_pairs(train, holdout, categorical, numeric).share + 0.05
    # the spike at 0 is a bin of its own, so 7,688 falls in a quantile bin of the gains alone, and that bin
    # never meets the never-married in real rows: the top pair, named as the user would read it
    top = plain.pairs.iloc[0]
    assert (top.column_a, top.value_a, top.column_b) == ("marital_status", "Never-married", "capital_gain")
    assert top.value_b.startswith("[7688, ")
    assert unseen_pairs(train, train, categorical, numeric).count == 0
    # a number moved within its bin is no new pair
    nudged = holdout.assign(age=holdout["age"] + 0.0)
    assert (
        unseen_pairs(train, nudged, categorical, numeric).count
        == unseen_pairs(train, holdout, categorical, numeric).count
    )
