"""The holdout split, and seeded row limits."""

from __future__ import annotations

import pandas as pd
from sklearn.model_selection import train_test_split

from synthproof.errors import SynthproofError


def split_holdout(
    df: pd.DataFrame, target: str, holdout_fraction: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``df`` into (train, holdout), stratified on ``target`` and seeded."""
    counts = df[target].value_counts()
    rare = counts[counts < 2]
    if len(rare):
        raise SynthproofError(
            f"target {target!r} class {rare.index[0]!r} has a single row: a stratified holdout "
            "needs at least two per class; remove the row or merge the class"
        )
    n_holdout = round(len(df) * holdout_fraction)
    if not len(counts) <= n_holdout <= len(df) - len(counts):
        raise SynthproofError(
            f"split.holdout_fraction={holdout_fraction} leaves {n_holdout} of {len(df)} rows in "
            f"the holdout, but each side needs one row of each of the {len(counts)} classes: "
            "change split.holdout_fraction"
        )
    train, holdout = train_test_split(
        df, test_size=n_holdout, stratify=df[target], random_state=seed, shuffle=True
    )
    return train.reset_index(drop=True), holdout.reset_index(drop=True)


def limit_rows(df: pd.DataFrame, max_rows: int | None, seed: int) -> pd.DataFrame:
    """A seeded random sample of at most ``max_rows`` rows (all rows when ``max_rows`` is None)."""
    if max_rows is None or len(df) <= max_rows:
        return df
    return df.sample(n=max_rows, random_state=seed).reset_index(drop=True)
