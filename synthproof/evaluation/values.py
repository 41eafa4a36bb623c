"""Column values in the forms the evaluations share."""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_float(series: pd.Series) -> np.ndarray:
    """Numbers as float and datetimes as nanoseconds since the epoch; missing (or not a number) as NaN."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[ns]").astype("int64").where(series.notna()).to_numpy(float)
    return pd.to_numeric(series, errors="coerce").to_numpy(float)
