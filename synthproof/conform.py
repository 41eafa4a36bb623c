"""Bring a table made elsewhere (a vendor's synthetic table, a holdout split elsewhere) to the columns and
dtypes of the real training part, by column name, or say in one line which column is wrong and why."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from synthproof.errors import SynthproofError

EXTRA_COLUMNS = ("error", "drop")
_EXAMPLES = 3  # bad values a message shows


@dataclass
class Conformed:
    """The table in the real table's column order and dtypes, and what had to be done to get there."""

    frame: pd.DataFrame
    dropped_columns: list[str] = field(default_factory=list)
    # categorical columns' values the real table never has: rows holding one, per column
    unseen_categories: dict[str, int] = field(default_factory=dict)
    unseen_category_rows: int = 0  # rows with at least one unseen value

    def report(self) -> dict:
        rows = len(self.frame)
        return {
            "rows": rows,
            "dropped_columns": self.dropped_columns,
            "unseen_category_rows_share": round(self.unseen_category_rows / rows, 4) if rows else 0.0,
            "unseen_categories": self.unseen_categories,
        }


def conform_table(
    table: pd.DataFrame,
    real: pd.DataFrame,
    target: str,
    categorical: list[str],
    where: str,
    extra_columns: str = "error",
) -> Conformed:
    """``table`` with ``real``'s columns (by name, any order), each converted to the real column's dtype.

    ``where`` names the param the table came from, for the messages. Raises :class:`SynthproofError`
    for an empty table, a missing column (the target first), an extra one (unless ``extra_columns`` is
    ``drop``), or values the real column's kind cannot take. Nullable dtypes (``Int64``, ``string``,
    ``boolean``), datetimes written as text and categories the real table never has are taken.
    """
    if extra_columns not in EXTRA_COLUMNS:
        raise SynthproofError(f"extra_columns must be one of {EXTRA_COLUMNS}, got {extra_columns!r}")
    if len(table) == 0:
        raise SynthproofError(f"{where}: the table has no rows: bring one with rows")
    if target not in table.columns:
        raise SynthproofError(
            f"{where}: the target column {target!r} is missing (the table has {_names(table.columns)})"
        )
    missing = [name for name in real.columns if name not in table.columns]
    if missing:
        raise SynthproofError(
            f"{where}: columns {missing} of the real table are missing: every real column must be there, "
            "by the same name"
        )
    extra = [name for name in table.columns if name not in real.columns]
    if extra and extra_columns == "error":
        raise SynthproofError(
            f"{where}: columns {_names(extra)} are not in the real table: remove them, or set "
            "extra_columns: drop beside it to leave them out"
        )
    frame = pd.DataFrame(
        {name: _conform_column(table[name], real[name], name, where) for name in real.columns}
    )
    unseen, any_unseen = {}, np.zeros(len(frame), dtype=bool)
    for name in categorical:
        new = frame[name].notna() & ~frame[name].isin(real[name].dropna().unique())
        if new.any():
            unseen[name] = int(new.sum())
            any_unseen |= new.to_numpy()
    return Conformed(frame, extra, unseen, int(any_unseen.sum()))


def _conform_column(values: pd.Series, real: pd.Series, name: str, where: str) -> pd.Series:
    values = values.reset_index(drop=True)
    dtype = real.dtype
    if values.dtype == dtype:
        return values
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _datetimes(values, dtype, name, where)
    if pd.api.types.is_bool_dtype(dtype):
        return _booleans(values, dtype, name, where)
    if pd.api.types.is_numeric_dtype(dtype):
        return _numbers(values, dtype, name, where)
    if isinstance(dtype, pd.CategoricalDtype):
        objects = _objects(values, real)
        categories = list(dtype.categories) + sorted(set(objects.dropna()) - set(dtype.categories), key=str)
        return pd.Series(pd.Categorical(objects, categories=categories, ordered=dtype.ordered))
    converted = _objects(values, real)
    return converted.astype(dtype) if isinstance(dtype, pd.StringDtype) else converted


def _numbers(values: pd.Series, dtype, name: str, where: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype("Int64")
    numbers = pd.to_numeric(values, errors="coerce")
    _fail_on_lost(values, numbers, name, where, "numbers")
    if pd.api.types.is_extension_array_dtype(dtype):  # the real column is nullable (Int64, Float64)
        try:
            return numbers.astype(dtype)
        except (TypeError, ValueError):
            return numbers.astype("Float64")
    numbers = numbers.astype("float64")
    if pd.api.types.is_integer_dtype(dtype) and numbers.notna().all() and (numbers % 1 == 0).all():
        return numbers.astype(dtype)
    return numbers  # an integer column with gaps or fractions stays float, as pandas reads it


def _booleans(values: pd.Series, dtype, name: str, where: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        flags = values.map(lambda v: bool(v) if pd.notna(v) and v in (0, 1) else None)
        _fail_on_lost(values, flags, name, where, "true/false values")
    else:
        words = {"true": True, "false": False, "1": True, "0": False}
        flags = values.map(lambda v: words.get(str(v).strip().lower()) if pd.notna(v) else None)
        _fail_on_lost(values, flags, name, where, "true/false values")
    if flags.notna().all():
        return flags.astype(dtype)
    return flags.astype("boolean" if pd.api.types.is_extension_array_dtype(dtype) else object)


def _datetimes(values: pd.Series, dtype, name: str, where: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stamps = pd.to_datetime(
            values, errors="coerce", format="mixed", utc=getattr(dtype, "tz", None) is not None
        )
    _fail_on_lost(values, stamps, name, where, "dates")
    tz = getattr(dtype, "tz", None)
    if tz is not None:
        stamps = stamps.dt.tz_convert(tz)
    return stamps.astype(dtype)


def _objects(values: pd.Series, real: pd.Series) -> pd.Series:
    """Text as Python objects, missing as None (as Parquet reads them back); numbers become text where
    the real column holds text (codes written as 1, 2, 3 by another tool)."""
    text = real.dropna().map(type).eq(str).all() and real.notna().any()
    converted = values.astype(object)
    missing = converted.isna()
    if text:
        converted = converted.map(lambda v: v if isinstance(v, str) else _as_text(v))
    return converted.where(~missing, None)


def _as_text(value) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _fail_on_lost(values: pd.Series, converted: pd.Series, name: str, where: str, kind: str) -> None:
    lost = values[values.notna().to_numpy() & converted.isna().to_numpy()]
    if len(lost):
        examples = [_plain(v) for v in lost.unique()[:_EXAMPLES]]
        raise SynthproofError(
            f"{where}: column {name!r} holds {len(lost):,} values that are not {kind} as in the real "
            f"table, such as {examples}: fix them, or write them as missing"
        )


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _names(columns) -> str:
    names = list(columns)
    return str(names) if len(names) <= 12 else f"{names[:12]} and {len(names) - 12} more"
