import numpy as np
import pandas as pd
import pytest

from synthproof.errors import SynthproofError
from synthproof.schema import Schema, infer_kind, prepare_table


def test_census_kinds(census):
    table, schema, report = prepare_table(census, "income")
    kinds = schema.to_dict()["kinds"]
    assert kinds["numeric"] == [
        "age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week",
    ]  # fmt: skip
    assert "income" in kinds["categorical"] and "native_country" in kinds["categorical"]
    assert schema.discrete_columns == kinds["categorical"]
    assert report.rows_read == len(table) == 48842
    assert Schema.from_dict(schema.to_dict()) == schema


def test_kinds_of_a_mixed_frame(mixed_frame):
    expected = {
        "age": "numeric",
        "income": "numeric",
        "colour": "categorical",
        "member": "categorical",
        "joined": "datetime",
        "country": "constant",
        "note": "empty",
        "customer_id": "id",
        "label": "categorical",
    }
    assert {name: infer_kind(mixed_frame[name]) for name in mixed_frame} == expected


def test_iso_date_strings_are_datetimes_and_get_parsed(mixed_frame):
    frame = mixed_frame.drop(columns="note")
    frame["joined"] = frame["joined"].dt.strftime("%Y-%m-%d")
    table, schema, _ = prepare_table(frame, "label", min_rows=10)
    assert schema.names("datetime") == ["joined"]
    assert pd.api.types.is_datetime64_any_dtype(table["joined"])


def test_overrides_win_and_are_recorded(census):
    table, schema, report = prepare_table(
        census, "income", categorical=["education_num"], drop=["fnlwgt"], numeric=[]
    )
    column = {c.name: c for c in schema.columns}
    assert column["education_num"].kind == "categorical" and column["education_num"].source == "override"
    assert "fnlwgt" not in table.columns and report.columns_dropped == ["fnlwgt"]


def test_a_text_column_forced_numeric_names_the_bad_value(census):
    with pytest.raises(SynthproofError, match="'workclass' is listed in ingest.columns.numeric.*'State-gov'"):
        prepare_table(census, "income", numeric=["workclass"])


def test_an_override_of_a_missing_column_is_an_error(census):
    with pytest.raises(SynthproofError, match="ingest.columns.drop names 'salary'"):
        prepare_table(census, "income", drop=["salary"])


def test_a_column_in_two_override_lists_is_an_error(census):
    with pytest.raises(SynthproofError, match="both ingest.columns"):
        prepare_table(census, "income", categorical=["age"], numeric=["age"])


def test_an_absent_target_is_an_error(census):
    with pytest.raises(SynthproofError, match="target column 'salary' is not in the table"):
        prepare_table(census, "salary")


def test_a_target_with_one_class_is_an_error(census):
    rich = census[census["income"] == ">50K"]
    with pytest.raises(SynthproofError, match="only one class"):
        prepare_table(rich, "income")


def test_a_continuous_target_is_an_error_only_when_classification_is_asked_for(census):
    with pytest.raises(SynthproofError, match="'fnlwgt' has .* distinct values"):
        prepare_table(census, "fnlwgt", target_type="classification")
    with pytest.raises(SynthproofError, match="'occupation' has .* distinct values"):
        prepare_table(census, "occupation", max_target_classes=5)  # text: never regression
    assert prepare_table(census, "fnlwgt")[1].task == "regression"


def test_too_few_rows_is_an_error(census):
    with pytest.raises(SynthproofError, match="ingest.min_rows=100"):
        prepare_table(census.head(50), "income")


def test_rows_without_a_target_are_dropped_and_counted(census):
    frame = census.head(500).copy()
    frame.loc[:9, "income"] = np.nan
    table, schema, report = prepare_table(frame, "income")
    assert len(table) == schema.n_rows == 490 and report.rows_dropped_missing_target == 10


def test_an_empty_column_is_an_error_unless_kept(mixed_frame):
    with pytest.raises(SynthproofError, match="'note' is entirely empty.*ingest.columns.drop"):
        prepare_table(mixed_frame, "label", min_rows=10)
    _, schema, _ = prepare_table(mixed_frame, "label", min_rows=10, empty_columns="keep")
    assert schema.names("empty") == ["note"]
    _, schema, _ = prepare_table(mixed_frame, "label", min_rows=10, drop=["note"])
    assert "note" not in [c.name for c in schema.columns]


def test_a_numeric_target_with_many_values_is_regression_and_ingest_says_why(census):
    _, schema, _ = prepare_table(census, "age")
    assert schema.task == "regression" and "74 distinct values" in schema.task_reason
    assert "max_target_classes=50" in schema.task_reason
    assert next(c for c in schema.columns if c.name == "age").kind == "numeric"
    assert "age" not in schema.discrete_columns
    assert Schema.from_dict(schema.to_dict()) == schema
    _, income, _ = prepare_table(census, "income")
    assert income.task == "classification" and "2 classes" in income.task_reason


def test_target_type_forces_the_task(census):
    _, schema, _ = prepare_table(census, "education_num", target_type="regression")  # 16 values
    assert schema.task == "regression" and "ingest.target_type is regression" in schema.task_reason
    _, auto, _ = prepare_table(census, "education_num")
    assert auto.task == "classification"
    with pytest.raises(SynthproofError, match="'age' has 74 distinct values.*ingest.target_type: regression"):
        prepare_table(census, "age", target_type="classification")
    with pytest.raises(SynthproofError, match="'workclass' is not numeric.*ingest.target_type is regression"):
        prepare_table(census, "workclass", target_type="regression")


def test_a_target_listed_as_numeric_is_regression_and_a_clash_is_one_line(census):
    _, schema, _ = prepare_table(census, "education_num", numeric=["education_num"])
    assert (
        schema.task == "regression"
        and schema.task_reason == "listed in ingest.columns.numeric (16 distinct values)"
    )
    _, listed, _ = prepare_table(census, "education_num", categorical=["education_num"])
    assert (
        listed.task == "classification"
        and listed.task_reason == "listed in ingest.columns.categorical (16 classes)"
    )
    with pytest.raises(SynthproofError, match="listed in ingest.columns.numeric but ingest.target_type"):
        prepare_table(census, "education_num", numeric=["education_num"], target_type="classification")
    with pytest.raises(SynthproofError, match="listed in ingest.columns.categorical but ingest.target_type"):
        prepare_table(census, "age", categorical=["age"], target_type="regression")


def test_a_regression_target_must_be_finite():
    frame = pd.DataFrame({"x": range(200), "y": [float(i) for i in range(199)] + [np.inf]})
    with pytest.raises(SynthproofError, match="'y' holds inf: a regression target must be finite"):
        prepare_table(frame, "y", target_type="regression")


def test_a_numeric_one_class_target_is_named_as_a_plain_value():
    frame = pd.DataFrame({"x": range(200), "y": 1})
    with pytest.raises(SynthproofError, match=r"only one class \(1\)"):
        prepare_table(frame, "y")
