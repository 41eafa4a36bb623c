"""Every package the code imports is declared in requirements.txt, and every declared one is imported;
the generators other than ctgan/tvae run with ctgan (Business Source License) absent."""

import ast
import importlib.metadata
import re
import subprocess
import sys

from synthproof.evaluation.zoo import MODELS
from synthproof.generators import GENERATORS
from tests.conftest import REPO

CODE = ("synthproof", "stages", "tools")
# Declared for what they run as a command, not as an import: `dvc repro` (and `python -m dvc` in
# synthproof.experiments).
COMMANDS = {"dvc"}
# The package's own requirements, and the optional extras whose code lives in the package (compute's
# cluster backends, the tabular_argn generator). requirements-remote.txt holds a DVC plugin and the test's
# S3 server: no imports. requirements-mostly-deps.txt pins what the engine pulls (read through -r).
IMPORTED_FROM = ("requirements.txt", "requirements-cluster.txt", "requirements-mostly.txt")


def imported_modules() -> set[str]:
    """Top-level names of every module the code imports, statically or by name (the zoo's estimators,
    the ctgan synthesizers)."""
    names = {entry.estimator.partition(":")[0] for entry in MODELS.values()}
    names |= {cls.module for cls in GENERATORS.values() if getattr(cls, "module", "")}
    for folder in CODE:
        for file in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text())):
                if isinstance(node, ast.Import):
                    names |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module)
    return {name.split(".")[0] for name in names}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*files: str) -> set[str]:
    lines = [line for file in files for line in (REPO / file).read_text().splitlines()]
    return {
        normalised(re.split(r"[=<>!~\[ ]", line)[0])
        for line in lines
        if line and not line.startswith(("#", "-"))
    }


def test_every_import_is_declared_and_every_declared_package_imported():
    distributions = importlib.metadata.packages_distributions()
    third_party = {
        name for name in imported_modules() if name not in sys.stdlib_module_names and name not in CODE
    }
    used = {normalised(distributions[name][0]) for name in third_party}
    assert used - declared(*IMPORTED_FROM) == set(), f"imported but not in {IMPORTED_FROM}"
    assert declared(*IMPORTED_FROM) - used - COMMANDS == set(), f"in {IMPORTED_FROM} but never imported"


def test_generators_other_than_ctgan_and_tvae_run_without_ctgan(census_path, tmp_path):
    """ctgan (and rdt under it) are BSL-1.1: a user who cannot accept that licence uses the others."""
    script = f"""
import sys
sys.modules["ctgan"] = sys.modules["rdt"] = None  # importing either now raises ImportError
from synthproof.generators import build_generator
from synthproof.config import GeneratorParams
from synthproof.io import read_table
from synthproof.schema import prepare_table
table, schema, _ = prepare_table(read_table({str(census_path)!r}, na_values=["?"]).head(3000), "income")
for name in ("gaussian_copula", "cart", "independent", "resample"):
    generator = build_generator(GeneratorParams(name=name), 0, list(table.columns), "income")
    generator.fit(table, schema.discrete_columns)
    assert generator.sample(100, seed=0).shape == (100, table.shape[1]), name
try:
    build_generator(GeneratorParams(name="ctgan"), 0, list(table.columns), "income").fit(table, [])
except ImportError:
    print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
