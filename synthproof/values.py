"""Column values in the forms the evaluations share."""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_float(series: pd.Series) -> np.ndarray:
    """Numbers as float and datetimes as nanoseconds since the epoch; missing (or not a number) as NaN."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[ns]").astype("int64").where(series.notna()).to_numpy(float)
    return pd.to_numeric(series, errors="coerce").to_numpy(float)


def as_text(series: pd.Series, missing=np.nan) -> pd.Series:
    """Values as text (``str(value)``), missing as ``missing`` (NaN by default, so that models and
    encoders see it as missing). ``str`` runs once per distinct value, not once per row (seconds on a
    300k-row table); a float column goes row by row, since hashing merges -0.0 with 0.0, whose texts
    differ."""
    if pd.api.types.is_float_dtype(series.dtype):
        text = series.astype(object).map(str)
    else:
        codes, distinct = pd.factorize(series)  # missing: code -1, replaced below
        names = np.array([str(value) for value in distinct] + [""], dtype=object)
        text = pd.Series(names[codes], index=series.index)
    return text.where(series.notna(), missing)


def sorted_categories(texts: list[pd.Series]) -> list[str]:
    """The distinct values of several text columns (missing left out), sorted as Python sorts text (and
    scikit-learn's encoders with it): one category set for every frame a model meets."""
    return sorted(set().union(*(pd.unique(text.dropna()) for text in texts)))


def histogram_table(edges: np.ndarray, samples: dict[str, np.ndarray], shares: bool = False) -> pd.DataFrame:
    """One row per bin (``bin_start``, ``bin_end``), one column per sample: counts, or shares of it."""
    table = {"bin_start": edges[:-1].round(4), "bin_end": edges[1:].round(4)}
    for name, values in samples.items():
        counts = np.histogram(values, bins=edges)[0]
        table[name] = (counts / max(len(values), 1)).round(5) if shares else counts
    return pd.DataFrame(table)
