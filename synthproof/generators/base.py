"""The interface every generator implements."""

from __future__ import annotations

import pickle
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from synthproof.io import atomic_path


@dataclass
class Fit:
    """What a fit returns: figures about it for the metrics, and the per-epoch losses of a generator
    that trains in epochs (``epoch``, ``generator_loss``, ``discriminator_loss``)."""

    report: dict = field(default_factory=dict)
    losses: pd.DataFrame | None = None


class Generator(ABC):
    """A synthesizer: ``fit(df, discrete_columns)``, ``sample(n)``, ``save(path)``, ``load(path)``."""

    name: str = ""
    # the shared generator.* keys it takes (epochs, batch_size, max_training_minutes, device, threads)
    shared_params: tuple[str, ...] = ()
    redraws: bool = True  # it can draw other rows (what sample.reject_copies needs)

    @abstractmethod
    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        """Learn the table ``df``; ``discrete_columns`` name its categorical columns."""

    @abstractmethod
    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        """Draw ``n`` synthetic rows; the same ``seed`` gives the same rows."""

    def rows_to_draw(self, requested: int | None, training_rows: int) -> int:
        """How many rows ``sample.rows`` asks for (null: as many as the training part)."""
        return training_rows if requested is None else requested

    def save(self, path: str | Path) -> None:
        """Pickle the fitted generator to ``path``, atomically."""
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> Generator:
        """Load a generator saved by :meth:`save` (a pickle: load only files you trust)."""
        with open(path, "rb") as handle:
            generator = pickle.load(handle)
        if not isinstance(generator, cls):
            raise TypeError(f"{path} holds a {type(generator).__name__}, not a {cls.__name__}")
        return generator
