"""Column values in the forms the evaluations share."""

import numpy as np
import pandas as pd
import pytest

from synthproof.values import as_text


@pytest.mark.parametrize(
    "series",
    [
        pd.Series(["b", "a", None, "b", np.nan, "größe (cm)"]),
        pd.Series([3, 1, 3, 2]),
        pd.Series([1, None, 2], dtype="Int64"),
        pd.Series([True, False, None], dtype=object),
        pd.Series([1, "1", 1.5, None], dtype=object),  # mixed: 1 and '1' both read '1'
        pd.Series(pd.to_datetime(["2020-01-02", None, "2021-03-04 05:06"], format="ISO8601")),
        pd.Series(["x", "y", None], dtype="category"),
        pd.Series([0.0, -0.0, 1.5, np.nan]),  # -0.0 and 0.0 keep their own texts
        pd.Series([], dtype=object),
    ],
)
def test_texts_are_str_of_each_value_and_missing_stays_missing(series):
    """As text, row by row: str(value), missing as given (NaN unless told), whatever the dtype."""
    rowwise = series.astype(object).map(str).where(series.notna())
    pd.testing.assert_series_equal(as_text(series), rowwise)
    pd.testing.assert_series_equal(as_text(series, "<NA>"), rowwise.where(series.notna(), "<NA>"))
