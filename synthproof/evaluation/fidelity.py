"""Fidelity: how close the synthetic table is to the real one, column by column and pair by pair.

The scores follow SDMetrics' QualityReport, so that users can read them as they know them:

- column shapes: 1 - total variation distance of the category shares (categoricals, NaN a category of
  its own), 1 - Kolmogorov-Smirnov statistic of the non-missing values (numerics, datetimes);
- column pair trends: 1 - |difference of correlations| / 2 for two numeric columns (Pearson by default),
  1 - total variation distance of the contingency table for a pair with a categorical, numerics cut into
  ``bins`` equal-width bins of the real values;
- quality score: 100 x the mean of the two averages.

Each column is encoded once (category codes, bin codes, floats); the pairs are then counted with one
``bincount`` each, so a wide table stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from synthproof.evaluation.ranges import out_of_range_share
from synthproof.progress import Silent
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema
from synthproof.values import as_float, as_text, histogram_table

CORRELATIONS = ("pearson", "spearman")
SHAPE_COLUMNS = ["column", "kind", "metric", "score", "out_of_range_share"]
PAIR_COLUMNS = ["column_a", "column_b", "metric", "score"]
DISTRIBUTION_COLUMNS = ["column", "kind", "value", "bin_start", "bin_end", "real", "synthetic"]
MISSING = "(missing)"


@dataclass
class _Encoded:
    """One column of both tables, in the forms the scores need."""

    kind: str  # categorical | numeric
    real_codes: np.ndarray
    synthetic_codes: np.ndarray
    n_codes: int
    real_values: np.ndarray | None = None  # numeric: floats, NaN kept
    synthetic_values: np.ndarray | None = None
    edges: np.ndarray | None = None  # numeric: the bins' edges (the last code: missing)


@dataclass
class Quality:
    """Fidelity scores of one table against a real one."""

    column_shapes: pd.DataFrame  # column, kind, metric, score, out_of_range_share
    pair_trends: pd.DataFrame  # column_a, column_b, metric, score
    correlation: str

    @property
    def column_shapes_score(self) -> float:
        return float(self.column_shapes["score"].mean())

    @property
    def pair_trends_score(self) -> float:
        scores = self.pair_trends["score"]
        return float(scores.mean()) if len(scores) else 1.0

    @property
    def score(self) -> float:
        """Quality score, 0-100."""
        return 100 * (self.column_shapes_score + self.pair_trends_score) / 2

    def to_dict(self) -> dict:
        """The tables as records (NaN as None), for the ceiling the ``score_real`` stage writes."""
        records = lambda frame: frame.astype(object).where(frame.notna(), None).to_dict(orient="records")  # noqa: E731
        return {
            "column_shapes": records(self.column_shapes),
            "pair_trends": records(self.pair_trends),
            "correlation": self.correlation,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Quality:
        tables = {
            name: pd.DataFrame(data[name], columns=columns).fillna(np.nan)
            for name, columns in (("column_shapes", SHAPE_COLUMNS), ("pair_trends", PAIR_COLUMNS))
        }
        return cls(tables["column_shapes"], tables["pair_trends"], data["correlation"])


@dataclass(frozen=True)
class QualityTest:
    """Column shapes and pair trends with their settings (``params.yaml: fidelity``), run on a table's
    ``Schema``: the fidelity stage scores the synthetic table with it, score_real the holdout (the
    ceiling)."""

    bins: int = 10
    correlation: str = "pearson"

    def run(self, schema: Schema, real: pd.DataFrame, other: pd.DataFrame, progress=None) -> Quality:
        """``other`` (a synthetic table, or the holdout for the ceiling) scored against ``real``."""
        ordered = schema.names(NUMERIC, DATETIME)
        return quality(real, other, schema.names(CATEGORICAL), ordered, self.bins, self.correlation, progress)


def quality(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    bins: int = 10,
    correlation: str = "pearson",
    progress=None,
) -> Quality:
    """Column shapes and column pair trends of ``synthetic`` against ``real``; ``progress``
    (:func:`synthproof.progress.steps`) counts the pairs, the long part on a wide table."""
    if correlation not in CORRELATIONS:
        raise ValueError(f"correlation must be one of {CORRELATIONS}")
    columns = [c for c in real.columns if c in set(categorical) | set(ordered)]
    encoded = {name: _encode(real[name], synthetic[name], name in categorical, bins) for name in columns}
    return Quality(
        _column_shapes(real, synthetic, encoded),
        _pair_trends(encoded, real, synthetic, correlation, Silent() if progress is None else progress),
        correlation,
    )


def _encode(real: pd.Series, synthetic: pd.Series, categorical: bool, bins: int) -> _Encoded:
    if categorical:
        codes, uniques = pd.factorize(pd.concat([real, synthetic], ignore_index=True))
        codes = np.where(codes < 0, len(uniques), codes)  # missing: a category of its own
        return _Encoded("categorical", codes[: len(real)], codes[len(real) :], len(uniques) + 1)
    values = [as_float(real), as_float(synthetic)]
    observed = values[0][~np.isnan(values[0])]
    edges = np.histogram_bin_edges(observed, bins=bins) if len(observed) else np.array([0.0, 1.0])
    codes = []
    for column in values:
        code = np.clip(np.searchsorted(edges, column, side="right") - 1, 0, len(edges) - 2)
        code[np.isnan(column)] = len(edges) - 1  # missing: a bin of its own
        codes.append(code)
    return _Encoded("numeric", codes[0], codes[1], len(edges), values[0], values[1], edges)


def _column_shapes(real: pd.DataFrame, synthetic: pd.DataFrame, encoded: dict[str, _Encoded]) -> pd.DataFrame:
    rows = []
    for name, column in encoded.items():
        if column.kind == "categorical":
            score = 1 - _tvd(column.real_codes, column.synthetic_codes, column.n_codes)
            rows.append((name, "categorical", "TVComplement", score, np.nan))
            continue
        real_values = column.real_values[~np.isnan(column.real_values)]
        synthetic_values = column.synthetic_values[~np.isnan(column.synthetic_values)]
        if len(real_values) and len(synthetic_values):
            score = 1 - ks_2samp(real_values, synthetic_values).statistic
        else:
            score = float(len(real_values) == len(synthetic_values))
        outside = out_of_range_share(pd.Series(real_values), pd.Series(synthetic_values))
        rows.append((name, "numeric", "KSComplement", score, outside))
    return pd.DataFrame(rows, columns=SHAPE_COLUMNS)


def _pair_trends(
    encoded: dict[str, _Encoded], real: pd.DataFrame, synthetic: pd.DataFrame, correlation: str, progress
) -> pd.DataFrame:
    numeric = [name for name, column in encoded.items() if column.kind == "numeric"]
    correlations = [
        pd.DataFrame({n: encoded[n].real_values for n in numeric}).corr(method=correlation),
        pd.DataFrame({n: encoded[n].synthetic_values for n in numeric}).corr(method=correlation),
    ]
    rows = []
    progress.total = len(encoded) * (len(encoded) - 1) // 2
    for a, b in combinations(encoded, 2):
        progress.update(1)
        first, second = encoded[a], encoded[b]
        if first.kind == second.kind == "numeric":
            real_corr, synthetic_corr = (matrix.loc[a, b] for matrix in correlations)
            if np.isnan(real_corr) or np.isnan(synthetic_corr):
                continue  # a constant column has no correlation
            score = 1 - abs(real_corr - synthetic_corr) / 2
            rows.append((a, b, "CorrelationSimilarity", score))
        else:
            joint_real = first.real_codes * second.n_codes + second.real_codes
            joint_synthetic = first.synthetic_codes * second.n_codes + second.synthetic_codes
            score = 1 - _tvd(joint_real, joint_synthetic, first.n_codes * second.n_codes)
            rows.append((a, b, "ContingencySimilarity", score))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def _tvd(real_codes: np.ndarray, synthetic_codes: np.ndarray, n_codes: int) -> float:
    """Total variation distance between the code frequencies of the two tables."""
    p = np.bincount(real_codes, minlength=n_codes) / max(len(real_codes), 1)
    q = np.bincount(synthetic_codes, minlength=n_codes) / max(len(synthetic_codes), 1)
    return float(np.abs(p - q).sum() / 2)


def correlation_matrices(
    real: pd.DataFrame, synthetic: pd.DataFrame, ordered: list[str], correlation: str = "pearson"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Correlation matrices of the numeric (and datetime) columns of both tables."""
    frames = [pd.DataFrame({n: as_float(frame[n]) for n in ordered}) for frame in (real, synthetic)]
    return frames[0].corr(method=correlation), frames[1].corr(method=correlation)


def fidelity_metrics(synthetic: Quality, ceiling: Quality) -> dict:
    """Scores and their ceiling (the real holdout scored the same way), headline first."""
    shapes = synthetic.column_shapes.set_index("column")
    ceiling_shapes = ceiling.column_shapes.set_index("column")["score"]
    return {
        "quality_score": round(synthetic.score, 2),
        "quality_ceiling": round(ceiling.score, 2),
        "quality_ratio": round(synthetic.score / ceiling.score, 4) if ceiling.score else 0.0,
        "column_shapes": round(synthetic.column_shapes_score, 4),
        "column_shapes_ceiling": round(ceiling.column_shapes_score, 4),
        "pair_trends": round(synthetic.pair_trends_score, 4),
        "pair_trends_ceiling": round(ceiling.pair_trends_score, 4),
        "correlation": synthetic.correlation,
        "columns": {
            name: {
                "shape": round(float(row["score"]), 4),
                "shape_ceiling": round(float(ceiling_shapes[name]), 4),
                **(
                    {}
                    if np.isnan(row["out_of_range_share"])
                    else {"out_of_range_share": round(float(row["out_of_range_share"]), 4)}
                ),
            }
            for name, row in shapes.iterrows()
        },
    }


def distributions(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    top: int = 10,
    bins: int = 30,
) -> pd.DataFrame:
    """Every column's shares, real vs synthetic, for the figures: the ``top`` most common real
    categories (missing as a category), or ``bins`` equal-width bins of the real range (numbers,
    datetimes as nanoseconds)."""
    frames = []
    for name in [c for c in real.columns if c in set(categorical) | set(ordered)]:
        if name in categorical:
            shares = [
                as_text(frame[name]).fillna(MISSING).value_counts(normalize=True)
                for frame in (real, synthetic)
            ]
            labels = list(shares[0].index[:top])
            frame = pd.DataFrame(
                {"value": labels, "real": shares[0].reindex(labels).to_numpy(),
                 "synthetic": shares[1].reindex(labels).fillna(0).to_numpy()}
            )  # fmt: skip
            frames.append(frame.round(5).assign(column=name, kind="categorical"))
            continue
        values = [column[~np.isnan(column)] for column in (as_float(real[name]), as_float(synthetic[name]))]
        edges = np.histogram_bin_edges(values[0], bins=bins) if len(values[0]) else np.array([0.0, 1.0])
        frame = histogram_table(edges, {"real": values[0], "synthetic": values[1]}, shares=True)
        frames.append(frame.assign(column=name, kind="numeric", value=frame["bin_start"].astype(str)))
    return (
        pd.concat(frames, ignore_index=True)[DISTRIBUTION_COLUMNS]
        if frames
        else pd.DataFrame(columns=DISTRIBUTION_COLUMNS)
    )


def pair_gaps(synthetic: Quality, ceiling: Quality) -> pd.DataFrame:
    """Every pair's trend score beside the holdout's (the ceiling) and the gap between them, the
    largest gap first: the pairs the generator kept least well, for what real rows keep."""
    keys = ["column_a", "column_b"]
    holdout = ceiling.pair_trends[[*keys, "score"]].rename(columns={"score": "holdout_score"})
    table = synthetic.pair_trends.merge(holdout, on=keys, how="left")
    table["gap"] = table["holdout_score"] - table["score"]
    table.insert(0, "pair", table["column_a"].astype(str) + " \u00d7 " + table["column_b"].astype(str))
    return table.sort_values("gap", ascending=False, kind="stable").round(4).reset_index(drop=True)


def pair_views(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    pairs: pd.DataFrame,
    categorical: list[str],
    bins: int = 10,
    top: int = 8,
    points: int = 2000,
    seed: int = 0,
) -> list[dict]:
    """What the pair figure draws for each row of ``pairs`` (:func:`pair_gaps`): two numbers as a seeded
    sample of ``points`` rows per table; otherwise the joint shares of the ``top`` real categories
    (the rest as one) or ``bins`` equal-width bins of the real range."""
    views = []
    for row in pairs.itertuples(index=False):
        a, b = row.column_a, row.column_b
        view = {"a": a, "b": b, "score": row.score, "holdout_score": row.holdout_score}
        if a not in categorical and b not in categorical:
            sides = {}
            for side, frame in (("real", real), ("synthetic", synthetic)):
                xy = np.column_stack([as_float(frame[b]), as_float(frame[a])])
                xy = xy[~np.isnan(xy).any(axis=1)]
                keep = np.random.default_rng(seed).permutation(len(xy))[:points]
                sides[side] = xy[np.sort(keep)]
            views.append({**view, "kind": "scatter", **sides})
            continue
        codes = {}
        for key, name in (("a", a), ("b", b)):
            codes[key], view[f"{key}_labels"] = _display_codes(
                real[name], synthetic[name], name in categorical, bins, top
            )
        n_a, n_b = len(view["a_labels"]), len(view["b_labels"])
        for side, which in (("real", 0), ("synthetic", 1)):
            joint = np.bincount(codes["a"][which] * n_b + codes["b"][which], minlength=n_a * n_b)
            view[side] = (joint / max(joint.sum(), 1)).reshape(n_a, n_b)
        views.append({**view, "kind": "shares"})
    return views


def _display_codes(
    real: pd.Series, synthetic: pd.Series, categorical: bool, bins: int, top: int
) -> tuple[tuple[np.ndarray, np.ndarray], list[str]]:
    """Both tables' values as codes of a few labels: the ``top`` real categories and "other", or bins."""
    if categorical:
        texts = [as_text(column).fillna(MISSING) for column in (real, synthetic)]
        kept = list(texts[0].value_counts().index[:top])
        labels = kept + (["(other)"] if texts[0].nunique() > top or not set(texts[1]) <= set(kept) else [])
        codes = tuple(
            pd.Categorical(t.where(t.isin(kept), "(other)"), categories=labels).codes for t in texts
        )
        return tuple(np.asarray(c, dtype=np.int64) for c in codes), labels
    encoded = _encode(real, synthetic, False, bins)  # the pair trend's own bins
    labels = [f"{edge:.3g}" for edge in encoded.edges[:-1]] + [MISSING]
    return (encoded.real_codes, encoded.synthetic_codes), labels
