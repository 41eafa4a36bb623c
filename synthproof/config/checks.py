"""The checks every section's validation makes: a failed condition is a one-line ``SynthproofError``."""

from __future__ import annotations

from synthproof.errors import SynthproofError


def check(condition: bool, message: str) -> None:
    """Stop with ``params.yaml: <message>`` unless ``condition`` holds."""
    if not condition:
        raise SynthproofError(f"params.yaml: {message}")


def check_sha256(value: str | None, key: str) -> None:
    """A checksum param is 64 hex digits, or null (not checked)."""
    if value is not None:
        check(
            len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value),
            f"{key} must be 64 hex digits or null",
        )


def check_row_budget(value: int | None, key: str) -> None:
    """A row budget (``max_rows``: a seeded sample of at most this many rows) is >= 10, or null (all)."""
    check(value is None or value >= 10, f"{key} must be >= 10 or null (every row)")
