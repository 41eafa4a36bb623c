"""Privacy: does the synthetic table copy real people? Distances to the closest real record (DCR).

The distance between two rows is Euclidean on a mixed-type embedding: each numeric (or datetime) column
is centred on its training median and divided by its training interquartile range (the standard
deviation, then 1, where that is 0), a missing numeric value becomes the median plus a 0/1 "missing"
coordinate, and a category mismatch adds exactly 1 to the squared distance. A categorical is one-hot
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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.evaluation.uncertainty import interval_metrics, share_difference, wilson
from synthproof.links import as_key
from synthproof.progress import Silent
from synthproof.rows import copy_mask, row_hashes
from synthproof.values import as_float, histogram_table

CHUNKS = 10  # pieces of each nearest-neighbour search, one progress step each
# categoricals with more values are compared by code instead of one-hot (a column each)
ONE_HOT_MAX = 64
BLOCK_CELLS = 2**24  # distances held at once in a search: 128 MB of float64
PAIR_COST = 2000  # a matching pair's step over a product term's (numpy fancy indexing vs float32 BLAS)


@dataclass
class Privacy:
    """DCR figures of the synthetic table, with the holdout's as the reference."""

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

    @property
    def exact_copy_share(self) -> float:
        return self.copies / self.synthetic_rows if self.synthetic_rows else 0.0

    @property
    def holdout_exact_copy_share(self) -> float:
        return self.holdout_copies / self.holdout_rows if self.holdout_rows else 0.0

    def metrics(self) -> dict:
        """Each headline share with its 95% interval; copies above the holdout's own share are what the
        gate judges (a table with real duplicates has copies of its own)."""
        copies = wilson(self.copies, self.synthetic_rows)
        holdout_copies = wilson(self.holdout_copies, self.holdout_rows)
        above = share_difference(self.copies, self.synthetic_rows, self.holdout_copies, self.holdout_rows)
        return {
            "exact_copy_share": round(self.exact_copy_share, 4),
            **interval_metrics("exact_copy_share", copies),
            "exact_copy_share_above_holdout": round(self.exact_copy_share - self.holdout_exact_copy_share, 4),
            **interval_metrics("exact_copy_share_above_holdout", above),
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
            values = len(self.categories[name]) + 1
            if values > ONE_HOT_MAX or PAIR_COST * float((shares**2).sum()) < values:
                self.coded.append(name)
        self.one_hot = [name for name in self.categorical if name not in self.coded]

    def _codes(self, frame: pd.DataFrame, name: str) -> np.ndarray:
        codes = self.categories[name].get_indexer(as_key(frame[name]))
        return np.where(codes < 0, len(self.categories[name]), codes)  # every unseen value: one code

    def transform(self, frame: pd.DataFrame) -> Points:
        blocks = []
        for name in self.ordered:
            values = (as_float(frame[name]) - self.centre[name]) / self.scale[name]
            missing = np.isnan(values)
            blocks.append(np.where(missing, 0.0, values)[:, None])
            blocks.append(missing[:, None].astype(float))
        for name in self.one_hot:
            one_hot = np.zeros((len(frame), len(self.categories[name]) + 1))
            one_hot[np.arange(len(frame)), self._codes(frame, name)] = 1.0
            blocks.append(one_hot / np.sqrt(2))
        dense = np.hstack(blocks) if blocks else np.zeros((len(frame), 0))
        codes = np.column_stack([self._codes(frame, name) for name in self.coded]) if self.coded else None
        return Points(dense, np.zeros((len(frame), 0), dtype=np.int64) if codes is None else codes)


def closest_distances(points: Points, reference: Points, k: int = 1, progress=None) -> np.ndarray:
    """Distances from each of ``points`` to its ``k`` nearest rows of ``reference`` (n x k, ascending),
    searched in ``CHUNKS`` pieces of ``points`` (``progress`` advances by one per piece), each in blocks of
    at most ``BLOCK_CELLS`` distances. Exact: see :class:`_BlockSearch`."""
    progress = Silent() if progress is None else progress
    search = _BlockSearch(reference, k)
    block = max(1, BLOCK_CELLS // max(len(reference), 1))
    pieces = []
    for chunk in np.array_split(np.arange(len(points)), CHUNKS):
        for start in range(0, len(chunk), block):
            rows = chunk[start : start + block]
            pieces.append(search.nearest(points.dense[rows], points.codes[rows]))
        progress.update(1)
    return np.vstack(pieces) if pieces else np.zeros((0, k))


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

    def nearest(self, dense: np.ndarray, codes: np.ndarray) -> np.ndarray:
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
        if len(queries) > self.MAX_CANDIDATES * len(order):
            order = augmented @ self.augmented.T
            self._subtract_shared_codes(order, codes)
            queries, rows = np.repeat(np.arange(len(order)), self.k), self._k_smallest(order).ravel()
        exact = self._exact(dense, codes, queries, rows)
        ranked = np.lexsort((exact, queries))  # by query, then by distance
        first = np.searchsorted(queries[ranked], np.arange(len(order)))
        return np.sqrt(exact[ranked][first[:, None] + np.arange(self.k)])

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
    """The holdout's own figures, which no generator changes: each holdout row's distance to its closest
    (searched) training row, and whether it equals a training row. The ``score_real`` stage computes them
    once per split."""

    distance_to_train: np.ndarray
    copy_of_train: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"distance_to_train": self.distance_to_train, "copy_of_train": self.copy_of_train}
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> HoldoutPrivacy:
        return cls(frame["distance_to_train"].to_numpy(), frame["copy_of_train"].to_numpy(dtype=bool))


class _Search:
    """The training rows the distance search runs on (a seeded sample of ``max_rows`` when given) and the
    embedding fitted on them: the same for the holdout reference and for every synthetic table."""

    def __init__(self, train, categorical, ordered, seed, max_rows):
        self.train = (
            train if max_rows is None else train.sample(n=min(max_rows, len(train)), random_state=seed)
        )
        self.embedding = MixedEmbedding(self.train, categorical, ordered)
        self.train_points = self.embedding.transform(self.train)
        self.columns = list(categorical) + list(ordered)
        self.training_rows = set(row_hashes(train[self.columns]))  # every training row, for exact copies

    def holdout_reference(self, holdout: pd.DataFrame, progress=None) -> HoldoutPrivacy:
        progress = Silent() if progress is None else progress
        progress.total = CHUNKS
        progress.set_postfix_str("holdout to training rows", refresh=False)
        points = self.embedding.transform(holdout)
        distances = closest_distances(points, self.train_points, 1, progress)[:, 0]
        return HoldoutPrivacy(distances, copy_mask(holdout[self.columns], self.training_rows))


def holdout_reference(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    seed: int = 0,
    max_rows: int | None = None,
    progress=None,
) -> HoldoutPrivacy:
    """Each holdout row's distance to the closest searched training row, and its copies of training rows
    (counted over every training row, by row hashes)."""
    return _Search(train, categorical, ordered, seed, max_rows).holdout_reference(holdout, progress)


def privacy(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    seed: int = 0,
    max_rows: int | None = None,
    reference: HoldoutPrivacy | None = None,
    progress=None,
) -> Privacy:
    """DCR to training and holdout rows, exact copies, DCR share and nearest-neighbour distance ratio,
    against the holdout's own figures (``reference``; computed here when not given).

    Exact copies are counted over every row (by row hashes); ``max_rows`` caps the synthetic, training and
    holdout rows of the distance search (a seeded sample of each), for very large tables.
    """
    search = _Search(train, categorical, ordered, seed, max_rows)
    if reference is None:
        reference = search.holdout_reference(holdout)
    copies = int(copy_mask(synthetic[search.columns], search.training_rows).sum())
    synthetic_rows = len(synthetic)
    if max_rows is not None:
        synthetic = synthetic.sample(n=min(max_rows, len(synthetic)), random_state=seed)
    synthetic_points = search.embedding.transform(synthetic)
    progress = Silent() if progress is None else progress
    progress.total = 2 * CHUNKS
    progress.set_postfix_str("synthetic to training rows", refresh=False)
    to_train = closest_distances(synthetic_points, search.train_points, 2, progress)
    progress.set_postfix_str("synthetic to holdout rows", refresh=False)
    searched = (
        holdout if max_rows is None else holdout.sample(n=min(max_rows, len(holdout)), random_state=seed)
    )
    to_holdout = closest_distances(synthetic_points, search.embedding.transform(searched), 1, progress)[:, 0]

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
        dcr_share_raw=float(closer),
        dcr_share=_size_adjusted(float(closer), *sizes),
        dcr_share_interval=tuple(_size_adjusted(bound, *sizes) for bound in raw_interval),  # monotone
        nndr_median=float(np.median(ratio)),
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
