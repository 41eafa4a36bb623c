"""The ladder: synthetic tables whose right verdict is known, made from real rows.

A real table is split three ways (:func:`three_way_split`): the training part (what a generator would
learn from), the holdout (the pipeline's reference, which no generator sees) and the twin, real rows that
neither side saw. The twin is the ideal synthetic table: as realistic, useful and private as real data
can be, so every FAIL on it is a false fail. Each other rung spoils the twin in one known way:

- ``copies``: a share of its rows replaced by training rows (must fail Private? from some share on);
- ``near_copies``: the same, each copied row nudged (numbers by a little noise, a share of categories
  flipped, and at least one cell changed), so that no exact-copy check can see it;
- ``permuted_target``: the target shuffled against the other columns (must fail Useful?);
- ``shuffled``: every column shuffled alone, the marginals kept (must fail Realistic? and Useful?);
- ``broken_pair``: the column most tied to another shuffled alone (must fail Realistic?); a tie many rows
  hold (:func:`most_tied_column`), or no rung on a table that has none.

A rung is a plain table: it enters the pipeline as a provided synthetic table, so no stage knows it is
being audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.split import split_holdout

IDEAL, COPIES, NEAR_COPIES = "ideal", "copies", "near_copies"
PERMUTED_TARGET, SHUFFLED, BROKEN_PAIR = "permuted_target", "shuffled", "broken_pair"
# each kind of rung and the question it must fail (the ideal must pass all three)
KINDS = {
    IDEAL: None,
    COPIES: "private",
    NEAR_COPIES: "private",
    PERMUTED_TARGET: "useful",
    SHUFFLED: "realistic",
    BROKEN_PAIR: "realistic",
}


@dataclass(frozen=True)
class Rung:
    """One table of the ladder: its kind, and for the leaks the share of rows copied."""

    kind: str
    share: float = 0.0

    def __post_init__(self):
        if self.kind not in KINDS:
            raise SynthproofError(f"audit rung {self.kind!r} is not a rung: choose one of {list(KINDS)}")
        leak = self.kind in (COPIES, NEAR_COPIES)
        if leak and not 0 < self.share <= 1:
            raise SynthproofError(f"audit rung {self.kind} needs a share in (0, 1], not {self.share}")

    @property
    def name(self) -> str:
        """``ideal``, ``copies_2``, ``near_copies_0.5``: the share in percent."""
        if self.kind not in (COPIES, NEAR_COPIES):
            return self.kind
        return f"{self.kind}_{100 * self.share:g}"

    @property
    def must_fail(self) -> str | None:
        """The question this rung must fail (useful, realistic, private), or None for the ideal."""
        return KINDS[self.kind]

    @classmethod
    def parse(cls, name: str) -> Rung:
        """The rung a :attr:`name` names."""
        kind, _, percent = name.rpartition("_")
        if kind in (COPIES, NEAR_COPIES):
            try:
                return cls(kind, float(percent) / 100)
            except ValueError:
                pass
        return cls(name)


def three_way_split(
    df: pd.DataFrame, target: str, holdout_fraction: float, twin_fraction: float, seed: int, task: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(train, holdout, twin): disjoint, each stratified on the target, seeded."""
    rest, twin = split_holdout(df, target, twin_fraction, seed, task)
    train, holdout = split_holdout(rest, target, holdout_fraction / (1 - twin_fraction), seed + 1, task)
    return train, holdout, twin


def build_rung(
    rung: Rung,
    train: pd.DataFrame,
    twin: pd.DataFrame,
    target: str,
    categorical: list[str],
    numeric: list[str],
    seed: int,
    noise: float = 0.01,
    flip_share: float = 0.05,
) -> pd.DataFrame:
    """The table ``rung`` names, as many rows as ``twin``.

    ``noise`` is the near-copies' numeric noise, in standard deviations of each column; ``flip_share``
    the share of their categorical cells set to another category of the column.
    """
    rng = np.random.default_rng(seed)
    table = twin.reset_index(drop=True).copy()
    if rung.kind == IDEAL:
        return table
    if rung.kind in (COPIES, NEAR_COPIES):
        n = min(max(1, round(rung.share * len(table))), len(train))
        places = rng.choice(len(table), n, replace=False)
        sources = train.iloc[rng.choice(len(train), n, replace=False)].reset_index(drop=True)
        if rung.kind == NEAR_COPIES:
            sources = nudge(sources, train, categorical, numeric, rng, noise, flip_share)
        kept = table.drop(index=places)
        mixed = pd.concat([kept, sources[table.columns]], ignore_index=True)
        return mixed.iloc[rng.permutation(len(mixed))].reset_index(drop=True)
    if rung.kind == PERMUTED_TARGET:
        table[target] = table[target].to_numpy()[rng.permutation(len(table))]
        return table
    if rung.kind == SHUFFLED:
        for name in table.columns:
            table[name] = table[name].to_numpy()[rng.permutation(len(table))]
        return table
    column = most_tied_column(train, target, categorical)
    table[column] = table[column].to_numpy()[rng.permutation(len(table))]
    return table


def nudge(
    rows: pd.DataFrame,
    train: pd.DataFrame,
    categorical: list[str],
    numeric: list[str],
    rng: np.random.Generator,
    noise: float,
    flip_share: float,
) -> pd.DataFrame:
    """``rows`` with each number moved by Gaussian noise (``noise`` standard deviations of its training
    column; whole numbers stay whole, moved by at least one unit where rounding would undo the move), a
    ``flip_share`` of categorical cells set to another training category, and every row changed in at
    least one cell: a near-copy, never an exact one."""
    rows = rows.copy()
    changed = np.zeros(len(rows), dtype=bool)
    for name in numeric:
        values = pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)
        spread = float(np.nanstd(pd.to_numeric(train[name], errors="coerce"))) or 1.0
        moved = values + rng.normal(0.0, noise * spread, len(values))
        present = ~np.isnan(values)
        changed |= present & (moved != values)
        rows[name] = np.where(present, moved, values)
    for name in categorical:
        options = pd.unique(train[name].dropna())
        if len(options) < 2:
            continue
        flip = rng.random(len(rows)) < flip_share
        if not changed.any() and not flip.any():
            flip[:] = True
        rows.loc[flip, name] = [_other(value, options, rng) for value in rows.loc[flip, name]]
        changed |= flip
    if not changed.all() and categorical:
        name = categorical[0]
        options = pd.unique(train[name].dropna())
        if len(options) >= 2:
            rows.loc[~changed, name] = [_other(value, options, rng) for value in rows.loc[~changed, name]]
    return rows


# a tie worth breaking: a bias-corrected Cramér's V of at least MIN_TIE, between columns whose commonest
# bin holds at most MAX_TOP_SHARE of the rows (a "tie" of two rare values moves a row or two)
MIN_TIE, MAX_TOP_SHARE = 0.3, 0.9


def most_tied_column(train: pd.DataFrame, target: str, categorical: list[str]) -> str:
    """Of the columns other than the target, the one whose values another column predicts best: the
    largest bias-corrected Cramér's V (Bergsma's, so that a near-key's many values tie nothing) over every
    pair of columns that vary, each cut into at most ten bins (ties: table order)."""
    features = [name for name in train.columns if name != target]
    if len(features) < 2:
        raise SynthproofError("a broken pair needs two columns beside the target")
    binned = {name: _bins(train[name], name in categorical) for name in features}
    varied = [name for name in features if _top_share(binned[name]) <= MAX_TOP_SHARE]
    best, best_v = None, MIN_TIE
    for i, first in enumerate(varied):
        for second in varied[i + 1 :]:
            v = _cramers_v(binned[first], binned[second])
            if v >= best_v and (best is None or v > best_v):
                best, best_v = second, v
    if best is None:
        raise SynthproofError(
            f"no pair of columns tied (bias-corrected Cramér's V >= {MIN_TIE}, each column's commonest "
            f"value under {MAX_TOP_SHARE:.0%} of rows): no broken pair to build on this table"
        )
    return best


def _top_share(codes: np.ndarray) -> float:
    return float(pd.Series(codes).value_counts(normalize=True).iloc[0]) if len(codes) else 1.0


def _bins(values: pd.Series, categorical: bool) -> np.ndarray:
    if categorical or not pd.api.types.is_numeric_dtype(values):
        return pd.factorize(values.astype(str))[0]
    ranks = values.rank(method="dense")
    return pd.cut(ranks, min(10, max(int(ranks.max()), 1)), labels=False).fillna(-1).to_numpy()


def _cramers_v(a: np.ndarray, b: np.ndarray) -> float:
    """Cramér's V with Bergsma's bias correction (J. Korean Stat. Soc. 42, 2013): chance association,
    which grows with a column's number of values, taken out."""
    table = pd.crosstab(a, b).to_numpy(dtype=float)
    rows, columns = table.shape
    n = table.sum()
    if min(rows, columns) < 2 or n < 2:
        return 0.0
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / n
    phi2 = float(((table - expected) ** 2 / expected).sum()) / n
    phi2 = max(0.0, phi2 - (rows - 1) * (columns - 1) / (n - 1))
    rows_c, columns_c = rows - (rows - 1) ** 2 / (n - 1), columns - (columns - 1) ** 2 / (n - 1)
    spread = min(rows_c - 1, columns_c - 1)
    return float(np.sqrt(phi2 / spread)) if spread > 0 else 0.0


def _other(value, options: np.ndarray, rng: np.random.Generator):
    others = options[options != value]
    return others[rng.integers(len(others))] if len(others) else value
