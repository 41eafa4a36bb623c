"""Alpha-precision, beta-recall and authenticity (Alaa et al., "How Faithful is your Synthetic Data?",
ICML 2022): they tell "realistic but narrow" (mode collapse: high precision, low recall) from "broad but
unrealistic" (the other way round), which one discriminator AUC cannot.

On the privacy stage's mixed embedding (:class:`~synthproof.evaluation.privacy.MixedEmbedding`), as
synthcity's ``AlphaPrecision`` computes them on its raw embedding:

- **alpha-precision**: for each alpha in [0, 1], the share of synthetic rows inside the ball around the real
  rows' centre that holds the alpha-share of real rows nearest it; a faithful table puts alpha of its rows
  there. The figure is 1 minus the curve's mean distance from the diagonal (relative to alpha's mean): 1 when
  synthetic rows fill the real support as real rows do.
- **beta-recall**: for each beta, the share of real rows whose nearest synthetic row is nearer than their
  nearest other real row and lies within the beta-ball of the synthetic rows' own centre; the same
  integration gives the figure: 1 when the synthetic rows cover the real ones as densely as they cover
  themselves.
- **authenticity**: the share of synthetic rows farther from their nearest real row than that real row is
  from its own nearest real neighbour (the paper's definition): a copy is never authentic.

A categorical column is a one-hot block scaled by 1/sqrt(2) (a mismatch adds 1 to the squared distance),
and its squared distance to a centre is what that block's would be: (1 - 2 p_c + sum p^2) / 2, with p the
centre's shares. Each figure has a 95% bootstrap interval over the rows it averages (the balls held fixed;
the spread centred on the figure, as its resamples sit below it), and its reference is the holdout's own
figure: real rows the generator never saw, scored the same way against the training rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.config.evaluation import CoverageParams
from synthproof.evaluation.privacy import MixedEmbedding, Points, closest_distances, closest_rows
from synthproof.evaluation.uncertainty import centred_interval, interval_metrics, paired_bootstrap, wilson
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema
from synthproof.split import limit_rows

ALPHAS = np.linspace(0, 1, 30)  # synthcity's n_steps


def _integrated(curve: np.ndarray) -> float:
    """1 minus the curve's summed distance from the diagonal, over alpha's sum (synthcity's Delta)."""
    return float(1 - np.abs(ALPHAS - curve).sum() / ALPHAS.sum())


class _Centre:
    """The mean of some embedded rows, and each row's distance to it."""

    def __init__(self, points: Points):
        self.mean = points.dense.mean(axis=0)
        self.shares = [np.bincount(column[column >= 0]) / max(len(column), 1) for column in points.codes.T]

    def distance(self, points: Points) -> np.ndarray:
        mean = np.pad(self.mean, (0, max(0, points.dense.shape[1] - len(self.mean))))  # unseen values' slots
        squared = ((points.widened(len(mean)).dense - mean) ** 2).sum(axis=1)
        for column, shares in zip(points.codes.T, self.shares, strict=True):
            known = (column >= 0) & (column < len(shares))
            own = np.where(
                known, shares[np.clip(column, 0, max(len(shares) - 1, 0))] if len(shares) else 0.0, 0.0
            )
            squared = squared + (1 - 2 * own + (shares**2).sum()) / 2
        return np.sqrt(squared)


def _subset(points: Points, rows: np.ndarray) -> Points:
    return Points(points.dense[rows], points.codes[rows])


@dataclass(frozen=True)
class CoverageResult:
    alpha_precision: float
    beta_recall: float
    authenticity: float
    intervals: dict[str, tuple[float, float]]

    def metrics(self, prefix: str = "") -> dict:
        found = {}
        for name in ("alpha_precision", "beta_recall", "authenticity"):
            found[f"{prefix}{name}"] = round(getattr(self, name), 4)
            found.update(interval_metrics(f"{prefix}{name}", self.intervals[name]))
        return found


@dataclass(frozen=True)
class CoverageTest:
    """Alpha-precision, beta-recall and authenticity of a table against the real training rows.

    Args:
        max_rows: Synthetic (or holdout) rows, at most (a seeded sample).
        max_real_rows: Real training rows, at most (a seeded sample). A synthetic row's source must be among
            them for a copy to count as one, so they are many: the searches grow with the product of both.
        seed: Seeds the samples and the bootstrap.
    """

    max_rows: int | None = 10_000
    max_real_rows: int | None = 40_000
    seed: int = 0

    @classmethod
    def for_run(cls, params: CoverageParams, seed: int) -> CoverageTest:
        """The test a run's ``fidelity.coverage`` params set."""
        return cls(params.max_rows, params.max_real_rows, seed)

    def run(self, schema: Schema, real: pd.DataFrame, other: pd.DataFrame) -> CoverageResult:
        """The three figures of ``other`` (a synthetic table, or the holdout for the reference) against
        ``real``. Precision and recall compare as many real rows as ``other`` has (the paper's setting:
        a real row's nearest other real row and its nearest synthetic row come from sets of one size);
        authenticity searches every real row kept, so that a copy's source is there to be found."""
        every_real, other = self._sample(real, self.max_real_rows), self._sample(other, self.max_rows)
        real = self._sample(every_real, len(other))
        embedding = MixedEmbedding(every_real, schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME))
        real_points, other_points = embedding.transform(real), embedding.transform(other)
        real_centre, other_centre = _Centre(real_points), _Centre(other_points)
        radii = np.quantile(real_centre.distance(real_points), ALPHAS)
        inside = real_centre.distance(other_points)[:, None] <= radii[None, :]  # in each alpha-ball

        real_to_real = closest_distances(real_points, real_points, 2)[:, 1]  # the nearest other real row
        real_to_other, nearest_other = _nearest(real_points, other_points)
        other_to_centre = other_centre.distance(other_points)[nearest_other]
        other_radii = np.quantile(other_to_centre, ALPHAS)
        covered = (real_to_other <= real_to_real)[:, None] & (
            other_to_centre[:, None] <= other_radii[None, :]
        )

        every_point = embedding.transform(every_real)
        other_to_real, nearest_real = _nearest(other_points, every_point)
        sources, which = np.unique(nearest_real, return_inverse=True)
        source_to_real = closest_distances(_subset(every_point, sources), every_point, 2)[:, 1]
        authentic = other_to_real > source_to_real[which]

        def precision(rows):
            return {"alpha_precision": _integrated(inside[rows].mean(axis=0))}

        def recall(rows):
            return {"beta_recall": _integrated(covered[rows].mean(axis=0))}

        alpha_precision, beta_recall = _integrated(inside.mean(axis=0)), _integrated(covered.mean(axis=0))
        # the bootstrap's spread, centred on the figure: resampled rows only ever move a curve off where it
        # is, so the resampled figures sit below it (a copy's 0.9999 gave percentiles [0.981, 0.996])
        drawn = {
            **paired_bootstrap(precision, len(other), self.seed, rounds=200),
            **paired_bootstrap(recall, len(real), self.seed + 1, rounds=200),
        }
        figures = {"alpha_precision": alpha_precision, "beta_recall": beta_recall}
        intervals = {name: centred_interval(figure, drawn[name]) for name, figure in figures.items()}
        intervals["authenticity"] = wilson(int(authentic.sum()), len(authentic))
        return CoverageResult(alpha_precision, beta_recall, float(authentic.mean()), intervals)

    def _sample(self, frame: pd.DataFrame, rows: int | None) -> pd.DataFrame:
        return limit_rows(frame, rows, self.seed)


def _nearest(points: Points, reference: Points) -> tuple[np.ndarray, np.ndarray]:
    """Each point's nearest reference row: its distance (exact: a copy is at 0) and its index."""
    distances, rows = closest_rows(points, reference, 1)
    return distances[:, 0], rows[:, 0]
