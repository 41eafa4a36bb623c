"""The two task kinds (what ingest decides a target is) and the names each one's leaderboard uses: the one
home of the model ids, PyCaret's leaderboard columns, the sort keys and the headline scores.

Names only, no estimator: ``synthproof.config`` validates ``compare.*`` against these, and
``synthproof.evaluation.zoo`` (which holds each model's class and options) must list the very same ids,
so that editing a model's options makes only the stages that fit models stale.
"""

from __future__ import annotations

from dataclasses import dataclass

CLASSIFICATION, REGRESSION = "classification", "regression"  # the tasks (ingest.target_type decides)
# PyCaret's last leaderboard column, the mean fit seconds per fold: it varies from run to run, so it lives in
# the cost files (paths.cost.compare, .score_real), never in a result file (score_columns has every other)
FIT_SECONDS = "TT (Sec)"


@dataclass(frozen=True)
class TaskKind:
    """A task's names: its model ids (PyCaret's turbo list, in PyCaret's order), its leaderboard columns
    (the model's name, the scores, the mean fit seconds per fold), the columns where higher is better,
    the params keys that choose the models and the sort column, and the holdout scores of the headline
    (leaderboard column -> metric name: ``tstr_<name>``, ``trtr_<name>``, ``ratio_<name>``)."""

    name: str
    model_ids: tuple[str, ...]
    leaderboard_columns: tuple[str, ...]
    higher_is_better: frozenset[str]
    models_key: str  # compare.<this>: the model ids
    sort_key: str  # compare.<this>: the leaderboard column to sort on
    default_sort: str  # what compare.<sort_key> is by default
    headline_scores: dict[str, str]

    @property
    def score_columns(self) -> list[str]:
        """What one set of predictions is scored on: the leaderboard's columns that results hold (all but
        the model's name and :data:`FIT_SECONDS`)."""
        return list(self.leaderboard_columns[1:-1])

    @property
    def sortable_columns(self) -> list[str]:
        """What the sort key may name."""
        return list(self.leaderboard_columns[1:])

    def ascending(self, column: str) -> bool:
        """Whether a leaderboard sorted on ``column`` puts the smallest value first."""
        return column not in self.higher_is_better


_CLASSIFIER_COLUMNS = ("Model", "Accuracy", "AUC", "Recall", "Prec.", "F1", "Kappa", "MCC", FIT_SECONDS)
TASKS: dict[str, TaskKind] = {
    CLASSIFICATION: TaskKind(
        CLASSIFICATION,
        ("lr", "knn", "nb", "dt", "svm", "ridge", "rf", "qda", "ada", "gbc", "lda", "et", "lightgbm",
         "dummy"),
        _CLASSIFIER_COLUMNS,
        frozenset(_CLASSIFIER_COLUMNS[1:-1]),
        "models",
        "sort",
        "Accuracy",
        {"Accuracy": "accuracy", "AUC": "auc", "F1": "f1", "MCC": "mcc"},
    ),
    # every error column is lower-is-better
    REGRESSION: TaskKind(
        REGRESSION,
        ("lr", "lasso", "ridge", "en", "lar", "llar", "omp", "br", "par", "huber", "knn", "dt", "rf", "et",
         "ada", "gbr", "lightgbm", "dummy"),
        ("Model", "MAE", "MSE", "RMSE", "R2", "RMSLE", "MAPE", FIT_SECONDS),
        frozenset({"R2"}),
        "regression_models",
        "regression_sort",
        "R2",
        {"R2": "r2", "RMSE": "rmse", "MAE": "mae"},
    ),
}  # fmt: skip
