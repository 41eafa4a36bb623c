"""Benchmark: our fidelity, discriminator and DCR figures against MOSTLY AI's own judge, mostlyai-qa.

mostlyai-qa (Apache-2.0) is no dependency of the project: this script gives it a virtual environment of its
own (bench/.venvs/mostlyai-qa, once; it needs the package index; torch held at the project's CPU wheel) and
runs its ``report`` there, with one thread (OMP_NUM_THREADS=1: minutes instead of seconds otherwise), on the
same Parquet files our code reads here.

For each dataset the real rows are split as the pipeline splits them (80/20, seed 42); the training part is a
sample of ``--rows`` training rows, the holdout a sample of ``--holdout`` holdout rows (the issue's reference:
5,000 and 2,000). Each generator is fitted on the training part through the package's own wrapper with its
default params, one thread and a budget of ``--minutes``, and draws ``--rows`` rows. Then both judges score
the same three tables:

- fidelity: our quality (column shapes, pair trends; 0-100) and its ceiling (the holdout scored the same
  way) beside mostlyai-qa's accuracy (uni-, bi-, trivariate; 0-1) and its ceiling (``overall_max``);
- discriminator AUC: ours (LightGBM on the columns) and its floor (holdout vs training) beside mostlyai-qa's
  (a classifier on each row's text embedding) and its floor;
- DCR share: ours (every synthetic row, size-adjusted to 0.5 for a generator that memorises nothing)
  beside mostlyai-qa's (the training rows subsampled to the holdout's size; the highest share over several
  column groups);
- exact copies (ours), and each judge's seconds.

    python bench/quality_vs_mostlyai_qa.py                     # census, the five generators
    python bench/quality_vs_mostlyai_qa.py --datasets census bank_marketing --generators cart resample

Writes bench/results/quality_vs_mostlyai_qa.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from _bench_tables import bench_table, judged_tables_arguments, synthetic_table, write_results
from _reference_venv import reference_python

from synthproof.evaluation.discriminate import discriminate
from synthproof.evaluation.fidelity import quality
from synthproof.evaluation.privacy import DistanceTest

QA = ["torch==2.13.0", "mostlyai-qa==1.10.11", "pyarrow"]  # torch pinned: the CPU wheel, not a CUDA build
GENERATORS = ["resample", "independent", "cart", "ctgan", "tabular_argn"]

# Runs in mostlyai-qa's venv: its report on the three tables, its metrics and its seconds as JSON.
QA_SCRIPT = r"""
import json, sys, time
import pandas as pd
from mostlyai import qa
from mostlyai.qa.random_state import set_random_state
trn, syn, hol = (pd.read_parquet(sys.argv[i]) for i in (1, 2, 3))
set_random_state(0)
started = time.perf_counter()
_, metrics = qa.report(syn_tgt_data=syn, trn_tgt_data=trn, hol_tgt_data=hol, report_path=sys.argv[4])
out = metrics.model_dump()
out["seconds"] = time.perf_counter() - started
print(json.dumps(out))
"""


def our_figures(table, synthetic) -> dict:
    """Our three judges on the bench's tables, each beside its real-vs-real reference, one thread."""
    train, holdout, categorical, ordered = table.train, table.control, table.categorical, table.ordered
    started = time.perf_counter()
    fake = discriminate(train, synthetic, categorical, ordered, seed=0, threads=1)
    floor = discriminate(train, holdout, categorical, ordered, seed=0, threads=1)
    scored, ceiling = (quality(train, other, categorical, ordered) for other in (synthetic, holdout))
    distances = DistanceTest(max_rows=None, seed=0).run(table.schema, train, holdout, synthetic)
    return {
        "quality": round(scored.score, 2),
        "column_shapes": round(scored.column_shapes_score, 4),
        "pair_trends": round(scored.pair_trends_score, 4),
        "quality_ceiling": round(ceiling.score, 2),
        "discriminator_auc": round(fake.auc, 4),
        "discriminator_auc_floor": round(floor.auc, 4),
        "dcr_share": round(distances.dcr_share, 4),
        "dcr_share_interval": [round(x, 4) for x in distances.dcr_share_interval],
        "exact_copy_share": round(distances.copies / distances.synthetic_rows, 4),
        "seconds": round(time.perf_counter() - started, 1),
    }


def qa_figures(python: Path, table, synthetic) -> dict:
    """mostlyai-qa's report on the same tables, in its own venv with one thread."""
    columns = table.categorical + table.ordered
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{part}.parquet" for part in ("trn", "syn", "hol")]
        for frame, path in zip((table.train, synthetic, table.control), paths, strict=True):
            frame[columns].to_parquet(path)
        done = subprocess.run(
            [str(python), "-c", QA_SCRIPT, *map(str, paths), str(Path(folder) / "report.html")],
            check=True, capture_output=True, text=True, cwd=folder,
            env={"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PATH": "", "HOME": folder},
        )  # fmt: skip
    metrics = json.loads(done.stdout.strip().splitlines()[-1])
    accuracy, similarity, distances = metrics["accuracy"], metrics["similarity"], metrics["distances"]
    return {
        "accuracy": accuracy["overall"],
        "univariate": accuracy["univariate"],
        "bivariate": accuracy["bivariate"],
        "trivariate": accuracy["trivariate"],
        "accuracy_ceiling": accuracy["overall_max"],
        "discriminator_auc": similarity["discriminator_auc_training_synthetic"],
        "discriminator_auc_floor": similarity["discriminator_auc_training_holdout"],
        "dcr_share": distances["dcr_share"],
        "seconds": round(metrics["seconds"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    judged_tables_arguments(parser, GENERATORS)
    args = parser.parse_args()
    python = reference_python("mostlyai-qa", QA)
    results = {}
    for dataset in args.datasets:
        table = bench_table(dataset, args.rows, args.holdout)
        for generator in args.generators:
            started = time.perf_counter()
            synthetic = synthetic_table(generator, table, args.rows, args.minutes)
            row = {"fit_and_sample_seconds": round(time.perf_counter() - started, 1)}
            row["ours"] = our_figures(table, synthetic)
            row["mostlyai_qa"] = qa_figures(python, table, synthetic)
            results.setdefault(dataset, {})[generator] = row
            print(dataset, generator, json.dumps(row), flush=True)
    write_results("quality_vs_mostlyai_qa", results)


if __name__ == "__main__":
    main()
