"""Density smoothing as synthpop does it: the Sheather-Jones bandwidth, spikes and caps kept, the
observed range and decimals."""

import numpy as np
import pytest
from scipy.optimize import brentq

from synthproof.generators.smoothing import Smoothing, decimals_of, sheather_jones


def exact_sheather_jones(x: np.ndarray) -> float:
    """The same equation on every pair's exact distance (no bins): R's bw.SJ(x, nb = huge)."""
    n, d = len(x), (x[:, None] - x[None, :]).ravel()

    def phi(h, order):
        u = (d / h) ** 2
        term = u * u - 6 * u + 3 if order == 4 else u**3 - 15 * u * u + 45 * u - 15
        return np.sum(np.exp(-u / 2) * term) / (n * (n - 1) * h ** (order + 1) * np.sqrt(2 * np.pi))

    iqr = np.subtract(*np.percentile(x, [75, 25])) / 1.349
    scale = min(x.std(ddof=1), iqr)
    a, b = 1.24 * scale * n ** (-1 / 7), 1.23 * scale * n ** (-1 / 9)
    alpha2 = 1.357 * (phi(a, 4) / -phi(b, 6)) ** (1 / 7)
    c1 = 1 / (2 * np.sqrt(np.pi) * n)
    return brentq(lambda h: (c1 / phi(alpha2 * h ** (5 / 7), 4)) ** 0.2 - h, 1e-3, 10)


@pytest.mark.parametrize("shape", ["normal", "bimodal", "skewed"])
def test_the_binned_bandwidth_is_the_exact_one(shape):
    rng = np.random.default_rng(0)
    x = {
        "normal": rng.normal(0, 1, 600),
        "bimodal": np.concatenate([rng.normal(-2, 0.5, 300), rng.normal(2, 0.5, 300)]),
        "skewed": rng.lognormal(0, 1, 600),
    }[shape]
    assert sheather_jones(x) == pytest.approx(exact_sheather_jones(x), rel=0.01)


def test_the_bandwidth_follows_the_normal_reference_on_normal_data_and_is_narrower_on_two_modes():
    rng = np.random.default_rng(1)
    for n in (1000, 40_000):
        assert sheather_jones(rng.normal(0, 1, n)) == pytest.approx(1.06 * n**-0.2, rel=0.08)
    two = np.concatenate([rng.normal(-2, 0.5, 5000), rng.normal(2, 0.5, 5000)])
    assert sheather_jones(two) < 0.5 * 1.06 * two.std() * len(two) ** -0.2
    assert sheather_jones(np.ones(10)) == 0.0 and sheather_jones(np.array([3.0])) == 0.0


def test_decimals_are_the_fewest_that_write_every_value():
    assert decimals_of(np.array([1.0, 20.0, 300.0])) == 0
    assert decimals_of(np.array([1.5, 2.25, np.nan])) == 2
    assert decimals_of(np.array([0.1, 0.7])) == 1


def test_smoothing_moves_values_inside_the_range_and_keeps_a_cap_and_missing_values():
    rng = np.random.default_rng(2)
    values = np.concatenate([rng.integers(20, 90, 900).astype(float), np.full(200, 99.0), [np.nan] * 20])
    smoothing = Smoothing.observed(values, 20)
    smoothed = smoothing.apply(values, np.random.default_rng(0))
    assert np.isnan(smoothed[-20:]).all()
    assert (smoothed[900:1100] == 99).all()  # top-coded at 99: 200 rows, over ten times the next value's 13
    moved = smoothed[:900]
    assert (moved != values[:900]).mean() > 0.5 and moved.min() >= 20 and moved.max() <= 99
    assert (moved == np.round(moved)).all()
    assert Smoothing.observed(np.array([1.0, 2.0, 3.0] * 50), 20) is None  # a code: drawn as it is
