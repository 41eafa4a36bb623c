"""split: a stratified, seeded holdout that neither the generator nor any model trains on; or, with
split.holdout_source, a holdout made elsewhere (ingest's table is then the training part).

reads:  paths.raw, paths.schema (classification or regression: classes or quantile bins of the target),
        split.holdout_source (a path, or a URL looked up in $SYNTHPROOF_DATA_DIR before downloading)
writes: paths.train, paths.holdout, paths.metrics.split (+ paths.details.split)
"""

import tempfile

import pandas as pd

from stages.common import run
from synthproof.conform import conform_table
from synthproof.errors import SynthproofError
from synthproof.io import (
    TableLimits,
    read_json,
    read_table,
    resolve_source,
    write_metrics,
    write_parquet,
)
from synthproof.schema import Schema
from synthproof.split import split_holdout, table_fingerprint
from synthproof.tasks import CLASSIFICATION

# ingest's reading keys, bounds and dropped columns: a given holdout is read as its training part was
PARAMS = [
    "seed",
    "target",
    "split",
    "ingest.format",
    "ingest.na_values",
    "ingest.max_columns",
    "ingest.max_cells",
    "ingest.columns.drop",
]
QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]


def main(params):
    cfg, paths = params.split, params.paths
    table, schema = pd.read_parquet(paths.raw), Schema.from_dict(read_json(paths.schema))
    if cfg.given:
        train, holdout = table, given_holdout(params, table, schema)
        how = f"the holdout given in {cfg.holdout_source}"
    else:
        train, holdout = split_holdout(table, params.target, cfg.holdout_fraction, params.seed, schema.task)
        how = f"stratified on {params.target!r}"
    write_parquet(train, paths.train)
    write_parquet(holdout, paths.holdout)

    def describe(part: pd.DataFrame) -> dict:  # each side's class shares, or a numeric target's quantiles
        values = part[params.target]
        spread = (
            values.value_counts(normalize=True)
            if schema.task == CLASSIFICATION
            else values.quantile(QUANTILES)
        )
        return spread.round(4).to_dict()

    key = "target_shares" if schema.task == CLASSIFICATION else "target_quantiles"
    write_metrics(
        {
            "train_rows": len(train),
            "holdout_rows": len(holdout),
            "split_given": cfg.given,
            # what a synthetic table made elsewhere names as its training rows (generator.provided.trained_on)
            "train_fingerprint": table_fingerprint(pd.read_parquet(paths.train)),
            key: {"train": describe(train), "holdout": describe(holdout)},
        },
        paths.metrics.split,
        paths.details.split,
    )
    return f"{len(train):,} training rows, {len(holdout):,} holdout rows ({how})"


def given_holdout(params, train: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """The holdout file, read as ingest read the training part, its rows without a target left out, in the
    training part's columns and dtypes."""
    cfg, ingest, where = params.split, params.ingest, "split.holdout_source"
    with tempfile.TemporaryDirectory() as downloads:
        local = resolve_source(
            cfg.holdout_source, cfg.holdout_sha256, downloads, keys=(where, "split.holdout_sha256")
        )
        limits = TableLimits(max_columns=ingest.max_columns, max_cells=ingest.max_cells)
        holdout = read_table(local, ingest.format, ingest.na_values, limits, name=cfg.holdout_source)
    holdout = holdout.drop(columns=[name for name in ingest.columns.drop if name in holdout.columns])
    if params.target in holdout.columns:
        holdout = holdout[holdout[params.target].notna()].reset_index(drop=True)
    holdout = conform_table(holdout, train, params.target, schema.discrete_columns, where).frame
    if len(holdout) < 2:
        raise SynthproofError(f"{where}: the holdout has {len(holdout)} rows with a target: bring at least 2")
    return holdout


if __name__ == "__main__":
    run(main, PARAMS)
