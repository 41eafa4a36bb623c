"""The ``ctgan`` package's two synthesizers, CTGAN and TVAE, with a training-time budget and losses."""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Iterator

import pandas as pd
import tqdm

from synthproof.errors import SynthproofError
from synthproof.generators.base import Fit, Generator
from synthproof.progress import tqdm_options

# What a fitted ctgan synthesizer holds (its model file names these classes and no other): the data
# transformer (rdt's encoders, scikit-learn's mixtures), the conditional sampler and the torch layers.
_FITTED_STATE = (
    "ctgan.data_transformer:DataTransformer",
    "ctgan.data_transformer:ColumnTransformInfo",
    "ctgan.data_transformer:SpanInfo",
    "ctgan.data_sampler:DataSampler",
    "rdt.transformers.categorical:OneHotEncoder",
    "rdt.transformers.null:NullTransformer",
    "rdt.transformers.numerical:ClusterBasedNormalizer",
    "sklearn.mixture._bayesian_mixture:BayesianGaussianMixture",
    "torch.nn.modules.activation:ReLU",
    "torch.nn.modules.batchnorm:BatchNorm1d",
    "torch.nn.modules.container:Sequential",
    "torch.nn.modules.linear:Linear",
)


class _EpochTrained(Generator):
    """A ``ctgan``-package synthesizer behind the :class:`Generator` interface.

    Args:
        epochs: Most training epochs to run.
        batch_size: Rows per training step.
        max_training_minutes: Stop cleanly after the last full epoch that fits in this budget
            (counted from the start of ``fit``, the data transformer included); None for no limit.
        seed: Seeds numpy and torch inside ``fit`` and ``sample``.
        device: ``auto`` (a GPU when torch sees one, else the CPU), ``cpu``, ``cuda`` or ``cuda:N``.
            Training on a GPU is not bit-reproducible; the CPU is the reference. The fitted model
            is moved to the CPU, so it samples and loads anywhere.
        threads: torch's intra-op threads in ``fit`` and ``sample`` (set, then restored): the losses' last
            bits depend on the count, so it is a param, never the machine's core count.
        verbose: Show a progress bar with the losses while training.
        **model_params: The synthesizer's own hyper-parameters, passed to its constructor.
    """

    shared_params = ("epochs", "batch_size", "max_training_minutes", "device", "threads")

    def __init__(
        self,
        epochs: int = 300,
        batch_size: int = 500,
        max_training_minutes: float | None = None,
        seed: int = 0,
        device: str = "auto",
        threads: int = 2,
        verbose: bool = True,
        **model_params,
    ):
        self.epochs = epochs
        self.batch_size = batch_size
        self.max_training_minutes = max_training_minutes
        self.seed = seed
        self.device = device
        self.threads = threads
        self.verbose = verbose
        self.model_params = model_params
        self._model = None

    module = ""  # the ctgan module that holds the synthesizer (its epoch loop's tqdm is swapped there)
    model_class = ""

    @staticmethod
    def _losses(losses: pd.DataFrame) -> pd.DataFrame:
        """The synthesizer's loss log as epoch, generator_loss, discriminator_loss."""
        raise NotImplementedError

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        device = resolve_device(self.device)
        module = importlib.import_module(self.module)
        model = getattr(module, self.model_class)(
            epochs=self.epochs,
            batch_size=self.batch_size,
            verbose=self.verbose,
            enable_gpu=device != "cpu",
            **{key: tuple(v) if isinstance(v, list) else v for key, v in self.model_params.items()},
        )
        if device.startswith("cuda:"):  # ctgan's constructors know only "the" GPU: make it this one
            import torch

            torch.cuda.set_device(int(device.partition(":")[2]))
        model.set_random_state(self.seed)
        budget = None if self.max_training_minutes is None else self.max_training_minutes * 60
        clock = _EpochClock(budget)
        with _epoch_loop_watched_by(clock, module), torch_threads(self.threads), _transform_in_process():
            model.fit(df, discrete_columns=list(discrete_columns))
        if device != "cpu":
            model.set_device("cpu")  # sample and load on any machine
        self._model = model
        report = {
            "device": device,
            "train_threads": self.threads,
            "epochs_run": len(clock.epoch_ends),
            "epochs_max": self.epochs,
            "stopped_by_time_budget": clock.stopped,
            "transformer_fit_seconds": round(clock.loop_start - clock.start, 3),
            "seconds_per_epoch": round(clock.mean_epoch_seconds(), 4),
        }
        return Fit(report, self._losses(model.loss_values.reset_index(drop=True)))

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        if self._model is None:
            raise RuntimeError("fit the generator before sampling")
        if seed is not None:
            self._model.set_random_state(seed)
        with torch_threads(self.threads):
            return self._model.sample(n)


@contextlib.contextmanager
def _transform_in_process() -> Iterator[None]:
    """Encode the training rows column by column in this process, not in joblib's worker processes.

    ``ctgan``'s ``DataTransformer.transform`` spreads the columns over new processes (``n_jobs=-1``) for
    500 rows or more; on census the workers' start-up alone took 3.8 of its 4.0 s, and they use every core
    whatever ``generator.threads`` says. The columns' encoding is the same either way
    (``bench/ctgan_epoch.py``: the same losses, bit for bit).
    """
    from ctgan.data_transformer import DataTransformer

    parallel = DataTransformer._parallel_transform
    DataTransformer._parallel_transform = DataTransformer._synchronous_transform
    try:
        yield
    finally:
        DataTransformer._parallel_transform = parallel


@contextlib.contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """torch's intra-op thread count set to ``threads`` inside the block."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def resolve_device(device: str) -> str:
    """The torch device that ``generator.device`` names on this machine; a GPU asked for and not
    there is an error, never a silent CPU run."""
    import torch

    if device == "cpu":
        return "cpu"
    available = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if device == "auto":
        return "cuda" if available else "cpu"
    index = int(device.partition(":")[2] or 0)
    if index >= available:
        seen = f"torch sees {available} GPU(s)" if available else "torch sees no GPU on this machine"
        raise SynthproofError(
            f"generator.device is {device!r} but {seen} (torch {torch.__version__}, "
            f"CUDA build: {torch.version.cuda or 'none'}): use auto or cpu, or a CUDA build of torch"
        )
    return device


class CTGANGenerator(_EpochTrained):
    """``ctgan.CTGAN``: a conditional GAN. Its own params: ``embedding_dim``, ``generator_dim``,
    ``discriminator_dim``, ``generator_lr``, ``generator_decay``, ``discriminator_lr``,
    ``discriminator_decay``, ``discriminator_steps``, ``pac``, ``log_frequency``."""

    name = "ctgan"
    module = "ctgan.synthesizers.ctgan"
    model_class = "CTGAN"
    state_types = (*_FITTED_STATE, f"{module}:CTGAN", f"{module}:Generator", f"{module}:Residual")

    @staticmethod
    def _losses(losses: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "epoch": losses["Epoch"].astype(int) + 1,
                "generator_loss": losses["Generator Loss"].astype(float),
                "discriminator_loss": losses["Discriminator Loss"].astype(float),
            }
        )


class TVAEGenerator(_EpochTrained):
    """``ctgan.TVAE``: a variational autoencoder. Its own params: ``embedding_dim``, ``compress_dims``,
    ``decompress_dims``, ``l2scale``, ``loss_factor``."""

    name = "tvae"
    module = "ctgan.synthesizers.tvae"
    model_class = "TVAE"
    state_types = (*_FITTED_STATE, f"{module}:TVAE", f"{module}:Decoder")

    @staticmethod
    def _losses(losses: pd.DataFrame) -> pd.DataFrame:
        # TVAE logs a loss per batch; its decoder is the generator, and it has no discriminator.
        per_epoch = losses.astype({"Epoch": int, "Loss": float}).groupby("Epoch")["Loss"].mean()
        return pd.DataFrame(
            {
                "epoch": per_epoch.index.to_numpy() + 1,
                "generator_loss": per_epoch.to_numpy(),
                "discriminator_loss": float("nan"),
            }
        )


class _EpochClock:
    """Times an epoch loop and says whether the next epoch still fits in the budget."""

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
def _epoch_loop_watched_by(clock: _EpochClock, module) -> Iterator[None]:
    """Swap the ``tqdm`` that ``module``'s ``fit`` wraps its epoch loop in for one that keeps time.

    The ``ctgan`` synthesizers have no callback or time limit: their only hook into the epoch loop is
    that progress bar.
    """

    class EpochBar(tqdm.tqdm):
        def __init__(self, *args, disable=False, **kwargs):
            options = tqdm_options()  # a line every few seconds in a log, nothing when silenced
            options["disable"] = disable or options.get("disable", False)
            super().__init__(*args, **{**kwargs, **options})

        def __iter__(self):
            clock.loop_start = time.perf_counter()
            for epoch in super().__iter__():
                if not clock.next_epoch_fits():
                    clock.stopped = True
                    self.write(f"time budget reached; stopping after {len(clock.epoch_ends)} epochs")
                    break
                yield epoch
                clock.epoch_ends.append(time.perf_counter() - clock.loop_start)

    original = module.tqdm
    module.tqdm = EpochBar
    try:
        yield
    finally:
        module.tqdm = original
