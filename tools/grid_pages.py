"""The gate table's figures from the grid (``docs/evaluation.md#the-gate``): what the re-drawn training rows
(``resample``, copies) and every other generator score on a line, rendered from ``grid/results.csv``
(``tools/docs.py`` registers them), so the rationale quotes the committed grid, not an older run."""

from __future__ import annotations

import pandas as pd

COPIES = "resample"  # the grid's generator of copies: whole training rows drawn again


def _span(values: pd.Series, digits: int = 2) -> str:
    low, high = f"{values.min():.{digits}f}", f"{values.max():.{digits}f}"
    return low if low == high else f"{low}-{high}"


def _copies_and_others(results) -> tuple[pd.DataFrame, pd.DataFrame]:
    grid = results.grid
    return grid[grid["generator"] == COPIES], grid[grid["generator"] != COPIES]


def dcr_share(results) -> str:
    """The DCR share of copies and of every other generator (inline)."""
    copies, others = _copies_and_others(results)
    return (
        f"copies (`resample`) give {_span(copies['dcr_share'])}, every other generator of the grid "
        f"{_span(others['dcr_share'])}"
    )


def attack_risks(results) -> str:
    """Singling out and linkability of copies, and the highest any other generator reaches (inline)."""
    copies, others = _copies_and_others(results)
    attacks = ["singling_out_risk", "linkability_risk"]
    return (
        f"re-drawn training rows (`resample`) reach {_span(copies[attacks[0]])} on singling out and "
        f"{_span(copies[attacks[1]])} on linkability in the grid; no other generator passes "
        f"{others[attacks].max().max():.2f} on either"
    )


def inference_risk(results) -> str:
    """The highest inference risk of copies (inline)."""
    copies, _ = _copies_and_others(results)
    return f"`resample`: {_span(copies['inference_risk_max'])}"


def membership_auc(results) -> str:
    """Membership inference's AUC on copies and on ``cart``, the generator of real values (inline)."""
    copies, others = _copies_and_others(results)
    cart = others[others["generator"] == "cart"]
    return (
        f"re-drawn training rows give {_span(copies['membership_auc'])} in the grid, smoothed `cart` "
        f"{_span(cart['membership_auc'])}"
    )


RENDERERS = {
    "grid-gate-dcr": dcr_share,
    "grid-gate-attacks": attack_risks,
    "grid-gate-inference": inference_risk,
    "grid-gate-membership": membership_auc,
}
