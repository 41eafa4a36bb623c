"""All three attacks on one synthetic table, with their columns checked and their seeds drawn from one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.evaluation.attacks.encoded import Encoded
from synthproof.evaluation.attacks.nearest import linkability_and_inference
from synthproof.evaluation.attacks.risk import PrivacyAttacks
from synthproof.evaluation.attacks.singling_out import singling_out
from synthproof.progress import Silent


def run_attacks(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    control: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    target: str,
    n_attacks: int = 500,
    n_cols: int = 3,
    max_attempts: int = 100_000,
    aux_columns: list[list[str]] | None = None,
    n_neighbors: int = 10,
    secrets: list[str] | None = None,
    tolerance: float = 0.05,
    seed: int = 0,
    progress=None,
) -> PrivacyAttacks:
    """All three attacks on ``train`` through ``synthetic``, with ``control`` (rows the generator never
    saw) as the control. ``aux_columns``: the two column groups the linkability attacker holds (None: a
    seeded half/half split); ``secrets``: the columns the inference attacker guesses (None: every column,
    ``target`` first)."""
    columns = list(categorical) + list(ordered)
    for name, listed in (
        ("privacy.inference.secrets", secrets or []),
        ("privacy.linkability.aux_columns", [c for group in aux_columns or [] for c in group]),
    ):
        unknown = [column for column in listed if column not in columns]
        if unknown:
            raise SynthproofError(
                f"params.yaml: {name} names {unknown}, which the table has not as a categorical, numeric or "
                f"datetime column; choose from {columns}"
            )  # fmt: skip
    if len(columns) < 2:
        raise SynthproofError("privacy: the attacks need at least two columns (one known, one guessed)")
    rng = np.random.default_rng(seed)
    if aux_columns is None:
        shuffled = [str(c) for c in rng.permutation(columns)]
        aux_columns = [shuffled[: len(columns) // 2], shuffled[len(columns) // 2 :]]
    if secrets is None:
        secrets = [target] + [c for c in columns if c != target] if target in columns else columns
    encoded = Encoded({"train": train, "synthetic": synthetic, "control": control}, categorical, ordered)
    progress = Silent() if progress is None else progress
    progress.total = 2 * n_attacks + min(n_attacks, len(train)) + min(n_attacks, len(control))
    progress.set_postfix_str("singling out", refresh=False)
    seeds = rng.integers(0, 2**31, 3)
    multivariate = singling_out(encoded, n_attacks, n_cols, max_attempts, int(seeds[0]), progress)
    univariate = singling_out(encoded, n_attacks, None, max_attempts, int(seeds[1]), progress)
    progress.set_postfix_str("linkability and inference", refresh=False)
    linkability, inference = linkability_and_inference(
        encoded, n_attacks, (aux_columns[0], aux_columns[1]), n_neighbors, secrets, tolerance, int(seeds[2]),
        progress,
    )  # fmt: skip
    return PrivacyAttacks(multivariate, univariate, linkability, inference)
