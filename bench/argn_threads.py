"""TabularARGN's torch threads (``generator.threads``): seconds per epoch with 1 and 2 threads, alone on the
machine and beside a second training started with it (a busy machine: a queued sweep with ``-j 2``, or a
user's other work).

Each fit is the package's own wrapper on ``--rows`` census training rows (split as the pipeline splits them),
default params, seed 42, in a process of its own. Writes bench/results/argn_threads.json: per case the
seconds, the epochs (the engine stops early on its own validation loss) and the seconds per epoch.

    python bench/argn_threads.py [--rows 5000]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import time
from pathlib import Path

from _bench_tables import bench_table

from synthproof.config import GeneratorParams
from synthproof.generators import build_generator

HERE = Path(__file__).resolve().parent


def fit(rows: int, threads: int) -> dict:
    """One TabularARGN fit with ``threads`` torch threads: seconds, epochs, seconds per epoch."""
    table = bench_table("census", rows, 1)
    cfg = dataclasses.replace(GeneratorParams(), name="tabular_argn", threads=threads)
    model = build_generator(cfg, 42, list(table.train.columns), table.target)
    started = time.perf_counter()
    epochs = model.fit(table.train, table.schema.discrete_columns).report["epochs_run"]
    seconds = time.perf_counter() - started
    return {"threads": threads, "seconds": round(seconds, 1), "epochs": epochs,
            "seconds_per_epoch": round(seconds / max(epochs, 1e-9), 2)}  # fmt: skip


def together(rows: int, threads: int, n: int) -> list[dict]:
    """``n`` fits with ``threads`` threads each, started at once in processes of their own."""
    with multiprocessing.get_context("spawn").Pool(n) as pool:
        return pool.starmap(fit, [(rows, threads)] * n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    results = {}
    for threads in (1, 2):
        results[f"alone_{threads}_threads"] = together(args.rows, threads, 1)
        results[f"two_at_once_{threads}_threads"] = together(args.rows, threads, 2)
        print(json.dumps({k: v for k, v in results.items() if k.endswith(f"{threads}_threads")}), flush=True)
    out = HERE / "results" / "argn_threads.json"
    out.write_text(json.dumps({"rows": args.rows, "cases": results}, indent=2) + "\n")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
