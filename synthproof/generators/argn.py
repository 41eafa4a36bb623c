"""MOSTLY AI's TabularARGN, the generator of the MOSTLY AI notebook this project reproduces: an
autoregressive network from ``mostlyai-engine`` (Apache-2.0), an optional extra
(``pip install --no-deps -r requirements-mostly.txt``; ``requirements-mostly.txt`` says why ``--no-deps``).

The engine works in a folder (its workspace): the training rows, their encoding, the model and the
rows it generates are files there. Here the workspace is a temporary folder that lives for one ``fit``
or one ``sample``; only the model part of it (``ModelStore``: weights and column statistics, no rows) is
kept, inside the generator's model file, so that the saved model is one file and holds no training row. The
Hugging Face libraries it trains with are kept offline and their cache inside that folder.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.generators.base import Fit, Generator
from synthproof.generators.ctgan import resolve_device, torch_threads

MODEL_STORE = "ModelStore"  # the workspace's model part: weights, column statistics, configuration
# Offline, and no telemetry: training otherwise pings the Hugging Face hub's download counter.
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


class TabularARGNGenerator(Generator):
    """``mostlyai.engine``'s TabularARGN behind the :class:`Generator` interface.

    Args:
        seed: Seeds the engine (``set_random_state``) before fitting and before sampling.
        epochs: Most training epochs (the engine's ``max_epochs``); it stops earlier when its validation
            loss (on 20% of the rows it is given) stops improving.
        max_training_minutes: The engine's ``max_training_time``; None for no limit. Same params and
            seed give the same rows when early stopping ends training, not the clock.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N`` (as for ctgan).
        threads: torch's intra-op threads while fitting and sampling.
        model: The engine's model size: ``MOSTLY_AI/Small``, ``MOSTLY_AI/Medium`` or ``MOSTLY_AI/Large``.
        value_protection: The engine's protection of rare categories and extreme values.
        batch_size: Rows per training step; None lets the engine choose.
        differential_privacy: DP-SGD settings (``enabled``, ``max_epsilon``, ``delta``, ``noise_multiplier``,
            ``max_grad_norm``, ``value_protection_epsilon``: the engine's ``DifferentialPrivacyConfig``);
            None or ``enabled: False`` trains without. The fit report gives the epsilon the kept weights
            spent (``dp_epsilon``, with the value analysis's share) at ``dp_delta``.
    """

    name = "tabular_argn"
    module = "mostlyai.engine"  # imported on first use: the extra is optional
    shared_params = ("epochs", "max_training_minutes", "device", "threads")

    def __init__(
        self,
        seed: int = 0,
        epochs: int = 100,
        max_training_minutes: float | None = None,
        device: str = "auto",
        threads: int = 1,
        model: str = "MOSTLY_AI/Medium",
        value_protection: bool = True,
        batch_size: int | None = None,
        differential_privacy: dict | None = None,
    ):
        self.seed = seed
        self.epochs = epochs
        self.max_training_minutes = max_training_minutes
        self.device = device
        self.threads = threads
        self.model = model
        self.value_protection = value_protection
        self.batch_size = batch_size
        self.differential_privacy = dict(differential_privacy or {})
        self._model_store: bytes | None = None  # ModelStore as a gzipped tar
        self._columns: list[str] = []

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        device = resolve_device(self.device)
        self._columns = list(df.columns)
        types = {
            name: "TABULAR_CATEGORICAL" if name in discrete_columns else "TABULAR_NUMERIC_AUTO"
            for name in df.columns
        }
        # categories as text, the engine's categorical values (codes come back as text, read below)
        table = df.astype({name: str for name in discrete_columns})
        private = self._dp_config()
        with engine_workspace() as (engine, workspace), torch_threads(self.threads):
            engine.set_random_state(self.seed)
            engine.split(tgt_data=table, tgt_encoding_types=types, workspace_dir=workspace)
            if private is not None:  # analyze takes the engine's own config object, train a dict too
                from mostlyai.engine.domain import DifferentialPrivacyConfig

                private = DifferentialPrivacyConfig(**private)
            engine.analyze(
                value_protection=self.value_protection, differential_privacy=private, workspace_dir=workspace
            )
            engine.encode(workspace_dir=workspace)
            budget = 1e9 if self.max_training_minutes is None else self.max_training_minutes
            engine.train(
                model=self.model,
                max_training_time=budget,
                max_epochs=self.epochs,
                batch_size=self.batch_size,
                device=device,
                differential_privacy=private,
                workspace_dir=workspace,
            )
            progress = pd.read_csv(workspace / MODEL_STORE / "model-data" / "progress-messages.csv")
            self._model_store = _pack(workspace / MODEL_STORE)
        epochs = progress.dropna(subset=["val_loss"])
        seconds = float(progress["total_time"].max())
        report = {
            "device": device,
            "train_threads": self.threads,
            "epochs_run": round(float(epochs["epoch"].max()), 2) if len(epochs) else 0,
            "epochs_max": self.epochs,
            # the engine stops at its clock, an epoch's validation or early stopping: say which ended it
            "stopped_by_time_budget": self.max_training_minutes is not None
            and seconds >= 0.98 * self.max_training_minutes * 60,
            "validation_loss": float(epochs["val_loss"].iloc[-1]) if len(epochs) else None,
            "model_store_mb": round(len(self._model_store) / 2**20, 2),
            **_guarantee(progress, private is not None),
        }
        losses = pd.DataFrame(
            {
                "epoch": epochs["epoch"].to_numpy(),
                "generator_loss": epochs["trn_loss"].to_numpy(dtype=float),  # the training loss
                "discriminator_loss": float("nan"),  # no discriminator: the validation loss is reported
            }
        )
        return Fit(report, losses)

    def _dp_config(self) -> dict | None:
        """The engine's ``DifferentialPrivacyConfig`` keys, or None when training without DP."""
        settings = {key: value for key, value in self.differential_privacy.items() if key != "enabled"}
        return settings if self.differential_privacy.get("enabled") else None

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._model_store is None:
            raise RuntimeError("fit the generator before sampling")
        with engine_workspace() as (engine, workspace), torch_threads(self.threads):
            _unpack(self._model_store, workspace / MODEL_STORE)
            engine.set_random_state(self.seed if seed is None else seed)
            # a rare category comes back as one of the others, never as a placeholder token
            engine.generate(
                sample_size=n,
                device="cpu",
                rare_category_replacement_method="SAMPLE",  # the engine compares with its enum's value
                workspace_dir=workspace,
            )
            parts = sorted((workspace / "SyntheticData").glob("*.parquet"))
            rows = pd.concat([pd.read_parquet(part) for part in parts], ignore_index=True)
        # codes back as integers, numbers as floats (the engine hands back nullable dtypes)
        return pd.DataFrame(
            {name: pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float) for name in self._columns}
        )


def _guarantee(progress: pd.DataFrame, private: bool) -> dict:
    """The differential-privacy guarantee of the weights the engine kept: the epsilon its accountant had
    spent (training plus value analysis) at the last checkpoint, and delta. The engine keeps the best
    checkpoint under ``max_epsilon``, or the first epoch's when even that spent more: the figure is
    what was spent, whatever the cap."""
    if not private:
        return {"differential_privacy": False}
    kept = progress[(progress["is_checkpoint"] == 1) & progress["dp_eps"].notna()]
    if kept.empty:
        raise SynthproofError("tabular_argn trained with differential privacy but recorded no epsilon")
    return {
        "differential_privacy": True,
        "dp_epsilon": round(float(kept["dp_eps"].iloc[-1]), 4),
        "dp_delta": float(kept["dp_delta"].iloc[-1]),
    }


@contextlib.contextmanager
def engine_workspace() -> Iterator[tuple[object, Path]]:
    """``mostlyai.engine`` (offline, its Hugging Face cache in a temporary folder) and a fresh workspace
    folder, both removed on exit."""
    with tempfile.TemporaryDirectory(prefix="synthproof-argn-") as folder:
        # Read when the Hugging Face libraries are first imported: one cache folder for the process.
        os.environ.update({**OFFLINE, "HF_HOME": _hf_home()})
        try:
            import mostlyai.engine as engine
        except ImportError as error:
            raise SynthproofError(
                f"generator.name tabular_argn needs mostlyai-engine ({error}): "
                "pip install --no-deps -r requirements-mostly.txt"
            ) from None
        yield engine, Path(folder) / "workspace"


@functools.cache
def _hf_home() -> str:
    """A temporary folder for the Hugging Face cache (the engine's datasets), removed at exit."""
    folder = tempfile.mkdtemp(prefix="synthproof-hf-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _pack(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=".")
    return buffer.getvalue()


def _unpack(data: bytes, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(folder, filter="data")
