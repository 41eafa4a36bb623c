"""The user-facing commands end as `cat` does when their reader stops early (`| head`): quietly, never with
a traceback."""

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import RUNS, exp_show
from tools import docs


def _into_a_closed_pipe(command, cwd):
    """Run ``command`` with its stdout a pipe whose reader has already gone (what `| head -1` leaves once
    it has its line), so the first write fails."""
    read, write = os.pipe()
    os.close(read)
    try:
        env = {**os.environ, "PYTHONPATH": str(docs.REPO)}  # the code under test, run from another folder
        return subprocess.run(command, cwd=cwd, stdout=write, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        os.close(write)


def test_the_gate_into_a_closed_pipe_ends_without_a_traceback(tmp_path):
    # the committed run's files only: the lock's code deps are not there, so its figures read as fresh
    for name in ("params.yaml", "dvc.lock"):
        shutil.copy(docs.REPO / name, tmp_path / name)
    shutil.copytree(docs.REPO / "metrics", tmp_path / "metrics")
    result = _into_a_closed_pipe([sys.executable, "-m", "synthproof.gate"], tmp_path)
    assert "stale" not in result.stderr  # it had lines to print
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
    assert result.returncode == 141  # a shell's code for cat killed by SIGPIPE: no verdict of the gate's


def test_the_experiments_table_into_a_closed_pipe_ends_without_a_traceback(tmp_path):
    source = tmp_path / "exp_show.json"
    source.write_text(json.dumps(exp_show(RUNS)))
    command = [sys.executable, "-m", "synthproof.experiments", "table", "--exp-show", str(source)]
    result = _into_a_closed_pipe(command, tmp_path)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
    assert result.returncode == 141  # a shell's code for cat killed by SIGPIPE: no verdict of the gate's
