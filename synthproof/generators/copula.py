"""A Gaussian copula over the columns' empirical marginals, categoricals included (numpy and scipy).

Each column is mapped to normal scores through its empirical CDF: numbers by their mid-ranks, categories
(ordered by frequency) by a uniform draw inside their slice of the CDF. The correlation of those scores
is the whole model of how columns relate. Sampling draws correlated normals and maps each back through
the inverse CDF: numbers by interpolating the real quantiles, categories by their CDF slice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from synthproof.generators.base import Fit, Generator

_EPS = 1e-6


class GaussianCopulaGenerator(Generator):
    """A Gaussian copula on empirical marginals.

    Args:
        quantiles: Numeric marginals are kept as this many quantiles (linear in between), so the
            model stores a summary of each column rather than its every value.
        seed: Seeds the uniform draws inside category slices while fitting, and sampling by default.
    """

    name = "gaussian_copula"

    def __init__(self, quantiles: int = 1000, seed: int = 0):
        self.quantiles = quantiles
        self.seed = seed
        self._columns: list[str] = []
        self._marginals: list[dict] = []
        self._correlation: np.ndarray | None = None

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        rng = np.random.default_rng(self.seed)
        n = len(df)
        self._columns, self._marginals = list(df.columns), []
        scores = np.empty((n, df.shape[1]))
        for j, (name, series) in enumerate(df.items()):
            values = series.to_numpy()
            if name in discrete_columns:
                categories, counts = np.unique(values, return_counts=True)
                order = np.argsort(-counts, kind="stable")
                categories, counts = categories[order], counts[order]
                upper = np.cumsum(counts) / n
                lower = upper - counts / n
                slot = {value: i for i, value in enumerate(categories)}
                index = np.array([slot[v] for v in values])
                uniform = lower[index] + rng.random(n) * (counts[index] / n)
                self._marginals.append({"categories": categories, "upper": upper})
            else:
                numbers = values.astype(float)
                uniform = (pd.Series(numbers).rank(method="average").to_numpy() - 0.5) / n
                grid = np.linspace(0.0, 1.0, min(self.quantiles, n))
                self._marginals.append({"grid": grid, "values": np.quantile(numbers, grid)})
            scores[:, j] = ndtri(np.clip(uniform, _EPS, 1 - _EPS))
        self._correlation = _nearest_correlation(np.atleast_2d(np.corrcoef(scores, rowvar=False)))
        return Fit()

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._correlation is None:
            raise RuntimeError("fit the generator before sampling")
        rng = np.random.default_rng(self.seed if seed is None else seed)
        normals = rng.multivariate_normal(np.zeros(len(self._columns)), self._correlation, size=n)
        uniform = ndtr(normals)
        columns = {}
        for j, (name, marginal) in enumerate(zip(self._columns, self._marginals, strict=True)):
            if "categories" in marginal:
                slot = np.searchsorted(marginal["upper"], uniform[:, j], side="right")
                columns[name] = marginal["categories"][np.minimum(slot, len(marginal["categories"]) - 1)]
            else:
                columns[name] = np.interp(uniform[:, j], marginal["grid"], marginal["values"])
        return pd.DataFrame(columns)


def _nearest_correlation(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` with NaN (constant scores) as 0 and negative eigenvalues lifted, unit diagonal."""
    matrix = np.nan_to_num(matrix, nan=0.0)
    np.fill_diagonal(matrix, 1.0)
    eigenvalues, vectors = np.linalg.eigh(matrix)
    lifted = vectors @ np.diag(np.maximum(eigenvalues, 1e-8)) @ vectors.T
    scale = np.sqrt(np.diag(lifted))
    return lifted / np.outer(scale, scale)
