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
    """Generator and discriminator loss per epoch."""
    figure, axis = plt.subplots(figsize=(7, 4))
    for column, label in (("generator_loss", "generator"), ("discriminator_loss", "discriminator")):
        axis.plot(losses["epoch"], losses[column], label=label)
    axis.set_xlabel("epoch")
    axis.set_ylabel("loss")
    axis.set_title(title)
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
