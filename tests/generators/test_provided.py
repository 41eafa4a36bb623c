"""A synthetic table made elsewhere, in the place of a generator: read, checked, and drawn as it is."""

import pandas as pd
import pytest

from synthproof.config import GeneratorParams, ProvidedParams
from synthproof.errors import SynthproofError
from synthproof.generators import Generator, ProvidedTable, build_generator
from synthproof.generators.provided import check_provenance
from synthproof.split import table_fingerprint

DISCRETE = ["colour", "member", "label"]


def provided(path, **changes) -> Generator:
    cfg = GeneratorParams(name="provided", provided=ProvidedParams(source=str(path), **changes))
    return build_generator(cfg, 7, [], "label")


def test_a_provided_table_is_drawn_as_it_is_saved_and_loaded(tmp_path, mixed_frame):
    table = mixed_frame.sample(150, random_state=3)[mixed_frame.columns[::-1]]
    table.to_parquet(tmp_path / "vendor.parquet")
    generator = provided(tmp_path / "vendor.parquet")
    assert isinstance(generator, ProvidedTable) and not generator.redraws  # no wrapper re-encodes it
    report = generator.fit(mixed_frame, DISCRETE).report
    assert report["provided_rows"] == 150 and len(report["provided_sha256"]) == 64
    generator.save(tmp_path / "model.zip")
    loaded = Generator.load(tmp_path / "model.zip")
    assert loaded.rows_to_draw(None, training_rows=200) == 150
    drawn = loaded.draw(150).frame
    pd.testing.assert_frame_equal(drawn, table[mixed_frame.columns].reset_index(drop=True))
    subset = loaded.draw(40, seed=1).frame
    assert len(subset) == 40 and subset.equals(loaded.draw(40, seed=1).frame)
    with pytest.raises(SynthproofError, match=r"sample.rows=151 but the provided table has 150 rows"):
        loaded.rows_to_draw(151, training_rows=200)


def test_a_csv_with_its_checksum_and_a_wrong_one(tmp_path, mixed_frame):
    mixed_frame.to_csv(tmp_path / "vendor.csv.gz", index=False)
    assert provided(tmp_path / "vendor.csv.gz").fit(mixed_frame, DISCRETE).report["provided_rows"] == 200
    with pytest.raises(SynthproofError, match=r"checksum mismatch.*fix generator.provided.sha256"):
        provided(tmp_path / "vendor.csv.gz", sha256="0" * 64).fit(mixed_frame, DISCRETE)
    with pytest.raises(SynthproofError, match=r"input file not found: .*set generator.provided.source"):
        provided(tmp_path / "nope.parquet").fit(mixed_frame, DISCRETE)


def test_the_name_without_a_source_is_an_error():
    with pytest.raises(SynthproofError, match="generator.provided.source is null"):
        GeneratorParams(name="provided")


def test_a_holdout_nobody_vouches_for_is_refused(mixed_frame):
    fingerprint = table_fingerprint(mixed_frame)
    with pytest.raises(
        SynthproofError, match=rf"set generator.provided.trained_on: {fingerprint}.*holdout_source"
    ):
        check_provenance(mixed_frame, None, split_given=False, max_rows=None)
    with pytest.raises(SynthproofError, match="the maker was given other rows"):
        check_provenance(
            mixed_frame, table_fingerprint(mixed_frame.head(199)), split_given=False, max_rows=None
        )
    check_provenance(mixed_frame, fingerprint, split_given=False, max_rows=None)
    check_provenance(mixed_frame, None, split_given=True, max_rows=None)  # the split came with the table
    with pytest.raises(
        SynthproofError, match="generator.max_training_rows=100 is below the training part's 200"
    ):
        check_provenance(mixed_frame, fingerprint, split_given=False, max_rows=100)
