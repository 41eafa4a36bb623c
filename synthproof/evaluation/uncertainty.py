"""95% intervals for figures measured on finite rows, so that a user sees when a difference is noise.

- a share of rows (exact copies, the DCR share): Wilson's score interval;
- the difference of two shares from independent rows (copies above the holdout's own): Newcombe's
  hybrid score interval, built from the two Wilson intervals;
- an AUC: DeLong's variance (exact for the rows scored, no resampling), and the difference of two
  AUCs from independent rows (the discriminator above its floor) from the two variances;
- anything else computed from paired predictions (TSTR against TRTR on the same holdout rows): a
  seeded percentile bootstrap over the rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import norm, rankdata

Z95 = float(norm.ppf(0.975))


def interval_metrics(name: str, bounds: tuple[float, float], digits: int = 4) -> dict[str, float]:
    """A figure's interval as tidy metrics: ``<name>_low`` and ``<name>_high``."""
    return {f"{name}_low": round(bounds[0], digits), f"{name}_high": round(bounds[1], digits)}


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson's 95% score interval for a share of ``successes`` in ``n`` rows."""
    if n == 0:
        return 0.0, 1.0
    centre, half = wilson_score(successes, n)
    # none (or all) of the rows: the bound is exactly 0 (or 1), not what rounding leaves of it (5e-20)
    low = 0.0 if successes == 0 else float(max(0.0, centre - half))
    high = 1.0 if successes == n else float(min(1.0, centre + half))
    return low, high


def wilson_score(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score estimate of a share of ``successes`` in ``n > 0`` trials: its centre and the
    half-width of its interval (95% for the default ``z``), not clipped to [0, 1]."""
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(max(p * (1 - p), 0.0) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return float(centre), float(half)


def share_difference(successes_a: int, n_a: int, successes_b: int, n_b: int) -> tuple[float, float]:
    """Newcombe's 95% interval for share a minus share b, from independent rows."""
    p_a, p_b = successes_a / max(n_a, 1), successes_b / max(n_b, 1)
    (low_a, high_a), (low_b, high_b) = wilson(successes_a, n_a), wilson(successes_b, n_b)
    difference = p_a - p_b
    low = difference - np.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + np.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return float(max(-1.0, low)), float(min(1.0, high))


def rank_auc(truth: np.ndarray, score: np.ndarray) -> float:
    """The AUC of ``score`` for the binary ``truth`` (Mann-Whitney: one ranking, ties count one half)."""
    truth = np.asarray(truth).astype(bool)
    m, n = int(truth.sum()), int((~truth).sum())
    if m == 0 or n == 0:
        return float("nan")
    return float((rankdata(score)[truth].sum() - m * (m + 1) / 2) / (m * n))


def delong(truth: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """The AUC of ``score`` for the binary ``truth`` and DeLong's standard error of it."""
    truth = np.asarray(truth).astype(bool)
    positive, negative = np.asarray(score)[truth], np.asarray(score)[~truth]
    m, n = len(positive), len(negative)
    if m < 2 or n < 2:
        return float("nan"), float("nan")
    ranks = rankdata(np.r_[positive, negative])  # midranks: ties count one half
    auc = (ranks[:m].sum() - m * (m + 1) / 2) / (m * n)
    v10 = (ranks[:m] - rankdata(positive)) / n  # per positive: the share of negatives it outscores
    v01 = 1 - (ranks[m:] - rankdata(negative)) / m  # per negative: the share of positives above it
    return float(auc), float(np.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n))


def normal_interval(value: float, standard_error: float) -> tuple[float, float]:
    return value - Z95 * standard_error, value + Z95 * standard_error


def centred_interval(figure: float, spread: tuple[float, float]) -> tuple[float, float]:
    """A bootstrap's 95% spread (its percentiles' width) centred on ``figure``, within [0, 1]: for figures
    that resampling only moves one way (a resample adds noise to shares, so the resampled accuracies and
    coverages sit below the figure, and their percentiles would not hold it)."""
    half = (spread[1] - spread[0]) / 2
    return float(max(0.0, figure - half)), float(min(1.0, figure + half))


def paired_bootstrap(
    statistics: Callable[[np.ndarray], dict[str, float | None]], n: int, seed: int, rounds: int = 400
) -> dict[str, tuple[float, float]]:
    """Percentile 95% intervals of each figure ``statistics(rows)`` returns, over ``rounds`` seeded
    resamples of the ``n`` rows (the same resample for every figure, so that ratios stay paired)."""
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name, value in statistics(rng.integers(0, n, n)).items():
            if value is not None and np.isfinite(value):
                draws.setdefault(name, []).append(value)
    return {
        name: (float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5)))
        for name, values in draws.items()
    }
