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
