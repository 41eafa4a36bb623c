"""Benchmark: our model comparison against PyCaret's compare_models, same rows, models and folds.

PyCaret is not a project dependency (it pins an old stack): this script creates its own virtual
environment for it (bench/.venvs/pycaret, once; it needs the package index) and runs setup +
compare_models there. PyCaret's setup keeps 70% of the rows for cross-validation; ours cross-validates the
same 70% here, with the same 14 models and folds, in this process. It prints both times, their ratio (the
issue's goal: ours at least 3x faster), the best model of each, and the Spearman correlation of the two
leaderboards on Accuracy (the goal: at least 0.9).

    python bench/compare_vs_pycaret.py [--rows 20000] [--folds 10]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd
from _reference_venv import reference_python

from synthproof.evaluation.compare import MODELS, leaderboard
from synthproof.io import read_table
from synthproof.schema import prepare_table

HERE = Path(__file__).resolve().parent

CENSUS = HERE.parents[1] / "shared" / "datasets" / "census.csv.gz"
PYCARET = ["pycaret==3.3.2", "six"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    table, schema, _ = prepare_table(read_table(CENSUS, na_values=["?"]), "income")
    table = table.sample(n=args.rows, random_state=args.seed).reset_index(drop=True)
    models = list(MODELS)
    settings = {"target": "income", "seed": args.seed, "folds": args.folds, "models": models, "n_jobs": -1}
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

    cv_rows, _ = train_test_split(table, train_size=0.7, stratify=table["income"], random_state=args.seed)
    categorical = [c for c in schema.names("categorical") if c != "income"]
    started = time.perf_counter()
    ours = leaderboard(cv_rows, "income", categorical, schema.names("numeric"), models, folds=args.folds)
    seconds = time.perf_counter() - started
    normalized = leaderboard(
        cv_rows, "income", categorical, schema.names("numeric"), models, folds=args.folds, normalize=True
    )

    accuracy = pd.DataFrame({
        "ours": ours.set_index("id")["Accuracy"],
        "pycaret": their_board["Accuracy"],
        "ours_normalize": normalized.set_index("id")["Accuracy"],
        "ours_tt": ours.set_index("id")["TT (Sec)"],
        "pycaret_tt": their_board["TT (Sec)"],
    }).dropna(subset=["ours", "pycaret"])  # fmt: skip
    their_seconds = theirs["setup_seconds"] + theirs["compare_seconds"]
    print(json.dumps({
        "rows_cross_validated": len(cv_rows),
        "models": len(models),
        "folds": args.folds,
        "ours_seconds": round(seconds, 1),
        "pycaret_seconds": {k: round(v, 1) for k, v in theirs.items()},
        "speedup": round(their_seconds / seconds, 2),
        "best": {"ours": ours.loc[~ours["failed"], "id"].iloc[0], "pycaret": their_board.index[0]},
        "accuracy_spearman": round(float(accuracy["ours"].rank().corr(accuracy["pycaret"].rank())), 3),
        "accuracy_spearman_with_normalize": round(
            float(accuracy["ours_normalize"].rank().corr(accuracy["pycaret"].rank())), 3
        ),
        "accuracy": accuracy.round(4).to_dict(orient="index"),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
