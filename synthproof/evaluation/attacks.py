"""Privacy as an attacker would test it: singling out, linkability and inference, the three risks of
anonymised data the EU's Article 29 Working Party names, measured by running the attacks (Giomi et al.,
"A Unified Framework for Quantifying Privacy Risk in Synthetic Data", PoPETs 2023; their library
anonymeter is this module's reference in ``bench/privacy_vs_anonymeter.py``).

Each attack uses only the synthetic table and targets the real training rows (the generator's input). It
runs again against the holdout (the control: rows the generator never saw), since an attack that works as
well there learnt nothing about the training rows from the synthetic table, only what holds for the whole
population; a random guess is the baseline that shows the attack works at all. The risk is the attack's
success beyond the control's, as a share of what the control left to gain:
``(attack - control) / (1 - control)``, each rate a Wilson estimate and the risk's 95% interval
propagated from both (anonymeter's convention), bounded to [0, 1].

Rows are compared on anonymeter's Gower-like distance: an ordered column adds its absolute difference
scaled by the column's range (at most 1), a categorical column adds 1 when the values differ; a missing
value differs from any value by 1 and equals another missing value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm

from synthproof.errors import SynthproofError
from synthproof.evaluation.uncertainty import Z95
from synthproof.evaluation.values import as_float
from synthproof.links import as_key
from synthproof.progress import Silent

MISSING = 3.0  # a missing scaled value: more than 1 from every value (distances clip at 1)
CELLS_PER_CHUNK = 20_000_000  # target x synthetic x column distances held at once (80 MB)


@dataclass(frozen=True)
class Rate:
    """A success rate: Wilson's centre and the half-width of its 95% interval."""

    value: float
    error: float

    @classmethod
    def of(cls, successes: float, n: int, z: float = Z95) -> Rate:
        if n == 0:
            return cls(0.0, 1.0)
        variance = successes * (n - successes) / n
        denominator = n + z**2
        return cls(
            (successes + z**2 / 2) / denominator,
            z / denominator * float(np.sqrt(max(variance, 0.0) + z**2 / 4)),
        )


@dataclass
class Attack:
    """One attack's counts: on the training rows, on the control rows, and a random guess's."""

    name: str
    attacks: int
    successes: float
    control_attacks: int
    control_successes: float  # for singling out, expected by chance from the control (see below)
    baseline_successes: float
    details: dict = field(default_factory=dict)

    def rates(self, z: float = Z95) -> dict[str, Rate]:
        return {
            "attack": Rate.of(self.successes, self.attacks, z),
            "control": Rate.of(self.control_successes, self.control_attacks, z),
            "baseline": Rate.of(self.baseline_successes, self.attacks, z),
        }

    def risk(self, comparisons: int = 1) -> tuple[float, float, float]:
        """(risk, low, high): the success beyond the control's, with its 95% interval, within [0, 1].
        ``comparisons``: the interval of the worst of that many risks, Bonferroni-widened so that it still
        covers 95% (the worst of 15 secrets would otherwise exclude 0 by chance one time in three)."""
        rates = self.rates()
        attack, control = rates["attack"], rates["control"]
        if control.value >= 1:
            return 0.0, 0.0, 1.0  # the control is always right: nothing left to measure
        residual = (attack.value - control.value) / (1 - control.value)
        wide = self.rates(float(norm.ppf(1 - 0.025 / comparisons)))  # the same estimates, wider errors
        error = np.hypot(
            wide["attack"].error / (1 - control.value),
            wide["control"].error * (attack.value - 1) / (1 - control.value) ** 2,
        )
        bounded = [float(min(max(x, 0.0), 1.0)) for x in (residual, residual - error, residual + error)]
        return bounded[0], bounded[1], bounded[2]

    def to_dict(self) -> dict:
        risk, low, high = self.risk()
        rates = {f"{name}_rate": round(rate.value, 4) for name, rate in self.rates().items()}
        return {
            "risk": round(risk, 4),
            "risk_low": round(low, 4),
            "risk_high": round(high, 4),
            **rates,
            "attacks": self.attacks,
            "successes": round(float(self.successes), 2),
            "control_attacks": self.control_attacks,
            "control_successes": round(float(self.control_successes), 2),
            "baseline_successes": round(float(self.baseline_successes), 2),
            **self.details,
        }


class Encoded:
    """Three tables (training rows, synthetic rows, control rows) with the same columns encoded alike:
    ordered columns as floats scaled to [0, 1] by their range over all three (NaN where missing),
    categorical columns as codes of one shared dictionary (missing a value of its own)."""

    def __init__(self, frames: dict[str, pd.DataFrame], categorical: list[str], ordered: list[str]):
        self.columns = list(categorical) + list(ordered)
        self.categorical = set(categorical)
        self._indexes: dict[str, _Index] = {}
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

    def index(self, table: str) -> _Index:
        """``table``'s distinct rows, sorted per column: built once, for every singling-out attack."""
        if table not in self._indexes:
            self._indexes[table] = _Index(self, table)
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


def _chunks(n_rows: int, n_candidates: int, n_columns: int) -> list[np.ndarray]:
    size = max(1, CELLS_PER_CHUNK // max(1, n_candidates * n_columns))
    return [np.arange(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]


def _summed(parts: dict[str, np.ndarray], columns: list[str]) -> np.ndarray:
    """The distances of ``columns`` added up in float32, in place and in their order."""
    total = np.zeros(parts[columns[0]].shape, dtype=np.float32)
    for column in columns:
        total += parts[column]
    return total


@dataclass
class _Guesses:
    """What the nearest synthetic rows tell an attacker about some target rows."""

    linked: np.ndarray  # per target: do the two halves' nearest synthetic rows share one
    inferred: dict[str, np.ndarray]  # per secret column: the nearest synthetic row on the other columns


def _nearest(
    encoded: Encoded,
    table: str,
    targets: np.ndarray,
    halves: tuple[list[str], list[str]],
    n_neighbors: int,
    secrets: list[str],
    progress,
) -> _Guesses:
    """Searches the synthetic rows once per chunk of targets: one distance per column, summed over each
    half of the columns (linkability) and over all columns but each secret (inference)."""
    n_synthetic = encoded.rows("synthetic")
    k = min(n_neighbors, n_synthetic)
    linked = np.zeros(len(targets), dtype=bool)
    inferred = {secret: np.zeros(len(targets), dtype=np.int64) for secret in secrets}
    for chunk in _chunks(len(targets), n_synthetic, len(encoded.columns)):
        rows = targets[chunk]
        parts = {c: encoded.distances(table, rows, "synthetic", c) for c in encoded.columns}
        near = [
            np.argpartition(_summed(parts, half), k - 1, axis=1)[:, :k] if half else None for half in halves
        ]
        if near[0] is not None and near[1] is not None:
            linked[chunk] = [bool(np.intersect1d(a, b).size) for a, b in zip(*near, strict=True)]
        total = _summed(parts, encoded.columns)
        for secret in secrets:
            inferred[secret][chunk] = np.argmin(total - parts[secret], axis=1)
        progress.update(len(chunk))
    return _Guesses(linked, inferred)


def _correct(encoded: Encoded, secret: str, guesses: np.ndarray, truth: np.ndarray, tolerance: float):
    """Right guesses: the same category (missing guessing missing), or a number within ``tolerance`` of
    the secret, relative to it (datetimes: relative to the column's range)."""
    guess, true = encoded.raw["synthetic"][secret][guesses], truth
    both_missing = np.isnan(guess) & np.isnan(true)
    if secret in encoded.categorical:
        return (guess == true) | both_missing
    scale = encoded.date_spans.get(secret, np.abs(true))
    return (np.abs(guess - true) <= tolerance * scale) | both_missing  # NaN compares False


def linkability_and_inference(
    encoded: Encoded,
    n_attacks: int,
    halves: tuple[list[str], list[str]],
    n_neighbors: int,
    secrets: list[str],
    tolerance: float,
    seed: int,
    progress=None,
) -> tuple[Attack, dict[str, Attack]]:
    """The linkability attack (the two halves of a target linked through a shared nearest synthetic row
    among ``n_neighbors``) and the inference attack on each of ``secrets`` (guessed from the other
    columns as the nearest synthetic row's value), on ``n_attacks`` training and control rows each."""
    rng = np.random.default_rng(seed)
    progress = Silent() if progress is None else progress
    targets = {
        table: np.sort(rng.choice(encoded.rows(table), min(n_attacks, encoded.rows(table)), replace=False))
        for table in ("train", "control")
    }
    guesses = {
        table: _nearest(encoded, table, rows, halves, n_neighbors, secrets, progress)
        for table, rows in targets.items()
    }
    n_synthetic, n = encoded.rows("synthetic"), len(targets["train"])
    k = min(n_neighbors, n_synthetic)
    random_links = sum(
        bool(
            np.intersect1d(rng.choice(n_synthetic, k, replace=False), rng.choice(n_synthetic, k, False)).size
        )
        for _ in range(n)
    )
    linkability = Attack(
        "linkability",
        n,
        int(guesses["train"].linked.sum()),
        len(targets["control"]),
        int(guesses["control"].linked.sum()),
        random_links,
        {"n_neighbors": k, "columns_a": list(halves[0]), "columns_b": list(halves[1])},
    )
    inference = {}
    for secret in secrets:
        right = {
            table: _correct(
                encoded, secret, guesses[table].inferred[secret], encoded.raw[table][secret][rows], tolerance
            )
            for table, rows in targets.items()
        }
        random_rows = rng.integers(0, n_synthetic, n)
        baseline = _correct(
            encoded, secret, random_rows, encoded.raw["train"][secret][targets["train"]], tolerance
        )
        inference[secret] = Attack(
            "inference", n, int(right["train"].sum()), len(targets["control"]), int(right["control"].sum()),
            int(baseline.sum()), {"secret": secret},
        )  # fmt: skip
    return linkability, inference


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
_RANDOM_OPERATORS = {"categorical": ["==", "!="], "ordered": ["==", "!=", ">", "<", ">=", "<="]}


class _Index:
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


def _record_query(index: _Index, row: int, columns, medians: dict[str, float], categorical) -> tuple:
    """anonymeter's multivariate query: the row's own values, a number bounded towards its tail."""
    predicates = []
    for column in columns:
        value = index.values[column][row]
        if column not in categorical and np.isnan(value):
            predicates.append((column, "null", 0.0))
        elif column in categorical:
            predicates.append((column, "==", value))
        else:
            predicates.append((column, ">=" if value > medians[column] else "<=", value))
    return tuple(sorted(predicates))


def _univariate_queries(index: _Index, categorical, rng: np.random.Generator) -> list[tuple]:
    """anonymeter's univariate queries: a value held by one row, an extreme, the one missing value."""
    queries = []
    for column in index.values:
        values = index.values[column]
        if column not in categorical:
            if index.n - index.valid[column] == 1:
                queries.append(((column, "null", 0.0),))
            if index.valid[column]:
                queries += [((column, "<=", np.nanmin(values)),), ((column, ">=", np.nanmax(values)),)]
        distinct, counts = np.unique(values[~np.isnan(values)], return_counts=True)
        queries += [((column, "==", value),) for value in distinct[counts == 1]]
    order = rng.permutation(len(queries))
    return [queries[i] for i in order]


def _random_query(index: _Index, n_cols: int, categorical, rng: np.random.Generator) -> tuple:
    """The baseline's guess: random columns, a random value of each, a random comparison."""
    predicates = []
    for column in rng.choice(list(index.values), n_cols, replace=False):
        value = float(rng.choice(index.values[column]))
        kind = "categorical" if column in categorical else "ordered"
        op = "null" if np.isnan(value) else str(rng.choice(_RANDOM_OPERATORS[kind]))
        predicates.append((str(column), op, value))
    return tuple(sorted(predicates))


def _expected_by_chance(in_train: np.ndarray, in_control: np.ndarray, share_train: float) -> float:
    """How many queries would isolate one training row if the training rows were just like the control
    rows: given that a query matches K rows of the two together, each is a training row with chance
    ``share_train`` (their share of all rows), so it isolates one training row with chance
    K p (1 - p)^(K - 1). Exact for any sizes, with no model of how the chance grows with rows (anonymeter
    fits one on subsamples of the control and extrapolates it to the training part's size; with a control
    a quarter of that size the fit is ill-posed and gave rows the generator never saw a risk of 0.2)."""
    total = in_train + in_control
    chance = total * share_train * (1 - share_train) ** np.maximum(total - 1, 0)
    return float(chance[total > 0].sum())


def singling_out(
    encoded: Encoded,
    n_attacks: int,
    n_cols: int | None,
    max_attempts: int,
    seed: int,
    progress=None,
) -> Attack:
    """The singling-out attack: queries that isolate one synthetic row (univariate when ``n_cols`` is
    None, else on ``n_cols`` columns of a synthetic row), each a success when it isolates exactly one
    training row; the control is what chance gives the same queries (:func:`_expected_by_chance`)."""
    rng = np.random.default_rng(seed)
    progress = Silent() if progress is None else progress
    categorical = encoded.categorical
    synthetic, train, control = (encoded.index(table) for table in ("synthetic", "train", "control"))
    n_cols = None if n_cols is None else min(n_cols, len(encoded.columns))
    queries: dict[tuple, None] = {}  # found queries, in the order found
    attempts = 0
    if n_cols is None:
        for query in _univariate_queries(synthetic, categorical, rng):
            if len(queries) >= n_attacks or attempts >= max_attempts:
                break
            attempts += 1
            if synthetic.isolates(query):
                queries[query] = None
                progress.update(1)
    else:
        medians = {
            c: float(np.nanmedian(v)) if synthetic.valid[c] else 0.0 for c, v in synthetic.values.items()
        }
        tried: set[tuple] = set()
        while len(queries) < n_attacks and attempts < max_attempts and synthetic.n:
            attempts += 1
            columns = rng.choice(encoded.columns, n_cols, replace=False)
            query = _record_query(synthetic, int(rng.integers(synthetic.n)), columns, medians, categorical)
            if query in tried:
                continue
            tried.add(query)
            if synthetic.isolates(query):
                queries[query] = None
                progress.update(1)
    found = list(queries)
    progress.update(n_attacks - len(found))  # the search is over: the queries it did not find
    in_train = np.array([len(train.matches(q)) for q in found])
    in_control = np.array([len(control.matches(q)) for q in found])
    control_successes = _expected_by_chance(in_train, in_control, train.n / max(train.n + control.n, 1))
    width = 1 if n_cols is None else n_cols
    baseline = sum(train.isolates(_random_query(synthetic, width, categorical, rng)) for _ in found)
    return Attack(
        "singling_out" if n_cols is not None else "singling_out_univariate",
        len(found),
        int(np.count_nonzero(in_train == 1)),
        len(found),
        control_successes,
        baseline,
        {
            "mode": "univariate" if n_cols is None else "multivariate",
            "n_cols": width,
            "queries_requested": n_attacks,
            "attempts": attempts,
            "control_isolated": int(np.count_nonzero(in_control == 1)),  # among the control rows alone
        },
    )


@dataclass
class PrivacyAttacks:
    """Every attack's counts: singling out (multivariate and univariate), linkability, and inference of
    each secret column."""

    singling_out: Attack
    singling_out_univariate: Attack
    linkability: Attack
    inference: dict[str, Attack]

    def attacks(self) -> dict[str, Attack]:
        """Each attack by the name of its risk metric (``inference_<secret>`` for each secret)."""
        named = {
            "singling_out": self.singling_out,
            "singling_out_univariate": self.singling_out_univariate,
            "linkability": self.linkability,
        }
        return named | {f"inference_{secret}": attack for secret, attack in self.inference.items()}

    def worst_secret(self) -> str:
        return max(self.inference, key=lambda secret: self.inference[secret].risk()[0])

    def inference_max(self) -> tuple[float, float, float]:
        """The highest inference risk over the secrets, and an interval for the highest true risk:
        from the highest lower bound to the highest upper bound of the secrets' intervals, each widened
        (Bonferroni) so that all of them hold together 95% of the time. The worst of many noisy risks is
        biased up; its own interval would exclude 0 by chance (one secret in 20)."""
        risks = [attack.risk(len(self.inference)) for attack in self.inference.values()]
        return max(r[0] for r in risks), max(r[1] for r in risks), max(r[2] for r in risks)

    def metrics(self) -> dict:
        """Tidy figures: each attack's risk with its 95% interval and its three rates, and the highest
        inference risk over the secrets (``inference_risk_max``) with the column it is for and that
        column's rates."""
        result = {}
        headline = {
            "singling_out": self.singling_out,
            "singling_out_univariate": self.singling_out_univariate,
            "linkability": self.linkability,
        }
        for name, attack in headline.items():
            figures = attack.to_dict()
            result |= {f"{name}_{key}": figures[key] for key in ("risk", "risk_low", "risk_high", *_RATES)}
        risk, low, high = self.inference_max()
        worst = self.worst_secret()
        result |= {
            "inference_risk_max": round(risk, 4),
            "inference_risk_max_low": round(low, 4),
            "inference_risk_max_high": round(high, 4),
            "inference_risk_max_column": worst,
        }
        figures = self.inference[worst].to_dict()
        result |= {f"inference_{key}": figures[key] for key in _RATES}
        result["singling_out_queries"] = self.singling_out.attacks
        return result

    def details(self) -> dict:
        return {name: attack.to_dict() for name, attack in self.attacks().items()}

    def table(self) -> pd.DataFrame:
        """One row per attack: its risk and interval, and the attack, control and baseline rates."""
        rows = []
        for name, figures in self.details().items():
            bounds = {"risk": figures["risk"], "low": figures["risk_low"], "high": figures["risk_high"]}
            rates = {key: figures[key] for key in _RATES}
            rows.append({"attack": name, **bounds, **rates, "attacks": figures["attacks"]})
        return pd.DataFrame(rows)


_RATES = ("attack_rate", "control_rate", "baseline_rate")  # Attack.to_dict's rates, as metrics name them


def run_attacks(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    target: str,
    n_attacks: int = 500,
    n_cols: int = 3,
    max_attempts: int = 100_000,
    aux_columns: list[list[str]] | None = None,
    n_neighbors: int = 10,
    secrets: list[str] | None = None,
    tolerance: float = 0.05,
    seed: int = 0,
    progress=None,
) -> PrivacyAttacks:
    """All three attacks on ``train`` through ``synthetic``, with ``control`` (rows the generator never
    saw) as the control. ``aux_columns``: the two column groups the linkability attacker holds (None: a
    seeded half/half split); ``secrets``: the columns the inference attacker guesses (None: every column,
    ``target`` first)."""
    columns = list(categorical) + list(ordered)
    for name, listed in (
        ("privacy.inference.secrets", secrets or []),
        ("privacy.linkability.aux_columns", [c for group in aux_columns or [] for c in group]),
    ):
        unknown = [column for column in listed if column not in columns]
        if unknown:
            raise SynthproofError(
                f"params.yaml: {name} names {unknown}, which the table has not as a categorical, numeric or "
                f"datetime column; choose from {columns}"
            )  # fmt: skip
    if len(columns) < 2:
        raise SynthproofError("privacy: the attacks need at least two columns (one known, one guessed)")
    rng = np.random.default_rng(seed)
    if aux_columns is None:
        shuffled = [str(c) for c in rng.permutation(columns)]
        aux_columns = [shuffled[: len(columns) // 2], shuffled[len(columns) // 2 :]]
    if secrets is None:
        secrets = [target] + [c for c in columns if c != target] if target in columns else columns
    encoded = Encoded({"train": train, "synthetic": synthetic, "control": control}, categorical, ordered)
    progress = Silent() if progress is None else progress
    progress.total = 2 * n_attacks + min(n_attacks, len(train)) + min(n_attacks, len(control))
    progress.set_postfix_str("singling out", refresh=False)
    seeds = rng.integers(0, 2**31, 3)
    multivariate = singling_out(encoded, n_attacks, n_cols, max_attempts, int(seeds[0]), progress)
    univariate = singling_out(encoded, n_attacks, None, max_attempts, int(seeds[1]), progress)
    progress.set_postfix_str("linkability and inference", refresh=False)
    linkability, inference = linkability_and_inference(
        encoded, n_attacks, (aux_columns[0], aux_columns[1]), n_neighbors, secrets, tolerance, int(seeds[2]),
        progress,
    )  # fmt: skip
    return PrivacyAttacks(multivariate, univariate, linkability, inference)
