"""The params reference: ``docs/params.md`` written from ``params.yaml``'s own comments.

``params.yaml`` is the one home of every option, its default and what it means; this page lays those out
as tables a person can search, one section per top-level key. ``tests/test_params_reference.py`` fails
when the page is stale or when a key of ``params.yaml`` is missing from it::

    python -m tools.params_reference          # rewrites docs/params.md
    python -m tools.params_reference --check  # exits 1 when docs/params.md is not what it would write

How comments are read: the comment on a key's line is its meaning; comment lines below it that start in
the same column continue it; comment lines standing alone above a key are a note on the keys that follow.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PARAMS = REPO / "params.yaml"
PAGE = REPO / "docs" / "params.md"
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][\w]*):(?P<rest>.*)$")
COMMENT_LINE = re.compile(r"^(?P<indent> *)#\s?(?P<text>.*)$")


@dataclass
class Entry:
    """One key of ``params.yaml``: its dotted path, its default as written, and what it means."""

    path: str
    value: str
    meaning: str
    comment_column: int | None
    note: list[str] = field(default_factory=list)  # the standalone comment lines above it


def split_comment(rest: str) -> tuple[str, str, int | None]:
    """A key line's value and comment (``#`` after whitespace, outside quotes), and the comment's column."""
    quote = None
    for i, char in enumerate(rest):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (i == 0 or rest[i - 1].isspace()):
            return rest[:i].strip(), rest[i + 1 :].strip(), i
    return rest.strip(), "", None


def entries(text: str) -> list[Entry]:
    """Every key of the params file, in file order, with its comments."""
    found: list[Entry] = []
    parents: list[tuple[int, str]] = []  # (indent, key) of the keys enclosing the current line
    note: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip():
            continue
        comment = COMMENT_LINE.match(line)
        if comment:
            last = found[-1] if found else None
            if last and not note and last.comment_column == len(comment["indent"]):
                last.meaning += " " + comment["text"]  # continues the comment on the line above
            else:
                note.append(comment["text"])
            continue
        match = KEY_LINE.match(line)
        if not match:
            raise ValueError(f"params.yaml line {i}: not a key line: {line!r}")
        indent = len(match["indent"])
        value, meaning, column = split_comment(match["rest"])
        column = None if column is None else match.start("rest") + column
        while value.count("[") > value.count("]"):  # a flow list written over several lines
            more, more_meaning, column = split_comment(lines[i])  # its comment's column is the last line's
            i += 1
            value += " " + more
            meaning = " ".join(part for part in (meaning, more_meaning) if part)
        while parents and parents[-1][0] >= indent:
            parents.pop()
        path = ".".join([key for _, key in parents] + [match["key"]])
        found.append(Entry(path, value, meaning, column, note))
        note = []
        parents.append((indent, match["key"]))
    return found


def leaves(node, prefix: str = "") -> dict[str, object]:
    """Every scalar or list in a loaded params tree (empty mappings too), by dotted path."""
    if isinstance(node, dict) and node:
        out = {}
        for key, value in node.items():
            out.update(leaves(value, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: node}


def check_agreement(text: str, found: list[Entry]) -> None:
    """Every leaf YAML loads is an entry here, with the same value: the parser misses nothing."""
    by_path = {entry.path: entry for entry in found}
    for path, value in leaves(yaml.safe_load(text)).items():
        if path not in by_path:
            raise ValueError(f"params.yaml: {path} is not read by tools/params_reference.py")
        if yaml.safe_load(by_path[path].value or "null") != value:
            raise ValueError(f"params.yaml: {path}: read as {by_path[path].value!r}, YAML loads {value!r}")


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def page(text: str) -> str:
    """The markdown of ``docs/params.md``."""
    found = entries(text)
    check_agreement(text, found)
    out = [
        "# Every option in `params.yaml`",
        "",
        "Written by `python -m tools.params_reference` from `params.yaml`'s comments (do not edit here:",
        "edit the comments, then run it; a test fails while this page is stale). Unknown keys and wrong",
        "types are errors before any stage runs. Set any key for one run with `dvc exp run -S key=value`.",
        "",
        "Names follow one scheme: a row budget is the `max_rows` of the section it bounds (a seeded",
        "sample of at most that many rows of each table; null: every row), `threads` are one process's",
        "threads and `n_jobs` the processes that run side by side. A renamed key is refused with its new",
        "name (`RENAMED` in `synthproof/config/load.py`). Where each file goes is no param:",
        "`synthproof/config/paths.py` names every path, and `python -m tools.manifest` writes them into",
        "`dvc.yaml`'s `vars:`.",
        "",
    ]
    header = ["| key | default | meaning |", "|---|---|---|"]
    top = [entry for entry in found if "." not in entry.path and entry.value]
    out += ["## Top level", "", *header]
    out += [f"| `{e.path}` | `{cell(e.value)}` | {cell(e.meaning)} |" for e in top]
    for section in (entry for entry in found if "." not in entry.path and not entry.value):
        out += ["", f"## {section.path}", ""]
        if section.meaning:
            out += [section.meaning, ""]
        out += section.note and [" ".join(section.note), ""]
        in_table = False
        for entry in (e for e in found if e.path.startswith(section.path + ".")):
            if entry.note:
                out += ["", " ".join(entry.note), ""] if in_table else [" ".join(entry.note), ""]
                in_table = False
            if not in_table:
                out += header
                in_table = True
            default = f"`{cell(entry.value)}`" if entry.value else "(section)"
            out.append(f"| `{entry.path}` | {default} | {cell(entry.meaning)} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/params.md is stale")
    args = parser.parse_args(argv)
    try:
        written = page(PARAMS.read_text())
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    if args.check:
        if not PAGE.is_file() or PAGE.read_text() != written:
            print("docs/params.md is stale: run python -m tools.params_reference", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
