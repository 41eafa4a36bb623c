"""Benchmark: our accuracy over binned marginals (``synthproof.evaluation.marginals``) against mostlyai-qa's
own (``accuracy``: univariate, bivariate, trivariate and overall) on the same rows.

mostlyai-qa runs in its own virtual environment, as in ``bench/quality_vs_mostlyai_qa.py`` (whose venv and
runner this script shares). For each dataset: ``--rows`` training rows split as the pipeline splits them,
``--holdout`` holdout rows, and for each generator ``--rows`` synthetic rows from it (fitted through the
package's wrapper, default params, one thread, a budget of ``--minutes``); both judges score the synthetic
rows against the same rows: the training rows and the holdout together, which mostlyai-qa's ``report`` takes
as the original when given a holdout (the pipeline's own figure compares with the training rows alone, and
scores the holdout as its reference). Writes bench/results/accuracy_vs_mostlyai_qa.json.

    python bench/accuracy_vs_mostlyai_qa.py [--generators resample cart independent ctgan]
"""

from __future__ import annotations

import argparse
import json
import time

import pandas as pd
from _bench_tables import bench_table, judged_tables_arguments, synthetic_table, write_results
from _reference_venv import reference_python
from quality_vs_mostlyai_qa import QA, qa_figures

from synthproof.evaluation.marginals import ORDERS, MarginalAccuracyTest

GENERATORS = ["resample", "cart", "independent", "ctgan"]


def our_accuracy(table, synthetic) -> dict:
    """Our four figures, each with its interval, and the seconds they took, against the rows mostlyai-qa
    reads as the original: the training rows and the holdout together (its ``report`` concatenates them
    when given a holdout; the pipeline compares with the training rows alone)."""
    started = time.perf_counter()
    original = pd.concat([table.train, table.control], ignore_index=True)
    found = MarginalAccuracyTest(seed=0).run(original, synthetic, table.ordered)
    figures = {}
    for name in ("accuracy", *(f"accuracy_{order}" for order in ORDERS)):
        figures[name] = round(found.figures[name], 4)
        figures[f"{name}_interval"] = [round(x, 4) for x in found.intervals[name]]
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    judged_tables_arguments(parser, GENERATORS)
    args = parser.parse_args()
    python = reference_python("mostlyai-qa", QA)
    results = {}
    for dataset in args.datasets:
        table = bench_table(dataset, args.rows, args.holdout)
        for generator in ["holdout", *args.generators]:
            synthetic = (
                table.control
                if generator == "holdout"
                else synthetic_table(generator, table, args.rows, args.minutes)
            )
            theirs = qa_figures(python, table, synthetic)
            row = {
                "ours": our_accuracy(table, synthetic),
                "mostlyai_qa": {
                    key: theirs[key] for key in ("accuracy", "univariate", "bivariate", "trivariate")
                },
            }
            row["difference_points"] = {
                key: round(100 * (row["ours"][name] - row["mostlyai_qa"][key]), 2)
                for key, name in (("accuracy", "accuracy"), *((o, f"accuracy_{o}") for o in ORDERS))
            }
            results.setdefault(dataset, {})[generator] = row
            print(dataset, generator, json.dumps(row), flush=True)
    write_results("accuracy_vs_mostlyai_qa", results)


if __name__ == "__main__":
    main()
