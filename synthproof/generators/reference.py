"""The two reference generators that calibrate every score: ``independent`` and ``resample``.

``independent`` draws each column alone from its real marginal: the right shapes and no relationship
between columns, the floor any real generator must beat. ``resample`` draws whole training rows: perfect
fidelity and no privacy at all, the case the privacy figures must flag.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthproof.generators.base import Fit, Generator


class _Drawing(Generator):
    """A generator that keeps the training rows and draws from them; ``seed`` is the default seed."""

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._rows: pd.DataFrame | None = None

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        self._rows = df.reset_index(drop=True).copy()
        return Fit()

    def _rng(self, seed: int | None) -> np.random.Generator:
        if self._rows is None:
            raise RuntimeError("fit the generator before sampling")
        return np.random.default_rng(self.seed if seed is None else seed)


class IndependentGenerator(_Drawing):
    """Each column drawn with replacement from its own training values, independently of the others."""

    name = "independent"

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        rng = self._rng(seed)
        rows = len(self._rows)
        return pd.DataFrame(
            {name: values.to_numpy()[rng.integers(0, rows, n)] for name, values in self._rows.items()}
        )


class ResampleGenerator(_Drawing):
    """Whole training rows drawn with replacement: every synthetic row is a real training row."""

    name = "resample"

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        rng = self._rng(seed)
        return self._rows.iloc[rng.integers(0, len(self._rows), n)].reset_index(drop=True)
