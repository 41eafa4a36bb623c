"""What each stage costs as the table grows: the whole pipeline, by params only, on census grown to
300k and 1M rows, each stage's wall seconds and peak memory (its own and its workers' together, from
``metrics/cost/<stage>.json``), so that the cost curve per stage is in the README.

The table: census rows drawn again (seeded) with their numbers jittered, so that rows are new people, not
copies, plus 17 categorical columns built from them, two with hundreds of values (occupation x country,
education x occupation), like the 300k-row census extracts users bring: 32 columns, 26 categorical.
Each size runs in a temporary copy of the repository with ``ingest.source`` pointing at the table and
``generator.name`` set (``cart`` by default); every other param is the default.

    python bench/scale.py [--rows 48842 300000 1000000] [--generator cart] [--out bench/results/scale.json]
    python bench/scale.py --write-table 300000 scaled.parquet   # just the table, for a run of your own
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from _repository import copy_repository, run_stage

from synthproof import datasets
from synthproof.config import Params, StageCost

ROOT = Path(__file__).resolve().parents[1]
CENSUS = datasets.CENSUS.path  # the embedded table
STAGES = [item.name for item in dataclasses.fields(StageCost)]  # the stages that write a cost file
PATHS = Params().paths  # where each stage writes (synthproof/config/paths.py)


def scaled_census(rows: int, seed: int = 0) -> pd.DataFrame:
    """Census grown (or shrunk) to ``rows`` rows and 32 columns, as described above."""
    census = pd.read_csv(CENSUS, na_values=["?"])
    rng = np.random.default_rng(seed)
    table = census.sample(rows, replace=rows > len(census), random_state=seed).reset_index(drop=True)
    table["age"] = (table["age"] + rng.integers(-2, 3, rows)).clip(17, 90)
    table["fnlwgt"] = np.round(table["fnlwgt"] * rng.lognormal(0.0, 0.1, rows)).astype(int)
    table["hours_per_week"] = (table["hours_per_week"] + rng.integers(-3, 4, rows)).clip(1, 99)
    text = {c: table[c].fillna("none") for c in ("workclass", "occupation", "native_country", "education")}
    derived = {
        "occupation_country": text["occupation"] + " / " + text["native_country"],  # hundreds of values
        "education_occupation": text["education"] + " / " + text["occupation"],
        "marital_relationship": table["marital_status"] + " / " + table["relationship"],
        "race_sex": table["race"] + " / " + table["sex"],
        "workclass_sex": text["workclass"] + " / " + table["sex"],
        "age_band": pd.cut(table["age"], [0, 25, 35, 45, 55, 65, 100]).astype(str),
        "hours_band": pd.cut(table["hours_per_week"], [0, 20, 35, 40, 50, 100]).astype(str),
        "gains": np.where(table["capital_gain"] > 0, "gain", "none"),
        "losses": np.where(table["capital_loss"] > 0, "loss", "none"),
        "weight_band": pd.qcut(table["fnlwgt"], 5, labels=list("abcde")).astype(str),
        "school_level": np.select(
            [table["education_num"] <= 8, table["education_num"] <= 12], ["primary", "secondary"], "higher"
        ),
        "abroad": np.where(text["native_country"] == "United-States", "no", "yes"),
        "public_sector": np.where(text["workclass"].str.contains("gov"), "yes", "no"),
        "self_employed": np.where(text["workclass"].str.startswith("Self"), "yes", "no"),
        # survey bookkeeping: noise, and a region that mostly follows the country
        "wave": rng.choice(["w1", "w2", "w3", "w4"], rows),
        "region": np.where(
            rng.random(rows) < 0.9, text["native_country"].str[:1], rng.choice(list("ABCD"), rows)
        ),
        "interviewer": rng.choice([f"i{k:02d}" for k in range(40)], rows),
    }
    table = table.assign(**derived)
    return table[[c for c in table.columns if c != "income"] + ["income"]]


def run_pipeline(table: pd.DataFrame, generator: str, workdir: Path) -> dict:
    """Every stage in a copy of the repository in ``workdir``: seconds and peak memory per stage."""
    copy_repository(workdir)
    table.to_parquet(workdir / "table.parquet", index=False)
    params = yaml.safe_load((workdir / "params.yaml").read_text())
    params["ingest"].update(source="table.parquet", sha256=None, na_values=[])
    params["target"], params["generator"]["name"] = "income", generator
    (workdir / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
    costs = {}
    for stage in STAGES:
        started = time.perf_counter()
        said = run_stage(workdir, stage, f"{len(table)} rows")
        wall = time.perf_counter() - started
        cost = json.loads((workdir / getattr(PATHS.cost, stage)).read_text())
        costs[stage] = {
            "seconds": round(wall, 1),
            "peak_memory_mb": cost[f"{stage}_peak_memory_mb"],
            "workers_peak_memory_mb": cost[f"{stage}_workers_peak_memory_mb"],
            "total_peak_memory_mb": cost[f"{stage}_total_peak_memory_mb"],
            "said": said,
            **where_the_time_goes(workdir, PATHS, stage),
        }
        print(f"{len(table)} rows: {costs[stage]}", flush=True)
    return costs


def where_the_time_goes(workdir: Path, paths, stage: str) -> dict:
    """score_real's seconds per reference; each leaderboard's mean fit seconds per model and fold, and
    the model refit on every row (the seconds from the stage's cost file, paths.cost)."""
    read = lambda path: json.loads((workdir / path).read_text())  # noqa: E731
    if stage not in ("score_real", "compare"):
        return {}
    cost = read(getattr(paths.cost, stage))
    fit_seconds = {
        model: None if times.get("TT (Sec)") is None else round(times["TT (Sec)"], 2)
        for model, times in cost.get("leaderboard", {}).items()
    }
    if stage == "score_real":
        parts = ("compare", "discriminate", "fidelity", "privacy")
        return {
            "parts_seconds": {part: cost.get(f"score_real_{part}_seconds") for part in parts},
            "fit_seconds": fit_seconds,
            "refit": read(paths.reference.compare)["best"]["model_id"],
        }
    return {"fit_seconds": fit_seconds, "refit": read(paths.details.compare)["best_synthetic_model"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[48_842, 300_000, 1_000_000])
    parser.add_argument("--generator", default="cart")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    parser.add_argument("--write-table", nargs=2, metavar=("ROWS", "PATH"), help="write the table and stop")
    args = parser.parse_args()
    if args.write_table:
        scaled_census(int(args.write_table[0])).to_parquet(args.write_table[1], index=False)
        return
    results = {}
    for rows in args.rows:
        table = scaled_census(rows)
        with tempfile.TemporaryDirectory(prefix="synthproof-scale-") as workdir:
            results[str(rows)] = run_pipeline(table, args.generator, Path(workdir))
        total = sum(stage["seconds"] for stage in results[str(rows)].values())
        print(f"{rows} rows: {total:.0f} s in all", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"generator": args.generator, "columns": 32, "cores": os.cpu_count(), "runs": results}
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    cost_figure(results, args.generator).savefig(args.out.with_suffix(".png"), dpi=100)
    print(json.dumps(report, indent=2))
    print(markdown_table(results))


def together(cost: dict) -> float:
    """A stage's peak memory with its workers' at the same moment; the two peaks summed (an upper bound)
    where an older result has no such figure."""
    if cost.get("total_peak_memory_mb") is not None:
        return cost["total_peak_memory_mb"]
    return cost["peak_memory_mb"] + (cost["workers_peak_memory_mb"] or 0)


def markdown_table(results: dict) -> str:
    """Seconds and peak memory (the stage and its workers at once) per stage, a column per table size: the
    README's."""
    rows = sorted(results, key=int)
    lines = [
        "| stage | " + " | ".join(f"{int(r):,} rows" for r in rows) + " |",
        "|---" * (len(rows) + 1) + "|",
    ]
    for stage in [*STAGES, "all"]:
        cells = []
        for r in rows:
            costs = results[r].values() if stage == "all" else [results[r][stage]]
            seconds = sum(c["seconds"] for c in costs)
            memory = max(together(c) for c in costs)
            cells.append(f"{seconds:,.0f} s, {memory / 1024:.1f} GB")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cost_figure(results: dict, generator: str):
    """Seconds and peak memory (the stage and its workers together) per stage against rows, log-log."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(int(r) for r in results)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for stage in STAGES:
        costs = [results[str(r)][stage] for r in rows]
        left.plot(rows, [c["seconds"] for c in costs], marker="o", label=stage)
        right.plot(rows, [together(c) for c in costs], marker="o")
    for axis, label in ((left, "wall seconds"), (right, "peak memory, MB (stage and its workers at once)")):
        axis.set(xscale="log", yscale="log", xlabel="rows in the table", ylabel=label)
        axis.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8, ncol=2)
    figure.suptitle(f"synthproof's cost per stage, generator {generator}, 2 cores, 32 columns")
    figure.tight_layout()
    return figure


if __name__ == "__main__":
    main()
