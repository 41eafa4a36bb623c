"""PyCaret's ``compare_models``: every (model, fold) fit cross-validated on joblib's backend, each within
its row budget, summarised as a leaderboard with PyCaret's columns; a model that fails is a row that
says so."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy.sparse import issparse
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split
from threadpoolctl import threadpool_limits

from synthproof.compute import LAZY_BACKENDS, backend_name
from synthproof.evaluation.compare.features import features, preprocessor
from synthproof.evaluation.compare.scores import regression_scores, scores
from synthproof.evaluation.compare.settings import CompareSettings
from synthproof.evaluation.zoo import PROBLEMS, Problem, ZooEntry
from synthproof.progress import Silent
from synthproof.split import strata
from synthproof.tasks import CLASSIFICATION, FIT_SECONDS, REGRESSION


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
            predicted, probability = predictions_of(model, entry, x_test, classes)
    except Exception as error:  # a model that fails is reported, as PyCaret's errors="ignore" does
        return {"model": model_id, "error": f"{type(error).__name__}: {error}".splitlines()[0]}
    if classes is None:
        if not np.isfinite(predicted).all():
            return {"model": model_id, "error": "the model predicted values that are not finite"}
        scored = regression_scores(y_test, predicted)
    else:
        scored = scores(y_test, predicted, probability, classes)
    return {"model": model_id, "seconds": seconds, "fit_rows": len(y_fit), **scored}


def predictions_of(model, entry: ZooEntry, x, classes: np.ndarray | None) -> tuple:
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
    settings: CompareSettings,
    progress=None,
) -> pd.DataFrame:
    """Cross-validate each of the settings' models on ``frame`` (stratified k-fold; k-fold for
    regression); one row per model, the mean over folds, sorted by the settings' ``sort``. Failed models
    keep their row, with the error. ``progress`` (:func:`synthproof.progress.steps`) advances by one per
    (model, fold) fit, as each comes back."""
    problem, task, models, seed = settings.problem, settings.task, settings.models, settings.seed
    normalize = settings.normalize
    (x,) = features([frame], categorical, numeric)
    y, classes = truth_labels(frame[target], task), None
    n_splits = _n_folds(frame[target], settings.folds, task)
    if task == REGRESSION:
        splitter = KFold(n_splits=n_splits, shuffle=True, random_state=seed)
    else:
        classes = np.unique(y)
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)

    def tasks():  # a fold's inputs built as joblib reaches it: a fold or two in memory, not all ten
        for fit_index, test_index in splitter.split(x, y):
            prepared = {}
            for view in {encoding_view(m, normalize, problem) for m in models}:
                transform = preprocessor(categorical, numeric, *view).fit(x.iloc[fit_index])
                prepared[view] = (
                    transform.transform(x.iloc[fit_index]),
                    transform.transform(x.iloc[test_index]),
                )
            for model_id in models:
                x_fit, x_test = prepared[encoding_view(model_id, normalize, problem)]
                yield delayed(_fit_and_score)(
                    model_id, x_fit, y[fit_index], x_test, y[test_index], classes, seed, problem
                )

    progress = Silent() if progress is None else progress
    results = []
    try:
        runner = Parallel(
            n_jobs=settings.n_jobs, return_as="generator"
        )  # results in order, as they come back
    except ValueError:  # a backend that hands back only the whole list (Ray's): the bar moves at the end
        runner = Parallel(n_jobs=settings.n_jobs)
    # lazily on this machine's backends; a cluster's (Dask's) deadlocked on a generator of tasks
    local = backend_name() in LAZY_BACKENDS
    for result in runner(tasks() if local else list(tasks())):
        results.append(result)
        progress.set_postfix_str(result["model"], refresh=False)  # the fit that just came back
        progress.update(1)
    return _summarise(pd.DataFrame(results), models, settings.sort, problem)


def truth_labels(target: pd.Series, task: str) -> np.ndarray:
    """What models learn: the classes as text, or a numeric target as float."""
    return target.astype(float).to_numpy() if task == REGRESSION else target.astype(str).to_numpy()


def _n_folds(target: pd.Series, folds: int, task: str = CLASSIFICATION) -> int:
    """``folds``, or fewer where the smallest class (for regression: the table) has fewer rows (two at
    least)."""
    smallest = len(target) if task == REGRESSION else target.astype(str).value_counts().min()
    return min(folds, max(2, smallest))


def count_steps(progress, frame: pd.DataFrame | None, target: str, settings: CompareSettings, refits: int):
    """Tell ``progress`` its total: the (model, fold) fits of a leaderboard on ``frame`` and the refits."""
    folds = 0 if frame is None else _n_folds(frame[target], settings.folds, settings.task)
    fits = len(settings.models) * folds
    progress.total = fits + refits


def encoding_view(
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


def fit_seconds(board: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Each model's mean fit seconds per fold (PyCaret's ``TT (Sec)``), by model id, for the stage's cost
    file: the one leaderboard column that changes from run to run, which no result file holds."""
    return {
        row["id"]: {FIT_SECONDS: round(float(row[FIT_SECONDS]), 4)}
        for _, row in board.iterrows()
        if not row["failed"] and pd.notna(row[FIT_SECONDS])
    }


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
            row[FIT_SECONDS] = runs["seconds"].mean()
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
