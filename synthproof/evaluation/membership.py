"""Membership inference: from the synthetic table alone, can an attacker tell whether a given real row was
one of the training rows?

The attack is DOMIAS's (van Breugel et al., "Membership Inference Attacks against Synthetic Data through
Overfitting Detection", AISTATS 2023): a generator that overfits puts more synthetic density near its
training rows than the population has there, even without copying a row. The attacker holds reference rows
from the population (here: half of the holdout, which no generator saw) and scores each target row by the
synthetic density over the reference density at it; the highest scores are called members.

Densities are k-nearest-neighbour estimates on the privacy stage's mixed embedding
(:class:`~synthproof.evaluation.privacy.MixedEmbedding`): p(x) is proportional to k / (n d_k(x)^D), so the
log density ratio is D (log d_k^reference(x) - log d_k^synthetic(x)) plus a constant. Neither D nor the
constant changes the ranking, so the score is the difference of the two log distances (DOMIAS estimates
the densities with kernels or flows; a nearest-neighbour estimate needs no bandwidth and runs on mixed types).

Targets: ``n_targets`` training rows (members) and as many rows of the other half of the holdout
(non-members). The figure is the attack's AUC over members against non-members, with DeLong's 95% interval:
0.5 when the synthetic table tells members from non-members no better than a coin, 1 when it gives every
member away (a table of copies).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.config.evaluation import MembershipParams
from synthproof.evaluation.privacy import MixedEmbedding, closest_distances
from synthproof.evaluation.uncertainty import delong, interval_metrics, normal_interval
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema

_TINY = 1e-9  # a distance of 0 (a copy) scores as a very high density, not an infinite one


@dataclass(frozen=True)
class MembershipResult:
    """The attack's scores on its targets (members first) and what they give."""

    member_scores: np.ndarray
    non_member_scores: np.ndarray
    reference_rows: int
    k: int

    @property
    def auc(self) -> tuple[float, float]:
        """The attack's AUC and DeLong's standard error of it."""
        truth = np.r_[np.ones(len(self.member_scores)), np.zeros(len(self.non_member_scores))]
        return delong(truth, np.r_[self.member_scores, self.non_member_scores])

    def metrics(self) -> dict:
        auc, error = self.auc
        low, high = normal_interval(auc, error)
        return {
            "membership_auc": round(auc, 4),
            **interval_metrics("membership_auc", (max(0.0, low), min(1.0, high))),
            "membership_targets": len(self.member_scores) + len(self.non_member_scores),
            "membership_reference_rows": self.reference_rows,
            "membership_k": self.k,
        }


@dataclass(frozen=True)
class MembershipInference:
    """DOMIAS's attack with k-nearest-neighbour densities.

    Args:
        n_targets: Members (training rows) and non-members (holdout rows) each, at most; the holdout is
            halved first, so non-members are at most half of it.
        k: The neighbour whose distance estimates each density (1: the nearest row).
        seed: Seeds the choice of targets and the halving of the holdout.
    """

    n_targets: int | None = 5000
    k: int = 1
    seed: int = 0

    @classmethod
    def for_run(cls, params: MembershipParams, seed: int) -> MembershipInference:
        """The attack as ``params.yaml: privacy.membership`` sets it."""
        return cls(params.n_targets, params.k, seed)

    def run(
        self, schema: Schema, train: pd.DataFrame, synthetic: pd.DataFrame, holdout: pd.DataFrame
    ) -> MembershipResult:
        """Attack ``train``'s rows through ``synthetic``, with half of ``holdout`` as the attacker's
        reference and the other half as the non-members."""
        rng = np.random.default_rng(self.seed)
        order = rng.permutation(len(holdout))
        half = len(holdout) // 2
        reference, outsiders = holdout.iloc[order[:half]], holdout.iloc[order[half:]]
        n = min(len(outsiders), len(train), self.n_targets or len(outsiders))
        members = train.iloc[rng.choice(len(train), n, replace=False)]
        outsiders = outsiders.iloc[rng.choice(len(outsiders), n, replace=False)]
        embedding = MixedEmbedding(train, schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME))
        targets = embedding.transform(pd.concat([members, outsiders], ignore_index=True))
        k_synthetic, k_reference = min(self.k, len(synthetic)), min(self.k, len(reference))
        to_synthetic = closest_distances(targets, embedding.transform(synthetic), k_synthetic)[:, -1]
        to_reference = closest_distances(targets, embedding.transform(reference), k_reference)[:, -1]
        scores = np.log(to_reference + _TINY) - np.log(to_synthetic + _TINY)
        return MembershipResult(scores[:n], scores[n:], len(reference), self.k)
