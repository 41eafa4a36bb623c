"""synthproof: prove that a synthetic copy of a table is useful and safe before it is shared."""

from synthproof.errors import SynthproofError

__all__ = ["SynthproofError"]
