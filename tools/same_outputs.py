"""Are two commits' figures the same? Runs ``dvc repro`` of each in a clone and compares what they wrote.

Used to check a change that must not change behaviour (a refactor): every metric, detail file and plot
data file must be byte-identical, timings aside. Each run happens in a fresh clone of the commit under a
temporary folder, so the working tree is left alone; a run is kept in ``--keep`` to compare it again::

    python -m tools.same_outputs BEFORE AFTER             # two commits (or branches) of this repository
    python -m tools.same_outputs BEFORE AFTER -S generator.name=cart -S compare.folds=3
    python -m tools.same_outputs --runs /tmp/a /tmp/b     # two finished runs' folders, compared again

Timings and memory (every JSON key or CSV column ending in ``_seconds``, ``_mb`` or ``_per_second``, a
``seconds`` record and a leaderboard's ``TT (Sec)``, the ``cost/`` files,
the report's HTML and the PNG images, which print their timings) are left out. It prints one line per
file that differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMPARED = (
    "metrics",
    "plots",
    "data/synthetic.parquet",
    "data/split",
    "data/schema.json",
    "data/reference",
    "data/discriminate",
)
TIMING = re.compile(r"(_seconds|_mb|_per_second|seconds_per_epoch|^seconds|TT \(Sec\))(_low|_high)?$")
SKIPPED = re.compile(r"(^metrics/cost/|\.png$|\.html$)")


def run_commit(commit: str, folder: Path, settings: list[str]) -> Path:
    """A clone of ``commit`` in ``folder`` with ``settings`` (``key=value``) applied, after ``dvc repro``."""
    subprocess.run(["git", "clone", "-q", str(REPO), str(folder)], check=True)
    subprocess.run(["git", "checkout", "-q", commit], cwd=folder, check=True)
    for setting in settings:  # dvc exp run -S writes the same; plain repro keeps the clone a workspace
        key, value = setting.split("=", 1)
        subprocess.run([sys.executable, "-c", SET_PARAM, key, value], cwd=folder, check=True)
    subprocess.run([sys.executable, "-m", "dvc", "repro", "-q"], cwd=folder, check=True)
    return folder


SET_PARAM = """
import sys, yaml
params = yaml.safe_load(open("params.yaml"))
*parents, key = sys.argv[1].split(".")
node = params
for part in parents:
    node = node[part]
node[key] = yaml.safe_load(sys.argv[2])
yaml.safe_dump(params, open("params.yaml", "w"), sort_keys=False)
"""


def without_timings(value):
    """A JSON value with every timing or memory key removed, at any depth."""
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if not TIMING.search(str(k))}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def fingerprint(file: Path) -> str:
    """The file's content with its timings left out: JSON keys, CSV columns (a leaderboard's TT (Sec))."""
    if file.suffix == ".json":
        return json.dumps(without_timings(json.loads(file.read_text())), sort_keys=True)
    if file.suffix == ".csv":
        rows = list(csv.reader(file.read_text().splitlines()))
        kept = [i for i, name in enumerate(rows[0] if rows else []) if not TIMING.search(name)]
        return json.dumps([[row[i] for i in kept if i < len(row)] for row in rows])
    return hashlib.sha256(file.read_bytes()).hexdigest()


def outputs(run: Path) -> dict[str, Path]:
    """The compared files of a finished run, by their path relative to it."""
    found = {}
    for name in COMPARED:
        top = run / name
        for file in [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()):
            relative = file.relative_to(run).as_posix()
            if not SKIPPED.search(relative):
                found[relative] = file
    return found


def differences(before: Path, after: Path) -> list[str]:
    """One line per compared file that is missing on one side or differs."""
    old, new = outputs(before), outputs(after)
    lines = [f"only before: {name}" for name in sorted(old.keys() - new.keys())]
    lines += [f"only after: {name}" for name in sorted(new.keys() - old.keys())]
    lines += [
        f"differs: {name}"
        for name in sorted(old.keys() & new.keys())
        if fingerprint(old[name]) != fingerprint(new[name])
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commits", nargs="*", help="BEFORE AFTER: two commits of this repository")
    parser.add_argument("-S", "--set", action="append", default=[], help="a params key=value for both")
    parser.add_argument("--runs", nargs=2, type=Path, help="two finished runs' folders instead")
    parser.add_argument("--keep", type=Path, help="run in this folder (before/, after/) and keep it")
    args = parser.parse_args(argv)
    if args.runs:
        before, after = args.runs
    elif len(args.commits) == 2:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="same-outputs-"))
        before = run_commit(args.commits[0], folder / "before", args.set)
        after = run_commit(args.commits[1], folder / "after", args.set)
    else:
        parser.error("give two commits, or --runs with two folders")
    lines = differences(before, after)
    compared = len(outputs(after))
    print("\n".join(lines) if lines else f"same: {compared} files (timings aside)")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
