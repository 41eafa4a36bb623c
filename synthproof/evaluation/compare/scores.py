"""One set of predictions scored on PyCaret's leaderboard columns (classification and regression)."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    f1_score,
    matthews_corrcoef,
    mean_absolute_error,
    mean_squared_error,
    mean_squared_log_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)

from synthproof.evaluation.zoo import PROBLEMS
from synthproof.tasks import REGRESSION


def scores(
    truth: np.ndarray, predicted: np.ndarray, probability: np.ndarray | None, classes: np.ndarray
) -> dict:
    """PyCaret's leaderboard metrics for one set of predictions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = {
            "Accuracy": accuracy_score(truth, predicted),
            "AUC": roc_auc_of(truth, probability, classes),
            "Recall": recall_score(truth, predicted, average="weighted", zero_division=0),
            "Prec.": precision_score(truth, predicted, average="weighted", zero_division=0),
            "F1": f1_score(truth, predicted, average="weighted", zero_division=0),
            "Kappa": cohen_kappa_score(truth, predicted),
            "MCC": matthews_corrcoef(truth, predicted),
        }
    return {key: float(value) for key, value in row.items()}


def regression_scores(truth: np.ndarray, predicted: np.ndarray) -> dict:
    """PyCaret's regression leaderboard metrics for one set of predictions: RMSLE on absolute values
    and MAPE over the rows whose truth is not 0, as PyCaret computes them."""
    truth, predicted = np.asarray(truth, dtype=float), np.asarray(predicted, dtype=float)
    nonzero = truth != 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if not np.isfinite(predicted).all():  # a diverged model: no score (NaN), not an exception
            return dict.fromkeys(PROBLEMS[REGRESSION].score_columns, np.nan)
        row = {
            "MAE": mean_absolute_error(truth, predicted),
            "MSE": mean_squared_error(truth, predicted),
            "RMSE": np.sqrt(mean_squared_error(truth, predicted)),
            "R2": r2_score(truth, predicted),
            "RMSLE": np.sqrt(mean_squared_log_error(np.abs(truth), np.abs(predicted))),
            "MAPE": (
                np.mean(np.abs(predicted - truth)[nonzero] / np.abs(truth[nonzero]))
                if nonzero.any()
                else np.nan
            ),
        }
    return {key: float(value) if np.isfinite(value) else np.nan for key, value in row.items()}


def roc_auc_of(truth: np.ndarray, probability: np.ndarray | None, classes: np.ndarray) -> float:
    """Binary AUC, or one-vs-rest weighted AUC over the classes present in ``truth``. Rows of a class
    the model never saw (a rare class that fell in the holdout alone) have no probability to rank: the
    AUC is over the other rows (their accuracy counts them wrong)."""
    known = np.isin(truth, classes)
    truth = truth[known]
    present = classes[np.isin(classes, np.unique(truth))]
    if probability is None or len(present) < 2:
        return float("nan")
    share = probability[known][:, np.searchsorted(classes, present)]
    total = share.sum(axis=1, keepdims=True)
    share = np.divide(share, total, out=np.full_like(share, 1 / len(present)), where=total > 0)
    if len(present) == 2:
        return roc_auc_score(truth == present[1], share[:, 1])
    return roc_auc_score(truth, share, multi_class="ovr", average="weighted", labels=present)


def mcc_of_confusion(confusion: np.ndarray) -> float:
    """Matthews correlation from a confusion matrix (rows: truth), as scikit-learn computes it."""
    n = confusion.sum()
    truth, predicted = confusion.sum(axis=1), confusion.sum(axis=0)
    covariance = np.trace(confusion) * n - truth @ predicted
    spread = np.sqrt(float(n**2 - truth @ truth) * float(n**2 - predicted @ predicted))
    return float(covariance / spread) if spread else 0.0
