"""sample: draw the synthetic table from the trained generator.

reads:  paths.model, paths.train (row count, copies to reject, the ranges the sanity figures compare
        with), paths.schema
writes: paths.synthetic, paths.metrics.sample (+ paths.details.sample); paths.cost.sample: sample_seconds
"""

import time

import pandas as pd

from stages.common import record_cost, run
from synthproof.errors import SynthproofError
from synthproof.evaluation.ranges import column_sanity
from synthproof.generators import Generator
from synthproof.generators.guard import sample_without_copies
from synthproof.io import read_json, write_metrics, write_parquet
from synthproof.progress import steps
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

PARAMS = ["seed", "sample"]


def main(params):
    cfg, paths = params.sample, params.paths
    schema = Schema.from_dict(read_json(paths.schema))
    train = pd.read_parquet(paths.train)
    generator = Generator.load(paths.model)
    rows = generator.rows_to_draw(cfg.rows, len(train))
    started = time.perf_counter()
    if cfg.reject_copies and not generator.redraws:
        raise SynthproofError(
            f"sample.reject_copies is true, but {generator.name} cannot draw other rows in place of copies: "
            "set it to false (privacy's exact_copy_share counts them)"
        )
    if cfg.reject_copies:
        learnt = schema.names(CATEGORICAL, NUMERIC, DATETIME)
        with steps(cfg.max_rejection_rounds, "sample: copy guard", "round") as progress:
            synthetic, guard = sample_without_copies(
                generator, rows, params.seed, train, learnt, cfg.max_rejection_rounds, progress
            )
        guarded, out_of_range, drawn = guard.metrics(), guard.out_of_range, guard.drawn
    else:
        draw = generator.draw(rows, seed=params.seed)
        synthetic, guarded, out_of_range, drawn = draw.frame, {}, draw.out_of_range, rows
    sample_seconds = time.perf_counter() - started
    write_parquet(synthetic, paths.synthetic)
    record_cost({"sample_seconds": round(sample_seconds, 3)})  # it varies: not with the results
    sanity = column_sanity(train, synthetic, schema.names(NUMERIC, DATETIME), schema.names(CATEGORICAL))
    write_metrics(
        {
            "synthetic_rows": rows,
            **guarded,
            "out_of_range_share_max": max(
                (c.get("out_of_range_share", 0.0) for c in sanity.values()), default=0.0
            ),
            "dtypes_match": all(c["dtype_matches"] for c in sanity.values()),
            # before clipping, over every row drawn (every round of the copy guard)
            "generated_out_of_range_share": {
                name: round(count / drawn, 4) for name, count in out_of_range.items()
            },
            "columns": sanity,
        },
        paths.metrics.sample,
        paths.details.sample,
    )
    left = f"; {guarded['copies_left']} copies of training rows left" if guarded else ""
    return f"{rows:,} synthetic rows{left}"


if __name__ == "__main__":
    run(main, PARAMS)
