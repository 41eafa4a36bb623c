"""split: a stratified, seeded holdout that neither the generator nor any model trains on.

reads:  paths.raw, paths.schema (classification or regression: classes or quantile bins of the target)
writes: paths.train, paths.holdout, paths.metrics.split (+ paths.details.split)
"""

import pandas as pd

from stages.common import run
from synthproof.evaluation.zoo import CLASSIFICATION
from synthproof.io import read_json, write_metrics, write_parquet
from synthproof.schema import Schema
from synthproof.split import split_holdout

PARAMS = ["seed", "target", "split"]
QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]


def main(params):
    paths = params.paths
    table, task = pd.read_parquet(paths.raw), Schema.from_dict(read_json(paths.schema)).task
    train, holdout = split_holdout(table, params.target, params.split.holdout_fraction, params.seed, task)
    write_parquet(train, paths.train)
    write_parquet(holdout, paths.holdout)

    def describe(part: pd.DataFrame) -> dict:  # each side's class shares, or a numeric target's quantiles
        values = part[params.target]
        spread = values.value_counts(normalize=True) if task == CLASSIFICATION else values.quantile(QUANTILES)
        return spread.round(4).to_dict()

    key = "target_shares" if task == CLASSIFICATION else "target_quantiles"
    write_metrics(
        {
            "train_rows": len(train),
            "holdout_rows": len(holdout),
            key: {"train": describe(train), "holdout": describe(holdout)},
        },
        paths.metrics.split,
        paths.details.split,
    )
    return f"{len(train):,} training rows, {len(holdout):,} holdout rows (stratified on {params.target!r})"


if __name__ == "__main__":
    run(main, PARAMS)
