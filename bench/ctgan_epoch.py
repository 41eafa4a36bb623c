"""CTGAN's epoch on census, profiled: where the seconds of a fit go outside the networks' own arithmetic
(the conditional sampler, data movement, the data transformer), and what encoding the training rows in
this process, rather than in joblib's worker processes, saves.

Two cases, each a fit through the package's own wrapper (default params, 2 torch threads, seed 42) on the
census training part, in a process of its own, one after the other:

- ``package``: the ``ctgan`` package as it is (``DataTransformer.transform`` spreads the columns over new
  worker processes);
- ``in_process``: the wrapper's ``_transform_in_process`` (the same encoding, column by column here).

For each: the transformer's seconds (its Gaussian mixtures' fit and the encoding, before the first epoch),
seconds per epoch, and the losses (the same model when they are equal). A third, profiled fit splits one
epoch's seconds into the sampler (``DataSampler``), data movement (numpy casts, ``torch.from_numpy``),
the conditional loss and the rest (the networks: forward, backward, optimiser). Writes
bench/results/ctgan_epoch.json.

    python bench/ctgan_epoch.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import dataclasses
import json
import pstats
import subprocess
import sys
import time
from pathlib import Path

from _bench_tables import bench_table

import synthproof.generators.ctgan as ctgan_wrapper
from synthproof.config import GeneratorParams
from synthproof.generators import build_generator

HERE = Path(__file__).resolve().parent
# Profile entries (file, function) by the part of an epoch they belong to; the rest is the networks.
PARTS = {
    "sampler": [("data_sampler.py", "sample_condvec"), ("data_sampler.py", "sample_data")],
    "data_movement": [
        ("~", "<method 'astype' of 'numpy.ndarray' objects>"),
        ("~", "<built-in method torch.from_numpy>"),
    ],
    "conditional_loss": [("ctgan.py", "_cond_loss")],
}  # fmt: skip


def fit(case: str, epochs: int, profile: bool = False) -> dict:
    """One CTGAN fit on the census training part: seconds, transformer seconds, seconds per epoch, losses."""
    table = bench_table("census", 39_074, 1)
    if case == "package":
        ctgan_wrapper._transform_in_process = contextlib.nullcontext
    cfg = dataclasses.replace(GeneratorParams(), epochs=epochs, max_training_minutes=None, threads=2)
    model = build_generator(cfg, 42, list(table.train.columns), table.target)
    model.generator.verbose = False
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    with profiler or contextlib.nullcontext():
        result = model.fit(table.train, table.schema.discrete_columns)
    seconds = time.perf_counter() - started
    report = result.report
    found = {
        "case": case,
        "rows": len(table.train),
        "fit_seconds": round(seconds, 2),
        "transformer_seconds": report["transformer_fit_seconds"],
        "seconds_per_epoch": report["seconds_per_epoch"],
        "losses": result.losses[["generator_loss", "discriminator_loss"]].round(6).to_numpy().tolist(),
    }
    if profiler is not None:
        found["epoch_shares"] = _shares(pstats.Stats(profiler), report, epochs)
    return found


def _shares(stats: pstats.Stats, report: dict, epochs: int) -> dict:
    """Each part's share of an epoch, from the profile's cumulative seconds per part."""
    epoch_seconds = report["seconds_per_epoch"]
    shares = {}
    for part, entries in PARTS.items():
        spent = sum(
            cumulative
            for (file, _, function), (_, _, _, cumulative, _) in stats.stats.items()
            if any(file.endswith(want_file) and function == want for want_file, want in entries)
        )
        shares[part] = round(spent / epochs / epoch_seconds, 4)
    shares["networks_and_rest"] = round(1 - sum(shares.values()), 4)
    return shares


def alone(case: str, epochs: int, profile: bool = False) -> dict:
    """``fit`` in a fresh process of its own (not a pool's daemon worker, in which joblib cannot start
    its workers and falls back to one process)."""
    command = [sys.executable, __file__, "--epochs", str(epochs), "--one", case] + ["--profile"] * profile
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a case's fit, in the process alone() starts
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(fit(args.one, args.epochs, args.profile)))
        return
    cases = {case: alone(case, args.epochs) for case in ("package", "in_process")}
    profiled = alone("in_process", args.epochs, profile=True)
    for case in cases.values():
        print({k: v for k, v in case.items() if k != "losses"}, flush=True)
    same = cases["package"]["losses"] == cases["in_process"]["losses"]
    result = {
        "epochs": args.epochs,
        "threads": 2,
        "cases": {name: {k: v for k, v in case.items() if k != "losses"} for name, case in cases.items()},
        "same_losses": same,
        "epoch_shares": profiled["epoch_shares"],
        "transformer_seconds_saved": round(
            cases["package"]["transformer_seconds"] - cases["in_process"]["transformer_seconds"], 2
        ),
    }
    print(json.dumps({k: result[k] for k in ("same_losses", "epoch_shares", "transformer_seconds_saved")}))
    out = HERE / "results" / "ctgan_epoch.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written: {out}")


if __name__ == "__main__":
    main()
