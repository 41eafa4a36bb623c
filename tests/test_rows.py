"""Whole-row identity: a copy is a copy whatever dtype the table it sits in gives its numbers."""

import numpy as np
import pandas as pd

from synthproof.rows import copy_mask, row_hashes


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {"visits": [0, 1, 2, 3], "income": [1.5, 2.0, -0.0, 4.25], "state": ["a", "b", None, "d"]}
    )


def test_whole_numbers_stored_as_floats_are_still_copies():
    # the audit's randhie cells: a rung whose integer columns became floats read 55% copies as none
    table = _table()
    widened = table.astype({"visits": "float64"})
    assert copy_mask(widened, table).all()
    assert copy_mask(table.astype({"visits": "Int64"}), widened).all()


def test_zero_signs_and_missing_values_are_one_value_each():
    table = _table()
    other = table.assign(income=[1.5, 2.0, 0.0, 4.25], state=["a", "b", np.nan, "d"])
    assert (row_hashes(table) == row_hashes(other)).all()
    with np.errstate(invalid="ignore"):
        computed = np.array([np.inf]) - np.array([np.inf])  # a NaN of another bit pattern than np.nan's
    gaps = pd.DataFrame({"x": [np.nan]}), pd.DataFrame({"x": computed})
    assert row_hashes(gaps[0]).iat[0] == row_hashes(gaps[1]).iat[0]


def test_a_different_value_is_not_a_copy():
    table = _table()
    assert not copy_mask(table.assign(visits=[0.5, 1, 2, 3]), table)[0]
    assert not copy_mask(table.assign(state=["a", "b", "c", "d"]), table)[2]
    assert copy_mask(table.assign(state=["a", "b", "c", "d"]), table).sum() == 3
