"""Each requirements file is what the code that needs it imports: requirements.txt the package's imports
(checked after the README's set-up line alone), each extra its code's optional imports (skipped, saying
so, where the extra is not installed); the generators other than ctgan/tvae run with ctgan (Business
Source License) absent."""

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from synthproof import compute
from synthproof.config import EXTRA_GENERATORS
from synthproof.evaluation.zoo import MODELS
from synthproof.generators import GENERATORS
from tests.conftest import REPO

CODE = ("synthproof", "stages", "tools")
# Declared for what they run as a command, not as an import: `dvc repro` (and `python -m dvc` in
# synthproof.experiments).
COMMANDS = {"dvc"}
BASE = "requirements.txt"
# The optional extras whose code lives in the package, each with the module that needs it (as the code names
# them: compute's cluster backends, the tabular_argn generator). requirements-remote.txt holds a DVC plugin
# and the test's S3 server: no imports. requirements-mostly-deps.txt pins what the engine pulls (read
# through -r).
EXTRA_MODULES = {
    compute.EXTRA.split()[-1]: [Path(compute.__file__)],
    "requirements-audit.txt": [REPO / "synthproof/audit/corpus.py"],  # the audit's public tables
    **{
        file: [Path(sys.modules[GENERATORS[name].__module__].__file__)]
        for name, file in EXTRA_GENERATORS.items()
    },
}


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


def optional_imports(file: Path) -> set[str]:
    """Top-level names imported inside a ``try`` that catches ImportError: an extra's, named to the user."""
    names = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Try) and any(
            isinstance(handler.type, ast.Name) and handler.type.id in ("ImportError", "ModuleNotFoundError")
            for handler in node.handlers
        ):
            names |= _imports(ast.Module(body=node.body, type_ignores=[]))
    return names


def imported_modules() -> set[str]:
    """Top-level names of every module the code imports, statically or by name (the zoo's estimators,
    the ctgan synthesizers), less the extras' optional imports."""
    names = {entry.estimator.partition(":")[0].split(".")[0] for entry in MODELS.values()}
    names |= {cls.module.split(".")[0] for name, cls in GENERATORS.items() if getattr(cls, "module", "")}
    for folder in CODE:
        for file in (REPO / folder).rglob("*.py"):
            names |= _imports(ast.parse(file.read_text()))
    third_party = {name for name in names if name not in sys.stdlib_module_names and name not in CODE}
    return third_party - extra_imports()


def extra_imports(extra: str | None = None) -> set[str]:
    """What the code that needs ``extra`` (default: every extra) imports optionally."""
    modules = EXTRA_MODULES[extra] if extra else [m for ms in EXTRA_MODULES.values() for m in ms]
    names = {name for module in modules for name in optional_imports(module)}
    generators = [g for g, file in EXTRA_GENERATORS.items() if extra in (None, file)]
    return names | {GENERATORS[g].module.split(".")[0] for g in generators}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*files: str) -> set[str]:
    lines = [line for file in files for line in (REPO / file).read_text().splitlines()]
    return {
        normalised(re.split(r"[=<>!~\[ ]", line)[0])
        for line in lines
        if line and not line.startswith(("#", "-"))
    }


def distributions_of(modules: set[str]) -> set[str]:
    installed = importlib.metadata.packages_distributions()
    return {normalised(installed[name][0]) for name in modules}


def test_requirements_txt_is_what_the_code_imports_beyond_the_extras():
    used = distributions_of(imported_modules())  # after the README's set-up line, every one is installed
    assert used - declared(BASE) == set(), f"imported but not in {BASE}"
    assert declared(BASE) - used - COMMANDS == set(), f"in {BASE} but never imported"


@pytest.mark.extra
@pytest.mark.parametrize("extra", sorted(EXTRA_MODULES))
def test_each_extra_is_what_its_code_imports(extra):
    modules = extra_imports(extra)
    assert modules, f"no optional import found for {extra}"
    missing = sorted(name for name in modules if importlib.util.find_spec(name) is None)
    if missing:
        pytest.skip(f"{extra} is not installed ({', '.join(missing)}): pip install -r {extra}")
    # its own pins, less what it shares with requirements.txt (pinned there, for the package itself)
    own = declared(extra) - declared(BASE)
    assert distributions_of(modules) - declared(extra) == set(), f"imported by its code but not in {extra}"
    assert own - distributions_of(modules) == set(), f"in {extra} but never imported by its code"


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
