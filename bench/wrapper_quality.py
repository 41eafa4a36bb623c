"""Benchmark: what each of the wrapper's options does to the discriminator AUC, on census.

The same seeded training rows, the same CTGAN settings; only the wrapper's options change. The
reference is the wrapper with both options off. Every fit runs in this one process, one after another.

    python bench/wrapper_quality.py [--rows 5000] [--epochs 100]
"""

from __future__ import annotations

import argparse
import json
import time

from synthproof import datasets
from synthproof.evaluation.fake_or_real import FakeOrRealTest
from synthproof.generators import CTGANGenerator, TableWrapper
from synthproof.io import read_table
from synthproof.schema import prepare_table
from synthproof.split import limit_rows, split_holdout

CENSUS = datasets.CENSUS.path  # the embedded table
VARIANTS = {
    "reference (both off)": {"spike_min_share": None, "derive_linked_columns": False},
    "spikes": {"spike_min_share": 0.3, "derive_linked_columns": False},
    "derived linked columns": {"spike_min_share": None, "derive_linked_columns": True},
    "both (the default)": {"spike_min_share": 0.3, "derive_linked_columns": True},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), "income")
    train, holdout = split_holdout(table, "income", 0.2, args.seed)
    rows = limit_rows(train, args.rows, args.seed)
    categorical = schema.names("categorical")
    results = {}
    for name, options in VARIANTS.items():
        generator = TableWrapper(
            CTGANGenerator(epochs=args.epochs, seed=args.seed, verbose=False), seed=args.seed, **options
        )
        started = time.perf_counter()
        generator.fit(rows, categorical)
        synthetic = generator.sample(len(rows), seed=args.seed)
        seconds = time.perf_counter() - started
        test = FakeOrRealTest(seed=args.seed, max_rows=None)
        metrics = test.run(schema, rows, holdout, synthetic).metrics()
        results[name] = {
            "discriminator_auc": metrics["discriminator_auc"],
            "floor_auc": metrics["floor_auc"],
            "top_giveaway_columns": metrics["top_giveaway_columns"],
            "education_broken_share": metrics["linked_columns"]["education->education_num"][
                "synthetic_broken_share"
            ],
            "capital_gain_zero_share": round(float((synthetic["capital_gain"] == 0).mean()), 3),
            "fit_and_sample_seconds": round(seconds, 1),
        }
    reference = results["reference (both off)"]["discriminator_auc"]
    for result in results.values():
        result["auc_ratio_to_reference"] = round(result["discriminator_auc"] / reference, 3)
    real_zero = round(float((rows["capital_gain"] == 0).mean()), 3)
    print(json.dumps({"params": vars(args), "real_capital_gain_zero_share": real_zero, **results}, indent=2))


if __name__ == "__main__":
    main()
