"""The params of every stage, as typed dataclasses validated from a plain dict.

:func:`load_params` reads ``params.yaml`` (for the stages and the commands); :func:`parse_params`
validates the loaded dict, rejecting unknown keys and wrong types with a message naming the key. Below
that, the package takes plain values, never the file. One module a concern: ``paths`` (the file
layout), ``generators``, ``evaluation`` and ``params`` (the sections), ``declared`` (which keys a stage
may read) and ``load`` (reading and coercing), over ``checks``.
"""

from synthproof.config.declared import ALL_PARAMS, UndeclaredParamError, declared_keys, restricted
from synthproof.config.evaluation import ComputeParams, GateParams
from synthproof.config.generators import (
    EXTRA_GENERATORS,
    GENERATOR_NAMES,
    LEARNING_GENERATORS,
    PROVIDED,
    GeneratorParams,
    ProvidedParams,
)
from synthproof.config.load import load_params, parse_params
from synthproof.config.params import Params
from synthproof.config.paths import Paths, StageCost

__all__ = [
    "ALL_PARAMS",
    "EXTRA_GENERATORS",
    "GENERATOR_NAMES",
    "LEARNING_GENERATORS",
    "PROVIDED",
    "ComputeParams",
    "GateParams",
    "GeneratorParams",
    "Params",
    "Paths",
    "ProvidedParams",
    "StageCost",
    "UndeclaredParamError",
    "declared_keys",
    "load_params",
    "parse_params",
    "restricted",
]
