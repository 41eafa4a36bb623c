"""Generators by name: ``GENERATORS`` maps a ``generator.name`` param to its class.

Each class takes ``seed`` and its own params, which sit under ``generator.<name>`` in ``params.yaml``,
and the shared ``generator.*`` keys its ``shared_params`` names (those that train in epochs: ``epochs``,
``max_training_minutes``, ``device``, ``threads``...). Every generator runs inside the same
:class:`TableWrapper`.
"""

from __future__ import annotations

import dataclasses

from synthproof.config import GENERATOR_NAMES, PROVIDED, GeneratorParams
from synthproof.errors import SynthproofError
from synthproof.generators.arf import ARFGenerator
from synthproof.generators.argn import TabularARGNGenerator
from synthproof.generators.base import Generator
from synthproof.generators.cart import CARTGenerator
from synthproof.generators.copula import GaussianCopulaGenerator
from synthproof.generators.ctgan import CTGANGenerator, TVAEGenerator
from synthproof.generators.provided import ProvidedTable
from synthproof.generators.reference import IndependentGenerator, ResampleGenerator
from synthproof.generators.wrapper import TableWrapper
from synthproof.io import TableLimits

_CLASSES = (
    CTGANGenerator,
    TVAEGenerator,
    GaussianCopulaGenerator,
    CARTGenerator,
    ARFGenerator,
    TabularARGNGenerator,
    IndependentGenerator,
    ResampleGenerator,
    ProvidedTable,
)
# Each class under its own name, in the order of params.yaml's generator sections (GENERATOR_NAMES, the
# names' one home): a class without a params section, or a section without a class, fails at import.
GENERATORS: dict[str, type[Generator]] = {cls.name: cls for cls in _CLASSES}
if list(GENERATORS) != GENERATOR_NAMES:
    raise ImportError(f"generator classes {list(GENERATORS)} do not match params sections {GENERATOR_NAMES}")


def get_generator_class(name: str) -> type[Generator]:
    """The generator class registered under ``name``."""
    try:
        return GENERATORS[name]
    except KeyError:
        raise SynthproofError(
            f"generator.name {name!r} is not a known generator: choose one of {sorted(GENERATORS)}"
        ) from None


def build_generator(
    cfg: GeneratorParams,
    seed: int,
    columns: list[str],
    target: str,
    id_columns=(),
    limits: TableLimits | None = None,
) -> Generator:
    """The generator ``cfg.name`` with its own params, inside the wrapper with the shared ones; a
    provided table as it is (no wrapper re-encodes or clips its rows).

    ``columns`` are the training table's; a sequential generator learns them in ``cart.column_order``
    order, or in table order with ``target`` last. ``limits`` bound the provided table's read
    (``ingest.max_columns`` and ``ingest.max_cells``; their defaults when not given).
    """
    cls = get_generator_class(cfg.name)
    own = dataclasses.asdict(getattr(cfg, cfg.name))
    if cfg.name == PROVIDED:
        limits = limits or TableLimits()
        return ProvidedTable(
            seed=seed, target=target, max_columns=limits.max_columns, max_cells=limits.max_cells, **own
        )
    learn_order = []
    if cfg.name == "cart":
        learn_order = own.pop("column_order") or [c for c in columns if c != target] + [target]
        unknown = [name for name in learn_order if name not in columns]
        if unknown:
            raise SynthproofError(
                f"generator.cart.column_order names {unknown}, which are not columns of the table: "
                f"choose from {list(columns)}"
            )
    own.update({key: getattr(cfg, key) for key in cls.shared_params})
    return TableWrapper(
        cls(seed=seed, **own),
        binary_encoding_cutoff=cfg.binary_encoding_cutoff,
        id_columns=id_columns,
        spike_min_share=cfg.spike_min_share,
        derive_linked_columns=cfg.derive_linked_columns,
        learn_order=learn_order,
        seed=seed,
    )


__all__ = [
    "GENERATORS",
    "ARFGenerator",
    "CARTGenerator",
    "CTGANGenerator",
    "GaussianCopulaGenerator",
    "Generator",
    "IndependentGenerator",
    "ProvidedTable",
    "ResampleGenerator",
    "TVAEGenerator",
    "TableWrapper",
    "TabularARGNGenerator",
    "build_generator",
    "get_generator_class",
]
