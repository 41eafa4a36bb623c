"""The gate's audit: every rung of the ladder on every corpus table, for each seed, through the pipeline.

    python -m tools.audit                   # audit/params.yaml; resumes: finished cells are kept
    python -m tools.audit --tables census --seeds 0 --rungs ideal,near_copies_5   # a part of it
    python -m tools.audit --regate          # today's gate thresholds on the finished cells, nothing rerun
    python -m tools.audit --restage privacy # a stage run again on the finished cells, then judged again
    python -m tools.audit --distances       # privacy's distance figures again (its attacks kept), judged

For each table and seed, the table is written to a file and ingested as a user's table would be, split
three ways (train, holdout, twin), and the pipeline's ingest, split (the holdout given) and score_real
run once on it. Each rung is then built from the training part and the twin, written to a file, and
judged as a provided synthetic table: train, sample, discriminate, fidelity, privacy and compare run on
it, and the gate's outcomes are kept in the cell's ``outcome.json``. ``audit/results.csv`` gathers every
cell's; ``docs/audit.md`` and ``docs/audit.png`` are rendered from it (``synthproof.audit.summary``).
``--workers`` tables run at once, each cell on one core (``audit/params.yaml: pipeline`` sets
``compute.threads`` and ``compare.n_jobs`` to 1).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from synthproof.answers import three_answers
from synthproof.audit.corpus import corpus_table
from synthproof.audit.ladder import Rung, build_rung, three_way_split
from synthproof.audit.summary import AUDIT, QUESTIONS, RESULTS, render_all
from synthproof.checks import evaluate
from synthproof.compute import limit_threads, resolve_threads
from synthproof.config import load_params, restricted
from synthproof.config.load import parse_params
from synthproof.errors import SynthproofError
from synthproof.evaluation.privacy import DistanceTest
from synthproof.io import read_json, write_metrics, write_parquet
from synthproof.schema import CATEGORICAL, NUMERIC, Schema
from synthproof.split import limit_rows
from synthproof.stage_files import read_stage_details, read_stage_metrics

SPLIT_STAGES = ("ingest", "split", "score_real")
RUNG_STAGES = ("train", "sample", "discriminate", "fidelity", "privacy", "compare")
EVALUATION_STAGES = RUNG_STAGES[2:]  # what --restage runs again (the rung's table as it was sampled)


def _set(data: dict, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value


def cell_params(audit: dict, table, seed: int, folder: Path, rung: str | None, sources: dict):
    """params.yaml with the audit's settings for one cell, its files under ``folder``."""
    data = yaml.safe_load(Path("params.yaml").read_text())
    data["seed"], data["target"] = seed, table.target
    data["ingest"] = {**data["ingest"], "sha256": None, "columns": {}, **table.ingest}
    data["ingest"]["source"] = sources["train"]
    _set(data, "split.holdout_source", sources["holdout"])
    _set(data, "split.holdout_sha256", None)
    if sources.get("rung"):
        _set(data, "generator.name", "provided")
        _set(data, "generator.provided.source", sources["rung"])
    for key, value in (audit.get("pipeline") or {}).items():
        _set(data, key, value)
    params = parse_params(data)
    cell = folder if rung is None else folder / rung
    paths = params.paths.relocated(folder.as_posix(), cell.as_posix())
    threads = resolve_threads(params.compute.threads)
    compute = dataclasses.replace(params.compute, threads=threads)
    return dataclasses.replace(params, paths=paths, compute=compute)


def run_stages(params, stages: tuple[str, ...]) -> None:
    import importlib

    for stage in stages:
        module = importlib.import_module(f"stages.{stage}")
        module.main(restricted(params, module.PARAMS, stage))


def prepare_split(audit: dict, name: str, seed: int) -> Path:
    """The table's three parts and the pipeline's split-level stages, once per table and seed."""
    table = corpus_table(name)
    folder = AUDIT / "cells" / name / f"seed{seed}"
    done = folder / "split.done"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    whole = folder / "table.parquet"
    write_parquet(table.frame(), whole)
    # ingest the whole table as a user's (the kinds and the task it infers), then split it three ways
    sources = {"train": whole.as_posix(), "holdout": None}
    params = cell_params(audit, table, seed, folder / "whole", None, sources)
    params = dataclasses.replace(params, split=dataclasses.replace(params.split, holdout_source=None))
    run_stages(params, ("ingest",))
    raw = limit_rows(pd.read_parquet(params.paths.raw), audit.get("max_rows"), seed)
    schema = Schema.from_dict(read_json(params.paths.schema))
    train, holdout, twin = three_way_split(
        raw, table.target, audit["holdout_fraction"], audit["twin_fraction"], seed, schema.task
    )
    for part, frame in (("train", train), ("holdout", holdout), ("twin", twin)):
        write_parquet(frame, folder / f"{part}_part.parquet")
    sources = {
        "train": (folder / "train_part.parquet").as_posix(),
        "holdout": (folder / "holdout_part.parquet").as_posix(),
    }
    run_stages(cell_params(audit, table, seed, folder, None, sources), SPLIT_STAGES)
    done.write_text("")
    return folder


def judge_rung(audit: dict, name: str, seed: int, folder: Path, rung_name: str) -> dict:
    """The gate's outcomes on one rung (kept in the cell's outcome.json: a resumed audit skips it); a
    cell whose stages stop with an error keeps the error instead."""
    outcome_path = folder / rung_name / "outcome.json"
    if outcome_path.exists():
        return json.loads(outcome_path.read_text())
    started = time.perf_counter()
    try:
        record = {
            "table": name,
            "seed": seed,
            "rung": rung_name,
            **_judged(audit, name, seed, folder, rung_name),
        }
    except SynthproofError as error:
        record = {"table": name, "seed": seed, "rung": rung_name, "error": str(error)}
    record["seconds"] = round(time.perf_counter() - started, 1)
    outcome_path.parent.mkdir(parents=True, exist_ok=True)  # a rung that could not be built has no folder
    outcome_path.write_text(json.dumps(record, indent=1))
    return record


def _judged(audit: dict, name: str, seed: int, folder: Path, rung_name: str) -> dict:
    table, rung = corpus_table(name), Rung.parse(rung_name)
    sources = _sources(folder)
    base = cell_params(audit, table, seed, folder, rung_name, sources)
    schema = Schema.from_dict(read_json(base.paths.schema))
    train, twin = pd.read_parquet(base.paths.train), pd.read_parquet(folder / "twin_part.parquet")
    twin = twin[train.columns]
    rung_file = folder / rung_name / "rung.parquet"
    synthetic = build_rung(
        rung, train, twin, table.target, schema.names(CATEGORICAL), schema.names(NUMERIC), seed,
        audit["noise"], audit["flip_share"],
    )  # fmt: skip
    write_parquet(synthetic, rung_file)
    params = cell_params(audit, table, seed, folder, rung_name, {**sources, "rung": rung_file.as_posix()})
    run_stages(params, RUNG_STAGES)
    return verdicts(params)


def verdicts(params) -> dict:
    """The gate's answers and lines on a cell's metrics files, with the figures it judged."""
    metrics = read_stage_metrics(params.paths)
    outcomes = evaluate(params.gate, metrics)
    answers = three_answers(outcomes, metrics, read_stage_details(params.paths))
    split = metrics["split"]
    return {
        "rows": 2 * split.get("train_rows", 0) + split.get("holdout_rows", 0),  # the twin: as many as train
        "answers": {key: answer.verdict for key, answer in zip(QUESTIONS, answers, strict=True)},
        "checks": {o.check.threshold: o.verdict for o in outcomes},
        "figures": {o.check.metric: o.value for o in outcomes},
    }


def rejudge(audit: dict, name: str, seed: int, stages: tuple[str, ...] = ()) -> None:
    """Every finished cell of one table and seed judged again by today's ``params.yaml: gate``, after
    running the evaluation ``stages`` again on it (none: from the metrics its stages wrote, a threshold's
    error rates in seconds; ``privacy``: today's privacy figures on the cell's own synthetic table, with
    the real rows' own distances that score_real writes computed again first). A cell's ``seconds`` stay
    those of its first, whole run; a cell whose stage stops with an error keeps the error."""
    from stages.score_real import holdout_distances

    limit_threads(resolve_threads(load_params().compute.threads))
    table, folder = corpus_table(name), AUDIT / "cells" / name / f"seed{seed}"
    if "privacy" in stages and (folder / "split.done").exists():
        params = cell_params(audit, table, seed, folder, None, _sources(folder))
        schema = Schema.from_dict(read_json(params.paths.schema))
        train, holdout = pd.read_parquet(params.paths.train), pd.read_parquet(params.paths.holdout)
        reference = holdout_distances(params, schema, train, holdout)
        write_parquet(reference.to_frame(), params.paths.reference.privacy)
    for path in sorted(folder.glob("*/outcome.json")):
        record = json.loads(path.read_text())
        if record.get("error"):
            continue
        params = cell_params(audit, table, seed, folder, record["rung"], _sources(folder))
        try:
            run_stages(params, stages)
            record.update(verdicts(params))
        except SynthproofError as error:
            record = {key: record[key] for key in ("table", "seed", "rung", "seconds")} | {
                "error": str(error)
            }
        if stages:
            print(f"audit: {name} seed {seed} {record['rung']}: {', '.join(stages)} again", file=sys.stderr)
        path.write_text(json.dumps(record, indent=1))


def redistance(audit: dict, name: str, seed: int) -> None:
    """The privacy stage's distance figures (copies, near copies, DCR) of every finished cell computed
    again by today's code, its attacks' kept, then the cell judged again: what ``--restage privacy``
    gives when only the distances changed, in seconds a cell instead of a minute (the attacks, most of
    the stage's time, read none of the distance code)."""
    from stages.score_real import holdout_distances

    limit_threads(resolve_threads(load_params().compute.threads))
    table, folder = corpus_table(name), AUDIT / "cells" / name / f"seed{seed}"
    if not (folder / "split.done").exists():
        return
    params = cell_params(audit, table, seed, folder, None, _sources(folder))
    schema = Schema.from_dict(read_json(params.paths.schema))
    train, holdout = pd.read_parquet(params.paths.train), pd.read_parquet(params.paths.holdout)
    reference = holdout_distances(params, schema, train, holdout)
    write_parquet(reference.to_frame(), params.paths.reference.privacy)
    test = DistanceTest.for_run(params.privacy, seed)
    for path in sorted(folder.glob("*/outcome.json")):
        record = json.loads(path.read_text())
        if record.get("error"):
            continue
        params = cell_params(audit, table, seed, folder, record["rung"], _sources(folder))
        synthetic = pd.read_parquet(params.paths.synthetic)
        result = read_json(params.paths.details.privacy)
        result.update(test.run(schema, train, holdout, synthetic, reference).metrics())
        write_metrics(result, params.paths.metrics.privacy, params.paths.details.privacy)
        record.update(verdicts(params))
        path.write_text(json.dumps(record, indent=1))
        print(f"audit: {name} seed {seed} {record['rung']}: distances again", file=sys.stderr, flush=True)


def _sources(folder: Path) -> dict:
    return {part: (folder / f"{part}_part.parquet").as_posix() for part in ("train", "holdout")}


def audit_table(audit: dict, name: str, seed: int, rungs: list[str]) -> None:
    """Every rung of one table and seed, in a process of its own (``--workers`` run several at once)."""
    limit_threads(resolve_threads(load_params().compute.threads))
    try:
        folder = prepare_split(audit, name, seed)
    except SynthproofError as error:
        print(f"audit: {name} seed {seed}: {error}", file=sys.stderr, flush=True)
        return
    for rung in rungs:
        record = judge_rung(audit, name, seed, folder, rung)
        said = record.get("error") or " ".join(f"{k} {v}" for k, v in record["answers"].items())
        print(
            f"audit: {name} seed {seed} {rung}: {said} ({record['seconds']} s)", file=sys.stderr, flush=True
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", help="comma-separated corpus tables (default: audit/params.yaml)")
    parser.add_argument("--seeds", help="comma-separated seeds")
    parser.add_argument("--rungs", help="comma-separated rungs")
    parser.add_argument("--workers", type=int, default=2, help="tables audited at once (each on one core)")
    parser.add_argument("--regate", action="store_true", help="judge the finished cells again, run nothing")
    parser.add_argument(
        "--restage", help="comma-separated rung stages to run again on the finished cells, then judge them"
    )
    parser.add_argument(
        "--distances", action="store_true", help="privacy's distance figures again (not its attacks)"
    )
    args = parser.parse_args()
    audit = yaml.safe_load((AUDIT / "params.yaml").read_text())
    tables = args.tables.split(",") if args.tables else audit["tables"]
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else audit["seeds"]
    rungs = args.rungs.split(",") if args.rungs else audit["rungs"]
    try:
        for name in tables:
            corpus_table(name)
        for rung in rungs:
            Rung.parse(rung)
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.distances:
        with concurrent.futures.ProcessPoolExecutor(args.workers) as pool:
            jobs = [pool.submit(redistance, audit, name, seed) for seed in seeds for name in tables]
            for job in concurrent.futures.as_completed(jobs):
                job.result()
        render_all()
        return 0
    if args.regate or args.restage:
        stages = tuple(args.restage.split(",")) if args.restage else ()
        if not set(stages) <= set(EVALUATION_STAGES):
            print(f"error: --restage takes stages of {', '.join(EVALUATION_STAGES)}", file=sys.stderr)
            return 2
        with concurrent.futures.ProcessPoolExecutor(args.workers) as pool:
            jobs = [pool.submit(rejudge, audit, name, seed, stages) for seed in seeds for name in tables]
            for job in concurrent.futures.as_completed(jobs):
                job.result()
        render_all()
        return 0
    # a unit whose every rung is in audit/results.csv already (an earlier session's) is not run again
    done = set()
    if RESULTS.exists():
        done = set(pd.read_csv(RESULTS)[["table", "seed", "rung"]].itertuples(index=False, name=None))
    units = [
        (name, seed)
        for seed in seeds
        for name in tables
        if not all((name, seed, rung) in done for rung in rungs)
    ]
    with concurrent.futures.ProcessPoolExecutor(args.workers) as pool:
        for done in concurrent.futures.as_completed(
            [pool.submit(audit_table, audit, name, seed, rungs) for name, seed in units]
        ):
            done.result()
    render_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
