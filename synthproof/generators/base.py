"""The interface every generator implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.generators import model_file


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
    # the classes (``module:qualname``) its fitted state holds besides generators: what a model file
    # may name and be read back into (see model_file)
    state_types: tuple[str, ...] = ()

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
        """Write the fitted generator to ``path`` (a model file: data, never code), atomically."""
        model_file.write(self, path, trusted_types())

    @classmethod
    def load(cls, path: str | Path) -> Generator:
        """Read a generator written by :meth:`save`; a file that names any class a generator does not
        declare, or is not a model file at all (a pickle), is refused with a one-line error."""
        generator = model_file.read(path, trusted_types())
        if not isinstance(generator, cls):
            raise SynthproofError(f"{path} holds a {type(generator).__name__}, not a {cls.__name__}")
        return generator


def trusted_types() -> frozenset[str]:
    """Every generator class defined so far, and the classes their ``state_types`` name."""
    classes, pending = set(), [Generator]
    while pending:
        cls = pending.pop()
        classes.add(cls)
        pending.extend(set(cls.__subclasses__()) - classes)
    return frozenset(model_file.class_name(c) for c in classes) | {n for c in classes for n in c.state_types}
