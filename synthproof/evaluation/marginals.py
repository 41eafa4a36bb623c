"""Accuracy over binned marginals, as mostlyai-qa reports it: 100% minus the total variation distance
between the training rows' and the synthetic rows' shares of each bin, over every column (univariate),
every pair of columns (bivariate) and every triple (trivariate, up to ``max_triples`` of them, seeded).
Three-way interactions are where a generator's impossible combinations live: a 25-year-old widow with a
doctorate and a pension shows in no pair.

The bins are mostlyai-qa's (``mostlyai.qa._accuracy.bin_data``), found on the training rows and applied to
the other table: a numeric or datetime column with at most ``bins`` distinct values keeps each value, else
gets ``bins`` bins at evenly spaced ranks of its sorted values (its ``search_bin_boundaries``); a categorical
keeps its ``bins`` commonest categories held by at least ``MIN_RARE_ROWS`` rows, the rest fall in one
"other" bin; a missing value is a bin of its own. Each figure is the mean over its column sets (overall: the
mean of the three), with a 95% bootstrap interval over the rows of both tables (the spread of the resampled
figures, centred on the figure); the reference is the holdout's own accuracy (real rows the generator never
saw, binned and scored the same way).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.config.evaluation import MarginalAccuracyParams
from synthproof.evaluation.uncertainty import centred_interval, interval_metrics
from synthproof.split import limit_rows
from synthproof.values import as_float

MIN_RARE_ROWS = 5  # mostlyai-qa's MIN_RARE_CAT_PROTECTION: a category held by fewer rows is "other"
ORDERS = ("univariate", "bivariate", "trivariate")
FIGURES = ("accuracy", *(f"accuracy_{order}" for order in ORDERS))


def _numeric_breaks(values: np.ndarray, bins: int) -> np.ndarray:
    """mostlyai-qa's boundaries: each distinct value when there are at most ``bins``, else the fewest
    evenly spaced ranks (from ``bins``) that give ``bins + 1`` distinct ones; every boundary but the last
    floored to the fewest decimals that keep them apart (its labels)."""
    values = np.sort(values[~np.isnan(values)])
    if len(values) == 0:
        return np.array([-1e10, 1e10])
    distinct = np.unique(values)
    if len(distinct) <= bins:
        breaks = np.r_[distinct, distinct[-1] + 1]
    else:
        breaks = distinct[:0]
        for count in range(bins, max(bins + 1, min(1000, len(values) + 1))):
            breaks = np.unique(values[np.linspace(0, len(values) - 1, count).astype(int)])
            if len(breaks) >= bins + 1:
                break
    for decimals in range(20):
        floored = np.floor(breaks * 10**decimals) / 10**decimals
        if len(np.unique(floored)) == len(breaks):
            return np.r_[floored[:-1], breaks[-1]]
    return breaks


@dataclass(frozen=True)
class _Binning:
    """One column's bins: numeric boundaries, or the categories kept."""

    breaks: np.ndarray | None = None
    categories: pd.Index | None = None

    @classmethod
    def learn(cls, column: pd.Series, numeric: bool, bins: int) -> _Binning:
        if numeric:
            return cls(breaks=_numeric_breaks(as_float(column), bins))
        counts = column.dropna().astype(str).value_counts()
        counts = counts.sort_values(ascending=False, kind="stable").head(bins)
        return cls(categories=pd.Index(sorted(counts[counts >= MIN_RARE_ROWS].index)))

    @property
    def size(self) -> int:
        """Bins, the missing one and (for categories) the other one included."""
        return len(self.breaks) + 1 if self.breaks is not None else len(self.categories) + 2

    def codes(self, column: pd.Series) -> np.ndarray:
        if self.breaks is not None:
            values = as_float(column)
            clipped = np.clip(values, self.breaks[0], self.breaks[-1])
            # pd.cut(right=False)'s left-closed bins, the last one closed on both sides
            codes = np.searchsorted(self.breaks[:-1], clipped, side="right") - 1
            return np.where(np.isnan(values), len(self.breaks), np.maximum(codes, 0))
        codes = self.categories.get_indexer(column.astype(str).where(column.notna()))
        other, missing = len(self.categories), len(self.categories) + 1
        return np.where(column.isna(), missing, np.where(codes < 0, other, codes))


class _Cells:
    """Both tables' rows as cells of one column set's bins, found once."""

    def __init__(self, real: np.ndarray, other: np.ndarray, columns: tuple[int, ...], sizes: np.ndarray):
        shape = tuple(int(size) for size in sizes[list(columns)])
        self.count = int(np.prod(shape))
        self.real, self.other = (
            np.ravel_multi_index(tuple(codes[:, c] for c in columns), shape).astype(np.int32)
            for codes in (real, other)
        )

    def accuracy(self, real_weights=None, other_weights=None) -> float:
        """1 minus half the L1 distance between the two tables' shares of the cells (each row weighted by
        how often a bootstrap drew it)."""
        real = np.bincount(self.real, weights=real_weights, minlength=self.count)
        other = np.bincount(self.other, weights=other_weights, minlength=self.count)
        return float(1 - np.abs(real / real.sum() - other / other.sum()).sum() / 2)


@dataclass(frozen=True)
class MarginalAccuracy:
    """Uni-, bi- and trivariate accuracy with their 95% intervals, the three's mean (``accuracy``), and
    how many column sets each averages."""

    figures: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    column_sets: dict[str, int]

    def metrics(self, prefix: str = "") -> dict:
        found = {}
        for name in FIGURES:
            found[f"{prefix}{name}"] = round(self.figures[name], 4)
            found.update(interval_metrics(f"{prefix}{name}", self.intervals[name]))
        return found


@dataclass(frozen=True)
class MarginalAccuracyTest:
    """mostlyai-qa's accuracy over binned marginals.

    Args:
        bins: Bins per column (mostlyai-qa: 10).
        max_triples: Column triples scored at most (a seeded sample; mostlyai-qa: 10,000).
        max_rows: Rows of each table, at most (a seeded sample).
        rounds: Bootstrap resamples for the intervals.
        seed: Seeds the samples, the triples and the bootstrap.
    """

    bins: int = 10
    max_triples: int = 10_000
    max_rows: int | None = 50_000
    rounds: int = 50
    seed: int = 0

    @classmethod
    def for_run(cls, params: MarginalAccuracyParams, seed: int) -> MarginalAccuracyTest:
        """The test a run's ``fidelity.accuracy`` params set."""
        return cls(params.bins, params.max_triples, params.max_rows, params.rounds, seed)

    def run(
        self, real: pd.DataFrame, other: pd.DataFrame, numeric: list[str], other_rows: int | None = None
    ) -> MarginalAccuracy:
        """The accuracy of ``other`` against ``real`` (binned as ``real``); ``numeric`` names the numeric
        and datetime columns, every other column is binned as a category. ``other_rows`` scores a sample of
        that many rows of ``other``: the reference's size, since fewer rows score lower by their noise alone
        (census: 39,074 synthetic rows of a perfect generator would score above the 9,768-row holdout)."""
        real, other = self._sample(real), self._sample(other, other_rows)
        columns = list(real.columns)
        binnings = [_Binning.learn(real[name], name in numeric, self.bins) for name in columns]
        real_codes = np.column_stack([b.codes(real[n]) for b, n in zip(binnings, columns, strict=True)])
        other_codes = np.column_stack([b.codes(other[n]) for b, n in zip(binnings, columns, strict=True)])
        sizes = np.array([b.size for b in binnings])
        cells = {
            order: [_Cells(real_codes, other_codes, chosen, sizes) for chosen in sets]
            for order, sets in self._column_sets(len(columns)).items()
        }

        def figures(real_weights=None, other_weights=None) -> dict[str, float]:
            means = {
                f"accuracy_{order}": float(np.mean([c.accuracy(real_weights, other_weights) for c in found]))
                for order, found in cells.items()
                if found
            }
            means["accuracy"] = float(np.mean(list(means.values()))) if means else float("nan")
            return means

        found = figures()
        rng = np.random.default_rng(self.seed)
        draws = [
            figures(*(np.bincount(rng.integers(0, n, n), minlength=n) for n in (len(real), len(other))))
            for _ in range(self.rounds)
        ]
        # the bootstrap's spread, centred on the figure: resampling only adds noise to both tables' shares,
        # so the resampled accuracies sit below the figure (6,000 census rows: all of them)
        intervals = {}
        for name in FIGURES:
            figure = found.setdefault(name, float("nan"))  # too few columns for pairs or triples: none
            if np.isnan(figure):
                intervals[name] = (float("nan"), float("nan"))
                continue
            spread = np.percentile([draw[name] for draw in draws], [2.5, 97.5]) if draws else (figure, figure)
            intervals[name] = centred_interval(figure, tuple(spread))
        return MarginalAccuracy(found, intervals, {order: len(found) for order, found in cells.items()})

    def _column_sets(self, n: int) -> dict[str, list[tuple[int, ...]]]:
        triples = list(itertools.combinations(range(n), 3))
        if len(triples) > self.max_triples:
            picked = np.random.default_rng(self.seed).choice(len(triples), self.max_triples, replace=False)
            triples = [triples[i] for i in sorted(picked)]
        return {
            "univariate": [(i,) for i in range(n)],
            "bivariate": list(itertools.combinations(range(n), 2)),
            "trivariate": triples,
        }

    def _sample(self, frame: pd.DataFrame, rows: int | None = None) -> pd.DataFrame:
        rows = min(r for r in (self.max_rows, rows, len(frame)) if r is not None)
        return limit_rows(frame, rows, self.seed)
