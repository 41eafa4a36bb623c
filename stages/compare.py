"""compare: would a model trained only on synthetic rows do as well on real rows as one trained on real rows?

reads:  paths.train, paths.holdout (scored on only), paths.synthetic, paths.schema,
        paths.reference.compare (+ .compare_holdout): the real-trained side (TRTR), from score_real
writes: paths.metrics.compare (+ paths.details.compare); paths.plots.leaderboards (+ image),
        .best_models, .roc (+ image), .confusion (+ image)
"""

import pandas as pd

from stages.common import run
from synthproof.compute import backend
from synthproof.evaluation.compare import RealReference, compare, leaderboards_table, refit_table, roc_points
from synthproof.headline import shown
from synthproof.io import read_json, write_csv, write_metrics
from synthproof.plots import confusion_figure, leaderboard_figure, roc_figure, save_figure
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

PARAMS = ["seed", "target", "compare"]


def main(params):
    cfg, paths = params.compare, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
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
            models=cfg.models,
            folds=cfg.folds,
            sort=cfg.sort,
            n_select=cfg.n_select,
            test_fraction=cfg.test_fraction,
            seed=params.seed,
            n_jobs=cfg.n_jobs,
            normalize=cfg.normalize,
            max_rows=cfg.max_rows,
            threads=params.compute.threads,
            reference=reference,
            progress=progress,
        )
    write_csv(leaderboards_table(result), paths.plots.leaderboards)
    save_figure(
        leaderboard_figure(result.synthetic_board, result.real_board, cfg.sort),
        paths.plots.leaderboards_image,
    )
    write_csv(refit_table(result), paths.plots.best_models)
    curves = roc_points([*result.best_synthetic, result.best_real])
    write_csv(curves, paths.plots.roc)
    save_figure(roc_figure(curves), paths.plots.roc_image)
    best = result.best_synthetic[0]
    pairs = pd.DataFrame({"actual": best.holdout_truth, "predicted": best.holdout_predicted})
    write_csv(pairs, paths.plots.confusion)
    save_figure(
        confusion_figure(pairs, f"{best.model_id} trained on synthetic, real holdout"),
        paths.plots.confusion_image,
    )
    metrics = {**result.metrics(), "compare_threads": params.compute.threads}
    write_metrics(metrics, paths.metrics.compare, paths.details.compare)
    return (
        f"{len(cfg.models)} models x {cfg.folds} folds on the synthetic rows, best "
        f"{result.best_synthetic[0].model_id}; {shown({'compare': metrics}, 'ratio_accuracy')}"
    )


if __name__ == "__main__":
    run(main, PARAMS)
