"""Benchmark: our fidelity scores against SDMetrics' QualityReport, same tables, side by side.

SDMetrics is not a project dependency: this script creates its own virtual environment for it
(bench/.venvs/sdmetrics, once; it needs the package index) and runs the report there, on the same
Parquet files our code reads here. It prints both timings, their ratio (the goal: ours at least 5x
faster) and both pairs of sub-scores (the goal: within a few points), and writes them to
bench/results/fidelity_vs_sdmetrics_<label>.json (``perturbed``, ``run`` or ``wide``, below).

    python bench/fidelity_vs_sdmetrics.py                      # census, 46k real vs 46k perturbed rows
    python bench/fidelity_vs_sdmetrics.py --columns 137   # wide: census widened to 137 columns
    # run: the default run's tables
    python bench/fidelity_vs_sdmetrics.py --real data/split/train.parquet --synthetic data/synthetic.parquet

The default synthetic table is census itself, perturbed so that both sub-scores have something to find:
a bootstrap of the real rows, four columns shuffled on their own, and `fnlwgt` jittered.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _bench_tables import write_results
from _reference_venv import reference_python

from synthproof import datasets
from synthproof.evaluation.fidelity import quality
from synthproof.io import read_table
from synthproof.schema import prepare_table

HERE = Path(__file__).resolve().parent

CENSUS = datasets.CENSUS.path  # the embedded table
SDMETRICS = ["sdmetrics==0.32.0", "pyarrow"]


def census_tables(rows: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    table, _, _ = prepare_table(read_table(CENSUS, na_values=["?"]), "income")
    real = table.sample(n=rows, random_state=seed).reset_index(drop=True)
    synthetic = real.sample(n=rows, replace=True, random_state=seed + 1).reset_index(drop=True)
    for i, name in enumerate(["age", "occupation", "hours_per_week", "race"]):
        synthetic[name] = synthetic[name].sample(frac=1.0, random_state=seed + 2 + i).to_numpy()
    jitter = np.random.default_rng(seed).lognormal(0, 0.3, rows)
    synthetic["fnlwgt"] = (synthetic["fnlwgt"] * jitter).round().astype(real["fnlwgt"].dtype)
    return real, synthetic


def widen(real: pd.DataFrame, synthetic: pd.DataFrame, columns: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``columns`` columns made of census's, each copy after the first shuffled on its own."""
    wide_real, wide_synthetic = {}, {}
    for i in range(columns):
        name, copy = real.columns[i % real.shape[1]], i // real.shape[1]
        for source, target in ((real, wide_real), (synthetic, wide_synthetic)):
            values = source[name].sample(frac=1.0, random_state=i) if copy else source[name]
            target[f"{name}_{copy}"] = values.to_numpy()
    return pd.DataFrame(wide_real), pd.DataFrame(wide_synthetic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=46000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--real", type=Path, help="a Parquet file (with --synthetic) instead of census")
    parser.add_argument("--synthetic", type=Path)
    parser.add_argument("--columns", type=int, help="widen the tables to this many columns")
    parser.add_argument(
        "--label", help="results: bench/results/fidelity_vs_sdmetrics_<label>.json (run, wide or perturbed)"
    )
    args = parser.parse_args()

    if args.real and args.synthetic:
        real, synthetic = pd.read_parquet(args.real), pd.read_parquet(args.synthetic)
    else:
        real, synthetic = census_tables(args.rows, args.seed)
    if args.columns:
        real, synthetic = widen(real, synthetic, args.columns)
    target = next(c for c in real.columns if c.startswith("income"))
    _, schema, _ = prepare_table(real, target, min_rows=2, max_target_classes=10**6)
    categorical, numeric = schema.names("categorical"), schema.names("numeric", "datetime")
    columns = categorical + numeric
    sdtype = {**dict.fromkeys(categorical, "categorical"), **dict.fromkeys(numeric, "numerical")}

    python = reference_python("sdmetrics", SDMETRICS)
    with tempfile.TemporaryDirectory() as folder:
        real[columns].to_parquet(Path(folder) / "real.parquet")
        synthetic[columns].to_parquet(Path(folder) / "synthetic.parquet")
        metadata = {"columns": {name: {"sdtype": sdtype[name]} for name in columns}}
        (Path(folder) / "metadata.json").write_text(json.dumps(metadata))
        child = subprocess.run(
            [str(python), str(HERE / "_sdmetrics_report.py"), folder],
            capture_output=True,
            text=True,
            check=True,
        )
    theirs = json.loads(child.stdout.strip().splitlines()[-1])

    started = time.perf_counter()
    ours = quality(real, synthetic, categorical, numeric)
    seconds = time.perf_counter() - started
    result = {
        "rows": [len(real), len(synthetic)],
        "columns": len(columns),
        "ours": {
            "seconds": round(seconds, 3),
            "column_shapes": round(ours.column_shapes_score, 4),
            "pair_trends": round(ours.pair_trends_score, 4),
            "score": round(ours.score / 100, 4),
        },
        # SDMetrics 0.32 averages only the pairs whose real association passes its thresholds
        # (|Pearson| > 0.5, Cramer's V > 0.3); we average every pair.
        "sdmetrics": {key: round(value, 4) for key, value in theirs.items()},
        "speedup": round(theirs["seconds"] / seconds, 1),
        "difference_in_points": {
            "column_shapes": round(100 * (ours.column_shapes_score - theirs["column_shapes"]), 2),
            "pair_trends": round(100 * (ours.pair_trends_score - theirs["pair_trends"]), 2),
        },
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    label = args.label or ("run" if args.real else "wide" if args.columns else "perturbed")
    write_results(f"fidelity_vs_sdmetrics_{label}", result)


if __name__ == "__main__":
    main()
