"""A sequential tree synthesizer in the manner of R's synthpop ``cart`` method.

The first column is drawn from its training values; every later column is modelled by a decision tree
on the columns before it (classification for categoricals, regression for numbers). A synthetic row
falls into a leaf of that tree, and the value is drawn from a training row in the same leaf (a donor),
so each relationship the trees capture is kept. With ``smoothing="density"`` (the default, synthpop's
``smoothing = "density"``) each drawn number is moved by a Gaussian kernel of the column's Sheather-Jones
bandwidth (``smoothing.py``), so rare real values (a key-like income, a unique weight) are not handed back
verbatim; ``"none"`` keeps the donors' values as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from synthproof.config.generators import CART_SMOOTHINGS
from synthproof.generators.base import Fit, Generator
from synthproof.generators.model_file import described, require, require_array
from synthproof.generators.smoothing import MAX_DECIMALS, Smoothing


class CARTGenerator(Generator):
    """Sequential CART with leaf donors.

    Args:
        min_samples_leaf: Fewest training rows in a leaf: larger leaves mix more donors (more
            privacy, less detail).
        max_depth: Deepest tree; None grows until ``min_samples_leaf`` stops it.
        smoothing: ``"density"``: each drawn number moved by a Gaussian kernel (the Sheather-Jones
            bandwidth of the column's drawn values; a value more than 70% of them hold is kept),
            clamped to the observed range and rounded to the observed decimals; ``"none"``: donors'
            values verbatim.
        smoothing_min_values: Numbers with fewer distinct observed values (codes, counts, values another
            column fixes) are drawn as they are.
        seed: Seeds the trees' tie-breaking and, by default, sampling.

    Columns are learnt in the order of the frame given to :meth:`fit`.
    """

    name = "cart"
    state_types = ("synthproof.generators.cart:_Step", "synthproof.generators.smoothing:Smoothing")

    def __init__(
        self,
        min_samples_leaf: int = 20,
        max_depth: int | None = None,
        smoothing: str = "density",
        smoothing_min_values: int = 20,
        seed: int = 0,
    ):
        if smoothing not in CART_SMOOTHINGS:
            raise ValueError(f"smoothing must be one of {CART_SMOOTHINGS}, not {smoothing!r}")
        self.min_samples_leaf = min_samples_leaf
        self.max_depth = max_depth
        self.smoothing = smoothing
        self.smoothing_min_values = smoothing_min_values
        self.seed = seed
        self._columns: list[str] = []
        self._dtypes: dict = {}
        self._first: np.ndarray | None = None
        self._first_smoothing: Smoothing | None = None
        self._steps: list[_Step] = []

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        values = df.to_numpy(dtype=float)
        self._columns, self._dtypes = list(df.columns), df.dtypes.to_dict()
        self._first = values[:, 0].copy()
        self._first_smoothing = self._smoothing(values[:, 0], self._columns[0] in discrete_columns)
        self._steps = []
        for j, name in enumerate(self._columns[1:], start=1):
            discrete = name in discrete_columns
            tree_class = DecisionTreeClassifier if discrete else DecisionTreeRegressor
            tree = tree_class(
                min_samples_leaf=self.min_samples_leaf, max_depth=self.max_depth, random_state=self.seed
            )
            tree.fit(values[:, :j], values[:, j])
            smooth = self._smoothing(values[:, j], discrete)
            self._steps.append(_Step(tree, tree.apply(values[:, :j]), values[:, j], smooth))
        return Fit()

    def _smoothing(self, values: np.ndarray, discrete: bool) -> Smoothing | None:
        if self.smoothing != "density" or discrete:
            return None
        return Smoothing.observed(values, self.smoothing_min_values)

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._first is None:
            raise RuntimeError("fit the generator before sampling")
        rng = np.random.default_rng(self.seed if seed is None else seed)
        rows = np.empty((n, len(self._columns)))
        rows[:, 0] = self._first[rng.integers(0, len(self._first), n)]
        if self._first_smoothing is not None:  # the first column's draws are real values too
            rows[:, 0] = self._first_smoothing.apply(rows[:, 0], rng)
        for j, step in enumerate(self._steps, start=1):
            rows[:, j] = step.draw(rows[:, :j], rng)
        frame = pd.DataFrame(rows, columns=self._columns)
        return frame.astype({c: t for c, t in self._dtypes.items() if pd.api.types.is_integer_dtype(t)})

    def _check_loaded(self) -> None:
        """Called by model_file on a loaded generator (its steps already checked): a step per column
        after the first, each splitting only on the columns before its own."""
        first, columns, steps = (getattr(self, name, None) for name in ("_first", "_columns", "_steps"))
        require(isinstance(columns, list) and isinstance(getattr(self, "_dtypes", None), dict), "no columns")
        require(isinstance(steps, list), f"_steps is {described(steps)}, not a list")
        if first is None:  # never fitted: sample says so
            require(not steps, "steps without a first column")
            return
        require(len(require_array(first, "_first", "f", 1)) > 0, "_first is empty")
        _check_smoothing(getattr(self, "_first_smoothing", None), "_first_smoothing")
        require(len(steps) == len(columns) - 1, f"{len(steps)} steps for {len(columns)} columns")
        for j, step in enumerate(steps, start=1):
            require(isinstance(step, _Step), f"step {j} is {described(step)}, not a tree")
            split = step.feature[step.left >= 0]
            require(((split >= 0) & (split < j)).all(), f"step {j} splits on a column not before it")


class _Step:
    """One column's tree, kept as its split arrays only, and, per leaf, its training donors (sorted by
    leaf for slicing); with ``smooth``, the column's observed range and decimals, to smooth what it draws.

    A fitted classifier also holds every node's class counts (nodes x classes floats: 100 MB for a
    529-value column on 236k rows) that sampling never reads, so the tree is not kept whole."""

    def __init__(self, tree, leaves: np.ndarray, donors: np.ndarray, smooth: Smoothing | None):
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

    def _check_loaded(self) -> None:
        """Called by model_file on a loaded step, so that a damaged tree is refused when loaded, not met
        in ``apply``: one entry per node in each array; a node's children both -1 (a leaf) or both
        above it and in range (every walk from the root ends, no cycle); every leaf with donors."""
        left = require_array(getattr(self, "left", None), "left", "i", 1)
        nodes = len(left)
        require(nodes > 0, "the tree has no node")
        kinds = {"right": "i", "feature": "i", "threshold": "f", "missing_left": "b", "slot": "i"}
        for name, kind in kinds.items():
            array = require_array(getattr(self, name, None), name, kind, 1)
            require(len(array) == nodes, f"{name} has {len(array)} entries for {nodes} nodes")
        leaf, index = self.left == -1, np.arange(nodes)
        require((leaf == (self.right == -1)).all(), "a node has one child")
        for side in (self.left, self.right):
            require(((side > index) & (side < nodes) | leaf).all(), "a child index not above its parent's")
        starts = require_array(getattr(self, "starts", None), "starts", "i", 1)
        counts = require_array(getattr(self, "counts", None), "counts", "i", 1)
        donors = require_array(getattr(self, "donors", None), "donors", "iuf", 1)
        require(len(starts) == len(counts), "starts and counts differ in length")
        require(((self.slot >= 0) & (self.slot < len(starts)))[leaf].all(), "a leaf without donors")
        require(
            ((counts > 0) & (starts >= 0) & (starts + counts <= len(donors))).all(), "donors out of range"
        )
        _check_smoothing(getattr(self, "smooth", None), "smooth")

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
        return values if self.smooth is None else self.smooth.apply(values, rng)


def _check_smoothing(smooth, name: str) -> None:
    if smooth is None:
        return
    require(isinstance(smooth, Smoothing), f"{name} is {described(smooth)}, not a smoothing")
    numbers = [getattr(smooth, field, None) for field in ("low", "high")]
    require(all(isinstance(x, (int, float)) for x in numbers), f"{name} has no numeric range")
    decimals = getattr(smooth, "decimals", None)
    require(type(decimals) is int and 0 <= decimals <= MAX_DECIMALS, f"{name} has {decimals!r} decimals")


def _compact(values: np.ndarray) -> np.ndarray:
    """``values`` in the smallest integer type that holds them exactly (codes, counts), else as they are."""
    with np.errstate(invalid="ignore"):  # a value no integer holds (inf) leaves them as they are
        return pd.to_numeric(values, downcast="integer")
