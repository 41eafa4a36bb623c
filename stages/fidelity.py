"""fidelity: how close is the synthetic table to the real one, column by column and pair by pair?

reads:  paths.train, paths.synthetic, paths.schema, paths.reference.fidelity (the ceiling: the holdout's
        own score, from score_real)
writes: paths.metrics.fidelity (+ paths.details.fidelity); paths.plots.column_shapes,
        .distributions_image, .correlations_image
"""

import pandas as pd

from stages.common import run
from synthproof.evaluation.fidelity import Quality, correlation_matrices, fidelity_metrics, quality
from synthproof.io import read_json, write_csv, write_metrics
from synthproof.plots import correlations_figure, distributions_figure, save_figure
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

PARAMS = ["fidelity"]


def main(params):
    cfg, paths = params.fidelity, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train, synthetic = pd.read_parquet(paths.train), pd.read_parquet(paths.synthetic)
    categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
    with steps(None, "fidelity: pair trends", "pair") as progress:
        scores = quality(train, synthetic, categorical, ordered, cfg.bins, cfg.correlation, progress)
    ceiling = Quality.from_dict(read_json(paths.reference.fidelity))

    write_csv(scores.column_shapes, paths.plots.column_shapes)
    save_figure(distributions_figure(train, synthetic, categorical, ordered), paths.plots.distributions_image)
    real_corr, synthetic_corr = correlation_matrices(train, synthetic, ordered, cfg.correlation)
    save_figure(
        correlations_figure(real_corr, synthetic_corr, cfg.correlation), paths.plots.correlations_image
    )
    result = {**fidelity_metrics(scores, ceiling), "fidelity_threads": params.compute.threads}
    write_metrics(result, paths.metrics.fidelity, paths.details.fidelity)
    return (
        f"quality {result['quality_score']} (ceiling {result['quality_ceiling']}); "
        f"column shapes {result['column_shapes']}, pair trends {result['pair_trends']}"
    )


if __name__ == "__main__":
    run(main, PARAMS)
