"""A reference library's own virtual environment for a benchmark (PyCaret, SDMetrics pin older stacks
than the project's, so they never enter its environment)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VENVS = Path(__file__).resolve().parent / ".venvs"


def reference_python(name: str, packages: list[str]) -> Path:
    """The Python of ``bench/.venvs/<name>``, created with ``packages`` on first use (needs the index)."""
    python = VENVS / name / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENVS / name)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *packages], check=True)
    return python
