"""Benchmark: CTGAN on the CPU and on a GPU, side by side, on the full census training part.

Issue "Beyond one machine", part 1 (`generator.device`). One process trains CTGAN `--repeats` times on each
device with the same seed and rows (the repository's default params and split, inside the same wrapper),
samples as many rows as the training part, and reports per device: seconds per epoch, whether the
same-seed runs gave the same synthetic table (the CPU is the reference for reproducibility), and the
LightGBM discriminator's AUC of each synthetic table (quality on a GPU should match the CPU's).

Needs a CUDA build of torch and a GPU for the `cuda` side (`--devices cpu` runs the CPU side alone).

    python bench/gpu_training.py [--data PATH] [--epochs 10] [--repeats 2] [--devices cpu cuda]
                                 [--batch-size N] [--cpu-threads N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import time
from pathlib import Path

import yaml

from synthproof import datasets
from synthproof.config import parse_params
from synthproof.evaluation.discriminate import discriminate
from synthproof.generators import build_generator
from synthproof.io import read_table
from synthproof.rows import row_hashes
from synthproof.schema import CATEGORICAL, DATETIME, ID, NUMERIC, prepare_table
from synthproof.split import split_holdout

ROOT = Path(__file__).resolve().parents[1]

CENSUS = datasets.CENSUS.path  # the embedded table


def train_and_score(cfg, params, train, schema) -> dict:
    """Fit, sample as many rows as the training part, and score fake vs real."""
    generator = build_generator(cfg, params.seed, list(train.columns), params.target, schema.names(ID))
    started = time.perf_counter()
    fit = generator.fit(train, schema.discrete_columns)
    fit_seconds = time.perf_counter() - started
    synthetic = generator.sample(len(train), seed=params.seed)
    scores = discriminate(
        train,
        synthetic,
        schema.names(CATEGORICAL),
        schema.names(NUMERIC, DATETIME),
        seed=params.seed,
    )
    report = fit.report
    return {
        "device": report["device"],
        "fit_seconds": round(fit_seconds, 2),
        "seconds_per_epoch": report["seconds_per_epoch"],
        "discriminator_auc": round(scores.auc, 4),
        "synthetic_fingerprint": int(row_hashes(synthetic).sum() % (1 << 61)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=CENSUS)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--devices", nargs="+", default=["cpu", "cuda"])
    parser.add_argument("--batch-size", type=int, default=None, help="default: params.yaml's")
    parser.add_argument("--cpu-threads", type=int, default=None, help="default: torch's (all cores)")
    args = parser.parse_args()

    import torch

    if args.cpu_threads:
        torch.set_num_threads(args.cpu_threads)

    params = parse_params(yaml.safe_load((ROOT / "params.yaml").read_text()))
    table, schema, _ = prepare_table(read_table(args.data, na_values=["?"]), params.target)
    train, _ = split_holdout(table, params.target, params.split.holdout_fraction, params.seed)

    result: dict = {
        "rows": len(train),
        "epochs": args.epochs,
        "batch_size": args.batch_size or params.generator.batch_size,
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "cpu_threads": torch.get_num_threads(),
    }
    for device in args.devices:
        cfg = dataclasses.replace(
            params.generator,
            name="ctgan",
            epochs=args.epochs,
            max_training_minutes=None,
            device=device,
            batch_size=args.batch_size or params.generator.batch_size,
        )
        runs = [train_and_score(cfg, params, train, schema) for _ in range(args.repeats)]
        result[device] = {
            "seconds_per_epoch": statistics.median(run["seconds_per_epoch"] for run in runs),
            "same_seed_same_table": len({run["synthetic_fingerprint"] for run in runs}) == 1,
            "runs": runs,
        }
    if {"cpu", "cuda"} <= set(args.devices):
        result["cpu_over_cuda_seconds_per_epoch"] = round(
            result["cpu"]["seconds_per_epoch"] / result["cuda"]["seconds_per_epoch"], 2
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
