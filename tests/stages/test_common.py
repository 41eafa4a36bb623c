"""What every stage shares: the memory it reports in metrics/cost/<stage>.json."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="/proc: Linux's memory figures")

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh process, as a stage runs: the test process has children of its own (loky's workers).
WATCHED = """
import json, subprocess, sys
import numpy as np
from stages.common import MemoryWatch, peak_memory_mb, stage_cost

with MemoryWatch(interval=0.05) as watch:
    block = np.ones({stage_mb} * 2**20 // 8)  # written: resident
    if {worker_mb}:
        worker = "import numpy as np, time; block = np.ones({worker_mb} * 2**20 // 8); time.sleep(1.5)"
        subprocess.run([sys.executable, "-c", worker], check=True)
    del block
print(json.dumps({{**stage_cost("compare", 12.34, watch), "own": peak_memory_mb()}}))
"""


def watched(stage_mb: int, worker_mb: int) -> dict:
    script = textwrap.dedent(WATCHED.format(stage_mb=stage_mb, worker_mb=worker_mb))
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_watch_sees_a_worker_and_the_stage_at_once():
    """A worker holding 200 MB while the stage holds 300 MB: the workers' peak sees the worker, the total
    both at once, and no more than the two peaks summed."""
    cost = watched(stage_mb=300, worker_mb=200)
    workers, total = cost["compare_workers_peak_memory_mb"], cost["compare_total_peak_memory_mb"]
    assert 200 <= workers < 200 + 150  # its block and an interpreter with numpy
    assert cost["compare_peak_memory_mb"] >= 300
    assert total >= workers + 300
    assert total <= workers + cost["own"] + 0.2  # the two peaks summed (each rounded)
    assert cost["compare_stage_seconds"] == 12.3


def test_a_stage_without_workers_totals_its_own_peak():
    cost = watched(stage_mb=100, worker_mb=0)
    assert cost["compare_workers_peak_memory_mb"] == 0
    # its own VmHWM, which no sample of its resident memory can exceed
    assert cost["compare_total_peak_memory_mb"] == cost["compare_peak_memory_mb"] >= 100
