"""A run's figures as its stages wrote them: the metrics, details and cost files named in ``Paths``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from synthproof.config import Paths
from synthproof.errors import SynthproofError


def read_stage_metrics(paths: Paths, required: bool = False) -> dict[str, dict]:
    """Every stage's metrics file (``paths.metrics``), by stage name. A missing file is empty (the
    gate then names the metric as missing), or with ``required`` an error naming the file."""
    if required:
        for stage in dataclasses.fields(paths.metrics):
            path = Path(getattr(paths.metrics, stage.name))
            if not path.exists():
                raise SynthproofError(f"{path} is missing: reproduce the stage that writes it first")
    return _read_each(paths.metrics)


def read_stage_details(paths: Paths) -> dict[str, dict]:
    """Every stage's details file (``paths.details``), by stage name (empty where missing)."""
    return _read_each(paths.details)


def read_stage_cost(paths: Paths) -> dict[str, dict]:
    """Every stage's cost file (``paths.cost``: seconds, memory, threads), by stage name (empty where
    missing)."""
    return _read_each(paths.cost)


def stage_seconds(cost: dict[str, dict], stage: str) -> float | None:
    """A stage's wall seconds from :func:`read_stage_cost`'s files (``<stage>_stage_seconds``, which
    ``stages/common.stage_cost`` writes), or None where its cost file lacks them."""
    return cost.get(stage, {}).get(f"{stage}_stage_seconds")


def _read_each(files) -> dict[str, dict]:
    found = {}
    for stage in dataclasses.fields(files):
        path = Path(getattr(files, stage.name))
        found[stage.name] = json.loads(path.read_text()) if path.exists() else {}
    return found
