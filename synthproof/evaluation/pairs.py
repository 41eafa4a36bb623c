"""Category pairs that never occur together in the real rows: what gives fakes away, in words a user can
act on. CTGAN's census output holds ``relationship=Wife`` with ``sex=Male`` in 2.3% of its rows (real:
0.008%); a row that carries any such pair is implausible on its face. The real holdout is the reference:
rare real combinations also go unseen in a finite training part.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.evaluation.uncertainty import wilson
from synthproof.links import as_key


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


def unseen_pairs(reference: pd.DataFrame, frame: pd.DataFrame, categorical: list[str]) -> UnseenPairs:
    """For each pair of ``categorical`` columns, the value pairs of ``frame`` that no row of
    ``reference`` holds (a value the reference never holds at all counts too; missing is a value)."""
    codes, values, sizes = {}, {}, {}
    for name in categorical:
        seen = pd.Index(pd.unique(as_key(reference[name])))
        values[name], sizes[name] = seen, len(seen) + 1  # code 0: a value the reference never holds
        codes[name] = (
            seen.get_indexer(as_key(reference[name])) + 1,
            seen.get_indexer(as_key(frame[name])) + 1,
        )
    flagged = np.zeros(len(frame), dtype=bool)
    found = []
    for a, b in itertools.combinations(categorical, 2):
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


def _value(seen: pd.Index, code: int) -> str:
    return "<unseen value>" if code == 0 else str(seen[code - 1])
