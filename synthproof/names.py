"""Names the pipeline gives things of its own beside a user's names: columns that are never one of
theirs, and parts of file names that stand for theirs (no user string ever becomes a path)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable


def fresh_name(name: str, taken: Iterable[str]) -> str:
    """``name``, with underscores appended until it is none of ``taken`` (a user's table may hold a
    ``label`` or ``probability_fake`` column of its own); added to ``taken`` when that is a set."""
    taken_set = taken if isinstance(taken, set) else set(taken)
    while name in taken_set:
        name += "_"
    if isinstance(taken, set):
        taken.add(name)
    return name


_PLAIN = re.compile(r"[a-z0-9](?:[a-z0-9]|_(?!_)){0,39}")  # lower case, no "__", at most 40 characters


def file_part(name: str) -> str:
    """A part of a file name that stands for a user's ``name`` (a column, a category): safe, unique and
    stable. A plain name (lower case letters, digits, single underscores) is kept as it is; any other
    (path pieces, specials, upper case that a case-blind disk would merge, 250 characters) becomes its
    letters and digits, cut short, with a hash of the whole name after a dot that no plain name holds."""
    if _PLAIN.fullmatch(name):
        return name
    readable = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "column"
    return f"{readable}.{hashlib.sha256(name.encode()).hexdigest()[:10]}"
