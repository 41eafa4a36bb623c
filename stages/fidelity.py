"""fidelity: how close is the synthetic table, and does it copy real people?

reads:  paths.train, paths.holdout, paths.synthetic, paths.schema, paths.reference.fidelity (the ceiling)
        and paths.reference.privacy (the holdout's own distances and copies), from score_real
writes: paths.metrics.fidelity (+ paths.details.fidelity); paths.plots.column_shapes,
        .distributions_image, .correlations_image, .dcr (+ dcr_image)
"""

import pandas as pd

from stages.common import run
from synthproof.evaluation.fidelity import Quality, correlation_matrices, fidelity_metrics, quality
from synthproof.evaluation.privacy import HoldoutPrivacy, dcr_histogram, privacy
from synthproof.headline import shown
from synthproof.io import read_json, write_csv, write_metrics
from synthproof.plots import correlations_figure, dcr_figure, distributions_figure, save_figure
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

PARAMS = ["seed", "fidelity"]


def main(params):
    cfg, paths = params.fidelity, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train, holdout, synthetic = (pd.read_parquet(p) for p in (paths.train, paths.holdout, paths.synthetic))
    categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
    scores = quality(train, synthetic, categorical, ordered, cfg.bins, cfg.correlation)
    ceiling = Quality.from_dict(read_json(paths.reference.fidelity))
    own = HoldoutPrivacy.from_frame(pd.read_parquet(paths.reference.privacy))
    with steps(None, "fidelity: distances", "chunk") as progress:
        copies = privacy(
            train, holdout, synthetic, categorical, ordered, params.seed, cfg.privacy_max_rows, own, progress
        )

    write_csv(scores.column_shapes, paths.plots.column_shapes)
    save_figure(distributions_figure(train, synthetic, categorical, ordered), paths.plots.distributions_image)
    real_corr, synthetic_corr = correlation_matrices(train, synthetic, ordered, cfg.correlation)
    save_figure(
        correlations_figure(real_corr, synthetic_corr, cfg.correlation), paths.plots.correlations_image
    )
    distances = dcr_histogram(copies)
    write_csv(distances, paths.plots.dcr)
    save_figure(dcr_figure(distances), paths.plots.dcr_image)
    result = {
        **fidelity_metrics(scores, ceiling),
        **copies.metrics(),
        "fidelity_threads": params.compute.threads,
    }
    write_metrics(result, paths.metrics.fidelity, paths.details.fidelity)
    figures = {"fidelity": result}
    return (
        f"quality {result['quality_score']} (ceiling {result['quality_ceiling']}); "
        f"{shown(figures, 'dcr_share')}; {shown(figures, 'exact_copy_share_above_holdout')}"
    )


if __name__ == "__main__":
    run(main, PARAMS)
