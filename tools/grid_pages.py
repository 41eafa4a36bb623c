"""The gate table's figures from the grid (``docs/evaluation.md#the-gate``): what the re-drawn training rows
(``resample``, copies) and every other generator score on a line, rendered from ``grid/results.csv``
(``tools/docs.py`` registers them), so the rationale quotes the committed grid, not an older run."""

from __future__ import annotations

import json

import pandas as pd

from synthproof.headline import shown
from synthproof.stage_files import stage_seconds
from tools.bench_pages import _read, span

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


INDEPENDENT = "independent"  # the grid's floor: each column drawn alone, no relationship kept


def _cell(results, dataset: str, generator: str) -> pd.Series | None:
    """The grid table's row of one cell, or None where the grid has no such cell."""
    grid = results.grid
    rows = grid[(grid["dataset"] == dataset) & (grid["generator"] == generator)]
    return rows.iloc[0] if len(rows) else None


def independent_accuracy(results) -> str:
    """What independent columns reach on census, the accuracy line's reason (inline)."""
    row = _cell(results, "census", INDEPENDENT)
    return (
        f"on census, `independent` columns reach only the majority rate (TSTR accuracy "
        f"{row['tstr_accuracy']:.3f}, a ratio of {row['ratio_accuracy']:.3f})"
    )


def independent_mcc(results) -> str:
    """Where accuracy cannot see a model that learnt nothing: independent columns on bank marketing
    (inline)."""
    row = _cell(results, "bank_marketing", INDEPENDENT)
    return (
        f'on bank marketing, mostly "no", `independent` columns give a model whose accuracy ratio is '
        f"{row['ratio_accuracy']:.3f} and whose MCC ratio is {row['ratio_mcc']:.3f}"
    )


def grid_minutes(results) -> str:
    """How long the committed grid's stages took, from every cell's cost files (inline)."""
    cells = results.root / results.params.paths.grid.cells
    seconds = sum(  # a cost file is named after its stage, as read_stage_cost reads it
        stage_seconds({path.stem: json.loads(path.read_text())}, path.stem) or 0
        for path in cells.glob("**/metrics/cost/*.json")
    )
    return f"{seconds / 60:.0f} minutes of stage time"


def membership_known_answers(results) -> str:
    """Membership inference's AUC on census for copies, columns drawn apart and smoothed ``cart`` (inline)."""
    said = {
        COPIES: "re-drawn training rows (`resample`)",
        INDEPENDENT: "each column drawn apart (`independent`)",
        "cart": "smoothed `cart`",
    }
    figures = [
        f"{words} {shown(results.grid_metrics('census', generator), 'membership_auc', with_name=False)}"
        for generator, words in said.items()
    ]
    return "; ".join(figures)


def random_forest_discriminator(results) -> str:
    """docs/grid.md: the random forest's AUC per generator beside LightGBM's (the grid's own), the order of
    the generators on each table, and what the forest makes of copies (block)."""
    forest, grid = _read(results, "grid_random_forest"), results.grid
    out, orders = [], {}
    for dataset, found in forest.items():
        lightgbm = grid[grid["dataset"] == dataset].set_index("generator")["discriminator_auc"]
        ranked = sorted((g for g in found if g not in ("floor", COPIES)), key=found.get)
        orders[dataset] = (ranked, sorted(ranked, key=lightgbm.get))
        out += [
            f"- {dataset}, random forest (LightGBM in brackets), floor {found['floor']:.3f}: "
            + "; ".join(f"`{g}` {found[g]:.3f} ({lightgbm[g]:.3f})" for g in ranked)
            + "."
        ]
    same = [dataset for dataset, (by_forest, by_lightgbm) in orders.items() if by_forest == by_lightgbm]
    copies = [forest[d][COPIES] for d in forest]
    copies_lightgbm = grid[grid["generator"] == COPIES]["discriminator_auc"]
    out += [
        "",
        f"The two rank the generators alike on {' and '.join(same) or 'no table'}"
        + (
            f", differently on {' and '.join(d for d in orders if d not in same)}"
            if len(same) < len(orders)
            else ""
        )
        + f". On `resample`'s copies the random forest scores {span(copies, 2)}, where LightGBM reads "
        f"{span(copies_lightgbm, 2)}.",
    ]
    return "\n".join(out)


ARGN = "tabular_argn"
NOTEBOOK_GOAL = {"max_auc": 0.70, "min_ratio_accuracy": 0.97}  # the MOSTLY AI notebook's goal for its run


def argn_cells(results) -> str:
    """docs/generators.md: TabularARGN's grid cells, each beside CTGAN's and the MOSTLY AI notebook's goal
    (block)."""
    grid = results.grid
    out = [
        "The MOSTLY AI notebook's goal for its run: discriminator AUC at most "
        f"{NOTEBOOK_GOAL['max_auc']:.2f}, TSTR/TRTR accuracy at least "
        f"{NOTEBOOK_GOAL['min_ratio_accuracy']:.2f}, no more copies than the holdout's own.",
        "",
    ]
    for _, row in grid[grid["generator"] == ARGN].iterrows():
        metrics = results.grid_metrics(row["dataset"], ARGN)
        training = results.grid_training(row["dataset"], ARGN)
        ctgan = _cell(results, row["dataset"], "ctgan")
        stopped = "the time budget" if training.get("stopped_by_time_budget") else "its own validation loss"
        meets = (
            row["discriminator_auc"] <= NOTEBOOK_GOAL["max_auc"]
            and row["ratio_accuracy"] >= NOTEBOOK_GOAL["min_ratio_accuracy"]
            and row["exact_copy_share_above_holdout"] <= 0
        )
        holdout_copies = row["exact_copy_share"] - row["exact_copy_share_above_holdout"]
        out.append(
            f"- **{row['dataset']}**: {training['epochs_run']:.0f} of {training['epochs_max']} epochs in "
            f"{training['train_seconds']:.0f} s ({stopped} stopped it), a {training['model_size_mb']:.1f} MB "
            f"model; discriminator AUC {shown(metrics, 'discriminator_auc', with_name=False)} (floor "
            f"{row['floor_auc']:.3f}"
            + ("" if ctgan is None else f"; CTGAN's {ctgan['discriminator_auc']:.3f}")
            + f"), TSTR/TRTR accuracy {shown(metrics, 'ratio_accuracy', with_name=False)} (MCC ratio "
            f"{row['ratio_mcc']:.3f}), quality {row['quality_score']:.2f} (ceiling "
            f"{row['quality_ceiling']:.2f}), exact copies {row['exact_copy_share']:.2%} (the holdout's own: "
            f"{holdout_copies:.2%}), DCR share "
            f"{shown(metrics, 'dcr_share', with_name=False)}: it "
            + ("meets" if meets else "misses")
            + " the notebook's goal."
        )
    return "\n".join(out)


RENDERERS = {
    "grid-minutes": grid_minutes,
    "grid-random-forest": random_forest_discriminator,
    "grid-membership-known": membership_known_answers,
    "grid-gate-accuracy": independent_accuracy,
    "grid-gate-mcc": independent_mcc,
    "grid-argn-cells": argn_cells,
    "grid-gate-dcr": dcr_share,
    "grid-gate-attacks": attack_risks,
    "grid-gate-inference": inference_risk,
    "grid-gate-membership": membership_auc,
}
