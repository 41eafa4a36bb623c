"""MOSTLY AI's TabularARGN (the mostlyai-engine extra) on real census rows: reproducible rows, a saved
model that holds no training row, nothing written outside its own temporary folders, a clear error
without the extra."""

import dataclasses
import subprocess
import sys
import tarfile
from io import BytesIO

import pandas as pd
import pytest

from synthproof.config import GeneratorParams, parse_params
from synthproof.generators import TableWrapper, build_generator
from synthproof.schema import prepare_table
from tests.conftest import REPO, needs_extra

pytestmark = needs_extra("tabular_argn")


@pytest.fixture(scope="module")
def census_part(census):
    table, schema, _ = prepare_table(census.sample(2000, random_state=0).reset_index(drop=True), "income")
    return table, schema.discrete_columns


@pytest.fixture(scope="module")
def fitted(census_part):
    table, discrete = census_part
    cfg = GeneratorParams(name="tabular_argn", epochs=6, max_training_minutes=None, threads=1)
    generator = build_generator(cfg, 0, list(table.columns), "income")
    return generator, generator.fit(table, discrete)


def test_the_same_seed_gives_the_same_rows_and_the_saved_model_gives_them_too(census_part, fitted, tmp_path):
    table, _ = census_part
    generator, fit = fitted
    assert 1 <= fit.report["epochs_run"] <= 6 and fit.report["stopped_by_time_budget"] is False
    assert list(fit.losses.columns) == ["epoch", "generator_loss", "discriminator_loss"] and len(fit.losses)
    synthetic = generator.sample(1000, seed=1)
    pd.testing.assert_frame_equal(synthetic, generator.sample(1000, seed=1))
    assert not synthetic.equals(generator.sample(1000, seed=2))
    assert synthetic.dtypes.to_dict() == table.dtypes.to_dict()
    for name in ("workclass", "native_country", "income"):  # rare categories come back as real ones
        assert set(synthetic[name].dropna()) <= set(table[name].dropna()), name
    assert synthetic["income"].nunique() == 2
    generator.save(tmp_path / "model.zip")
    pd.testing.assert_frame_equal(TableWrapper.load(tmp_path / "model.zip").sample(1000, seed=1), synthetic)


def test_the_saved_model_holds_the_engine_s_model_store_and_no_rows(fitted):
    generator, _ = fitted
    with tarfile.open(fileobj=BytesIO(generator.generator._model_store), mode="r:gz") as archive:
        names = archive.getnames()
    assert any(name.endswith("model-weights.pt") for name in names)
    assert not any("OriginalData" in name or name.endswith(".parquet") for name in names)


def test_it_writes_nothing_outside_its_temporary_folders_and_needs_no_network(tmp_path):
    """A fit and a sample with HOME pointed at an empty folder and the network out of reach leave the
    folder empty (the engine's datasets cache otherwise lands in ~/.cache/huggingface)."""
    home = tmp_path / "home"
    home.mkdir()
    script = """
import pandas as pd, numpy as np
from synthproof.generators.argn import TabularARGNGenerator
rng = np.random.default_rng(0)
frame = pd.DataFrame({"a": rng.integers(0, 3, 300), "b": rng.normal(size=300)})
generator = TabularARGNGenerator(epochs=2)
generator.fit(frame, ["a"])
print(len(generator.sample(50, seed=0)))
"""
    env = {
        "HOME": str(home),
        "PATH": "",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "50", result.stderr[-3000:]
    assert list(home.iterdir()) == []


def test_without_the_extra_the_error_names_the_install_line(census_part):
    script = """
import sys
sys.modules["mostlyai.engine"] = None  # as if the extra were not installed
import pandas as pd
from synthproof.errors import SynthproofError
from synthproof.generators.argn import TabularARGNGenerator
try:
    TabularARGNGenerator().fit(pd.DataFrame({"a": [0, 1] * 10}), ["a"])
except SynthproofError as error:
    print(error)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert "pip install --no-deps -r requirements-mostly.txt" in result.stdout, result.stderr[-2000:]


def test_with_differential_privacy_it_records_the_epsilon_its_kept_weights_spent(census_part):
    """DP-SGD on 2,000 census rows: the train report gives the epsilon the kept weights spent (training
    plus value analysis) and delta. The cap stops training, but the engine keeps the first epoch's weights
    even when that epoch alone passes it: the report says what was spent, not the cap."""
    table, discrete = census_part
    spent = {}
    for noise, cap in ((1.5, 8.0), (0.6, 4.0)):
        dp = {"enabled": True, "max_epsilon": cap, "value_protection_epsilon": 0.5, "noise_multiplier": noise}
        section = parse_params({"generator": {"tabular_argn": {"differential_privacy": dp}}}).generator
        cfg = dataclasses.replace(section, name="tabular_argn", epochs=3, max_training_minutes=None)
        generator = build_generator(cfg, 0, list(table.columns), "income")
        report = generator.fit(table, discrete).report
        assert report["differential_privacy"] is True and report["dp_delta"] == 1e-5
        spent[noise] = report["dp_epsilon"], report["epochs_run"]
        assert len(generator.sample(200, seed=0)) == 200
    assert 0.5 < spent[1.5][0] <= 8.0 and spent[1.5][1] == 3, spent  # more than value analysis alone
    assert spent[0.6][0] > 4.0 and spent[0.6][1] == 1, spent  # one epoch of little noise passes the cap
