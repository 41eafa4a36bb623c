"""The wrapper every generator runs inside: it keeps the synthetic table's columns honest.

A generator alone invents values no real row has (negative ``capital_gain``), fails on NaN,
one-hot encodes thousands of categories, and knows nothing of integers or datetimes. The
wrapper encodes the table into what any generator learns well and decodes samples back:

- numerics: NaN becomes a separate 0/1 column; values are clipped to the observed range,
  rounded to the observed precision, and integer columns stay integer;
- datetimes: learnt as integers in their coarsest unit (days, seconds...), restored with time zone;
- categoricals: learnt as codes (NaN is a category of its own); past ``binary_encoding_cutoff``
  categories, as the bits of the code, so memory grows with log2 of the categories;
- spikes: a numeric value held by at least ``spike_min_share`` of the rows (census: 92% of
  ``capital_gain`` is 0, 47% of ``hours_per_week`` is 40) is learnt as a 0/1 column of its own, and
  the numeric column learns only the other values;
- linked columns: with ``derive_linked_columns``, a column that another one fixes exactly in the
  training rows (``education`` -> ``education_num``) is not learnt but derived from its source;
- constant, empty and ID-like columns: not learnt; carried through, or given fresh IDs;
- every column comes back with its name, order and dtype.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.generators.base import Fit, Generator
from synthproof.generators.model_file import described
from synthproof.links import find_links
from synthproof.names import fresh_name

_MAX_DECIMALS = 6
SAMPLE_CHUNK_ROWS = 50_000  # rows drawn at once (census's 39,074 in one draw)
_DATETIME_UNITS_NS = (86_400 * 10**9, 3_600 * 10**9, 60 * 10**9, 10**9, 10**6, 10**3, 1)


@dataclass
class _Plan:
    """How one column is encoded for the generator and decoded back."""

    name: str
    role: str  # discrete | numeric | datetime | constant | empty | id | derived
    dtype: Any
    encoded: list[str] = field(default_factory=list)  # the generator's columns for this one
    values: list = field(default_factory=list)  # discrete: the value of each code
    low: float = 0.0
    high: float = 0.0
    decimals: int | None = None
    fill: float = 0.0
    nan_column: str | None = None
    unit_ns: int = 1
    tz: Any = None
    constant: Any = None
    id_start: int | None = None
    spike_value: float | None = None
    spike_column: str | None = None
    source: str | None = None  # derived: the column that fixes this one
    mapping: dict = field(default_factory=dict)  # derived: source value key -> value


@dataclass
class Draw:
    """Rows the wrapper drew, and how many values of each numeric or datetime column the generator put
    outside the real range before they were clipped."""

    frame: pd.DataFrame
    out_of_range: dict[str, int]


class TableWrapper(Generator):
    """Wrap ``generator`` so that what it samples has the real table's columns, ranges and dtypes.

    Args:
        generator: The inner generator; it sees only the encoded table.
        binary_encoding_cutoff: Categoricals with more categories than this are learnt as bits.
        id_columns: ID-like columns: not learnt, filled with fresh unique values on sampling.
        spike_min_share: A numeric value held by at least this share of the non-missing rows is
            learnt as a 0/1 column of its own; None turns this off.
        derive_linked_columns: Derive a column that another one fixes exactly, instead of learning it.
        learn_order: Column names in the order the generator sees them (a sequential generator
            models each column on the ones before it); the others follow in table order. The
            synthetic table keeps the real table's order either way.
        seed: Seeds the wrapper's own random step (the values that stand in for a spike while learning).
    """

    state_types = ("synthproof.generators.wrapper:_Plan",)

    def __init__(
        self,
        generator: Generator,
        binary_encoding_cutoff: int = 500,
        id_columns=(),
        spike_min_share: float | None = None,
        derive_linked_columns: bool = False,
        learn_order=(),
        seed: int = 0,
    ):
        self.generator = generator
        self.binary_encoding_cutoff = binary_encoding_cutoff
        self.id_columns = list(id_columns)
        self.spike_min_share = spike_min_share
        self.derive_linked_columns = derive_linked_columns
        self.learn_order = list(learn_order)
        self.seed = seed
        self.name = generator.name
        self._plans: list[_Plan] = []

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        """Fit the inner generator on the encoded table; its report and losses, with the wrapper's
        own figures (encoded, binary, spike, derived and not-learnt columns)."""
        taken = set(df.columns)
        categories = [name for name in df.columns if _learnt_as_category(df[name], name in discrete_columns)]
        derived = self._derived_columns(df, categories) if self.derive_linked_columns else {}
        self._plans = [
            derived.get(name) or self._plan(df[name], name in discrete_columns, taken) for name in df.columns
        ]
        unknown = [name for name in self.learn_order if name not in df.columns]
        if unknown:
            raise SynthproofError(f"column order names {unknown}, which are not columns of the table")
        first = [p for name in self.learn_order for p in self._plans if p.name == name]
        learning = first + [p for p in self._plans if p.name not in self.learn_order]
        encoded = self._encode(df, learning, np.random.default_rng(self.seed))
        if encoded.shape[1] == 0:
            raise SynthproofError(
                "no column is left to learn: every column is constant, empty or ID-like "
                "(see data/schema.json; override kinds in ingest.columns)"
            )
        discrete = [name for p in self._plans if p.role == "discrete" for name in p.encoded]
        discrete += [p.nan_column for p in self._plans if p.nan_column]
        discrete += [p.spike_column for p in self._plans if p.spike_column]
        inner = self.generator.fit(encoded, discrete)
        return Fit({**inner.report, **self._report()}, inner.losses)

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        return self.draw(n, seed).frame

    def _check_loaded(self) -> None:
        """Called by model_file on a loaded wrapper: a generator and column plans where they belong."""
        inner, plans = getattr(self, "generator", None), getattr(self, "_plans", None)
        if not isinstance(inner, Generator):
            raise ValueError(f"its generator is {described(inner)}, not a generator")
        if not (isinstance(plans, list) and all(isinstance(p, _Plan) for p in plans)):
            raise ValueError("its column plans are not plans")

    def draw(self, n: int, seed: int | None = None) -> Draw:
        """``n`` rows, with the count of values the generator put out of range in each column. Rows come
        in chunks of ``SAMPLE_CHUNK_ROWS``, the first drawn with ``seed`` and each next one with a seed of
        its own derived from it, so that a generator's raw output (a one-hot row per categorical value
        for CTGAN) is in memory a chunk at a time."""
        sizes = [min(SAMPLE_CHUNK_ROWS, n - start) for start in range(0, n, SAMPLE_CHUNK_ROWS)] or [0]
        draws = [
            self._draw_chunk(size, seed if chunk == 0 or seed is None else _chunk_seed(seed, chunk))
            for chunk, size in enumerate(sizes)
        ]
        if len(draws) == 1:
            return draws[0]
        out_of_range = {name: sum(d.out_of_range[name] for d in draws) for name in draws[0].out_of_range}
        return Draw(pd.concat([d.frame for d in draws], ignore_index=True), out_of_range)

    def _draw_chunk(self, n: int, seed: int | None) -> Draw:
        raw = self.generator.sample(n, seed=seed).reset_index(drop=True)
        out_of_range: dict[str, int] = {}
        learnt = {p.name: self._decode(p, raw, n, out_of_range) for p in self._plans if p.role != "derived"}
        for plan in self._plans:
            if plan.role == "derived":
                keys = learnt[plan.source].map(_key)
                learnt[plan.name] = _restore(pd.Series(_objects(keys.map(plan.mapping))), plan.dtype)
        return Draw(pd.DataFrame({p.name: learnt[p.name] for p in self._plans}), out_of_range)

    def _report(self) -> dict:
        roles = {}
        for plan in self._plans:
            roles.setdefault(plan.role, []).append(plan.name)
        binary = [p.name for p in self._plans if p.role == "discrete" and len(p.encoded) > 1]
        return {
            "encoded_columns": sum(
                len(p.encoded) + bool(p.nan_column) + bool(p.spike_column) for p in self._plans
            ),
            "binary_encoded_columns": binary,
            "spike_columns": {p.name: p.spike_value for p in self._plans if p.spike_column},
            "derived_columns": {p.name: p.source for p in self._plans if p.role == "derived"},
            "not_learnt_columns": {r: c for r, c in roles.items() if r in ("constant", "empty", "id")},
        }

    def _derived_columns(self, df: pd.DataFrame, categories: list[str]) -> dict[str, _Plan]:
        """Plans for the columns another column fixes exactly; a source is never derived itself, and is
        learnt as a category, so that every value it is sampled at has a value to map to (a numeric source
        comes back at values no training row has)."""
        columns = [c for c in df.columns if c not in self.id_columns]
        plans: dict[str, _Plan] = {}
        sources: set[str] = set()
        for link in find_links(df, columns, min_consistency=1.0, max_categories=self.binary_encoding_cutoff):
            source, target = link.source, link.target
            if source not in categories:
                if not (link.one_to_one and target in categories):
                    continue
                source, target = target, source  # a one-to-one pair holds both ways
            if source in plans or target in sources or target in plans:
                continue
            sources.add(source)
            mapping = dict(zip(df[source].map(_key), df[target], strict=True))
            plans[target] = _Plan(target, "derived", df[target].dtype, source=source, mapping=mapping)
        return plans

    def _plan(self, series: pd.Series, discrete: bool, taken: set) -> _Plan:
        name, values = series.name, series.dropna()
        plan = _Plan(name=name, role="", dtype=series.dtype)
        if len(values) == 0:
            plan.role = "empty"
        elif name in self.id_columns:
            plan.role = "id"
            if pd.api.types.is_integer_dtype(series):
                plan.id_start = int(values.max()) + 1  # fresh IDs never collide with real ones
        elif values.nunique() == 1 and len(values) == len(series):
            plan.role, plan.constant = "constant", values.iloc[0]
        elif _learnt_as_category(series, discrete):
            plan.role = "discrete"
            counts = series.value_counts(dropna=False, sort=False)
            order = sorted(range(len(counts)), key=lambda i: (-counts.iloc[i], str(counts.index[i])))
            plan.values = [counts.index[i] for i in order]
            n_bits = max(1, math.ceil(math.log2(len(plan.values))))
            if len(plan.values) > self.binary_encoding_cutoff:
                plan.encoded = [fresh_name(f"{name}__bit{i}", taken) for i in range(n_bits)]
            else:
                plan.encoded = [name]
        else:
            plan.role = "datetime" if pd.api.types.is_datetime64_any_dtype(series) else "numeric"
            if plan.role == "datetime":
                plan.tz = getattr(series.dtype, "tz", None)
                nanos = _nanoseconds(values, plan.tz)
                plan.unit_ns = next(u for u in _DATETIME_UNITS_NS if np.all(nanos % u == 0))
            numbers = self._numbers(plan, values)
            plan.encoded = [name]
            plan.low, plan.high = float(numbers.min()), float(numbers.max())
            plan.fill = float(np.median(numbers))
            plan.decimals = 0 if plan.role == "datetime" else _decimals(numbers)
            if len(values) < len(series):
                plan.nan_column = fresh_name(f"{name}__isnan", taken)
            if plan.role == "numeric" and self.spike_min_share is not None:
                top, count = pd.Series(numbers).value_counts().agg(["idxmax", "max"])
                if count >= self.spike_min_share * len(numbers) and count < len(numbers):
                    plan.spike_value = float(top)
                    plan.spike_column = fresh_name(f"{name}__isspike", taken)
        return plan

    @staticmethod
    def _numbers(plan: _Plan, values: pd.Series) -> np.ndarray:
        """Numeric values as float; datetimes as integers in their coarsest exact unit."""
        if plan.role == "datetime":
            return (_nanoseconds(values, plan.tz) // plan.unit_ns).astype(float)
        return values.to_numpy(dtype=float)

    def _encode(self, df: pd.DataFrame, plans: list[_Plan], rng: np.random.Generator) -> pd.DataFrame:
        columns: dict[str, np.ndarray] = {}
        for plan in plans:
            series = df[plan.name]
            if plan.role == "discrete":
                index = {_key(v): code for code, v in enumerate(plan.values)}
                codes = np.array([index[_key(v)] for v in series], dtype=np.int64)
                if len(plan.encoded) == 1:
                    columns[plan.encoded[0]] = codes
                else:
                    for bit, column in enumerate(plan.encoded):
                        columns[column] = (codes >> bit) & 1
            elif plan.role in ("numeric", "datetime"):
                missing = series.isna().to_numpy()
                if plan.nan_column:  # before the values: a sequential generator learns them given it
                    columns[plan.nan_column] = missing.astype(np.int64)
                numbers = np.full(len(series), plan.fill)
                numbers[~missing] = self._numbers(plan, series[~missing])
                if plan.spike_column:
                    # The spike is learnt by its own column; stand-ins drawn from the other values
                    # keep it out of the numeric column's distribution.
                    spike = ~missing & (numbers == plan.spike_value)
                    numbers[spike] = rng.choice(numbers[~missing & ~spike], size=int(spike.sum()))
                    columns[plan.spike_column] = spike.astype(np.int64)
                columns[plan.name] = numbers
        return pd.DataFrame(columns, index=df.index)

    def _decode(self, plan: _Plan, raw: pd.DataFrame, n: int, out_of_range: dict[str, int]) -> pd.Series:
        if plan.role == "empty":
            return pd.Series(np.full(n, np.nan), dtype=plan.dtype)
        if plan.role == "constant":
            return pd.Series([plan.constant] * n).astype(plan.dtype)
        if plan.role == "id":
            if plan.id_start is not None:
                return pd.Series(np.arange(plan.id_start, plan.id_start + n)).astype(plan.dtype)
            width = len(str(n))
            return pd.Series([f"synthetic-{i:0{width}d}" for i in range(1, n + 1)], dtype=plan.dtype)
        if plan.role == "discrete":
            return self._decode_discrete(plan, raw)
        numbers = raw[plan.name].to_numpy(dtype=float)
        outside = (numbers < plan.low) | (numbers > plan.high)
        out_of_range[plan.name] = int(outside.sum())
        numbers = np.clip(numbers, plan.low, plan.high)
        if plan.decimals is not None:
            numbers = np.round(numbers, plan.decimals)
        if plan.spike_column:
            numbers[raw[plan.spike_column].to_numpy() == 1] = plan.spike_value
        missing = raw[plan.nan_column].to_numpy() == 1 if plan.nan_column else np.zeros(n, bool)
        if plan.role == "datetime":
            nanos = numbers.astype(np.int64) * plan.unit_ns
            stamps = pd.Series(pd.to_datetime(nanos)).where(~missing)
            if plan.tz is not None:
                stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(plan.tz)
            return stamps.astype(plan.dtype)
        numbers[missing] = np.nan
        if (
            missing.any()
            and pd.api.types.is_integer_dtype(plan.dtype)
            and not isinstance(plan.dtype, pd.api.extensions.ExtensionDtype)
        ):
            return pd.Series(numbers)  # numpy ints cannot hold NaN
        return pd.Series(numbers).astype(plan.dtype)

    @staticmethod
    def _decode_discrete(plan: _Plan, raw: pd.DataFrame) -> pd.Series:
        if len(plan.encoded) == 1:
            codes = raw[plan.encoded[0]].to_numpy().astype(np.int64)
        else:
            codes = sum(raw[c].to_numpy().astype(np.int64) << b for b, c in enumerate(plan.encoded))
            # Bit patterns past the last code: drop high bits until the code exists.
            for bit in reversed(range(len(plan.encoded))):
                invalid = codes >= len(plan.values)
                codes[invalid] &= ~(1 << bit)
        codes = np.clip(codes, 0, len(plan.values) - 1)
        return _restore(pd.Series(_objects(plan.values)[codes]), plan.dtype)


def _chunk_seed(seed: int, chunk: int) -> int:
    """The seed of a later chunk: apart from ``seed + k``, which the copy guard's rounds use."""
    return int(np.random.SeedSequence([seed, chunk]).generate_state(1)[0])


def _learnt_as_category(series: pd.Series, discrete: bool) -> bool:
    """Whether the wrapper learns ``series`` as categories (codes) rather than as numbers."""
    return (
        discrete
        or not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series))
        or pd.api.types.is_bool_dtype(series)
    )


def _objects(values) -> np.ndarray:
    """An object array of ``values``, element for element (numpy would otherwise guess a dtype)."""
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def _restore(series: pd.Series, dtype: Any) -> pd.Series:
    """``series`` in the real column's dtype where it can hold the values."""
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):  # e.g. a bool or int column with NaN: keep objects
        return series


def _key(value: Any) -> Any:
    """A dict key under which every NaN-like value is the same."""
    return "__synthproof_nan__" if pd.isna(value) else value


def _nanoseconds(values: pd.Series, tz: Any) -> np.ndarray:
    if tz is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    return values.astype("datetime64[ns]").to_numpy().astype(np.int64)


def _decimals(numbers: np.ndarray) -> int | None:
    """The fewest decimals that write every value exactly, or None past ``_MAX_DECIMALS``."""
    for decimals in range(_MAX_DECIMALS + 1):
        scaled = numbers * 10**decimals
        if np.allclose(scaled, np.round(scaled), rtol=0, atol=1e-6):
            return decimals
    return None
