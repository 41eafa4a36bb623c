"""Linkability and inference: the attacker holds some columns of a real row, finds its nearest synthetic
rows, and guesses the row's other half (linkability) or a secret column (inference)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from synthproof.evaluation.attacks.encoded import Encoded, chunks, summed
from synthproof.evaluation.attacks.risk import Attack
from synthproof.progress import Silent


@dataclass
class _Guesses:
    """What the nearest synthetic rows tell an attacker about some target rows."""

    linked: np.ndarray  # per target: do the two halves' nearest synthetic rows share one
    inferred: dict[str, np.ndarray]  # per secret column: the nearest synthetic row on the other columns


def _nearest(
    encoded: Encoded,
    table: str,
    targets: np.ndarray,
    halves: tuple[list[str], list[str]],
    n_neighbors: int,
    secrets: list[str],
    progress,
    threads: int = 1,
) -> _Guesses:
    """Searches the synthetic rows once per chunk of targets: one distance per column, summed over each
    half of the columns (linkability) and over all columns but each secret (inference). Chunks run on
    ``threads`` threads (numpy releases the GIL); each writes its own rows, so the result is the same."""
    n_synthetic = encoded.rows("synthetic")
    k = min(n_neighbors, n_synthetic)
    linked = np.zeros(len(targets), dtype=bool)
    inferred = {secret: np.zeros(len(targets), dtype=np.int64) for secret in secrets}

    def search(chunk: np.ndarray) -> int:
        rows = targets[chunk]
        parts = {c: encoded.distances(table, rows, "synthetic", c) for c in encoded.columns}
        near = [
            np.argpartition(summed(parts, half), k - 1, axis=1)[:, :k] if half else None for half in halves
        ]
        if near[0] is not None and near[1] is not None:
            linked[chunk] = [bool(np.intersect1d(a, b).size) for a, b in zip(*near, strict=True)]
        total = summed(parts, encoded.columns)
        for secret in secrets:
            inferred[secret][chunk] = np.argmin(total - parts[secret], axis=1)
        return len(chunk)

    parts = chunks(len(targets), n_synthetic, len(encoded.columns), max(1, threads))
    with ThreadPoolExecutor(max(1, threads)) as pool:
        for done in pool.map(search, parts):
            progress.update(done)
    return _Guesses(linked, inferred)


def _correct(encoded: Encoded, secret: str, guesses: np.ndarray, truth: np.ndarray, tolerance: float):
    """Right guesses: the same category (missing guessing missing), or a number within ``tolerance`` of
    the secret, relative to it (datetimes: relative to the column's range)."""
    guess, true = encoded.raw["synthetic"][secret][guesses], truth
    both_missing = np.isnan(guess) & np.isnan(true)
    if secret in encoded.categorical:
        return (guess == true) | both_missing
    scale = encoded.date_spans.get(secret, np.abs(true))
    return (np.abs(guess - true) <= tolerance * scale) | both_missing  # NaN compares False


def linkability_and_inference(
    encoded: Encoded,
    n_attacks: int,
    halves: tuple[list[str], list[str]],
    n_neighbors: int,
    secrets: list[str],
    tolerance: float,
    seed: int,
    progress=None,
    threads: int = 1,
) -> tuple[Attack, dict[str, Attack]]:
    """The linkability attack (the two halves of a target linked through a shared nearest synthetic row
    among ``n_neighbors``) and the inference attack on each of ``secrets`` (guessed from the other
    columns as the nearest synthetic row's value), on ``n_attacks`` training and control rows each (or
    as many as a table has)."""
    rng = np.random.default_rng(seed)
    progress = Silent() if progress is None else progress
    targets = {
        table: np.sort(rng.choice(encoded.rows(table), min(n_attacks, encoded.rows(table)), replace=False))
        for table in ("train", "control")
    }
    guesses = {
        table: _nearest(encoded, table, rows, halves, n_neighbors, secrets, progress, threads)
        for table, rows in targets.items()
    }
    n_synthetic, n = encoded.rows("synthetic"), len(targets["train"])
    k = min(n_neighbors, n_synthetic)
    random_links = sum(
        bool(
            np.intersect1d(rng.choice(n_synthetic, k, replace=False), rng.choice(n_synthetic, k, False)).size
        )
        for _ in range(n)
    )
    linkability = Attack(
        "linkability",
        n,
        int(guesses["train"].linked.sum()),
        len(targets["control"]),
        int(guesses["control"].linked.sum()),
        random_links,
        {"n_neighbors": k, "columns_a": list(halves[0]), "columns_b": list(halves[1])},
    )
    inference = {}
    for secret in secrets:
        right = {
            table: _correct(
                encoded, secret, guesses[table].inferred[secret], encoded.raw[table][secret][rows], tolerance
            )
            for table, rows in targets.items()
        }
        random_rows = rng.integers(0, n_synthetic, n)
        baseline = _correct(
            encoded, secret, random_rows, encoded.raw["train"][secret][targets["train"]], tolerance
        )
        inference[secret] = Attack(
            "inference", n, int(right["train"].sum()), len(targets["control"]), int(right["control"].sum()),
            int(baseline.sum()), {"secret": secret},
        )  # fmt: skip
    return linkability, inference
