"""Column kinds: inferred from the data, overridable by the user, checked before anything is written."""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.tasks import CLASSIFICATION, REGRESSION

NUMERIC = "numeric"
CATEGORICAL = "categorical"
DATETIME = "datetime"
ID = "id"  # unique per row (keys, names): never learnt, replaced by fresh values
CONSTANT = "constant"
EMPTY = "empty"
KINDS = (NUMERIC, CATEGORICAL, DATETIME, ID, CONSTANT, EMPTY)

# Integer columns are called ID-like only when every value is distinct and there are this many rows.
_MIN_ROWS_FOR_INTEGER_ID = 100


@dataclass(frozen=True)
class Column:
    """One column of the schema and why it got its kind."""

    name: str
    kind: str
    dtype: str
    n_unique: int
    n_missing: int
    source: str  # "inferred" or "override"


@dataclass(frozen=True)
class Schema:
    """The columns of a table, their kinds, and the target with its task (classification: the target is
    categorical; regression: numeric) and why ingest chose that task."""

    target: str
    n_rows: int
    columns: list[Column] = field(default_factory=list)
    task: str = CLASSIFICATION
    task_reason: str = ""

    def names(self, *kinds: str) -> list[str]:
        """Names of the columns of the given kinds, in table order."""
        return [c.name for c in self.columns if c.kind in kinds]

    @property
    def discrete_columns(self) -> list[str]:
        return self.names(CATEGORICAL)

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "task": self.task,
            "task_reason": self.task_reason,
            "n_rows": self.n_rows,
            "kinds": {kind: self.names(kind) for kind in KINDS},
            "columns": [asdict(c) for c in self.columns],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Schema:
        columns = [Column(**c) for c in data["columns"]]
        return cls(data["target"], data["n_rows"], columns, data["task"], data["task_reason"])


@dataclass(frozen=True)
class IngestReport:
    """What ingest changed in the table, for the metrics."""

    rows_read: int
    rows_dropped_missing_target: int
    columns_dropped: list[str]


def prepare_table(
    df: pd.DataFrame,
    target: str,
    *,
    categorical: list[str] = (),
    numeric: list[str] = (),
    datetime: list[str] = (),
    drop: list[str] = (),
    min_rows: int = 100,
    target_type: str = "auto",
    max_target_classes: int = 50,
    empty_columns: str = "error",
    categorical_max_unique: int = 10,
    id_unique_ratio: float = 0.95,
) -> tuple[pd.DataFrame, Schema, IngestReport]:
    """Check a raw table, apply the user's column overrides, and infer every other column's kind.

    Returns the converted table (datetimes parsed, dropped columns gone, rows without a target
    removed), its schema and a report. Raises :class:`SynthproofError` on bad input.
    """
    overrides = {CATEGORICAL: list(categorical), NUMERIC: list(numeric), DATETIME: list(datetime)}
    _check_overrides(df, target, overrides, list(drop), target_type)
    rows_read = len(df)
    df = df.drop(columns=list(drop))
    missing_target = int(df[target].isna().sum())
    df = df[df[target].notna()].reset_index(drop=True)
    if len(df) < min_rows:
        raise SynthproofError(
            f"the table has {len(df)} rows with a target value, fewer than ingest.min_rows="
            f"{min_rows}: bring a larger table or lower ingest.min_rows"
        )
    listed_in = None  # the override list that names the target, which then says its task
    if target in numeric:  # a target listed as numeric is learnt as a number
        df[target], target_type, listed_in = _to_numeric(df[target], target), REGRESSION, NUMERIC
    elif target in categorical:
        target_type, listed_in = CLASSIFICATION, CATEGORICAL
    task, task_reason = target_task(df[target], target, target_type, max_target_classes, listed_in)
    target_kind = CATEGORICAL if task == CLASSIFICATION else NUMERIC
    columns = [
        _column(df, name, overrides, target_kind if name == target else None, empty_columns,
                categorical_max_unique, id_unique_ratio)
        for name in df.columns
    ]  # fmt: skip
    schema = Schema(target, len(df), columns, task, task_reason)
    return df, schema, IngestReport(rows_read, missing_target, list(drop))


def _check_overrides(df: pd.DataFrame, target: str, overrides: dict, drop: list[str], target_type: str):
    """The override lists name real columns, agree with ``ingest.target_type``, and the target exists."""
    _check_override_names(df, target, overrides, drop)
    for listed, clash in ((overrides[NUMERIC], CLASSIFICATION), (overrides[CATEGORICAL], REGRESSION)):
        if target in listed and target_type == clash:
            kind = "numeric" if clash == CLASSIFICATION else "categorical"
            raise SynthproofError(
                f"the target {target!r} is listed in ingest.columns.{kind} but ingest.target_type is "
                f"{clash}: remove it from the list, or change ingest.target_type"
            )
    if target not in df.columns:
        raise SynthproofError(
            f"target column {target!r} is not in the table (columns: {list(df.columns)}): "
            "set target in params.yaml"
        )


def _column(
    df: pd.DataFrame,
    name: str,
    overrides: dict,
    target_kind: str | None,
    empty_columns: str,
    categorical_max_unique: int,
    id_unique_ratio: float,
) -> Column:
    """One column's kind (its override, the target's task, or inferred), its values converted in ``df``
    to that kind."""
    forced = next((kind for kind, names in overrides.items() if name in names), None)
    if forced == NUMERIC:
        df[name] = _to_numeric(df[name], name)
    elif forced == DATETIME:
        df[name] = _to_datetime(df[name], name)
    if forced is not None:
        kind = forced
    elif target_kind is not None:
        kind = target_kind
    else:
        kind = infer_kind(df[name], categorical_max_unique, id_unique_ratio)
        if kind == DATETIME and not pd.api.types.is_datetime64_any_dtype(df[name]):
            df[name] = _to_datetime(df[name], name)
    if kind == EMPTY and empty_columns == "error":
        raise SynthproofError(
            f"column {name!r} is entirely empty: add it to ingest.columns.drop, or set "
            "ingest.empty_columns: keep to carry it through as empty"
        )
    series = df[name]
    return Column(
        name=name,
        kind=kind,
        dtype=str(series.dtype),
        n_unique=int(series.nunique(dropna=True)),
        n_missing=int(series.isna().sum()),
        source="inferred" if forced is None else "override",
    )


def infer_kind(series: pd.Series, categorical_max_unique: int = 10, id_unique_ratio: float = 0.95) -> str:
    """Infer one column's kind from its values (see ``KINDS``)."""
    values = series.dropna()
    n_unique = values.nunique()
    if len(values) == 0:
        return EMPTY
    if n_unique == 1 and len(values) == len(series):
        return CONSTANT
    if pd.api.types.is_datetime64_any_dtype(series):
        return DATETIME
    if pd.api.types.is_bool_dtype(series):
        return CATEGORICAL
    if pd.api.types.is_numeric_dtype(series):
        if n_unique <= categorical_max_unique:
            return CATEGORICAL
        is_integer = pd.api.types.is_integer_dtype(series)
        if is_integer and n_unique == len(series) and len(series) >= _MIN_ROWS_FOR_INTEGER_ID:
            return ID
        return NUMERIC
    if _looks_like_iso_datetime(values):
        return DATETIME
    if n_unique >= id_unique_ratio * len(values) and n_unique > categorical_max_unique:
        return ID
    return CATEGORICAL


def _value(value):
    """A cell as a message shows it: numpy's scalars as plain Python values (``5``, not ``np.int64(5)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _looks_like_iso_datetime(values: pd.Series) -> bool:
    sample = pd.Series(values.astype(str).unique()[:1000])
    if not sample.str.contains(r"^\d{4}-\d{2}-\d{2}", regex=True).all():
        return False
    parsed = pd.to_datetime(sample, errors="coerce", format="ISO8601")
    return bool(parsed.notna().all())


def _to_numeric(series: pd.Series, name: str) -> pd.Series:
    converted = pd.to_numeric(series, errors="coerce")
    bad = series[converted.isna() & series.notna()]
    if len(bad):
        raise SynthproofError(
            f"column {name!r} is listed in ingest.columns.numeric but has non-numeric values such "
            f"as {_value(bad.iloc[0])!r}: add the token to ingest.na_values or list the column as categorical"
        )
    return converted


def _to_datetime(series: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        converted = pd.to_datetime(series, errors="coerce", format="mixed")
    bad = series[converted.isna() & series.notna()]
    if len(bad):
        raise SynthproofError(
            f"column {name!r} is listed in ingest.columns.datetime but {_value(bad.iloc[0])!r} is not a "
            "date: fix the value, add it to ingest.na_values, or list the column as categorical"
        )
    return converted


def _check_override_names(df: pd.DataFrame, target: str, overrides: dict, drop: list[str]) -> None:
    listed = {"drop": drop, **overrides}
    seen: dict[str, str] = {}
    for kind, names in listed.items():
        for name in names:
            if name not in df.columns:
                raise SynthproofError(
                    f"ingest.columns.{kind} names {name!r}, which is not a column of the table "
                    f"(columns: {list(df.columns)})"
                )
            if name in seen:
                raise SynthproofError(
                    f"column {name!r} is listed in both ingest.columns.{seen[name]} and "
                    f"ingest.columns.{kind}: keep one"
                )
            seen[name] = kind
    if seen.get(target) not in (None, CATEGORICAL, NUMERIC):
        raise SynthproofError(
            f"the target {target!r} cannot be listed in ingest.columns.{seen[target]}: the target is "
            "categorical (classification) or numeric (regression)"
        )


def target_task(
    series: pd.Series,
    target: str,
    target_type: str,
    max_classes: int,
    listed_in: str | None = None,
) -> tuple[str, str]:
    """Classification or regression for a target column (no missing values), and why, from
    ``target_type`` (``auto``: a numeric target with more than ``max_classes`` distinct values is
    regression, any other classification); ``listed_in``: the ``ingest.columns`` list that forced
    ``target_type``, if one did. Raises on a target neither task can learn."""
    counts = series.value_counts()
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    distinct = f"{len(counts)} distinct values"
    if len(counts) < 2:
        raise SynthproofError(
            f"target column {target!r} has only one class ({_value(counts.index[0])!r}) in rows with a "
            "target: a model needs at least two; choose another target"
        )
    if target_type == REGRESSION:
        if not numeric:
            raise SynthproofError(
                f"target column {target!r} is not numeric (values such as {_value(counts.index[0])!r}) but "
                "ingest.target_type is regression: list it in ingest.columns.numeric if its values are "
                "numbers, or set ingest.target_type: classification"
            )
        infinite = series[~np.isfinite(series.astype(float))]
        if len(infinite):
            raise SynthproofError(
                f"target column {target!r} holds {_value(infinite.iloc[0])!r}: a regression target must be "
                "finite; drop those rows or add the token to ingest.na_values"
            )
        return REGRESSION, _forced(REGRESSION, listed_in, distinct)
    if target_type == "auto" and numeric and len(counts) > max_classes:
        return REGRESSION, f"numeric, with {distinct}: more than ingest.max_target_classes={max_classes}"
    if len(counts) > max_classes:
        raise SynthproofError(
            f"target column {target!r} has {distinct}, more than ingest.max_target_classes="
            f"{max_classes}: choose a class column as target, raise the limit, or (for numbers) set "
            "ingest.target_type: regression"
        )
    if target_type == CLASSIFICATION:
        return CLASSIFICATION, _forced(CLASSIFICATION, listed_in, f"{len(counts)} classes")
    kind = "numeric" if numeric else "not numeric"
    return (
        CLASSIFICATION,
        f"{kind}, with {len(counts)} classes: at most ingest.max_target_classes={max_classes}",
    )


def _forced(task: str, listed_in: str | None, counted: str) -> str:
    """Why a forced task: ``ingest.target_type is regression (74 distinct values)``, or
    ``listed in ingest.columns.numeric (16 distinct values)``."""
    said = f"listed in ingest.columns.{listed_in}" if listed_in else f"ingest.target_type is {task}"
    return f"{said} ({counted})"
