"""Value pairs that never occur together in the real rows: what gives fakes away, in words a user can
act on. CTGAN's census output holds ``relationship=Wife`` with ``sex=Male`` in 2.3% of its rows (real:
0.008%); a row that carries any such pair is implausible on its face. Numbers take part by bin: each value
that holds at least ``SPIKE_SHARE`` of the rows (bank marketing's ``pdays = -1``, "never contacted") is a
bin of its own, the rest fall into ``BINS`` quantile bins, so that ``poutcome=success`` with
``pdays=-1`` is a pair no real row holds. The real holdout is the reference: rare real combinations also
go unseen in a finite training part.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.evaluation.uncertainty import wilson
from synthproof.links import as_key
from synthproof.values import as_float

BINS = 10  # quantile bins of a number's values outside its spikes
SPIKE_SHARE = 0.05  # a value this common is a bin of its own


@dataclass
class UnseenPairs:
    """Which rows of a table carry a pair of category values never seen together in the reference rows."""

    flagged: np.ndarray  # per row: carries at least one unseen pair
    pairs: pd.DataFrame  # column_a, value_a, column_b, value_b, rows: the unseen pairs, most frequent first

    @property
    def count(self) -> int:
        return int(self.flagged.sum())

    @property
    def share(self) -> float:
        return float(self.flagged.mean()) if len(self.flagged) else 0.0

    def interval(self) -> tuple[float, float]:
        """Wilson's 95% interval of the share."""
        return wilson(self.count, len(self.flagged))


def unseen_pairs(
    reference: pd.DataFrame, frame: pd.DataFrame, categorical: list[str], numeric: list[str] = ()
) -> UnseenPairs:
    """For each pair of columns (``categorical`` by value, ``numeric`` by bin), the pairs of ``frame``
    that no row of ``reference`` holds (a value the reference never holds at all counts too; missing is a
    value)."""
    codes, values, sizes = {}, {}, {}
    for name in categorical:
        seen = pd.Index(pd.unique(as_key(reference[name])))
        values[name], sizes[name] = seen, len(seen) + 1  # code 0: a value the reference never holds
        codes[name] = (
            seen.get_indexer(as_key(reference[name])) + 1,
            seen.get_indexer(as_key(frame[name])) + 1,
        )
    for name in numeric:
        bins = _Bins(as_float(reference[name]))
        values[name], sizes[name] = pd.Index(bins.labels), len(bins.labels) + 1
        codes[name] = (bins.code(as_float(reference[name])), bins.code(as_float(frame[name])))
    flagged = np.zeros(len(frame), dtype=bool)
    found = []
    for a, b in itertools.combinations([*categorical, *numeric], 2):
        seen_keys = np.unique(codes[a][0] * sizes[b] + codes[b][0])
        keys = codes[a][1] * sizes[b] + codes[b][1]
        unseen = ~np.isin(keys, seen_keys)
        if unseen.any():
            flagged |= unseen
            pair_keys, counts = np.unique(keys[unseen], return_counts=True)
            for key, count in zip(pair_keys, counts, strict=True):
                code_a, code_b = divmod(int(key), sizes[b])
                found.append((a, _value(values[a], code_a), b, _value(values[b], code_b), int(count)))
    pairs = pd.DataFrame(found, columns=["column_a", "value_a", "column_b", "value_b", "rows"])
    return UnseenPairs(
        flagged, pairs.sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)
    )


class _Bins:
    """A number's bins from the reference's values: missing, each spike, then quantile bins of the rest
    (codes from 1; every value lands in some bin, so code 0 never occurs)."""

    def __init__(self, values: np.ndarray):
        present = values[~np.isnan(values)]
        shares = pd.Series(present).value_counts(normalize=True, sort=False) if len(present) else pd.Series()
        self.spikes = np.sort(shares.index[shares >= SPIKE_SHARE].to_numpy(dtype=float))
        rest = present[~np.isin(present, self.spikes)]
        cuts = np.quantile(rest, np.linspace(0, 1, BINS + 1)[1:-1]) if len(rest) else np.empty(0)
        self.edges = np.unique(cuts)
        bounds = [-np.inf, *self.edges, np.inf]
        self.labels = [
            "missing",
            *(f"{spike:g}" for spike in self.spikes),
            *(f"[{low:g}, {high:g})" for low, high in itertools.pairwise(bounds)),
        ]

    def code(self, values: np.ndarray) -> np.ndarray:
        codes = np.searchsorted(self.edges, values, side="right") + 2 + len(self.spikes)
        for i, spike in enumerate(self.spikes):
            codes = np.where(values == spike, 2 + i, codes)
        return np.where(np.isnan(values), 1, codes)


def _value(seen: pd.Index, code: int) -> str:
    return "<unseen value>" if code == 0 else str(seen[code - 1])
