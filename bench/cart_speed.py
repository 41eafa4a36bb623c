"""Benchmark: the `cart` generator's fit + sample on the full census training part, beside CTGAN's.

The goal (issue: "A sequential tree synthesizer"): fit + sample on census's 39k training rows in under
10 seconds on 2 cores. Both generators run here on the same rows, inside the same wrapper, built from the
repository's default params (the same split as `dvc repro`). CTGAN runs `--ctgan-epochs` epochs (default
10; the pipeline's default is 100, whose time the bench projects from the measured seconds per epoch).

    python bench/cart_speed.py [--ctgan-epochs 10] [--repeats 3]
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
from synthproof.generators import build_generator
from synthproof.io import read_table
from synthproof.schema import ID, prepare_table
from synthproof.split import split_holdout

ROOT = Path(__file__).resolve().parents[1]

CENSUS = datasets.CENSUS.path  # the embedded table
GOAL_SECONDS = 10


def fit_and_sample(cfg, params, train, schema) -> tuple[float, float, dict]:
    generator = build_generator(cfg, params.seed, list(train.columns), params.target, schema.names(ID))
    started = time.perf_counter()
    fit = generator.fit(train, schema.discrete_columns)
    fitted = time.perf_counter()
    generator.sample(len(train), seed=params.seed)
    return fitted - started, time.perf_counter() - fitted, fit.report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ctgan-epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    params = parse_params(yaml.safe_load((ROOT / "params.yaml").read_text()))
    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), params.target)
    train, _ = split_holdout(table, params.target, params.split.holdout_fraction, params.seed)

    cart = dataclasses.replace(params.generator, name="cart")
    runs = [fit_and_sample(cart, params, train, schema) for _ in range(args.repeats)]
    cart_seconds = statistics.median(fit + sample for fit, sample, _ in runs)

    ctgan = dataclasses.replace(
        params.generator, name="ctgan", epochs=args.ctgan_epochs, max_training_minutes=None
    )
    ctgan_fit, ctgan_sample, report = fit_and_sample(ctgan, params, train, schema)
    per_epoch = report["seconds_per_epoch"]
    default_epochs = params.generator.epochs
    projected = report["transformer_fit_seconds"] + per_epoch * default_epochs + ctgan_sample
    print(json.dumps({
        "rows": len(train),
        "cart_fit_seconds": round(statistics.median(f for f, _, _ in runs), 2),
        "cart_sample_seconds": round(statistics.median(s for _, s, _ in runs), 2),
        "cart_seconds": round(cart_seconds, 2),
        "goal_seconds": GOAL_SECONDS,
        "ratio_to_goal": round(cart_seconds / GOAL_SECONDS, 3),
        "ctgan_epochs": args.ctgan_epochs,
        "ctgan_seconds": round(ctgan_fit + ctgan_sample, 1),
        "ctgan_seconds_per_epoch": per_epoch,
        f"ctgan_seconds_projected_{default_epochs}_epochs": round(projected, 1),
        "ctgan_over_cart": round((ctgan_fit + ctgan_sample) / cart_seconds, 1),
        f"ctgan_{default_epochs}_epochs_over_cart": round(projected / cart_seconds, 1),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
