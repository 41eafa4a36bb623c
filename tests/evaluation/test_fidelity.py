"""Fidelity scores on real census rows, where the answer is known."""

import numpy as np
import pandas as pd
import pytest

from synthproof.evaluation.fidelity import Quality, QualityTest, fidelity_metrics, quality
from synthproof.io import read_json, write_json
from tests.conftest import disjoint_census, schema_of


@pytest.fixture(scope="module")
def parts(census):
    """Three disjoint samples of real census rows and the column kinds."""
    return disjoint_census(census, (20000, 5000, 20000), seed=0)


def independent(frame):
    """Each column shuffled on its own: right marginals, no relationships."""
    out = frame.copy()
    for i, name in enumerate(out.columns):
        out[name] = out[name].sample(frac=1.0, random_state=i).to_numpy()
    return out


def test_a_real_sample_scores_near_the_ceiling(parts):
    (train, holdout, other), categorical, numeric = parts
    test = QualityTest(bins=10, correlation="pearson")  # the evaluator the stages run, on the schema
    schema = schema_of("income", categorical, numeric)
    scores, ceiling = test.run(schema, train, other), test.run(schema, train, holdout)
    assert scores.to_dict() == quality(train, other, categorical, numeric).to_dict()
    assert scores.score > 97 and ceiling.score > 97
    assert abs(scores.score - ceiling.score) < 1.5
    assert len(scores.pair_trends) == 15 * 14 // 2


def test_independent_columns_keep_shapes_and_lose_pair_trends(parts):
    (train, _, other), categorical, numeric = parts
    real = quality(train, other, categorical, numeric)
    shuffled = quality(train, independent(other), categorical, numeric)
    assert shuffled.column_shapes_score == pytest.approx(real.column_shapes_score, abs=1e-9)
    assert shuffled.pair_trends_score < real.pair_trends_score - 0.05
    # education and education_num fix each other: independent shuffling breaks that pair most
    pairs = shuffled.pair_trends.set_index(["column_a", "column_b"])["score"]
    assert pairs[("education", "education_num")] < 0.3
    assert (
        real.pair_trends.set_index(["column_a", "column_b"])["score"][("education", "education_num")] > 0.95
    )


def test_shapes_see_a_shifted_column_and_values_outside_the_range(parts):
    (train, _, other), categorical, numeric = parts
    shifted = other.copy()
    shifted["age"] = shifted["age"] + 50  # every real age over 40 lands past the real maximum, 90
    shapes = quality(train, shifted, categorical, numeric).column_shapes.set_index("column")
    assert shapes.loc["age", "score"] < 0.7
    assert shapes.loc["age", "out_of_range_share"] > 0.4
    assert shapes.loc["fnlwgt", "score"] > 0.97


def test_metrics_are_flat_with_the_ceiling_beside_each_score(parts):
    (train, holdout, other), categorical, numeric = parts
    metrics = fidelity_metrics(
        quality(train, other, categorical, numeric), quality(train, holdout, categorical, numeric)
    )
    assert {"quality_score", "quality_ceiling", "quality_ratio", "column_shapes", "pair_trends"} <= set(
        metrics
    )
    assert metrics["columns"]["age"]["shape"] <= 1 and "out_of_range_share" not in metrics["columns"]["sex"]


def test_missing_values_and_datetimes_are_scored():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime("2021-01-01") + pd.to_timedelta(rng.integers(0, 500, 400), unit="D"),
            "amount": np.where(rng.random(400) < 0.2, np.nan, rng.normal(size=400)),
            "kind": rng.choice(["a", "b", None], 400),
        }
    )
    same = quality(frame, frame, ["kind"], ["when", "amount"])
    assert same.score == pytest.approx(100.0)
    fewer_missing = frame.assign(amount=frame["amount"].fillna(0.0))
    assert quality(frame, fewer_missing, ["kind"], ["when", "amount"]).pair_trends_score < 1.0


def test_the_ceiling_read_back_from_its_file_gives_the_same_metrics(parts, tmp_path):
    (train, holdout, other), categorical, numeric = parts
    test = QualityTest(bins=10, correlation="pearson")  # the evaluator the stages run, on the schema
    schema = schema_of("income", categorical, numeric)
    scores, ceiling = test.run(schema, train, other), test.run(schema, train, holdout)
    assert scores.to_dict() == quality(train, other, categorical, numeric).to_dict()
    write_json(ceiling.to_dict(), tmp_path / "ceiling.json")
    read_back = Quality.from_dict(read_json(tmp_path / "ceiling.json"))
    assert fidelity_metrics(scores, read_back) == fidelity_metrics(scores, ceiling)
    assert read_back.column_shapes.equals(ceiling.column_shapes)
