"""Sanity checks that need no model: values outside the real range, dtypes and category sets."""

from __future__ import annotations

import pandas as pd


def out_of_range_share(real: pd.Series, synthetic: pd.Series) -> float:
    """Share of non-missing synthetic values outside [min, max] of the real ones."""
    real, synthetic = real.dropna(), synthetic.dropna()
    if len(synthetic) == 0 or len(real) == 0:
        return 0.0
    outside = (synthetic < real.min()) | (synthetic > real.max())
    return float(outside.mean())


def unseen_category_share(real: pd.Series, synthetic: pd.Series) -> float:
    """Share of non-missing synthetic values that never occur in the real column."""
    synthetic = synthetic.dropna()
    if len(synthetic) == 0:
        return 0.0
    return float((~synthetic.isin(set(real.dropna()))).mean())


def column_sanity(
    real: pd.DataFrame, synthetic: pd.DataFrame, ordered: list[str], discrete: list[str]
) -> dict:
    """Per column: dtype match, missing shares, and out-of-range (``ordered``) or unseen-category
    (``discrete``) shares of ``synthetic`` against ``real``."""
    report = {}
    for name in real.columns:
        entry = {
            "dtype_matches": str(real[name].dtype) == str(synthetic[name].dtype),
            "missing_share_real": round(float(real[name].isna().mean()), 4),
            "missing_share_synthetic": round(float(synthetic[name].isna().mean()), 4),
        }
        if name in ordered:
            entry["out_of_range_share"] = round(out_of_range_share(real[name], synthetic[name]), 4)
        if name in discrete:
            entry["unseen_category_share"] = round(unseen_category_share(real[name], synthetic[name]), 4)
        report[name] = entry
    return report
