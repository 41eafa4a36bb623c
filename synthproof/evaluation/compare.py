"""Model comparison, AutoML style: a leaderboard of classifiers (or, for a numeric target, regressors)
cross-validated on one table, the best of them refit and scored on real rows (train-synthetic-test-real
against train-real-test-real).

The zoo is PyCaret's turbo list, from scikit-learn and LightGBM, and the leaderboard follows PyCaret's
``compare_models`` conventions: Accuracy, AUC (one-vs-rest, weighted, for multiclass; empty for a model
without probabilities), Recall, Prec. and F1 (weighted averages), Kappa, MCC, and TT (Sec), the mean fit
seconds per fold. A model that fails is reported as failed, not fatal. A regression leaderboard has
PyCaret's regression columns (MAE, MSE, RMSE, R2, RMSLE, MAPE, TT (Sec)), cross-validated by k-fold, and
its splits are stratified on quantile bins of the target.

Preprocessing is fitted inside each fold on the fold's training rows only, once per fold and shared by
the models: numerics imputed by their mean, categoricals by a constant (``missing``), then one-hot
encoded (the 25 most frequent categories kept) for the models that need numbers with a meaning, or
ordinal-encoded for the tree models, which split on codes as well as on indicator columns and run several
times faster on 14 columns than on 100. With ``normalize`` (PyCaret's ``setup(normalize=True)``; off by
default, as in PyCaret), the scale-sensitive models get standardised inputs.
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from joblib.externals.loky import get_reusable_executor
from joblib.parallel import get_active_backend
from scipy.sparse import issparse
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
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
    roc_curve,
)
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from synthproof.errors import SynthproofError
from synthproof.evaluation.uncertainty import interval_metrics, paired_bootstrap, rank_auc
from synthproof.evaluation.values import as_float, as_text, sorted_categories
from synthproof.evaluation.zoo import CLASSIFICATION, PROBLEMS, REGRESSION, Problem, ZooEntry
from synthproof.progress import Silent
from synthproof.split import strata

MAX_ONE_HOT = 25
MISSING_CATEGORY = "missing"  # a missing categorical value is a category of its own, as PyCaret imputes it
# The holdout scores of the headline (leaderboard column -> metric name: tstr_<name>, trtr_<name>,
# ratio_<name> = TSTR / TRTR), per task.
HEADLINE_SCORES = {
    CLASSIFICATION: {"Accuracy": "accuracy", "AUC": "auc", "F1": "f1", "MCC": "mcc"},
    REGRESSION: {"R2": "r2", "RMSE": "rmse", "MAE": "mae"},
}
ROC_COLUMNS = ["model", "trained_on", "model_id", "class", "auc", "support", "fpr", "tpr"]
PREDICTION_COLUMNS = ["model", "trained_on", "model_id", "actual", "predicted", "residual", "r2", "rmse"]
LAZY_BACKENDS = {"LokyBackend", "SequentialBackend", "MultiprocessingBackend", "ThreadingBackend"}


def target_type(target: pd.Series, task: str = CLASSIFICATION) -> str:
    """``regression``, or ``binary`` or ``multiclass``, as PyCaret decides: by the number of distinct
    target values."""
    if task == REGRESSION:
        return REGRESSION
    classes = target.dropna().nunique()
    if classes < 2:
        raise SynthproofError(f"target {target.name!r} has fewer than two classes: nothing to classify")
    return "binary" if classes == 2 else "multiclass"


def preprocessor(
    categorical: list[str], numeric: list[str], tree: bool, scaled: bool, sparse: bool = False
) -> ColumnTransformer:
    """Imputation, then ordinal codes (``tree``) or one-hot columns for categoricals (a sparse matrix
    when ``sparse`` and the table is mostly indicators), and standardisation when ``scaled``: to fit on
    one fold."""
    numeric_steps = [SimpleImputer(strategy="mean")] + ([StandardScaler()] if scaled else [])
    encoder = (  # on the codes of features(): the very columns, in the same order, that text would give
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, dtype=np.float32)
        if tree
        else OneHotEncoder(
            handle_unknown="infrequent_if_exist", max_categories=MAX_ONE_HOT, sparse_output=sparse
        )
    )
    categorical_steps = [encoder] + ([StandardScaler()] if scaled else [])
    return ColumnTransformer(
        [
            ("numeric", make_pipeline(*numeric_steps), numeric),
            ("categorical", make_pipeline(*categorical_steps), categorical),
        ],
        sparse_threshold=0.3,  # sparse output only where under 30% of the cells are non-zero
    )


def features(frames: list[pd.DataFrame], categorical: list[str], numeric: list[str]) -> list[pd.DataFrame]:
    """Each of ``frames`` in the model's view: each categorical as the position of its text (missing as
    ``missing``) among the texts of every frame, numerics and datetimes as float (missing as NaN). The
    codes keep the texts' order, so that the encoders fitted on them build the columns text would,
    without scikit-learn's sorting and counting of text in Python (15 s to fit one on 192k rows)."""
    texts = [{name: as_text(frame[name], MISSING_CATEGORY) for name in categorical} for frame in frames]
    categories = {name: sorted_categories([text[name] for text in texts]) for name in categorical}
    return [
        pd.DataFrame(  # at once: a column at a time fragments a wide frame
            {
                **{
                    name: pd.Categorical(text[name], categories[name]).codes.astype(np.int64)
                    for name in categorical
                },
                **{name: as_float(frame[name]) for name in numeric},
            },
            index=frame.index,
        )
        for frame, text in zip(frames, texts, strict=True)
    ]


def scores(
    truth: np.ndarray, predicted: np.ndarray, probability: np.ndarray | None, classes: np.ndarray
) -> dict:
    """PyCaret's leaderboard metrics for one set of predictions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = {
            "Accuracy": accuracy_score(truth, predicted),
            "AUC": _auc(truth, probability, classes),
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


def _auc(truth: np.ndarray, probability: np.ndarray | None, classes: np.ndarray) -> float:
    """Binary AUC, or one-vs-rest weighted AUC over the classes present in ``truth``."""
    present = classes[np.isin(classes, np.unique(truth))]
    if probability is None or len(present) < 2:
        return float("nan")
    share = probability[:, np.searchsorted(classes, present)]
    total = share.sum(axis=1, keepdims=True)
    share = np.divide(share, total, out=np.full_like(share, 1 / len(present)), where=total > 0)
    if len(present) == 2:
        return roc_auc_score(truth == present[1], share[:, 1])
    return roc_auc_score(truth, share, multi_class="ovr", average="weighted", labels=present)


def budget_rows(labels: np.ndarray, max_rows: int | None, seed: int) -> np.ndarray:
    """Positions of a seeded sample of at most ``max_rows`` rows, stratified on ``labels`` where every
    class has two rows to split, in table order; every position when the table fits."""
    if max_rows is None or len(labels) <= max_rows:
        return np.arange(len(labels))
    counts = pd.Series(labels).value_counts()
    # scikit-learn stratifies when each class has two rows and each side room for every class
    room = min(max_rows, len(labels) - max_rows) >= len(counts)
    stratify = labels if counts.min() >= 2 and room else None
    kept, _ = train_test_split(
        np.arange(len(labels)), train_size=max_rows, random_state=seed, stratify=stratify
    )
    return np.sort(kept)


def within_budget(
    frame: pd.DataFrame, target: str, max_rows: int | None, seed: int, task: str = CLASSIFICATION
) -> pd.DataFrame:
    """``frame`` cut to :func:`budget_rows` (the rows a leaderboard cross-validates on), stratified on
    the target's :func:`~synthproof.split.strata`."""
    kept = budget_rows(strata(frame[target], task), max_rows, seed)
    return frame if len(kept) == len(frame) else frame.iloc[kept].reset_index(drop=True)


def _fit_and_score(
    model_id: str, x_fit, y_fit, x_test, y_test, classes: np.ndarray | None, seed: int, problem: Problem
) -> dict:
    """One (model, fold) fit, scored on the fold's test rows; ``classes`` is None for regression."""
    entry = problem.models[model_id]
    model = entry.make(seed)
    kept = budget_rows(y_fit, entry.max_fit_rows, seed)  # a quadratic model's own budget
    x_fit, y_fit = x_fit[kept], y_fit[kept]
    # Fresh, aligned copies: buffers a cluster deserialised may sit at other offsets, which sends BLAS
    # down other SIMD paths and an unconverged solver (lr on unscaled inputs) to other bits.
    x_fit, x_test = (x.copy() if issparse(x) else np.array(x, order="C") for x in (x_fit, x_test))
    # One BLAS/OpenMP thread wherever this runs (loky sets it, a Dask or Ray worker may not): the
    # workers share the cores, and an unconverged solver (lr) lands on the same bits everywhere.
    try:
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore")
            started = time.perf_counter()
            model.fit(x_fit, y_fit)
            seconds = time.perf_counter() - started
            predicted, probability = _predictions(model, entry, x_test, classes)
    except Exception as error:  # a model that fails is reported, as PyCaret's errors="ignore" does
        return {"model": model_id, "error": f"{type(error).__name__}: {error}".splitlines()[0]}
    if classes is None:
        if not np.isfinite(predicted).all():
            return {"model": model_id, "error": "the model predicted values that are not finite"}
        scored = regression_scores(y_test, predicted)
    else:
        scored = scores(y_test, predicted, probability, classes)
    return {"model": model_id, "seconds": seconds, "fit_rows": len(y_fit), **scored}


def _predictions(model, entry: ZooEntry, x, classes: np.ndarray | None) -> tuple:
    """Predictions, and class probabilities in the order of ``classes`` (a class unseen in training gets
    0; None for regression or a model without probabilities). A model whose prediction is its most
    probable class (``ZooEntry.predicts_most_probable``) is not asked twice."""
    if classes is None or not hasattr(model, "predict_proba"):
        return model.predict(x), None
    probability = model.predict_proba(x)
    if entry.predicts_most_probable:
        predicted = model.classes_[np.argmax(probability, axis=1)]
    else:
        predicted = model.predict(x)
    full = np.zeros((x.shape[0], len(classes)))
    full[:, np.searchsorted(classes, model.classes_)] = probability
    return predicted, full


def leaderboard(
    frame: pd.DataFrame,
    target: str,
    categorical: list[str],
    numeric: list[str],
    models: list[str],
    folds: int = 10,
    sort: str = "Accuracy",
    seed: int = 0,
    n_jobs: int = 2,
    normalize: bool = False,
    progress=None,
    task: str = CLASSIFICATION,
) -> pd.DataFrame:
    """Cross-validate each model of ``models`` on ``frame`` (stratified k-fold; k-fold for regression);
    one row per model, the mean over folds, sorted by ``sort``. Failed models keep their row, with the
    error. ``progress`` (:func:`synthproof.progress.steps`) advances by one per (model, fold) fit, as each
    comes back."""
    problem = PROBLEMS[task]
    _check_models(models, problem)
    (x,) = features([frame], categorical, numeric)
    y, classes = _truth(frame[target], task), None
    n_splits = _n_folds(frame[target], folds, task)
    if task == REGRESSION:
        splitter = KFold(n_splits=n_splits, shuffle=True, random_state=seed)
    else:
        classes = np.unique(y)
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)

    def tasks():  # a fold's inputs built as joblib reaches it: a fold or two in memory, not all ten
        for fit_index, test_index in splitter.split(x, y):
            prepared = {}
            for view in {_view(m, normalize, problem) for m in models}:
                transform = preprocessor(categorical, numeric, *view).fit(x.iloc[fit_index])
                prepared[view] = (
                    transform.transform(x.iloc[fit_index]),
                    transform.transform(x.iloc[test_index]),
                )
            for model_id in models:
                x_fit, x_test = prepared[_view(model_id, normalize, problem)]
                yield delayed(_fit_and_score)(
                    model_id, x_fit, y[fit_index], x_test, y[test_index], classes, seed, problem
                )

    progress = Silent() if progress is None else progress
    results = []
    try:
        runner = Parallel(n_jobs=n_jobs, return_as="generator")  # results in order, as they come back
    except ValueError:  # a backend that hands back only the whole list (Ray's): the bar moves at the end
        runner = Parallel(n_jobs=n_jobs)
    # lazily on this machine's backends; a cluster's (Dask's) deadlocked on a generator of tasks
    local = _backend() in LAZY_BACKENDS
    for result in runner(tasks() if local else list(tasks())):
        results.append(result)
        progress.set_postfix_str(result["model"], refresh=False)  # the fit that just came back
        progress.update(1)
    return _summarise(pd.DataFrame(results), models, sort, problem)


def release_local_workers() -> None:
    """Stop joblib's local (loky) worker processes, where they are the backend. loky keeps them idle for
    five minutes with the memory they hold (0.5 GB after a 300,000-row table's leaderboard), which a
    stage's refit, its largest single step, would run beside. A process that runs one leaderboard (a
    stage) loses nothing; one that runs many (the tests) would start new workers each time."""
    if _backend() == "LokyBackend":
        get_reusable_executor().shutdown(wait=True)


def _backend() -> str:
    """The class name of joblib's active backend (``LokyBackend``, Dask's, Ray's, ...)."""
    return type(get_active_backend()[0]).__name__


def _truth(target: pd.Series, task: str) -> np.ndarray:
    """What models learn: the classes as text, or a numeric target as float."""
    return target.astype(float).to_numpy() if task == REGRESSION else target.astype(str).to_numpy()


def _n_folds(target: pd.Series, folds: int, task: str = CLASSIFICATION) -> int:
    """``folds``, or fewer where the smallest class (for regression: the table) has fewer rows (two at
    least)."""
    smallest = len(target) if task == REGRESSION else target.astype(str).value_counts().min()
    return min(folds, max(2, smallest))


def _count_steps(
    progress, frame: pd.DataFrame | None, target: str, models: list[str], folds: int, refits: int, task: str
):
    """Tell ``progress`` its total: the (model, fold) fits of a leaderboard on ``frame`` and the refits."""
    fits = 0 if frame is None else len(models) * _n_folds(frame[target], folds, task)
    progress.total = fits + refits


def _view(
    model_id: str, normalize: bool, problem: Problem = PROBLEMS[CLASSIFICATION]
) -> tuple[bool, bool, bool]:
    """How ``model_id`` sees the features: (ordinal-encoded, standardised, sparse). Standardised
    indicators are centred, hence dense: a normalised model fits on dense columns."""
    entry = problem.models[model_id]
    scaled = normalize and entry.scale_sensitive
    return entry.tree, scaled, entry.sparse and not scaled


def failed_board(models: list[str], error: str) -> pd.DataFrame:
    """A leaderboard on which every model failed with ``error`` (a classification one: only a table with
    one class fails whole)."""
    results = pd.DataFrame({"model": models, "error": error})
    return _summarise(results, models, "Accuracy", PROBLEMS[CLASSIFICATION])


def _summarise(results: pd.DataFrame, models: list[str], sort: str, problem: Problem) -> pd.DataFrame:
    rows = []
    for model_id in models:
        runs = results[results["model"] == model_id]
        errors = runs["error"].dropna() if "error" in runs else pd.Series(dtype=object)
        name = problem.models[model_id].name
        row = {"id": model_id, "Model": name, "failed": bool(len(errors)), "error": None}
        if len(errors):
            row["error"] = errors.iloc[0]
        else:
            for column in problem.score_columns:
                row[column] = runs[column].mean()
            row["TT (Sec)"] = runs["seconds"].mean()
            row["fit_rows"] = round(runs["fit_rows"].mean())
        rows.append(row)
    board = pd.DataFrame(rows)
    for column in [*problem.sortable_columns, "fit_rows"]:  # columns no model got to fill
        if column not in board:
            board[column] = np.nan
    board = board.sort_values(
        ["failed", sort], ascending=[True, problem.ascending(sort)], na_position="last", kind="stable"
    )
    return board[["id", *problem.leaderboard_columns, "fit_rows", "failed", "error"]].reset_index(drop=True)


def _check_models(models: list[str], problem: Problem = PROBLEMS[CLASSIFICATION]) -> None:
    key = f"compare.{problem.models_key}"
    unknown = [m for m in models if m not in problem.models]
    if unknown or not models:
        raise SynthproofError(
            f"{key} has unknown ids {unknown}: choose from {sorted(problem.models)}"
            if unknown
            else f"{key} is empty: name at least one model"
        )


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
class Task:
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
    task: str = CLASSIFICATION


def refit_and_score(
    model_id: str, trained_on: str, train: pd.DataFrame, tests: dict[str, pd.DataFrame], task: Task
) -> Refit:
    """Fit ``model_id`` (with its preprocessing) on all of ``train``; score it on each of ``tests``
    (which holds a ``holdout`` table, whose predictions are kept for the plots)."""
    problem = PROBLEMS[task.task]
    entry = problem.models[model_id]
    transform = preprocessor(task.categorical, task.numeric, *_view(model_id, task.normalize, problem))
    pipeline = make_pipeline(transform, entry.make(task.seed, task.threads))
    train = within_budget(train, task.target, entry.max_fit_rows, task.seed, task.task)
    x, *tested = features([train, *tests.values()], task.categorical, task.numeric)  # one category set
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline.fit(x, _truth(train[task.target], task.task))
    tables, kept = {}, {}
    classes = None if task.task == REGRESSION else task.classes
    for (name, test), x in zip(tests.items(), tested, strict=True):
        truth = _truth(test[task.target], task.task)
        predicted, probability = _predictions(pipeline, entry, x, classes)
        if task.task == REGRESSION:
            tables[name] = regression_scores(truth, predicted)
        else:
            tables[name] = scores(truth, predicted, probability, task.classes)
        kept[name] = (truth, predicted, probability)
    return Refit(model_id, trained_on, tables, *kept["holdout"], task.classes, fit_rows=len(train))


@dataclass
class Comparison:
    """Both leaderboards, the refit best models, and what the data held."""

    target_type: str
    synthetic_board: pd.DataFrame
    real_board: pd.DataFrame
    best_synthetic: list[Refit]
    best_real: Refit
    rows: dict[str, int]
    classes: dict[str, list[str]]
    sort: str
    intervals: dict[str, tuple[float, float]]  # headline name -> 95% interval over the holdout rows

    @property
    def problem(self) -> Problem:
        return PROBLEMS[REGRESSION if self.target_type == REGRESSION else CLASSIFICATION]

    def metrics(self) -> dict:
        """Headline TSTR vs TRTR on the holdout first, each with its interval; the leaderboards and
        refit tables nested."""
        tstr, trtr = self.best_synthetic[0].tables["holdout"], self.best_real.tables["holdout"]
        headline = {}
        for key, name in HEADLINE_SCORES[self.problem.task].items():
            values = {
                f"tstr_{name}": tstr[key],
                f"trtr_{name}": trtr[key],
                f"ratio_{name}": tstr[key] / trtr[key] if trtr[key] else None,
            }
            for figure, value in values.items():
                headline[figure] = _round(value)
                if figure in self.intervals:
                    headline.update(interval_metrics(figure, self.intervals[figure]))
        classes = (
            {
                "classes_missing_in_synthetic": len(self.classes["missing_in_synthetic"]),
                "tstr_classes_never_predicted": len(self.best_synthetic[0].never_predicted),
                "trtr_classes_never_predicted": len(self.best_real.never_predicted),
            }
            if self.problem.task == CLASSIFICATION
            else {}
        )
        return {
            **headline,
            "leaderboard_spearman": _round(self.spearman()),
            # the rows each leaderboard cross-validated on (compare.max_rows), the refits used all
            "cross_validated_rows_synthetic": self.rows["synthetic_cross_validated"],
            "cross_validated_rows_real": self.rows["real_cross_validated"],
            "best_synthetic_model": self.best_synthetic[0].model_id,
            "best_real_model": self.best_real.model_id,
            "target_type": self.target_type,
            **classes,
            "rows": self.rows,
            "classes": self.classes,
            "never_predicted": {
                refit.label: refit.never_predicted for refit in [*self.best_synthetic, self.best_real]
            },
            "refit": {
                refit.label: {
                    scored_on: {k: _round(v) for k, v in table.items()}
                    for scored_on, table in refit.tables.items()
                }
                for refit in [*self.best_synthetic, self.best_real]
            },
            "leaderboards": {
                name: {
                    row["id"]: (
                        {"failed": row["error"]}
                        if row["failed"]
                        else {
                            **{c: _round(row[c]) for c in self.problem.sortable_columns},
                            "fit_rows": int(row["fit_rows"]),
                        }
                    )
                    for _, row in board.iterrows()
                }
                for name, board in (("synthetic", self.synthetic_board), ("real", self.real_board))
            },
        }

    def spearman(self) -> float:
        """Rank correlation of the two leaderboards on the sort metric, over models scored in both."""
        both = (
            self.synthetic_board.set_index("id")[self.sort]
            .to_frame("synthetic")
            .join(self.real_board.set_index("id")[self.sort].to_frame("real"))
            .dropna()
        )
        if len(both) < 2:
            return float("nan")
        return float(both["synthetic"].rank().corr(both["real"].rank()))


def _round(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def _split(
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
        return {
            "task": self.best.task,
            "board": self.board.astype(object).where(self.board.notna(), None).to_dict(orient="records"),
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
        for column in PROBLEMS[task].sortable_columns:
            board[column] = pd.to_numeric(board[column])
        best = Refit(
            model_id=data["best"]["model_id"],
            trained_on="real",
            tables=data["best"]["tables"],
            holdout_truth=_truth(holdout[target], task),
            holdout_predicted=_truth(predictions["predicted"], task),
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
    *,
    models: list[str],
    folds: int = 10,
    sort: str = "Accuracy",
    test_fraction: float = 0.2,
    seed: int = 0,
    n_jobs: int = 2,
    normalize: bool = False,
    max_rows: int | None = None,
    threads: int = 1,
    progress=None,
    task: str = CLASSIFICATION,
    release_workers: bool = False,
) -> RealReference:
    """The real-trained leaderboard (cross-validated on a stratified sample of at most ``max_rows`` rows)
    and its best model refit on every row and scored: train-real-test-real. ``task``: classification, or
    regression for a numeric target (``models`` and ``sort`` then name regressors and their columns).
    ``release_workers``: stop joblib's local workers before the refit (:func:`release_local_workers`)."""
    problem = PROBLEMS[task]
    _check_options(models, sort, problem)
    categorical, numeric = _features_of(target, categorical, numeric)
    target_type(train[target], task)
    classes = _classes(train[target], task)
    real_fit, real_test = _split(train, target, test_fraction, seed, task)
    cross_validated = within_budget(real_fit, target, max_rows, seed, task)
    progress = Silent() if progress is None else progress
    _count_steps(progress, cross_validated, target, models, folds, refits=1, task=task)
    board = leaderboard(
        cross_validated, target, categorical, numeric, models, folds, sort, seed, n_jobs, normalize, progress,
        task,
    )  # fmt: skip
    if release_workers:
        release_local_workers()
    best = _best(board, 1)
    if not best:
        raise SynthproofError(
            f"every model of compare.{problem.models_key} failed on real rows: see the leaderboard errors"
        )
    task = Task(target, categorical, numeric, classes, seed, normalize, threads, task)
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


def _best(board: pd.DataFrame, n: int) -> list[str]:
    """The ids of the ``n`` best models that did not fail."""
    return board.loc[~board["failed"], "id"].head(n).tolist()


def _check_options(models: list[str], sort: str, problem: Problem) -> None:
    _check_models(models, problem)
    if sort not in problem.sortable_columns:
        raise SynthproofError(
            f"compare.{problem.sort_key} {sort!r} is not a leaderboard column: choose one of "
            f"{problem.sortable_columns}"
        )


def _features_of(target: str, categorical: list[str], numeric: list[str]) -> tuple[list[str], list[str]]:
    """The feature columns by kind: every column of the schema's kinds but the target."""
    return [c for c in categorical if c != target], [c for c in numeric if c != target]


def _classes(target: pd.Series, task: str) -> np.ndarray:
    """The target's classes as text, sorted; none for regression."""
    return np.array([]) if task == REGRESSION else np.array(sorted(target.dropna().astype(str).unique()))


def compare(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    target: str,
    categorical: list[str],
    numeric: list[str],
    *,
    models: list[str],
    folds: int = 10,
    sort: str = "Accuracy",
    n_select: int = 1,
    test_fraction: float = 0.2,
    seed: int = 0,
    n_jobs: int = 2,
    normalize: bool = False,
    max_rows: int | None = None,
    threads: int = 1,
    reference: RealReference | None = None,
    progress=None,
    task: str = CLASSIFICATION,
    release_workers: bool = False,
) -> Comparison:
    """The leaderboard on the synthetic rows (cross-validated on a stratified sample of at most
    ``max_rows``) and its best models refit on every synthetic row and scored on the real test part and
    the real holdout (TSTR), against ``reference`` (TRTR; computed here when not given). ``task``:
    classification, or regression for a numeric target. ``release_workers``: stop joblib's local
    workers before the refits (:func:`release_local_workers`)."""
    _check_options(models, sort, PROBLEMS[task])
    options = dict(models=models, folds=folds, sort=sort, seed=seed, n_jobs=n_jobs, normalize=normalize)
    if reference is None:
        reference = real_reference(
            train, holdout, target, categorical, numeric, test_fraction=test_fraction, max_rows=max_rows,
            threads=threads, task=task, **options,
        )  # fmt: skip
    reference.check(models)
    categorical, numeric = _features_of(target, categorical, numeric)
    kind = target_type(train[target], task)
    synthetic = synthetic[synthetic[target].notna()].reset_index(drop=True)  # a target to learn from
    if synthetic.empty:
        raise SynthproofError(f"the synthetic table has no value of {target!r}: nothing to train on")
    real_classes, synthetic_classes = (_classes(frame[target], task).tolist() for frame in (train, synthetic))
    classes = np.array(sorted(set(real_classes) | set(synthetic_classes)))
    synthetic_fit, synthetic_test = _split(synthetic, target, test_fraction, seed, task)
    _, real_test = _split(train, target, test_fraction, seed, task)
    progress = Silent() if progress is None else progress
    one_class = task == CLASSIFICATION and len(synthetic_classes) == 1
    cross_validated = None if one_class else within_budget(synthetic_fit, target, max_rows, seed, task)
    _count_steps(progress, cross_validated, target, models, folds, refits=n_select, task=task)
    if cross_validated is not None:
        synthetic_board = leaderboard(
            cross_validated, target, categorical, numeric, progress=progress, task=task, **options
        )
    else:  # a generator that collapsed onto one class: nothing to cross-validate, still something to score
        one_class = f"the synthetic table holds one class ({synthetic_classes[0]})"
        synthetic_board = failed_board(models, one_class)
    if release_workers:
        release_local_workers()
    # With every synthetic-trained model failed, the constant prediction a one-class table teaches is TSTR.
    synthetic_best = _best(synthetic_board, n_select) or ["dummy"]
    task = Task(target, categorical, numeric, classes, seed, normalize, threads, task)
    synthetic_tests = {"synthetic_test": synthetic_test, "real_test": real_test, "holdout": holdout}
    best_synthetic = []
    for model_id in synthetic_best:
        progress.set_postfix_str(f"refit {model_id}", refresh=False)
        best_synthetic.append(refit_and_score(model_id, "synthetic", synthetic_fit, synthetic_tests, task))
        progress.update(1)
    best_real = reference.with_classes(classes)
    return Comparison(
        target_type=kind,
        synthetic_board=synthetic_board,
        real_board=reference.board,
        best_synthetic=best_synthetic,
        best_real=best_real,
        rows={
            "synthetic_train": len(synthetic_fit),
            "synthetic_cross_validated": 0 if cross_validated is None else len(cross_validated),
            "synthetic_test": len(synthetic_test),
            "real_train": reference.rows["real_train"],
            "real_cross_validated": reference.rows["real_cross_validated"],
            "real_test": reference.rows["real_test"],
            "holdout": len(holdout),
        },
        classes={
            "real": real_classes,
            "synthetic": synthetic_classes,
            "missing_in_synthetic": sorted(set(real_classes) - set(synthetic_classes)),
        },
        sort=sort,
        intervals=(regression_intervals if task.task == REGRESSION else holdout_intervals)(
            best_synthetic[0], best_real, seed
        ),
    )


def holdout_intervals(
    tstr: Refit, trtr: Refit, seed: int, rounds: int = 400
) -> dict[str, tuple[float, float]]:
    """95% intervals of TSTR and TRTR accuracy, AUC and MCC on the holdout and of their ratios: a
    bootstrap over the holdout rows, both models scored on the same resample each round."""
    truth = tstr.holdout_truth
    classes = tstr.classes
    k = len(classes)
    # per side, each holdout row's cell of the confusion matrix: accuracy and MCC of a resample are then
    # one bincount (scikit-learn's scorers, called 2,400 times, took 20 s on census's 9,768 rows)
    cells = {
        side: np.searchsorted(classes, truth) * k + np.searchsorted(classes, refit.holdout_predicted)
        for side, refit in (("tstr", tstr), ("trtr", trtr))
    }

    def figures(rows: np.ndarray) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for side, refit in (("tstr", tstr), ("trtr", trtr)):
            confusion = np.bincount(cells[side][rows], minlength=k * k).reshape(k, k)
            probability = None if refit.holdout_probability is None else refit.holdout_probability[rows]
            out[f"{side}_accuracy"] = np.trace(confusion) / len(rows)
            out[f"{side}_mcc"] = _mcc(confusion)
            if probability is not None and k == 2:  # the binary AUC _auc gives, by ranks
                out[f"{side}_auc"] = rank_auc(truth[rows] == classes[1], probability[:, 1])
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    out[f"{side}_auc"] = _auc(truth[rows], probability, classes)
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
        for name in HEADLINE_SCORES[REGRESSION].values():
            real, synthetic = out[f"trtr_{name}"], out[f"tstr_{name}"]
            out[f"ratio_{name}"] = synthetic / real if real and synthetic is not None else None
        return out

    return paired_bootstrap(figures, len(truth), seed, rounds)


def _mcc(confusion: np.ndarray) -> float:
    """Matthews correlation from a confusion matrix (rows: truth), as scikit-learn computes it."""
    n = confusion.sum()
    truth, predicted = confusion.sum(axis=1), confusion.sum(axis=0)
    covariance = np.trace(confusion) * n - truth @ predicted
    spread = np.sqrt(float(n**2 - truth @ truth) * float(n**2 - predicted @ predicted))
    return float(covariance / spread) if spread else 0.0


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
    ``trained_on`` first."""
    boards = [
        board.drop(columns=["failed"]).assign(trained_on=name, entry=board["id"] + f" ({name})")
        for name, board in (("synthetic", comparison.synthetic_board), ("real", comparison.real_board))
    ]
    table = pd.concat(boards, ignore_index=True)
    table["score"] = table[comparison.sort]  # the sorted column, DVC's bar plot's x for either task
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
