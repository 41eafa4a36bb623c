"""The generator section of ``params.yaml``: one sub-section per generator (their names are the sections of
``GeneratorParams``, the one home of generator names), and the settings all of them share."""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass, field
from typing import Literal

from synthproof.config.checks import check, check_row_budget, check_sha256


@dataclass(frozen=True)
class CTGANParams:
    """``ctgan.CTGAN``'s own hyper-parameters (epochs and batch size sit in ``generator``)."""

    embedding_dim: int = 128
    generator_dim: list[int] = field(default_factory=lambda: [256, 256])
    discriminator_dim: list[int] = field(default_factory=lambda: [256, 256])
    generator_lr: float = 2e-4
    generator_decay: float = 1e-6
    discriminator_lr: float = 2e-4
    discriminator_decay: float = 1e-6
    discriminator_steps: int = 1
    pac: int = 10
    log_frequency: bool = True

    def __post_init__(self):
        check(self.embedding_dim >= 1, "generator.ctgan.embedding_dim must be >= 1")
        for key in ("generator_dim", "discriminator_dim"):
            check(
                len(getattr(self, key)) >= 1 and min(getattr(self, key)) >= 1,
                f"generator.ctgan.{key} must be a non-empty list of positive layer sizes",
            )
        for key in ("generator_lr", "discriminator_lr"):
            check(getattr(self, key) > 0, f"generator.ctgan.{key} must be > 0")
        for key in ("generator_decay", "discriminator_decay"):
            check(getattr(self, key) >= 0, f"generator.ctgan.{key} must be >= 0")
        check(self.discriminator_steps >= 1, "generator.ctgan.discriminator_steps must be >= 1")
        check(self.pac >= 1, "generator.ctgan.pac must be >= 1")


@dataclass(frozen=True)
class TVAEParams:
    """``ctgan.TVAE``'s own hyper-parameters (epochs and batch size sit in ``generator``)."""

    embedding_dim: int = 128
    compress_dims: list[int] = field(default_factory=lambda: [128, 128])
    decompress_dims: list[int] = field(default_factory=lambda: [128, 128])
    l2scale: float = 1e-5
    loss_factor: float = 2.0

    def __post_init__(self):
        check(self.embedding_dim >= 1, "generator.tvae.embedding_dim must be >= 1")
        for key in ("compress_dims", "decompress_dims"):
            check(
                len(getattr(self, key)) >= 1 and min(getattr(self, key)) >= 1,
                f"generator.tvae.{key} must be a non-empty list of positive layer sizes",
            )
        check(self.l2scale >= 0, "generator.tvae.l2scale must be >= 0")
        check(self.loss_factor > 0, "generator.tvae.loss_factor must be > 0")


@dataclass(frozen=True)
class GaussianCopulaParams:
    quantiles: int = 1000

    def __post_init__(self):
        check(self.quantiles >= 2, "generator.gaussian_copula.quantiles must be >= 2")


CART_SMOOTHINGS = ("density", "none")  # generator.cart.smoothing's choices (the cart generator's too)


@dataclass(frozen=True)
class CARTParams:
    min_samples_leaf: int = 20
    max_depth: int | None = None
    smoothing: str = "density"
    smoothing_min_values: int = 20
    column_order: list[str] | None = None

    def __post_init__(self):
        check(self.min_samples_leaf >= 1, "generator.cart.min_samples_leaf must be >= 1")
        check(
            self.smoothing in CART_SMOOTHINGS,
            f"generator.cart.smoothing is {self.smoothing!r}: choose one of {', '.join(CART_SMOOTHINGS)}",
        )
        check(self.smoothing_min_values >= 2, "generator.cart.smoothing_min_values must be >= 2")
        if self.max_depth is not None:
            check(self.max_depth >= 1, "generator.cart.max_depth must be >= 1 or null")


@dataclass(frozen=True)
class ARFParams:
    """Adversarial random forests (threads sit in ``generator``)."""

    num_trees: int = 30
    min_node_size: int = 5
    delta: float = 0.0
    max_iters: int = 10
    early_stop: bool = True

    def __post_init__(self):
        check(self.num_trees >= 1, "generator.arf.num_trees must be >= 1")
        check(self.min_node_size >= 1, "generator.arf.min_node_size must be >= 1")
        check(0 <= self.delta < 0.5, "generator.arf.delta must be in [0, 0.5)")
        check(self.max_iters >= 0, "generator.arf.max_iters must be >= 0")


ARGN_MODELS = ("MOSTLY_AI/Small", "MOSTLY_AI/Medium", "MOSTLY_AI/Large")


@dataclass(frozen=True)
class DifferentialPrivacyParams:
    """DP-SGD for TabularARGN: ``mostlyai.engine``'s ``DifferentialPrivacyConfig`` (opacus underneath)."""

    enabled: bool = False
    max_epsilon: float | None = 10.0
    delta: float = 1e-5
    noise_multiplier: float = 1.5
    max_grad_norm: float = 1.0
    value_protection_epsilon: float = 1.0

    def __post_init__(self):
        where = "generator.tabular_argn.differential_privacy"
        if self.max_epsilon is not None:
            check(self.max_epsilon > 0, f"{where}.max_epsilon must be > 0 or null")
        check(0 < self.delta < 1, f"{where}.delta must be in (0, 1)")
        check(self.noise_multiplier > 0, f"{where}.noise_multiplier must be > 0")
        check(self.max_grad_norm > 0, f"{where}.max_grad_norm must be > 0")
        check(self.value_protection_epsilon > 0, f"{where}.value_protection_epsilon must be > 0")
        check(
            self.max_epsilon is None or self.value_protection_epsilon < self.max_epsilon,
            f"{where}.value_protection_epsilon ({self.value_protection_epsilon}) must be below max_epsilon "
            f"({self.max_epsilon}): it is spent first, and training gets what is left",
        )


@dataclass(frozen=True)
class TabularARGNParams:
    """``mostlyai.engine``'s TabularARGN (epochs, time budget, device and threads sit in ``generator``)."""

    model: str = "MOSTLY_AI/Medium"
    value_protection: bool = True
    batch_size: int | None = None
    differential_privacy: DifferentialPrivacyParams = field(default_factory=DifferentialPrivacyParams)

    def __post_init__(self):
        check(self.model in ARGN_MODELS, f"generator.tabular_argn.model must be one of {list(ARGN_MODELS)}")
        if self.batch_size is not None:
            check(self.batch_size >= 1, "generator.tabular_argn.batch_size must be >= 1 or null")
        # without value protection the engine reads categories and ranges from the rows without noise,
        # outside the guarantee
        check(
            self.value_protection or not self.differential_privacy.enabled,
            "generator.tabular_argn.differential_privacy.enabled needs generator.tabular_argn."
            "value_protection: true (without it the engine reads categories and value ranges without noise, "
            "outside the guarantee)",
        )


@dataclass(frozen=True)
class NoParams:
    """A generator without params of its own (``{}`` in ``params.yaml``)."""


@dataclass(frozen=True)
class ProvidedParams:
    """A synthetic table made elsewhere (a vendor's, another library's), read like ``ingest.source``; it
    takes the place of training and sampling."""

    source: str | None = None
    sha256: str | None = None
    format: Literal["auto", "csv", "parquet", "excel"] = "auto"
    na_values: list[str] = field(default_factory=list)
    extra_columns: Literal["error", "drop"] = "error"
    trained_on: str | None = None  # split's train_fingerprint: the rows its maker was given

    def __post_init__(self):
        check(self.source != "", "generator.provided.source must be a path, a URL or null")
        check_sha256(self.sha256, "generator.provided.sha256")


@dataclass(frozen=True)
class GeneratorParams:
    """The shared generator keys, then one section per generator: the sections' names are the
    generator names (``GENERATOR_NAMES``; ``synthproof.generators.GENERATORS`` registers a class for each)."""

    name: str = "ctgan"
    epochs: int = 100
    batch_size: int = 500
    max_rows: int | None = 50_000
    max_training_minutes: float | None = 9.0
    device: str = "auto"
    threads: int = 2
    binary_encoding_cutoff: int = 500
    spike_min_share: float | None = 0.3
    derive_linked_columns: bool = True
    ctgan: CTGANParams = field(default_factory=CTGANParams)
    tvae: TVAEParams = field(default_factory=TVAEParams)
    gaussian_copula: GaussianCopulaParams = field(default_factory=GaussianCopulaParams)
    cart: CARTParams = field(default_factory=CARTParams)
    arf: ARFParams = field(default_factory=ARFParams)
    tabular_argn: TabularARGNParams = field(default_factory=TabularARGNParams)
    independent: NoParams = field(default_factory=NoParams)
    resample: NoParams = field(default_factory=NoParams)
    provided: ProvidedParams = field(default_factory=ProvidedParams)

    def __post_init__(self):
        check(
            self.name in GENERATOR_NAMES,
            f"generator.name must be one of {GENERATOR_NAMES}, got {self.name!r}",
        )
        check(
            self.name != PROVIDED or self.provided.source is not None,
            "generator.name is provided but generator.provided.source is null: set it to the synthetic "
            "table's path or URL",
        )
        check(self.epochs >= 1, "generator.epochs must be >= 1")
        check(
            self.batch_size >= 2 and self.batch_size % 2 == 0,
            "generator.batch_size must be an even number >= 2",
        )
        check(
            self.name != "ctgan" or self.batch_size % self.ctgan.pac == 0,
            f"generator.batch_size ({self.batch_size}) must be a multiple of generator.ctgan.pac "
            f"({self.ctgan.pac})",
        )
        check_row_budget(self.max_rows, "generator.max_rows")
        if self.max_training_minutes is not None:
            check(self.max_training_minutes > 0, "generator.max_training_minutes must be > 0 or null")
        check(
            re.fullmatch(r"auto|cpu|cuda(:\d+)?", self.device) is not None,
            f"generator.device must be auto, cpu, cuda or cuda:N, got {self.device!r}",
        )
        check(self.threads >= 1, "generator.threads must be >= 1")
        check(self.binary_encoding_cutoff >= 2, "generator.binary_encoding_cutoff must be >= 2")
        if self.spike_min_share is not None:
            check(0 < self.spike_min_share <= 1, "generator.spike_min_share must be in (0, 1] or null")


# The generator names, one home: GeneratorParams' own sections, in params.yaml order.
GENERATOR_NAMES = [
    name for name, hint in typing.get_type_hints(GeneratorParams).items() if dataclasses.is_dataclass(hint)
]


# The one that learns nothing: it reads a synthetic table made elsewhere (generator.provided.source).
PROVIDED = "provided"


# Those that learn the training part and draw rows from it (the grid's generators).
LEARNING_GENERATORS = [name for name in GENERATOR_NAMES if name != PROVIDED]


# Those that need an optional extra (its requirements file): their train stage names the file when it is
# not installed, and tests skip them there.
EXTRA_GENERATORS = {"tabular_argn": "requirements-mostly.txt"}
