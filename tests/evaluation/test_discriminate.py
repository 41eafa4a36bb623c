"""The discriminator on real census rows, where the right answer is known."""

import numpy as np
import pandas as pd
import pytest

from synthproof.errors import SynthproofError
from synthproof.evaluation.discriminate import (
    DISCRIMINATORS,
    FAKE,
    LABEL,
    PROBABILITY,
    discriminate,
    extreme_records,
    fake_or_real,
    probability_histogram,
)
from tests.conftest import disjoint_census


@pytest.fixture(scope="module")
def census_parts(census):
    """Three disjoint samples of real census rows and the column kinds."""
    return disjoint_census(census, (12000, 12000, 3000), seed=0)


def test_two_real_samples_cannot_be_told_apart(census_parts):
    (real, other, _), categorical, numeric = census_parts
    result = discriminate(real, other, categorical, numeric, seed=0)
    # 4,800 holdout rows: the AUC of a blind scorer has a standard error of about 0.008 here, and a
    # model that learns noise on the fit rows only does worse on the holdout, not better: 0.5 + 0.04
    # is five standard errors.
    assert abs(result.auc - 0.5) < 0.04
    assert abs(result.accuracy - 0.5) < 0.04
    assert result.rows == {"real": 12000, "fake": 12000, "holdout": 4800}


def test_one_shuffled_column_is_found_and_named(census_parts):
    (real, other, _), categorical, numeric = census_parts
    fake = other.copy()
    # break the link between age and everything else, keeping age's own distribution
    fake["age"] = fake["age"].sample(frac=1.0, random_state=1).to_numpy()
    result = discriminate(real, fake, categorical, numeric, seed=0)
    assert result.auc > 0.6
    assert max(result.importance, key=result.importance.get) == "age"
    assert sum(result.importance.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("model", sorted(DISCRIMINATORS))
def test_every_discriminator_sees_an_obvious_fake(census_parts, model):
    (real, other, _), categorical, numeric = census_parts
    fake = other.copy()
    fake["age"] = fake["age"] + 40  # most fake ages are older than any real one
    result = discriminate(real, fake, categorical, numeric, model=model, seed=0)
    assert result.auc > 0.9
    assert max(result.importance, key=result.importance.get) == "age"


def test_unbalanced_tables_are_balanced_unless_asked(census_parts):
    (real, _, small), categorical, numeric = census_parts
    balanced = discriminate(real, small, categorical, numeric, seed=0)
    assert balanced.rows["real"] == balanced.rows["fake"] == 3000
    raw = discriminate(real, small, categorical, numeric, seed=0, balance=False)
    assert raw.rows["real"] == 12000


def test_an_unknown_model_is_a_clear_error(census_parts):
    (real, other, _), categorical, numeric = census_parts
    with pytest.raises(SynthproofError, match="discriminate.model 'svm' is not known"):
        discriminate(real, other, categorical, numeric, model="svm")


def test_records_and_histogram():
    scored = pd.DataFrame(
        {
            LABEL: ["REAL", "FAKE", "FAKE", "REAL"],
            PROBABILITY: [0.1, 0.95, 0.6, 0.3],
            "x": [1, 2, 3, 4],
        }
    )
    most_fake, most_real = extreme_records(scored, 2)
    assert most_fake["x"].tolist() == [2, 3] and most_real["x"].tolist() == [1, 4]
    histogram = probability_histogram(scored, bins=10)
    assert histogram["real"].sum() == 2 and histogram["fake"].sum() == 2
    assert histogram.loc[9, "fake"] == 1


def test_fake_or_real_finds_a_broken_education_mapping(census_parts):
    (real, holdout, other), categorical, numeric = census_parts
    fake = other.copy()
    broken = np.random.default_rng(0).random(len(fake)) < 0.3
    fake.loc[broken, "education_num"] = (
        fake.loc[broken, "education_num"].sample(frac=1.0, random_state=2).to_numpy()
    )
    result = fake_or_real(real, holdout, fake, categorical, numeric, seed=0, n_examples=50)
    link = result.link_broken["education->education_num"]
    assert link["real_consistency"] == 1.0 and link["one_to_one"] is True
    assert link["holdout_broken_share"] == 0.0
    # a shuffled value lands on the right one by chance about 1 time in 4 (HS-grad is a third of rows)
    assert 0.15 < link["synthetic_broken_share"] <= 0.3
    metrics = result.metrics()
    assert metrics["discriminator_auc"] > metrics["floor_auc"]
    assert "education_num" in metrics["top_giveaway_columns"]
    assert len(result.most_fake) == 50 and (result.most_fake[LABEL] == FAKE).mean() > 0.5
    assert set(result.column_auc) == set(categorical) | set(numeric)
