"""How models are compared: the settings that every leaderboard, real reference and comparison of a run
shares, given once and checked once, as a generator's are (``params.yaml: compare`` for one task, with
the run's seed and threads)."""

from __future__ import annotations

from dataclasses import dataclass, field

from synthproof.errors import SynthproofError
from synthproof.evaluation.zoo import PROBLEMS, Problem
from synthproof.tasks import CLASSIFICATION, TASKS


@dataclass(frozen=True)
class CompareSettings:
    """``models``: zoo ids of ``task`` (classification or regression); ``folds``: cross-validation
    folds; ``sort``: the leaderboard column to rank on (None: the task's default); ``n_select``: best
    synthetic-trained models refit; ``test_fraction``: each table's share kept to test the refits;
    ``n_jobs``: parallel (model, fold) fits; ``normalize``: standardised inputs for scale-sensitive
    models; ``max_rows``: the most rows a leaderboard cross-validates on (None: every row); ``threads``:
    the refits' threads."""

    models: list[str] = field(default_factory=lambda: list(TASKS[CLASSIFICATION].model_ids))
    task: str = CLASSIFICATION
    folds: int = 10
    sort: str | None = None
    n_select: int = 1
    test_fraction: float = 0.2
    seed: int = 0
    n_jobs: int = 2
    normalize: bool = False
    max_rows: int | None = 32_000
    threads: int = 1

    def __post_init__(self):
        problem = self.problem
        object.__setattr__(self, "models", list(self.models))
        if self.sort is None:
            object.__setattr__(self, "sort", problem.default_sort)
        check_models(self.models, problem)
        if self.sort not in problem.sortable_columns:
            raise SynthproofError(
                f"compare.{problem.sort_key} {self.sort!r} is not a leaderboard column: choose one of "
                f"{problem.sortable_columns}"
            )

    @property
    def problem(self) -> Problem:
        """The task's names and zoo."""
        return PROBLEMS[self.task]

    @classmethod
    def for_run(cls, section, task: str, seed: int, threads: int) -> CompareSettings:
        """The settings ``params.yaml``'s compare ``section`` names for ``task``."""
        problem = TASKS[task]
        return cls(
            models=getattr(section, problem.models_key),
            task=task,
            folds=section.folds,
            sort=getattr(section, problem.sort_key),
            n_select=section.n_select,
            test_fraction=section.test_fraction,
            seed=seed,
            n_jobs=section.n_jobs,
            normalize=section.normalize,
            max_rows=section.max_rows,
            threads=threads,
        )


def check_models(models: list[str], problem: Problem = PROBLEMS[CLASSIFICATION]) -> None:
    key = f"compare.{problem.models_key}"
    unknown = [m for m in models if m not in problem.models]
    if unknown or not models:
        raise SynthproofError(
            f"{key} has unknown ids {unknown}: choose from {sorted(problem.models)}"
            if unknown
            else f"{key} is empty: name at least one model"
        )
