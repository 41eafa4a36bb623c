"""train: fit the generator (inside the column-keeping wrapper) on the training part only; or, for
generator.name provided, read and check the synthetic table made elsewhere (generator.provided.source).

reads:  paths.train, paths.schema
writes: paths.model, paths.plots.loss (+ loss_image), paths.metrics.train (+ paths.details.train);
        paths.cost.train: train_seconds and the generator's own timings and threads (they vary)
"""

import time
from pathlib import Path

import pandas as pd

from stages.common import cost_apart, run
from synthproof.config import PROVIDED
from synthproof.generators import build_generator
from synthproof.generators.provided import check_provenance
from synthproof.io import TableLimits, read_json, write_metrics, write_plot_csv
from synthproof.plots import loss_figure, save_figure
from synthproof.schema import ID, Schema
from synthproof.split import limit_rows

PARAMS = [
    "seed",
    "target",
    "generator.name",
    "generator.${generator.name}",  # the named generator's own section, not the others'
    "generator.epochs",
    "generator.batch_size",
    "generator.max_training_minutes",
    "generator.device",
    "generator.threads",
    "generator.max_rows",
    "generator.binary_encoding_cutoff",
    "generator.spike_min_share",
    "generator.derive_linked_columns",
    "split.holdout_source",  # a provided table's holdout is vouched for when the split was given with it
    "ingest.max_columns",  # a provided table is read within ingest's bounds
    "ingest.max_cells",
]


def main(params):
    cfg, paths = params.generator, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train = pd.read_parquet(paths.train)
    if cfg.name == PROVIDED:
        check_provenance(train, cfg.provided.trained_on, params.split.given, cfg.max_rows)
    train = limit_rows(train, cfg.max_rows, params.seed)
    limits = TableLimits(max_columns=params.ingest.max_columns, max_cells=params.ingest.max_cells)
    generator = build_generator(
        cfg, params.seed, list(train.columns), params.target, schema.names(ID), limits=limits
    )
    started = time.perf_counter()
    fit = generator.fit(train, schema.discrete_columns)
    train_seconds = time.perf_counter() - started
    generator.save(paths.model)
    losses = fit.losses
    if losses is None:  # not trained in epochs: an empty table keeps the declared outputs
        losses = pd.DataFrame(columns=["epoch", "generator_loss", "discriminator_loss"])
    write_plot_csv(losses, paths.plots.loss)
    save_figure(loss_figure(losses, f"{cfg.name} losses"), paths.plots.loss_image)
    write_metrics(
        cost_apart(  # the seconds and threads (the generator's too) go to paths.cost.train
            {
                "generator": cfg.name,
                "train_seconds": round(train_seconds, 2),
                "model_size_mb": round(Path(paths.model).stat().st_size / 2**20, 2),
                "rows_used": len(train),
                **fit.report,
            }
        ),
        paths.metrics.train,
        paths.details.train,
    )
    epochs = fit.report.get("epochs_run")
    trained = "" if epochs is None else f", {epochs}/{fit.report['epochs_max']} epochs"
    stopped = " (stopped by the time budget)" if fit.report.get("stopped_by_time_budget") else ""
    return f"{cfg.name} on {len(train):,} rows{trained}{stopped}"


if __name__ == "__main__":
    run(main, PARAMS)
