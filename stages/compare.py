"""compare: would a model trained only on synthetic rows do as well on real rows as one trained on real rows?

reads:  paths.train, paths.holdout (scored on only), paths.synthetic, paths.schema (the task:
        classification or regression), paths.reference.compare (+ .compare_holdout): the real-trained
        side (TRTR), from score_real
writes: paths.metrics.compare (+ paths.details.compare); paths.plots.leaderboards (+ image),
        .best_models; classification: .roc (+ image), .confusion (+ image); regression: .predictions
        (+ image), .residuals_image (the other task's files say there is nothing to show: DVC expects
        every declared output); paths.cost.compare: the threads and the synthetic leaderboard's fit
        seconds (TT (Sec)), which vary from run to run
"""

import pandas as pd

from stages.common import record_cost, run
from synthproof.compute import backend
from synthproof.evaluation.compare import (
    CompareSettings,
    RealReference,
    compare,
    fit_seconds,
    leaderboards_table,
    prediction_points,
    refit_table,
    roc_points,
)
from synthproof.headline import shown
from synthproof.io import read_json, write_metrics, write_plot_csv
from synthproof.plots import (
    confusion_figure,
    leaderboard_figure,
    placeholder_figure,
    predictions_figure,
    residuals_figure,
    roc_figure,
    save_figure,
)
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema
from synthproof.tasks import REGRESSION

PARAMS = ["seed", "target", "compare"]


def main(params):
    cfg, paths = params.compare, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    settings = CompareSettings.for_run(cfg, schema.task, params.seed, params.compute.threads)
    train, holdout, synthetic = (pd.read_parquet(p) for p in (paths.train, paths.holdout, paths.synthetic))
    reference = RealReference.from_parts(
        read_json(paths.reference.compare),
        pd.read_parquet(paths.reference.compare_holdout),
        holdout,
        params.target,
    )
    progress = steps(None, "compare: synthetic leaderboard", "fit")
    with progress, backend(params.compute.backend, params.compute.address):  # joblib's, this loop only
        result = compare(
            train,
            holdout,
            synthetic,
            params.target,
            schema.names(CATEGORICAL),
            schema.names(NUMERIC, DATETIME),
            settings,
            reference=reference,
            progress=progress,
            release_workers=True,  # their memory, before the refit
        )
    best, headline = write_compare_plots(result, schema.task, settings.sort, paths.plots)
    threads, fits = params.compute.threads, fit_seconds(result.synthetic_board)  # they vary: not results
    record_cost({"compare_threads": threads, "leaderboard": fits})
    metrics = result.metrics()
    write_metrics(metrics, paths.metrics.compare, paths.details.compare)
    return (
        f"{len(settings.models)} models x {cfg.folds} folds on the synthetic rows, best "
        f"{best.model_id}; {shown({'compare': metrics}, headline)}"
    )


def write_compare_plots(result, task: str, sort: str, plots):
    """The leaderboards, the refits, and the task's figures (ROC and confusion, or predictions and
    residuals; the other task's as placeholders); the best synthetic-trained model and the headline."""
    write_plot_csv(leaderboards_table(result), plots.leaderboards)
    figure = leaderboard_figure(result.synthetic_board, result.real_board, sort)
    save_figure(figure, plots.leaderboards_image)
    write_plot_csv(refit_table(result), plots.best_models)
    refits = [*result.best_synthetic, result.best_real]
    best = result.best_synthetic[0]
    curves, points = roc_points(refits), prediction_points(refits)
    write_plot_csv(curves, plots.roc)
    write_plot_csv(points, plots.predictions)
    pairs = pd.DataFrame({"actual": best.holdout_truth, "predicted": best.holdout_predicted})
    if task == REGRESSION:
        write_plot_csv(pairs.head(0), plots.confusion)
        for path in (plots.roc_image, plots.confusion_image):
            save_figure(placeholder_figure("No classes: the target is numeric (regression)."), path)
        save_figure(predictions_figure(points), plots.predictions_image)
        save_figure(residuals_figure(points), plots.residuals_image)
        headline = "ratio_r2"
    else:
        write_plot_csv(pairs, plots.confusion)
        save_figure(roc_figure(curves), plots.roc_image)
        save_figure(
            confusion_figure(pairs, f"{best.model_id} trained on synthetic, real holdout"),
            plots.confusion_image,
        )
        for path in (plots.predictions_image, plots.residuals_image):
            save_figure(
                placeholder_figure("No predicted values: the target is a class (classification)."), path
            )
        headline = "ratio_accuracy"
    return best, headline


if __name__ == "__main__":
    run(main, PARAMS)
