"""The sequential tree synthesizer: dependencies kept, the copy guard, seeds, odd columns."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from synthproof.generators import CARTGenerator, TableWrapper
from synthproof.generators.guard import sample_without_copies
from synthproof.rows import copy_mask


@pytest.fixture
def dependent_frame():
    """``price`` is a function of ``city``; ``size`` and ``rooms`` are noise; plus an all-NaN column and
    a one-value column."""
    rng = np.random.default_rng(0)
    n = 400
    city = rng.choice(["Oslo", "Lima", "Pune", "Graz"], n)
    prices = {"Oslo": 310.5, "Lima": 120.0, "Pune": 80.25, "Graz": 205.0}
    return pd.DataFrame(
        {
            "city": city,
            "size": np.round(rng.normal(70, 20, n), 1),
            "rooms": rng.integers(1, 4, n),
            "price": [prices[c] for c in city],
            "empty": np.nan,
            "kind": "flat",
        }
    )


def fitted(frame, **cart_args):
    generator = TableWrapper(CARTGenerator(seed=0, min_samples_leaf=5, **cart_args))
    generator.fit(frame, ["city", "kind"])
    return generator


def test_keeps_a_known_dependency(dependent_frame):
    synthetic = fitted(dependent_frame).sample(2000, seed=1)
    mapping = dependent_frame.groupby("city")["price"].first()
    assert (synthetic["price"] == synthetic["city"].map(mapping)).mean() > 0.99
    assert synthetic["empty"].isna().all() and (synthetic["kind"] == "flat").all()


def test_the_first_column_keeps_its_marginal(dependent_frame):
    synthetic = fitted(dependent_frame).sample(4000, seed=1)
    real = dependent_frame["city"].value_counts(normalize=True)
    fake = synthetic["city"].value_counts(normalize=True).reindex(real.index)
    assert (real - fake).abs().max() < 0.03


def test_same_seed_same_rows_other_seed_other_rows(dependent_frame):
    generator = fitted(dependent_frame)
    pd.testing.assert_frame_equal(generator.sample(500, seed=7), generator.sample(500, seed=7))
    assert not generator.sample(500, seed=7).equals(generator.sample(500, seed=8))


def test_density_smoothing_makes_new_numbers_in_the_observed_range_and_decimals(dependent_frame):
    """synthpop's smoothing = "density": donors' numbers moved by a kernel, clamped to the observed range,
    rounded to the observed decimals (size has one); "none" hands the donors' values back verbatim."""
    plain = fitted(dependent_frame, smoothing="none").sample(2000, seed=1)
    smooth = fitted(dependent_frame).sample(2000, seed=1)  # density is the default
    real_sizes = set(dependent_frame["size"])
    assert plain["size"].isin(real_sizes).all()  # donors: every value is a real value
    assert smooth["size"].isin(real_sizes).mean() < 0.5
    assert smooth["size"].between(dependent_frame["size"].min(), dependent_frame["size"].max()).all()
    assert (smooth["size"] == smooth["size"].round(1)).all()
    assert smooth["rooms"].isin([1, 2, 3]).all()  # whole numbers stay whole, in range


def test_a_spike_held_by_most_rows_is_kept_and_the_rest_are_smoothed():
    """capital_gain is 0 in 92% of census rows: smoothing leaves the zeros as they are (a kernel would
    smear them into small gains no one has) and moves the rest."""
    rng = np.random.default_rng(3)
    n = 1000
    gain = np.where(rng.random(n) < 0.9, 0, rng.integers(1000, 20000, n))
    frame = pd.DataFrame({"group": rng.choice(["a", "b"], n), "gain": gain})
    generator = TableWrapper(CARTGenerator(seed=0, min_samples_leaf=5), spike_min_share=None)
    generator.fit(frame, ["group"])
    synthetic = generator.sample(5000, seed=2)["gain"]
    assert abs((synthetic == 0).mean() - 0.9) < 0.03
    positive = synthetic[synthetic != 0]
    assert positive.between(0, gain.max()).all()  # the observed range: synthpop clamps to it
    assert positive.isin(set(gain)).mean() < 0.2  # new values, not the real ones


def test_unknown_smoothing_is_refused():
    with pytest.raises(ValueError, match="smoothing must be one of"):
        CARTGenerator(smoothing="loess")


def test_guard_leaves_no_training_row_in_the_sample(dependent_frame):
    generator = fitted(dependent_frame)
    columns = ["city", "size", "rooms", "price"]
    assert copy_mask(generator.sample(2000, seed=1)[columns], dependent_frame).mean() > 0.05
    synthetic, report = sample_without_copies(generator, 2000, 1, dependent_frame, columns, max_rounds=50)
    assert len(synthetic) == 2000 and report.rejected > 100
    assert report.copies_left == 0 and not copy_mask(synthetic[columns], dependent_frame).any()
    again, _ = sample_without_copies(generator, 2000, 1, dependent_frame, columns, max_rounds=50)
    pd.testing.assert_frame_equal(again, synthetic)


def test_the_kept_splits_send_rows_to_scikit_learn_s_leaves_and_the_model_stays_small(census, tmp_path):
    """The sampler keeps each tree's split arrays, not the fitted tree: a classifier's per-node class
    counts (nodes x classes) made a 529-value column's model 100 MB on 236k rows."""
    rng = np.random.default_rng(0)
    frame = census.sample(20_000, random_state=0).reset_index(drop=True)
    frame = frame.assign(code=rng.integers(0, 500, len(frame)))  # a many-valued categorical, learnt second
    columns = ["age", "code", "education", "hours_per_week", "fnlwgt", "income"]
    values = pd.DataFrame(
        {c: pd.factorize(frame[c])[0] if frame[c].dtype == object else frame[c] for c in columns}
    )
    generator = CARTGenerator(seed=0, min_samples_leaf=5)
    generator.fit(values.astype(float), ["code", "education", "income"])
    x = values.to_numpy(dtype=float)
    for j, step in enumerate(generator._steps, start=1):
        tree = (
            DecisionTreeClassifier if columns[j] in ("code", "education", "income") else DecisionTreeRegressor
        )
        fitted_tree = tree(min_samples_leaf=5, random_state=0).fit(x[:, :j], x[:, j])
        probe = x[:, :j] + rng.normal(0, 0.5, x[:, :j].shape)  # between the training values too
        np.testing.assert_array_equal(step.apply(probe), fitted_tree.apply(probe))
    generator.save(tmp_path / "model.zip")
    saved = (tmp_path / "model.zip").stat().st_size
    assert saved < 2 * values.to_numpy().nbytes  # donors (as small integers where they are) and splits


@pytest.mark.parametrize("smoothing", ["density", "none"])
def test_on_a_small_table_with_a_key_like_income_smoothing_stops_copies_and_singling_out(smoothing):
    """Issue 36's table: 600 rows, an income with cents (every value distinct). Donors' values verbatim
    single out the people with rare incomes (univariate risk 0.9); smoothed, no synthetic row is a
    training row and the risk's interval stays under 0.2."""
    from synthproof.config import GeneratorParams
    from synthproof.evaluation.attacks import Attacks
    from synthproof.generators import build_generator
    from synthproof.schema import CATEGORICAL, ID, prepare_table
    from synthproof.split import split_holdout
    from tests.conftest import small_table_with_a_key_like_number

    table, schema, _ = prepare_table(small_table_with_a_key_like_number(600, seed=600), "label")
    train, holdout = split_holdout(table, "label", 0.2, 42)
    cfg = GeneratorParams(name="cart")
    cfg = dataclasses.replace(cfg, cart=dataclasses.replace(cfg.cart, smoothing=smoothing))
    generator = build_generator(cfg, 42, list(train.columns), "label", schema.names(ID))
    generator.fit(train, schema.names(CATEGORICAL))
    synthetic = generator.sample(len(train), seed=42)
    copies, holdout_copies = copy_mask(synthetic, train).mean(), copy_mask(holdout, train).mean()
    risk = Attacks(seed=42).run(schema, train, synthetic, holdout).singling_out_univariate.risk()
    if smoothing == "density":
        assert abs(copies - holdout_copies) <= 0.01 and risk[2] < 0.2
    else:
        assert risk[1] > 0.5  # the donors' rare incomes single their owners out
