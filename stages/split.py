"""split: a stratified, seeded holdout that neither the generator nor any model trains on.

reads:  paths.raw
writes: paths.train, paths.holdout, paths.metrics.split (+ paths.details.split)
"""

import pandas as pd

from stages.common import run
from synthproof.io import write_metrics, write_parquet
from synthproof.split import split_holdout

PARAMS = ["seed", "target", "split"]


def main(params):
    paths = params.paths
    table = pd.read_parquet(paths.raw)
    train, holdout = split_holdout(table, params.target, params.split.holdout_fraction, params.seed)
    write_parquet(train, paths.train)
    write_parquet(holdout, paths.holdout)
    shares = lambda part: part[params.target].value_counts(normalize=True).round(4).to_dict()  # noqa: E731
    write_metrics(
        {
            "train_rows": len(train),
            "holdout_rows": len(holdout),
            "target_shares": {"train": shares(train), "holdout": shares(holdout)},
        },
        paths.metrics.split,
        paths.details.split,
    )
    return f"{len(train):,} training rows, {len(holdout):,} holdout rows (stratified on {params.target!r})"


if __name__ == "__main__":
    run(main, PARAMS)
