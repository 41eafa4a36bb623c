"""The sequential tree synthesizer: dependencies kept, the copy guard, seeds, odd columns; a damaged
tree in a model file refused when it is loaded."""

import dataclasses
import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from synthproof.generators import CARTGenerator, Generator, TableWrapper
from synthproof.generators.guard import sample_without_copies
from synthproof.rows import copy_mask
from tests.generators.test_model_file import attribute, npy, objects, refused, rewrite, tree_of


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


@pytest.fixture
def saved_cart(dependent_frame, tmp_path):
    """A small cart model's file, its tree, and its first split's step (a tree with inner nodes)."""
    path = tmp_path / "model.zip"
    fitted(dependent_frame).save(path)
    tree = tree_of(path)
    step = next(s for s in objects(tree, ":_Step") if len(array_of(path, s, "left")) > 2)
    return path, tree, step


def array_of(path, step, name):
    with zipfile.ZipFile(path) as archive:
        return np.load(io.BytesIO(archive.read(attribute(step, name)[1]["blob"])))


def with_arrays(path, step, out, **arrays):
    """A copy of the model file with the step's arrays replaced."""
    return rewrite(path, out, entries={attribute(step, k)[1]["blob"]: npy(v) for k, v in arrays.items()})


def test_the_issue_s_cycle_is_refused_when_loaded_not_a_hang_in_sample(saved_cart, tmp_path):
    """Issue 47: one tree's left / right set to [0] made ``_Step.apply`` loop for ever in ``sample``."""
    path, _, step = saved_cart
    zero = np.array([0], dtype=np.int32)
    cyclic = with_arrays(path, step, tmp_path / "cycle.zip", left=zero, right=zero)
    refused(cyclic, r"damaged synthproof.generators.cart:_Step: \w+ has \d+ entries for 1 nodes")


def test_a_child_that_points_back_to_its_parent_is_refused_when_loaded(saved_cart, tmp_path):
    """Arrays of the right lengths, one child index turned back to the root: a cycle all the same."""
    path, _, step = saved_cart
    left = array_of(path, step, "left")
    inner = np.flatnonzero(left >= 0)[1]  # an inner node below the root
    left[inner] = 0
    refused(with_arrays(path, step, tmp_path / "back.zip", left=left), "a child index not above its parent's")
    left[inner] = len(left) + 5  # out of range
    refused(with_arrays(path, step, tmp_path / "out.zip", left=left), "a child index not above its parent's")


def test_arrays_of_the_wrong_kind_or_a_leaf_without_donors_are_refused_when_loaded(saved_cart, tmp_path):
    path, _, step = saved_cart
    threshold = array_of(path, step, "threshold").astype(str)
    refused(with_arrays(path, step, tmp_path / "text.zip", threshold=threshold), "threshold is a 1-d <U")
    slot = array_of(path, step, "slot")
    slot[slot >= 0] = len(slot) + 1
    refused(with_arrays(path, step, tmp_path / "slot.zip", slot=slot), "a leaf without donors")
    feature = array_of(path, step, "feature")
    feature[feature >= 0] = 99
    refused(with_arrays(path, step, tmp_path / "f.zip", feature=feature), "splits on a column not before it")


@pytest.mark.parametrize("where", ["step", "_first_smoothing"])
def test_a_class_where_a_tree_or_smoothing_belongs_is_refused_when_loaded(saved_cart, tmp_path, where):
    """A class object in a value's place ended in ``AttributeError ... 'apply'`` in sample."""
    path, tree, step = saved_cart
    a_class = {"$": "class", "class": "synthproof.generators.cart:CARTGenerator"}
    if where == "step":
        step.clear()
        step.update(a_class)
        expected = r"step \d+ is the class CARTGenerator, not a tree"
    else:
        attribute(next(objects(tree, ":CARTGenerator")), where)[1] = a_class
        expected = "_first_smoothing is the class CARTGenerator, not a smoothing"
    refused(rewrite(path, tmp_path / "class.zip", tree), expected)


def test_an_intact_cart_model_loads_and_samples(saved_cart):
    path, _, _ = saved_cart
    assert len(Generator.load(path).sample(50, seed=0)) == 50
