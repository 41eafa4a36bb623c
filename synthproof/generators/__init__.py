"""Generators by name: ``GENERATORS`` maps a ``generator.name`` param to its class."""

from __future__ import annotations

from synthproof.errors import SynthproofError
from synthproof.generators.base import Generator
from synthproof.generators.ctgan import CTGANGenerator
from synthproof.generators.wrapper import TableWrapper

GENERATORS: dict[str, type[Generator]] = {
    CTGANGenerator.name: CTGANGenerator,
}


def get_generator_class(name: str) -> type[Generator]:
    """The generator class registered under ``name``."""
    try:
        return GENERATORS[name]
    except KeyError:
        raise SynthproofError(
            f"generator.name {name!r} is not a known generator: choose one of {sorted(GENERATORS)}"
        ) from None


__all__ = ["GENERATORS", "Generator", "TableWrapper", "get_generator_class"]
