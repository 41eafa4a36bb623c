"""Experiments side by side: headline metrics per experiment, mean ± std over seeds, a sweep plot.

Reads what ``dvc exp show --json`` prints (it runs DVC itself unless given a file), so it sees exactly
the experiments DVC sees, queued sweeps included::

    python -m synthproof.experiments table                  # one row per experiment
    python -m synthproof.experiments table --over-seeds     # mean ± std per configuration
    python -m synthproof.experiments plot --x generator.max_rows --out plots/sweep.png
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from synthproof.commands import run_command
from synthproof.errors import SynthproofError
from synthproof.headline import HEADLINE, SUMMARY

IGNORED_PARAMS = ("paths.",)  # file locations: never what an experiment is about


@dataclass
class Experiment:
    name: str
    rev: str
    params: dict = field(default_factory=dict)  # dotted keys
    metrics: dict = field(default_factory=dict)  # every stage's metrics, merged (names are unique)


def load_experiments(exp_show: list, include_baselines: bool = False) -> list[Experiment]:
    """The experiments in ``dvc exp show --json`` output (and, if asked, their baseline commits)."""
    found = []
    for baseline in exp_show:
        if include_baselines and baseline.get("rev") != "workspace" and baseline.get("data"):
            found.append(_experiment(baseline.get("name") or baseline["rev"][:7], baseline))
        for experiment in baseline.get("experiments") or []:
            for rev in experiment.get("revs", []):
                if rev.get("data") and not rev.get("error"):
                    found.append(_experiment(rev.get("name") or rev["rev"][:7], rev))
    return found


def _experiment(name: str, entry: dict) -> Experiment:
    data = entry["data"]
    params = {}
    for content in (data.get("params") or {}).values():
        params.update(_flatten(content.get("data") or {}))
    metrics = {}
    for content in (data.get("metrics") or {}).values():
        metrics.update(
            {k: v for k, v in (content.get("data") or {}).items() if not isinstance(v, dict | list)}
        )
    return Experiment(name=name, rev=entry["rev"], params=params, metrics=metrics)


def _flatten(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = json.dumps(value) if isinstance(value, list | dict) else value
    return flat


def swept_params(experiments: list[Experiment]) -> list[str]:
    """The params whose values differ between the experiments, in params.yaml order."""
    keys = list(dict.fromkeys(key for e in experiments for key in e.params))
    return [
        key
        for key in keys
        if not key.startswith(IGNORED_PARAMS) and len({repr(e.params.get(key)) for e in experiments}) > 1
    ]


def experiment_table(
    experiments: list[Experiment], metrics: list[str] | None = None, intervals: bool = False
) -> pd.DataFrame:
    """One row per experiment: its name, the swept params, the headline metrics (with ``intervals``,
    each followed by its 95% interval's ``_low`` and ``_high`` where the run has one). By default the
    summary metrics some experiment has (a class target's runs have no R2, a numeric target's no accuracy)."""
    metrics = metrics or [m for m in SUMMARY if any(m in e.metrics for e in experiments)]
    swept = swept_params(experiments)
    columns = [
        column
        for m in metrics
        for column in (
            [m, f"{m}_low", f"{m}_high"]
            if intervals and any(f"{m}_low" in e.metrics for e in experiments)
            else [m]
        )
    ]
    rows = [
        {
            "experiment": e.name,
            **{k: e.params.get(k) for k in swept},
            **{c: e.metrics.get(c) for c in columns},
        }
        for e in experiments
    ]
    return pd.DataFrame(rows, columns=["experiment", *swept, *columns])


def over_seeds(table: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Mean and standard deviation of each metric per configuration (the swept params but ``seed``)."""
    metrics = [m for m in (metrics or SUMMARY) if m in table]
    config = [c for c in table.columns if c not in ("experiment", "seed", *metrics)]
    numbers = table.assign(**{m: pd.to_numeric(table[m], errors="coerce") for m in metrics})
    grouped = numbers.groupby(config, dropna=False, sort=True) if config else [((), numbers)]
    rows = []
    for key, group in grouped:
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(config, key, strict=True)) | {"runs": len(group)}
        for metric in metrics:
            row[f"{metric}_mean"] = group[metric].mean()
            row[f"{metric}_std"] = group[metric].std(ddof=1) if len(group) > 1 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def format_over_seeds(
    summary: pd.DataFrame, metrics: list[str] | None = None, digits: int = 3
) -> pd.DataFrame:
    """``over_seeds`` output with each metric as one "mean ± std" text column."""
    metrics = [m for m in (metrics or SUMMARY) if f"{m}_mean" in summary]
    out = summary.drop(columns=[f"{m}_{s}" for m in metrics for s in ("mean", "std")])
    for metric in metrics:
        out[metric] = [
            _mean_std(mean, std, digits)
            for mean, std in zip(summary[f"{metric}_mean"], summary[f"{metric}_std"], strict=True)
        ]
    return out


def _mean_std(mean: float, std: float, digits: int) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return ""
    return f"{mean:.{digits}f}" if math.isnan(std) else f"{mean:.{digits}f} ± {std:.{digits}f}"


def sweep_metrics(experiments: list[Experiment]) -> list[str]:
    """The sweep plot's default panels: the discriminator, usefulness (TSTR / TRTR accuracy, or R2 for
    runs on a numeric target) and fidelity."""
    numeric_target = any("ratio_r2" in e.metrics for e in experiments)
    return ["discriminator_auc", "ratio_r2" if numeric_target else "ratio_accuracy", "quality_score"]


def sweep_figure(table: pd.DataFrame, x: str, metrics: list[str]):
    """Each metric against the swept param ``x``: the mean over seeds with ± std bars, one line per
    combination of the other swept params."""
    import matplotlib.pyplot as plt

    if x not in table:
        raise SynthproofError(
            f"--x {x!r} is not a swept param of these experiments: choose from {_params(table)}"
        )
    missing = [m for m in metrics if m not in table]
    if missing:
        raise SynthproofError(f"metrics {missing} are not in these experiments' metrics")
    others = [c for c in table.columns if c not in ("experiment", "seed", x, *metrics)]
    summary = over_seeds(table[["experiment", x, *others, *metrics]], metrics)
    numeric_x = pd.to_numeric(summary[x], errors="coerce").notna().all()
    figure, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 4), squeeze=False)
    for axis, metric in zip(axes[0], metrics, strict=True):
        lines = summary.groupby(others, dropna=False) if others else [((), summary)]
        for key, group in lines:
            # numbers in order, then what is not a number (null: epsilon unbounded) at the end
            group = group.sort_values(x, key=lambda s: pd.to_numeric(s, errors="coerce").fillna(math.inf))
            values = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{k}={v}" for k, v in zip(others, values, strict=True))
            xs = pd.to_numeric(group[x]) if numeric_x else group[x].astype(str)
            axis.errorbar(
                xs, group[f"{metric}_mean"], yerr=group[f"{metric}_std"].fillna(0), marker="o", capsize=3,
                label=label or None,
            )  # fmt: skip
        axis.set_xlabel(x)
        axis.set_ylabel(metric)
        axis.set_title(HEADLINE[metric].says if metric in HEADLINE else metric)
        axis.grid(alpha=0.3)
        if numeric_x and pd.to_numeric(summary[x]).min() > 0 and pd.to_numeric(summary[x]).max() > 50:
            axis.set_xscale("log")
        if others:
            axis.legend(fontsize=7)
    figure.tight_layout()
    return figure


def markdown(table: pd.DataFrame) -> str:
    """``table`` as a GitHub markdown table (numbers to 4 significant digits)."""

    def cell(value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def _params(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "experiment" and c not in HEADLINE]


def read_exp_show(source: str | None, all_commits: bool = False) -> list:
    """``dvc exp show --json`` output: from a file, from stdin (``-``), or by running DVC here (the
    experiments of HEAD's baseline, or of every commit with ``all_commits``)."""
    if source == "-":
        return json.load(sys.stdin)
    if source:
        return json.loads(Path(source).read_text())
    command = [sys.executable, "-m", "dvc", "exp", "show", "--json"] + (
        ["--all-commits"] if all_commits else []
    )
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SynthproofError(f"dvc exp show failed: {result.stderr.strip().splitlines()[-1:]}")
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m synthproof.experiments", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("table", "plot"):
        command = commands.add_parser(name)
        command.add_argument("--exp-show", help="a file of `dvc exp show --json` output, or - for stdin")
        command.add_argument("--metrics", help="comma-separated metric names (default: the headline ones)")
        command.add_argument("--include-baselines", action="store_true", help="add the baseline commits")
        command.add_argument(
            "--all-commits", action="store_true", help="experiments of every commit, not HEAD's"
        )
        command.add_argument("--only", help="comma-separated experiment (or baseline) names to keep")
    commands.choices["table"].add_argument("--over-seeds", action="store_true", help="mean ± std per config")
    commands.choices["table"].add_argument(
        "--format", choices=["markdown", "csv", "json"], default="markdown"
    )
    commands.choices["plot"].add_argument("--x", required=True, help="the swept param, e.g. generator.epochs")
    commands.choices["plot"].add_argument("--out", required=True, help="the PNG to write")
    args = parser.parse_args(argv)
    try:
        experiments = load_experiments(read_exp_show(args.exp_show, args.all_commits), args.include_baselines)
        if args.only:
            keep = args.only.split(",")
            experiments = sorted((e for e in experiments if e.name in keep), key=lambda e: keep.index(e.name))
        if not experiments:
            raise SynthproofError("no experiment found: run `dvc exp run` (or a queued sweep) first")
        metrics = args.metrics.split(",") if args.metrics else None
        if args.command == "plot":
            from synthproof.plots import save_figure

            metrics = metrics or sweep_metrics(experiments)
            table = experiment_table(experiments, metrics)
            save_figure(sweep_figure(table, args.x, metrics), args.out)
            print(f"wrote {args.out}")
            return 0
        if args.over_seeds:  # over seeds the spread is the std; per experiment, the 95% intervals
            table = format_over_seeds(over_seeds(experiment_table(experiments, metrics), metrics), metrics)
        else:
            table = experiment_table(experiments, metrics, intervals=True)
        if args.format == "csv":
            print(table.to_csv(index=False), end="")
        elif args.format == "json":
            print(table.to_json(orient="records", indent=2))
        else:
            print(markdown(table))
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    run_command(main)
