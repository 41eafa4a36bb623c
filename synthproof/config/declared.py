"""Which params a stage may read: the keys its script declares (``PARAMS``, the DVC params of its stage).
A stage that reads any other key fails at once (``UndeclaredParamError``), so ``dvc.yaml``'s params
cannot fall behind the code."""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

from synthproof.config.params import Params

# Sections no stage lists as a DVC param: paths are the stages' deps and outs; compute says where compare's
# fits run, not what they give, so switching it keeps the cache.
UNTRACKED = ("paths", "compute")


ALL_PARAMS = "*"  # a stage that reads the whole file (the report shows it)


class UndeclaredParamError(AssertionError):
    """A stage read a params key it does not declare: `dvc repro` would not rerun it when that key changes."""


class _Undeclared:
    """Stands in for a params key a stage did not declare: any use of it raises."""

    __slots__ = ("_key", "_stage")

    def __init__(self, key: str, stage: str):
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_stage", stage)

    def _fail(self, *_args, **_kwargs):
        key, stage = object.__getattribute__(self, "_key"), object.__getattribute__(self, "_stage")
        raise UndeclaredParamError(
            f"stage {stage} reads params key {key!r}, which its PARAMS (stages/{stage}.py) do not declare: "
            "declare it there and in dvc.yaml, or DVC will not rerun the stage when it changes"
        )

    __getattr__ = __bool__ = __iter__ = __len__ = __eq__ = __hash__ = __str__ = __format__ = _fail
    __getitem__ = __contains__ = __lt__ = __gt__ = __le__ = __ge__ = __int__ = __float__ = _fail
    __deepcopy__ = __copy__ = __reduce_ex__ = _fail

    def __repr__(self) -> str:
        return f"<undeclared params key {object.__getattribute__(self, '_key')}>"


def declared_keys(keys: list[str], params: Params) -> list[str]:
    """``keys`` with each ``${dotted.key}`` replaced by its value in ``params`` (as DVC templates
    ``generator.${generator.name}`` in ``dvc.yaml``)."""

    def value(match: re.Match) -> str:
        node: Any = params
        for part in match.group(1).split("."):
            node = getattr(node, part)
        return str(node)

    return [re.sub(r"\$\{([\w.]+)\}", value, key) for key in keys]


def restricted(params: Params, keys: list[str], stage: str) -> Params:
    """``params`` where every key outside ``keys`` (dotted prefixes, templated as in
    :func:`declared_keys`) and ``UNTRACKED`` raises :class:`UndeclaredParamError` when a stage uses it."""
    if ALL_PARAMS in keys:
        return params
    allowed = set(declared_keys(keys, params)) | set(UNTRACKED)
    return _restrict(params, allowed, "", stage)


def _restrict(node: Any, allowed: set[str], prefix: str, stage: str) -> Any:
    out = copy.copy(node)
    for item in dataclasses.fields(node):
        key = prefix + item.name
        if any(key == a or key.startswith(a + ".") for a in allowed):
            continue
        if any(a.startswith(key + ".") for a in allowed):
            value = _restrict(getattr(node, item.name), allowed, key + ".", stage)
        else:
            value = _Undeclared(key, stage)
        object.__setattr__(out, item.name, value)  # a frozen dataclass's copy, never the original
    return out
