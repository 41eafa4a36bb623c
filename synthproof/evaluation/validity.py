"""Validity: plain checks a reviewer expects as a table, SDMetrics' ``BoundaryAdherence``,
``CategoryAdherence`` and ``KeyUniqueness``, and format adherence of text:

- **boundary adherence** (numeric and datetime columns): the share of synthetic values within the training
  rows' [min, max];
- **category adherence** (categorical columns): the share of synthetic values that the training rows hold;
- **format adherence** (categorical columns): the share of synthetic values whose shape (each letter as
  ``a``, each digit as ``9``, runs of one class as one) some training value has: a postcode ``AB1 2CD`` keeps
  its shape though the value is new;
- **key uniqueness** (ID columns): the share of synthetic keys that no other synthetic row repeats.

Missing values are left out of each share. Each column's shares and the table's (over every value of its
columns of that kind) come with Wilson's 95% interval; the holdout, checked the same way, is the reference
(real rows hold rare categories and extremes the training rows lack, so a real table scores below 1 too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.evaluation.uncertainty import interval_metrics, wilson
from synthproof.links import as_key
from synthproof.schema import CATEGORICAL, DATETIME, ID, NUMERIC, Schema
from synthproof.values import as_float

CHECKS = ("boundary_adherence", "category_adherence", "format_adherence", "key_uniqueness")
_LETTERS, _DIGITS = re.compile(r"[^\W\d_]+"), re.compile(r"\d+")


def shape_of(value: str) -> str:
    """A value's shape: runs of letters as ``a``, runs of digits as ``9``, other characters as they are."""
    return _DIGITS.sub("9", _LETTERS.sub("a", value))


@dataclass(frozen=True)
class _Count:
    passed: int
    checked: int

    def share(self) -> float:
        return self.passed / self.checked if self.checked else float("nan")


@dataclass(frozen=True)
class ValidityResult:
    """Each check's counts per column; the table's figure per check sums them."""

    columns: dict[str, dict[str, _Count]]  # check -> column -> counts

    def metrics(self, prefix: str = "validity_") -> dict:
        found = {}
        for check in CHECKS:
            counts = self.columns.get(check, {})
            if not counts:
                continue
            total = _Count(sum(c.passed for c in counts.values()), sum(c.checked for c in counts.values()))
            found[f"{prefix}{check}"] = round(total.share(), 4)
            found.update(interval_metrics(f"{prefix}{check}", wilson(total.passed, total.checked)))
        return found

    def table(self) -> pd.DataFrame:
        """One row per (check, column): the share that passed and its counts."""
        rows = [
            {"check": check, "column": name, "share": round(count.share(), 4), "passed": count.passed,
             "checked": count.checked}
            for check, counts in self.columns.items()
            for name, count in counts.items()
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=["check", "column", "share", "passed", "checked"])


def validity(schema: Schema, real: pd.DataFrame, other: pd.DataFrame) -> ValidityResult:
    """The four checks of ``other`` (a synthetic table, or the holdout for the reference) against ``real``."""
    found: dict[str, dict[str, _Count]] = {check: {} for check in CHECKS}
    for name in schema.names(NUMERIC, DATETIME):
        known, values = as_float(real[name]), as_float(other[name])
        known, values = known[~np.isnan(known)], values[~np.isnan(values)]
        if len(known):
            inside = (values >= known.min()) & (values <= known.max())
            found["boundary_adherence"][name] = _Count(int(inside.sum()), len(values))
    for name in schema.names(CATEGORICAL):
        known, values = as_key(real[name].dropna()), as_key(other[name].dropna())
        found["category_adherence"][name] = _Count(int(values.isin(set(known)).sum()), len(values))
        shapes = {shape_of(str(value)) for value in pd.unique(known)}
        well_formed = values.astype(str).map(shape_of).isin(shapes)
        found["format_adherence"][name] = _Count(int(well_formed.sum()), len(values))
    for name in schema.names(ID):
        keys = as_key(other[name].dropna())
        found["key_uniqueness"][name] = _Count(int((~keys.duplicated(keep=False)).sum()), len(keys))
    return ValidityResult({check: counts for check, counts in found.items() if counts})
