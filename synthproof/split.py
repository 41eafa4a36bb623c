"""The holdout split, the strata every split keeps, and seeded row limits."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from synthproof.errors import SynthproofError
from synthproof.tasks import CLASSIFICATION

TARGET_BINS = 10  # a numeric target is stratified on this many quantile bins


def strata(target: pd.Series, task: str, bins: int = TARGET_BINS) -> np.ndarray:
    """What a split stratifies on: the classes (as text), or for a numeric target (regression) its
    quantile bin, so that each side covers the target's range. The bins are cut on the rows' ranks,
    ties broken by position, so they hold equal counts even where one value fills many rows."""
    if task == CLASSIFICATION:
        return target.astype(str).to_numpy()
    bins = max(1, min(bins, len(target) // 2))  # two rows a bin at least: each side of a split gets one
    ranks = target.rank(method="first").to_numpy()
    return np.floor((ranks - 1) * bins / len(target)).astype(int).astype(str)


def split_holdout(
    df: pd.DataFrame, target: str, holdout_fraction: float, seed: int, task: str = CLASSIFICATION
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``df`` into (train, holdout), stratified on ``target``'s :func:`strata` and seeded."""
    n_holdout = round(len(df) * holdout_fraction)
    bins = min(TARGET_BINS, n_holdout, len(df) - n_holdout)  # each side one row of each bin
    labels = pd.Series(strata(df[target], task, max(bins, 1)), index=df.index)
    counts = labels.value_counts()
    rare = counts[counts < 2]
    if len(rare):
        raise SynthproofError(
            f"target {target!r} class {rare.index[0]!r} has a single row: a stratified holdout "
            "needs at least two per class; remove the row or merge the class"
        )
    if not len(counts) <= n_holdout <= len(df) - len(counts):
        raise SynthproofError(
            f"split.holdout_fraction={holdout_fraction} leaves {n_holdout} of {len(df)} rows in "
            f"the holdout, but each side needs one row of each of the {len(counts)} classes "
            "(quantile bins of a numeric target): "
            "change split.holdout_fraction"
        )
    train, holdout = train_test_split(
        df,
        test_size=n_holdout,
        stratify=df[target] if task == CLASSIFICATION else labels,  # the classes in their own order
        random_state=seed,
        shuffle=True,
    )
    return train.reset_index(drop=True), holdout.reset_index(drop=True)


def limit_rows(df: pd.DataFrame, max_rows: int | None, seed: int) -> pd.DataFrame:
    """A seeded random sample of at most ``max_rows`` rows (all rows when ``max_rows`` is None)."""
    if max_rows is None or len(df) <= max_rows:
        return df
    return df.sample(n=max_rows, random_state=seed).reset_index(drop=True)


def table_fingerprint(df: pd.DataFrame) -> str:
    """A sha256 of a table's column names, dtypes and values (not of its file's bytes, which a Parquet
    writer's version changes): what a provided synthetic table says it was made from."""
    digest = hashlib.sha256()
    digest.update(repr([(str(name), str(df[name].dtype)) for name in df.columns]).encode())
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()
