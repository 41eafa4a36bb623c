"""Reading ``params.yaml`` into ``Params``: every key checked against the dataclasses' fields (an unknown key
is named, with the nearest known one) and every value coerced to its field's type, with a one-line
error that names the key."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any, Literal

import yaml

from synthproof.config.params import GridDataset, IngestParams, Params
from synthproof.errors import SynthproofError

_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")

# Keys with a new name: the old one is refused with the new one in the error (every row budget is a max_rows
# of the section it bounds).
RENAMED = {
    "generator.max_training_rows": "generator.max_rows",
    "fidelity.coverage_max_rows": "fidelity.coverage.max_rows",
    "fidelity.coverage_max_real_rows": "fidelity.coverage.max_real_rows",
    "privacy.dcr_max_rows": "privacy.dcr.max_rows",
    "privacy.near_quantile": "privacy.dcr.near_quantile",
}
# Keys that are no params: the pipeline's files are fixed in code, which dvc.yaml's vars are written from.
NOT_PARAMS = {"paths": "the pipeline's files are named in synthproof/config/paths.py, not in params.yaml"}


def load_params(path: str | Path = "params.yaml") -> Params:
    """Read and validate the whole of ``params.yaml`` (a typo anywhere stops every stage)."""
    try:
        data = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as error:
        raise SynthproofError(f"cannot read {path}: {error}") from None
    return parse_params(data)


def parse_params(data: Any) -> Params:
    """Validate a dict loaded from ``params.yaml``; keys left out take their defaults."""
    return _build(Params, {} if data is None else data, "")


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise SynthproofError(f"params.yaml: {where.rstrip('.') or 'the file'} must be a mapping of keys")
    hints = typing.get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls)]
    for key in data:
        dotted = f"{where}{key}"
        if dotted in RENAMED:
            raise SynthproofError(f"params.yaml: {dotted} is now called {RENAMED[dotted]}: rename the key")
        if dotted in NOT_PARAMS:
            raise SynthproofError(f"params.yaml: {dotted} is not a param: {NOT_PARAMS[dotted]}; remove it")
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean {where}{close[0]}?)" if close else f"; known keys: {known}"
            raise SynthproofError(f"params.yaml: unknown key {where}{key}{hint}")
    values = {key: _coerce(hints[key], value, f"{where}{key}") for key, value in data.items()}
    return cls(**values)


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is GridDataset:
        return _grid_dataset(value, key)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, f"{key}.")
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [arg for arg in args if arg is not type(None)]
        if len(options) == 1:
            return _coerce(options[0], value, key)
        for inner in options:  # e.g. int | Literal["auto"]: the first that takes the value
            with contextlib.suppress(SynthproofError):
                return _coerce(inner, value, key)
        kinds = " or ".join(
            f"one of {list(typing.get_args(o))}"
            if typing.get_origin(o) is Literal
            else f"of type {o.__name__}"
            for o in options
        )
        raise SynthproofError(f"params.yaml: {key} must be {kinds}, got {value!r}")
    if origin is Literal:
        if value not in args:
            raise SynthproofError(f"params.yaml: {key} must be one of {list(args)}, got {value!r}")
        return value
    if origin is dict:
        if not isinstance(value, dict):
            raise SynthproofError(f"params.yaml: {key} must be a mapping of names, got {value!r}")
        return {str(name): _coerce(args[1], item, f"{key}.{name}") for name, item in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise SynthproofError(f"params.yaml: {key} must be a list, got {value!r}")
        return [_coerce(args[0], item, f"{key}[{i}]") for i, item in enumerate(value)]
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is float and isinstance(value, str) and _FLOAT.fullmatch(value.strip()):
        return float(value)  # PyYAML (YAML 1.1) reads 2e-4 as a string
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        got = "null" if value is None else f"{value!r} ({type(value).__name__})"  # YAML's word, not NoneType
        raise SynthproofError(f"params.yaml: {key} must be of type {hint.__name__}, got {got}")
    return value


def _grid_dataset(value: Any, key: str) -> GridDataset:
    """A grid dataset is written flat: ``target`` beside the keys of an ``ingest`` section."""
    if not isinstance(value, dict) or not value.get("target"):
        raise SynthproofError(
            f"params.yaml: {key} must be a mapping with a target and the keys of an ingest section "
            "(source, sha256, na_values, ...)"
        )
    if "source" not in value:
        raise SynthproofError(f"params.yaml: {key}.source is missing: the path or URL of the table")
    ingest = {
        "sha256": None,
        "na_values": [],
        **{name: item for name, item in value.items() if name != "target"},
    }
    return GridDataset(
        target=_coerce(str, value["target"], f"{key}.target"), ingest=_build(IngestParams, ingest, f"{key}.")
    )
