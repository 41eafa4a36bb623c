import re
from pathlib import Path

import pytest
import yaml

from synthproof.config import Params, parse_params
from synthproof.config.load import RENAMED
from synthproof.config.paths import Paths, StageMetrics
from synthproof.errors import SynthproofError

REPO = Path(__file__).resolve().parents[2]


def load_repo_params() -> dict:
    return yaml.safe_load((REPO / "params.yaml").read_text())


def test_the_repository_params_are_valid_and_name_every_option():
    data = load_repo_params()
    params = parse_params(data)
    assert params.target == "income" and params.generator.name == "ctgan"
    # Every option has a line in params.yaml: nothing is left to a hidden default. (The grid's datasets
    # are tables, not options: each names only the ingest keys it needs.)
    assert _options(data) == _options(_as_dict(Params())) - _keys({"paths": _as_dict(Params().paths)})
    assert list(params.grid.datasets) == ["census", "bank_marketing"]


def test_the_code_defaults_are_the_values_in_params_yaml():
    """A notebook calling the package with defaults gets what `dvc repro` gets."""
    from_file = _flat(_as_dict(parse_params(load_repo_params())))
    in_code = _flat(_as_dict(Params()))
    differ = {
        key: (in_code.get(key), from_file[key])
        for key in from_file
        if not key.startswith("grid.datasets.") and in_code.get(key) != from_file[key]
    }
    assert differ == {}, "code default, params.yaml value"


def _options(data):
    return {key for key in _keys(data) if not key.startswith("grid.datasets.")}


def _as_dict(obj):
    import dataclasses

    return dataclasses.asdict(obj)


def _flat(data, prefix=""):
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def _keys(data, prefix=""):
    keys = set()
    for key, value in data.items():
        keys.add(prefix + key)
        if isinstance(value, dict):
            keys |= _keys(value, f"{prefix}{key}.")
    return keys


def test_a_typo_is_an_error_with_a_suggestion():
    data = load_repo_params()
    data["generator"]["epoch"] = data["generator"].pop("epochs")
    with pytest.raises(SynthproofError, match=r"unknown key generator.epoch \(did you mean generator.epochs"):
        parse_params(data)


@pytest.mark.parametrize(
    ("section", "key", "value", "message"),
    [
        ("generator", "epochs", "ten", "generator.epochs must be of type int"),
        ("generator", "epochs", True, "generator.epochs must be of type int"),
        ("split", "holdout_fraction", 1.5, "holdout_fraction must be between 0 and 1"),
        ("generator", "batch_size", 505, "batch_size must be an even number"),
        ("generator", "batch_size", 502, "multiple of generator.ctgan.pac"),
        ("ingest", "format", "xlsx", r"ingest.format must be one of \['auto', 'csv', 'parquet', 'excel'\]"),
        ("ingest", "na_values", "?", "ingest.na_values must be a list"),
        ("ingest", "sha256", "abc", "64 hex digits"),
        ("generator", "name", "smote", r"generator.name must be one of \['ctgan', 'tvae'"),
        ("generator", "device", "gpu", "generator.device must be auto, cpu, cuda or cuda:N"),
        ("sample", "max_rejection_rounds", 0, "sample.max_rejection_rounds must be >= 1"),
        ("sample", "reject_copies", "yes", "sample.reject_copies must be of type bool"),
        ("generator", "threads", 0, "generator.threads must be >= 1"),
        ("compute", "threads", 0, "compute.threads must be auto or an integer >= 1"),
        ("compute", "threads", "all", r"compute.threads must be of type int or one of \['auto'\], got 'all'"),
    ],
)
def test_wrong_values_name_the_param(section, key, value, message):
    data = load_repo_params()
    data[section][key] = value
    with pytest.raises(SynthproofError, match=message):
        parse_params(data)


def test_floats_written_the_yaml_1_1_way_are_read_as_floats():
    data = load_repo_params()
    data["generator"]["ctgan"]["generator_lr"] = "1e-3"
    data["generator"]["epochs"] = 5
    params = parse_params(data)
    assert params.generator.ctgan.generator_lr == pytest.approx(1e-3)
    data["generator"]["max_training_minutes"] = 2  # an int where a float is asked is fine
    assert parse_params(data).generator.max_training_minutes == 2.0


def test_nested_unknown_keys_are_caught():
    data = load_repo_params()
    data["ingest"]["columns"]["categorial"] = ["sex"]
    with pytest.raises(SynthproofError, match="ingest.columns.categorial"):
        parse_params(data)


def test_each_generator_s_own_params_are_checked_under_its_key():
    data = load_repo_params()
    data["generator"]["cart"]["min_samples_leaf"] = 0
    with pytest.raises(SynthproofError, match="generator.cart.min_samples_leaf must be >= 1"):
        parse_params(data)
    data = load_repo_params()
    data["generator"]["resample"] = {"replace": True}
    with pytest.raises(SynthproofError, match="unknown key generator.resample.replace"):
        parse_params(data)
    data = load_repo_params()
    data["generator"].update(name="tvae", batch_size=502)  # pac only constrains ctgan
    assert parse_params(data).generator.batch_size == 502
    data = load_repo_params()
    data["generator"]["tabular_argn"]["model"] = "MOSTLY_AI/Huge"
    with pytest.raises(
        SynthproofError, match=r"generator.tabular_argn.model must be one of \['MOSTLY_AI/Small'"
    ):
        parse_params(data)


def test_a_grid_cell_has_its_dataset_its_generator_and_files_of_its_own():
    params = parse_params(load_repo_params())
    cell = params.in_grid("bank_marketing", "cart")
    assert cell.target == "y" and cell.generator.name == "cart"
    assert cell.ingest.source.endswith("bank_marketing.csv.gz") and cell.ingest.na_values == []
    assert cell.ingest.min_rows == 100  # a key the entry leaves out takes ingest's default
    assert cell.generator.epochs == params.generator.epochs and cell.compare == params.compare
    # a dataset's own files once per dataset, the rest once per cell
    assert cell.paths.train == "grid/cells/bank_marketing/data/split/train.parquet"
    assert cell.paths.metrics.split == "grid/cells/bank_marketing/metrics/split.json"
    assert cell.paths.model == "grid/cells/bank_marketing/cart/models/generator.zip"
    assert cell.paths.details.compare == "grid/cells/bank_marketing/cart/metrics/details/compare.json"
    assert cell.paths.discriminate.linked == "grid/cells/bank_marketing/cart/data/discriminate/linked"
    # the real rows' own scores: once per dataset, read by every cell
    assert cell.paths.reference.compare == "grid/cells/bank_marketing/data/reference/compare.json"
    assert cell.paths.metrics.score_real == "grid/cells/bank_marketing/metrics/score_real.json"
    assert cell.paths.grid == params.paths.grid
    assert params.in_grid("census").paths.raw == "grid/cells/census/data/raw/table.parquet"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda g: g["datasets"]["census"].update(sha265="0" * 64),
            r"unknown key grid.datasets.census.sha265",
        ),
        (lambda g: g["datasets"]["census"].pop("source"), r"grid.datasets.census.source is missing"),
        (
            lambda g: g["datasets"]["census"].pop("target"),
            r"grid.datasets.census must be a mapping with a target",
        ),
        (
            lambda g: g["datasets"].update({"bank-2": {"target": "y", "source": "b.csv"}}),
            "letters, digits and _",
        ),
        (lambda g: g.update(generators=["cart", "smote"]), r"grid.generators: unknown names \['smote'\]"),
        (lambda g: g.update(generators=["cart", "cart"]), "grid.generators lists a name twice"),
        (lambda g: g.update(datasets=["census"]), "grid.datasets must be a mapping of names"),
        (
            lambda g: g.update(generators=["cart", "provided"]),
            r"grid.generators: unknown names \['provided'\]",
        ),
        (
            lambda g: g.update(provided={"acme": {"dataset": "adult", "source": "a.csv"}}),
            r"grid.provided.acme.dataset must name one of grid.datasets \['census', 'bank_marketing'\]",
        ),
        (
            lambda g: g.update(provided={"acme": {"dataset": "census"}}),
            r"grid.provided.acme.source is missing",
        ),
        (
            lambda g: g.update(provided={"cart": {"dataset": "census", "source": "a.csv"}}),
            "a generator's name",
        ),
        (
            lambda g: g.update(provided={"acme": {"dataset": "census", "sorce": "a"}}),
            r"did you mean grid.provided",
        ),
    ],
)
def test_bad_grid_params_are_errors_naming_the_key(change, message):
    data = load_repo_params()
    change(data["grid"])
    with pytest.raises(SynthproofError, match=message):
        parse_params(data)


def test_a_provided_table_is_a_cell_of_its_dataset_split_here():
    data = load_repo_params()
    data["split"]["holdout_source"] = "main-holdout.parquet"  # the main pipeline's: never a grid dataset's
    data["grid"]["provided"] = {
        "acme": {"dataset": "census", "source": "vendor/acme.csv", "trained_on": "ab"}
    }
    params = parse_params(data)
    cell = params.in_grid("census", "acme")
    assert cell.generator.name == "provided" and cell.generator.provided.source == "vendor/acme.csv"
    assert cell.generator.provided.trained_on == "ab" and not cell.split.given
    assert cell.paths.model == "grid/cells/census/acme/models/generator.zip"
    assert cell.paths.train == "grid/cells/census/data/split/train.parquet"  # the generators' split
    with pytest.raises(
        SynthproofError, match=r"grid.provided.acme is a table of 'census', not 'bank_marketing'"
    ):
        params.in_grid("bank_marketing", "acme")


def test_a_cell_outside_the_grid_is_an_error():
    data = load_repo_params()
    data["grid"]["generators"] = ["cart"]
    params = parse_params(data)
    with pytest.raises(SynthproofError, match=r"grid.generators has no 'ctgan'"):
        params.in_grid("census", "ctgan")
    with pytest.raises(SynthproofError, match=r"grid.datasets has no 'adult'"):
        params.in_grid("adult", "cart")


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("schema", "../../x/schema.json"),
        ("raw", "/tmp/table.parquet"),
        ("model", "~/model.zip"),
        ("report", "reports\\..\\..\\x.html"),
        ("synthetic", "C:/synthetic.parquet"),
        ("train", ""),
    ],
)
def test_a_path_outside_the_repository_is_refused(key, path):
    with pytest.raises(
        SynthproofError, match=rf"paths\.{key} is .*must be relative and inside the repository"
    ):
        Paths(**{key: path})
    with pytest.raises(SynthproofError, match=r"paths\.metrics\.train is"):
        Paths(metrics=StageMetrics(train="metrics/../../train.json"))


def test_paths_are_no_params_and_an_old_key_names_its_new_one():
    """Paths are fixed in code (dvc.yaml's vars come from it); a row budget is its section's max_rows."""
    data = load_repo_params()
    data["paths"] = {"raw": "/tmp/table.parquet"}
    with pytest.raises(SynthproofError, match=r"^params.yaml: paths is not a param: .*config/paths.py"):
        parse_params(data)
    for old, new in RENAMED.items():
        data = load_repo_params()
        section, _, key = old.rpartition(".")
        data[section][key] = 100
        said = rf"^params.yaml: {re.escape(old)} is now called {re.escape(new)}"
        with pytest.raises(SynthproofError, match=said):
            parse_params(data)
    moved = parse_params({"generator": {"max_rows": 100}, "privacy": {"dcr": {"max_rows": 200}}})
    assert (moved.generator.max_rows, moved.privacy.dcr.max_rows) == (100, 200)


@pytest.mark.parametrize(
    ("privacy", "message"),
    [
        ({"max_epsilon": 1.0, "value_protection_epsilon": 1.0}, "must be below max_epsilon (1.0)"),
        ({"max_epsilon": 0}, "max_epsilon must be > 0 or null"),
        ({"delta": 1}, "delta must be in (0, 1)"),
    ],
)
def test_bad_differential_privacy_params_are_one_line_errors(privacy, message):
    with pytest.raises(SynthproofError, match=re.escape(message)):
        parse_params({"generator": {"tabular_argn": {"differential_privacy": privacy}}})


def test_an_unbounded_epsilon_and_dp_without_value_protection_are_told_apart():
    unbounded = {"differential_privacy": {"enabled": True, "max_epsilon": None}}
    parsed = parse_params({"generator": {"tabular_argn": unbounded}}).generator.tabular_argn
    assert parsed.differential_privacy.max_epsilon is None
    with pytest.raises(SynthproofError, match="needs generator.tabular_argn.value_protection: true"):
        parse_params({"generator": {"tabular_argn": {**unbounded, "value_protection": False}}})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seed": 4294967296}, r"seed must be an integer from 0 to 4294967285 .*got 4294967296"),
        ({"seed": -1}, r"seed must be an integer from 0 to"),
        ({"seed": 4294967290}, r"seed must be an integer from 0 to 4294967285"),  # seed + 10 rounds overflows
        (
            {"seed": 4294967000, "sample": {"max_rejection_rounds": 1000}},
            r"seed must be an integer from 0 to 4294966295 .*up to 1000 rounds",
        ),
        ({"ingest": {"max_columns": 1}}, r"ingest.max_columns must be at least 2"),
        ({"ingest": {"max_cells": 0}}, r"ingest.max_cells must be at least 1"),
    ],
)
def test_params_outside_what_their_consumers_take_stop_before_any_stage_writes(change, message):
    """`seed: 4294967296` passed, ingest wrote six files, and split ended in scikit-learn's traceback."""
    with pytest.raises(SynthproofError, match=message) as error:
        parse_params(change)
    assert "\n" not in str(error.value)
    assert parse_params({"seed": 4294967285}).seed == 2**32 - 1 - 10  # numpy's last seed, less the rounds


def test_a_written_path_is_named_by_its_param():
    paths = Params().paths
    assert paths.key_of("data/raw/table.parquet") == "paths.raw"
    assert paths.key_of("data/discriminate/linked/a.csv") == "paths.discriminate.linked"
    assert paths.key_of("elsewhere/x.json") is None
    assert ("paths.metrics.ingest", "metrics/ingest.json") in paths.items()
