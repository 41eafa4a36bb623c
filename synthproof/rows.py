"""Whole-row identity, shared by the copy guard at sampling and the privacy figures."""

from __future__ import annotations

import numpy as np
import pandas as pd


def row_hashes(frame: pd.DataFrame) -> pd.Series:
    """One hash per row of ``frame``. Values hash by their text, so 1 and 1.0 differ as they would in
    the written table, and every missing value equals every other."""
    return pd.util.hash_pandas_object(frame.astype(str), index=False)


def copy_mask(rows: pd.DataFrame, reference: pd.DataFrame | set) -> np.ndarray:
    """For each of ``rows``, whether some row of ``reference`` equals it in every column of ``rows``.

    ``reference`` may be the set of its :func:`row_hashes`, to hash it once for many calls.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    seen = reference if isinstance(reference, set) else set(row_hashes(reference[list(rows.columns)]))
    return row_hashes(rows).isin(seen).to_numpy()
