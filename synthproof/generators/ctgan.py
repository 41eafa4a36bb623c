"""CTGAN from the ``ctgan`` package, with a training-time budget and per-epoch losses."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pandas as pd
import tqdm

from synthproof.generators.base import Generator


class CTGANGenerator(Generator):
    """``ctgan.CTGAN`` behind the :class:`Generator` interface.

    Args:
        epochs: Most training epochs to run.
        batch_size: Rows per training step (even, and a multiple of ``pac``).
        max_training_minutes: Stop cleanly after the last full epoch that fits in this budget
            (counted from the start of ``fit``, the data transformer included); None for no limit.
        seed: Seeds numpy and torch inside ``fit`` and ``sample``.
        verbose: Show a progress bar with the losses while training.
        **ctgan_params: ``embedding_dim``, ``generator_dim``, ``discriminator_dim``,
            ``generator_lr``, ``generator_decay``, ``discriminator_lr``, ``discriminator_decay``,
            ``discriminator_steps``, ``pac``, ``log_frequency``, passed to ``ctgan.CTGAN``.
    """

    name = "ctgan"

    def __init__(
        self,
        epochs: int = 300,
        batch_size: int = 500,
        max_training_minutes: float | None = None,
        seed: int = 0,
        verbose: bool = True,
        **ctgan_params,
    ):
        self.epochs = epochs
        self.batch_size = batch_size
        self.max_training_minutes = max_training_minutes
        self.seed = seed
        self.verbose = verbose
        self.ctgan_params = ctgan_params
        self._model = None
        self._clock: _EpochClock | None = None
        self.loss_values: pd.DataFrame | None = None

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> None:
        from ctgan import CTGAN

        model = CTGAN(
            epochs=self.epochs,
            batch_size=self.batch_size,
            verbose=self.verbose,
            enable_gpu=False,  # CPU is the reference: GPU runs are not reproducible
            **{key: _as_ctgan_value(value) for key, value in self.ctgan_params.items()},
        )
        model.set_random_state(self.seed)
        budget = None if self.max_training_minutes is None else self.max_training_minutes * 60
        clock = _EpochClock(budget)
        with _epoch_loop_watched_by(clock):
            model.fit(df, discrete_columns=list(discrete_columns))
        self._model, self._clock = model, clock
        losses = model.loss_values.reset_index(drop=True)
        self.loss_values = pd.DataFrame(
            {
                "epoch": losses["Epoch"].astype(int) + 1,
                "generator_loss": losses["Generator Loss"].astype(float),
                "discriminator_loss": losses["Discriminator Loss"].astype(float),
            }
        )

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._model is None:
            raise RuntimeError("fit the generator before sampling")
        if seed is not None:
            self._model.set_random_state(seed)
        return self._model.sample(n)

    def fit_report(self) -> dict:
        clock = self._clock
        if clock is None:
            return {}
        return {
            "epochs_run": len(clock.epoch_ends),
            "epochs_max": self.epochs,
            "stopped_by_time_budget": clock.stopped,
            "transformer_fit_seconds": round(clock.loop_start - clock.start, 3),
            "seconds_per_epoch": round(clock.mean_epoch_seconds(), 4),
        }


def _as_ctgan_value(value):
    return tuple(value) if isinstance(value, list) else value


class _EpochClock:
    """Times ctgan's epoch loop and says whether the next epoch still fits in the budget."""

    def __init__(self, budget_seconds: float | None):
        self.budget = budget_seconds
        self.start = time.perf_counter()
        self.loop_start = self.start
        self.epoch_ends: list[float] = []  # seconds since loop start
        self.stopped = False

    def mean_epoch_seconds(self) -> float:
        return self.epoch_ends[-1] / len(self.epoch_ends) if self.epoch_ends else 0.0

    def next_epoch_fits(self) -> bool:
        if self.budget is None or not self.epoch_ends:
            return True  # always run one epoch
        elapsed = time.perf_counter() - self.start
        last = self.epoch_ends[-1] - (self.epoch_ends[-2] if len(self.epoch_ends) > 1 else 0.0)
        return elapsed + last <= self.budget


@contextlib.contextmanager
def _epoch_loop_watched_by(clock: _EpochClock) -> Iterator[None]:
    """Swap the ``tqdm`` that ctgan's ``fit`` wraps its epoch loop in for one that keeps time.

    ctgan has no callback or time limit: its only hook into the epoch loop is that progress bar.
    """
    import ctgan.synthesizers.ctgan as ctgan_module

    class EpochBar(tqdm.tqdm):
        def __iter__(self):
            clock.loop_start = time.perf_counter()
            for epoch in super().__iter__():
                if not clock.next_epoch_fits():
                    clock.stopped = True
                    self.write(f"ctgan: time budget reached; stopping after {len(clock.epoch_ends)} epochs")
                    break
                yield epoch
                clock.epoch_ends.append(time.perf_counter() - clock.loop_start)

    original = ctgan_module.tqdm
    ctgan_module.tqdm = EpochBar
    try:
        yield
    finally:
        ctgan_module.tqdm = original
