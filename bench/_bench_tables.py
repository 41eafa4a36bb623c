"""The shared tables of the benches that score generators against a reference library: census and bank
marketing, split as the pipeline splits them, sampled to a training part and a control, and synthetic
tables fitted on that training part through the package's own wrapper."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd

from synthproof import datasets
from synthproof.config import GeneratorParams
from synthproof.generators import build_generator
from synthproof.io import read_table
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema, prepare_table
from synthproof.split import split_holdout

DATASETS = datasets.FOLDER  # the embedded tables
TABLES = {"census": ("census.csv.gz", "income", ["?"]), "bank_marketing": ("bank_marketing.csv.gz", "y", [])}


@dataclasses.dataclass
class BenchTable:
    """A training part (what a generator fits on and an attack targets), a control from the holdout."""

    name: str
    target: str
    schema: Schema
    train: pd.DataFrame
    control: pd.DataFrame

    @property
    def categorical(self) -> list[str]:
        return self.schema.names(CATEGORICAL)

    @property
    def ordered(self) -> list[str]:
        return self.schema.names(NUMERIC, DATETIME)


def bench_table(name: str, rows: int, control_rows: int) -> BenchTable:
    """``name`` split 80/20 (seed 42, as the pipeline does), then ``rows`` training and ``control_rows``
    holdout rows (seed 0)."""
    file, target, na_values = TABLES[name]
    table, schema, _ = prepare_table(read_table(DATASETS / file, na_values=na_values), target)
    train, holdout = split_holdout(table, target, 0.2, 42)
    train = train.sample(n=min(rows, len(train)), random_state=0).reset_index(drop=True)
    control = holdout.sample(n=min(control_rows, len(holdout)), random_state=0).reset_index(drop=True)
    return BenchTable(name, target, schema, train, control)


def synthetic_table(generator: str, table: BenchTable, rows: int, minutes: float) -> pd.DataFrame:
    """``rows`` rows of ``generator`` fitted on ``table.train`` with its default params, one thread, and
    a training budget of ``minutes``."""
    cfg = dataclasses.replace(GeneratorParams(), name=generator, max_training_minutes=minutes, threads=1)
    model = build_generator(cfg, 42, list(table.train.columns), table.target)
    model.fit(table.train, table.schema.discrete_columns)
    return model.sample(rows, seed=42)


def judged_tables_arguments(parser, generators: list[str], holdout: int = 2000) -> None:
    """The options of a bench that judges generators' tables: datasets, generators, training rows (and as
    many synthetic ones), holdout rows and each generator's training budget."""
    parser.add_argument("--datasets", nargs="+", default=["census"], choices=list(TABLES))
    parser.add_argument("--generators", nargs="+", default=generators)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--holdout", type=int, default=holdout)
    parser.add_argument("--minutes", type=float, default=3.0, help="each generator's training budget")


def write_results(name: str, results: dict) -> None:
    """``results`` as bench/results/<name>.json, and say where."""
    out = Path(__file__).resolve().parent / "results" / f"{name}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {out}")
