"""The whole of ``params.yaml`` (``Params``): the input table (ingest), the split, the grid, and the
sections of the other modules."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from synthproof.config.checks import check, check_sha256
from synthproof.config.evaluation import (
    CompareParams,
    ComputeParams,
    DiscriminateParams,
    FidelityParams,
    GateParams,
    PrivacyParams,
    SampleParams,
)
from synthproof.config.generators import (
    GENERATOR_NAMES,
    LEARNING_GENERATORS,
    PROVIDED,
    GeneratorParams,
    ProvidedParams,
)
from synthproof.config.paths import Paths
from synthproof.datasets import CENSUS
from synthproof.errors import SynthproofError

# The largest seed numpy's generators and scikit-learn's random_state take.
SEED_MAX = 2**32 - 1


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
    max_columns: int = 1_000
    max_cells: int = 20_000_000
    columns: ColumnOverrides = field(default_factory=ColumnOverrides)

    def __post_init__(self):
        check(self.min_rows >= 2, "ingest.min_rows must be at least 2")
        check(self.max_columns >= 2, "ingest.max_columns must be at least 2 (a target and one more)")
        check(self.max_cells >= 1, "ingest.max_cells must be at least 1")
        check(self.max_target_classes >= 2, "ingest.max_target_classes must be at least 2")
        check(self.categorical_max_unique >= 0, "ingest.categorical_max_unique must be >= 0")
        check(0 < self.id_unique_ratio <= 1, "ingest.id_unique_ratio must be in (0, 1]")
        check_sha256(self.sha256, "ingest.sha256")


@dataclass(frozen=True)
class SplitParams:
    """Split ingest's table here (``holdout_fraction``), or take a holdout made elsewhere: then ingest's
    table is the training part and ``holdout_source`` the rows kept from it."""

    holdout_fraction: float = 0.2
    holdout_source: str | None = None
    holdout_sha256: str | None = None

    def __post_init__(self):
        check(0 < self.holdout_fraction < 1, "split.holdout_fraction must be between 0 and 1")
        check(self.holdout_source != "", "split.holdout_source must be a path, a URL or null")
        check_sha256(self.holdout_sha256, "split.holdout_sha256")

    @property
    def given(self) -> bool:
        """Whether the split was made elsewhere (a holdout file), not here."""
        return self.holdout_source is not None


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
        check(
            bool(self.generators) and not unknown,
            f"grid.generators: unknown names {unknown}; choose from {LEARNING_GENERATORS}",
        )
        check(len(set(self.generators)) == len(self.generators), "grid.generators lists a name twice")
        for section, names in (("datasets", self.datasets), ("provided", self.provided)):
            for name in names:
                check(
                    re.fullmatch(r"[A-Za-z0-9_]+", name) is not None,
                    f"grid.{section}: name {name!r} must be letters, digits and _ only (it names folders "
                    "and DVC stages)",
                )
        for name, table in self.provided.items():
            check(
                name not in GENERATOR_NAMES,
                f"grid.provided: {name!r} is a generator's name: call the table something else",
            )
            check(
                table.dataset in self.datasets,
                f"grid.provided.{name}.dataset must name one of grid.datasets {list(self.datasets)}, "
                f"got {table.dataset!r}",
            )
            check(
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
        # numpy's and scikit-learn's seeds stop at 2**32 - 1; the copy guard's rounds (seed + k) and arf's
        # (seed + round) add to it
        headroom = max(self.sample.max_rejection_rounds, self.generator.arf.max_iters, 1)
        check(
            0 <= self.seed <= SEED_MAX - headroom,
            f"seed must be an integer from 0 to {SEED_MAX - headroom} (numpy and scikit-learn take seeds up "
            f"to 2**32 - 1 = {SEED_MAX}, and up to {headroom} rounds of sample.max_rejection_rounds or "
            f"generator.arf.max_iters add to it), got {self.seed}",
        )
        check(bool(self.target), "target must name a column of the input table")

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
