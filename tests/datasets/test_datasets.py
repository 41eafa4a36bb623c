"""The embedded tables: shipped byte for byte as published, and the defaults in params.yaml name them."""

import yaml

from synthproof.datasets import DATASETS
from synthproof.io import read_table, sha256_file
from tests.conftest import REPO


def test_each_embedded_table_has_its_published_checksum_and_target():
    for name, dataset in DATASETS.items():
        assert sha256_file(dataset.path) == dataset.sha256, name
        table = read_table(dataset.path, na_values=list(dataset.na_values))
        assert dataset.target in table.columns and table[dataset.target].notna().all(), name
    census = read_table(DATASETS["census"].path, na_values=["?"])
    assert census.shape == (48842, 15) and census["workclass"].isna().sum() == 2799


def test_params_default_to_the_embedded_tables_by_their_path_in_the_repository():
    params = yaml.safe_load((REPO / "params.yaml").read_text())
    census = DATASETS["census"]
    assert (REPO / params["ingest"]["source"]).resolve() == census.path
    assert params["ingest"]["sha256"] == census.sha256 and params["target"] == census.target
    for name, cell in params["grid"]["datasets"].items():
        dataset = DATASETS[name]
        assert (REPO / cell["source"]).resolve() == dataset.path, name
        assert (cell["sha256"], cell["target"]) == (dataset.sha256, dataset.target), name


def test_the_licence_and_the_sources_are_beside_the_files():
    readme = (DATASETS["census"].path.parent / "README.md").read_text()
    assert "CC BY 4.0" in readme
    for dataset in DATASETS.values():
        assert dataset.sha256 in readme and dataset.url in readme
