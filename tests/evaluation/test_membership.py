"""Membership inference (DOMIAS's density-ratio attack) on real census rows, where the answer is known: a
table of copies gives its members away, rows nudged off their sources without a single copy still do, and
real rows the generator never saw give nothing away."""

import numpy as np
import pytest

from synthproof.evaluation.membership import MembershipInference
from tests.conftest import disjoint_census, schema_of


@pytest.fixture(scope="module")
def parts(census):
    return disjoint_census(census, (6000, 4000, 6000), seed=3)


def attack(parts, synthetic, k=1):
    (train, holdout, _), categorical, numeric = parts
    schema = schema_of("income", categorical, numeric)
    return MembershipInference(n_targets=2000, k=k, seed=0).run(schema, train, synthetic, holdout).metrics()


def test_copies_of_training_rows_give_their_members_away(parts):
    (train, _, _), _, _ = parts
    found = attack(parts, train.sample(6000, replace=True, random_state=0))
    # resampling keeps about 63% of the training rows: those are found, the rest are as outsiders
    assert found["membership_auc_low"] > 0.75, found
    assert found["membership_targets"] == 4000 and found["membership_reference_rows"] == 2000


def test_rows_nudged_off_their_sources_give_members_away_without_one_copy(parts):
    (train, _, _), _, numeric = parts
    nudged = train.copy()
    rng = np.random.default_rng(0)
    for name in ("age", "hours_per_week", "fnlwgt"):
        nudged[name] = nudged[name] + rng.normal(0, 0.05 * nudged[name].std(), len(nudged))
    assert not (nudged[numeric].to_numpy() == train[numeric].to_numpy()).all(axis=1).any()
    assert attack(parts, nudged)["membership_auc_low"] > 0.9  # 5% of a spread off: each member's nearest
    assert attack(parts, nudged, k=5)["membership_auc_low"] > 0.55  # the fifth neighbour dilutes it


def test_real_rows_the_generator_never_saw_give_nothing_away(parts):
    (_, _, unseen), _, _ = parts
    for k in (1, 5):
        found = attack(parts, unseen, k=k)
        assert found["membership_auc_low"] < 0.5 < found["membership_auc_high"], (k, found)
