"""Run inside the benchmark's own PyCaret virtual environment: time setup + compare_models.

    python _pycaret_compare.py FOLDER   (FOLDER holds table.csv and settings.json)

Writes the leaderboard to FOLDER/pycaret_leaderboard.csv and prints timings as JSON.
"""

import json
import sys
import time
from pathlib import Path

import pandas as pd

folder = Path(sys.argv[1])
settings = json.loads((folder / "settings.json").read_text())
if settings.get("task") == "regression":
    from pycaret.regression import compare_models, pull, setup
else:
    from pycaret.classification import compare_models, pull, setup
table = pd.read_csv(folder / "table.csv")
started = time.perf_counter()
setup(table, target=settings["target"], session_id=settings["seed"], fold=settings["folds"], verbose=False,
      html=False, n_jobs=settings["n_jobs"])  # fmt: skip
setup_seconds = time.perf_counter() - started
started = time.perf_counter()
compare_models(include=settings["models"], errors="ignore", verbose=False)
compare_seconds = time.perf_counter() - started
board = pull()
board.to_csv(folder / "pycaret_leaderboard.csv")
print(json.dumps({"setup_seconds": setup_seconds, "compare_seconds": compare_seconds}))
