import gzip
import re
import shutil

import pandas as pd
import pytest

from synthproof.errors import SynthproofError
from synthproof.io import (
    OutsideRepositoryError,
    TableLimits,
    atomic_dir,
    atomic_path,
    read_table,
    resolve_source,
    write_json,
    write_parquet,
)
from tests.conftest import CENSUS_SHA256, far_sheet, one_line, plain, run_stage, wide_csv


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


# Hostile files stay bounded (issue 47): each is refused in one line, before it is read whole.


def test_a_sheet_with_one_far_cell_is_refused_before_it_is_read(tmp_path):
    path = far_sheet(tmp_path / "far.xlsx")
    assert path.stat().st_size < 50_000
    with pytest.raises(SynthproofError) as error:
        read_table(path)
    assert "16,384 columns" in one_line(error) and "ingest.max_columns" in one_line(error)
    with pytest.raises(SynthproofError) as error:
        read_table(path, limits=TableLimits(max_columns=20_000))
    text = one_line(error)
    assert "1,048,576 rows x 16,384 columns" in text and "limit of 20,000,000 (ingest.max_cells" in text
    # a far cell in the columns the table has is within bounds and read as the rows it makes
    tall = far_sheet(tmp_path / "tall.xlsx", "C2000")
    assert read_table(tall, limits=TableLimits(max_cells=6_000)).shape == (1999, 3)
    with pytest.raises(SynthproofError, match=r"2,000 rows x 3 columns = 6,000 cells"):
        read_table(tall, limits=TableLimits(max_cells=5_999))


def test_a_provided_sheet_is_held_to_the_same_bounds(tmp_path):
    from synthproof.generators.provided import ProvidedTable

    table = pd.DataFrame({"a": [1, 2], "b": [2, 4], "label": ["yes", "no"]})
    provided = ProvidedTable(target="label", source=str(far_sheet(tmp_path / "far.xlsx")))
    with pytest.raises(SynthproofError) as error:
        provided.fit(table, ["label"])
    assert "16,384 columns, more than the limit of 1,000" in one_line(error)


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (MemoryError(), r"out of memory reading .*t\.parquet as parquet \(MemoryError\): lower ingest\."),
        (KeyError(), r"cannot read .*t\.parquet as parquet: KeyError$"),
        (ValueError("two\nlines"), r"cannot read .*t\.parquet as parquet: two lines$"),
    ],
)
def test_a_blank_or_many_line_cause_never_reaches_the_user(tmp_path, monkeypatch, raised, message):
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "t.parquet")

    def fail(*_args, **_kwargs):
        raise raised

    monkeypatch.setattr(pd, "read_parquet", fail)
    with pytest.raises(SynthproofError, match=message) as error:
        read_table(tmp_path / "t.parquet")
    one_line(error)


def test_a_wide_table_is_refused_before_it_is_read(tmp_path):
    """300 rows x 10,001 columns ran train for 400+ s without a word."""
    path = wide_csv(tmp_path / "wide.csv")
    with pytest.raises(SynthproofError) as error:
        read_table(path)
    assert "10,001 columns, more than the limit of 1,000 (ingest.max_columns" in one_line(error)
    pd.DataFrame({f"c{i}": [1] for i in range(1_001)}).to_parquet(tmp_path / "wide.parquet")
    with pytest.raises(SynthproofError, match=r"1,001 columns, more than the limit of 1,000"):
        read_table(tmp_path / "wide.parquet")


# The bound issue 47 states: any input file under 50 MB is read (or refused) in under 2 GB of memory.
MEMORY_BOUND = 2 * 2**30


@pytest.mark.parametrize(
    ("source", "limits", "message"),
    [
        ("far.xlsx", {}, "far.xlsx (its first sheet) has 16,384 columns, more than the limit of 1,000"),
        ("far.xlsx", {"max_columns": 20_000}, "= 17,179,869,184 cells, more than the limit of 20,000,000"),
        ("wide.csv", {}, "wide.csv has 10,001 columns, more than the limit of 1,000 (ingest.max_columns"),
        # within the limits the wide table is read whole, and stops on its one-class target
        ("wide.csv", {"max_columns": 20_000}, "target column 'c0' has only one class"),
    ],
)
def test_the_ingest_stage_stays_under_its_memory_bound_on_hostile_files(tmp_path, source, limits, message):
    """The far-cell sheet (38 KB; pandas padded it to 5.6 GB) and a 300 x 10,001 CSV (6 MB), through the
    ingest stage in a process held to 2 GiB of address space: one line, and a peak well under the bound."""
    repo = tmp_path / "repo"
    repo.mkdir()
    far_sheet(repo / "far.xlsx") if source == "far.xlsx" else wide_csv(repo / "wide.csv")
    assert (repo / source).stat().st_size < 50 * 2**20
    params = {
        "target": "c0" if source == "wide.csv" else "label",
        "ingest": {"source": source, "sha256": None, **limits},
    }
    run = run_stage(repo, "ingest", params, address_space=MEMORY_BOUND)
    assert message in plain(run.error, repo), run.error
    assert "out of memory" not in run.error and run.peak_mb < MEMORY_BOUND / 2**20, run.peak_mb
    assert sorted(p.name for p in repo.iterdir()) == sorted([source, "params.yaml"])  # nothing written


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_a_table_with_more_cells_than_the_limit_is_refused_before_it_is_read(tmp_path, suffix):
    table = pd.DataFrame({"a": range(400), "b": 1, "label": "yes"})
    path = tmp_path / f"t{suffix}"
    if suffix == ".parquet":
        table.to_parquet(path)
    else:
        table.to_csv(path, index=False)
    assert read_table(path, limits=TableLimits(max_cells=1_200)).shape == (400, 3)
    with pytest.raises(SynthproofError) as error:
        read_table(path, limits=TableLimits(max_cells=1_199))
    assert "400 " in one_line(error) and "x 3 columns = 1,200 cells" in one_line(error)
    assert "limit of 1,199 (ingest.max_cells; raise it" in one_line(error)
    if suffix == ".parquet":
        return
    # a CSV is counted in blocks of 1 MB, and the count stops at the first block past the limit: a
    # compressed bomb is not inflated whole
    big = tmp_path / f"big{suffix}"
    with (gzip.open if suffix.endswith(".gz") else open)(big, "wt") as handle:
        handle.write("a,b,label\n" + "1,2,yes\n" * 300_000)
    with pytest.raises(SynthproofError) as error:
        read_table(big, limits=TableLimits(max_cells=30))
    assert re.search(r"holds [\d,]+ lines or more x 3 columns", one_line(error))
    assert "300,000" not in one_line(error)


def test_a_header_of_separators_only_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(",,,\n1,2,3,4\n5,6,7,8\n")
    with pytest.raises(SynthproofError) as error:
        read_table(path)
    assert "the header line has no column names (only 4 empty fields)" in one_line(error)
    assert "nan" not in one_line(error)
    path.write_text("a,,b,\n1,2,3,4\n")
    with pytest.raises(SynthproofError, match=r"2 columns of the header line have no name \(columns 2, 4\)"):
        read_table(path)
    path.write_text("a,,b\n1,2,3\n")  # one blank name is pandas' Unnamed: 1, as before
    assert read_table(path).columns.tolist() == ["a", "Unnamed: 1", "b"]


@pytest.fixture
def linked_repo(tmp_path, monkeypatch):
    """A repository (the working directory) with a committed link ``outlink`` to a folder outside it."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    (repo / "outlink").symlink_to(outside)
    monkeypatch.chdir(repo)
    return repo, outside


def test_no_write_leaves_the_repository_through_a_link(linked_repo):
    repo, outside = linked_repo
    frame = pd.DataFrame({"a": [1]})
    for write in (
        lambda: write_parquet(frame, "outlink/raw.parquet"),
        lambda: write_json({}, "outlink/deeper/m.json"),
        lambda: write_json({}, repo / "outlink" / "m.json"),  # absolute, inside by its text
    ):
        with pytest.raises(OutsideRepositoryError) as error:
            write()
        assert f"resolves to {outside}" in one_line(error) and "outside the repository" in one_line(error)
    with pytest.raises(OutsideRepositoryError), atomic_dir("outlink/linked"):
        pass
    assert list(outside.iterdir()) == []
    write_json({"a": 1}, "data/m.json")  # inside: written
    (repo / "data" / "link.json").symlink_to(outside / "kept.json")
    write_json({"a": 2}, "data/link.json")  # a link in the file's own place is replaced, not written through
    assert not (outside / "kept.json").exists() and not (repo / "data" / "link.json").is_symlink()


def test_the_ingest_stage_refuses_a_path_param_through_a_link_and_names_it(linked_repo):
    """`paths.raw: outlink/raw.parquet` with a committed `outlink -> /outside`: ingest wrote outside (now
    paths are fixed; a committed link in their way is the same hazard: `data -> /outside`)."""
    repo, outside = linked_repo
    (repo / "data").symlink_to(outside)
    pd.DataFrame({"a": range(120), "label": ["yes", "no"] * 60}).to_csv(repo / "t.csv", index=False)
    params = {
        "target": "label",
        "ingest": {"source": "t.csv", "sha256": None},
    }
    error = run_stage(repo, "ingest", params).error
    assert error.startswith("paths.raw is 'data/raw/table.parquet': cannot write"), error
    plain(error, repo, allowed=(outside,))  # the link's end is named: it is what the user must change
    assert list(outside.iterdir()) == [] and sorted(p.name for p in repo.iterdir()) == [
        "data",
        "outlink",
        "params.yaml",
        "t.csv",
    ]


def test_ingest_reads_its_limits_from_its_params(tmp_path, monkeypatch):
    from stages.ingest import main
    from synthproof.config import parse_params

    monkeypatch.chdir(tmp_path)
    pd.DataFrame({"a": range(120), "b": 1, "label": ["yes", "no"] * 60}).to_csv("t.csv", index=False)
    for limit, message in (
        ({"max_columns": 2}, r"t\.csv has 3 columns, more than the limit of 2 \(ingest.max_columns"),
        (
            {"max_cells": 300},
            r"120 lines x 3 columns = 360 cells, more than the limit of 300 \(ingest.max_cells",
        ),
    ):
        params = parse_params({"target": "label", "ingest": {"source": "t.csv", "sha256": None, **limit}})
        with pytest.raises(SynthproofError, match=message):
            main(params)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]
