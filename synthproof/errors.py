"""The one error type a user sees: a one-line message that says what is wrong and what to do."""


class SynthproofError(Exception):
    """Bad input or bad params; the message names the column or param and the fix."""
