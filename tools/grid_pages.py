"""The gate table's figures from the grid (``docs/evaluation.md#the-gate``): what the re-drawn training rows
(``resample``, copies) and every other generator score on a line, rendered from ``grid/results.csv``
(``tools/docs.py`` registers them), so the rationale quotes the committed grid, not an older run."""

from __future__ import annotations

import pandas as pd

from tools.bench_pages import span

COPIES = "resample"  # the grid's generator of copies: whole training rows drawn again


def _copies_and_others(results) -> tuple[pd.DataFrame, pd.DataFrame]:
    grid = results.grid
    return grid[grid["generator"] == COPIES], grid[grid["generator"] != COPIES]


def dcr_share(results) -> str:
    """The DCR share of copies and of every other generator (inline)."""
    copies, others = _copies_and_others(results)
    return (
        f"copies (`resample`) give {span(copies['dcr_share'], 2)}, every other generator of the grid "
        f"{span(others['dcr_share'], 2)}"
    )


def attack_risks(results) -> str:
    """Singling out and linkability of copies, and the highest any other generator reaches (inline)."""
    copies, others = _copies_and_others(results)
    attacks = ["singling_out_risk", "linkability_risk"]
    return (
        f"re-drawn training rows (`resample`) reach {span(copies[attacks[0]], 2)} on singling out and "
        f"{span(copies[attacks[1]], 2)} on linkability in the grid; no other generator passes "
        f"{others[attacks].max().max():.2f} on either"
    )


def inference_risk(results) -> str:
    """The highest inference risk of copies (inline)."""
    copies, _ = _copies_and_others(results)
    return f"`resample`: {span(copies['inference_risk_max'], 2)}"


def membership_auc(results) -> str:
    """Membership inference's AUC on copies and on ``cart``, the generator of real values (inline)."""
    copies, others = _copies_and_others(results)
    cart = others[others["generator"] == "cart"]
    return (
        f"re-drawn training rows give {span(copies['membership_auc'], 2)} in the grid, smoothed `cart` "
        f"{span(cart['membership_auc'], 2)}"
    )


RENDERERS = {
    "grid-gate-dcr": dcr_share,
    "grid-gate-attacks": attack_risks,
    "grid-gate-inference": inference_risk,
    "grid-gate-membership": membership_auc,
}
