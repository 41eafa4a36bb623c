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
    REAL,
    Discrimination,
    Floor,
    discriminate,
    extreme_records,
    probability_histogram,
    real_vs_real_floor,
)
from synthproof.evaluation.fake_or_real import FakeOrRealTest
from synthproof.io import read_json, write_json
from tests.conftest import disjoint_census, schema_of


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
    assert result.rows == {
        "real": 12000, "fake": 12000, "holdout": 4800, "real_available": 12000, "fake_available": 12000
    }  # fmt: skip


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


def test_a_row_budget_labels_a_seeded_sample_of_each_side(census_parts):
    """discriminate.max_rows: each side (balanced or not) is a seeded sample of at most the budget, the
    sample the balance would draw; a budget the tables fit in changes nothing."""
    (real, other, small), categorical, numeric = census_parts
    fake = other.copy()
    fake["age"] = fake["age"].sample(frac=1.0, random_state=1).to_numpy()
    budgeted = discriminate(real, fake, categorical, numeric, seed=0, max_rows=4000)
    assert budgeted.rows == {
        "real": 4000, "fake": 4000, "holdout": 1600, "real_available": 12000, "fake_available": 12000
    }  # fmt: skip
    assert budgeted.auc > 0.6  # the shuffled age is still found on 4,000 rows a side (SE 0.013)
    seeded = real.sample(n=4000, random_state=0), fake.sample(n=4000, random_state=0)
    assert budgeted.auc == discriminate(*seeded, categorical, numeric, seed=0).auc
    unbalanced = discriminate(real, small, categorical, numeric, seed=0, balance=False, max_rows=5000)
    assert (unbalanced.rows["real"], unbalanced.rows["fake"]) == (5000, 3000)
    whole = discriminate(real, fake, categorical, numeric, seed=0)
    fits = discriminate(real, fake, categorical, numeric, seed=0, max_rows=12000)
    assert fits.auc == whole.auc and np.array_equal(fits.probability, whole.probability)


def test_an_unknown_model_is_a_clear_error(census_parts):
    (real, other, _), categorical, numeric = census_parts
    with pytest.raises(SynthproofError, match="discriminate.model 'svm' is not known"):
        discriminate(real, other, categorical, numeric, model="svm")


def scored(rows: pd.DataFrame) -> Discrimination:
    return Discrimination(
        auc=0.75,
        auc_se=0.1,
        accuracy=0.75,
        holdout=rows,
        is_fake=np.array([0, 1, 1, 0]),
        probability=np.array([0.1, 0.95, 0.6, 0.3]),
        importance={},
        rows={},
    )


def test_records_and_histogram():
    most_fake, most_real = extreme_records(scored(pd.DataFrame({"x": [1, 2, 3, 4]})), 2)
    assert most_fake["x"].tolist() == [2, 3] and most_real["x"].tolist() == [1, 4]
    assert list(most_fake.columns) == [LABEL, PROBABILITY, "x"]
    assert most_fake[LABEL].tolist() == [FAKE, FAKE] and most_fake[PROBABILITY].tolist() == [0.95, 0.6]
    histogram = probability_histogram(scored(pd.DataFrame({"x": [1, 2, 3, 4]})), bins=10)
    assert histogram["real"].sum() == 2 and histogram["fake"].sum() == 2
    assert histogram.loc[9, "fake"] == 1


def test_a_table_with_columns_named_like_the_records_own_keeps_them():
    """A target called `label` (the most common name there is) crashed the records: `cannot insert
    label, already exists`."""
    rows = pd.DataFrame({LABEL: ["a", "b", "c", "d"], PROBABILITY: [7, 8, 9, 10], "label_": [0, 0, 1, 1]})
    most_fake, most_real = extreme_records(scored(rows), 2)
    assert list(most_fake.columns) == ["label__", "probability_fake_", LABEL, PROBABILITY, "label_"]
    assert most_fake[LABEL].tolist() == ["b", "c"] and most_fake["label__"].tolist() == [FAKE, FAKE]
    assert most_real[PROBABILITY].tolist() == [7, 10]  # the user's values, untouched


def test_fake_or_real_on_a_table_whose_target_is_called_label(census_parts):
    (real, holdout, other), categorical, numeric = census_parts
    rename = {"income": LABEL, "age": PROBABILITY}
    parts = [frame.rename(columns=rename) for frame in (real, holdout, other)]
    categorical = [rename.get(c, c) for c in categorical]
    numeric = [rename.get(c, c) for c in numeric]
    result = FakeOrRealTest(seed=0, n_examples=5).run(schema_of(LABEL, categorical, numeric), *parts)
    assert result.most_fake[LABEL].isin(["<=50K", ">50K"]).all()
    assert result.most_fake["label_"].isin([FAKE, REAL]).all()
    assert result.metrics()["floor_auc"] < 0.6


def test_fake_or_real_finds_a_broken_education_mapping(census_parts):
    (real, holdout, other), categorical, numeric = census_parts
    fake = other.copy()
    broken = np.random.default_rng(0).random(len(fake)) < 0.3
    fake.loc[broken, "education_num"] = (
        fake.loc[broken, "education_num"].sample(frac=1.0, random_state=2).to_numpy()
    )
    result = FakeOrRealTest(seed=0, n_examples=50).run(
        schema_of("income", categorical, numeric), real, holdout, fake
    )
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


def test_every_headline_auc_carries_its_interval(census_parts):
    (real, holdout, other), categorical, numeric = census_parts
    schema = schema_of("income", categorical, numeric)
    metrics = FakeOrRealTest(seed=0, n_examples=5).run(schema, real, holdout, other).metrics()
    for name in ("discriminator_auc", "floor_auc", "auc_above_floor"):
        assert metrics[f"{name}_low"] < metrics[name] < metrics[f"{name}_high"], name
    # real against real: the gap to the floor is noise, and its interval says so
    assert metrics["auc_above_floor_low"] < 0 < metrics["auc_above_floor_high"]
    assert metrics["auc_above_floor_high"] - metrics["auc_above_floor_low"] < 0.1


def test_the_floor_read_back_from_its_file_gives_the_same_metrics(census_parts, tmp_path):
    (real, holdout, other), categorical, numeric = census_parts
    test, schema = FakeOrRealTest(seed=0, n_examples=5), schema_of("income", categorical, numeric)
    reference = test.floor(schema, real, holdout)  # as score_real computes it
    assert reference == real_vs_real_floor(real, holdout, categorical, numeric, seed=0)
    write_json(reference.to_dict(), tmp_path / "floor.json")
    read_back = Floor.from_dict(read_json(tmp_path / "floor.json"))
    cached = test.run(schema, real, holdout, other, reference=read_back)  # as the discriminate stage
    uncached = test.run(schema, real, holdout, other)
    assert cached.metrics() == uncached.metrics()


def test_lightgbm_gives_the_same_bits_with_one_thread_and_two(census_parts):
    # why compute.threads is no DVC param: the discriminator's figures do not depend on it
    (real, _, other), categorical, numeric = census_parts
    one, two = (discriminate(real, other, categorical, numeric, seed=0, threads=n) for n in (1, 2))
    assert one.auc == two.auc and np.array_equal(one.probability, two.probability)


def test_one_column_aucs_on_shared_rows_are_each_column_discriminated_alone(census_parts):
    """The one-column discriminators share the labelled rows and split of the main one (prepared once):
    each AUC is the one discriminate() gives that column alone, and the shuffled column leads."""
    (real, other, _), categorical, numeric = census_parts
    fake = other.iloc[:8000].copy()  # unbalanced: both sides subsampled alike
    fake["age"] = fake["age"].sample(frac=1.0, random_state=1).to_numpy()
    test = FakeOrRealTest(seed=3, threads=1, n_examples=5)
    result = test.run(schema_of("income", categorical, numeric), real, other, fake)
    for name in ["age", categorical[0], numeric[-1]]:
        only = ([name] if name in categorical else [], [name] if name in numeric else [])
        alone = discriminate(real, fake, *only, seed=3, threads=1)
        assert result.column_auc[name] == alone.auc
    assert result.fake_vs_real.auc == discriminate(real, fake, categorical, numeric, seed=3, threads=1).auc


def test_permutation_importance_is_scikit_learn_s_auc_drop():
    """Written here for the discriminators' own predict (a LightGBM booster has no scikit-learn scorer);
    checked against sklearn.inspection on a model that has one."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.inspection import permutation_importance as sklearn_importance

    from synthproof.evaluation.discriminate import permutation_importance

    rng = np.random.default_rng(0)
    truth = rng.random(4000) < 0.5
    features = pd.DataFrame(
        {"giveaway": truth * 1.5 + rng.normal(size=4000), "weak": truth * 0.3 + rng.normal(size=4000)}
    ).assign(noise=rng.normal(size=4000))
    model = RandomForestClassifier(50, min_samples_leaf=20, random_state=0).fit(features[:2000], truth[:2000])

    class Scored:
        def predict(self, rows):
            return model.predict_proba(rows)[:, 1]

    ours = permutation_importance(Scored(), features[2000:], truth[2000:], seed=0)
    theirs = sklearn_importance(
        model, features[2000:], truth[2000:], scoring="roc_auc", n_repeats=20, random_state=0
    ).importances_mean
    for name, expected in zip(features.columns, theirs, strict=True):
        assert ours[name] == pytest.approx(max(0.0, expected), abs=0.01)
    assert max(ours, key=ours.get) == "giveaway" and ours["noise"] < 0.01
