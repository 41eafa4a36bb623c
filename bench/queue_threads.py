"""Two queued experiments side by side (`dvc queue start -j 2`) against one after the other (`-j 1`), with
no thread variable set: the stages set their own threads, and OpenMP's waiting threads sleep
(``stages/__init__.py``). A third run sets ``OMP_WAIT_POLICY=ACTIVE`` (spinning waits, OpenMP's default and
the stages' behaviour before) with ``-j 2``, to show what that costs.

In a clone of this repository (its committed state) (census: the embedded default), CTGAN at a small
size (``--epochs`` on ``--rows`` training rows) and a small compare zoo, the baseline is run once (so the
references are cached, as in any sweep); each configuration then queues two experiments that differ in
``generator.ctgan.embedding_dim`` (distinct values per configuration, so DVC's run cache never answers).
Prints JSON: wall seconds of each queue and the CTGAN seconds per epoch its experiments reported.

    python bench/queue_threads.py [--epochs 10] [--rows 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from synthproof.experiments import load_experiments

ROOT = Path(__file__).resolve().parents[1]
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY")
CONFIGURATIONS = [  # (label, queue workers, extra environment)
    ("-j 1", 1, {}),
    ("-j 2", 2, {}),
    ("-j 2, OMP_WAIT_POLICY=ACTIVE", 2, {"OMP_WAIT_POLICY": "ACTIVE"}),
]


def run(*args: str, cwd: Path, env: dict | None = None) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in THREAD_VARIABLES}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    result = subprocess.run(args, cwd=cwd, env={**environment, **(env or {})}, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def dvc(*args: str, cwd: Path, env: dict | None = None) -> str:
    return run(sys.executable, "-m", "dvc", *args, cwd=cwd, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--rows", type=int, default=10000, help="CTGAN's training rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        run("git", "clone", "-q", str(ROOT), str(repo), cwd=ROOT)
        params = yaml.safe_load((repo / "params.yaml").read_text())
        params["generator"].update(name="ctgan", epochs=args.epochs, max_rows=args.rows)
        params["sample"]["rows"] = args.rows
        params["compare"].update(models=["lr", "dt", "lightgbm", "dummy"], folds=3)
        (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
        dvc("config", "core.analytics", "false", cwd=repo)
        dvc("repro", cwd=repo)
        git = ("git", "-c", "user.name=bench", "-c", "user.email=bench@localhost")
        run(*git, "add", "-A", cwd=repo)
        run(*git, "commit", "-qm", "baseline", cwd=repo)

        results = {}
        for index, (label, workers, env) in enumerate(CONFIGURATIONS):
            dims = [96 + 16 * index, 104 + 16 * index]
            dvc("exp", "run", "--queue", "-S", f"generator.ctgan.embedding_dim={dims[0]},{dims[1]}", cwd=repo)
            started = time.perf_counter()
            dvc("queue", "start", "-j", str(workers), cwd=repo, env=env)
            while True:
                status = dvc("queue", "status", cwd=repo)
                if "Queued" not in status and "Running" not in status:
                    break
                time.sleep(2)
            wall = time.perf_counter() - started
            if status.count("Success") != 2 * (index + 1):
                raise SystemExit(f"{label}: not every experiment succeeded:\n{status}")
            experiments = load_experiments(json.loads(dvc("exp", "show", "--json", cwd=repo)))
            ours = [e for e in experiments if e.params.get("generator.ctgan.embedding_dim") in dims]
            results[label] = {
                "wall_s": round(wall, 1),
                "seconds_per_epoch": [e.metrics.get("seconds_per_epoch") for e in ours],
                "train_threads": [e.metrics.get("train_threads") for e in ours],
            }
            print(label, results[label], flush=True)
            # DVC's workers leave once the queue is empty ("Worker status: 0 active, 0 idle"): wait for
            # that, so that none carries into the next configuration
            while re.search(r"[1-9]\d* (active|idle)", dvc("queue", "status", cwd=repo)):
                time.sleep(1)
    one, two = results["-j 1"]["wall_s"], results["-j 2"]["wall_s"]
    summary = {
        "ctgan": {"epochs": args.epochs, "rows": args.rows},
        "cores": os.cpu_count(),
        "queues": results,
        "speedup_j2_over_j1": round(one / two, 2),
        "active_wait_over_passive_j2": round(results["-j 2, OMP_WAIT_POLICY=ACTIVE"]["wall_s"] / two, 2),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
