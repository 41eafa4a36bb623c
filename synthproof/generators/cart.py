"""A sequential tree synthesizer in the manner of R's synthpop ``cart`` method.

The first column is drawn from its training values; every later column is modelled by a decision tree
on the columns before it (classification for categoricals, regression for numbers). A synthetic row
falls into a leaf of that tree, and the value is drawn from a training row in the same leaf (a donor),
so each value is real and each relationship the trees capture is kept. ``smooth_numeric`` adds a small
kernel jitter to numeric donors, kept inside the leaf's range, so numbers are not all copied verbatim.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from synthproof.generators.base import Fit, Generator


class CARTGenerator(Generator):
    """Sequential CART with leaf donors.

    Args:
        min_samples_leaf: Fewest training rows in a leaf: larger leaves mix more donors (more
            privacy, less detail).
        max_depth: Deepest tree; None grows until ``min_samples_leaf`` stops it.
        smooth_numeric: Jitter numeric donors by a Gaussian kernel (Silverman's bandwidth of the
            leaf's values), clipped to the leaf's range.
        seed: Seeds the trees' tie-breaking and, by default, sampling.

    Columns are learnt in the order of the frame given to :meth:`fit`.
    """

    name = "cart"
    state_types = ("synthproof.generators.cart:_Step",)

    def __init__(
        self,
        min_samples_leaf: int = 20,
        max_depth: int | None = None,
        smooth_numeric: bool = False,
        seed: int = 0,
    ):
        self.min_samples_leaf = min_samples_leaf
        self.max_depth = max_depth
        self.smooth_numeric = smooth_numeric
        self.seed = seed
        self._columns: list[str] = []
        self._dtypes: dict = {}
        self._first: np.ndarray | None = None
        self._steps: list[_Step] = []

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        values = df.to_numpy(dtype=float)
        self._columns, self._dtypes = list(df.columns), df.dtypes.to_dict()
        self._first = values[:, 0].copy()
        self._steps = []
        for j, name in enumerate(self._columns[1:], start=1):
            discrete = name in discrete_columns
            tree_class = DecisionTreeClassifier if discrete else DecisionTreeRegressor
            tree = tree_class(
                min_samples_leaf=self.min_samples_leaf, max_depth=self.max_depth, random_state=self.seed
            )
            tree.fit(values[:, :j], values[:, j])
            smooth = self.smooth_numeric and not discrete
            self._steps.append(_Step(tree, tree.apply(values[:, :j]), values[:, j], smooth))
        return Fit()

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._first is None:
            raise RuntimeError("fit the generator before sampling")
        rng = np.random.default_rng(self.seed if seed is None else seed)
        rows = np.empty((n, len(self._columns)))
        rows[:, 0] = self._first[rng.integers(0, len(self._first), n)]
        for j, step in enumerate(self._steps, start=1):
            rows[:, j] = step.draw(rows[:, :j], rng)
        frame = pd.DataFrame(rows, columns=self._columns)
        return frame.astype({c: t for c, t in self._dtypes.items() if pd.api.types.is_integer_dtype(t)})


class _Step:
    """One column's tree, kept as its split arrays only, and, per leaf, its training donors (sorted by
    leaf for slicing); with ``smooth``, each leaf's range and kernel bandwidth too.

    A fitted classifier also holds every node's class counts (nodes x classes floats: 100 MB for a
    529-value column on 236k rows) that sampling never reads, so the tree is not kept whole."""

    def __init__(self, tree, leaves: np.ndarray, donors: np.ndarray, smooth: bool):
        structure = tree.tree_
        self.left = structure.children_left.astype(np.int32)
        self.right = structure.children_right.astype(np.int32)
        self.feature = structure.feature.astype(np.int32)
        self.threshold = structure.threshold.copy()
        self.missing_left = structure.missing_go_to_left.astype(bool)
        order = np.argsort(leaves, kind="stable")
        self.donors = _compact(donors[order])
        leaf_ids, starts, counts = np.unique(leaves[order], return_index=True, return_counts=True)
        self.slot = np.full(structure.node_count, -1, dtype=np.int32)
        self.slot[leaf_ids] = np.arange(len(leaf_ids))
        self.starts, self.counts = starts, counts
        self.smooth = smooth
        if smooth:
            donors = self.donors.astype(float)
            self.low = np.minimum.reduceat(donors, starts)
            self.high = np.maximum.reduceat(donors, starts)
            self.bandwidth = _silverman(donors, starts, counts)

    def apply(self, previous: np.ndarray) -> np.ndarray:
        """The leaf each row falls into, as scikit-learn's ``tree.apply`` finds it (rows as float32)."""
        rows = previous.astype(np.float32)
        node = np.zeros(len(rows), dtype=np.int32)
        active = np.flatnonzero(self.left[node] >= 0)
        while len(active):
            at = node[active]
            value = rows[active, self.feature[at]]
            goes_left = np.where(np.isnan(value), self.missing_left[at], value <= self.threshold[at])
            node[active] = np.where(goes_left, self.left[at], self.right[at])
            active = active[self.left[node[active]] >= 0]
        return node

    def draw(self, previous: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        slot = self.slot[self.apply(previous)]
        picked = self.starts[slot] + (rng.random(len(slot)) * self.counts[slot]).astype(np.int64)
        values = self.donors[picked].astype(float)
        if self.smooth:
            values = values + rng.normal(0.0, 1.0, len(values)) * self.bandwidth[slot]
            values = np.clip(values, self.low[slot], self.high[slot])
        return values


def _compact(values: np.ndarray) -> np.ndarray:
    """``values`` in the smallest integer type that holds them exactly (codes, counts), else as they are."""
    with np.errstate(invalid="ignore"):  # a value no integer holds (inf) leaves them as they are
        return pd.to_numeric(values, downcast="integer")


def _silverman(donors: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Silverman's rule-of-thumb kernel bandwidth of each leaf's donors."""
    bandwidth = np.zeros(len(starts))
    for i, (start, count) in enumerate(zip(starts, counts, strict=True)):
        leaf = donors[start : start + count]
        if count > 1:
            spread = leaf.std(ddof=1)
            iqr = np.subtract(*np.percentile(leaf, [75, 25])) / 1.34
            spread = min(spread, iqr) if iqr > 0 else spread
            bandwidth[i] = 0.9 * spread * count**-0.2
    return bandwidth
