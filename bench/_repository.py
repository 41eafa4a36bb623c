"""A bench's own copy of the repository: the committed files, so that a bench runs the pipeline's stages
by params only without touching the working tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_repository(workdir: Path) -> None:
    """Every file ``git ls-files`` names, copied into ``workdir``."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in files.stdout.splitlines():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, workdir / name)


def run_stage(workdir: Path, stage: str, what: str) -> str:
    """``python -m stages.<stage>`` in ``workdir``; its last line, or stop naming ``what`` failed."""
    env = {**os.environ, "SYNTHPROOF_PROGRESS": "off"}
    result = subprocess.run(
        [sys.executable, "-m", f"stages.{stage}"], cwd=workdir, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"{stage} failed on {what}:\n{result.stderr[-3000:]}")
    return result.stderr.strip().splitlines()[-1]
