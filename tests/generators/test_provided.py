"""A synthetic table made elsewhere, in the place of a generator: read, checked, and drawn as it is."""

from pathlib import Path

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
    with pytest.raises(SynthproofError, match="generator.max_rows=100 is below the training part's 200"):
        check_provenance(mixed_frame, fingerprint, split_given=False, max_rows=100)


def test_a_provided_table_over_the_column_limit_is_one_line_naming_the_param(tmp_path, mixed_frame):
    """``generator.provided.source`` is read within ``ingest.max_columns`` and ``ingest.max_cells``, as
    ``ingest.source`` is: build_generator hands it the bounds, and the train stage declares the keys."""
    from synthproof.io import TableLimits
    from tests.conftest import one_line, wide_csv

    wide = wide_csv(tmp_path / "wide.csv", columns=40, rows=10)
    cfg = GeneratorParams(name="provided", provided=ProvidedParams(source=str(wide)))
    narrow = build_generator(cfg, 7, [], "label", limits=TableLimits(max_columns=30))
    with pytest.raises(SynthproofError) as error:
        narrow.fit(mixed_frame, DISCRETE)
    assert "wide.csv has 40 columns, more than the limit of 30 (ingest.max_columns;" in one_line(error)
    small = build_generator(cfg, 7, [], "label", limits=TableLimits(max_cells=399))
    with pytest.raises(SynthproofError) as error:
        small.fit(mixed_frame, DISCRETE)
    assert "10 lines x 40 columns = 400 cells, more than the limit of 399 (ingest.max_cells;" in one_line(
        error
    )


def test_the_train_stage_reads_a_provided_table_within_its_ingest_params(tmp_path, monkeypatch, mixed_frame):
    from stages.train import PARAMS, main
    from synthproof.config import Params, parse_params, restricted
    from tests.conftest import one_line, wide_csv, write_prepared_table

    monkeypatch.chdir(tmp_path)
    paths = Params().paths
    write_prepared_table(mixed_frame.drop(columns=["customer_id", "note"]), "label", paths.train)
    wide_csv(tmp_path / "wide.csv", columns=12, rows=10)
    provided = {"source": "wide.csv", "trained_on": table_fingerprint(pd.read_parquet(paths.train))}
    params = parse_params(
        {
            "target": "label",
            "ingest": {"max_columns": 11},
            "generator": {"name": "provided", "max_rows": None, "provided": provided},
        }
    )
    with pytest.raises(SynthproofError) as error:
        main(restricted(params, PARAMS, "train"))  # an undeclared key would raise UndeclaredParamError
    assert one_line(error) == (
        "wide.csv has 12 columns, more than the limit of 11 (ingest.max_columns; raise it to read this "
        "table, or drop columns before)"
    )
    assert not Path(paths.model).exists()
