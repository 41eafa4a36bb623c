"""fidelity: how close is the synthetic table to the real one, column by column and pair by pair? And does it
fill the real rows' space as they do (alpha-precision), cover it (beta-recall), with rows of its own
(authenticity)?

reads:  paths.train, paths.synthetic, paths.schema, paths.reference.fidelity (the ceiling: the holdout's
        own scores, from score_real)
writes: paths.metrics.fidelity (+ paths.details.fidelity); paths.plots.column_shapes, .distributions
        (+ .distributions_image: the worst columns), .correlations_image, .pair_trends (+ .pairs_image:
        the worst pairs)
"""

import pandas as pd

from stages.common import record_cost, run
from synthproof.evaluation.coverage import CoverageTest
from synthproof.evaluation.fidelity import (
    Quality,
    QualityTest,
    correlation_matrices,
    distributions,
    fidelity_metrics,
    pair_gaps,
    pair_views,
)
from synthproof.evaluation.marginals import MarginalAccuracyTest
from synthproof.evaluation.validity import validity
from synthproof.io import read_json, write_metrics, write_plot_csv
from synthproof.plots import WORST_PAIRS, correlations_figure, distributions_figure, pairs_figure, save_figure
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

PARAMS = ["seed", "fidelity"]


def main(params):
    cfg, paths = params.fidelity, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train, synthetic = pd.read_parquet(paths.train), pd.read_parquet(paths.synthetic)
    categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
    with steps(None, "fidelity: pair trends", "pair") as progress:
        scores = QualityTest(cfg.bins, cfg.correlation).run(schema, train, synthetic, progress)
    reference = read_json(paths.reference.fidelity)
    ceiling = Quality.from_dict(reference)
    coverage = CoverageTest.for_run(cfg.coverage, params.seed).run(schema, train, synthetic)
    marginals = MarginalAccuracyTest.for_run(cfg.accuracy, params.seed).run(
        train, synthetic, ordered, other_rows=reference["marginal_rows"]
    )
    valid = validity(schema, train, synthetic)

    write_plot_csv(scores.column_shapes, paths.plots.column_shapes)
    shares = distributions(train, synthetic, categorical, ordered)
    write_plot_csv(shares, paths.plots.distributions)
    save_figure(distributions_figure(shares, scores.column_shapes), paths.plots.distributions_image)
    real_corr, synthetic_corr = correlation_matrices(train, synthetic, ordered, cfg.correlation)
    save_figure(
        correlations_figure(real_corr, synthetic_corr, cfg.correlation), paths.plots.correlations_image
    )
    gaps = pair_gaps(scores, ceiling)
    write_plot_csv(gaps, paths.plots.pair_trends)
    views = pair_views(train, synthetic, gaps.head(WORST_PAIRS), categorical, cfg.bins)
    save_figure(pairs_figure(views), paths.plots.pairs_image)

    record_cost({"fidelity_threads": params.compute.threads})  # machine to machine: not a result
    result = {
        **fidelity_metrics(scores, ceiling),
        **coverage.metrics(),
        **{f"holdout_{name}": value for name, value in reference["coverage"].items()},
        **marginals.metrics("marginal_"),
        **{f"holdout_{name}": value for name, value in reference["marginal"].items()},
        **valid.metrics(),
        **{f"holdout_{name}": value for name, value in reference["validity"].items()},
        "validity": valid.table().to_dict(orient="records"),  # each column's checks (details only)
    }
    write_metrics(result, paths.metrics.fidelity, paths.details.fidelity)
    return (
        f"quality {result['quality_score']} (ceiling {result['quality_ceiling']}); "
        f"column shapes {result['column_shapes']}, pair trends {result['pair_trends']}; alpha-precision "
        f"{result['alpha_precision']}, beta-recall {result['beta_recall']}, "
        f"authenticity {result['authenticity']}; accuracy {result['marginal_accuracy']} (trivariate "
        f"{result['marginal_accuracy_trivariate']})"
    )


if __name__ == "__main__":
    run(main, PARAMS)
