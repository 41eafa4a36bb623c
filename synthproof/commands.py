"""What the user-facing commands (``python -m synthproof.gate``, ``python -m synthproof.experiments``)
share: how they end."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import NoReturn


def run_command(main: Callable[[], int]) -> NoReturn:
    """Run a command's ``main`` and exit with its code. A reader that stops early (``| head``) ends it
    quietly, never with a traceback, with the code a shell gives ``cat`` killed by SIGPIPE (141): none of
    the gate's own codes (1 is "a check failed"), so ``set -o pipefail`` cannot read it as a verdict."""
    try:
        code = main()
        sys.stdout.flush()  # lines still buffered meet the closed pipe here, not at the interpreter's exit
    except BrokenPipeError:
        # stdout to /dev/null: the interpreter's own flush at exit would raise the same error again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 128 + signal.SIGPIPE
    sys.exit(code)
