"""Adversarial random forests (Watson, Blesch, Kapar and Wright, "Adversarial random forests for density
estimation and generative modeling", AISTATS 2023; the authors' Python package is ``arfpy``, MIT).

A random forest learns to tell the real rows from synthetic ones drawn from the product of the real
marginals; new synthetic rows are then drawn from its leaves (a leaf by how many real rows it holds, each
column from the real rows of that leaf, independently), and the forest is trained again, until it can no
longer tell (out-of-bag accuracy at most 0.5 + ``delta``) or ``max_iters`` rounds. The last forest's leaves
are then a density estimate (FORDE): in each leaf, every column independent, a number as a normal of the
leaf's real mean and spread truncated to the leaf's bounds, a category by the leaf's real frequencies; a
synthetic row (FORGE) picks a tree, a leaf by its real rows, and draws each column from the leaf.

Implemented here from the paper and arfpy's code (arfpy 0.1.1 calls ``np.in1d``, which numpy 2.4
removed, and loops over leaves in Python). The fitted state is arrays only: every real row's leaf in every
tree, and each leaf's bounds, mean and spread per numeric column.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.stats import truncnorm
from sklearn.ensemble import RandomForestClassifier

from synthproof.generators.base import Fit, Generator
from synthproof.generators.model_file import require, require_array


class ARFGenerator(Generator):
    """Adversarial random forest with FORDE / FORGE.

    Args:
        num_trees: Trees in the forest.
        min_node_size: Fewest rows (real and synthetic) in a leaf.
        delta: Stop when the forest's out-of-bag accuracy is at most 0.5 + ``delta``.
        max_iters: Most rounds of re-drawing and re-training.
        early_stop: Stop as soon as a round does not lower the out-of-bag accuracy.
        threads: Parallel jobs of the forest.
        seed: Seeds the forests, the draws and, by default, sampling.
    """

    name = "arf"
    shared_params = ("threads",)

    def __init__(
        self,
        num_trees: int = 30,
        min_node_size: int = 5,
        delta: float = 0.0,
        max_iters: int = 10,
        early_stop: bool = True,
        threads: int = 2,
        seed: int = 0,
    ):
        self.num_trees = num_trees
        self.min_node_size = min_node_size
        self.delta = delta
        self.max_iters = max_iters
        self.early_stop = early_stop
        self.threads = threads
        self.seed = seed
        self._columns: list[str] = []
        self._dtypes: dict = {}
        self._discrete: np.ndarray | None = None  # per column: categorical codes
        self._data: np.ndarray | None = None  # the real rows
        self._order: np.ndarray | None = None  # (tree, row) pairs sorted by leaf, as flat indexes
        self._leaf_keys: np.ndarray | None = None  # each leaf's key (tree * stride + node), sorted
        self._starts: np.ndarray | None = None  # each leaf's first pair in ``_order``
        self._counts: np.ndarray | None = None  # each leaf's real rows
        self._row_keys: np.ndarray | None = None  # rows x trees: each real row's leaf key
        self._stride = 1  # a leaf's key: tree * stride + its node in the tree
        self._low: np.ndarray | None = None  # leaves x numeric columns: the leaf's bounds
        self._high: np.ndarray | None = None
        self._mean: np.ndarray | None = None
        self._spread: np.ndarray | None = None

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        self._columns, self._dtypes = list(df.columns), df.dtypes.to_dict()
        x = df.to_numpy(dtype=float)
        x = np.where(np.isnan(x), np.nanmedian(x, axis=0), x)  # the wrapper learns NaN apart; none left
        self._discrete = np.array([c in discrete_columns for c in self._columns])
        rng = np.random.default_rng(self.seed)
        synthetic = np.column_stack([rng.choice(column, len(x)) for column in x.T])  # product of marginals
        accuracies: list[float] = []
        for round_ in range(self.max_iters + 1):
            forest = RandomForestClassifier(
                n_estimators=self.num_trees, min_samples_leaf=self.min_node_size, oob_score=True,
                n_jobs=self.threads, random_state=self.seed + round_,
            )  # fmt: skip
            with warnings.catch_warnings():  # a small table leaves a few rows in no tree's out-of-bag set
                warnings.filterwarnings("ignore", "Some inputs do not have OOB scores")
                forest.fit(np.vstack([x, synthetic]), np.r_[np.ones(len(x)), np.zeros(len(synthetic))])
            accuracies.append(float(forest.oob_score_))
            done = accuracies[-1] <= 0.5 + self.delta or round_ == self.max_iters
            if done or (self.early_stop and len(accuracies) > 1 and accuracies[-1] >= accuracies[-2]):
                break
            self._index(forest, x)
            synthetic = self._draw_from_leaves(len(x), rng, numeric_from_leaf=False)
        self._index(forest, x)
        self._densities(forest, x)
        return Fit(report={"arf_rounds": len(accuracies), "arf_oob_accuracy": round(accuracies[-1], 4)})

    def _index(self, forest: RandomForestClassifier, x: np.ndarray) -> None:
        """Each real row's leaf in every tree, and the leaves' real rows, sorted by leaf."""
        nodes = forest.apply(x).astype(np.int64)  # rows x trees
        self._stride = int(nodes.max()) + 1
        keys = nodes + np.arange(nodes.shape[1]) * self._stride
        self._data, self._row_keys = x, keys
        flat = keys.T.ravel()  # tree-major: pair p is (tree p // rows, row p % rows)
        self._order = np.argsort(flat, kind="stable")
        self._leaf_keys, self._starts, self._counts = np.unique(
            flat[self._order], return_index=True, return_counts=True
        )

    def _densities(self, forest: RandomForestClassifier, x: np.ndarray) -> None:
        """Per leaf and numeric column: the leaf's bounds (from the tree's splits, the observed range
        where a side is open), and its real rows' mean and spread."""
        numeric = np.flatnonzero(~self._discrete)
        observed_low, observed_high = x.min(axis=0), x.max(axis=0)
        self._low = np.empty((len(self._leaf_keys), len(numeric)), dtype=np.float32)
        self._high = np.empty_like(self._low)
        tree_of, node_of = np.divmod(self._leaf_keys, self._stride)
        for t, tree in enumerate(forest.estimators_):
            low, high = _leaf_bounds(tree.tree_, observed_low, observed_high)
            in_tree = tree_of == t
            self._low[in_tree] = low[node_of[in_tree]][:, numeric]
            self._high[in_tree] = high[node_of[in_tree]][:, numeric]
        values = x[:, numeric][self._order % len(x)]  # each pair's row, leaf by leaf
        sums = np.add.reduceat(values, self._starts, axis=0)
        squares = np.add.reduceat(values**2, self._starts, axis=0)
        counts = self._counts[:, None]
        mean = sums / counts
        variance = np.where(counts > 1, (squares - counts * mean**2) / np.maximum(counts - 1, 1), 0.0)
        self._mean = mean.astype(np.float32)
        self._spread = np.sqrt(np.maximum(variance, 0.0)).astype(np.float32)

    def _draw_from_leaves(self, n: int, rng: np.random.Generator, numeric_from_leaf: bool) -> np.ndarray:
        """``n`` rows, each from one leaf (a tree at random, a leaf by its real rows): categories from the
        leaf's real rows; numbers too while training (arfpy's re-draw), or, with ``numeric_from_leaf``,
        from the leaf's truncated normal (FORGE)."""
        rows, trees = self._row_keys.shape
        chosen = self._row_keys[rng.integers(0, rows, n), rng.integers(0, trees, n)]
        leaf = np.searchsorted(self._leaf_keys, chosen)
        out = np.empty((n, self._data.shape[1]))
        for j in range(self._data.shape[1]):
            pick = self._starts[leaf] + (rng.random(n) * self._counts[leaf]).astype(np.int64)
            out[:, j] = self._data[self._order[pick] % rows, j]
        if numeric_from_leaf:
            numeric = np.flatnonzero(~self._discrete)
            low, high = self._low[leaf].astype(float), self._high[leaf].astype(float)
            mean, spread = self._mean[leaf].astype(float), self._spread[leaf].astype(float)
            flat = spread <= 0  # one real value in the leaf: uniform over the leaf's bounds
            spread = np.where(flat, 1.0, spread)
            a, b = (low - mean) / spread, (high - mean) / spread
            a, b = np.minimum(a, b - 1e-9), np.maximum(b, a + 1e-9)
            drawn = truncnorm.rvs(a, b, loc=mean, scale=spread, random_state=rng)
            uniform = low + rng.random(low.shape) * (high - low)
            out[:, numeric] = np.where(flat, uniform, drawn)
        return out

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._data is None:
            raise RuntimeError("fit the generator before sampling")
        rng = np.random.default_rng(self.seed if seed is None else seed)
        frame = pd.DataFrame(self._draw_from_leaves(n, rng, numeric_from_leaf=True), columns=self._columns)
        integer = {c: t for c, t in self._dtypes.items() if pd.api.types.is_integer_dtype(t)}
        return frame.round({c: 0 for c in integer}).astype(integer)

    def _check_loaded(self) -> None:
        """Called by model_file on a loaded generator, so that a damaged file is refused when loaded,
        not met by an index out of range in ``sample``: arrays of the shapes they index each other by,
        every pair and every row's leaf within range."""
        if getattr(self, "_data", None) is None:  # never fitted: sample says so
            return
        rows, columns = require_array(self._data, "_data", "f", 2).shape
        keys = require_array(getattr(self, "_row_keys", None), "_row_keys", "i", 2)
        require(rows > 0 and keys.shape[0] == rows and keys.shape[1] > 0, "_row_keys is not rows x trees")
        names = getattr(self, "_columns", None)
        require(isinstance(names, list) and len(names) == columns, "_columns does not match _data")
        require(isinstance(getattr(self, "_dtypes", None), dict), "_dtypes is not a dict")
        discrete = require_array(getattr(self, "_discrete", None), "_discrete", "b", 1)
        require(len(discrete) == columns, "_discrete does not match _data")
        order = require_array(getattr(self, "_order", None), "_order", "i", 1)
        pairs = keys.size
        require(len(order) == pairs and ((order >= 0) & (order < pairs)).all(), "_order out of range")
        leaves = require_array(getattr(self, "_leaf_keys", None), "_leaf_keys", "i", 1)
        require(len(leaves) > 0 and (np.diff(leaves) > 0).all(), "_leaf_keys not sorted")
        require(np.isin(keys, leaves).all(), "a row's leaf is not among the leaves")
        for name in ("_starts", "_counts"):
            array = require_array(getattr(self, name, None), name, "i", 1)
            require(len(array) == len(leaves), f"{name} does not match _leaf_keys")
        starts, counts = self._starts, self._counts
        require(
            ((counts > 0) & (starts >= 0) & (starts + counts <= pairs)).all(), "a leaf's pairs out of range"
        )
        shape = (len(leaves), int((~discrete).sum()))
        for name in ("_low", "_high", "_mean", "_spread"):
            array = require_array(getattr(self, name, None), name, "f", 2)
            require(array.shape == shape, f"{name} is {array.shape}, not leaves x numeric columns {shape}")


def _leaf_bounds(structure, observed_low: np.ndarray, observed_high: np.ndarray):
    """Every node's box: the bounds its splits set on each feature (open sides at the observed range)."""
    low = np.tile(observed_low, (structure.node_count, 1))
    high = np.tile(observed_high, (structure.node_count, 1))
    left, right = structure.children_left, structure.children_right
    feature, threshold = structure.feature, structure.threshold
    for node in range(structure.node_count):  # a child's id is always above its parent's
        if left[node] < 0:
            continue
        f, t = feature[node], threshold[node]
        low[left[node]], high[left[node]] = low[node], high[node]
        low[right[node]], high[right[node]] = low[node], high[node]
        high[left[node], f] = min(high[node, f], t)
        low[right[node], f] = max(low[node, f], t)
    return low, high
