"""Privacy: does the synthetic table copy real people? Distances to the closest real record (DCR).

The distance between two rows is Euclidean on a mixed-type embedding: each numeric (or datetime) column
is centred on its training median and divided by its training interquartile range (the standard
deviation, then 1, where that is 0), a missing numeric value becomes the median plus a 0/1 "missing"
coordinate, and a category mismatch adds exactly 1 to the squared distance (two values no training row
holds differ as two known ones do). A categorical is one-hot
encoded and scaled by 1/sqrt(2), so that its mismatches ride in the same matrix product as the numbers,
unless it has more than ``ONE_HOT_MAX`` values or its matching pairs cost less than its columns would
(``PAIR_COST``): then it keeps its integer code and the pairs that share a code are found code by code (a
529-value column made census-sized searches 10x slower as 530 dense columns). The nearest neighbours are
found by exact brute force in blocks that fit in memory (:class:`_BlockSearch`): a float32 matrix product
picks the candidates and their distances are then computed term by term, so that a copy is at exactly 0.

The reference is the real holdout, which the generator never saw: if the generator memorised nothing, a
synthetic row is as likely to be closest to a training row as to a holdout row, once the sizes of the two
sets are accounted for (the DCR share: about 50%; copies of training rows give 100%).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from synthproof.config.evaluation import DCRParams
from synthproof.evaluation.uncertainty import interval_metrics, share_difference, wilson
from synthproof.links import as_key
from synthproof.progress import Silent
from synthproof.rows import copy_mask, row_hashes
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema
from synthproof.split import limit_rows
from synthproof.values import as_float, histogram_table

CHUNKS = 10  # pieces of each nearest-neighbour search, one progress step each
# categoricals with more values are compared by code instead of one-hot (a column each)
ONE_HOT_MAX = 64
BLOCK_CELLS = 2**24  # distances held at once in a search: 128 MB of float64
# one-hot columns' values no training row holds, a dense slot each (past that many, the last slot is
# shared: a table of junk categories cannot widen every embedded row without bound)
UNSEEN_SLOTS = 128
PAIR_COST = 2000  # a matching pair's step over a product term's (numpy fancy indexing vs float32 BLAS)


@dataclass
class Privacy:
    """DCR figures of the synthetic table, with the real rows' own as the reference: the holdout's, and
    for copies and near copies also the training part's own (each training row against the others)."""

    synthetic_to_train: np.ndarray  # distance of each synthetic row to its closest training row
    synthetic_to_holdout: np.ndarray
    holdout_to_train: np.ndarray
    copies: int  # synthetic rows equal to a training row, counted over every row
    synthetic_rows: int
    holdout_copies: int  # holdout rows equal to a training row (real duplicates)
    holdout_rows: int
    dcr_share_raw: float  # share of synthetic rows closer to a training row than to a holdout row
    dcr_share: float  # the same, as if training part and holdout were equally large
    dcr_share_interval: tuple[float, float]
    nndr_median: float
    # the real rows' own, pooled: the holdout's distances and copies with each (searched) training row's
    # distance to the other training rows and whether it equals one of them. A real row the generator never
    # saw is as likely to repeat a training row as a training row is to repeat another (the rows are
    # exchangeable), and the training part is 2-4 times the holdout: the reference's noise shrinks that much
    real_to_train: np.ndarray = None
    real_copies: int = 0
    real_rows: int = 0
    near_quantile: float = 0.01  # near copies: near a training row, not on it, as this share of real rows are

    @property
    def _real_to_train(self) -> np.ndarray:
        return self.holdout_to_train if self.real_to_train is None else self.real_to_train

    def near_counts(self) -> tuple[int, int, int]:
        """Synthetic, holdout and real (pooled) rows near a training row but not on it: farther than 0
        and at most as far as the real rows' ``near_quantile`` quantile of their positive distances. Real
        rows a generator never saw land there as often (about ``near_quantile`` of those not on a training
        row); a copy nudged by less than real neighbours lie apart lands below it. Rows at distance 0 are
        the exact-copy line's: on a table whose real rows repeat (a panel), they would put the quantile
        itself at 0."""
        real = self._real_to_train
        positive = real[real > 0]
        if not len(positive):
            return 0, 0, 0
        bound = float(np.quantile(positive, self.near_quantile))

        def near(distances: np.ndarray) -> int:
            return int(((distances > 0) & (distances <= bound)).sum())

        return near(self.synthetic_to_train), near(self.holdout_to_train), near(real)

    @property
    def exact_copy_share(self) -> float:
        return self.copies / self.synthetic_rows if self.synthetic_rows else 0.0

    @property
    def holdout_exact_copy_share(self) -> float:
        return self.holdout_copies / self.holdout_rows if self.holdout_rows else 0.0

    def metrics(self) -> dict:
        """Each headline share with its 95% interval; copies and near copies above the real rows' own
        share are what the gate judges (a table with real duplicates has copies of its own)."""
        copies = wilson(self.copies, self.synthetic_rows)
        holdout_copies = wilson(self.holdout_copies, self.holdout_rows)
        real_copies, real_rows = (
            (self.real_copies, self.real_rows) if self.real_rows else (self.holdout_copies, self.holdout_rows)
        )
        real_share = real_copies / real_rows if real_rows else 0.0
        above = share_difference(self.copies, self.synthetic_rows, real_copies, real_rows)
        near, holdout_near, real_near = self.near_counts()
        searched, holdout_rows = len(self.synthetic_to_train), len(self.holdout_to_train)
        real_searched = len(self._real_to_train)
        near_share = near / searched if searched else 0.0
        holdout_near_share = holdout_near / holdout_rows if holdout_rows else 0.0
        real_near_share = real_near / real_searched if real_searched else 0.0
        near_above = share_difference(near, searched, real_near, real_searched)
        return {
            "exact_copy_share": round(self.exact_copy_share, 4),
            **interval_metrics("exact_copy_share", copies),
            "exact_copy_share_above_holdout": round(self.exact_copy_share - real_share, 4),
            **interval_metrics("exact_copy_share_above_holdout", above),
            "real_exact_copy_share": round(real_share, 4),
            **interval_metrics("real_exact_copy_share", wilson(real_copies, real_rows)),
            "near_copy_share": round(near_share, 4),
            "holdout_near_copy_share": round(holdout_near_share, 4),
            "real_near_copy_share": round(real_near_share, 4),
            "near_copy_share_above_holdout": round(near_share - real_near_share, 4),
            **interval_metrics("near_copy_share_above_holdout", near_above),
            "dcr_share": round(self.dcr_share, 4),
            **interval_metrics("dcr_share", self.dcr_share_interval),
            "dcr_share_raw": round(self.dcr_share_raw, 4),
            "dcr_median_train": round(float(np.median(self.synthetic_to_train)), 4),
            "dcr_median_holdout": round(float(np.median(self.synthetic_to_holdout)), 4),
            "nndr_median": round(self.nndr_median, 4),
            "holdout_exact_copy_share": round(self.holdout_exact_copy_share, 4),
            **interval_metrics("holdout_exact_copy_share", holdout_copies),
            "holdout_dcr_median_train": round(float(np.median(self.holdout_to_train)), 4),
        }


@dataclass
class Points:
    """Rows embedded for the distance search: ``dense`` holds the numeric coordinates and the one-hot
    blocks, ``codes`` the codes of the many-valued categoricals (one column each)."""

    dense: np.ndarray
    codes: np.ndarray

    def __len__(self) -> int:
        return len(self.dense)

    def widened(self, width: int) -> Points:
        """The same points with zeros up to ``width`` dense coordinates: the slots of unseen values that
        rows embedded later brought (these rows hold none of them)."""
        extra = width - self.dense.shape[1]
        return self if extra <= 0 else Points(np.pad(self.dense, ((0, 0), (0, extra))), self.codes)


class MixedEmbedding:
    """Rows as :class:`Points`, so that the mixed distance described above is Euclidean on ``dense``
    plus the count of ``codes`` that differ, under the square root."""

    def __init__(self, train: pd.DataFrame, categorical: list[str], ordered: list[str]):
        self.categorical, self.ordered = list(categorical), list(ordered)
        self.centre, self.scale, self.categories = {}, {}, {}
        for name in self.ordered:
            values = as_float(train[name])
            values = values[~np.isnan(values)]
            median = float(np.median(values)) if len(values) else 0.0
            q1, q3 = np.percentile(values, [25, 75]) if len(values) else (0.0, 0.0)
            spread = q3 - q1 or (float(values.std()) if len(values) else 0.0) or 1.0
            self.centre[name], self.scale[name] = median, spread
        self.coded = []
        for name in self.categorical:
            keys = as_key(train[name])
            self.categories[name] = pd.Index(pd.unique(keys))
            shares = keys.value_counts(normalize=True, dropna=False).to_numpy()
            # a one-hot block costs a product term per value; a code costs a step per matching pair
            # (its share of pairs: the sum of squared shares), some PAIR_COST times dearer than a term
            values = len(self.categories[name]) + 1  # (+1: the unseen values' column it once had; kept so)
            if values > ONE_HOT_MAX or PAIR_COST * float((shares**2).sum()) < values:
                self.coded.append(name)
        self.one_hot = [name for name in self.categorical if name not in self.coded]
        self._unseen: dict[str, dict[str, int]] = {}  # per column: each unseen value's own code
        self._slots: dict[tuple[str, int], int] = {}  # a one-hot column's unseen code: its dense slot

    def _codes(self, frame: pd.DataFrame, name: str) -> np.ndarray:
        """Each value's code: its training category's, or for a value no training row holds, a code of
        its own (the same for that value in every table this embedding transforms), so that two unseen
        values differ as two known ones do (an audit's twin and holdout share no training city)."""
        keys = as_key(frame[name])
        codes = self.categories[name].get_indexer(keys)
        unseen = self._unseen.setdefault(name, {})
        for i in np.flatnonzero(codes < 0):
            codes[i] = len(self.categories[name]) + unseen.setdefault(keys.iat[i], len(unseen))
        return codes

    def transform(self, frame: pd.DataFrame) -> Points:
        blocks = []
        for name in self.ordered:
            values = (as_float(frame[name]) - self.centre[name]) / self.scale[name]
            missing = np.isnan(values)
            blocks.append(np.where(missing, 0.0, values)[:, None])
            blocks.append(missing[:, None].astype(float))
        unseen = []  # (row, value's slot) of the one-hot columns' unseen values
        for name in self.one_hot:
            known = len(self.categories[name])
            codes = self._codes(frame, name)
            one_hot = np.zeros((len(frame), known))
            seen = codes < known
            one_hot[np.flatnonzero(seen), codes[seen]] = 1.0
            blocks.append(one_hot / np.sqrt(2))
            for row in np.flatnonzero(~seen):  # a slot of its own, past every block (the last ones share)
                slot = self._slots.setdefault((name, int(codes[row])), len(self._slots))
                unseen.append((row, min(slot, UNSEEN_SLOTS - 1)))
        dense = np.hstack(blocks) if blocks else np.zeros((len(frame), 0))
        tail = np.zeros((len(frame), min(len(self._slots), UNSEEN_SLOTS)))
        for row, slot in unseen:  # past UNSEEN_SLOTS, values share the last slot (an approximation)
            tail[row, slot] += 1.0 / np.sqrt(2)
        dense = np.hstack([dense, tail])
        codes = np.column_stack([self._codes(frame, name) for name in self.coded]) if self.coded else None
        return Points(dense, np.zeros((len(frame), 0), dtype=np.int64) if codes is None else codes)


def closest_distances(points: Points, reference: Points, k: int = 1, progress=None) -> np.ndarray:
    """Distances from each of ``points`` to its ``k`` nearest rows of ``reference`` (n x k, ascending),
    searched in ``CHUNKS`` pieces of ``points`` (``progress`` advances by one per piece), each in blocks of
    at most ``BLOCK_CELLS`` distances. Exact: see :class:`_BlockSearch`."""
    return closest_rows(points, reference, k, progress)[0]


def closest_rows(
    points: Points, reference: Points, k: int = 1, progress=None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`closest_distances` and the rows of ``reference`` they are to (n x k each; of rows at exactly
    the same distance, the first)."""
    progress = Silent() if progress is None else progress
    width = max(points.dense.shape[1], reference.dense.shape[1])
    points, reference = points.widened(width), reference.widened(width)
    search = _BlockSearch(reference, k)
    block = max(1, BLOCK_CELLS // max(len(reference), 1))
    distances, rows = [], []
    for chunk in np.array_split(np.arange(len(points)), CHUNKS):
        for start in range(0, len(chunk), block):
            block_rows = chunk[start : start + block]
            found = search.nearest(points.dense[block_rows], points.codes[block_rows])
            distances.append(found[0])
            rows.append(found[1])
        progress.update(1)
    if not distances:
        return np.zeros((0, k)), np.zeros((0, k), dtype=np.int64)
    return np.vstack(distances), np.vstack(rows)


class _BlockSearch:
    """Exact k-nearest rows of ``reference`` for blocks of queries.

    The order of the reference rows for a query q is |r|^2 - 2 q.r less the codes q shares with r (|q|^2
    and the number of coded columns are the same for every r), one float32 matrix product of [q, 1] and
    [-2r, |r|^2] over the columns where some reference row is not 0, then a step per pair that shares a
    code. float32 errs by at most ``tolerance`` (a bound on the rounding of d products of that size), so
    every row within it of the k-th best is a candidate, and the candidates' distances are computed exactly,
    term by term, in float64: a copy is at exactly 0. A block with too many candidates (rows tied by the
    hundred) is searched in float64 instead.
    """

    MAX_CANDIDATES = 64  # per query, on average over a block, before the block falls back to float64

    def __init__(self, reference: Points, k: int):
        self.reference, self.k = reference, k
        self.used = np.flatnonzero(np.any(reference.dense != 0, axis=0))
        used = reference.dense[:, self.used]
        norms = np.einsum("ij,ij->i", used, used)
        self.augmented = np.hstack([-2.0 * used, norms[:, None]])  # float64, for the fallback
        self.augmented32 = self.augmented.astype(np.float32)
        self.largest_norm = float(np.sqrt(norms.max())) if len(norms) else 0.0
        # rounding of each input and of a sum of d products, doubled: |q|^2 terms bound every product
        self.error_factor = 2.0 * (len(self.used) + 2) * float(np.finfo(np.float32).eps)
        self.codes = [_CodeIndex(reference.codes[:, j]) for j in range(reference.codes.shape[1])]

    def nearest(self, dense: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The distances to each query's k nearest reference rows, and those rows."""
        augmented = np.hstack([dense[:, self.used], np.ones((len(dense), 1))])
        order = augmented.astype(np.float32) @ self.augmented32.T
        self._subtract_shared_codes(order, codes)
        size = np.sqrt(np.einsum("ij,ij->i", augmented, augmented) - 1.0)
        tolerance = self.error_factor * (size + self.largest_norm) ** 2
        picked = self._k_smallest(order)  # the k-th best is the one left in place
        near = order <= (order[np.arange(len(order)), picked[:, -1]] + tolerance)[:, None]
        near[np.arange(len(order))[:, None], picked[:, :-1]] = False  # at inf already; counted once below
        extra = np.flatnonzero(np.count_nonzero(near, axis=1) > 1)  # rows tied within the tolerance
        more_queries, more_rows = np.nonzero(near[extra])
        queries = np.r_[np.repeat(np.arange(len(order)), self.k), extra[more_queries]]
        rows = np.r_[picked.ravel(), more_rows]
        # the k-th pick is among the rows tied with it too: each (query, row) once, or a row the float32
        # order put k-th could fill two of the k places
        pairs = np.unique(queries * len(self.reference) + rows)
        queries, rows = pairs // len(self.reference), pairs % len(self.reference)
        if len(queries) > self.MAX_CANDIDATES * len(order):
            order = augmented @ self.augmented.T
            self._subtract_shared_codes(order, codes)
            queries, rows = np.repeat(np.arange(len(order)), self.k), self._k_smallest(order).ravel()
        exact = self._exact(dense, codes, queries, rows)
        ranked = np.lexsort((rows, exact, queries))  # by query, then by distance, then by row
        first = np.searchsorted(queries[ranked], np.arange(len(order)))
        taken = ranked[first[:, None] + np.arange(self.k)]
        return np.sqrt(exact[taken]), rows[taken]

    def _subtract_shared_codes(self, order: np.ndarray, codes: np.ndarray) -> None:
        for j, index in enumerate(self.codes):
            index.subtract_shared(order, codes[:, j])

    def _k_smallest(self, order: np.ndarray) -> np.ndarray:
        """The k smallest per row by k passes of argmin (cheaper than a partition for k <= 2); the values
        picked before the last are left at +inf."""
        picked = np.empty((len(order), self.k), dtype=np.int64)
        every = np.arange(len(order))
        for i in range(self.k):
            picked[:, i] = np.argmin(order, axis=1)
            if i < self.k - 1:
                order[every, picked[:, i]] = np.inf
        return picked

    def _exact(self, dense, codes, queries: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Squared distances of (query, reference row) pairs, term by term, in pieces."""
        exact = np.empty(len(queries))
        step = max(1, BLOCK_CELLS // max(1, dense.shape[1] + codes.shape[1]))
        for start in range(0, len(queries), step):
            q, r = queries[start : start + step], rows[start : start + step]
            exact[start : start + step] = ((dense[q] - self.reference.dense[r]) ** 2).sum(axis=1) + (
                codes[q] != self.reference.codes[r]
            ).sum(axis=1)
        return exact


class _CodeIndex:
    """The reference rows of each code of one coded column (ascending), to take 1 off the order of every
    (query, reference row) pair that shares a code: the queries of one code at a time, against that code's
    rows, so that the updates stay within a few rows of the block (a scattered update of every pair at
    once ran 20x slower)."""

    def __init__(self, codes: np.ndarray):
        self.rows = np.argsort(codes, kind="stable")
        self.counts = np.bincount(codes)
        self.starts = np.cumsum(self.counts) - self.counts

    def subtract_shared(self, order: np.ndarray, codes: np.ndarray) -> None:
        by_code = np.argsort(codes, kind="stable")
        present, first = np.unique(codes[by_code], return_index=True)
        for code, queries in zip(present, np.split(by_code, first[1:]), strict=True):
            if code < len(self.counts) and self.counts[code]:
                rows = self.rows[self.starts[code] : self.starts[code] + self.counts[code]]
                order[np.ix_(queries, rows)] -= 1.0


@dataclass
class HoldoutPrivacy:
    """The real rows' own figures, which no generator changes: each holdout row's distance to its closest
    (searched) training row and whether it equals a training row; each searched training row's distance
    to its closest other one, and whether each training row equals another. The ``score_real`` stage
    computes them once per split."""

    distance_to_train: np.ndarray
    copy_of_train: np.ndarray
    train_distance: np.ndarray = field(default_factory=lambda: np.zeros(0))  # to the closest other
    train_repeat: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # equals another

    def to_frame(self) -> pd.DataFrame:
        """One frame: the holdout's rows, then the training part's (``part``); a training row outside
        the distance search has no distance (NaN)."""
        train_distance = np.full(len(self.train_repeat), np.nan)
        train_distance[: len(self.train_distance)] = self.train_distance
        return pd.DataFrame(
            {
                "part": ["holdout"] * len(self.copy_of_train) + ["train"] * len(self.train_repeat),
                "distance_to_train": np.r_[self.distance_to_train, train_distance],
                "copy_of_train": np.r_[self.copy_of_train, self.train_repeat].astype(bool),
            }
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> HoldoutPrivacy:
        holdout, train = frame[frame["part"] == "holdout"], frame[frame["part"] == "train"]
        distances = train["distance_to_train"].to_numpy()
        return cls(
            holdout["distance_to_train"].to_numpy(),
            holdout["copy_of_train"].to_numpy(dtype=bool),
            distances[~np.isnan(distances)],
            train["copy_of_train"].to_numpy(dtype=bool),
        )


class _Search:
    """The training rows the distance search runs on (a seeded sample of ``max_rows`` when given) and the
    embedding fitted on them: the same for the holdout reference and for every synthetic table."""

    def __init__(self, train, categorical, ordered, seed, max_rows):
        self.train = limit_rows(train, max_rows, seed)
        self.embedding = MixedEmbedding(self.train, categorical, ordered)
        self.train_points = self.embedding.transform(self.train)
        self.columns = list(categorical) + list(ordered)
        hashes = row_hashes(train[self.columns])
        self.training_rows = set(hashes)  # every training row, for exact copies
        self.repeats = hashes.duplicated(keep=False).to_numpy()  # training rows equal to another

    def holdout_reference(self, holdout: pd.DataFrame, progress=None) -> HoldoutPrivacy:
        progress = Silent() if progress is None else progress
        progress.total = CHUNKS
        progress.set_postfix_str("holdout to training rows", refresh=False)
        points = self.embedding.transform(holdout)
        distances = closest_distances(points, self.train_points, 1, progress)[:, 0]
        # each searched training row's closest other: the second nearest (the first is itself, or a
        # duplicate, at 0 either way)
        others = closest_distances(self.train_points, self.train_points, 2)[:, 1]
        copies = copy_mask(holdout[self.columns], self.training_rows)
        return HoldoutPrivacy(distances, copies, others, self.repeats)


@dataclass(frozen=True)
class DistanceTest:
    """Distances to the closest real record, as ``params.yaml: privacy.dcr`` sets them: DCR to training and
    holdout rows, exact and near copies, the DCR share and the nearest-neighbour distance ratio, against the
    holdout's own figures (:meth:`reference`, which score_real computes once per split).

    Args:
        near_quantile: Near copies are rows near a training row (not on it) as this share of the real
            rows not on one are (the holdout's, and each training row's to the others).
        max_rows: Synthetic, training and holdout rows of the distance search, at most (a seeded sample of
            each); exact copies are counted over every row, by row hashes.
        seed: Seeds the samples.
    """

    near_quantile: float = 0.01
    max_rows: int | None = 40_000
    seed: int = 0

    @classmethod
    def for_run(cls, params: DCRParams, seed: int) -> DistanceTest:
        """The test a run's ``privacy.dcr`` params set."""
        return cls(params.near_quantile, params.max_rows, seed)

    def _search(self, schema: Schema, train: pd.DataFrame) -> _Search:
        ordered = schema.names(NUMERIC, DATETIME)
        return _Search(train, schema.names(CATEGORICAL), ordered, self.seed, self.max_rows)

    def reference(self, schema: Schema, train: pd.DataFrame, holdout: pd.DataFrame, progress=None):
        """Each holdout row's distance to the closest searched training row, and its copies of training
        rows (counted over every training row)."""
        return self._search(schema, train).holdout_reference(holdout, progress)

    def run(
        self,
        schema: Schema,
        train: pd.DataFrame,
        holdout: pd.DataFrame,
        synthetic: pd.DataFrame,
        reference: HoldoutPrivacy | None = None,
        progress=None,
    ) -> Privacy:
        """The figures of ``synthetic`` beside ``reference`` (the holdout's own; computed when not given)."""
        search = self._search(schema, train)
        seed, max_rows = self.seed, self.max_rows
        if reference is None:
            reference = search.holdout_reference(holdout)
        copies = int(copy_mask(synthetic[search.columns], search.training_rows).sum())
        synthetic_rows = len(synthetic)
        synthetic = limit_rows(synthetic, max_rows, seed)
        synthetic_points = search.embedding.transform(synthetic)
        progress = Silent() if progress is None else progress
        progress.total = 2 * CHUNKS
        progress.set_postfix_str("synthetic to training rows", refresh=False)
        to_train = closest_distances(synthetic_points, search.train_points, 2, progress)
        progress.set_postfix_str("synthetic to holdout rows", refresh=False)
        searched = limit_rows(holdout, max_rows, seed)
        to_holdout = closest_distances(synthetic_points, search.embedding.transform(searched), 1, progress)[
            :, 0
        ]

        closer = (to_train[:, 0] < to_holdout).mean() + 0.5 * (to_train[:, 0] == to_holdout).mean()
        nearest, second = to_train[:, 0], to_train[:, 1]
        ratio = np.divide(nearest, second, out=np.zeros_like(nearest), where=second > 0)
        sizes = len(search.train_points), len(searched)
        raw_interval = wilson(float(closer) * len(synthetic_points), len(synthetic_points))
        return Privacy(
            synthetic_to_train=nearest,
            synthetic_to_holdout=to_holdout,
            holdout_to_train=reference.distance_to_train,
            copies=copies,
            synthetic_rows=synthetic_rows,
            holdout_copies=int(reference.copy_of_train.sum()),
            holdout_rows=len(holdout),
            real_to_train=np.r_[reference.distance_to_train, reference.train_distance],
            real_copies=int(reference.copy_of_train.sum() + reference.train_repeat.sum()),
            real_rows=len(holdout) + len(reference.train_repeat),
            dcr_share_raw=float(closer),
            dcr_share=_size_adjusted(float(closer), *sizes),
            dcr_share_interval=tuple(_size_adjusted(bound, *sizes) for bound in raw_interval),  # monotone
            nndr_median=float(np.median(ratio)),
            near_quantile=self.near_quantile,
        )


def _size_adjusted(share: float, n_train: int, n_holdout: int) -> float:
    """The share of rows closest to training, re-weighted as if both sets had the same size.

    A row drawn from the real distribution is closest to the larger set more often: with a training part
    four times the holdout, 80% of the time. Weighting each side's hits by one over its size turns that
    into 50%, while copies of training rows (always closest to training) stay at 100%.
    """
    train_hits, holdout_hits = share / n_train, (1 - share) / n_holdout
    return train_hits / (train_hits + holdout_hits) if train_hits + holdout_hits > 0 else 0.5


def dcr_histogram(result: Privacy, bins: int = 30) -> pd.DataFrame:
    """Shares of synthetic and holdout rows per bin of distance to the closest training row."""
    top = float(np.quantile(np.r_[result.synthetic_to_train, result.holdout_to_train], 0.99)) or 1.0
    samples = {"synthetic": result.synthetic_to_train, "holdout": result.holdout_to_train}
    clipped = {name: np.minimum(distances, top) for name, distances in samples.items()}
    return histogram_table(np.linspace(0.0, top, bins + 1), clipped, shares=True)
