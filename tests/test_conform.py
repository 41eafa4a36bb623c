"""A table made elsewhere, brought to the real training part's columns and dtypes, or one line saying
which column is wrong: on the mixed frame and on real census rows."""

import numpy as np
import pandas as pd
import pytest

from synthproof.conform import conform_table
from synthproof.errors import SynthproofError

DISCRETE = ["colour", "member", "country", "label"]
WHERE = "generator.provided.source"


def outside_copy(real: pd.DataFrame) -> pd.DataFrame:
    """The rows as another tool writes them: reversed columns, nullable dtypes, dates as text."""
    table = real[real.columns[::-1]].copy()
    table["age"] = table["age"].astype("Int64")
    table["income"] = table["income"].astype("Float64")
    table["member"] = table["member"].astype("boolean")
    for name in ("colour", "country", "customer_id", "label"):
        table[name] = table[name].astype("string")
    table["joined"] = table["joined"].dt.strftime("%Y-%m-%d")
    return table


def test_the_same_rows_from_another_tool_come_back_identical(mixed_frame):
    conformed = conform_table(outside_copy(mixed_frame), mixed_frame, "label", DISCRETE, WHERE)
    pd.testing.assert_frame_equal(conformed.frame, mixed_frame)
    assert conformed.unseen_categories == {} and conformed.dropped_columns == []


def test_rows_in_the_real_dtypes_are_taken_as_they_are(census):
    conformed = conform_table(census.sample(500, random_state=0), census, "income", ["sex"], WHERE)
    assert conformed.frame.dtypes.to_dict() == census.dtypes.to_dict()
    pd.testing.assert_frame_equal(conformed.frame, census.sample(500, random_state=0).reset_index(drop=True))


def test_unseen_categories_are_counted_not_refused(census):
    table = census.head(200).copy()
    table.loc[:4, "workclass"] = "Astronaut"
    table.loc[3:9, "race"] = "Martian"
    conformed = conform_table(table, census, "income", ["workclass", "race", "income"], WHERE)
    assert conformed.unseen_categories == {"workclass": 5, "race": 7}
    assert conformed.unseen_category_rows == 10
    assert conformed.report()["unseen_category_rows_share"] == 0.05


def test_integers_with_gaps_or_fractions_stay_floats(mixed_frame):
    table = mixed_frame.copy()
    table["age"] = table["age"].astype(float)
    table.loc[0, "age"] = np.nan
    assert conform_table(table, mixed_frame, "label", DISCRETE, WHERE).frame["age"].dtype == "float64"
    table["age"] = table["age"].fillna(40.0)
    assert conform_table(table, mixed_frame, "label", DISCRETE, WHERE).frame["age"].dtype == "int64"


def test_extra_columns_are_an_error_or_dropped(mixed_frame):
    table = mixed_frame.assign(vendor_row_id=range(len(mixed_frame)))
    with pytest.raises(SynthproofError, match=r"columns \['vendor_row_id'\] are not in the real table.*drop"):
        conform_table(table, mixed_frame, "label", DISCRETE, WHERE)
    conformed = conform_table(table, mixed_frame, "label", DISCRETE, WHERE, extra_columns="drop")
    assert list(conformed.frame.columns) == list(mixed_frame.columns)
    assert conformed.dropped_columns == ["vendor_row_id"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.drop(columns="label"),
            r"^generator.provided.source: the target column 'label' is missing",
        ),
        (
            lambda t: t.drop(columns=["colour", "joined"]),
            r"columns \['colour', 'joined'\] of the real table are missing",
        ),
        (lambda t: t.head(0), r"the table has no rows"),
        (
            lambda t: t.assign(age=["forty"] * 2 + ["n/a"] + list(t["age"].astype(str))[3:]),
            r"column 'age' holds 3 values that are not numbers as in the real table, such as "
            r"\['forty', 'n/a'\]",
        ),
        (lambda t: t.assign(joined="soon"), r"column 'joined' holds 200 values that are not dates"),
        (lambda t: t.assign(member="maybe"), r"column 'member' holds 200 values that are not true/false"),
    ],
    ids=["no target", "missing columns", "empty", "text in a number", "text in a date", "text in a flag"],
)
def test_each_bad_table_is_one_line_naming_the_column(mixed_frame, change, message):
    with pytest.raises(SynthproofError, match=message) as error:
        conform_table(change(mixed_frame), mixed_frame, "label", DISCRETE, WHERE)
    assert "\n" not in str(error.value)


def test_codes_written_as_numbers_match_text_categories():
    real = pd.DataFrame({"grade": ["1", "2", "3", None], "y": ["a", "b", "a", "b"]})
    table = pd.DataFrame({"y": ["a", "b"], "grade": [1.0, 3.0]})
    conformed = conform_table(table, real, "y", ["grade", "y"], WHERE)
    assert conformed.frame["grade"].tolist() == ["1", "3"] and conformed.unseen_categories == {}


def test_timezones_follow_the_real_column():
    real = pd.DataFrame(
        {"at": pd.to_datetime(["2024-01-01 10:00", "2024-02-01 00:00"]).tz_localize("UTC"), "y": [0, 1]}
    )
    table = pd.DataFrame({"at": ["2024-03-01T12:00:00+01:00", "2024-01-05"], "y": [1, 0]})
    stamps = conform_table(table, real, "y", ["y"], WHERE).frame["at"]
    assert str(stamps.dtype) == "datetime64[ns, UTC]" and stamps[0].hour == 11
