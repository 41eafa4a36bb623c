"""The stage manifest: which project code and which params keys each DVC stage depends on.

Its ``vars:`` are every file's path, from ``synthproof/config/paths.py`` (their one home), written inline:
DVC templates inline vars without listing them as params (a vars file would fill ``dvc exp show`` with paths).
A stage's code deps are the project files that running its script executes (its imports, theirs, and
their packages' ``__init__.py``, found from the source); its params are the ``PARAMS`` its script
declares (which ``stages.common.run`` enforces). ``tests/test_manifest.py`` checks both ``dvc.yaml``
files against this; after changing imports, rewrite their code deps with::

    python -m tools.manifest          # rewrites the vars and code deps of dvc.yaml and grid/dvc.yaml
    python -m tools.manifest --check  # exits 1 and names each stage whose deps are stale
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from synthproof.config.paths import Paths

REPO = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = ("synthproof", "stages")
PIPELINES = {"dvc.yaml": "", "grid/dvc.yaml": "../"}  # file: how its deps reach the repository root
VARS_FILES = {"grid/dvc.yaml": ["../params.yaml"]}  # a subrepo's default params.yaml would be its own
# A code folder is a dep DVC hashes whole, minus what the repository's .dvcignore names (__pycache__). The
# grid, a subrepo, reaches the code through ../, where no .dvcignore applies: a folder there would hash the
# bytecode Python writes (each clone's own), and the committed grid would read as stale everywhere else.
# Its stages list each code file instead.
FOLDERS = {"dvc.yaml": True, "grid/dvc.yaml": False}


def module_file(module: str) -> Path | None:
    path = REPO / module.replace(".", "/")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return path.with_suffix(".py") if path.with_suffix(".py").is_file() else None


def project_imports(file: Path) -> set[str]:
    """The project modules ``file`` imports anywhere (top level or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise SystemExit(f"{file}: a relative import hides a dependency; write it absolute")
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # from pkg import module
    return {name for name in found if name.split(".")[0] in PROJECT_PACKAGES and module_file(name)}


def import_closure(module: str) -> set[str]:
    """Every project file that running ``module`` executes, relative to the repository."""
    files: set[Path] = set()
    todo = [module]
    while todo:
        parts = todo.pop().split(".")
        for depth in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__.py and a/b/__init__.py
            file = module_file(".".join(parts[:depth]))
            if file is not None and file not in files:
                files.add(file)
                todo += project_imports(file)
    return {file.relative_to(REPO).as_posix() for file in files}


def python_files(path: Path) -> list[Path]:
    return sorted(
        f for f in (path.rglob("*.py") if path.is_dir() else [path]) if "__pycache__" not in f.parts
    )


def compact(files: set[str], first: str, as_folders: bool = True) -> list[str]:
    """``files`` with each folder whose every .py file is among them written as the folder (with
    ``as_folders``); ``first`` (the stage's own script) first, the rest sorted."""
    listed = set(files)
    if not as_folders:
        return [first, *sorted(listed - {first})]
    folders = sorted({Path(f).parent for f in files}, key=lambda p: len(p.parts))
    for folder in folders:
        inside = {f.relative_to(REPO).as_posix() for f in python_files(REPO / folder)}
        if folder.parts and inside <= files and any(f in listed for f in inside):
            listed = (listed - inside) | {folder.as_posix()}
    return [first, *sorted(listed - {first})]


def stage_params(script: str) -> list[str]:
    """The ``PARAMS`` that ``stages/<script>.py`` declares."""
    tree = ast.parse((REPO / "stages" / f"{script}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PARAMS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"stages/{script}.py declares no PARAMS")


@dataclass(frozen=True)
class Cell:
    """How a grid stage names its dataset and its generator's own params section."""

    dataset: str = "${item.dataset}"
    section: str = "generator.${item.generator}"


DATASET_CELL = Cell(dataset="${key}")  # foreach over grid.datasets: no generator
PROVIDED_CELL = Cell(section="grid.provided.${key}")  # foreach over grid.provided: a table made elsewhere


def grid_keys(declared: list[str], cell: Cell) -> set[str]:
    """A stage's declared keys as a grid cell reads them: the dataset's own target and ingest section, the
    cell's generator's section; the cell's generator itself is the matrix item, not a param."""
    mapped = {
        "target": f"grid.datasets.{cell.dataset}.target",
        "ingest": f"grid.datasets.{cell.dataset}",
        "generator.name": None,
        "generator.${generator.name}": cell.section,
    }
    # ingest's keys sit flat in the dataset's section (which a grid cell lists whole)
    keys = {mapped.get(key.split(".")[0] if key.startswith("ingest.") else key, key) for key in declared}
    keys -= {None}
    return {key for key in keys if not any(key.startswith(other + ".") for other in keys)}


def stages(pipeline: str) -> Iterator[tuple[str, str, dict, Cell]]:
    """(name, script, definition, its grid cell's variables) for each stage of a pipeline file."""
    for name, stage in yaml.safe_load((REPO / pipeline).read_text())["stages"].items():
        cells = {"${grid.datasets}": DATASET_CELL, "${grid.provided}": PROVIDED_CELL}
        body, cell = (stage["do"], cells[stage["foreach"]]) if "foreach" in stage else (stage, Cell())
        script = body["cmd"].split("python -m stages.")[1].split()[0]
        yield name, script, body, cell


def listed_code(deps: list[str], prefix: str) -> set[str]:
    """The code files a stage lists (folders expanded), relative to the repository."""
    files = set()
    for dep in deps:
        if "${" not in dep:  # the rest are data files, templated from the vars
            files |= {f.relative_to(REPO).as_posix() for f in python_files(REPO / dep.removeprefix(prefix))}
    return files


def vars_lines(pipeline: str) -> list[str]:
    """The ``vars:`` of a pipeline file: its vars files, then every path of ``Paths``."""
    listed = [*VARS_FILES.get(pipeline, []), {"paths": dataclasses.asdict(Paths())}]
    text = yaml.safe_dump(listed, sort_keys=False, width=200, default_flow_style=False)
    written = "vars:  # every file's path, from synthproof/config/paths.py (tools.manifest writes it)"
    return [written, *(f"  {line}" for line in text.splitlines()), ""]


def rewrite(pipeline: str) -> str:
    """The pipeline file's text with its vars written from ``Paths`` and each stage's code deps replaced by
    its import closure."""
    prefix = PIPELINES[pipeline]
    scripts = {name: script for name, script, _, _ in stages(pipeline)}
    out, stage, in_deps, in_vars = [], None, False, False
    for line in (REPO / pipeline).read_text().splitlines():
        if line.startswith("vars:") or line.startswith("stages:"):
            in_vars = line.startswith("vars:")
            out += vars_lines(pipeline) if line.startswith("stages:") else []
        if in_vars:
            continue  # written again above stages:
        if match := re.fullmatch(r"  ([\w-]+):\s*", line):
            stage, in_deps = match.group(1), False
        item = re.fullmatch(r"(\s*)- (\S+)(\s*#.*)?", line)
        if in_deps and item and "${" not in item.group(2):
            continue  # a code dep: written again below
        in_deps = in_deps and bool(item)
        out.append(line)
        if stage in scripts and re.fullmatch(r"\s*deps:\s*", line):
            in_deps = True
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            closure = import_closure(f"stages.{scripts[stage]}")
            code = compact(closure, f"stages/{scripts[stage]}.py", FOLDERS[pipeline])
            out += [f"{indent}- {prefix}{dep}" for dep in code]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="only say which files are stale")
    args = parser.parse_args(argv)
    stale = []
    for pipeline in PIPELINES:
        text = rewrite(pipeline)
        if text != (REPO / pipeline).read_text():
            stale.append(pipeline)
            if not args.check:
                (REPO / pipeline).write_text(text)
    verb = "stale" if args.check else "rewritten"
    print(f"{verb}: {', '.join(stale)}" if stale else "code deps up to date")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
