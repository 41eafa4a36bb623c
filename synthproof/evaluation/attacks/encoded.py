"""The tables as the attacks compare them: every column scaled to anonymeter's Gower-like distance (an
ordered column by its range, a categorical one by equality, a missing value 1 from any value), in
chunks that bound the memory held at once."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthproof.links import as_key
from synthproof.values import as_float

MISSING = 3.0  # a missing scaled value: more than 1 from every value (distances clip at 1)


CELLS_PER_CHUNK = 20_000_000  # target x synthetic x column distances held at once (80 MB)


class Encoded:
    """Three tables (training rows, synthetic rows, control rows) with the same columns encoded alike:
    ordered columns as floats scaled to [0, 1] by their range over all three (NaN where missing),
    categorical columns as codes of one shared dictionary (missing a value of its own)."""

    def __init__(self, frames: dict[str, pd.DataFrame], categorical: list[str], ordered: list[str]):
        self.columns = list(categorical) + list(ordered)
        self.categorical = set(categorical)
        self._indexes: dict[str, QueryIndex] = {}
        self._filled_values: dict[tuple[str, str], np.ndarray] = {}
        self.date_spans: dict[str, float] = {}  # a datetime's guess is judged against its range
        self.raw: dict[str, dict[str, np.ndarray]] = {name: {} for name in frames}
        self.values: dict[str, dict[str, np.ndarray]] = {name: {} for name in frames}
        for column in ordered:
            numbers = {name: as_float(frame[column]) for name, frame in frames.items()}
            joined = np.concatenate(list(numbers.values()))
            low, high = (np.nanmin(joined), np.nanmax(joined)) if np.isfinite(joined).any() else (0.0, 0.0)
            span = (high - low) or 1.0
            if any(pd.api.types.is_datetime64_any_dtype(frame[column]) for frame in frames.values()):
                self.date_spans[column] = span
            for name, values in numbers.items():
                self.raw[name][column] = values
                self.values[name][column] = (values - low) / span
        for column in categorical:
            keys = {name: as_key(frame[column]) for name, frame in frames.items()}
            dictionary = pd.Index(pd.unique(pd.concat(list(keys.values()), ignore_index=True)))
            for name, key in keys.items():
                codes = dictionary.get_indexer(key).astype(float)
                self.raw[name][column] = codes
                self.values[name][column] = codes

    def rows(self, table: str) -> int:
        return len(next(iter(self.values[table].values()))) if self.columns else 0

    def index(self, table: str) -> QueryIndex:
        """``table``'s distinct rows, sorted per column: built once, for every singling-out attack."""
        if table not in self._indexes:
            self._indexes[table] = QueryIndex(self, table)
        return self._indexes[table]

    def distances(self, table: str, rows: np.ndarray, candidates: str, column: str) -> np.ndarray:
        """Each of ``rows`` of ``table`` against every row of ``candidates``: one column's distance
        (float32; a categorical's as a bool mismatch, which sums as 0 or 1)."""
        a, b = self._filled(table, column)[rows], self._filled(candidates, column)
        if column in self.categorical:
            return a[:, None] != b[None, :]
        distance = np.abs(a[:, None] - b[None, :])
        return np.minimum(distance, 1.0, out=distance).astype(np.float32)

    def _filled(self, table: str, column: str) -> np.ndarray:
        """A column's values with a missing one as ``MISSING`` (categorical codes already hold it)."""
        key = (table, column)
        if key not in self._filled_values:
            values = self.values[table][column]
            self._filled_values[key] = (
                values if column in self.categorical else np.nan_to_num(values, nan=MISSING)
            )
        return self._filled_values[key]


def chunks(n_rows: int, n_candidates: int, n_columns: int, at_once: int = 1) -> list[np.ndarray]:
    """Row ranges whose distances fit ``CELLS_PER_CHUNK`` cells, shared by ``at_once`` chunks in flight."""
    size = max(1, CELLS_PER_CHUNK // at_once // max(1, n_candidates * n_columns))
    return [np.arange(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


def summed(parts: dict[str, np.ndarray], columns: list[str]) -> np.ndarray:
    """The distances of ``columns`` added up in float32, in place and in their order."""
    total = np.zeros(parts[columns[0]].shape, dtype=np.float32)
    for column in columns:
        total += parts[column]
    return total


# A predicate is (column, operator, value) on encoded values; a query is a tuple of predicates, all of
# which a row must meet. "null" matches a missing ordered value (a missing category is a value of its own).
_COMPARE = {
    "==": np.equal,
    "!=": np.not_equal,
    ">=": np.greater_equal,
    "<=": np.less_equal,
    ">": np.greater,
    "<": np.less,
}


class QueryIndex:
    """One table's distinct rows, each column sorted once, so that the rows a query matches are found from
    its narrowest predicate's range instead of a scan of every row."""

    def __init__(self, encoded: Encoded, table: str):
        frame = pd.DataFrame({c: encoded.values[table][c] for c in encoded.columns})
        distinct = frame.drop_duplicates().to_numpy(float)  # anonymeter's attacks see distinct rows
        self.n = len(distinct)
        self.values = {c: distinct[:, i] for i, c in enumerate(encoded.columns)}
        self.order = {c: np.argsort(v, kind="stable") for c, v in self.values.items()}  # NaN last
        self.sorted = {c: self.values[c][self.order[c]] for c in self.values}
        self.valid = {c: int(np.count_nonzero(~np.isnan(v))) for c, v in self.values.items()}

    def _range(self, column: str, op: str, value: float) -> np.ndarray | None:
        order, valid = self.order[column], self.valid[column]
        if op == "null":
            return order[valid:]
        if op == "!=":
            return None  # no range: checked row by row
        head = self.sorted[column][:valid]
        left, right = np.searchsorted(head, value, "left"), np.searchsorted(head, value, "right")
        low, high = {"==": (left, right), ">=": (left, valid), ">": (right, valid), "<=": (0, right),
                     "<": (0, left)}[op]  # fmt: skip
        return order[low:high]

    def matches(self, query: tuple) -> np.ndarray:
        """The rows that meet every predicate of ``query``."""
        rows, rest = self._narrowest(query)
        return self._filter(rows, rest)

    def isolates(self, query: tuple) -> bool:
        """Whether exactly one row meets ``query``: the narrowest predicate's rows are checked in growing
        blocks, and a second match ends the search (most queries tried match many rows)."""
        rows, rest = self._narrowest(query)
        found, start, size = 0, 0, 256
        while start < len(rows) and found < 2:
            found += len(self._filter(rows[start : start + size], rest))
            start, size = start + size, size * 4
        return found == 1

    def _narrowest(self, query: tuple) -> tuple[np.ndarray, list[tuple]]:
        """The rows of ``query``'s narrowest sorted range and its other predicates."""
        ranges = [self._range(*predicate) for predicate in query]
        narrowest = min(
            (i for i, rows in enumerate(ranges) if rows is not None),
            key=lambda i: len(ranges[i]),
            default=None,
        )
        rows = np.arange(self.n) if narrowest is None else ranges[narrowest]
        return rows, [predicate for i, predicate in enumerate(query) if i != narrowest]

    def _filter(self, rows: np.ndarray, predicates: list[tuple]) -> np.ndarray:
        for column, op, value in predicates:
            if len(rows) == 0:
                break
            values = self.values[column][rows]
            rows = rows[np.isnan(values) if op == "null" else _COMPARE[op](values, value)]
        return rows
