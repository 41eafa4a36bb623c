"""The audit's results, its error rates with their intervals, and the page and plot rendered from them.

``audit/results.csv`` holds one row per cell (table, seed, rung): the three answers and every gate
line's verdict. Everything ``docs/audit.md`` and ``docs/audit.png`` show is computed here from that
file, so a test can render the page again and compare.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from synthproof.audit.ladder import COPIES, KINDS, NEAR_COPIES, Rung
from synthproof.evaluation.uncertainty import wilson

AUDIT = Path("audit")
RESULTS = AUDIT / "results.csv"
PAGE, PLOT = Path("docs/audit.md"), Path("docs/audit.png")
QUESTIONS = ("useful", "realistic", "private")
PASS, FAIL, INCONCLUSIVE = "pass", "FAIL", "inconclusive"


def gather(folder: Path = AUDIT / "cells") -> pd.DataFrame:
    """Every finished cell's outcome, one row each, in a stable order."""
    rows = []
    for path in sorted(folder.glob("*/seed*/*/outcome.json")):
        record = json.loads(path.read_text())
        row = {key: record.get(key) for key in ("table", "seed", "rung", "rows", "error", "seconds")}
        row.update({f"answer_{key}": value for key, value in (record.get("answers") or {}).items()})
        row.update({f"check_{key}": value for key, value in (record.get("checks") or {}).items()})
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values(["table", "seed", "rung"]).reset_index(drop=True) if len(table) else table


def _in_ladder_order(results: pd.DataFrame) -> pd.DataFrame:
    """The judged cells (no error), rungs in the ladder's order: the ideal, the leaks by share, the rest."""
    judged = results[results["error"].isna()] if "error" in results else results
    order = {
        name: (list(KINDS).index(Rung.parse(name).kind), Rung.parse(name).share) for name in judged["rung"]
    }
    return judged.iloc[sorted(range(len(judged)), key=lambda i: order[judged["rung"].iloc[i]])]


def _rate(hits: int, n: int) -> str:
    if n == 0:
        return "none run"
    low, high = wilson(hits, n)
    return f"{hits}/{n} = {hits / n:.0%} [{low:.0%}, {high:.0%}]"


def question_rates(results: pd.DataFrame) -> pd.DataFrame:
    """Per rung and question that rung is judged on: the error rate (a FAIL on the ideal, a pass on a
    known-bad rung's question) and the undecided rate, each with its 95% Wilson interval."""
    rows = []
    for rung_name, cells in _in_ladder_order(results).groupby("rung", sort=False):
        rung = Rung.parse(rung_name)
        questions = QUESTIONS if rung.must_fail is None else (rung.must_fail,)
        for question in questions:
            answers = cells[f"answer_{question}"]
            wrong = answers.eq(FAIL) if rung.must_fail is None else answers.eq(PASS)
            rows.append(
                {
                    "rung": rung_name,
                    "question": question,
                    "error": "false fail" if rung.must_fail is None else "false pass",
                    "cells": len(answers),
                    "wrong": _rate(int(wrong.sum()), len(answers)),
                    "undecided": _rate(int(answers.eq(INCONCLUSIVE).sum()), len(answers)),
                    "right": _rate(int((~wrong & ~answers.eq(INCONCLUSIVE)).sum()), len(answers)),
                }
            )
    return pd.DataFrame(rows)


def overall_rates(results: pd.DataFrame) -> dict:
    """The audit in a few figures: false fails and undecided answers over every question of every ideal
    cell, false passes over every known-bad cell's question, each with its 95% Wilson interval."""
    judged = _in_ladder_order(results)
    ideal = judged[judged["rung"] == "ideal"]
    answers = ideal[[f"answer_{q}" for q in QUESTIONS]].to_numpy().ravel()
    bad = [
        cells[f"answer_{Rung.parse(name).must_fail}"]
        for name, cells in judged.groupby("rung")
        if Rung.parse(name).must_fail is not None
    ]
    bad_answers = pd.concat(bad).to_numpy() if bad else answers[:0]
    return {
        "tables": judged["table"].nunique(),
        "seeds": judged["seed"].nunique(),
        "false_fail": _rate(int((answers == FAIL).sum()), len(answers)),
        "undecided": _rate(int((answers == INCONCLUSIVE).sum()), len(answers)),
        "false_pass": _rate(int((bad_answers == PASS).sum()), len(bad_answers)),
    }


LARGE = 5000  # the undecided target holds for tables of this many rows and more
TARGETS = {"false fail": 0.05, "false pass": 0.05, "undecided": 0.10}


def reasons() -> dict[str, str]:
    """Why a target is missed, by rung (or ``undecided``): ``audit/params.yaml: misses``, written by
    whoever read the cells behind the miss; the page prints one beside a missed target."""
    import yaml

    path = AUDIT / "params.yaml"
    return (yaml.safe_load(path.read_text()) or {}).get("misses") or {} if path.exists() else {}


def targets(results: pd.DataFrame, why: dict[str, str] | None = None) -> list[str]:
    """Each of the issue's targets, met or missed, and where missed the gate lines behind it and, where
    ``why`` has one, the reason."""
    why = reasons() if why is None else why
    judged = _in_ladder_order(results)
    lines = [name for name in judged.columns if name.startswith("check_")]
    said = []
    for question in QUESTIONS:
        cells = judged[judged["rung"] == "ideal"]
        wrong = cells[f"answer_{question}"].eq(FAIL)
        said.append(
            _target(f"False fails of {question}? on the ideal", wrong, "false fail", cells, lines, FAIL)
        )
    for rung_name, cells in judged.groupby("rung", sort=False):
        question = Rung.parse(rung_name).must_fail
        if question is None:
            continue
        wrong = cells[f"answer_{question}"].eq(PASS)
        said.append(
            _target(f"False passes of {question}? on {rung_name}", wrong, "false pass", cells, lines, PASS,
                    why.get(Rung.parse(rung_name).kind))
        )  # fmt: skip
    large = judged[judged["rows"] >= LARGE]
    asked = []
    for rung_name, cells in large.groupby("rung", sort=False):
        must_fail = Rung.parse(rung_name).must_fail
        for question in QUESTIONS if must_fail is None else (must_fail,):
            asked.append(
                cells[f"answer_{question}"].eq(INCONCLUSIVE).rename("undecided").to_frame().join(cells)
            )
    if asked:
        pooled = pd.concat(asked)
        said.append(
            _target(
                f"Undecided answers on tables of {LARGE:,} rows and more",
                pooled["undecided"],
                "undecided",
                pooled,
                lines,
                INCONCLUSIVE,
                why.get("undecided"),
            )
        )
    return said


def _target(
    what: str,
    wrong: pd.Series,
    kind: str,
    cells: pd.DataFrame,
    lines: list[str],
    verdict: str,
    why: str | None = None,
) -> str:
    n, hits = len(wrong), int(wrong.sum())
    rate, limit = (hits / n if n else 0.0), TARGETS[kind]
    sentence = (
        f"- {what}: {_rate(hits, n)}, target at most {limit:.0%}: **{'met' if rate <= limit else 'missed'}**"
    )
    if rate <= limit:
        return sentence + "."
    behind = cells[wrong.to_numpy()]
    where = ", ".join(
        f"{table} (seed {', '.join(str(seed) for seed in sorted(part['seed'].unique()))})"
        for table, part in behind.groupby("table")
    )
    because = f" Why: {why.strip()}" if why else ""
    if kind == "false pass":  # every line of the question passed: none to name
        return f"{sentence}; on {where}.{because}"
    counts = {line.removeprefix("check_"): int(behind[line].eq(verdict).sum()) for line in lines}
    named = sorted((item for item in counts.items() if item[1]), key=lambda item: -item[1])[:3]
    lines_said = ", ".join(f"`{line}` ({count})" for line, count in named) or "no single line"
    return f"{sentence}; the lines behind it: {lines_said}; on {where}.{because}"


def line_rates(results: pd.DataFrame) -> pd.DataFrame:
    """Per gate line: how often it fails the ideal (a false fail), and how often it fails each leak."""
    judged = _in_ladder_order(results)
    lines = [name for name in judged.columns if name.startswith("check_")]
    rows = []
    for line in lines:
        row = {"line": line.removeprefix("check_")}
        for rung_name, cells in judged.groupby("rung", sort=False):
            verdicts = cells[line].dropna()
            verdicts = verdicts[verdicts != "n/a"]
            row[rung_name] = f"{int(verdicts.eq(FAIL).sum())}/{len(verdicts)}" if len(verdicts) else "n/a"
        rows.append(row)
    return pd.DataFrame(rows)


def detection(results: pd.DataFrame) -> pd.DataFrame:
    """Per leak kind, table and copied share: the share of seeds whose Private? is no."""
    judged = results[results["error"].isna()] if "error" in results else results
    rows = []
    for rung_name, cells in judged.groupby("rung"):
        rung = Rung.parse(rung_name)
        if rung.kind not in (COPIES, NEAR_COPIES):
            continue
        for table, part in cells.groupby("table"):
            rows.append(
                {
                    "kind": rung.kind,
                    "share": rung.share,
                    "table": table,
                    "rows": int(part["rows"].max()),
                    "caught": float(part["answer_private"].eq(FAIL).mean()),
                }
            )
    return pd.DataFrame(rows).sort_values(["kind", "table", "share"]) if rows else pd.DataFrame()


def smallest_caught(curves: pd.DataFrame) -> pd.DataFrame:
    """Per table and leak kind, the smallest copied share every seed fails ("none up to" the largest
    share audited: not caught in every seed at any share tried, so the curve says no more than that)."""
    rows = []
    for (kind, table), part in curves.groupby(["kind", "table"]):
        caught = part[part["caught"] == 1.0]["share"]
        rows.append(
            {
                "table": table,
                "rows": int(part["rows"].max()),
                "kind": kind,
                "smallest share caught": f"{100 * caught.min():g}%"
                if len(caught)
                else f"none up to {100 * part['share'].max():g}%",
            }
        )
    return pd.DataFrame(rows).sort_values(["kind", "rows"], ascending=[True, False])


def _markdown(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "(no cells yet)\n"
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body]) + "\n"


def render_page(results: pd.DataFrame) -> str:
    """``docs/audit.md``, from ``results`` alone."""
    judged = results[results["error"].isna()] if "error" in results else results
    errors = results[results["error"].notna()] if "error" in results else results.iloc[:0]
    curves = detection(results)
    seconds = judged["seconds"].astype(float)
    lines = [
        "# The gate's audit: how often it errs, on tables whose answer is known",
        "",
        "Generated by `python -m tools.audit` from `audit/results.csv` (do not edit by hand; a test",
        "renders it again). Each real table is split three ways: the training part, the pipeline's",
        "holdout, and the twin, real rows neither saw. The twin is the ideal synthetic table; each other",
        "rung spoils it in one known way (`synthproof/audit/ladder.py`) and enters the pipeline as a",
        "provided table.",
        "",
        f"{judged['table'].nunique()} tables, seeds {sorted(judged['seed'].unique().tolist())}, "
        f"{judged['rung'].nunique()} rungs: {len(judged)} cells judged"
        + (f", {len(errors)} stopped with an error (listed below)" if len(errors) else "")
        + f". A cell took {seconds.median():.0f} s (median; {seconds.max():.0f} s at most) on one core,"
        f" two at once on 2 cores: the rungs' cells are {seconds.sum() / 3600:.1f} cell-hours, about"
        f" {seconds.sum() / 7200:.1f} hours with `--workers 2` (each table and seed's split and real-data"
        " scoring, run once before its rungs, are not timed here).",
        "",
        "## The targets",
        "",
        *targets(results),
        "",
        "## Each question: wrong and undecided, with 95% intervals",
        "",
        "A false fail is a FAIL on the ideal; a false pass, a pass of the question a known-bad rung must",
        "fail. Undecided: the gate's interval straddled a threshold (more rows would decide).",
        "",
        _markdown(question_rates(results)),
        "## Each gate line: cells it failed, per rung",
        "",
        "A line that fails the ideal is a false fail; n/a: the line does not apply to that target.",
        "",
        _markdown(line_rates(results)),
        "## Detection: the smallest copied share the gate fails in every seed",
        "",
        "![detection curves](audit.png)",
        "",
        _markdown(smallest_caught(curves)) if not curves.empty else "(no leak rungs yet)\n",
        "## The corpus",
        "",
        _markdown(_corpus(judged)),
    ]
    if len(errors):
        lines += [
            "## Cells that stopped with an error",
            "",
            _markdown(errors[["table", "seed", "rung", "error"]]),
        ]
    return "\n".join(lines)


def _corpus(judged: pd.DataFrame) -> pd.DataFrame:
    from synthproof.audit.corpus import TABLES

    rows = []
    for name in sorted(judged["table"].unique()):
        table = TABLES[name]
        rows.append(
            {
                "table": name,
                "rows audited": int(judged[judged["table"] == name]["rows"].max()),
                "target": f"`{table.target}`",
                "what": table.what,
                "ships in": table.package,
                "licence": table.licence,
            }
        )
    return pd.DataFrame(rows)


def detection_figure(curves: pd.DataFrame):
    """The share of seeds caught against the copied share, a panel per leak kind, a line per table."""
    kinds = [COPIES, NEAR_COPIES]
    figure, axes = plt.subplots(1, len(kinds), figsize=(10, 4), sharey=True)
    for axis, kind in zip(axes, kinds, strict=True):
        for table, part in curves[curves["kind"] == kind].groupby("table"):
            axis.plot(100 * part["share"], part["caught"], marker="o", label=table)
        shares = sorted(100 * curves[curves["kind"] == kind]["share"].unique())
        axis.set_xscale("log")
        axis.set_xticks(shares, [f"{share:g}%" for share in shares])
        axis.minorticks_off()
        axis.set_title(kind.replace("_", " "))
        axis.set_xlabel("training rows in the table (%)")
    axes[0].set_ylabel("seeds whose Private? is no")
    axes[-1].legend(fontsize=7)
    figure.tight_layout()
    return figure


def render_all() -> None:
    """``audit/results.csv`` from the cells (and the rows of cells it already holds that are not on this
    machine: an audit goes on over several sessions), then the page and the plot from it. Delete
    ``audit/results.csv`` when the ladder itself changes: its old rows would stay."""
    results = gather()
    if RESULTS.exists():
        kept = pd.read_csv(RESULTS)
        key = ["table", "seed", "rung"]
        if len(results):
            done = kept.set_index(key).index.isin(results.set_index(key).index)
            kept = kept[~done]
        results = pd.concat([kept, results], ignore_index=True).sort_values(key).reset_index(drop=True)
    if results.empty:
        return
    results.to_csv(RESULTS, index=False)
    results = pd.read_csv(RESULTS)
    PAGE.write_text(render_page(results))
    curves = detection(results)
    if not curves.empty:
        figure = detection_figure(curves)
        figure.savefig(PLOT, dpi=100, metadata={"Software": None})
        plt.close(figure)
