"""Benchmark: our model comparison against PyCaret's compare_models, same rows, models and folds.

PyCaret is not a project dependency (it pins an old stack): this script creates its own virtual
environment for it (bench/.venvs/pycaret, once; it needs the package index) and runs setup +
compare_models there. PyCaret's setup keeps 70% of the rows for cross-validation; ours cross-validates the
same 70% here, with the same 14 models and folds, in this process. It prints both times, their ratio (the
issue's goal: ours at least 3x faster), the best model of each, and the Spearman correlation of the two
leaderboards on Accuracy (the goal: at least 0.9).

With ``--task regression`` both run their regression zoo (PyCaret's ``pycaret.regression``, our
``compare.regression_models``: the same 18 ids) on a numeric census target (``--target``, default
``age``), k-fold on the same 70%, and the leaderboards are compared on R2.

    python bench/compare_vs_pycaret.py [--rows 20000] [--folds 10]
    python bench/compare_vs_pycaret.py --task regression [--target age]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd
from _reference_venv import reference_python

from synthproof import datasets
from synthproof.evaluation.compare import CompareSettings, leaderboard
from synthproof.evaluation.zoo import PROBLEMS
from synthproof.io import read_table
from synthproof.schema import prepare_table
from synthproof.tasks import CLASSIFICATION, REGRESSION

HERE = Path(__file__).resolve().parent

CENSUS = datasets.CENSUS.path  # the embedded table
PYCARET = ["pycaret==3.3.2", "six"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--task", choices=[CLASSIFICATION, REGRESSION], default=CLASSIFICATION)
    parser.add_argument("--target", help="a census column (default: income; age for regression)")
    args = parser.parse_args()
    target = args.target or ("income" if args.task == CLASSIFICATION else "age")
    problem = PROBLEMS[args.task]
    score = "Accuracy" if args.task == CLASSIFICATION else "R2"

    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), target, target_type=args.task)
    table = table.sample(n=args.rows, random_state=args.seed).reset_index(drop=True)
    models = list(problem.models)
    settings = {"target": target, "seed": args.seed, "folds": args.folds, "models": models, "n_jobs": -1,
                "task": args.task}  # fmt: skip
    python = reference_python("pycaret", PYCARET)
    with tempfile.TemporaryDirectory() as folder:
        table.to_csv(Path(folder) / "table.csv", index=False)  # PyCaret pins numpy 1: no pyarrow
        (Path(folder) / "settings.json").write_text(json.dumps(settings))
        child = subprocess.run(
            [str(python), str(HERE / "_pycaret_compare.py"), folder],
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,  # PyCaret writes a logs.log into its working directory
        )
        theirs = json.loads(child.stdout.strip().splitlines()[-1])
        their_board = pd.read_csv(Path(folder) / "pycaret_leaderboard.csv", index_col=0)

    # PyCaret cross-validates on a stratified 70% of the rows (train_size=0.7): the same share here.
    from sklearn.model_selection import train_test_split

    # (regression: a plain shuffled 70%, as PyCaret's setup splits a numeric target)
    stratify = table[target] if args.task == CLASSIFICATION else None
    cv_rows, _ = train_test_split(table, train_size=0.7, stratify=stratify, random_state=args.seed)
    categorical = [c for c in schema.names("categorical") if c != target]
    numeric = [c for c in schema.names("numeric") if c != target]
    settings = CompareSettings(models, args.task, folds=args.folds, sort=score)
    started = time.perf_counter()
    ours = leaderboard(cv_rows, target, categorical, numeric, settings)
    seconds = time.perf_counter() - started
    normalized = leaderboard(
        cv_rows, target, categorical, numeric, dataclasses.replace(settings, normalize=True)
    )

    accuracy = pd.DataFrame({
        "ours": ours.set_index("id")[score],
        "pycaret": their_board[score],
        "ours_normalize": normalized.set_index("id")[score],
        "ours_tt": ours.set_index("id")["TT (Sec)"],
        "pycaret_tt": their_board["TT (Sec)"],
    }).dropna(subset=["ours", "pycaret"])  # fmt: skip
    their_seconds = theirs["setup_seconds"] + theirs["compare_seconds"]
    result = {
        "task": args.task,
        "target": target,
        "rows_cross_validated": len(cv_rows),
        "models": len(models),
        "folds": args.folds,
        "ours_seconds": round(seconds, 1),
        "pycaret_seconds": {k: round(v, 1) for k, v in theirs.items()},
        "speedup": round(their_seconds / seconds, 2),
        "best": {"ours": ours.loc[~ours["failed"], "id"].iloc[0], "pycaret": their_board.index[0]},
        f"{score.lower()}_spearman": round(
            float(accuracy["ours"].rank().corr(accuracy["pycaret"].rank())), 3
        ),
        f"{score.lower()}_spearman_with_normalize": round(
            float(accuracy["ours_normalize"].rank().corr(accuracy["pycaret"].rank())), 3
        ),
        score.lower(): accuracy.round(4).to_dict(orient="index"),
    }  # fmt: skip
    print(json.dumps(result, indent=2))
    out = HERE / "results" / f"compare_vs_pycaret_{args.task}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
