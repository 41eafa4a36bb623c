"""Benchmark: memory and time of CTGAN with a high-cardinality categorical, one-hot vs binary-encoded.

Both runs fit the same rows for the same epochs, each in its own child process (so that peak memory is
its own), side by side in this one script; the result is their ratio.

    python bench/binary_encoding.py [--rows 5000] [--categories 3000] [--epochs 1]

The categorical is `fnlwgt` read as text (census: ~28.5k distinct values; the most frequent
``--categories`` kept, the rest pooled), the rest of census is kept as is.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from synthproof import datasets

CENSUS = datasets.CENSUS.path  # the embedded table


def load(rows: int, categories: int):
    from synthproof.io import read_table

    table = read_table(CENSUS, na_values=["?"]).sample(rows, random_state=0).reset_index(drop=True)
    codes = table["fnlwgt"].astype(str)
    keep = set(codes.value_counts().index[: categories - 1])
    table["fnlwgt"] = codes.where(codes.isin(keep), "other")
    discrete = [c for c in table.columns if table[c].dtype == object]
    return table, discrete


def fit_once(cutoff: int, rows: int, categories: int, epochs: int) -> dict:
    """Fit and sample once in this process; its peak RSS is this run's alone."""
    from synthproof.generators import CTGANGenerator, TableWrapper

    table, discrete = load(rows, categories)
    inner = CTGANGenerator(epochs=epochs, seed=0, verbose=False)
    generator = TableWrapper(inner, binary_encoding_cutoff=cutoff)
    started = time.perf_counter()
    fit = generator.fit(table, discrete)
    synthetic = generator.sample(rows, seed=0)
    return {
        "cutoff": cutoff,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "encoded_columns": fit.report["encoded_columns"],
        "fnlwgt_categories_sampled": int(synthetic["fnlwgt"].nunique()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--categories", type=int, default=3000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--cutoff", type=int, help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.cutoff is not None:
        print(json.dumps(fit_once(args.cutoff, args.rows, args.categories, args.epochs)))
        return
    results = {}
    for label, cutoff in (("one_hot", 10**9), ("binary", 500)):
        command = [sys.executable, __file__, "--cutoff", str(cutoff), "--rows", str(args.rows),
                   "--categories", str(args.categories), "--epochs", str(args.epochs)]  # fmt: skip
        child = subprocess.run(command, capture_output=True, text=True, check=True)
        results[label] = json.loads(child.stdout.strip().splitlines()[-1])
    results["ratio_binary_to_one_hot"] = {
        key: round(results["binary"][key] / results["one_hot"][key], 3) for key in ("seconds", "peak_rss_mb")
    }
    results["params"] = vars(args) | {"cutoff": None}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
