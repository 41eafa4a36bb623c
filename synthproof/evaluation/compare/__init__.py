"""Model comparison, AutoML style: a leaderboard of classifiers (or, for a numeric target, regressors)
cross-validated on one table, the best of them refit and scored on real rows (train-synthetic-test-real
against train-real-test-real).

The zoo is PyCaret's turbo list, from scikit-learn and LightGBM, and the leaderboard follows PyCaret's
``compare_models`` conventions: Accuracy, AUC (one-vs-rest, weighted, for multiclass; empty for a model
without probabilities), Recall, Prec. and F1 (weighted averages), Kappa, MCC, and TT (Sec), the mean fit
seconds per fold (which varies from run to run: the stages write it to their cost files, not with the
results). A model that fails is reported as failed, not fatal. A regression leaderboard has
PyCaret's regression columns (MAE, MSE, RMSE, R2, RMSLE, MAPE, TT (Sec)), cross-validated by k-fold, and
its splits are stratified on quantile bins of the target.

Preprocessing is fitted inside each fold on the fold's training rows only, once per fold and shared by
the models: numerics imputed by their mean, categoricals by a constant (``missing``), then one-hot
encoded (the 25 most frequent categories kept) for the models that need numbers with a meaning, or
ordinal-encoded for the tree models, which split on codes as well as on indicator columns and run several
times faster on 14 columns than on 100. With ``normalize`` (PyCaret's ``setup(normalize=True)``; off by
default, as in PyCaret), the scale-sensitive models get standardised inputs.

One module a step, each importing only those above it: ``features``, ``scores`` and ``settings``
(what every step shares, given once), then
``leaderboard`` (cross-validation), ``refit`` (the holdout scores), ``reference`` (train-real-test-real),
``comparison`` (train-synthetic-test-real beside it) and ``tables`` (plot data and details).
"""

from synthproof.evaluation.compare.comparison import Comparison, compare
from synthproof.evaluation.compare.features import features, preprocessor, target_type
from synthproof.evaluation.compare.leaderboard import fit_seconds, leaderboard, within_budget
from synthproof.evaluation.compare.reference import RealReference, real_reference
from synthproof.evaluation.compare.refit import PredictionTask, Refit, holdout_intervals, refit_and_score
from synthproof.evaluation.compare.scores import regression_scores, scores
from synthproof.evaluation.compare.settings import CompareSettings
from synthproof.evaluation.compare.tables import (
    leaderboards_table,
    prediction_points,
    refit_table,
    roc_points,
)

__all__ = [
    "CompareSettings",
    "Comparison",
    "PredictionTask",
    "RealReference",
    "Refit",
    "compare",
    "features",
    "fit_seconds",
    "holdout_intervals",
    "leaderboard",
    "leaderboards_table",
    "prediction_points",
    "preprocessor",
    "real_reference",
    "refit_and_score",
    "refit_table",
    "regression_scores",
    "roc_points",
    "scores",
    "target_type",
    "within_budget",
]
