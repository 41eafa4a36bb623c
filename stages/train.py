"""train: fit the generator (inside the column-keeping wrapper) on the training part only.

params: seed, generator.*
reads:  paths.train, paths.schema
writes: paths.model, paths.plots.loss (+ loss_image), paths.metrics.train
"""

import dataclasses
import time

import pandas as pd

from stages.common import run
from synthproof.generators import TableWrapper, get_generator_class
from synthproof.io import read_json, write_csv, write_json
from synthproof.plots import loss_figure, save_figure
from synthproof.schema import ID, Schema
from synthproof.split import limit_rows


def main(params):
    cfg, paths = params.generator, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train = limit_rows(pd.read_parquet(paths.train), cfg.max_training_rows, params.seed)
    own_params = getattr(cfg, cfg.name, None)
    inner = get_generator_class(cfg.name)(
        epochs=cfg.epochs,
        batch_size=cfg.batch_size,
        max_training_minutes=cfg.max_training_minutes,
        seed=params.seed,
        **(dataclasses.asdict(own_params) if own_params is not None else {}),
    )
    generator = TableWrapper(
        inner,
        binary_encoding_cutoff=cfg.binary_encoding_cutoff,
        id_columns=schema.names(ID),
        spike_min_share=cfg.spike_min_share,
        derive_linked_columns=cfg.derive_linked_columns,
        seed=params.seed,
    )
    started = time.perf_counter()
    generator.fit(train, schema.discrete_columns)
    train_seconds = time.perf_counter() - started
    generator.save(paths.model)
    losses = getattr(inner, "loss_values", None)
    if losses is not None:
        write_csv(losses, paths.plots.loss)
        save_figure(loss_figure(losses, f"{cfg.name} losses"), paths.plots.loss_image)
    write_json(
        {"train_seconds": round(train_seconds, 2), "rows_used": len(train), **generator.fit_report()},
        paths.metrics.train,
    )


if __name__ == "__main__":
    run(main)
