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


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds."""
    path = Path(path)
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
    """Yield a temporary folder beside ``path``; it replaces ``path`` whole if the block succeeds."""
    path = Path(path)
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
    """Split a stage's ``result``: its scalars (numbers, flags, names) go to the metrics file that
    ``dvc exp show`` and ``dvc metrics diff`` read, one tidy column each; the whole result, tables and
    lists included, goes to the details file."""
    scalars = {key: value for key, value in result.items() if not isinstance(value, dict | list | tuple)}
    write_json(result, details_path)
    write_json(scalars, metrics_path)


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
            raise SynthproofError(
                f"checksum mismatch for {local}: expected sha256 {sha256}, got {actual} "
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


def table_format(path: str | Path, declared: str = "auto") -> str:
    """Return ``csv`` or ``parquet`` for ``path``, from ``declared`` or the file name."""
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
            f"{path} is a {suffixes.rsplit('.', 1)[-1]} spreadsheet, which synthproof does not read: "
            "save it as .xlsx, CSV or Parquet"
        )
    raise SynthproofError(
        f"cannot tell the format of {path} from its name ({suffixes or 'no extension'}): name it .csv, "
        ".csv.gz, .parquet or .xlsx, or set ingest.format to csv, parquet or excel"
    )


def read_table(path: str | Path, fmt: str = "auto", na_values: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV (plain or compressed), Parquet or Excel (.xlsx: its first sheet) table; ``na_values``
    are read as missing."""
    fmt = table_format(path, fmt)
    na_values = list(na_values or [])
    try:
        if fmt == "excel":
            import openpyxl  # noqa: F401 (pandas' reader of .xlsx; a missing one is named below)

            header = pd.read_excel(path, sheet_name=0, header=None, nrows=1, engine="openpyxl")
            _check_unique_names(header.iloc[0].astype(str).tolist(), path)  # pandas renames a twin
            df = pd.read_excel(path, sheet_name=0, na_values=na_values, engine="openpyxl")
        elif fmt == "parquet":
            names = pq.read_schema(path).names
            _check_unique_names(names, path)
            df = pd.read_parquet(path)
            if na_values:
                df = df.replace(na_values, float("nan"))
        else:
            sep = "\t" if ".tsv" in "".join(Path(path).suffixes).lower() else ","
            names = pd.read_csv(path, sep=sep, header=None, nrows=1).iloc[0].astype(str).tolist()
            _check_unique_names(names, path)
            # index_col=False: lines longer than the header are not turned into an index (pandas' guess
            # when the first data line is longer); pandas warns, and the lines are named below
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                df = pd.read_csv(path, sep=sep, na_values=na_values, low_memory=False, index_col=False)
            if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
                _raise_long_lines(path, sep, len(names))
    except SynthproofError:
        raise
    except Exception as error:  # parsers raise many types; the user needs the file and the cause
        raise SynthproofError(f"cannot read {path} as {fmt}: {error}") from None
    df.columns = [str(name) for name in df.columns]
    return df


_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def _raise_long_lines(path: str | Path, sep: str, fields: int) -> None:
    """Name the lines of a CSV that hold more fields than its header (quoted separators do not count)."""
    opener = _OPENERS.get(Path(path).suffix.lower(), open)
    with opener(path, "rt", newline="") as handle:
        reader = csv.reader(handle, delimiter=sep)
        long = [reader.line_num for row in reader if len(row) > fields]
    shown = ", ".join(map(str, long[:5])) + (", ..." if len(long) > 5 else "")
    raise SynthproofError(
        f"{path}: {len(long)} lines have more fields than the header's {fields} (lines {shown}): "
        "a separator inside an unquoted value, or a missing header column; fix or remove those lines"
    )


def _check_unique_names(names: list[str], path: str | Path) -> None:
    duplicated = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicated:
        raise SynthproofError(
            f"{path} has duplicate column names {duplicated}: rename them so that each is unique"
        )
