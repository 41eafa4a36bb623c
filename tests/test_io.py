import gzip
import shutil

import pandas as pd
import pytest

from synthproof.errors import SynthproofError
from synthproof.io import atomic_path, read_table, resolve_source, write_json
from tests.conftest import CENSUS_SHA256


def test_atomic_path_leaves_nothing_when_the_block_fails(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash mid-write")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_the_old_file_whole(tmp_path):
    target = tmp_path / "m.json"
    write_json({"a": 1}, target)
    write_json({"a": 2}, target)
    assert target.read_text().strip().endswith("}") and '"a": 2' in target.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_census_reads_question_marks_as_missing(census_path):
    df = read_table(census_path, na_values=["?"])
    assert df.shape == (48842, 15)
    assert df["workclass"].isna().sum() == 2799
    assert "?" not in set(df["occupation"].dropna())


def test_parquet_and_csv_read_the_same_table(tmp_path, census):
    head = census.head(300)
    head.to_parquet(tmp_path / "t.parquet", index=False)
    head.to_csv(tmp_path / "t.csv", index=False)
    pd.testing.assert_frame_equal(read_table(tmp_path / "t.parquet"), read_table(tmp_path / "t.csv"))


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_duplicate_column_names_are_an_error(tmp_path, suffix):
    path = tmp_path / f"dup{suffix}"
    text = "a,b,a\n1,2,3\n"
    if suffix.endswith(".gz"):
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    with pytest.raises(SynthproofError, match=r"duplicate column names \['a'\]"):
        read_table(path)


def test_unknown_file_format_asks_for_ingest_format(tmp_path):
    path = tmp_path / "table.dat"
    path.write_text("a\n1\n")
    with pytest.raises(SynthproofError, match="ingest.format"):
        read_table(path)
    assert read_table(path, fmt="csv")["a"].tolist() == [1]


def test_missing_file_names_the_param(tmp_path):
    with pytest.raises(SynthproofError, match="input file not found.*ingest.source"):
        resolve_source(str(tmp_path / "nope.csv"), None, tmp_path)


def test_a_folder_or_a_spreadsheet_format_it_does_not_read_is_named_for_what_it_is(tmp_path):
    with pytest.raises(SynthproofError, match=r"ingest.source is .*, a folder: name one table file in it"):
        resolve_source(str(tmp_path), None, tmp_path)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf")
    with pytest.raises(SynthproofError, match=r"is a xls spreadsheet, .*save it as .xlsx, CSV or Parquet"):
        read_table(tmp_path / "old.xls")


def test_an_excel_file_is_read_from_its_first_sheet(census, tmp_path):
    rows = census.head(50)
    with pd.ExcelWriter(tmp_path / "table.xlsx") as writer:
        rows.to_excel(writer, sheet_name="census", index=False)
        rows.head(2).to_excel(writer, sheet_name="other", index=False)
    read = read_table(tmp_path / "table.xlsx", na_values=["?"])
    pd.testing.assert_frame_equal(read, rows.reset_index(drop=True), check_dtype=False)
    pd.DataFrame([[1, 2]], columns=["a", "a"]).to_excel(tmp_path / "twice.xlsx", index=False)
    with pytest.raises(SynthproofError, match="'a'"):
        read_table(tmp_path / "twice.xlsx")


def test_checksum_mismatch_is_an_error(census_path, tmp_path):
    with pytest.raises(SynthproofError, match="checksum mismatch"):
        resolve_source(str(census_path), "0" * 64, tmp_path)
    assert resolve_source(str(census_path), CENSUS_SHA256, tmp_path) == census_path


def test_a_url_is_found_in_the_mirror_folder_without_network(census_path, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(census_path, mirror / "census.csv.gz")
    url = "https://example.invalid/data/census/census.csv.gz"
    local = resolve_source(url, CENSUS_SHA256, tmp_path / "dl", mirror_dir=str(mirror))
    assert local == mirror / "census.csv.gz"


def test_an_unreachable_url_is_a_clear_error(tmp_path):
    with pytest.raises(SynthproofError, match="cannot download .*SYNTHPROOF_DATA_DIR"):
        resolve_source("http://127.0.0.1:9/none.csv", None, tmp_path, mirror_dir=str(tmp_path))
    assert not any(tmp_path.rglob("none.csv"))


@pytest.mark.parametrize("opener", [open, gzip.open])
def test_lines_with_more_fields_than_the_header_are_named(tmp_path, opener):
    """12 of 600 lines with 5 fields under a 3-field header: pandas made the first two fields an index
    and the stage said 'the table has 12 rows with a target value, fewer than ingest.min_rows'."""
    lines = ["a,b,label"] + [
        f"{i},x,y,z,yes" if i % 50 == 0 else f'{i},"0.5, quoted",{"yes" if i % 3 else "no"}'
        for i in range(600)
    ]
    path = tmp_path / ("table.csv.gz" if opener is gzip.open else "table.csv")
    with opener(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    with pytest.raises(
        SynthproofError, match=r"12 lines have more fields than the header's 3 \(lines 2, 52, 102"
    ):
        read_table(path)
    fine = tmp_path / "fine.csv"
    fine.write_text("a,b,label\n1,2,yes\n3,,no\n")  # a short line is a missing value, as always
    assert read_table(fine).shape == (2, 3)
