"""Synthetic tables made elsewhere, judged by params only (generator.name provided), in temporary copies of
the repository: a cart table given back judges to the last digit; a table built here with plain pandas,
on a split given as two files, runs every stage; a bad table stops train in one line with no output."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from tests.conftest import (
    STAGES,
    copy_repo,
    dvc,
    ran_stages,
    read_details,
    read_metrics,
    set_params,
)

pytestmark = pytest.mark.integration

EVALUATION = ("discriminate", "fidelity", "privacy", "compare")
# what a rerun may change: the clock (a leaderboard's TT (Sec) too), the memory, the file a table came from
VOLATILE = re.compile(r"seconds|memory|_mb$|sha256|source|^TT ")


def figures(repo, stage) -> dict:
    return steady(read_details(repo, stage))


def steady(value):
    """``value`` without the figures a rerun may change, at any depth."""
    if isinstance(value, dict):
        return {key: steady(item) for key, item in value.items() if not VOLATILE.search(str(key))}
    return [steady(item) for item in value] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def cart_run(tmp_path_factory):
    # trained on the whole training part, as a maker handed data/split/train.parquet is
    repo = copy_repo(tmp_path_factory.mktemp("provided"), generator__name="cart", generator__max_rows=None)
    assert ran_stages(dvc("repro", cwd=repo).stdout) == STAGES
    return repo


def test_a_cart_table_given_back_is_judged_to_the_last_digit(cart_run):
    repo = cart_run
    before = {stage: figures(repo, stage) for stage in EVALUATION}
    (repo / "vendor").mkdir()
    (repo / "vendor/cart.parquet").write_bytes((repo / "data/synthetic.parquet").read_bytes())
    fingerprint = read_details(repo, "split")["train_fingerprint"]
    set_params(repo, generator__name="provided", generator__provided__source="vendor/cart.parquet")

    refused = dvc(
        "repro", cwd=repo, check=False
    )  # split here, and nothing says the maker never saw the holdout
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    (line,) = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert f"set generator.provided.trained_on: {fingerprint}" in line and "split.holdout_source" in line
    assert not (repo / "models/generator.zip").exists()

    set_params(repo, generator__provided__trained_on=fingerprint)
    synthetic = (repo / "data/synthetic.parquet").read_bytes()
    result = dvc("repro", cwd=repo)
    # the same rows, written to the same bytes: DVC finds every evaluation up to date
    assert ran_stages(result.stdout) == {"train", "sample", "report"}
    assert (repo / "data/synthetic.parquet").read_bytes() == synthetic
    for stage in EVALUATION:  # and each, run again on the provided table, gives the same figures
        assert ran_stages(dvc("repro", "--force", "--single-item", stage, cwd=repo).stdout) == {stage}
        assert figures(repo, stage) == before[stage], stage
    assert read_details(repo, "train")["generator"] == "provided"
    assert read_metrics(repo, "train")["provided_unseen_category_rows_share"] == 0.0


def test_a_bad_table_stops_train_in_one_line_with_no_output(cart_run):
    repo = cart_run
    good = pd.read_parquet(repo / "vendor/cart.parquet")
    bad = {
        "missing.parquet": (
            good.drop(columns="occupation"),
            r"columns \['occupation'\] of the real table are missing",
        ),
        "text.parquet": (good.assign(age="old"), r"column 'age' holds [\d,]+ values that are not numbers"),
        "empty.parquet": (good.head(0), "the table has no rows"),
        "extra.parquet": (good.assign(row_id=1), r"columns \['row_id'\] are not in the real table"),
    }
    for name, (table, message) in bad.items():
        table.to_parquet(repo / "vendor" / name, index=False)
        set_params(repo, generator__provided__source=f"vendor/{name}")
        result = dvc("repro", "train", cwd=repo, check=False)
        assert result.returncode != 0 and "Traceback" not in result.stderr, name
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and re.search(message, errors[0]), (name, errors)
        assert errors[0].startswith("error: generator.provided.source: "), errors[0]
        assert not (repo / "models/generator.zip").exists(), name


def outside_table(train: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    """A synthetic table as another tool hands it over: each column drawn alone from the training part
    with numpy, columns in another order, nullable dtypes, one category the real table never has."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({name: rng.choice(train[name].to_numpy(), rows) for name in train.columns[::-1]})
    for name in table.columns:
        if pd.api.types.is_integer_dtype(train[name]):
            table[name] = table[name].astype("Int64")
        elif train[name].dtype == object:
            table[name] = table[name].astype("string")
    table.loc[:9, "native_country"] = "Atlantis"
    return table


def test_a_table_made_outside_on_a_split_given_as_two_files(tmp_path, census):
    holdout_rows = census.sample(frac=0.2, random_state=5).index
    train, holdout = census.drop(index=holdout_rows), census.loc[holdout_rows]
    repo = copy_repo(tmp_path, source=tmp_path / "given/train.parquet")
    (tmp_path / "given").mkdir()
    train.to_parquet(tmp_path / "given/train.parquet", index=False)
    holdout.to_csv(tmp_path / "given/holdout.csv", index=False)
    outside_table(train, 3000, seed=1).to_parquet(tmp_path / "given/synthetic.parquet", index=False)
    set_params(
        repo,
        ingest__sha256=None,
        generator__max_rows=None,
        split__holdout_source=str(tmp_path / "given/holdout.csv"),
        generator__name="provided",
        generator__provided__source=str(tmp_path / "given/synthetic.parquet"),
    )
    result = dvc("repro", cwd=repo)
    assert ran_stages(result.stdout) == STAGES
    split = read_metrics(repo, "split")
    assert (
        split["split_given"] and split["holdout_rows"] == len(holdout) and split["train_rows"] == len(train)
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(repo / "data/split/holdout.parquet"),
        holdout.reset_index(drop=True),
        check_dtype=False,
    )
    synthetic = pd.read_parquet(repo / "data/synthetic.parquet")
    assert list(synthetic.columns) == list(train.columns) and len(synthetic) == 3000
    assert synthetic.dtypes.to_dict() == pd.read_parquet(repo / "data/split/train.parquet").dtypes.to_dict()
    details = read_details(repo, "train")
    assert details["provided_unseen_categories"] == {"native_country": 10}
    assert read_metrics(repo, "train")["provided_unseen_category_rows_share"] == round(10 / 3000, 4)
    # columns drawn alone: the discriminator tells them apart, the pair trends are gone
    assert read_metrics(repo, "discriminate")["discriminator_auc"] > 0.7
    assert json.loads((repo / "metrics/cost/report.json").read_text())
    assert "provided" in (repo / "reports/report.html").read_text()
