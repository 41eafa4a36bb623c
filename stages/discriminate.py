"""discriminate: can a classifier tell the synthetic rows from the real ones? And what gives them away?

reads:  paths.train, paths.holdout, paths.synthetic, paths.schema,
        paths.reference.discriminate (the floor: real vs real, from score_real)
writes: paths.metrics.discriminate (+ paths.details.discriminate); paths.plots.probabilities (+ image),
        paths.plots.giveaway_columns (+ image); paths.discriminate.most_fake, .most_real,
        .linked (crosstabs, and index.csv naming their columns), .unseen_pairs (category pairs no real
        row holds), .unseen_pair_rows (synthetic rows with one)
"""

import pandas as pd

from stages.common import record_cost, run
from synthproof.evaluation.discriminate import Floor
from synthproof.evaluation.fake_or_real import FakeOrRealTest
from synthproof.headline import shown
from synthproof.io import atomic_dir, read_json, write_csv, write_metrics, write_plot_csv
from synthproof.links import crosstab
from synthproof.names import file_part
from synthproof.plots import importance_figure, probability_figure, save_figure
from synthproof.progress import steps
from synthproof.schema import Schema

PARAMS = ["seed", "discriminate"]


def main(params):
    cfg, paths = params.discriminate, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train, holdout, synthetic = (pd.read_parquet(p) for p in (paths.train, paths.holdout, paths.synthetic))
    progress = steps(None, "discriminate", "model")
    with progress:
        test = FakeOrRealTest.for_run(cfg, params.seed, params.compute.threads)
        floor = Floor.from_dict(read_json(paths.reference.discriminate))
        result = test.run(schema, train, holdout, synthetic, reference=floor, progress=progress)
    write_csv(result.most_fake, paths.discriminate.most_fake)
    write_csv(result.most_real, paths.discriminate.most_real)
    write_csv(result.unseen_pairs.pairs, paths.discriminate.unseen_pairs)
    write_csv(result.unseen_pair_rows(synthetic, cfg.n_examples), paths.discriminate.unseen_pair_rows)
    with atomic_dir(paths.discriminate.linked) as folder:
        index = []
        for link in result.links:
            stem = f"{file_part(link.source)}__{file_part(link.target)}"  # a column's name is no path
            index.append({"source": link.source, "target": link.target})
            for rows, kind in ((train, "real"), (synthetic, "synthetic")):
                index[-1][kind] = f"{stem}__{kind}.csv"
                crosstab(link, rows).to_csv(folder / index[-1][kind])
        pd.DataFrame(index, columns=["source", "target", "real", "synthetic"]).to_csv(
            folder / "index.csv", index=False
        )
    write_plot_csv(result.histogram, paths.plots.probabilities)
    scores = result.fake_vs_real
    save_figure(
        probability_figure(result.histogram, scores.accuracy, scores.auc), paths.plots.probabilities_image
    )
    columns = result.columns_table()
    write_plot_csv(columns, paths.plots.giveaway_columns)
    save_figure(importance_figure(columns), paths.plots.giveaway_columns_image)
    record_cost({"discriminate_threads": params.compute.threads})
    metrics = result.metrics()
    write_metrics(metrics, paths.metrics.discriminate, paths.details.discriminate)
    figures = {"discriminate": metrics}
    return f"{shown(figures, 'discriminator_auc')} beside {shown(figures, 'floor_auc')}"


if __name__ == "__main__":
    run(main, PARAMS)
