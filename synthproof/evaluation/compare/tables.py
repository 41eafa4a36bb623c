"""The comparison as plot data and detail tables: ROC points, predicted against actual values, both
leaderboards and the refits."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import (
    roc_auc_score,
    roc_curve,
)

from synthproof.evaluation.compare.comparison import Comparison
from synthproof.evaluation.compare.refit import Refit
from synthproof.tasks import FIT_SECONDS, REGRESSION

ROC_COLUMNS = ["model", "trained_on", "model_id", "class", "auc", "support", "fpr", "tpr"]


PREDICTION_COLUMNS = ["model", "trained_on", "model_id", "actual", "predicted", "residual", "r2", "rmse"]


def roc_points(refits: list[Refit]) -> pd.DataFrame:
    """ROC points on the holdout of each refit model with probabilities, labelled ``trained_on:model``,
    each curve with its AUC and its positive rows (``support``): for a binary target one curve (the
    second class positive); for multiclass one one-vs-rest curve per class (``trained_on:model: class``),
    whose support-weighted mean AUC is the headline's."""
    frames = []
    for refit in refits:
        if refit.holdout_probability is None:
            continue
        binary = len(refit.classes) == 2
        positives = [refit.classes[1]] if binary else refit.classes
        for position, positive in enumerate(positives, start=1 if binary else 0):
            truth = refit.holdout_truth == positive
            if truth.all() or not truth.any():
                continue  # a class the holdout lacks (or holds alone) has no curve
            score = refit.holdout_probability[:, position]
            fpr, tpr, _ = roc_curve(truth, score)
            keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), 200)).astype(int))  # <= 200 points
            frames.append(
                pd.DataFrame(
                    {
                        "model": refit.label if binary else f"{refit.label}: {positive}",
                        "trained_on": refit.trained_on,
                        "model_id": refit.model_id,
                        "class": positive,
                        "auc": round(float(roc_auc_score(truth, score)), 4),
                        "support": int(truth.sum()),
                        "fpr": fpr[keep].round(5),
                        "tpr": tpr[keep].round(5),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ROC_COLUMNS)


def prediction_points(refits: list[Refit]) -> pd.DataFrame:
    """Each regression refit's holdout rows (actual, predicted, residual = predicted - actual), labelled
    ``trained_on:model``, with its holdout R2 and RMSE; no rows for classification refits."""
    frames = [
        pd.DataFrame(
            {
                "model": refit.label,
                "trained_on": refit.trained_on,
                "model_id": refit.model_id,
                "actual": refit.holdout_truth,
                "predicted": refit.holdout_predicted,
                "residual": refit.holdout_predicted - refit.holdout_truth,
                "r2": refit.tables["holdout"]["R2"],
                "rmse": refit.tables["holdout"]["RMSE"],
            }
        )
        for refit in refits
        if refit.task == REGRESSION
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PREDICTION_COLUMNS)


def leaderboards_table(comparison: Comparison) -> pd.DataFrame:
    """Both leaderboards in one table: ``entry`` ("lr (synthetic)", one bar each in DVC's plot) and
    ``trained_on`` first; without the fit seconds (``TT (Sec)``), which the stages' cost files hold."""
    boards = [
        board.drop(columns=["failed"]).assign(trained_on=name, entry=board["id"] + f" ({name})")
        for name, board in (("synthetic", comparison.synthetic_board), ("real", comparison.real_board))
    ]
    table = pd.concat(boards, ignore_index=True)
    table["score"] = table[comparison.sort]  # the sorted column, DVC's bar plot's x for either task
    table = table.drop(columns=[FIT_SECONDS], errors="ignore")  # run to run: the cost file has it
    first = ["entry", "trained_on"]
    return table[[*first, *[c for c in table.columns if c not in first]]].round(4)


def refit_table(comparison: Comparison) -> pd.DataFrame:
    """The post's table: each refit model, where it was trained, where it was scored, and its scores."""
    rows = [
        {
            "model": comparison.problem.models[refit.model_id].name,
            "trained_on": refit.trained_on,
            "scored_on": where,
            **table,
        }
        for refit in [*comparison.best_synthetic, comparison.best_real]
        for where, table in refit.tables.items()
    ]
    return pd.DataFrame(rows).round(4)
