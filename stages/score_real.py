"""score_real: what the real rows score on their own, the references every synthetic figure is judged
against. No generator changes them, so a generator sweep never reruns this stage.

reads:  paths.train, paths.holdout, paths.schema
writes: paths.reference.compare (+ .compare_holdout): the real-trained leaderboard and its best model (TRTR);
        paths.reference.discriminate: the floor (holdout vs training rows); paths.reference.fidelity: the
        ceiling (the holdout scored like a synthetic table: quality, alpha-precision, beta-recall,
        authenticity); paths.reference.privacy: the holdout's own distances to training rows and copies;
        paths.metrics.score_real (+ paths.details.score_real)
"""

import time

import pandas as pd

from stages.common import peak_memory_mb, run
from synthproof.compute import backend
from synthproof.evaluation import compare, privacy
from synthproof.evaluation.coverage import CoverageTest
from synthproof.evaluation.fake_or_real import FakeOrRealTest
from synthproof.evaluation.fidelity import QualityTest
from synthproof.evaluation.marginals import MarginalAccuracyTest
from synthproof.evaluation.validity import validity
from synthproof.io import read_json, write_json, write_metrics, write_parquet
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema
from synthproof.tasks import REGRESSION

PARAMS = [
    "seed",
    "target",
    "compare.models",
    "compare.regression_models",
    "compare.folds",
    "compare.sort",
    "compare.regression_sort",
    "compare.test_fraction",
    "compare.n_jobs",
    "compare.normalize",
    "compare.max_rows",
    "discriminate.model",
    "discriminate.holdout_fraction",
    "discriminate.early_stopping_rounds",
    "discriminate.max_rows",
    "fidelity",
    "privacy.dcr_max_rows",
]


def main(params):
    paths, out = params.paths, params.paths.reference
    schema = Schema.from_dict(read_json(paths.schema))
    train, holdout = pd.read_parquet(paths.train), pd.read_parquet(paths.holdout)
    categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
    seconds = {}

    started = time.perf_counter()
    cfg = params.compare
    settings = compare.CompareSettings.for_run(cfg, schema.task, params.seed, params.compute.threads)
    progress = steps(None, "score_real: real leaderboard", "fit")
    with progress, backend(params.compute.backend, params.compute.address):  # joblib's, this loop only
        trtr = compare.real_reference(
            train,
            holdout,
            params.target,
            categorical,
            ordered,
            settings,
            progress=progress,
            release_workers=True,  # their memory, before the refit
        )
    write_json(trtr.to_dict(), out.compare)
    write_parquet(trtr.holdout_predictions(), out.compare_holdout)
    seconds["compare"] = time.perf_counter() - started

    started = time.perf_counter()
    cfg = params.discriminate
    floor = FakeOrRealTest(
        model=cfg.model,
        holdout_fraction=cfg.holdout_fraction,
        early_stopping_rounds=cfg.early_stopping_rounds,
        max_rows=cfg.max_rows,
        seed=params.seed,
        threads=params.compute.threads,
    ).floor(schema, train, holdout)
    write_json(floor.to_dict(), out.discriminate)
    seconds["discriminate"] = time.perf_counter() - started

    started = time.perf_counter()
    cfg = params.fidelity
    with steps(None, "score_real: pair trends", "pair") as progress:
        ceiling = QualityTest(cfg.bins, cfg.correlation).run(schema, train, holdout, progress)
    coverage = CoverageTest.for_run(cfg, params.seed).run(schema, train, holdout)
    marginals = MarginalAccuracyTest.for_run(cfg.accuracy, params.seed).run(train, holdout, ordered)
    own = {
        "coverage": coverage.metrics(),
        "marginal": marginals.metrics("marginal_"),
        "marginal_rows": len(holdout),  # the synthetic table is scored on as many rows
        "validity": validity(schema, train, holdout).metrics(),
    }
    write_json({**ceiling.to_dict(), **own}, out.fidelity)
    seconds["fidelity"] = time.perf_counter() - started

    started = time.perf_counter()
    with steps(None, "score_real: holdout distances", "chunk") as progress:
        own = privacy.holdout_reference(
            train, holdout, categorical, ordered, params.seed, params.privacy.dcr_max_rows, progress
        )
    write_parquet(own.to_frame(), out.privacy)
    seconds["privacy"] = time.perf_counter() - started

    result = {
        "score_real_seconds": round(sum(seconds.values()), 2),
        "score_real_peak_memory_mb": peak_memory_mb(),
        "score_real_threads": params.compute.threads,
        "seconds": {part: round(value, 2) for part, value in seconds.items()},
    }
    write_metrics(result, paths.metrics.score_real, paths.details.score_real)
    score = "R2" if schema.task == REGRESSION else "Accuracy"
    return (
        f"TRTR {score} {trtr.best.tables['holdout'][score]:.4f} ({trtr.best.model_id}), "
        f"floor AUC {floor.auc:.4f}, "
        f"quality ceiling {ceiling.score:.2f}, holdout copies {own.copy_of_train.mean():.2%}"
    )


if __name__ == "__main__":
    run(main, PARAMS)
