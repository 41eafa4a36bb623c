"""Density smoothing of synthesised numbers, as R's synthpop does it (``syn.smooth``, smoothing =
"density"): each value drawn from a Gaussian kernel around its donor, with the Sheather-Jones bandwidth of
the column's values; a value that more than 70% of them hold (a spike such as 0) kept as it is; results
clamped to the observed range and rounded to the observed decimals; a top-coded maximum (held by over 1%
of values and ten times as many as the next value) kept too. A generator that draws real values (cart) then
no longer hands rare values, and so the people who hold them, back verbatim."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

SPIKE_SHARE = 0.7  # synthpop's: a value held by more than this share of the column is left alone
MAX_DECIMALS = 10


def sheather_jones(x: np.ndarray, n_bins: int = 1000) -> float:
    """The Sheather-Jones "solve-the-equation" bandwidth of a Gaussian kernel density estimate of ``x``
    (R's ``bw.SJ(x, method = "ste")``, on the same binned pair counts), or 0 for a sample with no spread."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n < 2:
        return 0.0
    spread = np.std(x, ddof=1)
    iqr = np.subtract(*np.percentile(x, [75, 25])) / 1.349
    scale = min(spread, iqr) if iqr > 0 else spread
    if not scale > 0:
        return 0.0
    width, counts = _pair_counts(x, n_bins)
    distances = np.arange(len(counts)) * width

    def phi(h: float, order: int) -> float:
        """The binned estimate of the density's 4th (order 4) or 6th derivative functional at ``h``."""
        delta = (distances / h) ** 2
        kept = delta < 1000  # R's DELMAX: farther pairs add nothing
        d = delta[kept]
        if order == 4:
            term, diagonal = d * d - 6 * d + 3, 3.0
        else:
            term, diagonal = d**3 - 15 * d * d + 45 * d - 15, -15.0
        total = 2 * np.sum(np.exp(-d / 2) * term * counts[kept]) + n * diagonal
        return total / (n * (n - 1) * h ** (order + 1) * np.sqrt(2 * np.pi))

    a, b = 1.24 * scale * n ** (-1 / 7), 1.23 * scale * n ** (-1 / 9)
    alpha2 = 1.357 * (phi(a, 4) / -phi(b, 6)) ** (1 / 7)
    c1 = 1 / (2 * np.sqrt(np.pi) * n)

    def equation(h: float) -> float:
        return (c1 / phi(alpha2 * h ** (5 / 7), 4)) ** 0.2 - h

    upper = 1.144 * scale * n ** (-1 / 5)
    lower = 0.1 * upper
    for attempt in range(100):  # R widens the bracket the same way, up first
        if equation(lower) * equation(upper) <= 0:
            break
        if attempt % 2 == 0:
            upper *= 1.2
        else:
            lower /= 1.2
    else:
        return upper  # no root within reach: the normal-reference width R starts from
    return float(brentq(equation, lower, upper, xtol=0.1 * lower))


def _pair_counts(x: np.ndarray, n_bins: int) -> tuple[float, np.ndarray]:
    """R's ``bw_pair_cnts``: the bin width and, for each distance in bins, how many pairs of values lie
    that many bins apart (pairs within one bin at distance 0)."""
    low, high = x.min(), x.max()
    width = (high - low) * 1.01 / n_bins
    if width == 0:
        return 1.0, np.array([len(x) * (len(x) - 1) / 2])
    bins = np.bincount(np.floor((x - low) / width).astype(np.int64), minlength=n_bins).astype(float)
    across = np.correlate(bins, bins, mode="full")[len(bins) - 1 :]  # lag k: pairs k bins apart, twice at 0
    across[0] = np.sum(bins * (bins - 1)) / 2
    return width, across


def decimals_of(values: np.ndarray) -> int:
    """The fewest decimals that write every observed value exactly (0 for whole numbers)."""
    finite = values[np.isfinite(values)]
    tolerance = 1e-9 * max(1.0, np.abs(finite).max(initial=0.0))
    for decimals in range(MAX_DECIMALS + 1):
        if np.allclose(np.round(finite, decimals), finite, rtol=0, atol=tolerance):
            return decimals
    return MAX_DECIMALS


@dataclass(frozen=True)
class Smoothing:
    """How a numeric column's drawn values are smoothed: its observed range and decimals."""

    low: float
    high: float
    decimals: int

    @classmethod
    def observed(cls, values: np.ndarray, min_values: int) -> Smoothing | None:
        """The column's range and decimals, or None (drawn as they are) when it holds fewer than
        ``min_values`` distinct numbers: codes, counts and values another column fixes, which a kernel
        would only move to a neighbour."""
        finite = values[np.isfinite(values)]
        if len(np.unique(finite)) < max(min_values, 2):
            return None
        return cls(float(finite.min()), float(finite.max()), decimals_of(finite))

    def apply(self, values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """``values`` each moved by a Gaussian kernel of the Sheather-Jones bandwidth of those that are
        not a spike, clamped to the observed range and rounded to the observed decimals; missing values
        and a spike's stay as they are."""
        values = values.astype(float).copy()
        moved = np.isfinite(values)
        if moved.sum() < 2:
            return values
        distinct, counts = np.unique(values[moved], return_counts=True)
        if counts.max() > SPIKE_SHARE * moved.sum():
            moved &= values != distinct[np.argmax(counts)]
        if len(counts) > 1 and counts[-1] > 10 * counts[-2] and counts[-1] > 0.01 * counts.sum():
            moved &= values != distinct[-1]  # top-coded: synthpop keeps the cap as it is
        bandwidth = sheather_jones(values[moved])  # 0 for fewer than two values: nothing moves
        if bandwidth > 0:
            values[moved] += rng.normal(0.0, bandwidth, int(moved.sum()))
            values[moved] = np.round(np.clip(values[moved], self.low, self.high), self.decimals)
        return values
