"""Every registered generator, built from params by name, on a tiny mixed-type frame."""

import dataclasses

import pandas as pd
import pytest

from synthproof.config import GENERATOR_NAMES, LEARNING_GENERATORS, GeneratorParams
from synthproof.errors import SynthproofError
from synthproof.generators import GENERATORS, Generator, TableWrapper, build_generator, get_generator_class
from tests.conftest import needs_extra

DISCRETE = ["colour", "member", "label"]


def test_each_params_section_names_a_registered_generator_of_that_name():
    # GENERATOR_NAMES is derived from GeneratorParams' own sections; the registry is checked against it
    assert list(GENERATORS) == GENERATOR_NAMES == ["ctgan", "tvae", "gaussian_copula", "cart", "arf",
                                                   "tabular_argn", "independent", "resample",
                                                   "provided"]  # fmt: skip
    assert GENERATOR_NAMES[:-1] == LEARNING_GENERATORS  # provided reads a table: it learns nothing
    assert all(cls.name == name for name, cls in GENERATORS.items())
    assert all(dataclasses.is_dataclass(getattr(GeneratorParams(), name)) for name in GENERATORS)
    with pytest.raises(SynthproofError, match=r"generator.name must be one of \['ctgan', 'tvae'"):
        GeneratorParams(name="smote")


@pytest.mark.parametrize(
    "name", [pytest.param(name, marks=needs_extra(name)) for name in LEARNING_GENERATORS]
)
def test_fits_samples_and_is_read_back_from_its_model_file(name, mixed_frame, tmp_path):
    cfg = GeneratorParams(name=name, epochs=2, batch_size=100)
    generator = build_generator(cfg, 0, list(mixed_frame.columns), "label", ["customer_id"])
    assert isinstance(generator, TableWrapper) and generator.generator.name == name
    generator.fit(mixed_frame, DISCRETE)
    synthetic = generator.sample(300, seed=1)
    assert list(synthetic.columns) == list(mixed_frame.columns)
    assert synthetic.dtypes.to_dict() == mixed_frame.dtypes.to_dict()
    for column in DISCRETE:
        assert set(synthetic[column].dropna()) <= set(mixed_frame[column].dropna()), column
    for column in ("age", "income"):
        real, fake = mixed_frame[column].dropna(), synthetic[column].dropna()
        assert real.min() <= fake.min() and fake.max() <= real.max(), column
    assert synthetic["income"].isna().any()  # NaN is learnt, not dropped
    assert synthetic["note"].isna().all() and (synthetic["country"] == "NZ").all()
    assert synthetic["customer_id"].is_unique
    pd.testing.assert_frame_equal(generator.sample(300, seed=1), synthetic)
    # the model file (data, never code) gives back a generator that draws the same rows
    generator.save(tmp_path / "model.zip")
    pd.testing.assert_frame_equal(Generator.load(tmp_path / "model.zip").sample(300, seed=1), synthetic)


def test_unknown_name_and_bad_column_order_are_clear_errors(mixed_frame):
    with pytest.raises(SynthproofError, match="not a known generator"):
        get_generator_class("smote")
    cfg = GeneratorParams(name="cart")
    cfg = GeneratorParams(name="cart", cart=type(cfg.cart)(column_order=["age", "agee"]))
    with pytest.raises(SynthproofError, match=r"column_order names \['agee'\]"):
        build_generator(cfg, 0, list(mixed_frame.columns), "label")
