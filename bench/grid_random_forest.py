"""The MOSTLY AI notebook's other discriminator, a random forest, on the grid's synthetic tables: does the
fake-vs-real ranking of the generators depend on LightGBM? Run after ``dvc --cd grid repro``; reads each
cell's training part, holdout and synthetic table under ``paths.grid.cells`` and writes
bench/results/grid_random_forest.json: per dataset the random forest's floor (training rows vs holdout) and
its AUC per generator (the grid's own AUCs, LightGBM's, are in grid/results.csv).

    python bench/grid_random_forest.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from _bench_tables import write_results

from synthproof.config import load_params
from synthproof.evaluation.discriminate import discriminate
from synthproof.io import read_json
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    params = load_params(ROOT / "params.yaml")
    cells, paths = ROOT / params.paths.grid.cells, params.paths
    results = {}
    for dataset in params.grid.datasets:
        folder = cells / dataset
        schema = Schema.from_dict(read_json(folder / paths.schema))
        categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
        train, holdout = pd.read_parquet(folder / paths.train), pd.read_parquet(folder / paths.holdout)

        tables = {"floor": holdout}
        for generator in params.grid.generators:
            tables[generator] = pd.read_parquet(folder / generator / paths.synthetic)
        results[dataset] = {}
        for generator, other in tables.items():
            found = discriminate(train, other, categorical, ordered, model="random_forest", seed=params.seed)
            results[dataset][generator] = round(found.auc, 4)
            print(dataset, generator, results[dataset][generator], flush=True)
    write_results("grid_random_forest", results)


if __name__ == "__main__":
    main()
