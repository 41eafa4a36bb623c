"""What one more experiment of a generator sweep costs to evaluate, with the real rows' own scores cached
(the score_real stage) and without (every evaluation recomputing them, as before that stage).

On the default census split, four synthetic tables (``cart``, ``gaussian_copula``, ``independent``,
``resample``: seconds to train; the evaluation's cost does not depend on the generator) are each evaluated
by the four evaluation stages' work with the default params: ``FakeOrRealTest``, ``quality``,
``DistanceTest`` and ``compare``. Without references, each call recomputes the TRTR leaderboard and
refit, the floor discriminator, the fidelity ceiling and the holdout's distances; with them,
``score_real``'s work runs once and each table reads it. Both paths give the same figures (checked
here). Prints JSON: seconds per table of each path, the one-off reference cost, and the ratio per extra
experiment.

    python bench/sweep_cost.py [--tables N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from synthproof import datasets
from synthproof.config import load_params
from synthproof.evaluation import compare, fake_or_real, fidelity, privacy
from synthproof.generators import build_generator
from synthproof.io import read_table
from synthproof.schema import CATEGORICAL, DATETIME, ID, NUMERIC, prepare_table
from synthproof.split import split_holdout

ROOT = Path(__file__).resolve().parents[1]
CENSUS = datasets.CENSUS.path  # the embedded table
GENERATORS = ["cart", "gaussian_copula", "independent", "resample"]


def timed(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=len(GENERATORS), help="synthetic tables (at most 4)")
    args = parser.parse_args()
    params = load_params(ROOT / "params.yaml")
    seed, target = params.seed, "income"
    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), target)
    train, holdout = split_holdout(table, target, params.split.holdout_fraction, seed)
    categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
    cmp, dis, fid = params.compare, params.discriminate, params.fidelity
    settings = compare.CompareSettings.for_run(cmp, schema.task, seed, threads=1)
    # the discriminate section's settings, every row (this bench times the evaluation on all of them)
    test = dataclasses.replace(fake_or_real.FakeOrRealTest.for_run(dis, seed, threads=2), max_rows=None)
    distances = privacy.DistanceTest.for_run(params.privacy, seed)

    def references():
        return {
            "compare": compare.real_reference(train, holdout, target, categorical, ordered, settings),
            "discriminate": test.floor(schema, train, holdout),
            "fidelity": fidelity.quality(train, holdout, categorical, ordered, fid.bins, fid.correlation),
            "privacy": distances.reference(schema, train, holdout),
        }

    def evaluate(synthetic, cached):
        """The three evaluation stages' work on one synthetic table; ``cached``: score_real's references."""
        cached = cached or {}
        scored = test.run(schema, train, holdout, synthetic, reference=cached.get("discriminate"))
        scores = fidelity.quality(train, synthetic, categorical, ordered, fid.bins, fid.correlation)
        ceiling = cached.get("fidelity") or fidelity.quality(
            train, holdout, categorical, ordered, fid.bins, fid.correlation
        )
        copies = distances.run(schema, train, holdout, synthetic, cached.get("privacy"))
        compared = compare.compare(
            train, holdout, synthetic, target, categorical, ordered, settings, reference=cached.get("compare")
        )
        figures = {
            **scored.metrics(),
            **fidelity.fidelity_metrics(scores, ceiling),
            **copies.metrics(),
            **compared.metrics(),
        }
        return {k: v for k, v in figures.items() if not isinstance(v, dict | list)}

    synthetic_tables = {}
    for name in GENERATORS[: args.tables]:
        generator = build_generator(
            dataclasses.replace(params.generator, name=name),
            seed,
            list(train.columns),
            target,
            schema.names(ID),
        )
        generator.fit(train, schema.discrete_columns)
        synthetic_tables[name] = generator.sample(len(train), seed=seed)

    reference_seconds, cached = timed(references)
    rows, same = {}, True
    for name, synthetic in synthetic_tables.items():
        without, fresh_figures = timed(lambda: evaluate(synthetic, None))  # noqa: B023 (called at once)
        with_cache, cached_figures = timed(lambda: evaluate(synthetic, cached))  # noqa: B023
        same &= fresh_figures == cached_figures
        rows[name] = {"without_references_s": round(without, 1), "with_references_s": round(with_cache, 1)}
        print(name, rows[name], flush=True)
    without = sum(r["without_references_s"] for r in rows.values()) / len(rows)
    with_cache = sum(r["with_references_s"] for r in rows.values()) / len(rows)
    print(
        json.dumps(
            {
                "rows": {"train": len(train), "holdout": len(holdout)},
                "compare": {"models": len(cmp.models), "folds": cmp.folds},
                "tables": rows,
                "reference_once_s": round(reference_seconds, 1),
                "per_extra_experiment_without_s": round(without, 1),
                "per_extra_experiment_with_s": round(with_cache, 1),
                "ratio": round(without / with_cache, 2),
                "same_figures": same,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
