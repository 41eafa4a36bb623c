"""Benchmark: our alpha-precision, beta-recall and authenticity against synthcity's ``AlphaPrecision.metrics``
(the implementation of the paper's authors' lab, van der Schaar's), on the same rows and the same embedding.

synthcity cannot be installed beside this stack, but the function that computes the three figures needs
only numpy and scikit-learn: this script downloads synthcity's wheel from the package index (``pip download
--no-deps``, once, into bench/.venvs/synthcity-wheel), takes that one method's source out of it and runs it
here. Both judges see the same arrays: the rows embedded by our mixed embedding (census has no categorical
with more than 44 values, so every column is a dense coordinate and the embedding is one matrix), with the
real rows' mean as the centre (synthcity's ``emb_center=None``, its "naive" figures).

For each generator (fitted on ``--rows`` census training rows through the package's wrapper) and for the
holdout: our figures and synthcity's, on ``--rows`` real rows and as many synthetic ones. Writes
bench/results/coverage_vs_synthcity.json.

    python bench/coverage_vs_synthcity.py [--rows 5000] [--generators cart independent resample]
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
from _bench_tables import bench_table, judged_tables_arguments, synthetic_table, write_results
from sklearn.neighbors import NearestNeighbors

from synthproof.evaluation.coverage import CoverageTest
from synthproof.evaluation.privacy import MixedEmbedding

HERE = Path(__file__).resolve().parent
WHEELS = HERE / ".venvs" / "synthcity-wheel"
GENERATORS = ["resample", "cart", "independent", "ctgan"]


def synthcity_metrics():
    """synthcity's ``AlphaPrecision.metrics`` (0.2.12), taken from its wheel and compiled here."""
    if not list(WHEELS.glob("synthcity-*.whl")):
        WHEELS.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "synthcity==0.2.12",
            "-d",
            str(WHEELS),
        ]
        subprocess.run(command, check=True)
    with zipfile.ZipFile(next(WHEELS.glob("synthcity-*.whl"))) as wheel:
        source = wheel.read("synthcity/metrics/eval_statistical.py").decode()
    tree = ast.parse(source)
    method = next(
        node
        for cls in tree.body
        if isinstance(cls, ast.ClassDef) and cls.name == "AlphaPrecision"
        for node in cls.body
        if isinstance(node, ast.FunctionDef) and node.name == "metrics"
    )
    code = textwrap.dedent(ast.get_source_segment(source, method))
    namespace = {"np": np, "NearestNeighbors": NearestNeighbors, "Optional": object, "Tuple": object}
    exec(compile(code, "synthcity/metrics/eval_statistical.py", "exec"), namespace)
    return namespace["metrics"]


def compared(table, other, rows: int, metrics) -> dict:
    """Our figures and synthcity's on ``rows`` training rows and ``rows`` rows of ``other``."""
    real = table.train.sample(n=rows, random_state=0)
    other = other.sample(n=rows, random_state=0) if len(other) > rows else other
    ours = CoverageTest(max_rows=rows, max_real_rows=rows, seed=0).run(table.schema, real, other)
    embedding = MixedEmbedding(real, table.categorical, table.ordered)
    real_points, other_points = embedding.transform(real), embedding.transform(other)
    width = max(real_points.dense.shape[1], other_points.dense.shape[1])  # values only ``other`` holds
    real_points, other_points = real_points.widened(width), other_points.widened(width)
    assert real_points.codes.shape[1] == 0, "a coded column: the two judges would not see one matrix"
    _, _, _, precision, recall, authenticity = metrics(None, real_points.dense, other_points.dense)
    return {
        "ours": {
            "alpha_precision": round(ours.alpha_precision, 4),
            "alpha_precision_interval": [round(x, 4) for x in ours.intervals["alpha_precision"]],
            "beta_recall": round(ours.beta_recall, 4),
            "beta_recall_interval": [round(x, 4) for x in ours.intervals["beta_recall"]],
            "authenticity": round(ours.authenticity, 4),
        },
        "synthcity": {
            "alpha_precision": round(float(precision), 4),
            "beta_recall": round(float(recall), 4),
            "authenticity": round(float(authenticity), 4),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    judged_tables_arguments(parser, GENERATORS, holdout=5000)
    args = parser.parse_args()
    metrics = synthcity_metrics()
    table = bench_table(args.datasets[0], args.rows, args.holdout)
    results = {"holdout": compared(table, table.control, args.rows, metrics)}
    print("holdout", json.dumps(results["holdout"]), flush=True)
    for generator in args.generators:
        synthetic = synthetic_table(generator, table, args.rows, args.minutes)
        results[generator] = compared(table, synthetic, args.rows, metrics)
        print(generator, json.dumps(results[generator]), flush=True)
    write_results("coverage_vs_synthcity", {"rows": args.rows, "cases": results})


if __name__ == "__main__":
    main()
