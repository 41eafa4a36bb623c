"""Figures, saved as PNG files a person can open directly."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on CI or in DVC's workers
import matplotlib.pyplot as plt
import pandas as pd

from synthproof.io import atomic_path

# Labels are a table's names and values: "$" is a dollar sign, never TeX (a name "$\frac{$" would crash)
matplotlib.rcParams["text.parse_math"] = False

# Every figure fits these bounds whatever the width of the table or the number of classes: the
# report embeds them all and stays a few MB.
DPI = 110
MAX_PIXELS = (1800, 2000)  # width, height
MAX_BYTES = 800_000
TOP_COLUMNS = 20  # the give-away figure's columns per panel
TOP_PANELS = 16  # the distributions figure's columns
WORST_PAIRS = 6  # the pair figure's rows


def save_figure(figure: plt.Figure, path: str | Path) -> None:
    """Save ``figure`` as PNG atomically, then close it. A PNG beyond ``MAX_PIXELS`` or ``MAX_BYTES``
    is saved again at a lower resolution until it fits."""
    dpi = DPI
    with atomic_path(path) as tmp:
        while True:
            figure.savefig(tmp, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
            (width, height), size = png_size(tmp), Path(tmp).stat().st_size
            shrink = min(1.0, MAX_PIXELS[0] / width, MAX_PIXELS[1] / height, (MAX_BYTES / size) ** 0.5)
            if shrink >= 1.0 or dpi <= 20:
                break
            dpi = max(20, int(dpi * shrink * 0.97))
    plt.close(figure)


def png_size(path: str | Path) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    header = Path(path).read_bytes()[16:24]
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


def _tight(figure: plt.Figure) -> None:
    """``tight_layout`` that leaves room for a suptitle."""
    top = 1 - 0.4 / figure.get_figheight() if figure.get_suptitle() else 1
    figure.tight_layout(rect=(0, 0, 1, top))


def _short(label, length: int = 32) -> str:
    """A column name or category cut to fit a tick label."""
    text = str(label)
    return text if len(text) <= length else text[: length - 1] + "…"


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


def importance_figure(columns: pd.DataFrame, top: int = TOP_COLUMNS) -> plt.Figure:
    """Per column: the discriminator's importance share and the AUC of a one-column discriminator. A
    table wider than ``top`` columns shows the ``top`` columns by each measure, each panel its own."""
    n = len(columns)
    if n <= top:  # every column, one row each across both panels
        panels = [columns.sort_values("importance")] * 2
        titles = ["What gives fakes away", "Each column alone"]
    else:
        panels = [columns.nlargest(top, measure).sort_values(measure) for measure in ("importance", "auc")]
        titles = [f"The {top} of {n} columns with the most gain", f"The {top} of {n} best alone"]
    rows = min(n, top)
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 0.35 * rows + 1.5), sharey=n <= top)
    left.barh([_short(c) for c in panels[0]["column"]], panels[0]["importance"])
    left.set_xlabel("share of the discriminator's gain")
    right.barh([_short(c) for c in panels[1]["column"]], panels[1]["auc"] - 0.5, left=0.5)
    right.axvline(0.5, color="grey", lw=1)
    right.set_xlim(0.45, 1.0)
    right.set_xlabel("AUC of a one-column discriminator")
    for axis, title in zip((left, right), titles, strict=True):
        axis.set_title(title)
        axis.tick_params(axis="y", labelsize=8)
    if n > top:
        figure.suptitle(f"All {n} columns: plots/discriminate/columns.csv", fontsize=9)
    _tight(figure)
    return figure


def distributions_figure(
    distributions: pd.DataFrame, shapes: pd.DataFrame, top: int = TOP_PANELS
) -> plt.Figure:
    """One small panel per column, real vs synthetic shares (``distributions``: categories or bins of
    the real range, :func:`synthproof.evaluation.fidelity.distributions`), titled with the column's
    shape score (``shapes``: column, score). A table of more than ``top`` columns shows its ``top``
    worst columns, worst first."""
    import numpy as np

    shapes = shapes.set_index("column")["score"]
    columns = list(shapes.index) if len(shapes) <= top else list(shapes.nsmallest(top).index)
    n_cols = 4
    n_rows = max(1, -(-len(columns) // n_cols))
    figure, axes = plt.subplots(n_rows, n_cols, figsize=(4 * n_cols, 2.8 * n_rows), squeeze=False)
    for axis, name in zip(axes.flat, columns, strict=False):
        shares = distributions[distributions["column"] == name]
        if (shares["kind"] == "categorical").all():
            positions = np.arange(len(shares))
            axis.bar(positions - 0.2, shares["real"], width=0.4, label="real")
            axis.bar(positions + 0.2, shares["synthetic"], width=0.4, label="synthetic")
            axis.set_xticks(positions, [_short(v, 10) for v in shares["value"]], rotation=60, fontsize=7)
        else:
            width = shares["bin_end"] - shares["bin_start"]
            for side in ("real", "synthetic"):
                axis.bar(shares["bin_start"], shares[side], width=width, align="edge", alpha=0.6, label=side)
            axis.tick_params(labelsize=7)
        axis.set_title(f"{_short(name)} (shape {shapes[name]:.3f})", fontsize=9)
    for axis in list(axes.flat)[len(columns) :]:
        axis.axis("off")
    axes.flat[0].legend(fontsize=7)
    if len(shapes) > top:
        figure.suptitle(
            f"The {top} of {len(shapes)} columns with the lowest shape score; all of them: "
            "plots/fidelity/distributions.csv"
        )
    _tight(figure)
    return figure


def correlations_figure(
    real: pd.DataFrame, synthetic: pd.DataFrame, method: str, top: int = TOP_COLUMNS
) -> plt.Figure:
    """Correlation matrices of the numeric columns: real, synthetic, and their absolute difference;
    of more than ``top`` numeric columns, the ``top`` whose correlations differ the most."""
    difference = (real - synthetic).abs()
    shown, cut = list(real.columns), len(real.columns) > top
    if cut:
        shown = difference.max().fillna(0).nlargest(top).index.tolist()
        real, synthetic, difference = (m.loc[shown, shown] for m in (real, synthetic, difference))
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.6 if len(shown) <= 12 else 6.5))
    panels = (("real", real, "coolwarm", -1), ("synthetic", synthetic, "coolwarm", -1))
    panels += (("|real - synthetic|", difference, "Reds", 0),)
    for axis, (title, matrix, colours, low) in zip(axes, panels, strict=True):
        image = axis.imshow(matrix.to_numpy(), cmap=colours, vmin=low, vmax=1)
        labels = [_short(c, 16) for c in matrix.columns]
        axis.set_xticks(range(len(matrix)), labels, rotation=60, fontsize=7)
        axis.set_yticks(range(len(matrix)), labels, fontsize=7)
        axis.set_title(f"{title} ({method})")
        figure.colorbar(image, ax=axis, fraction=0.046)
    if len(real) < 2:
        figure.suptitle("fewer than two numeric columns: no correlations to compare")
    elif cut:
        figure.suptitle(f"The {len(shown)} numeric columns whose correlations differ the most")
    _tight(figure)
    return figure


def pairs_figure(views: list[dict]) -> plt.Figure:
    """The worst column pairs, a row each: the real view and the synthetic view side by side (a
    scatter for two numbers, joint shares otherwise), as :func:`synthproof.evaluation.fidelity.pair_views`
    gives them."""
    rows = max(1, len(views))
    figure, axes = plt.subplots(rows, 2, figsize=(11, 3.0 * rows), squeeze=False)
    for (left, right), view in zip(axes, views, strict=False):
        sides = (("real", left, view["real"]), ("synthetic", right, view["synthetic"]))
        title = f"pair trend {view['score']:.3f}, holdout's {view['holdout_score']:.3f}"
        if view["kind"] == "scatter":
            for side, axis, points in sides:
                axis.scatter(
                    points[:, 0], points[:, 1], s=3, alpha=0.3, color="C0" if side == "real" else "C1"
                )
        else:
            high = max(float(view["real"].max()), float(view["synthetic"].max()), 1e-9)
            for _, axis, shares in sides:
                axis.imshow(shares, cmap="Blues", vmin=0, vmax=high, aspect="auto")
                axis.set_xticks(range(len(view["b_labels"])), [_short(v, 10) for v in view["b_labels"]],
                                rotation=60, fontsize=6)  # fmt: skip
                axis.set_yticks(
                    range(len(view["a_labels"])), [_short(v, 12) for v in view["a_labels"]], fontsize=6
                )
        for side, axis, _ in sides:
            axis.set_xlabel(_short(view["b"]), fontsize=8)
            axis.set_ylabel(_short(view["a"]), fontsize=8)
            axis.set_title(f"{side}" + ("" if side == "real" else f" ({title})"), fontsize=9)
            axis.tick_params(labelsize=6)
    if not views:
        axes[0, 0].text(0.5, 0.5, "fewer than two columns: no pairs", ha="center")
    figure.suptitle(
        "The column pairs furthest below the holdout's pair trend (all pairs: plots/fidelity/pair_trends.csv)"
    )
    _tight(figure)
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
    if max(v.max() for v in values if v.notna().any()) <= 1:  # a score (Accuracy, R2), not an error
        axis.set_xlim(max(0.0, low - 0.05), 1.0)
    axis.legend(loc="lower right")
    axis.set_title("Leaderboards: synthetic vs real training rows")
    return figure


def roc_figure(curves: pd.DataFrame) -> plt.Figure:
    """ROC curves on the real holdout (:func:`synthproof.evaluation.compare.roc_points`). A binary
    target: one curve per model. Multiclass: a panel per model, one one-vs-rest curve per class with its
    AUC and support, and the support-weighted mean of those AUCs, which is the headline AUC."""
    owner = curves["trained_on"] + ":" + curves["model_id"]  # the refit's label, a panel each if multiclass
    multiclass = len(curves) and curves.groupby(owner)["class"].nunique().max() > 1
    panels = list(dict.fromkeys(owner)) if multiclass else [None]
    figure, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 5), squeeze=False)
    for axis, model in zip(axes[0], panels, strict=True):
        shown = curves if model is None else curves[owner == model]
        for label, curve in shown.groupby("model" if model is None else "class", sort=False):
            first = curve.iloc[0]
            name = label if model is None else _short(label, 20)
            axis.plot(
                curve["fpr"], curve["tpr"], label=f"{name} (AUC {first['auc']:.3f}, n={first['support']})"
            )
        axis.plot([0, 1], [0, 1], color="grey", lw=1, ls="--")
        axis.set_xlabel("false positive rate")
        axis.set_ylabel("true positive rate")
        if model is None:
            axis.set_title("ROC on the real holdout")
        else:
            per_class = shown.groupby("class").first()
            weighted = (per_class["auc"] * per_class["support"]).sum() / per_class["support"].sum()
            axis.set_title(
                f"{model}, one-vs-rest per class\nheadline AUC: support-weighted mean {weighted:.3f}",
                fontsize=9,
            )
        axis.legend(fontsize=7, loc="lower right", ncol=1 + len(axis.get_lines()) // 16)
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


def placeholder_figure(text: str) -> plt.Figure:
    """A small figure that says why a declared plot has nothing to show for this run (DVC needs the file)."""
    figure, axis = plt.subplots(figsize=(6, 1.2))
    axis.axis("off")
    axis.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, wrap=True)
    return figure


def _prediction_panels(points: pd.DataFrame, y: str, title: str, diagonal: bool) -> plt.Figure:
    """A panel per model (``model``) of its holdout rows: ``y`` against the truth or the prediction."""
    models = list(dict.fromkeys(points["model"]))
    figure, axes = plt.subplots(1, len(models), figsize=(5 * len(models), 4.6), squeeze=False)
    for axis, model in zip(axes[0], models, strict=True):
        rows = points[points["model"] == model]
        x = rows["actual"] if diagonal else rows["predicted"]
        axis.scatter(x, rows[y], s=4, alpha=0.3, rasterized=True)
        low, high = min(x.min(), rows[y].min()), max(x.max(), rows[y].max())
        if diagonal:
            axis.plot([low, high], [low, high], color="grey", lw=1, ls="--", label="predicted = actual")
        else:
            axis.axhline(0, color="grey", lw=1, ls="--", label="no error")
        first = rows.iloc[0]
        axis.set_title(
            f"{model}\nR2 {first['r2']:.3f}, RMSE {first['rmse']:.4g} (n={len(rows):,})", fontsize=9
        )
        axis.set_xlabel("actual" if diagonal else "predicted")
        axis.set_ylabel(y)
        axis.legend(fontsize=7, loc="upper left")
        axis.grid(alpha=0.3)
    figure.suptitle(title)
    _tight(figure)
    return figure


def predictions_figure(points: pd.DataFrame) -> plt.Figure:
    """Predicted against actual on the real holdout, a panel per best model
    (:func:`synthproof.evaluation.compare.prediction_points`); on the dashed line a prediction is right."""
    return _prediction_panels(points, "predicted", "Predicted vs actual on the real holdout", diagonal=True)


def residuals_figure(points: pd.DataFrame) -> plt.Figure:
    """Residuals (predicted minus actual) against the prediction on the real holdout, a panel per best
    model: a trend or a funnel is what the model did not learn."""
    return _prediction_panels(points, "residual", "Residuals on the real holdout", diagonal=False)
