"""Benchmark: our three privacy attacks against anonymeter's, same rows, side by side, and where each
generator falls.

anonymeter (Clear BSD) pins numpy<1.27 and pyarrow<22, so pip refuses it beside this stack; it runs on
numpy 2 when installed with ``--no-deps``. It is therefore no dependency of the project: this script gives it
a virtual environment of its own (bench/.venvs/anonymeter, once; it needs the package index) and runs it
there on the same Parquet files our code reads here.

For each dataset (census, bank marketing) the real rows are split as the pipeline splits them (80% training,
20% holdout, seed 42); the attacked rows, the synthetic table and the control are samples of
``--rows`` training rows, ``--rows`` synthetic rows and ``--control`` holdout rows (the issue's reference:
5,000, 5,000, 2,000, 500 attacks). Each generator (``--generators``) is fitted on the attacked rows through
the package's own wrapper, with the default params (CTGAN: ``--ctgan-minutes``).

    python bench/privacy_vs_anonymeter.py                        # census and bank marketing
    python bench/privacy_vs_anonymeter.py --datasets census --generators resample independent

Writes bench/results/privacy_vs_anonymeter.json: per dataset and generator, both risks with their intervals
and both times.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

from _bench_tables import TABLES, bench_table, synthetic_table, write_results
from _reference_venv import reference_python

from synthproof.evaluation.attacks import Attacks

ANONYMETER_NEEDS = ["numba", "polars", "scipy", "scikit-learn", "pandas", "pyarrow"]  # its imports, current

# Runs in anonymeter's venv: the same three attacks, the same sizes, anonymeter's defaults otherwise.
ANONYMETER_SCRIPT = r"""
import json, sys, time
import pandas as pd
from anonymeter.evaluators import InferenceEvaluator, LinkabilityEvaluator, SinglingOutEvaluator
ori, syn, control = (pd.read_parquet(sys.argv[i]) for i in (1, 2, 3))
spec = json.loads(sys.argv[4])
started, out = time.perf_counter(), {}
n = spec["n_attacks"]
so = SinglingOutEvaluator(ori, syn, n_attacks=n, n_cols=spec["n_cols"], control=control, seed=0)
out["singling_out"] = so.evaluate(mode="multivariate").risk()
link = LinkabilityEvaluator(ori, syn, aux_cols=spec["aux_cols"], n_attacks=spec["n_attacks"],
                            n_neighbors=spec["n_neighbors"], control=control)
out["linkability"] = link.evaluate(n_jobs=1).risk()
columns = list(ori.columns)
known = [c for c in columns if c != spec["target"]]
inf = InferenceEvaluator(ori, syn, aux_cols=known, secret=spec["target"], n_attacks=n, control=control)
out["inference_target"] = inf.evaluate(n_jobs=1).risk()
out = {k: [v.value, v.ci[0], v.ci[1]] for k, v in out.items()}
out["seconds"] = time.perf_counter() - started
print(json.dumps(out))
"""


def anonymeter_python() -> Path:
    """anonymeter's venv: its imports at current versions, then anonymeter itself without its pins."""
    python = reference_python("anonymeter", ANONYMETER_NEEDS)
    installed = subprocess.run([str(python), "-c", "import anonymeter"], capture_output=True).returncode == 0
    if not installed:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "anonymeter==1.1.0"], check=True
        )
    return python


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", nargs="+", default=list(TABLES))
    parser.add_argument("--generators", nargs="+", default=["resample", "independent", "cart", "ctgan"])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--control", type=int, default=2000)
    parser.add_argument("--n-attacks", type=int, default=500)
    parser.add_argument("--ctgan-minutes", type=float, default=3.0)
    parser.add_argument("--skip-anonymeter", action="store_true")
    args = parser.parse_args()
    python = None if args.skip_anonymeter else anonymeter_python()
    results = {}
    for dataset in args.datasets:
        table = bench_table(dataset, args.rows, args.control)
        attacked, control, target = table.train, table.control, table.target
        categorical, ordered = table.categorical, table.ordered
        columns = categorical + ordered
        halves = [columns[0::2], columns[1::2]]
        for generator in args.generators:
            synthetic = synthetic_table(generator, table, args.rows, args.ctgan_minutes)
            started = time.perf_counter()
            # anonymeter's n_attacks is its targets too: the same count for both
            attacks = Attacks(n_attacks=args.n_attacks, n_targets=args.n_attacks, aux_columns=halves,
                              secrets=[target], seed=0)  # fmt: skip
            ours = attacks.run(table.schema, attacked, synthetic, control)
            seconds = time.perf_counter() - started
            risks = {
                "singling_out": ours.singling_out.risk(),
                "linkability": ours.linkability.risk(),
                "inference_target": ours.inference[target].risk(),
            }
            row = {
                "ours": {k: [round(x, 4) for x in v] for k, v in risks.items()},
                "ours_seconds": round(seconds, 1),
            }
            if python is not None:
                with tempfile.TemporaryDirectory() as folder:
                    paths = [Path(folder) / f"{part}.parquet" for part in ("ori", "syn", "control")]
                    for frame, path in zip((attacked, synthetic, control), paths, strict=True):
                        frame[columns].to_parquet(path)
                    spec = {"n_attacks": args.n_attacks, "n_cols": 3, "n_neighbors": 10, "target": target,
                            "aux_cols": halves}  # fmt: skip
                    done = subprocess.run(
                        [str(python), "-c", ANONYMETER_SCRIPT, *map(str, paths), json.dumps(spec)],
                        check=True, capture_output=True, text=True, env={"OMP_NUM_THREADS": "1", "PATH": ""},
                    )  # fmt: skip
                theirs = json.loads(done.stdout.strip().splitlines()[-1])
                row["anonymeter_seconds"] = round(theirs.pop("seconds"), 1)
                row["anonymeter"] = {k: [round(x, 4) for x in v] for k, v in theirs.items()}
                row["time_ratio"] = round(row["anonymeter_seconds"] / max(seconds, 1e-9), 2)
            results.setdefault(dataset, {})[generator] = row
            print(dataset, generator, json.dumps(row), flush=True)
    write_results("privacy_vs_anonymeter", results)


if __name__ == "__main__":
    main()
