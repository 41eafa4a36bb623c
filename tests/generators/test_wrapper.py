"""The wrapper around a real CTGAN (1-2 epochs on tiny frames): columns come back honest."""

import math

import numpy as np
import pandas as pd
import pytest

from synthproof.errors import SynthproofError
from synthproof.generators import CTGANGenerator, Generator, TableWrapper


def fit_wrapped(frame, discrete, **wrapper_args):
    """A wrapped 2-epoch CTGAN fitted on ``frame``, and what its fit returned."""
    generator = TableWrapper(CTGANGenerator(epochs=2, batch_size=100, seed=0, verbose=False), **wrapper_args)
    return generator, generator.fit(frame, discrete)


def fitted(frame, discrete, **wrapper_args):
    return fit_wrapped(frame, discrete, **wrapper_args)[0]


@pytest.fixture
def mixed_model(mixed_frame):
    return fit_wrapped(mixed_frame, ["colour", "member", "label"], id_columns=["customer_id"])


@pytest.fixture
def mixed_fitted(mixed_model):
    return mixed_model[0]


def test_same_columns_dtypes_and_category_sets(mixed_frame, mixed_fitted):
    synthetic = mixed_fitted.sample(500, seed=1)
    assert list(synthetic.columns) == list(mixed_frame.columns)
    assert synthetic.dtypes.to_dict() == mixed_frame.dtypes.to_dict()
    for name in ("colour", "member", "label"):
        assert set(synthetic[name].dropna()) <= set(mixed_frame[name].dropna())
    assert set(synthetic["label"]) == {"yes", "no"}


def test_numbers_stay_in_range_with_their_precision(mixed_frame, mixed_fitted):
    synthetic = mixed_fitted.sample(500, seed=1)
    for name in ("age", "income", "joined"):
        real, fake = mixed_frame[name].dropna(), synthetic[name].dropna()
        assert real.min() <= fake.min() and fake.max() <= real.max(), name
    assert (synthetic["income"].dropna() * 100).round(6).mod(1).eq(0).all()  # two decimals, as real
    assert (synthetic["joined"].dt.normalize() == synthetic["joined"]).all()  # dates stay dates
    # The generator did put values outside the range before the wrapper clipped them, and says how many.
    draw = mixed_fitted.draw(500, seed=1)
    assert draw.frame.equals(synthetic)
    assert set(draw.out_of_range) == {"age", "income", "joined"}
    assert sum(draw.out_of_range.values()) > 0


def test_nan_is_kept_where_the_real_column_has_it(mixed_frame, mixed_fitted):
    synthetic = mixed_fitted.sample(2000, seed=1)
    assert 0 < synthetic["income"].isna().mean() < 0.5
    assert synthetic["colour"].isna().any()
    assert not synthetic["age"].isna().any()


def test_constant_empty_and_id_columns_are_carried_through(mixed_frame, mixed_model):
    mixed_fitted, fit = mixed_model
    synthetic = mixed_fitted.sample(300, seed=1)
    assert (synthetic["country"] == "NZ").all()
    assert synthetic["note"].isna().all()
    assert synthetic["customer_id"].is_unique
    assert set(synthetic["customer_id"]).isdisjoint(mixed_frame["customer_id"])
    assert fit.report["not_learnt_columns"] == {
        "constant": ["country"],
        "empty": ["note"],
        "id": ["customer_id"],
    }


def test_many_categories_are_learnt_as_bits(census):
    frame = census.sample(1000, random_state=0)[["native_country", "occupation", "age", "income"]]
    generator, fit = fit_wrapped(frame, ["native_country", "occupation", "income"], binary_encoding_cutoff=10)
    report = fit.report
    assert report["binary_encoded_columns"] == ["native_country", "occupation"]
    # one column per bit of the code (NaN is a category too), then age and income
    bits = [math.ceil(math.log2(frame[c].nunique(dropna=False))) for c in ("native_country", "occupation")]
    assert report["encoded_columns"] == sum(bits) + 2
    synthetic = generator.sample(1000, seed=0)
    assert set(synthetic["native_country"].dropna()) <= set(frame["native_country"].dropna())
    assert synthetic["native_country"].nunique() > 1


def test_save_load_gives_the_same_samples(mixed_fitted, tmp_path):
    path = tmp_path / "model.zip"
    mixed_fitted.save(path)
    loaded = Generator.load(path)
    pd.testing.assert_frame_equal(loaded.sample(100, seed=5), mixed_fitted.sample(100, seed=5))


def test_nothing_to_learn_is_a_clear_error():
    frame = pd.DataFrame({"k": ["a"] * 20, "e": [np.nan] * 20})
    with pytest.raises(SynthproofError, match="no column is left to learn"):
        fitted(frame, [])


def test_a_spike_is_learnt_as_its_own_column(census):
    frame = census.sample(1000, random_state=0)[["capital_gain", "hours_per_week", "sex", "income"]]
    spikes = {"capital_gain": 0, "hours_per_week": 40}  # 92% and 48% of real rows

    def spike_shares(spike_min_share):
        generator = TableWrapper(
            CTGANGenerator(epochs=10, batch_size=100, seed=0, verbose=False), spike_min_share=spike_min_share
        )
        fit = generator.fit(frame, ["sex", "income"])
        synthetic = generator.sample(2000, seed=0)
        assert synthetic.dtypes.to_dict() == frame.dtypes.to_dict()
        return fit.report, {c: (synthetic[c] == v).mean() for c, v in spikes.items()}

    report, with_spikes = spike_shares(0.3)
    assert report["spike_columns"] == {"capital_gain": 0.0, "hours_per_week": 40.0}
    report, without = spike_shares(None)
    assert report["spike_columns"] == {}
    for column, value in spikes.items():
        real = (frame[column] == value).mean()
        assert abs(with_spikes[column] - real) < 0.1, (column, real, with_spikes[column])
        assert abs(with_spikes[column] - real) < abs(without[column] - real)


def test_a_linked_column_is_derived_from_its_source(census):
    frame = census.sample(1000, random_state=0)[["education", "education_num", "age", "income"]]
    generator, fit = fit_wrapped(frame, ["education", "income"], derive_linked_columns=True)
    assert fit.report["derived_columns"] == {"education_num": "education"}
    synthetic = generator.sample(1000, seed=0)
    mapping = frame.groupby("education")["education_num"].first()
    assert (synthetic["education_num"] == synthetic["education"].map(mapping)).all()
    assert synthetic["education_num"].dtype == frame["education_num"].dtype


@pytest.mark.parametrize("name", ["ctgan", "cart"])
def test_a_small_table_with_a_key_like_number_is_not_derived_from_it(name):
    """600 rows, an income with cents (every value distinct): it used to fix every other column, so cart
    returned copies of training rows and ctgan None in every derived column."""
    from synthproof.config import GeneratorParams
    from synthproof.generators import build_generator
    from synthproof.rows import row_hashes
    from tests.conftest import small_table_with_a_key_like_number

    table = small_table_with_a_key_like_number()
    zips = table["city"].map({"Auckland": 1010, "Lyon": 69001, "Quito": 170150, "Porto": 4000})
    table.insert(0, "zip", zips)  # first: the one-to-one pair zip <-> city is found as zip -> city
    cfg = GeneratorParams(name=name, epochs=2, batch_size=100)
    generator = build_generator(cfg, 0, list(table.columns), "label")
    fit = generator.fit(table, ["city", "country", "label"])
    # zip is learnt as a number, so a sampled zip may have no city: the wrapper derives zip from city
    assert fit.report["derived_columns"] == {"zip": "city", "country": "city"}
    synthetic = generator.sample(2000, seed=1)
    assert synthetic.notna().all().all()
    copies = pd.Series(row_hashes(synthetic)).isin(set(row_hashes(table))).mean()
    assert copies < 0.05, f"{copies:.0%} of rows are copies of training rows"


def test_a_large_draw_comes_in_chunks_with_seeds_of_their_own(mixed_frame, mixed_fitted, monkeypatch):
    """Rows come a chunk at a time (memory); the first chunk is the draw of that many rows with the same
    seed, the later chunks are new rows, and the same seed gives the same rows."""
    monkeypatch.setattr("synthproof.generators.wrapper.SAMPLE_CHUNK_ROWS", 200)
    drawn = mixed_fitted.draw(450, seed=3)
    assert len(drawn.frame) == 450 and drawn.frame.index.tolist() == list(range(450))
    assert drawn.frame.dtypes.to_dict() == mixed_frame.dtypes.to_dict()
    pd.testing.assert_frame_equal(drawn.frame.head(200), mixed_fitted.sample(200, seed=3))
    assert not drawn.frame.iloc[200:400].reset_index(drop=True).equals(drawn.frame.head(200))
    pd.testing.assert_frame_equal(drawn.frame, mixed_fitted.draw(450, seed=3).frame)
    assert set(drawn.out_of_range) == {"age", "income", "joined"}
