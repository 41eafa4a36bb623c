"""What every stage script shares: loading params.yaml, and turning bad input into one line."""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable

from synthproof.config import Params, load_params
from synthproof.errors import SynthproofError


def run(main: Callable[[Params], None]) -> None:
    """Run a stage's ``main(params)``; bad input exits 1 with a one-line message, no traceback."""
    try:
        main(load_params())
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MB (what the stage cost, imports included)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: kilobytes
