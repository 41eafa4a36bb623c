"""Reading tables, fetching sources, and writing every output atomically."""

from __future__ import annotations

import bz2
import contextlib
import csv
import gzip
import hashlib
import json
import lzma
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from synthproof.errors import SynthproofError

TABLE_FORMATS = ("auto", "csv", "parquet", "excel")
# A directory of local copies of remote sources, searched by file name before any download.
MIRROR_ENV = "SYNTHPROOF_DATA_DIR"
_UMASK = os.umask(0)
os.umask(_UMASK)


@dataclass(frozen=True)
class TableLimits:
    """The most a table read may hold, checked before it is read whole (a sheet's cells, a Parquet file's
    metadata, a CSV's header and line count): ``ingest.max_columns`` and ``ingest.max_cells``. ``where``
    is the params section that sets them, for the messages."""

    max_columns: int = 1_000
    max_cells: int = 20_000_000
    where: str = "ingest"

    def check(self, path: str | Path, rows: int, columns: int, counted: str = "rows") -> None:
        """Stop in one line when ``rows`` x ``columns`` is over a limit."""
        if columns > self.max_columns:
            raise SynthproofError(
                f"{path} has {columns:,} columns, more than the limit of {self.max_columns:,} "
                f"({self.where}.max_columns; raise it to read this table, or drop columns before)"
            )
        if rows * columns > self.max_cells:
            raise SynthproofError(
                f"{path} holds {rows:,} {counted} x {columns:,} columns = {rows * columns:,} cells, more "
                f"than the limit of {self.max_cells:,} ({self.where}.max_cells; raise it to read this table)"
            )


class OutsideRepositoryError(SynthproofError):
    """A write whose folder, symbolic links resolved, lies outside the repository."""

    def __init__(self, path: str | Path, message: str):
        super().__init__(message)
        self.path = str(path)


def confined(path: str | Path) -> Path:
    """``path``, refused (:class:`OutsideRepositoryError`) when it names a place inside the repository (the
    working directory: stages run at its root) whose folder, every symbolic link resolved, is outside it.

    ``paths.*`` are checked as text when params load; a committed link (``outlink -> /elsewhere``) passes
    that, so every atomic write checks here too, before any folder is made. The folder, not the file: a
    link in the file's own place (DVC's ``symlink`` cache) is replaced, never written through. A path named
    outside on purpose (a temporary folder) is not the repository's and is left alone."""
    path = Path(path)
    root = Path.cwd()  # getcwd: already free of links
    lexical = Path(os.path.abspath(path))
    if not lexical.is_relative_to(root):
        return path
    folder = lexical.parent.resolve()  # follows every link on the way, the parts not made yet aside
    if not folder.is_relative_to(root.resolve()):
        raise OutsideRepositoryError(
            path,
            f"cannot write {path}: its folder resolves to {folder}, outside the repository ({root}): a "
            "symbolic link on the way leads out; point the path inside the repository, or remove the link",
        )
    return path


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds. A path
    inside the repository must stay inside once links are resolved (:func:`confined`)."""
    path = confined(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs should read like any file
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; it replaces ``path`` whole if the block succeeds (inside
    the repository, as :func:`atomic_path`)."""
    path = confined(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    os.chmod(tmp, 0o777 & ~_UMASK)
    try:
        yield tmp
        shutil.rmtree(path, ignore_errors=True)
        os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text(text: str, path: str | Path) -> None:
    """Write ``text`` (UTF-8), atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(data: Any, path: str | Path) -> None:
    """Write ``data`` as indented JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=False, default=_json_default) + "\n")


def write_metrics(result: dict, metrics_path: str | Path, details_path: str | Path) -> None:
    """Split a stage's ``result``: its numbers and flags go to the metrics file that ``dvc exp show`` and
    ``dvc metrics diff`` read, one tidy column each; the whole result, tables, lists and text (a name, a
    reason: ``dvc exp diff`` cannot diff text) included, goes to the details file."""
    tidy = {key: value for key, value in result.items() if not isinstance(value, dict | list | tuple | str)}
    write_json(result, details_path)
    write_json(tidy, metrics_path)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {value!r}")


def read_json(path: str | Path) -> Any:
    return json.loads(Path(path).read_text())


def write_parquet(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` to Parquet atomically; same frame, same bytes."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, engine="pyarrow")


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


def write_plot_csv(df: pd.DataFrame, path: str | Path) -> None:
    """A plot's data file for ``dvc plots show`` / ``diff``. DVC writes the data into a ``<script>`` block
    of its page without escaping ``</``, so a name or value such as ``</script><script>...`` would run
    there: every ``<`` in the text gets an invisible word joiner (U+2060) after it, so that no tag can
    form, and the text reads the same."""

    def inert(value):
        return value.replace("<", "<\u2060") if isinstance(value, str) else value

    df = df.rename(columns=inert)
    text = [name for name in df.columns if df[name].dtype == object or pd.api.types.is_string_dtype(df[name])]
    write_csv(df.assign(**{name: df[name].map(inert) for name in text}), path)


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def resolve_source(
    source: str,
    sha256: str | None,
    download_dir: str | Path,
    mirror_dir: str | None = None,
    keys: tuple[str, str] = ("ingest.source", "ingest.sha256"),
) -> Path:
    """Return a local, checksum-verified file for ``source`` (a path or an http(s) URL).

    A URL is first looked up by its file name in ``mirror_dir`` (default: the
    ``SYNTHPROOF_DATA_DIR`` environment variable), then downloaded into ``download_dir``. ``keys`` name
    the params that gave ``source`` and ``sha256``, for the messages.
    """
    source_key, sha256_key = keys
    mirror_dir = mirror_dir if mirror_dir is not None else os.environ.get(MIRROR_ENV)
    if is_url(source):
        name = Path(urllib.request.urlparse(source).path).name
        name = name if name not in ("", ".", "..") else "download"  # never a folder above download_dir
        mirrored = Path(mirror_dir) / name if mirror_dir else None
        if mirrored is not None and mirrored.is_file():
            local = mirrored
        else:
            local = _download(source, Path(download_dir) / name, source_key)
    else:
        local = Path(source).expanduser()
        if local.is_dir():
            raise SynthproofError(
                f"{source_key} is {source}, a folder: name one table file in it (CSV, CSV.gz, Parquet or "
                ".xlsx)"
            )
        if not local.is_file():
            raise SynthproofError(
                f"input file not found: {source} (set {source_key} in params.yaml to a CSV, CSV.gz "
                "or Parquet path, or an http(s) URL)"
            )
    if sha256:
        actual = sha256_file(local)
        if actual != sha256.lower():
            shown = source if local.parent == Path(download_dir) else local  # not a temporary folder
            raise SynthproofError(
                f"checksum mismatch for {shown}: expected sha256 {sha256}, got {actual} "
                f"(fix {sha256_key} in params.yaml, or set it to null to skip the check)"
            )
    return local


def _download(url: str, dest: Path, source_key: str) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            urllib.request.urlopen(url, timeout=60) as response,
            atomic_path(dest) as tmp,
            open(tmp, "wb") as handle,
        ):
            shutil.copyfileobj(response, handle)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SynthproofError(
            f"cannot download {url}: {error} (without internet, put the file in a folder and "
            f"set {MIRROR_ENV} to it, or set {source_key} to a local path)"
        ) from None
    return dest


def table_format(path: str | Path, declared: str = "auto", name: str | None = None) -> str:
    """Return ``csv``, ``parquet`` or ``excel`` for ``path``, from ``declared`` or the file name;
    ``name`` is what the messages call the file (default: ``path``)."""
    shown = name or path
    if declared not in TABLE_FORMATS:
        raise SynthproofError(f"ingest.format must be one of {TABLE_FORMATS}, got {declared!r}")
    if declared != "auto":
        return declared
    suffixes = "".join(Path(path).suffixes).lower()
    if ".parquet" in suffixes or suffixes.endswith(".pq"):
        return "parquet"
    if ".csv" in suffixes or ".tsv" in suffixes or ".txt" in suffixes:
        return "csv"
    if suffixes.endswith((".xlsx", ".xlsm")):
        return "excel"
    if suffixes.endswith((".xls", ".ods", ".numbers")):
        raise SynthproofError(
            f"{shown} is a {suffixes.rsplit('.', 1)[-1]} spreadsheet, which synthproof does not read: "
            "save it as .xlsx, CSV or Parquet"
        )
    raise SynthproofError(
        f"cannot tell the format of {shown} from its name ({suffixes or 'no extension'}): name it .csv, "
        ".csv.gz, .parquet or .xlsx, or set ingest.format to csv, parquet or excel"
    )


def read_table(
    path: str | Path,
    fmt: str = "auto",
    na_values: list[str] | None = None,
    limits: TableLimits | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Read a CSV (plain or compressed), Parquet or Excel (.xlsx: its first sheet) table; ``na_values``
    are read as missing. Its size is checked against ``limits`` (default: ``ingest``'s defaults) before
    it is read whole: a sheet's cells, a Parquet file's metadata, a CSV's header and lines. ``name`` is
    what the messages call the file (default: ``path``): the source as the params give it, never the
    temporary folder a URL was downloaded into."""
    shown = name or str(path)
    fmt = table_format(path, fmt, shown)
    na_values = list(na_values or [])
    limits = limits or TableLimits()
    try:
        if fmt == "excel":
            import openpyxl  # noqa: F401 (pandas' reader of .xlsx; a missing one is named below)

            _check_sheet(
                path, limits, shown
            )  # before pandas pads every row to the widest (5.6 GB for one cell)
            header = pd.read_excel(path, sheet_name=0, header=None, nrows=1, engine="openpyxl")
            _check_header([_name(value) for value in header.iloc[0]] if len(header) else [], shown)
            df = pd.read_excel(path, sheet_name=0, na_values=na_values, engine="openpyxl")
        elif fmt == "parquet":
            names = pq.read_schema(path).names
            limits.check(shown, pq.read_metadata(path).num_rows, len(names))
            _check_header(names, shown)
            df = pd.read_parquet(path)
            if na_values:
                df = df.replace(na_values, float("nan"))
        else:
            sep = "\t" if ".tsv" in "".join(Path(path).suffixes).lower() else ","
            header = pd.read_csv(path, sep=sep, header=None, nrows=1, dtype=str, keep_default_na=False)
            names = header.iloc[0].tolist() if len(header) else []
            limits.check(shown, 0, len(names))
            lines, whole = _count_lines(path, len(names), limits)
            limits.check(shown, lines, len(names), counted="lines" if whole else "lines or more")
            _check_header(names, shown)
            # index_col=False: lines longer than the header are not turned into an index (pandas' guess
            # when the first data line is longer); pandas warns, and the lines are named below
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                df = pd.read_csv(path, sep=sep, na_values=na_values, low_memory=False, index_col=False)
            if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
                _raise_long_lines(path, sep, len(names), shown)
    except SynthproofError:
        raise
    except MemoryError as error:  # its message is often blank, or a size only
        raise SynthproofError(
            f"out of memory reading {shown} as {fmt} ({_cause(error)}): lower {limits.where}.max_cells "
            f"(now {limits.max_cells:,}) to stop such a table before it is read, or use a larger machine"
        ) from None
    except Exception as error:  # parsers raise many types; the user needs the file and the cause
        raise SynthproofError(f"cannot read {shown} as {fmt}: {_cause(error)}") from None
    df.columns = [str(name) for name in df.columns]
    return df


def _cause(error: BaseException) -> str:
    """An exception's message on one line (at most 300 characters), or its kind where it has none."""
    text = " ".join(str(error).split())
    text = text if len(text) <= 300 else text[:297] + "..."
    kind = type(error).__name__
    return f"{kind}: {text}" if text and isinstance(error, MemoryError) else text or kind


def _name(value: Any) -> str:
    """A header cell as pandas names its column ('' for a blank cell, which pandas calls 'Unnamed: i')."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _check_sheet(path: str | Path, limits: TableLimits, shown: str) -> None:
    """The first sheet's extent as pandas will read it: every row down to the last cell with a value, each
    as wide as the widest. openpyxl streams the sheet (read-only); the declared used range is set aside,
    as pandas sets it aside, and the scan stops as soon as the extent passes a limit, so a sheet with
    one cell at XFD1048576 costs a pass over its rows, not 17 billion cells."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        rows = columns = 0
        for index, row in enumerate(sheet.iter_rows(values_only=True), 1):
            width = len(row)
            while width and row[width - 1] is None:
                width -= 1
            if width:
                rows, columns = index, max(columns, width)
                limits.check(f"{shown} (its first sheet)", rows, columns)
    finally:
        book.close()


def _count_lines(path: str | Path, columns: int, limits: TableLimits) -> tuple[int, bool]:
    """The lines of a CSV (plain or compressed) after its header, counted in blocks without parsing (a
    value with a newline inside quotes counts twice: an upper bound on the rows), and whether the count is
    whole: it stops as soon as it times ``columns`` passes ``limits.max_cells``."""
    opener = _OPENERS.get(Path(path).suffix.lower(), open)
    enough = limits.max_cells // max(columns, 1) + 1
    lines, last, whole = 0, b"\n", True
    with opener(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
            last = block[-1:]
            if lines > enough and handle.read(1):
                whole = False
                break
    lines += whole and last != b"\n"  # a last line without its newline
    return max(lines - 1, 0), whole


_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _raise_long_lines(path: str | Path, sep: str, fields: int, shown: str) -> None:
    """Name the lines of a CSV that hold more fields than its header (quoted separators do not count)."""
    opener = _OPENERS.get(Path(path).suffix.lower(), open)
    with opener(path, "rt", newline="") as handle:
        reader = csv.reader(handle, delimiter=sep)
        long = [reader.line_num for row in reader if len(row) > fields]
    shown = ", ".join(map(str, long[:5])) + (", ..." if len(long) > 5 else "")
    raise SynthproofError(
        f"{shown}: {len(long)} lines have more fields than the header's {fields} (lines {shown}): "
        "a separator inside an unquoted value, or a missing header column; fix or remove those lines"
    )


def _check_header(names: list[str], path: str) -> None:
    """Column names that can be told apart: not all blank (a header of separators only, ``,,,``), at
    most one blank (pandas calls it ``Unnamed: i``), none twice (pandas would rename a twin)."""
    blank = [i for i, name in enumerate(names, 1) if name == ""]
    if names and len(blank) == len(names):
        raise SynthproofError(
            f"{path}: the header line has no column names (only {len(names)} empty fields): the first "
            "line of the table must name its columns"
        )
    if len(blank) > 1:
        shown = ", ".join(map(str, blank[:5])) + (", ..." if len(blank) > 5 else "")
        raise SynthproofError(
            f"{path}: {len(blank)} columns of the header line have no name (columns {shown}): name each "
            "column"
        )
    duplicated = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicated:
        raise SynthproofError(
            f"{path} has duplicate column names {duplicated}: rename them so that each is unique"
        )
