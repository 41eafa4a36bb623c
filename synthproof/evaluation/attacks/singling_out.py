"""Singling out: queries built from the synthetic rows (one column each, or several) that match exactly
one real row, counted against the control and against what chance alone would give."""

from __future__ import annotations

import itertools
import math

import numpy as np

from synthproof.evaluation.attacks.encoded import Encoded, QueryIndex
from synthproof.evaluation.attacks.risk import Attack
from synthproof.progress import Silent

_RANDOM_OPERATORS = {"categorical": ["==", "!="], "ordered": ["==", "!=", ">", "<", ">=", "<="]}


def _record_query(index: QueryIndex, row: int, columns, medians: dict[str, float], categorical) -> tuple:
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


def _univariate_queries(index: QueryIndex, categorical, rng: np.random.Generator) -> list[tuple]:
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


def _random_query(index: QueryIndex, n_cols: int, categorical, rng: np.random.Generator) -> tuple:
    """The baseline's guess: random columns, a random value of each, a random comparison."""
    predicates = []
    for column in rng.choice(list(index.values), n_cols, replace=False):
        value = float(rng.choice(index.values[column]))
        kind = "categorical" if column in categorical else "ordered"
        op = "null" if np.isnan(value) else str(rng.choice(_RANDOM_OPERATORS[kind]))
        predicates.append((str(column), op, value))
    return tuple(sorted(predicates))


def _query_space(index: QueryIndex, n_cols: int, limit: int) -> int | None:
    """How many distinct multivariate queries ``index``'s rows can give (one per distinct row of each
    ``n_cols``-column set: a value fixes its predicate), or None when rows x column sets exceed ``limit``
    (the attempts allowed could not try them all). On a small table the search stops once it has tried
    every one, instead of drawing repeats until ``max_attempts``."""
    columns = list(index.values)
    if index.n * math.comb(len(columns), n_cols) > limit:
        return None
    rows = np.column_stack([np.nan_to_num(index.values[c], nan=-1.0) for c in columns])  # values are >= 0
    return sum(
        len(np.unique(rows[:, list(subset)], axis=0))
        for subset in itertools.combinations(range(len(columns)), n_cols)
    )


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
    # long: anonymeter's loop: draw queries until n_attacks isolate a synthetic row, then count
    # them on both tables
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
        space = _query_space(synthetic, n_cols, max_attempts) if synthetic.n else 0
        while len(queries) < n_attacks and attempts < max_attempts and synthetic.n:
            if space is not None and len(tried) >= space:
                break  # every query this table can give is tried: drawing on would only repeat them
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
