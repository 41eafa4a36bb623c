"""What every stage script shares: loading params.yaml, and turning bad input into one line."""

from __future__ import annotations

import resource
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from synthproof.config import Params, parse_params
from synthproof.errors import SynthproofError

PARAMS_FILE = Path("params.yaml")


def load_params(path: Path = PARAMS_FILE) -> Params:
    """Read and validate the whole of ``params.yaml`` (a typo anywhere stops every stage)."""
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise SynthproofError(f"cannot read {path}: {error}") from None
    return parse_params(data)


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
