"""score_real: what the real rows score on their own, the references every synthetic figure is judged
against. No generator changes them, so a generator sweep never reruns this stage.

reads:  paths.train, paths.holdout, paths.schema
writes: paths.reference.compare (+ .compare_holdout): the real-trained leaderboard and its best model (TRTR);
        paths.reference.discriminate: the floor (holdout vs training rows); paths.reference.fidelity: the
        ceiling (the holdout scored like a synthetic table: quality, alpha-precision, beta-recall,
        authenticity); paths.reference.privacy: the holdout's own distances to training rows and copies;
        paths.metrics.score_real (+ paths.details.score_real): the real-trained model the references
        name; paths.cost.score_real: the seconds of each part, the threads, the real leaderboard's fit
        seconds (TT (Sec)), which vary from run to run and so are in no reference
"""

import contextlib
import time

import pandas as pd

from stages.common import record_cost, run
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
    "privacy.dcr.max_rows",
]


def main(params):
    paths, out = params.paths, params.paths.reference
    schema = Schema.from_dict(read_json(paths.schema))
    train, holdout = pd.read_parquet(paths.train), pd.read_parquet(paths.holdout)
    seconds = {}
    with _timed(seconds, "compare"):
        trtr = real_leaderboard(params, schema, train, holdout)
        write_json(trtr.to_dict(), out.compare)
        write_parquet(trtr.holdout_predictions(), out.compare_holdout)
    with _timed(seconds, "discriminate"):
        floor = real_vs_real_floor(params, schema, train, holdout)
        write_json(floor.to_dict(), out.discriminate)
    with _timed(seconds, "fidelity"):
        ceiling, own = fidelity_ceiling(params, schema, train, holdout)
        write_json({**ceiling.to_dict(), **own}, out.fidelity)
    with _timed(seconds, "privacy"):
        distances = holdout_distances(params, schema, train, holdout)
        write_parquet(distances.to_frame(), out.privacy)
    record_cost(
        {
            "score_real_seconds": round(sum(seconds.values()), 2),
            **{f"score_real_{part}_seconds": round(value, 2) for part, value in seconds.items()},
            "score_real_threads": params.compute.threads,
            "leaderboard": compare.fit_seconds(trtr.board),  # the real leaderboard's TT (Sec)
        }
    )
    result = {"trtr_reference_model": trtr.best.model_id}
    write_metrics(result, paths.metrics.score_real, paths.details.score_real)
    score = "R2" if schema.task == REGRESSION else "Accuracy"
    return (
        f"TRTR {score} {trtr.best.tables['holdout'][score]:.4f} ({trtr.best.model_id}), "
        f"floor AUC {floor.auc:.4f}, "
        f"quality ceiling {ceiling.score:.2f}, holdout copies {distances.copy_of_train.mean():.2%}"
    )


@contextlib.contextmanager
def _timed(seconds: dict, part: str):
    started = time.perf_counter()
    yield
    seconds[part] = time.perf_counter() - started


def real_leaderboard(params, schema, train, holdout):
    """The real-trained leaderboard and its best model, refit and scored on the holdout (TRTR)."""
    settings = compare.CompareSettings.for_run(
        params.compare, schema.task, params.seed, params.compute.threads
    )
    progress = steps(None, "score_real: real leaderboard", "fit")
    with progress, backend(params.compute.backend, params.compute.address):  # joblib's, this loop only
        return compare.real_reference(
            train, holdout, params.target, schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME),
            settings, progress=progress, release_workers=True,  # their memory, before the refit
        )  # fmt: skip


def real_vs_real_floor(params, schema, train, holdout):
    """The discriminator on the holdout against the training rows (the keys score_real declares)."""
    cfg = params.discriminate
    return FakeOrRealTest(
        model=cfg.model,
        holdout_fraction=cfg.holdout_fraction,
        early_stopping_rounds=cfg.early_stopping_rounds,
        max_rows=cfg.max_rows,
        seed=params.seed,
        threads=params.compute.threads,
    ).floor(schema, train, holdout)


def fidelity_ceiling(params, schema, train, holdout):
    """The holdout scored as a synthetic table would be: quality, coverage, accuracy and validity."""
    cfg = params.fidelity
    with steps(None, "score_real: pair trends", "pair") as progress:
        ceiling = QualityTest(cfg.bins, cfg.correlation).run(schema, train, holdout, progress)
    coverage = CoverageTest.for_run(cfg.coverage, params.seed).run(schema, train, holdout)
    ordered = schema.names(NUMERIC, DATETIME)
    marginals = MarginalAccuracyTest.for_run(cfg.accuracy, params.seed).run(train, holdout, ordered)
    own = {
        "coverage": coverage.metrics(),
        "marginal": marginals.metrics("marginal_"),
        "marginal_rows": len(holdout),  # the synthetic table is scored on as many rows
        "validity": validity(schema, train, holdout).metrics(),
    }
    return ceiling, own


def holdout_distances(params, schema, train, holdout):
    """Each holdout row's distance to the training rows and its copies of them."""
    with steps(None, "score_real: holdout distances", "chunk") as progress:
        # the reference reads only the search's budget (privacy.dcr.near_quantile judges synthetic rows)
        test = privacy.DistanceTest(max_rows=params.privacy.dcr.max_rows, seed=params.seed)
        return test.reference(schema, train, holdout, progress)


if __name__ == "__main__":
    run(main, PARAMS)
