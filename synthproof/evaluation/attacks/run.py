"""All three attacks on one synthetic table: an evaluator with its settings in the constructor (like
anonymeter's), run on a table's ``Schema``, its columns checked and its seeds drawn from one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.config.evaluation import PrivacyParams
from synthproof.errors import SynthproofError
from synthproof.evaluation.attacks.encoded import Encoded
from synthproof.evaluation.attacks.nearest import linkability_and_inference
from synthproof.evaluation.attacks.risk import PrivacyAttacks
from synthproof.evaluation.attacks.singling_out import singling_out
from synthproof.links import find_links
from synthproof.progress import Silent
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema


@dataclass(frozen=True)
class Attacks:
    """Singling out (``n_attacks`` queries of ``n_cols`` columns, and of one, found in at most
    ``max_attempts`` tries), linkability (the two column groups ``aux_columns`` an attacker holds, None: a
    seeded half/half split, linked through ``n_neighbors`` nearest synthetic rows) and inference (each of
    ``secrets``, None: :meth:`default_secrets`; a number within ``tolerance`` of the truth is right; the
    worst judged over the secrets whose control is right at most ``max_control_rate`` of the time:
    :meth:`PrivacyAttacks.judged_secrets`), the last two on ``n_targets`` training and control rows each
    (None: as many as the control has), which share one nearest-row search on ``threads`` threads."""

    n_attacks: int = 2000
    n_targets: int | None = 10_000
    n_cols: int = 3
    max_attempts: int = 500_000
    aux_columns: list[list[str]] | None = None
    n_neighbors: int = 10
    secrets: list[str] | None = None
    tolerance: float = 0.05
    max_control_rate: float = 0.95
    seed: int = 0
    threads: int = 1

    @classmethod
    def for_run(cls, params: PrivacyParams, seed: int, threads: int) -> Attacks:
        """The attacks as ``params.yaml: privacy`` sets them."""
        return cls(
            n_attacks=params.n_attacks,
            n_targets=params.n_targets,
            n_cols=params.singling_out.n_cols,
            max_attempts=params.singling_out.max_attempts,
            aux_columns=params.linkability.aux_columns,
            n_neighbors=params.linkability.n_neighbors,
            secrets=params.inference.secrets,
            tolerance=params.inference.tolerance,
            max_control_rate=params.inference.max_control_rate,
            seed=seed,
            threads=threads,
        )

    @staticmethod
    def default_secrets(train: pd.DataFrame, columns: list[str], target: str) -> list[str]:
        """Every column, the target first, but those another column fixes exactly in the training rows
        (census's ``education_num``, which ``education`` fixes, and ``education``, which it fixes back):
        an attacker who knows every other column knows such a column already, so the control guesses it
        (nearly) always, and its risk, divided by what the control leaves, would be noise over ~0."""
        fixed = set()
        for link in find_links(train, columns, min_consistency=1.0):
            fixed |= {link.target, link.source} if link.one_to_one else {link.target}
        ordered = [target] + [c for c in columns if c != target] if target in columns else columns
        return [c for c in ordered if c not in fixed] or ordered

    def run(
        self,
        schema: Schema,
        train: pd.DataFrame,
        synthetic: pd.DataFrame,
        control: pd.DataFrame,
        progress=None,
    ) -> PrivacyAttacks:
        """The attacks on ``train`` (the rows the generator learnt from) through ``synthetic``, with
        ``control`` (rows it never saw) as the control, on ``schema``'s categorical, numeric and datetime
        columns."""
        categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
        columns = categorical + ordered
        aux_columns, secrets = self.aux_columns, self.secrets
        for name, listed in (
            ("privacy.inference.secrets", secrets or []),
            ("privacy.linkability.aux_columns", [c for group in aux_columns or [] for c in group]),
        ):
            unknown = [column for column in listed if column not in columns]
            if unknown:
                raise SynthproofError(
                    f"params.yaml: {name} names {unknown}, which the table has not as a categorical, numeric "
                    f"or datetime column; choose from {columns}"
                )  # fmt: skip
        if len(columns) < 2:
            raise SynthproofError("privacy: the attacks need at least two columns (one known, one guessed)")
        rng = np.random.default_rng(self.seed)
        if aux_columns is None:
            shuffled = [str(c) for c in rng.permutation(columns)]
            aux_columns = [shuffled[: len(columns) // 2], shuffled[len(columns) // 2 :]]
        if secrets is None:
            secrets = self.default_secrets(train, columns, schema.target)
        encoded = Encoded({"train": train, "synthetic": synthetic, "control": control}, categorical, ordered)
        n_targets = len(control) if self.n_targets is None else self.n_targets
        progress = Silent() if progress is None else progress
        progress.total = 2 * self.n_attacks + min(n_targets, len(train)) + min(n_targets, len(control))
        progress.set_postfix_str("singling out", refresh=False)
        seeds = rng.integers(0, 2**31, 3)
        multivariate = singling_out(
            encoded, self.n_attacks, self.n_cols, self.max_attempts, int(seeds[0]), progress
        )
        univariate = singling_out(encoded, self.n_attacks, None, self.max_attempts, int(seeds[1]), progress)
        progress.set_postfix_str("linkability and inference", refresh=False)
        linkability, inference = linkability_and_inference(
            encoded, n_targets, (aux_columns[0], aux_columns[1]), self.n_neighbors, secrets, self.tolerance,
            int(seeds[2]), progress, self.threads,
        )  # fmt: skip
        return PrivacyAttacks(multivariate, univariate, linkability, inference, self.max_control_rate)
