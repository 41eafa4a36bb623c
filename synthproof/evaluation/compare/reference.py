"""Train-real-test-real, once per split: the real leaderboard and the refits that every synthetic table's
comparison is read against (``RealReference``, saved beside the split by score_real)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from synthproof.compute import release_local_workers
from synthproof.errors import SynthproofError
from synthproof.evaluation.compare.features import class_labels, feature_columns, target_type
from synthproof.evaluation.compare.leaderboard import count_steps, leaderboard, truth_labels, within_budget
from synthproof.evaluation.compare.refit import PredictionTask, Refit, refit_and_score
from synthproof.evaluation.compare.settings import CompareSettings
from synthproof.evaluation.zoo import PROBLEMS
from synthproof.progress import Silent
from synthproof.split import strata
from synthproof.tasks import CLASSIFICATION, FIT_SECONDS


def rounded(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def fit_test_split(
    frame: pd.DataFrame, target: str, fraction: float, seed: int, task: str = CLASSIFICATION
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An 80/20-style split, stratified where every class (quantile bin of a numeric target) has two rows
    (a generator can starve a class)."""
    labels = frame[target] if task == CLASSIFICATION else pd.Series(strata(frame[target], task))
    stratify = labels.to_numpy() if labels.value_counts().min() >= 2 else None
    fit, test = train_test_split(frame, test_size=fraction, random_state=seed, stratify=stratify)
    return fit.reset_index(drop=True), test.reset_index(drop=True)


@dataclass
class RealReference:
    """The train-real-test-real side of every comparison, which no generator changes: the leaderboard
    cross-validated on the real training part and its best model refit and scored on the real test part
    and the holdout. The ``score_real`` stage computes it once per split; ``compare`` reads it."""

    board: pd.DataFrame
    best: Refit
    rows: dict[str, int]  # real_train, real_test, holdout

    def to_dict(self) -> dict:
        """Everything but the holdout predictions (:meth:`holdout_predictions`), as JSON-ready values."""
        board = self.board.drop(columns=[FIT_SECONDS], errors="ignore")
        return {
            "task": self.best.task,
            # the scores, not the fit seconds: they vary from run to run (score_real's cost file has them)
            "board": board.astype(object).where(board.notna(), None).to_dict(orient="records"),
            "best": {"model_id": self.best.model_id, "tables": self.best.tables},
            "classes": self.best.classes.tolist(),
            "rows": self.rows,
        }

    def holdout_predictions(self) -> pd.DataFrame:
        """The best real-trained model's prediction and class probabilities for each holdout row."""
        columns = {"predicted": self.best.holdout_predicted}
        if self.best.holdout_probability is not None:
            for i in range(len(self.best.classes)):
                columns[f"probability_{i}"] = self.best.holdout_probability[:, i]
        return pd.DataFrame(columns)

    @classmethod
    def from_parts(
        cls, data: dict, predictions: pd.DataFrame, holdout: pd.DataFrame, target: str
    ) -> RealReference:
        """Rebuild what :meth:`to_dict` and :meth:`holdout_predictions` wrote (the truth is the holdout's)."""
        task = data["task"]
        classes = np.array(data["classes"], dtype=object).astype(str)
        probability_columns = [f"probability_{i}" for i in range(len(classes))]
        has_probability = task == CLASSIFICATION and all(c in predictions for c in probability_columns)
        board = pd.DataFrame(data["board"])
        for column in PROBLEMS[task].sortable_columns:  # TT (Sec) is not saved: empty
            board[column] = pd.to_numeric(board[column]) if column in board else np.nan
        best = Refit(
            model_id=data["best"]["model_id"],
            trained_on="real",
            tables=data["best"]["tables"],
            holdout_truth=truth_labels(holdout[target], task),
            holdout_predicted=truth_labels(predictions["predicted"], task),
            holdout_probability=predictions[probability_columns].to_numpy() if has_probability else None,
            classes=classes,
        )
        return cls(board, best, data["rows"])

    def check(self, models: list[str]) -> None:
        """Fail clearly when this reference was scored with another model list (a stale file)."""
        if sorted(self.board["id"]) != sorted(models):
            raise SynthproofError(
                f"the real-data reference was scored with compare.models {sorted(self.board['id'])}, not "
                f"{sorted(models)}: rerun the score_real stage (dvc repro)"
            )

    def with_classes(self, classes: np.ndarray) -> Refit:
        """The best real-trained model's refit, its probabilities spread over ``classes`` (a superset of
        its own: a class only the synthetic table holds gets probability 0)."""
        best = self.best
        if best.holdout_probability is None or np.array_equal(best.classes, classes):
            return dataclasses.replace(best, classes=classes)
        probability = np.zeros((len(best.holdout_probability), len(classes)))
        probability[:, np.searchsorted(classes, best.classes)] = best.holdout_probability
        return dataclasses.replace(best, holdout_probability=probability, classes=classes)


def real_reference(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    target: str,
    categorical: list[str],
    numeric: list[str],
    settings: CompareSettings,
    progress=None,
    release_workers: bool = False,
) -> RealReference:
    """The real-trained leaderboard (cross-validated on a stratified sample of at most the settings'
    ``max_rows`` rows) and its best model refit on every row and scored: train-real-test-real.
    ``release_workers``: stop joblib's local workers before the refit (:func:`release_local_workers`)."""
    problem, task, seed = settings.problem, settings.task, settings.seed
    categorical, numeric = feature_columns(target, categorical, numeric)
    target_type(train[target], task)
    classes = class_labels(train[target], task)
    real_fit, real_test = fit_test_split(train, target, settings.test_fraction, seed, task)
    cross_validated = within_budget(real_fit, target, settings.max_rows, seed, task)
    progress = Silent() if progress is None else progress
    count_steps(progress, cross_validated, target, settings, refits=1)
    board = leaderboard(cross_validated, target, categorical, numeric, settings, progress)
    if release_workers:
        release_local_workers()
    best = best_models(board, 1)
    if not best:
        raise SynthproofError(
            f"every model of compare.{problem.models_key} failed on real rows: see the leaderboard errors"
        )
    task = PredictionTask.of(target, categorical, numeric, classes, settings)
    progress.set_postfix_str(f"refit {best[0]}", refresh=False)
    refit = refit_and_score(best[0], "real", real_fit, {"real_test": real_test, "holdout": holdout}, task)
    progress.update(1)
    rows = {
        "real_train": len(real_fit),
        "real_cross_validated": len(cross_validated),
        "real_test": len(real_test),
        "holdout": len(holdout),
    }
    return RealReference(board, refit, rows)


def best_models(board: pd.DataFrame, n: int) -> list[str]:
    """The ids of the ``n`` best models that did not fail."""
    return board.loc[~board["failed"], "id"].head(n).tolist()
