"""Names the pipeline gives columns of its own beside a user's columns: never one of theirs."""

from __future__ import annotations

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
