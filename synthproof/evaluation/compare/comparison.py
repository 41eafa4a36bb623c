"""Train-synthetic-test-real beside the real reference: the leaderboards, the refits and the headline
scores with their intervals (``Comparison.metrics``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.compute import release_local_workers
from synthproof.errors import SynthproofError
from synthproof.evaluation.compare.features import class_labels, feature_columns, target_type
from synthproof.evaluation.compare.leaderboard import count_steps, failed_board, leaderboard, within_budget
from synthproof.evaluation.compare.reference import (
    RealReference,
    best_models,
    fit_test_split,
    real_reference,
    rounded,
)
from synthproof.evaluation.compare.refit import (
    PredictionTask,
    Refit,
    holdout_intervals,
    refit_and_score,
    regression_intervals,
)
from synthproof.evaluation.compare.settings import CompareSettings
from synthproof.evaluation.uncertainty import interval_metrics
from synthproof.evaluation.zoo import PROBLEMS, Problem
from synthproof.progress import Silent
from synthproof.tasks import CLASSIFICATION, REGRESSION


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
        # long: one flat dict of every figure dvc reads, built in the order it shows them
        tstr, trtr = self.best_synthetic[0].tables["holdout"], self.best_real.tables["holdout"]
        headline = {}
        for key, name in self.problem.headline_scores.items():
            values = {
                f"tstr_{name}": tstr[key],
                f"trtr_{name}": trtr[key],
                f"ratio_{name}": tstr[key] / trtr[key] if trtr[key] else None,
            }
            for figure, value in values.items():
                headline[figure] = rounded(value)
                if figure in self.intervals:
                    headline.update(interval_metrics(figure, self.intervals[figure]))
        classes = (
            {
                "classes_missing_in_synthetic": len(self.classes["missing_in_synthetic"]),
                "tstr_classes_never_predicted": len(self.best_synthetic[0].never_predicted),
                "trtr_classes_never_predicted": len(self.best_real.never_predicted),
            }
            if self.problem.name == CLASSIFICATION
            else {}
        )
        return {
            **headline,
            "leaderboard_spearman": rounded(self.spearman()),
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
                    scored_on: {k: rounded(v) for k, v in table.items()}
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
                            # the scores, not the fit seconds (the stage's cost file has them)
                            **{c: rounded(row[c]) for c in self.problem.score_columns},
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


def compare(
    train: pd.DataFrame,
    holdout: pd.DataFrame,
    synthetic: pd.DataFrame,
    target: str,
    categorical: list[str],
    numeric: list[str],
    settings: CompareSettings,
    reference: RealReference | None = None,
    progress=None,
    release_workers: bool = False,
) -> Comparison:
    """The leaderboard on the synthetic rows (cross-validated on a stratified sample of at most the
    settings' ``max_rows``) and its best models refit on every synthetic row and scored on the real test
    part and the real holdout (TSTR), against ``reference`` (TRTR; computed here when not given).
    ``release_workers``: stop joblib's local workers before the refits (:func:`release_local_workers`)."""
    # long: PyCaret's compare_models in order (sample, cross-validate, rank, refit, score on the
    # holdout); each step uses the last one's rows
    if reference is None:
        reference = real_reference(train, holdout, target, categorical, numeric, settings)
    reference.check(settings.models)
    task, seed, test_fraction = settings.task, settings.seed, settings.test_fraction
    categorical, numeric = feature_columns(target, categorical, numeric)
    kind = target_type(train[target], task)
    synthetic = synthetic[synthetic[target].notna()].reset_index(drop=True)  # a target to learn from
    if synthetic.empty:
        raise SynthproofError(f"the synthetic table has no value of {target!r}: nothing to train on")
    real_classes, synthetic_classes = (
        class_labels(frame[target], task).tolist() for frame in (train, synthetic)
    )
    classes = np.array(sorted(set(real_classes) | set(synthetic_classes)))
    synthetic_fit, synthetic_test = fit_test_split(synthetic, target, test_fraction, seed, task)
    _, real_test = fit_test_split(train, target, test_fraction, seed, task)
    progress = Silent() if progress is None else progress
    one_class = task == CLASSIFICATION and len(synthetic_classes) == 1
    cross_validated = (
        None if one_class else within_budget(synthetic_fit, target, settings.max_rows, seed, task)
    )
    count_steps(progress, cross_validated, target, settings, refits=settings.n_select)
    if cross_validated is not None:
        synthetic_board = leaderboard(cross_validated, target, categorical, numeric, settings, progress)
    else:  # a generator that collapsed onto one class: nothing to cross-validate, still something to score
        one_class = f"the synthetic table holds one class ({synthetic_classes[0]})"
        synthetic_board = failed_board(settings.models, one_class)
    if release_workers:
        release_local_workers()
    # With every synthetic-trained model failed, the constant prediction a one-class table teaches is TSTR.
    synthetic_best = best_models(synthetic_board, settings.n_select) or ["dummy"]
    fitting = PredictionTask.of(target, categorical, numeric, classes, settings)
    synthetic_tests = {"synthetic_test": synthetic_test, "real_test": real_test, "holdout": holdout}
    best_synthetic = []
    for model_id in synthetic_best:
        progress.set_postfix_str(f"refit {model_id}", refresh=False)
        best_synthetic.append(refit_and_score(model_id, "synthetic", synthetic_fit, synthetic_tests, fitting))
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
        sort=settings.sort,
        intervals=(regression_intervals if task == REGRESSION else holdout_intervals)(
            best_synthetic[0], best_real, seed
        ),
    )
