"""What the 95% intervals cost on census, beside what the stages that compute them cost without them.

The compare stage's paired bootstrap (TSTR and TRTR accuracy, AUC, MCC and ratios over the holdout rows),
the discriminator's DeLong intervals and the Wilson intervals run on the default census split; the reference
is the same stages' work without intervals: the refit of the two best models (lightgbm) and the two
discriminators. Prints JSON: seconds of each and the ratio.

    python bench/interval_cost.py
"""

from __future__ import annotations

import json
import time

import numpy as np

from synthproof import datasets
from synthproof.evaluation.compare import PredictionTask, holdout_intervals, refit_and_score
from synthproof.evaluation.discriminate import discriminate
from synthproof.evaluation.uncertainty import delong, wilson
from synthproof.io import read_table
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, prepare_table
from synthproof.split import split_holdout

CENSUS = datasets.CENSUS.path  # the embedded table


def seconds(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), "income")
    train, holdout = split_holdout(table, "income", 0.2, 42)
    categorical = [c for c in schema.names(CATEGORICAL) if c != "income"]
    numeric = schema.names(NUMERIC, DATETIME)
    # a stand-in synthetic table: another half of the training rows
    synthetic, real = train.iloc[: len(train) // 2], train.iloc[len(train) // 2 :]
    task = PredictionTask("income", categorical, numeric, np.array(sorted(train["income"].unique())), 42)
    refit_seconds, (tstr, trtr) = seconds(
        lambda: tuple(
            refit_and_score("lightgbm", side, frame, {"holdout": holdout}, task)
            for side, frame in (("synthetic", synthetic), ("real", real))
        )
    )
    bootstrap_seconds, intervals = seconds(lambda: holdout_intervals(tstr, trtr, 42))
    discriminate_seconds, scored = seconds(
        lambda: [
            discriminate(real, other, [*categorical, "income"], numeric, seed=42)
            for other in (synthetic, holdout)
        ]
    )
    delong_seconds, _ = seconds(lambda: [delong(s.is_fake, s.probability) for s in scored])
    wilson_seconds, _ = seconds(lambda: [wilson(k, len(train)) for k in range(100)])
    added = bootstrap_seconds + delong_seconds + wilson_seconds / 100 * 6
    reference = refit_seconds + discriminate_seconds
    print(
        json.dumps(
            {
                "holdout_rows": len(holdout),
                "bootstrap_rounds": 400,
                "bootstrap_seconds": round(bootstrap_seconds, 2),
                "delong_seconds_both_discriminators": round(delong_seconds, 4),
                "intervals_seconds": round(added, 2),
                "refits_and_discriminators_seconds": round(reference, 2),
                "intervals_over_those_stages_work": round(added / reference, 3),
                "tstr_accuracy_interval": [round(v, 4) for v in intervals["tstr_accuracy"]],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
