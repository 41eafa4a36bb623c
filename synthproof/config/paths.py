"""Where each stage reads and writes: the one home of every file's path (no param: ``dvc.yaml``'s vars are
written from here by ``python -m tools.manifest``), each checked to be relative and inside the repository,
and relocated per grid cell."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from synthproof.config.checks import check


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
    verdict: str = "metrics/verdict.json"
    metrics: StageMetrics = field(default_factory=StageMetrics)
    details: StageDetails = field(default_factory=StageDetails)
    cost: StageCost = field(default_factory=StageCost)
    plots: StagePlots = field(default_factory=StagePlots)
    discriminate: DiscriminateOutputs = field(default_factory=DiscriminateOutputs)
    reference: ReferencePaths = field(default_factory=ReferencePaths)
    grid: GridPaths = field(default_factory=GridPaths)

    def __post_init__(self):
        for key, value in _path_items(self, "paths."):
            check(
                _inside_the_repository(value),
                f"{key} is {value!r}: every path the pipeline writes must be relative and inside the "
                "repository (no leading /, ~ or drive, no ..)",
            )

    def items(self) -> list[tuple[str, str]]:
        """Every ``(paths.<key>, path)``, sections below included."""
        return _path_items(self, "paths.")

    def key_of(self, path: str) -> str | None:
        """The ``paths.*`` key that names ``path``, or the folder ``path`` is in (the longest such), or
        None: for messages about a file a stage writes."""
        path = PurePosixPath(str(path).replace("\\", "/")).as_posix()
        found = [
            (len(value), key)
            for key, value in self.items()
            if path == value or path.startswith(value.rstrip("/") + "/")
        ]
        return max(found)[1] if found else None

    def in_grid(self, dataset: str, generator: str | None) -> Paths:
        """The same files for one grid cell: ``grid.cells/<dataset>/`` for a dataset's own files,
        ``grid.cells/<dataset>/<generator>/`` for the rest (``grid/dvc.yaml`` templates the same rule)."""
        dataset_folder = f"{self.grid.cells}/{dataset}"
        cell_folder = dataset_folder if generator is None else f"{dataset_folder}/{generator}"
        return self.relocated(dataset_folder, cell_folder)

    def relocated(self, dataset_folder: str, cell_folder: str) -> Paths:
        """The same files under other folders: a dataset's own files (ingest, split and the real rows'
        references) under ``dataset_folder``, the rest under ``cell_folder`` (a grid's or an audit's cell)."""
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
