"""Figures, saved as PNG files a person can open directly."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on CI or in DVC's workers
import matplotlib.pyplot as plt
import pandas as pd

from synthproof.io import atomic_path


def save_figure(figure: plt.Figure, path: str | Path) -> None:
    """Save ``figure`` as PNG atomically, then close it."""
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)


def loss_figure(losses: pd.DataFrame, title: str = "Training losses") -> plt.Figure:
    """Generator and discriminator loss per epoch (those a generator has; none for non-neural ones)."""
    figure, axis = plt.subplots(figsize=(7, 4))
    for column, label in (("generator_loss", "generator"), ("discriminator_loss", "discriminator")):
        if losses[column].notna().any():
            axis.plot(losses["epoch"], losses[column], label=label)
    if losses.empty:
        axis.text(0.5, 0.5, "no training loss: this generator does not train in epochs", ha="center")
    axis.set_xlabel("epoch")
    axis.set_ylabel("loss")
    axis.set_title(title)
    if not losses.empty:
        axis.legend()
    axis.grid(alpha=0.3)
    return figure


def probability_figure(histogram: pd.DataFrame, accuracy: float, auc: float) -> plt.Figure:
    """The discriminator's holdout probabilities, stacked by true label (as in the MOSTLY AI notebook)."""
    figure, axis = plt.subplots(figsize=(7, 4))
    width = histogram["bin_end"] - histogram["bin_start"]
    axis.bar(histogram["bin_start"], histogram["real"], width=width, align="edge", label="REAL", alpha=0.8)
    axis.bar(
        histogram["bin_start"],
        histogram["fake"],
        width=width,
        align="edge",
        bottom=histogram["real"],
        label="FAKE",
        alpha=0.8,
    )
    axis.set_xlabel("predicted probability of FAKE")
    axis.set_ylabel("holdout rows")
    axis.set_title(f"Accuracy: {accuracy:.1%}, AUC: {auc:.1%}")
    axis.legend(title="true label")
    return figure


def importance_figure(columns: pd.DataFrame) -> plt.Figure:
    """Per column: the discriminator's importance share and the AUC of a one-column discriminator."""
    columns = columns.sort_values("importance")
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 0.35 * len(columns) + 1.5), sharey=True)
    left.barh(columns["column"], columns["importance"])
    left.set_xlabel("share of the discriminator's gain")
    left.set_title("What gives fakes away")
    right.barh(columns["column"], columns["auc"] - 0.5, left=0.5)
    right.axvline(0.5, color="grey", lw=1)
    right.set_xlim(0.45, 1.0)
    right.set_xlabel("AUC of a one-column discriminator")
    right.set_title("Each column alone")
    return figure


def distributions_figure(
    real: pd.DataFrame, synthetic: pd.DataFrame, categorical: list[str], ordered: list[str], top: int = 10
) -> plt.Figure:
    """One small panel per column: real vs synthetic shares (categoricals: the ``top`` most common
    real categories) or densities (numerics, on bins of the real range)."""
    import numpy as np

    columns = [c for c in real.columns if c in set(categorical) | set(ordered)]
    n_cols = 4
    n_rows = max(1, -(-len(columns) // n_cols))
    figure, axes = plt.subplots(n_rows, n_cols, figsize=(4 * n_cols, 2.8 * n_rows), squeeze=False)
    for axis, name in zip(axes.flat, columns, strict=False):
        if name in categorical:
            real_shares = real[name].astype(str).value_counts(normalize=True)
            synthetic_shares = synthetic[name].astype(str).value_counts(normalize=True)
            labels = list(real_shares.index[:top])
            positions = np.arange(len(labels))
            axis.bar(positions - 0.2, real_shares.reindex(labels).fillna(0), width=0.4, label="real")
            axis.bar(
                positions + 0.2, synthetic_shares.reindex(labels).fillna(0), width=0.4, label="synthetic"
            )
            axis.set_xticks(positions, [label[:10] for label in labels], rotation=60, fontsize=7)
        else:
            values = [pd.to_numeric(frame[name], errors="coerce").dropna() for frame in (real, synthetic)]
            if pd.api.types.is_datetime64_any_dtype(real[name]):
                values = [frame[name].dropna().astype("int64") for frame in (real, synthetic)]
            edges = np.histogram_bin_edges(values[0], bins=30) if len(values[0]) else 10
            axis.hist(values[0], bins=edges, density=True, alpha=0.6, label="real")
            axis.hist(values[1], bins=edges, density=True, alpha=0.6, label="synthetic")
            axis.tick_params(labelsize=7)
        axis.set_title(name, fontsize=9)
    for axis in list(axes.flat)[len(columns) :]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7)
    figure.tight_layout()
    return figure


def correlations_figure(real: pd.DataFrame, synthetic: pd.DataFrame, method: str) -> plt.Figure:
    """Correlation matrices of the numeric columns: real, synthetic, and their absolute difference."""
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    panels = (("real", real, "coolwarm", -1), ("synthetic", synthetic, "coolwarm", -1))
    panels += (("|real - synthetic|", (real - synthetic).abs(), "Reds", 0),)
    for axis, (title, matrix, colours, low) in zip(axes, panels, strict=True):
        image = axis.imshow(matrix.to_numpy(), cmap=colours, vmin=low, vmax=1)
        axis.set_xticks(range(len(matrix)), matrix.columns, rotation=60, fontsize=7)
        axis.set_yticks(range(len(matrix)), matrix.index, fontsize=7)
        axis.set_title(f"{title} ({method})")
        figure.colorbar(image, ax=axis, fraction=0.046)
    if len(real) < 2:
        figure.suptitle("fewer than two numeric columns: no correlations to compare")
    figure.tight_layout()
    return figure


def dcr_figure(histogram: pd.DataFrame) -> plt.Figure:
    """Distances to the closest training record: synthetic rows vs real holdout rows."""
    figure, axis = plt.subplots(figsize=(7, 4))
    width = histogram["bin_end"] - histogram["bin_start"]
    for column, label in (("holdout", "real holdout -> training"), ("synthetic", "synthetic -> training")):
        axis.bar(histogram["bin_start"], histogram[column], width=width, align="edge", alpha=0.6, label=label)
    axis.set_xlabel("distance to the closest training record")
    axis.set_ylabel("share of rows")
    axis.set_title("Distance to closest record (DCR)")
    axis.legend()
    return figure


def risks_figure(risks: pd.DataFrame) -> plt.Figure:
    """Every attack's risk with its 95% interval (one bar per attack, each secret of the inference)."""
    figure, axis = plt.subplots(figsize=(7, 0.3 * min(len(risks), 40) + 1.5))
    shown = risks.head(40)  # the headline attacks first, then the secrets in the order guessed
    positions = range(len(shown))[::-1]
    errors = [shown["risk"] - shown["low"], shown["high"] - shown["risk"]]
    axis.barh(list(positions), shown["risk"], xerr=errors, color="#cf222e", alpha=0.7, capsize=3)
    axis.set_yticks(list(positions), [str(a).replace("inference_", "inference: ") for a in shown["attack"]],
                    fontsize=8)  # fmt: skip
    axis.set_xlim(0, 1)
    axis.set_xlabel("risk: attack success beyond the control's (95% interval)")
    axis.set_title("Privacy attacks on the training rows through the synthetic table")
    axis.grid(axis="x", alpha=0.3)
    return figure


def leaderboard_figure(synthetic: pd.DataFrame, real: pd.DataFrame, metric: str) -> plt.Figure:
    """The two leaderboards side by side: each model's ``metric`` trained on synthetic and on real rows."""
    import numpy as np

    order = real.sort_values(metric, na_position="first")["Model"].tolist()
    values = [board.set_index("Model")[metric].reindex(order) for board in (synthetic, real)]
    positions = np.arange(len(order))
    figure, axis = plt.subplots(figsize=(8, 0.4 * len(order) + 1.5))
    axis.barh(positions + 0.2, values[0].fillna(0), height=0.4, label="trained on synthetic")
    axis.barh(positions - 0.2, values[1].fillna(0), height=0.4, label="trained on real")
    axis.set_yticks(positions, order, fontsize=8)
    axis.set_xlabel(f"{metric}, {len(order)} models cross-validated")
    low = min(v.min() for v in values if v.notna().any())
    axis.set_xlim(max(0.0, low - 0.05), 1.0)
    axis.legend(loc="lower right")
    axis.set_title("Leaderboards: synthetic vs real training rows")
    return figure


def roc_figure(curves: pd.DataFrame) -> plt.Figure:
    """ROC curves (``fpr``, ``tpr`` per ``model``) of the best models on the real holdout."""
    figure, axis = plt.subplots(figsize=(5.5, 5))
    for model, curve in curves.groupby("model", sort=False):
        axis.plot(curve["fpr"], curve["tpr"], label=model)
    axis.plot([0, 1], [0, 1], color="grey", lw=1, ls="--")
    axis.set_xlabel("false positive rate")
    axis.set_ylabel("true positive rate")
    axis.set_title("ROC on the real holdout")
    axis.legend(fontsize=8, loc="lower right")
    return figure


def confusion_figure(pairs: pd.DataFrame, title: str) -> plt.Figure:
    """Confusion matrix from rows of (``actual``, ``predicted``)."""
    table = pd.crosstab(pairs["actual"], pairs["predicted"])
    labels = sorted(set(table.index) | set(table.columns))
    table = table.reindex(index=labels, columns=labels, fill_value=0)
    figure, axis = plt.subplots(figsize=(1.2 * len(labels) + 3, 1.0 * len(labels) + 2.5))
    axis.imshow(table.to_numpy(), cmap="Blues")
    for (i, j), count in pd.DataFrame(table.to_numpy()).stack().items():
        axis.text(j, i, str(count), ha="center", va="center")
    axis.set_xticks(range(len(labels)), labels, rotation=45)
    axis.set_yticks(range(len(labels)), labels)
    axis.set_xlabel("predicted")
    axis.set_ylabel("actual")
    axis.set_title(title)
    return figure
