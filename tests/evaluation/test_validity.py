"""Validity checks on tables built in code, where each share is known, and on real census rows."""

import pandas as pd

from synthproof.evaluation.validity import shape_of, validity
from synthproof.schema import CATEGORICAL, ID, NUMERIC, Column, Schema
from tests.conftest import disjoint_census, schema_of


def test_each_check_counts_what_breaks_it():
    schema = Schema("city", 0, [Column("age", NUMERIC, "", 0, 0, "inferred"),
                                Column("postcode", CATEGORICAL, "", 0, 0, "inferred"),
                                Column("city", CATEGORICAL, "", 0, 0, "inferred"),
                                Column("key", ID, "", 0, 0, "inferred")])  # fmt: skip
    real = pd.DataFrame({"age": [18, 40, 90, None], "postcode": ["AB1 2CD", "EF3 4GH", "IJ5 6KL", "MN7 8OP"],
                         "city": ["Lyon", "Porto", "Quito", None], "key": [1, 2, 3, 4]})  # fmt: skip
    synthetic = pd.DataFrame({"age": [17, 40, 91, None], "postcode": ["ZZ9 9ZZ", "EF3 4GH", "12345", None],
                              "city": ["Lyon", "Lyon", "Oslo", "Quito"], "key": [7, 7, 8, 9]})  # fmt: skip
    result = validity(schema, real, synthetic)
    found = result.metrics()
    assert found["validity_boundary_adherence"] == round(1 / 3, 4)  # 17 and 91 outside [18, 90]; NaN left out
    assert found["validity_category_adherence"] == round(4 / 7, 4)  # a new postcode and a new city of 7
    assert found["validity_format_adherence"] == round(6 / 7, 4)  # "12345" is no postcode; "Oslo" is a word
    assert found["validity_key_uniqueness"] == 0.5  # 7 twice
    table = result.table().set_index(["check", "column"])
    assert table.loc[("format_adherence", "postcode"), "passed"] == 2 and shape_of("AB1 2CD") == "a9 9a"


def test_unseen_real_rows_adhere_almost_everywhere(census):
    (train, holdout), categorical, numeric = disjoint_census(census, (8000, 4000), seed=2)
    found = validity(schema_of("income", categorical, numeric), train, holdout).metrics()
    for check in ("boundary_adherence", "category_adherence", "format_adherence"):
        assert 0.995 < found[f"validity_{check}"] <= 1.0, (check, found)
    assert "validity_key_uniqueness" not in found  # census has no key
