"""One self-contained HTML page for an experiment: every figure embedded, no script, no network.

The page puts each headline number beside its reference (the floor, the ceiling, the real-trained model,
the holdout's own privacy figures), then the params, the gate, the leaderboards, the discriminator's
histogram and records, the fidelity and privacy figures and the training losses.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from synthproof.config.evaluation import InferenceParams
from synthproof.evaluation.attacks import shown_attacks
from synthproof.headline import HEADLINE, applies, shown, task_of
from synthproof.tasks import TASKS

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
table { display: block; max-width: 100%; overflow-x: auto; }  /* a wide table scrolls, the page does not */
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child, .text td { text-align: left; }
th { background: #f3f3f3; }
.pass { color: #1a7f37; font-weight: bold; } .fail { color: #cf222e; font-weight: bold; }
.unsure { color: #9a6700; font-weight: bold; } .na { color: #555; font-weight: bold; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f6f8fa; padding: 1em; overflow-x: auto; font-size: 0.85em; }
.note { color: #555; }
.answers { font-size: 1.05em; } .answers th { text-align: left; white-space: nowrap; }
.answers td { text-align: left; } .answers td:nth-child(2) { font-size: 1.2em; white-space: nowrap; }
.board td:last-child { text-align: left; color: #cf222e; font-size: 0.85em; max-width: 28em; }
"""


_VERDICT_CLASS = {"pass": "pass", "FAIL": "fail", "inconclusive": "unsure", "n/a": "na"}


@dataclass
class ReportInputs:
    """What the report shows; the stage gathers it from the pipeline's files."""

    params: dict
    metrics: dict[str, dict]  # stage -> tidy metrics
    details: dict[str, dict]  # stage -> whole result
    images: dict[str, Path]  # caption -> PNG
    records: dict[str, pd.DataFrame] = field(default_factory=dict)  # caption -> rows
    gate_lines: list[tuple[str, str]] = field(default_factory=list)  # (verdict, line)
    answers: list[tuple[str, str, str, str]] = field(default_factory=list)  # (question, verdict, word, why)


def headline_rows(metrics: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    """(figure, value [95% interval], reference [interval], what the reference is) for the summary
    table: every headline metric that is not itself a reference, nor a cost (seconds, memory: the page
    is the same bytes on every run with one seed)."""
    rows = []
    for metric in HEADLINE.values():
        if metric.better == "reference" or metric.cost or not applies(metrics, metric.name):
            continue
        figure = shown(metrics, metric.name, with_name=False) or metric.missing_says
        if not figure:  # a figure this run has none of (key uniqueness without a key column)
            continue
        reference = metric.reference
        reference = shown(metrics, reference, with_name=False) if isinstance(reference, str) else reference
        rows.append((metric.says, figure, _n(reference), metric.reference_says))
    return rows


def never_predicted_rows(compare: dict) -> list[tuple[str, str, str, str]]:
    """For a multiclass target: the holdout's classes the best synthetic-trained model never predicts,
    beside those the real-trained model never predicts (a model that predicts only the majority class
    can still score a high accuracy)."""
    if compare.get("target_type") != "multiclass":
        return []
    never = compare.get("never_predicted", {})
    named = lambda key: ", ".join(never.get(key, [])) or "none"  # noqa: E731
    synthetic = f"synthetic:{compare['best_synthetic_model']}"
    real = f"real:{compare['best_real_model']}"
    return [(f"holdout classes the best synthetic-trained model ({compare['best_synthetic_model']}) never "
             f"predicts", named(synthetic), named(real), f"those the real-trained model "
             f"({compare['best_real_model']}) never predicts")]  # fmt: skip


def answers_block(answers: list[tuple[str, str, str, str]]) -> list[str]:
    """The three answers, first on the page: each question, the gate's verdict in words and colour, why."""
    if not answers:
        return []
    rows = [
        f'<tr><th>{_e(question)}</th><td class="{_VERDICT_CLASS.get(verdict, "")}">{_e(word)}</td>'
        f"<td>{_e(why)}</td></tr>"
        for question, verdict, word, why in answers
    ]
    return ['<table class="answers text">', *rows, "</table>"]


def render(inputs: ReportInputs) -> str:
    """The whole page as one HTML string: the answers and headline, the gate, the leaderboards, the
    privacy attacks, the figures and records, validity, column shapes and the params."""
    params, metrics, details = inputs.params, inputs.metrics, inputs.details
    compare = details.get("compare", {})
    problem = TASKS[task_of(metrics)]
    parts = [
        *_opening(params, inputs.answers),
        "<h2>Headline</h2>",
        _table(
            ["figure", "value [95% interval]", "reference", "the reference is"],
            headline_rows(metrics) + never_predicted_rows(compare),
        ),
        *_gate_section(inputs.gate_lines),
        *_leaderboard_sections(compare, problem, params),
        *_attack_section(details.get("privacy", {}), params),
        "<h2>Figures</h2>",
        *(_figure(caption, path) for caption, path in inputs.images.items() if Path(path).exists()),
    ]
    for caption, frame in inputs.records.items():
        parts += [f"<h2>{_e(caption)}</h2>", _table(list(frame.columns), frame.itertuples(index=False))]
    parts += _validity_section(details.get("fidelity", {}))
    columns = details.get("fidelity", {}).get("columns", {})
    if columns:
        rows = [(name, _n(c.get("shape")), _n(c.get("shape_ceiling"))) for name, c in columns.items()]
        parts += ["<h2>Column shapes</h2>", _table(["column", "shape", "ceiling"], rows)]
    # this run's params: not where files go, nor where and how wide it ran (compute: no result depends on
    # it, and its threads are this machine's), nor the grid's other tables
    shown = {key: value for key, value in params.items() if key not in ("paths", "compute", "grid")}
    parts += [
        "<h2>Params</h2>",
        f"<pre>{_e(yaml.safe_dump(shown, sort_keys=False))}</pre>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _opening(params: dict, answers) -> list[str]:
    generator = params.get("generator", {}).get("name", "?")
    source = params.get("ingest", {}).get("source", "?")
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>synthproof report: {_e(generator)} on {_e(Path(str(source)).name)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Is this synthetic table useful and safe?</h1>"
        f'<p class="note">Generator <b>{_e(generator)}</b> trained on <b>{_e(source)}</b>, target '
        f"<b>{_e(params.get('target'))}</b>, seed {_e(params.get('seed'))}. Every number is measured on rows "
        f"the generator never saw (the holdout) or against the real training part.</p>",
        *answers_block(answers),
    ]


def _gate_section(gate_lines) -> list[str]:
    if not gate_lines:
        return []
    return [
        "<h2>Gate</h2><ul>",
        *(
            f'<li><span class="{_VERDICT_CLASS.get(verdict, "")}">{_e(verdict)}</span> {_e(line)}</li>'
            for verdict, line in gate_lines
        ),
        "</ul>",
    ]


def _leaderboard_sections(compare: dict, problem, params: dict) -> list[str]:
    parts = []
    for side in ("synthetic", "real"):
        board = compare.get("leaderboards", {}).get(side)
        if board:
            columns = problem.score_columns  # not TT (Sec): it varies from run to run
            # a failed model's error has a cell of its own, so that it does not widen a score column
            rows = [
                (model, *(_n(scores.get(c)) for c in columns), scores.get("failed", ""))
                for model, scores in board.items()
            ]
            title = "trained on synthetic rows" if side == "synthetic" else "trained on real rows (reference)"
            parts += [f"<h2>Leaderboard, {title}</h2>", _table(["model", *columns, "error"], rows, "board")]
    if compare.get("leaderboards"):
        cost = params.get("paths", {}).get("cost", {})
        parts.append(
            f"<p class=\"note\">Each model's mean fit seconds per fold (PyCaret's TT (Sec)) vary from run to "
            f"run: they are in {_e(cost.get('compare', 'the compare stage'))} and "
            f"{_e(cost.get('score_real', 'the score_real stage'))}'s cost files, with every stage's seconds "
            "and memory, not on this page.</p>"
        )
    refit = compare.get("refit", {})
    if refit:
        scores = list(problem.headline_scores)
        rows = [
            (name, scored_on, *(_n(table.get(c)) for c in scores))
            for name, tables in refit.items()
            for scored_on, table in tables.items()
        ]
        parts += [
            "<h2>Best models scored on real rows</h2>",
            _table(["trained on:model", "scored on", *scores], rows),
        ]
    return parts


def _attack_section(privacy: dict, params: dict) -> list[str]:
    every = privacy.get("attacks", {})
    n_secrets = params.get("privacy", {}).get("inference", {}).get("shown", len(every))
    attacks = shown_attacks(every, n_secrets)
    if not attacks:
        return []
    rows = [
        (name.replace("inference_", "inference: "),
         f"{_n(a['risk'])} [{_n(a['risk_low'])}, {_n(a['risk_high'])}]",
         _n(a["attack_rate"]), _n(a["control_rate"]), _n(a["baseline_rate"]), a["attacks"])
        for name, a in attacks.items()
    ]  # fmt: skip
    unjudged = privacy.get("inference_unjudged") or []
    default = InferenceParams().max_control_rate  # params as the stage gives them always hold it
    rate = params.get("privacy", {}).get("inference", {}).get("max_control_rate", default)
    not_judged = (
        f" Not in the worst risk (the control right over {rate} of the time leaves too little to "
        f"measure): {', '.join(map(str, unjudged))}."
        if unjudged
        else ""
    )
    left = len(every) - len(attacks)
    more = (
        f" {left} more secrets, each with a lower risk, are in metrics/details/privacy.json and the "
        "attacks' CSV (paths.plots.risks)."
        if left
        else ""
    )
    return [
        "<h2>Privacy attacks</h2>",
        '<p class="note">Each attack uses the synthetic table against the real training rows, and again '
        "against the holdout (the control, rows the generator never saw). The risk is the attack's "
        "success beyond the control's, as a share of what the control left: 0 means the synthetic table "
        "told the attacker nothing about the training rows that it did not tell about anyone; the random "
        f"guess (baseline) shows the attack works at all. Inference: the target and the secrets with the "
        f"highest risks.{_e(more)}{_e(not_judged)}</p>",
        _table(["attack", "risk [95% interval]", "attack", "control", "random guess", "attacks"], rows),
    ]


def _validity_section(fidelity: dict) -> list[str]:
    checked = fidelity.get("validity", [])
    if not checked:
        return []
    broken = [row for row in checked if row["passed"] < row["checked"]]
    rows = [
        (row["check"], row["column"], _n(row["share"]), row["checked"] - row["passed"], row["checked"])
        for row in broken
    ]
    said = f"{len(checked) - len(broken)} of {len(checked)} column checks find every value valid"
    return [
        "<h2>Validity</h2>",
        f'<p class="note">{said}; the others below (numbers outside the training range, categories or '
        "formats no training row has, repeated keys).</p>",
        *([_table(["check", "column", "share valid", "invalid", "values"], rows)] if rows else []),
    ]


def _e(value) -> str:
    return html.escape(str(value))


def _n(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _table(header: list[str], rows: Iterable, css_class: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td{_align(v)}>{_e(_n(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    table_class = f' class="{css_class}"' if css_class else ""
    return f"<table{table_class}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _align(value) -> str:
    """Numbers right (the default), text left."""
    return ' style="text-align: left"' if isinstance(value, str) and not _is_number(value) else ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _figure(caption: str, path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{_e(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )
