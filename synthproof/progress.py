"""Progress a user can see on the long stages, on stderr: a tqdm bar on a terminal, a plain line every few
seconds where nobody watches one redraw (CI, `dvc queue` logs), nothing with ``SYNTHPROOF_PROGRESS=off``.

The package's long loops take an optional ``progress`` (:func:`steps`), advanced in the parent process
as results come back, wherever the work ran (joblib workers, a Dask or Ray cluster). Progress never changes
a result: the metrics are byte-identical with it on and off (tests/test_pipeline.py).
"""

from __future__ import annotations

import os
import sys

import tqdm

from synthproof.errors import SynthproofError

ENV = "SYNTHPROOF_PROGRESS"
MODES = ("auto", "bar", "lines", "off")  # auto: bar on a terminal, lines elsewhere
LINE_SECONDS = 5.0  # lines mode: at most one line this often (and one at the end)


def mode() -> str:
    """The progress mode ``SYNTHPROOF_PROGRESS`` asks for, ``auto`` resolved."""
    value = os.environ.get(ENV, "auto").strip().lower() or "auto"
    if value not in MODES:
        raise SynthproofError(f"{ENV}={value!r} is not a progress mode: choose one of {list(MODES)}")
    if value == "auto":
        return "bar" if sys.stderr.isatty() else "lines"
    return value


class _Lines:
    """Where tqdm draws in lines mode: each redraw a line of its own, never a carriage return."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.replace("\r", "").rstrip()
        if text:
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


def tqdm_options() -> dict:
    """How a tqdm bar draws in the :func:`mode` asked for (for bars made elsewhere, as in ctgan's loop)."""
    chosen = mode()
    if chosen == "lines":
        # delay: no line at creation, before the bar knows its total or has a step to show
        return {"file": _Lines(sys.stderr), "mininterval": LINE_SECONDS, "ncols": 100, "ascii": True,
                "delay": 1e-9}  # fmt: skip
    return {"file": sys.stderr, "dynamic_ncols": True, "disable": chosen == "off"}


def steps(total: int | None, desc: str, unit: str = "step") -> tqdm.tqdm:
    """A progress counter over ``total`` steps (``update``, ``set_postfix_str``, ``close``; a context
    manager; a function that knows the total sets ``.total``), drawn as :func:`mode` says."""
    return tqdm.tqdm(total=total, desc=desc, unit=unit, **tqdm_options())


class Silent:
    """Stands in for a progress counter where the caller passed none."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        pass
