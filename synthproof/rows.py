"""Whole-row identity, shared by the copy guard at sampling and the privacy figures."""

from __future__ import annotations

import numpy as np
import pandas as pd


def row_hashes(frame: pd.DataFrame) -> pd.Series:
    """One hash per row of ``frame``. Numbers hash by their value, so 1 and 1.0 (an integer column a
    writer widened to floats) and 0.0 and -0.0 are one value; other values hash by their text; every
    missing value equals every other."""
    return pd.util.hash_pandas_object(
        pd.DataFrame({name: _comparable(column) for name, column in frame.items()}), index=False
    )


def _comparable(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        values = pd.to_numeric(column, errors="coerce").astype("float64")
        # one NaN for every missing value (a NaN made by 0/0 carries another bit pattern), and -0.0 + 0.0
        # is 0.0
        return values.where(values.notna(), np.nan) + 0.0
    return column.astype(object).where(column.notna(), None).astype(str)


def copy_mask(rows: pd.DataFrame, reference: pd.DataFrame | set) -> np.ndarray:
    """For each of ``rows``, whether some row of ``reference`` equals it in every column of ``rows``.

    ``reference`` may be the set of its :func:`row_hashes`, to hash it once for many calls.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=bool)
    seen = reference if isinstance(reference, set) else set(row_hashes(reference[list(rows.columns)]))
    return row_hashes(rows).isin(seen).to_numpy()
