"""The chosen models refitted on a whole training table and scored on the real holdout, with the holdout
scores' bootstrap intervals."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline

from synthproof.evaluation.compare.features import features, preprocessor
from synthproof.evaluation.compare.leaderboard import (
    encoding_view,
    predictions_of,
    truth_labels,
    within_budget,
)
from synthproof.evaluation.compare.scores import mcc_of_confusion, regression_scores, roc_auc_of, scores
from synthproof.evaluation.compare.settings import CompareSettings
from synthproof.evaluation.uncertainty import paired_bootstrap, rank_auc
from synthproof.evaluation.zoo import PROBLEMS
from synthproof.tasks import CLASSIFICATION, REGRESSION


@dataclass
class Refit:
    """A model refit on a whole training table, scored on real test rows."""

    model_id: str
    trained_on: str  # synthetic | real
    tables: dict[str, dict]  # scored-on name -> scores
    holdout_truth: np.ndarray
    holdout_predicted: np.ndarray
    holdout_probability: np.ndarray | None
    classes: np.ndarray  # empty for regression
    fit_rows: int | None = None  # the rows it was fit on (a model's own budget can hold fewer)

    @property
    def label(self) -> str:
        """``trained_on:model``, the name it goes by in the metrics and the ROC curves."""
        return f"{self.trained_on}:{self.model_id}"

    @property
    def task(self) -> str:
        """Regression for a model without classes, else classification."""
        return REGRESSION if len(self.classes) == 0 else CLASSIFICATION

    @property
    def never_predicted(self) -> list[str]:
        """The holdout's classes this model predicts for none of its rows (none for regression)."""
        if self.task == REGRESSION:
            return []
        return sorted(set(self.holdout_truth) - set(self.holdout_predicted))


@dataclass(frozen=True)
class PredictionTask:
    """What is predicted from what, the same for every refit: the target, the feature columns by kind,
    every class either table holds (none for regression), the models' seed and whether scale-sensitive
    models are normalised."""

    target: str
    categorical: list[str]
    numeric: list[str]
    classes: np.ndarray
    seed: int = 0
    normalize: bool = False
    threads: int = 1  # a refit's, for the models whose fit is the same on any number (ZooEntry.parallel)
    kind: str = CLASSIFICATION  # what the target is learnt as

    @classmethod
    def of(cls, target: str, categorical, numeric, classes, settings: CompareSettings) -> PredictionTask:
        """The task a comparison's ``settings`` set for ``target``."""
        return cls(target, categorical, numeric, classes, settings.seed, settings.normalize,
                   settings.threads, settings.task)  # fmt: skip


def refit_and_score(
    model_id: str, trained_on: str, train: pd.DataFrame, tests: dict[str, pd.DataFrame], task: PredictionTask
) -> Refit:
    """Fit ``model_id`` (with its preprocessing) on all of ``train``; score it on each of ``tests``
    (which holds a ``holdout`` table, whose predictions are kept for the plots)."""
    problem = PROBLEMS[task.kind]
    entry = problem.models[model_id]
    transform = preprocessor(
        task.categorical, task.numeric, *encoding_view(model_id, task.normalize, problem)
    )
    pipeline = make_pipeline(transform, entry.make(task.seed, task.threads))
    train = within_budget(train, task.target, entry.max_fit_rows, task.seed, task.kind)
    x, *tested = features([train, *tests.values()], task.categorical, task.numeric)  # one category set
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.fit(x, truth_labels(train[task.target], task.kind))
    tables, kept = {}, {}
    classes = None if task.kind == REGRESSION else task.classes
    for (name, test), x in zip(tests.items(), tested, strict=True):
        truth = truth_labels(test[task.target], task.kind)
        predicted, probability = predictions_of(pipeline, entry, x, classes)
        if task.kind == REGRESSION:
            tables[name] = regression_scores(truth, predicted)
        else:
            tables[name] = scores(truth, predicted, probability, task.classes)
        kept[name] = (truth, predicted, probability)
    return Refit(model_id, trained_on, tables, *kept["holdout"], task.classes, fit_rows=len(train))


def holdout_intervals(
    tstr: Refit, trtr: Refit, seed: int, rounds: int = 400
) -> dict[str, tuple[float, float]]:
    """95% intervals of TSTR and TRTR accuracy, AUC and MCC on the holdout and of their ratios: a
    bootstrap over the holdout rows, both models scored on the same resample each round."""
    truth = tstr.holdout_truth
    classes = tstr.classes
    k = len(classes)
    # a holdout class neither model saw (a rare class in the holdout alone) is a row of its own in the
    # confusion matrix, never predicted: those rows count as wrong, as scikit-learn's scorers count them
    known = np.isin(truth, classes)
    truth_index = np.where(known, np.searchsorted(classes, truth), k)
    # per side, each holdout row's cell of the confusion matrix: accuracy and MCC of a resample are then
    # one bincount (scikit-learn's scorers, called 2,400 times, took 20 s on census's 9,768 rows)
    cells = {
        side: truth_index * (k + 1) + np.searchsorted(classes, refit.holdout_predicted)
        for side, refit in (("tstr", tstr), ("trtr", trtr))
    }

    def figures(rows: np.ndarray) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for side, refit in (("tstr", tstr), ("trtr", trtr)):
            confusion = np.bincount(cells[side][rows], minlength=(k + 1) ** 2).reshape(k + 1, k + 1)
            probability = None if refit.holdout_probability is None else refit.holdout_probability[rows]
            out[f"{side}_accuracy"] = np.trace(confusion) / len(rows)
            out[f"{side}_mcc"] = mcc_of_confusion(confusion)
            if probability is not None and k == 2:  # the binary AUC roc_auc_of gives, by ranks
                scored = known[rows]
                out[f"{side}_auc"] = rank_auc(truth[rows][scored] == classes[1], probability[scored, 1])
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    out[f"{side}_auc"] = roc_auc_of(truth[rows], probability, classes)
        for name in ("accuracy", "auc", "mcc"):
            real = out[f"trtr_{name}"]
            out[f"ratio_{name}"] = out[f"tstr_{name}"] / real if real else None
        return out

    return paired_bootstrap(figures, len(truth), seed, rounds)


def regression_intervals(
    tstr: Refit, trtr: Refit, seed: int, rounds: int = 400
) -> dict[str, tuple[float, float]]:
    """95% intervals of TSTR and TRTR R2, RMSE and MAE on the holdout and of their ratios (TSTR / TRTR):
    a bootstrap over the holdout rows, both models scored on the same resample each round."""
    truth = tstr.holdout_truth.astype(float)
    errors = {
        side: refit.holdout_predicted.astype(float) - truth
        for side, refit in (("tstr", tstr), ("trtr", trtr))
    }

    def figures(rows: np.ndarray) -> dict[str, float | None]:
        spread = np.sum((truth[rows] - truth[rows].mean()) ** 2)
        out: dict[str, float | None] = {}
        for side, error in errors.items():
            squared = np.sum(error[rows] ** 2)
            out[f"{side}_r2"] = 1 - squared / spread if spread else None
            out[f"{side}_rmse"] = float(np.sqrt(squared / len(rows)))
            out[f"{side}_mae"] = float(np.mean(np.abs(error[rows])))
        for name in PROBLEMS[REGRESSION].headline_scores.values():
            real, synthetic = out[f"trtr_{name}"], out[f"tstr_{name}"]
            out[f"ratio_{name}"] = synthetic / real if real and synthetic is not None else None
        return out

    return paired_bootstrap(figures, len(truth), seed, rounds)
