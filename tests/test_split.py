import numpy as np
import pandas as pd
import pytest

from synthproof.errors import SynthproofError
from synthproof.split import limit_rows, split_holdout, table_fingerprint


def test_holdout_is_stratified_disjoint_and_seeded(census):
    census = census.reset_index().rename(columns={"index": "row"})
    train, holdout = split_holdout(census, "income", 0.2, seed=7)
    assert len(holdout) == round(0.2 * len(census)) and len(train) + len(holdout) == len(census)
    assert set(train["row"]).isdisjoint(holdout["row"])
    share = census["income"].value_counts(normalize=True)
    assert holdout["income"].value_counts(normalize=True)["<=50K"] == pytest.approx(share["<=50K"], abs=2e-4)
    again, _ = split_holdout(census, "income", 0.2, seed=7)
    other, _ = split_holdout(census, "income", 0.2, seed=8)
    pd.testing.assert_frame_equal(train, again)
    assert not train["row"].equals(other["row"])


def test_a_class_with_one_row_cannot_be_stratified(census):
    frame = census.head(200).copy()
    frame.loc[0, "income"] = "unknown"
    with pytest.raises(SynthproofError, match="class 'unknown' has a single row"):
        split_holdout(frame, "income", 0.2, seed=0)


def test_a_holdout_too_small_for_the_classes_is_an_error(census):
    with pytest.raises(SynthproofError, match="split.holdout_fraction"):
        split_holdout(census.head(200), "income", 0.001, seed=0)


def test_limit_rows_is_a_seeded_sample(census):
    assert limit_rows(census, None, 0) is census
    first, second = limit_rows(census, 1000, 3), limit_rows(census, 1000, 3)
    assert len(first) == 1000
    pd.testing.assert_frame_equal(first, second)


def test_a_numeric_target_is_stratified_on_its_quantile_bins(census):
    """Regression: each side holds a tenth of its rows in each tenth of the target's range, seeded."""
    from synthproof.split import TARGET_BINS, strata

    census = census.reset_index().rename(columns={"index": "row"})
    labels = pd.Series(strata(census["age"], "regression"), index=census["row"])
    assert labels.value_counts().max() - labels.value_counts().min() <= 1  # equal bins, ties and all
    train, holdout = split_holdout(census, "age", 0.2, seed=7, task="regression")
    assert len(holdout) == round(0.2 * len(census))
    for part in (train, holdout):
        counts = labels[part["row"]].value_counts()
        assert len(counts) == TARGET_BINS and counts.max() - counts.min() <= 1, counts
    assert holdout["age"].min() <= census["age"].quantile(0.01) and holdout["age"].max() >= census[
        "age"
    ].quantile(0.99)
    again, _ = split_holdout(census, "age", 0.2, seed=7, task="regression")
    pd.testing.assert_frame_equal(train, again)


def test_a_numeric_target_on_a_tiny_table_still_splits():
    frame = pd.DataFrame({"x": range(12), "y": np.linspace(0, 1, 12)})
    train, holdout = split_holdout(frame, "y", 0.2, seed=0, task="regression")
    assert len(holdout) == 2 and len(train) == 10
    assert holdout["y"].min() < 0.5 < holdout["y"].max()  # two bins: one low value, one high


def test_a_fingerprint_survives_parquet_and_changes_with_one_value(census, tmp_path):
    part = census.head(2000)
    part.to_parquet(tmp_path / "part.parquet", index=False)
    fingerprint = table_fingerprint(part)
    assert table_fingerprint(pd.read_parquet(tmp_path / "part.parquet")) == fingerprint
    changed = part.copy()
    changed.loc[5, "age"] += 1
    assert table_fingerprint(changed) != fingerprint
    assert table_fingerprint(part[part.columns[::-1]]) != fingerprint


def test_a_given_holdout_is_read_within_ingest_s_bounds(tmp_path, monkeypatch, mixed_frame):
    """``split.holdout_source`` is read as ingest read the training part, within ``ingest.max_columns``
    and ``ingest.max_cells``; the split stage declares them (an undeclared key would raise)."""
    from pathlib import Path

    from stages.split import PARAMS, main
    from synthproof.config import Params, parse_params, restricted
    from tests.conftest import one_line, wide_csv, write_prepared_table

    monkeypatch.chdir(tmp_path)
    paths = Params().paths
    write_prepared_table(mixed_frame.drop(columns=["customer_id", "note"]), "label", paths.raw)
    wide_csv(tmp_path / "holdout.csv", columns=12, rows=10)
    for limit, message in (
        (
            {"max_columns": 11},
            "holdout.csv has 12 columns, more than the limit of 11 (ingest.max_columns; raise it to read "
            "this table, or drop columns before)",
        ),
        (
            {"max_cells": 119},
            "holdout.csv holds 10 lines x 12 columns = 120 cells, more than the limit of 119 "
            "(ingest.max_cells; raise it to read this table)",
        ),
    ):
        params = parse_params(
            {"target": "label", "ingest": limit, "split": {"holdout_source": "holdout.csv"}}
        )
        with pytest.raises(SynthproofError) as error:
            main(restricted(params, PARAMS, "split"))
        assert one_line(error) == message
    assert not Path(paths.train).exists() and not Path(paths.holdout).exists()
