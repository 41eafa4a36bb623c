"""The params of every stage, as typed dataclasses validated from a plain dict.

:func:`load_params` reads ``params.yaml`` (for the stages and the commands); :func:`parse_params`
validates the loaded dict, rejecting unknown keys and wrong types with a message naming the key. Below
that, the package takes plain values, never the file.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from synthproof.datasets import CENSUS
from synthproof.errors import SynthproofError
from synthproof.evaluation.zoo import CLASSIFICATION, PROBLEMS, REGRESSION, Problem

_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class StageMetrics:
    ingest: str = "metrics/ingest.json"
    split: str = "metrics/split.json"
    train: str = "metrics/train.json"
    sample: str = "metrics/sample.json"
    score_real: str = "metrics/score_real.json"
    discriminate: str = "metrics/discriminate.json"
    fidelity: str = "metrics/fidelity.json"
    privacy: str = "metrics/privacy.json"
    compare: str = "metrics/compare.json"


@dataclass(frozen=True)
class StageDetails:
    """Each stage's whole result (per-column tables, leaderboards, lists) beside its tidy metrics."""

    ingest: str = "metrics/details/ingest.json"
    split: str = "metrics/details/split.json"
    train: str = "metrics/details/train.json"
    sample: str = "metrics/details/sample.json"
    score_real: str = "metrics/details/score_real.json"
    discriminate: str = "metrics/details/discriminate.json"
    fidelity: str = "metrics/details/fidelity.json"
    privacy: str = "metrics/details/privacy.json"
    compare: str = "metrics/details/compare.json"


@dataclass(frozen=True)
class StageCost:
    """What each stage cost to run (seconds, peak memory), which ``stages.common.run`` writes apart from
    the results: it varies from run to run, the results do not."""

    ingest: str = "metrics/cost/ingest.json"
    split: str = "metrics/cost/split.json"
    train: str = "metrics/cost/train.json"
    sample: str = "metrics/cost/sample.json"
    score_real: str = "metrics/cost/score_real.json"
    discriminate: str = "metrics/cost/discriminate.json"
    fidelity: str = "metrics/cost/fidelity.json"
    privacy: str = "metrics/cost/privacy.json"
    compare: str = "metrics/cost/compare.json"
    report: str = "metrics/cost/report.json"


@dataclass(frozen=True)
class StagePlots:
    loss: str = "plots/train/loss.csv"
    loss_image: str = "plots/train/loss.png"
    probabilities: str = "plots/discriminate/probabilities.csv"
    probabilities_image: str = "plots/discriminate/probabilities.png"
    giveaway_columns: str = "plots/discriminate/columns.csv"
    giveaway_columns_image: str = "plots/discriminate/columns.png"
    column_shapes: str = "plots/fidelity/column_shapes.csv"
    distributions: str = "plots/fidelity/distributions.csv"
    distributions_image: str = "plots/fidelity/distributions.png"
    correlations_image: str = "plots/fidelity/correlations.png"
    pair_trends: str = "plots/fidelity/pair_trends.csv"
    pairs_image: str = "plots/fidelity/pairs.png"
    dcr: str = "plots/privacy/dcr.csv"
    dcr_image: str = "plots/privacy/dcr.png"
    risks: str = "plots/privacy/risks.csv"
    risks_image: str = "plots/privacy/risks.png"
    leaderboards: str = "plots/compare/leaderboards.csv"
    leaderboards_image: str = "plots/compare/leaderboards.png"
    best_models: str = "plots/compare/best_models.csv"
    roc: str = "plots/compare/roc.csv"
    roc_image: str = "plots/compare/roc.png"
    confusion: str = "plots/compare/confusion.csv"
    confusion_image: str = "plots/compare/confusion.png"
    predictions: str = "plots/compare/predictions.csv"  # regression: each best model's holdout rows
    predictions_image: str = "plots/compare/predictions.png"
    residuals_image: str = "plots/compare/residuals.png"


@dataclass(frozen=True)
class DiscriminateOutputs:
    """Outputs that hold real rows: DVC-cached, never committed to git."""

    most_fake: str = "data/discriminate/most_fake.csv"
    most_real: str = "data/discriminate/most_real.csv"
    linked: str = "data/discriminate/linked"
    unseen_pairs: str = "data/discriminate/unseen_pairs.csv"
    unseen_pair_rows: str = "data/discriminate/unseen_pair_rows.csv"


@dataclass(frozen=True)
class ReferencePaths:
    """What the real rows score on their own (the score_real stage), which the evaluation stages read:
    DVC-cached (the holdout predictions and distances are per real row)."""

    compare: str = "data/reference/compare.json"  # the real-trained leaderboard, its best model's scores
    compare_holdout: str = "data/reference/compare_holdout.parquet"  # that model's holdout predictions
    discriminate: str = "data/reference/discriminate.json"  # the floor: holdout vs training rows
    fidelity: str = "data/reference/fidelity.json"  # the ceiling: the holdout scored as a synthetic table
    privacy: str = "data/reference/privacy.parquet"  # each holdout row's distance to training, copy flag


@dataclass(frozen=True)
class GridPaths:
    """Where the grid pipeline (``grid/dvc.yaml``) keeps its cells and writes its table."""

    cells: str = "grid/cells"  # <cells>/<dataset>/<a path above> and <cells>/<dataset>/<generator>/<...>
    table: str = "grid/results.csv"
    table_markdown: str = "grid/results.md"
    figure: str = "grid/results.png"


# The files of the stages that run once per dataset in the grid (ingest, split, score_real); every other
# file is one per (dataset, generator) cell.
DATASET_STAGES = ("ingest", "split", "score_real")
DATASET_PATHS = frozenset(
    {
        "raw",
        "schema",
        "train",
        "holdout",
        *(f"{kind}.{stage}" for kind in ("metrics", "details", "cost") for stage in DATASET_STAGES),
        *(f"reference.{item.name}" for item in dataclasses.fields(ReferencePaths)),
    }
)


@dataclass(frozen=True)
class Paths:
    """Every file the pipeline reads or writes, declared once; ``dvc.yaml`` templates them too."""

    raw: str = "data/raw/table.parquet"
    schema: str = "data/schema.json"
    train: str = "data/split/train.parquet"
    holdout: str = "data/split/holdout.parquet"
    model: str = "models/generator.zip"
    synthetic: str = "data/synthetic.parquet"
    report: str = "reports/report.html"
    metrics: StageMetrics = field(default_factory=StageMetrics)
    details: StageDetails = field(default_factory=StageDetails)
    cost: StageCost = field(default_factory=StageCost)
    plots: StagePlots = field(default_factory=StagePlots)
    discriminate: DiscriminateOutputs = field(default_factory=DiscriminateOutputs)
    reference: ReferencePaths = field(default_factory=ReferencePaths)
    grid: GridPaths = field(default_factory=GridPaths)

    def __post_init__(self):
        for key, value in _path_items(self, "paths."):
            _check(
                _inside_the_repository(value),
                f"{key} is {value!r}: every path the pipeline writes must be relative and inside the "
                "repository (no leading /, ~ or drive, no ..)",
            )

    def in_grid(self, dataset: str, generator: str | None) -> Paths:
        """The same files for one grid cell: ``grid.cells/<dataset>/`` for a dataset's own files,
        ``grid.cells/<dataset>/<generator>/`` for the rest (``grid/dvc.yaml`` templates the same rule)."""
        dataset_folder = f"{self.grid.cells}/{dataset}"
        cell_folder = dataset_folder if generator is None else f"{dataset_folder}/{generator}"
        return _relocated(self, dataset_folder, cell_folder, "")


def _path_items(paths: Any, prefix: str) -> list[tuple[str, str]]:
    """Every ``(key, path)`` of ``paths`` and the sections below it."""
    items = []
    for item in dataclasses.fields(paths):
        value = getattr(paths, item.name)
        if dataclasses.is_dataclass(value):
            items += _path_items(value, f"{prefix}{item.name}.")
        else:
            items.append((f"{prefix}{item.name}", value))
    return items


def _inside_the_repository(path: str) -> bool:
    """``path`` names a place inside the folder it is relative to: no absolute path, home, drive or
    ``..`` (checked before any stage writes, since DVC refuses an outside output only after the run)."""
    if not isinstance(path, str) or not path.strip() or "\\" in path or "\x00" in path:
        return False
    parts = PurePosixPath(path).parts
    return not (PurePosixPath(path).is_absolute() or path.startswith("~") or ":" in parts[0] or ".." in parts)


def _relocated(paths: Any, dataset_folder: str, cell_folder: str, prefix: str) -> Any:
    changes = {}
    for item in dataclasses.fields(paths):
        key, value = f"{prefix}{item.name}", getattr(paths, item.name)
        if isinstance(value, GridPaths):
            continue
        if dataclasses.is_dataclass(value):
            changes[item.name] = _relocated(value, dataset_folder, cell_folder, f"{key}.")
        else:
            changes[item.name] = f"{dataset_folder if key in DATASET_PATHS else cell_folder}/{value}"
    return dataclasses.replace(paths, **changes)


@dataclass(frozen=True)
class ColumnOverrides:
    """Column kinds forced by the user, overriding inference."""

    categorical: list[str] = field(default_factory=list)
    numeric: list[str] = field(default_factory=list)
    datetime: list[str] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)


# The embedded census table, by its path from the repository root (stages run there; queued experiments'
# temporary copies hold it too, as a git-tracked file).
CENSUS_SOURCE = f"synthproof/datasets/{CENSUS.file}"


@dataclass(frozen=True)
class IngestParams:
    source: str = CENSUS_SOURCE
    sha256: str | None = CENSUS.sha256
    format: Literal["auto", "csv", "parquet", "excel"] = "auto"
    na_values: list[str] = field(default_factory=lambda: ["?"])
    min_rows: int = 100
    target_type: Literal["auto", "classification", "regression"] = "auto"
    max_target_classes: int = 50
    empty_columns: Literal["error", "keep"] = "error"
    categorical_max_unique: int = 10
    id_unique_ratio: float = 0.95
    columns: ColumnOverrides = field(default_factory=ColumnOverrides)

    def __post_init__(self):
        _check(self.min_rows >= 2, "ingest.min_rows must be at least 2")
        _check(self.max_target_classes >= 2, "ingest.max_target_classes must be at least 2")
        _check(self.categorical_max_unique >= 0, "ingest.categorical_max_unique must be >= 0")
        _check(0 < self.id_unique_ratio <= 1, "ingest.id_unique_ratio must be in (0, 1]")
        _check_sha256(self.sha256, "ingest.sha256")


def _check_sha256(value: str | None, key: str) -> None:
    if value is not None:
        _check(
            len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value),
            f"{key} must be 64 hex digits or null",
        )


@dataclass(frozen=True)
class SplitParams:
    """Split ingest's table here (``holdout_fraction``), or take a holdout made elsewhere: then ingest's
    table is the training part and ``holdout_source`` the rows kept from it."""

    holdout_fraction: float = 0.2
    holdout_source: str | None = None
    holdout_sha256: str | None = None

    def __post_init__(self):
        _check(0 < self.holdout_fraction < 1, "split.holdout_fraction must be between 0 and 1")
        _check(self.holdout_source != "", "split.holdout_source must be a path, a URL or null")
        _check_sha256(self.holdout_sha256, "split.holdout_sha256")

    @property
    def given(self) -> bool:
        """Whether the split was made elsewhere (a holdout file), not here."""
        return self.holdout_source is not None


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
        _check(self.embedding_dim >= 1, "generator.ctgan.embedding_dim must be >= 1")
        for key in ("generator_dim", "discriminator_dim"):
            _check(
                len(getattr(self, key)) >= 1 and min(getattr(self, key)) >= 1,
                f"generator.ctgan.{key} must be a non-empty list of positive layer sizes",
            )
        for key in ("generator_lr", "discriminator_lr"):
            _check(getattr(self, key) > 0, f"generator.ctgan.{key} must be > 0")
        for key in ("generator_decay", "discriminator_decay"):
            _check(getattr(self, key) >= 0, f"generator.ctgan.{key} must be >= 0")
        _check(self.discriminator_steps >= 1, "generator.ctgan.discriminator_steps must be >= 1")
        _check(self.pac >= 1, "generator.ctgan.pac must be >= 1")


@dataclass(frozen=True)
class TVAEParams:
    """``ctgan.TVAE``'s own hyper-parameters (epochs and batch size sit in ``generator``)."""

    embedding_dim: int = 128
    compress_dims: list[int] = field(default_factory=lambda: [128, 128])
    decompress_dims: list[int] = field(default_factory=lambda: [128, 128])
    l2scale: float = 1e-5
    loss_factor: float = 2.0

    def __post_init__(self):
        _check(self.embedding_dim >= 1, "generator.tvae.embedding_dim must be >= 1")
        for key in ("compress_dims", "decompress_dims"):
            _check(
                len(getattr(self, key)) >= 1 and min(getattr(self, key)) >= 1,
                f"generator.tvae.{key} must be a non-empty list of positive layer sizes",
            )
        _check(self.l2scale >= 0, "generator.tvae.l2scale must be >= 0")
        _check(self.loss_factor > 0, "generator.tvae.loss_factor must be > 0")


@dataclass(frozen=True)
class GaussianCopulaParams:
    quantiles: int = 1000

    def __post_init__(self):
        _check(self.quantiles >= 2, "generator.gaussian_copula.quantiles must be >= 2")


@dataclass(frozen=True)
class CARTParams:
    min_samples_leaf: int = 20
    max_depth: int | None = None
    smooth_numeric: bool = False
    column_order: list[str] | None = None

    def __post_init__(self):
        _check(self.min_samples_leaf >= 1, "generator.cart.min_samples_leaf must be >= 1")
        if self.max_depth is not None:
            _check(self.max_depth >= 1, "generator.cart.max_depth must be >= 1 or null")


ARGN_MODELS = ("MOSTLY_AI/Small", "MOSTLY_AI/Medium", "MOSTLY_AI/Large")


@dataclass(frozen=True)
class TabularARGNParams:
    """``mostlyai.engine``'s TabularARGN (epochs, time budget, device and threads sit in ``generator``)."""

    model: str = "MOSTLY_AI/Medium"
    value_protection: bool = True
    batch_size: int | None = None

    def __post_init__(self):
        _check(self.model in ARGN_MODELS, f"generator.tabular_argn.model must be one of {list(ARGN_MODELS)}")
        if self.batch_size is not None:
            _check(self.batch_size >= 1, "generator.tabular_argn.batch_size must be >= 1 or null")


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
        _check(self.source != "", "generator.provided.source must be a path, a URL or null")
        _check_sha256(self.sha256, "generator.provided.sha256")


@dataclass(frozen=True)
class GeneratorParams:
    """The shared generator keys, then one section per generator: the sections' names are the
    generator names (``GENERATOR_NAMES``; ``synthproof.generators.GENERATORS`` registers a class for each)."""

    name: str = "ctgan"
    epochs: int = 100
    batch_size: int = 500
    max_training_rows: int | None = 50_000
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
    tabular_argn: TabularARGNParams = field(default_factory=TabularARGNParams)
    independent: NoParams = field(default_factory=NoParams)
    resample: NoParams = field(default_factory=NoParams)
    provided: ProvidedParams = field(default_factory=ProvidedParams)

    def __post_init__(self):
        _check(
            self.name in GENERATOR_NAMES,
            f"generator.name must be one of {GENERATOR_NAMES}, got {self.name!r}",
        )
        _check(
            self.name != PROVIDED or self.provided.source is not None,
            "generator.name is provided but generator.provided.source is null: set it to the synthetic "
            "table's path or URL",
        )
        _check(self.epochs >= 1, "generator.epochs must be >= 1")
        _check(
            self.batch_size >= 2 and self.batch_size % 2 == 0,
            "generator.batch_size must be an even number >= 2",
        )
        _check(
            self.name != "ctgan" or self.batch_size % self.ctgan.pac == 0,
            f"generator.batch_size ({self.batch_size}) must be a multiple of generator.ctgan.pac "
            f"({self.ctgan.pac})",
        )
        if self.max_training_rows is not None:
            _check(self.max_training_rows >= 10, "generator.max_training_rows must be >= 10 or null")
        if self.max_training_minutes is not None:
            _check(self.max_training_minutes > 0, "generator.max_training_minutes must be > 0 or null")
        _check(
            re.fullmatch(r"auto|cpu|cuda(:\d+)?", self.device) is not None,
            f"generator.device must be auto, cpu, cuda or cuda:N, got {self.device!r}",
        )
        _check(self.threads >= 1, "generator.threads must be >= 1")
        _check(self.binary_encoding_cutoff >= 2, "generator.binary_encoding_cutoff must be >= 2")
        if self.spike_min_share is not None:
            _check(0 < self.spike_min_share <= 1, "generator.spike_min_share must be in (0, 1] or null")


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


@dataclass(frozen=True)
class SampleParams:
    rows: int | None = None
    reject_copies: bool = False
    max_rejection_rounds: int = 10

    def __post_init__(self):
        if self.rows is not None:
            _check(self.rows >= 1, "sample.rows must be >= 1 or null (as many as the training part)")
        _check(self.max_rejection_rounds >= 1, "sample.max_rejection_rounds must be >= 1")


@dataclass(frozen=True)
class DiscriminateParams:
    model: Literal["lightgbm", "random_forest", "logistic"] = "lightgbm"
    balance: bool = True
    holdout_fraction: float = 0.2
    early_stopping_rounds: int = 5
    n_examples: int = 100
    linked_min_consistency: float = 0.99
    linked_max_categories: int = 100
    max_rows: int | None = 50000

    def __post_init__(self):
        _check(0 < self.holdout_fraction < 1, "discriminate.holdout_fraction must be between 0 and 1")
        if self.max_rows is not None:
            _check(self.max_rows >= 10, "discriminate.max_rows must be >= 10 or null")
        _check(self.early_stopping_rounds >= 1, "discriminate.early_stopping_rounds must be >= 1")
        _check(self.n_examples >= 1, "discriminate.n_examples must be >= 1")
        _check(
            0.5 < self.linked_min_consistency <= 1,
            "discriminate.linked_min_consistency must be in (0.5, 1]",
        )
        _check(self.linked_max_categories >= 2, "discriminate.linked_max_categories must be >= 2")


@dataclass(frozen=True)
class FidelityParams:
    bins: int = 10
    correlation: Literal["pearson", "spearman"] = "pearson"

    def __post_init__(self):
        _check(self.bins >= 2, "fidelity.bins must be >= 2")


@dataclass(frozen=True)
class SinglingOutParams:
    n_cols: int = 3
    max_attempts: int = 100_000

    def __post_init__(self):
        _check(self.n_cols >= 1, "privacy.singling_out.n_cols must be >= 1")
        _check(self.max_attempts >= 1, "privacy.singling_out.max_attempts must be >= 1")


@dataclass(frozen=True)
class LinkabilityParams:
    aux_columns: list[list[str]] | None = None
    n_neighbors: int = 10

    def __post_init__(self):
        if self.aux_columns is not None:
            _check(
                len(self.aux_columns) == 2 and all(self.aux_columns),
                "privacy.linkability.aux_columns must be two non-empty lists of columns, or null",
            )
        _check(self.n_neighbors >= 1, "privacy.linkability.n_neighbors must be >= 1")


@dataclass(frozen=True)
class InferenceParams:
    secrets: list[str] | None = None
    tolerance: float = 0.05

    def __post_init__(self):
        if self.secrets is not None:
            _check(bool(self.secrets), "privacy.inference.secrets must list columns, or be null")
        _check(0 <= self.tolerance < 1, "privacy.inference.tolerance must be in [0, 1)")


@dataclass(frozen=True)
class PrivacyParams:
    dcr_max_rows: int | None = 40000
    n_attacks: int = 500
    singling_out: SinglingOutParams = field(default_factory=SinglingOutParams)
    linkability: LinkabilityParams = field(default_factory=LinkabilityParams)
    inference: InferenceParams = field(default_factory=InferenceParams)

    def __post_init__(self):
        if self.dcr_max_rows is not None:
            _check(self.dcr_max_rows >= 10, "privacy.dcr_max_rows must be >= 10 or null")
        _check(self.n_attacks >= 10, "privacy.n_attacks must be >= 10")


@dataclass(frozen=True)
class CompareParams:
    models: list[str] = field(default_factory=lambda: list(PROBLEMS[CLASSIFICATION].models))
    regression_models: list[str] = field(default_factory=lambda: list(PROBLEMS[REGRESSION].models))
    folds: int = 10
    sort: str = "Accuracy"
    regression_sort: str = "R2"
    n_select: int = 1
    test_fraction: float = 0.2
    n_jobs: int = 2
    normalize: bool = False
    max_rows: int | None = 32000

    def __post_init__(self):
        for problem in PROBLEMS.values():
            models, sort = getattr(self, problem.models_key), getattr(self, problem.sort_key)
            unknown = [m for m in models if m not in problem.models]
            _check(
                bool(models) and not unknown,
                f"compare.{problem.models_key}: unknown ids {unknown}; choose from {list(problem.models)}",
            )
            _check(
                sort in problem.sortable_columns,
                f"compare.{problem.sort_key} must be one of {problem.sortable_columns}",
            )
            _check(
                1 <= self.n_select <= len(models),
                f"compare.n_select must be between 1 and the {len(models)} compare.{problem.models_key}",
            )
        _check(self.folds >= 2, "compare.folds must be >= 2")
        _check(0 < self.test_fraction < 1, "compare.test_fraction must be between 0 and 1")
        _check(self.n_jobs >= 1, "compare.n_jobs must be >= 1")
        if self.max_rows is not None:
            _check(
                self.max_rows >= 2 * self.folds,
                "compare.max_rows must be at least 2 x compare.folds, or null",
            )

    def for_task(self, task: str) -> tuple[Problem, list[str], str]:
        """The task's zoo, the model ids and the sort column this section names for it."""
        problem = PROBLEMS[task]
        return problem, getattr(self, problem.models_key), getattr(self, problem.sort_key)


@dataclass(frozen=True)
class ComputeParams:
    """Where the compare stage's (model, fold) fits run, and how many threads the evaluation stages use;
    no stage lists it as a DVC param (neither changes a result)."""

    backend: Literal["loky", "dask", "ray"] = "loky"
    address: str | None = None
    threads: int | Literal["auto"] = "auto"

    def __post_init__(self):
        _check(
            self.threads == "auto" or (isinstance(self.threads, int) and self.threads >= 1),
            f"compute.threads must be auto or an integer >= 1, got {self.threads!r}",
        )
        _check(
            self.backend == "loky" or bool(self.address),
            f"compute.backend {self.backend} needs compute.address (the scheduler or cluster to use)",
        )


@dataclass(frozen=True)
class GateParams:
    """Thresholds for ``python -m synthproof.gate``; null skips one."""

    max_auc_above_floor: float | None = 0.45
    min_ratio_accuracy: float | None = 0.9
    min_ratio_mcc: float | None = 0.5
    min_ratio_r2: float | None = 0.8
    max_dcr_share: float | None = 0.6
    max_exact_copy_share_above_holdout: float | None = 0.01
    max_singling_out_risk: float | None = 0.2
    max_singling_out_univariate_risk: float | None = 0.2
    max_linkability_risk: float | None = 0.2
    max_inference_risk: float | None = 0.2

    def __post_init__(self):
        for item in dataclasses.fields(self):
            if not item.name.startswith("max_"):
                continue
            key = item.name
            value = getattr(self, key)
            _check(value is None or 0 <= value <= 1, f"gate.{key} must be between 0 and 1, or null")
        for key in ("min_ratio_accuracy", "min_ratio_mcc", "min_ratio_r2"):
            value = getattr(self, key)
            _check(value is None or value >= 0, f"gate.{key} must be >= 0, or null")


@dataclass(frozen=True)
class GridDataset:
    """One table of the grid: its target and an ``ingest`` section of its own (keys left out take
    ``ingest``'s defaults, not the main table's values; ``sha256`` and ``na_values`` describe one source,
    so they default to none)."""

    target: str
    ingest: IngestParams


@dataclass(frozen=True)
class GridProvided(ProvidedParams):
    """One synthetic table made elsewhere, a cell of the grid: the grid dataset it copies, beside the keys
    of a ``generator.provided`` section."""

    dataset: str = ""

    def provided(self) -> ProvidedParams:
        return ProvidedParams(**{f.name: getattr(self, f.name) for f in dataclasses.fields(ProvidedParams)})


@dataclass(frozen=True)
class GridParams:
    """The grid pipeline (``grid/dvc.yaml``): every dataset here times every generator here (by default,
    every generator)."""

    generators: list[str] = field(default_factory=lambda: list(LEARNING_GENERATORS))
    datasets: dict[str, GridDataset] = field(default_factory=dict)
    provided: dict[str, GridProvided] = field(default_factory=dict)

    def __post_init__(self):
        unknown = [name for name in self.generators if name not in LEARNING_GENERATORS]
        _check(
            bool(self.generators) and not unknown,
            f"grid.generators: unknown names {unknown}; choose from {LEARNING_GENERATORS}",
        )
        _check(len(set(self.generators)) == len(self.generators), "grid.generators lists a name twice")
        for section, names in (("datasets", self.datasets), ("provided", self.provided)):
            for name in names:
                _check(
                    re.fullmatch(r"[A-Za-z0-9_]+", name) is not None,
                    f"grid.{section}: name {name!r} must be letters, digits and _ only (it names folders "
                    "and DVC stages)",
                )
        for name, table in self.provided.items():
            _check(
                name not in GENERATOR_NAMES,
                f"grid.provided: {name!r} is a generator's name: call the table something else",
            )
            _check(
                table.dataset in self.datasets,
                f"grid.provided.{name}.dataset must name one of grid.datasets {list(self.datasets)}, "
                f"got {table.dataset!r}",
            )
            _check(
                table.source is not None, f"grid.provided.{name}.source is missing: the table's path or URL"
            )


@dataclass(frozen=True)
class Params:
    """The whole of ``params.yaml``."""

    seed: int = 42
    target: str = "income"
    paths: Paths = field(default_factory=Paths)
    ingest: IngestParams = field(default_factory=IngestParams)
    split: SplitParams = field(default_factory=SplitParams)
    generator: GeneratorParams = field(default_factory=GeneratorParams)
    sample: SampleParams = field(default_factory=SampleParams)
    discriminate: DiscriminateParams = field(default_factory=DiscriminateParams)
    fidelity: FidelityParams = field(default_factory=FidelityParams)
    privacy: PrivacyParams = field(default_factory=PrivacyParams)
    compare: CompareParams = field(default_factory=CompareParams)
    gate: GateParams = field(default_factory=GateParams)
    compute: ComputeParams = field(default_factory=ComputeParams)
    grid: GridParams = field(default_factory=GridParams)

    def __post_init__(self):
        _check(self.seed >= 0, "seed must be a non-negative integer")
        _check(bool(self.target), "target must name a column of the input table")

    def in_grid(self, dataset: str, generator: str | None = None) -> Params:
        """The params one grid cell runs with: that dataset's target and ingest section, that generator (or
        that provided table: a name in ``grid.provided``), and the cell's own files (every other section as
        in the file, but the split, which a grid makes here)."""
        if dataset not in self.grid.datasets:
            raise SynthproofError(
                f"params.yaml: grid.datasets has no {dataset!r}; it has {list(self.grid.datasets)}"
            )
        table = self.grid.datasets[dataset]
        # a grid dataset is split here: a given holdout (split.holdout_source) is the main pipeline's
        split = dataclasses.replace(self.split, holdout_source=None, holdout_sha256=None)
        changes: dict[str, Any] = {"target": table.target, "ingest": table.ingest, "split": split}
        provided = self.grid.provided.get(generator or "")
        if provided is not None:
            if provided.dataset != dataset:
                raise SynthproofError(
                    f"params.yaml: grid.provided.{generator} is a table of {provided.dataset!r}, "
                    f"not {dataset!r}"
                )
            changes["generator"] = dataclasses.replace(
                self.generator, name=PROVIDED, provided=provided.provided()
            )
        elif generator is not None:
            if generator not in self.grid.generators:
                raise SynthproofError(
                    f"params.yaml: grid.generators has no {generator!r}; it has {self.grid.generators}"
                )
            changes["generator"] = dataclasses.replace(self.generator, name=generator)
        return dataclasses.replace(self, paths=self.paths.in_grid(dataset, generator), **changes)


# Sections no stage lists as a DVC param: paths are the stages' deps and outs; compute says where compare's
# fits run, not what they give, so switching it keeps the cache.
UNTRACKED = ("paths", "compute")
ALL_PARAMS = "*"  # a stage that reads the whole file (the report shows it)


class UndeclaredParamError(AssertionError):
    """A stage read a params key it does not declare: `dvc repro` would not rerun it when that key changes."""


class _Undeclared:
    """Stands in for a params key a stage did not declare: any use of it raises."""

    __slots__ = ("_key", "_stage")

    def __init__(self, key: str, stage: str):
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_stage", stage)

    def _fail(self, *_args, **_kwargs):
        key, stage = object.__getattribute__(self, "_key"), object.__getattribute__(self, "_stage")
        raise UndeclaredParamError(
            f"stage {stage} reads params key {key!r}, which its PARAMS (stages/{stage}.py) do not declare: "
            "declare it there and in dvc.yaml, or DVC will not rerun the stage when it changes"
        )

    __getattr__ = __bool__ = __iter__ = __len__ = __eq__ = __hash__ = __str__ = __format__ = _fail
    __getitem__ = __contains__ = __lt__ = __gt__ = __le__ = __ge__ = __int__ = __float__ = _fail
    __deepcopy__ = __copy__ = __reduce_ex__ = _fail

    def __repr__(self) -> str:
        return f"<undeclared params key {object.__getattribute__(self, '_key')}>"


def declared_keys(keys: list[str], params: Params) -> list[str]:
    """``keys`` with each ``${dotted.key}`` replaced by its value in ``params`` (as DVC templates
    ``generator.${generator.name}`` in ``dvc.yaml``)."""

    def value(match: re.Match) -> str:
        node: Any = params
        for part in match.group(1).split("."):
            node = getattr(node, part)
        return str(node)

    return [re.sub(r"\$\{([\w.]+)\}", value, key) for key in keys]


def restricted(params: Params, keys: list[str], stage: str) -> Params:
    """``params`` where every key outside ``keys`` (dotted prefixes, templated as in
    :func:`declared_keys`) and ``UNTRACKED`` raises :class:`UndeclaredParamError` when a stage uses it."""
    if ALL_PARAMS in keys:
        return params
    allowed = set(declared_keys(keys, params)) | set(UNTRACKED)
    return _restrict(params, allowed, "", stage)


def _restrict(node: Any, allowed: set[str], prefix: str, stage: str) -> Any:
    out = copy.copy(node)
    for item in dataclasses.fields(node):
        key = prefix + item.name
        if any(key == a or key.startswith(a + ".") for a in allowed):
            continue
        if any(a.startswith(key + ".") for a in allowed):
            value = _restrict(getattr(node, item.name), allowed, key + ".", stage)
        else:
            value = _Undeclared(key, stage)
        object.__setattr__(out, item.name, value)  # a frozen dataclass's copy, never the original
    return out


def load_params(path: str | Path = "params.yaml") -> Params:
    """Read and validate the whole of ``params.yaml`` (a typo anywhere stops every stage)."""
    try:
        data = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as error:
        raise SynthproofError(f"cannot read {path}: {error}") from None
    return parse_params(data)


def parse_params(data: Any) -> Params:
    """Validate a dict loaded from ``params.yaml``; keys left out take their defaults."""
    return _build(Params, {} if data is None else data, "")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SynthproofError(f"params.yaml: {message}")


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise SynthproofError(f"params.yaml: {where or 'the file'} must be a mapping of keys")
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean {where}{close[0]}?)" if close else f"; known keys: {known}"
            raise SynthproofError(f"params.yaml: unknown key {where}{key}{hint}")
    values = {key: _coerce(hints[key], value, f"{where}{key}") for key, value in data.items()}
    return cls(**values)


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is GridDataset:
        return _grid_dataset(value, key)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, f"{key}.")
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [arg for arg in args if arg is not type(None)]
        if len(options) == 1:
            return _coerce(options[0], value, key)
        for inner in options:  # e.g. int | Literal["auto"]: the first that takes the value
            with contextlib.suppress(SynthproofError):
                return _coerce(inner, value, key)
        kinds = " or ".join(
            f"one of {list(typing.get_args(o))}"
            if typing.get_origin(o) is Literal
            else f"of type {o.__name__}"
            for o in options
        )
        raise SynthproofError(f"params.yaml: {key} must be {kinds}, got {value!r}")
    if origin is Literal:
        if value not in args:
            raise SynthproofError(f"params.yaml: {key} must be one of {list(args)}, got {value!r}")
        return value
    if origin is dict:
        if not isinstance(value, dict):
            raise SynthproofError(f"params.yaml: {key} must be a mapping of names, got {value!r}")
        return {str(name): _coerce(args[1], item, f"{key}.{name}") for name, item in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise SynthproofError(f"params.yaml: {key} must be a list, got {value!r}")
        return [_coerce(args[0], item, f"{key}[{i}]") for i, item in enumerate(value)]
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is float and isinstance(value, str) and _FLOAT.fullmatch(value.strip()):
        return float(value)  # PyYAML (YAML 1.1) reads 2e-4 as a string
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise SynthproofError(
            f"params.yaml: {key} must be of type {hint.__name__}, got {value!r} ({type(value).__name__})"
        )
    return value


def _grid_dataset(value: Any, key: str) -> GridDataset:
    """A grid dataset is written flat: ``target`` beside the keys of an ``ingest`` section."""
    if not isinstance(value, dict) or not value.get("target"):
        raise SynthproofError(
            f"params.yaml: {key} must be a mapping with a target and the keys of an ingest section "
            "(source, sha256, na_values, ...)"
        )
    if "source" not in value:
        raise SynthproofError(f"params.yaml: {key}.source is missing: the path or URL of the table")
    ingest = {
        "sha256": None,
        "na_values": [],
        **{name: item for name, item in value.items() if name != "target"},
    }
    return GridDataset(
        target=_coerce(str, value["target"], f"{key}.target"), ingest=_build(IngestParams, ingest, f"{key}.")
    )
