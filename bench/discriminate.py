"""Benchmark: the whole discriminate stage on census, 46k real rows against 46k synthetic, on 2 cores.

The goal (issue: "Fake or real?") is under 60 seconds and a few GB at most. The synthetic side here is
the `independent` reference: each census column shuffled on its own (right marginals, no relationships),
which is what a weak generator produces and is made in no time, so the bench needs no trained model.
The real side is split into a training part and a holdout, as the pipeline does.

    python bench/discriminate.py [--rows 46000] [--model lightgbm]
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from synthproof import datasets
from synthproof.evaluation.fake_or_real import FakeOrRealTest
from synthproof.io import read_table
from synthproof.schema import prepare_table
from synthproof.split import split_holdout

CENSUS = datasets.CENSUS.path  # the embedded table
BUDGET_SECONDS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=46000, help="real training rows (and as many fake)")
    parser.add_argument("--model", default="lightgbm")
    args = parser.parse_args()

    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), "income")
    train, holdout = split_holdout(table, "income", 0.05, seed=0)
    train = train.iloc[: args.rows].reset_index(drop=True)
    synthetic = train.copy()
    for i, name in enumerate(synthetic.columns):  # each column its own permutation
        synthetic[name] = synthetic[name].sample(frac=1.0, random_state=i).to_numpy()

    started = time.perf_counter()
    result = FakeOrRealTest(model=args.model, seed=0, max_rows=None).run(schema, train, holdout, synthetic)
    seconds = time.perf_counter() - started
    metrics = result.metrics()
    print(json.dumps({
        "rows_real": len(train),
        "rows_synthetic": len(synthetic),
        "model": args.model,
        "seconds": round(seconds, 2),
        "budget_seconds": BUDGET_SECONDS,
        "ratio_to_budget": round(seconds / BUDGET_SECONDS, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "discriminator_auc": metrics["discriminator_auc"],
        "floor_auc": metrics["floor_auc"],
        "top_giveaway_columns": metrics["top_giveaway_columns"],
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
