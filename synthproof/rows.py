"""Whole-row identity, shared by the copy guard at sampling and the privacy figures."""

from __future__ import annotations

import numpy as np
import pandas as pd


def copy_mask(rows: pd.DataFrame, reference: pd.DataFrame) -> np.ndarray:
    """For each of ``rows``, whether some row of ``reference`` equals it in every column of ``rows``.

    Values compare by their text, so 1 and 1.0 differ as they would in the written table, and every
    missing value equals every other.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    columns = list(rows.columns)
    hashes = [
        pd.util.hash_pandas_object(frame[columns].astype(str), index=False) for frame in (rows, reference)
    ]
    return hashes[0].isin(set(hashes[1])).to_numpy()
