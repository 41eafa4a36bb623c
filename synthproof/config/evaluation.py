"""The sections of the evaluation stages (sample, discriminate, fidelity, privacy, compare), where they
run (compute) and what the gate requires."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

from synthproof.config.checks import check, check_row_budget
from synthproof.tasks import CLASSIFICATION, REGRESSION, TASKS


@dataclass(frozen=True)
class SampleParams:
    rows: int | None = None
    reject_copies: bool = False
    max_rejection_rounds: int = 10

    def __post_init__(self):
        if self.rows is not None:
            check(self.rows >= 1, "sample.rows must be >= 1 or null (as many as the training part)")
        check(self.max_rejection_rounds >= 1, "sample.max_rejection_rounds must be >= 1")


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
        check(0 < self.holdout_fraction < 1, "discriminate.holdout_fraction must be between 0 and 1")
        check_row_budget(self.max_rows, "discriminate.max_rows")
        check(self.early_stopping_rounds >= 1, "discriminate.early_stopping_rounds must be >= 1")
        check(self.n_examples >= 1, "discriminate.n_examples must be >= 1")
        check(
            0.5 < self.linked_min_consistency <= 1,
            "discriminate.linked_min_consistency must be in (0.5, 1]",
        )
        check(self.linked_max_categories >= 2, "discriminate.linked_max_categories must be >= 2")


@dataclass(frozen=True)
class MarginalAccuracyParams:
    bins: int = 10
    max_triples: int = 10_000
    max_rows: int | None = 50_000
    rounds: int = 50

    def __post_init__(self):
        check(self.bins >= 2, "fidelity.accuracy.bins must be >= 2")
        check(self.max_triples >= 0, "fidelity.accuracy.max_triples must be >= 0")
        check_row_budget(self.max_rows, "fidelity.accuracy.max_rows")
        check(self.rounds >= 10, "fidelity.accuracy.rounds must be >= 10")


@dataclass(frozen=True)
class CoverageParams:
    max_rows: int | None = 10_000
    max_real_rows: int | None = 40_000

    def __post_init__(self):
        check_row_budget(self.max_rows, "fidelity.coverage.max_rows")
        check_row_budget(self.max_real_rows, "fidelity.coverage.max_real_rows")


@dataclass(frozen=True)
class FidelityParams:
    bins: int = 10
    correlation: Literal["pearson", "spearman"] = "pearson"
    coverage: CoverageParams = field(default_factory=CoverageParams)
    accuracy: MarginalAccuracyParams = field(default_factory=MarginalAccuracyParams)

    def __post_init__(self):
        check(self.bins >= 2, "fidelity.bins must be >= 2")


@dataclass(frozen=True)
class SinglingOutParams:
    n_cols: int = 3
    max_attempts: int = 500_000

    def __post_init__(self):
        check(self.n_cols >= 1, "privacy.singling_out.n_cols must be >= 1")
        check(self.max_attempts >= 1, "privacy.singling_out.max_attempts must be >= 1")


@dataclass(frozen=True)
class LinkabilityParams:
    aux_columns: list[list[str]] | None = None
    n_neighbors: int = 10

    def __post_init__(self):
        if self.aux_columns is not None:
            check(
                len(self.aux_columns) == 2 and all(self.aux_columns),
                "privacy.linkability.aux_columns must be two non-empty lists of columns, or null",
            )
        check(self.n_neighbors >= 1, "privacy.linkability.n_neighbors must be >= 1")


@dataclass(frozen=True)
class InferenceParams:
    secrets: list[str] | None = None
    tolerance: float = 0.05
    max_control_rate: float = 0.95
    shown: int = 5

    def __post_init__(self):
        if self.secrets is not None:
            check(bool(self.secrets), "privacy.inference.secrets must list columns, or be null")
        check(0 <= self.tolerance < 1, "privacy.inference.tolerance must be in [0, 1)")
        check(self.shown >= 1, "privacy.inference.shown must be >= 1")
        check(0 < self.max_control_rate <= 1, "privacy.inference.max_control_rate must be in (0, 1]")


@dataclass(frozen=True)
class MembershipParams:
    n_targets: int | None = 5000
    k: int = 1

    def __post_init__(self):
        if self.n_targets is not None:
            check(self.n_targets >= 10, "privacy.membership.n_targets must be >= 10 or null")
        check(self.k >= 1, "privacy.membership.k must be >= 1")


@dataclass(frozen=True)
class DCRParams:
    max_rows: int | None = 40_000
    near_quantile: float = 0.01

    def __post_init__(self):
        check_row_budget(self.max_rows, "privacy.dcr.max_rows")
        check(0 < self.near_quantile < 0.5, "privacy.dcr.near_quantile must be in (0, 0.5)")


@dataclass(frozen=True)
class PrivacyParams:
    dcr: DCRParams = field(default_factory=DCRParams)
    n_attacks: int = 2000
    n_targets: int | None = 10000
    singling_out: SinglingOutParams = field(default_factory=SinglingOutParams)
    linkability: LinkabilityParams = field(default_factory=LinkabilityParams)
    inference: InferenceParams = field(default_factory=InferenceParams)
    membership: MembershipParams = field(default_factory=MembershipParams)

    def __post_init__(self):
        check(self.n_attacks >= 10, "privacy.n_attacks must be >= 10")
        if self.n_targets is not None:
            check(self.n_targets >= 10, "privacy.n_targets must be >= 10 or null")


@dataclass(frozen=True)
class CompareParams:
    models: list[str] = field(default_factory=lambda: list(TASKS[CLASSIFICATION].model_ids))
    regression_models: list[str] = field(default_factory=lambda: list(TASKS[REGRESSION].model_ids))
    folds: int = 10
    sort: str = TASKS[CLASSIFICATION].default_sort
    regression_sort: str = TASKS[REGRESSION].default_sort
    n_select: int = 1
    test_fraction: float = 0.2
    n_jobs: int = 2
    normalize: bool = False
    max_rows: int | None = 32000

    def __post_init__(self):
        for problem in TASKS.values():
            models, sort = getattr(self, problem.models_key), getattr(self, problem.sort_key)
            unknown = [m for m in models if m not in problem.model_ids]
            check(
                bool(models) and not unknown,
                f"compare.{problem.models_key}: unknown ids {unknown}; choose from {list(problem.model_ids)}",
            )
            check(
                sort in problem.sortable_columns,
                f"compare.{problem.sort_key} must be one of {problem.sortable_columns}",
            )
            check(
                1 <= self.n_select <= len(models),
                f"compare.n_select must be between 1 and the {len(models)} compare.{problem.models_key}",
            )
        check(self.folds >= 2, "compare.folds must be >= 2")
        check(0 < self.test_fraction < 1, "compare.test_fraction must be between 0 and 1")
        check(self.n_jobs >= 1, "compare.n_jobs must be >= 1")
        if self.max_rows is not None:
            check(
                self.max_rows >= 2 * self.folds,
                "compare.max_rows must be at least 2 x compare.folds, or null",
            )


@dataclass(frozen=True)
class ComputeParams:
    """Where the compare stage's (model, fold) fits run, and how many threads the evaluation stages use;
    no stage lists it as a DVC param (neither changes a result)."""

    backend: Literal["loky", "dask", "ray"] = "loky"
    address: str | None = None
    threads: int | Literal["auto"] = "auto"

    def __post_init__(self):
        check(
            self.threads == "auto" or (isinstance(self.threads, int) and self.threads >= 1),
            f"compute.threads must be auto or an integer >= 1, got {self.threads!r}",
        )
        check(
            self.backend == "loky" or bool(self.address),
            f"compute.backend {self.backend} needs compute.address (the scheduler or cluster to use)",
        )


@dataclass(frozen=True)
class GateParams:
    """Thresholds for ``python -m synthproof.gate``; null skips one."""

    max_auc_above_floor: float | None = 0.2
    max_unseen_pair_share_above_holdout: float | None = 0.05
    min_ratio_accuracy: float | None = 0.9
    min_ratio_mcc: float | None = 0.5
    min_ratio_r2: float | None = 0.8
    max_ratio_accuracy: float | None = 1.05
    max_dcr_share: float | None = 0.6
    min_dcr_share: float | None = 0.4
    max_exact_copy_share_above_holdout: float | None = 0.005
    max_near_copy_share_above_holdout: float | None = 0.005
    max_singling_out_risk: float | None = 0.1
    max_singling_out_univariate_risk: float | None = 0.1
    max_linkability_risk: float | None = 0.1
    max_inference_risk: float | None = 0.2
    max_membership_auc: float | None = 0.6
    max_epsilon: float | None = None

    def __post_init__(self):
        check(self.max_epsilon is None or self.max_epsilon > 0, "gate.max_epsilon must be > 0, or null")
        for item in dataclasses.fields(self):
            key, value = item.name, getattr(self, item.name)
            if key == "max_epsilon":
                continue
            if "_ratio_" in key:  # a ratio to the real-trained model's figure: above 1 is a table beyond it
                check(value is None or value >= 0, f"gate.{key} must be >= 0, or null")
            else:
                check(value is None or 0 <= value <= 1, f"gate.{key} must be between 0 and 1, or null")
