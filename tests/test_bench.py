"""The benchmarks stay runnable: each script under bench/ imports against today's package (a refactor that
renames what a bench uses breaks it here, not months later on a reader's machine). The scripts that run
inside a reference library's own venv (``_pycaret_compare``, ``_sdmetrics_report``) are left out."""

import subprocess
import sys

from tests.conftest import REPO

IN_REFERENCE_VENVS = {"_pycaret_compare", "_sdmetrics_report"}


def test_every_bench_script_imports():
    names = sorted(p.stem for p in (REPO / "bench").glob("*.py") if p.stem not in IN_REFERENCE_VENVS)
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run(
        [sys.executable, "-c", script, *names], cwd=REPO / "bench", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(names) >= 20
