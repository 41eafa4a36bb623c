"""The headline metrics: the one home of their names, the stage that writes each, what it says, which
way is better and what it is read against. The gate, the grid, the experiments table and the report
derive their columns and rows from ``HEADLINE``."""

from __future__ import annotations

from dataclasses import dataclass

from synthproof.evaluation.validity import CHECKS as VALIDITY_CHECKS
from synthproof.tasks import CLASSIFICATION, REGRESSION


@dataclass(frozen=True)
class Headline:
    name: str  # the tidy metric's name in metrics/<stage>.json
    stage: str
    says: str
    better: str  # lower | higher | reference (a figure others are read against)
    reference: str | float | None = None  # the metric (or the value) this one is read against
    reference_says: str = ""
    summary: bool = False  # a column of the one-row-per-run tables (experiments, grid)
    task: str | None = None  # the task it exists for (classification or regression); None: both
    question: str | None = None  # which of the three answers (synthproof.answers) a gate check on it decides
    missing_says: str = ""  # what a run without this figure means (the gate's line says it)
    # in the stage's cost file (paths.cost.<stage>), not its metrics: it varies from run to run, so the
    # report (the same bytes every run) leaves it out; the grid and the experiments tables show it
    cost: bool = False


# what a run without a validity check's figure means: the table has no column the check applies to
VALIDITY_NOT_CHECKED = {
    "boundary_adherence": "not checked: the table has no numeric or date column",
    "category_adherence": "not checked: the table has no categorical column",
    "format_adherence": "not checked: the table has no categorical column",
    "key_uniqueness": "not checked: the table has no key column (schema kind id)",
}

_METRICS = [
    Headline("train_rows", "split", "training rows", "reference", summary=True),
    Headline(
        "discriminator_auc", "discriminate", "discriminator AUC (fake vs real)", "lower",
        "floor_auc", "floor: real training rows vs real holdout", summary=True,
    ),
    Headline("floor_auc", "discriminate", "real-vs-real AUC (the floor)", "reference", summary=True),
    Headline("auc_above_floor", "discriminate", "discriminator AUC minus its floor", "lower",
             "floor_auc", "the real-vs-real AUC", summary=True, question="realistic"),
    Headline(
        "discriminator_accuracy", "discriminate", "discriminator accuracy", "lower",
        "floor_accuracy", "floor",
    ),
    Headline("floor_accuracy", "discriminate", "real-vs-real accuracy (the floor)", "reference"),
    Headline(
        "unseen_pair_share", "discriminate", "rows with a pair of values (numbers by bin) no real row holds",
        "lower", "holdout_unseen_pair_share", "the holdout's own share (rare real pairs)", summary=True,
    ),
    Headline(
        "unseen_pair_share_above_holdout", "discriminate",
        "rows with a pair no real row holds, beyond the holdout's own share", "lower",
        "holdout_unseen_pair_share", "the holdout's own share (rare real pairs)", question="realistic",
    ),
    Headline("holdout_unseen_pair_share", "discriminate", "holdout rows with a pair no training row holds",
             "reference", summary=True),
    Headline(
        "tstr_accuracy", "compare", "accuracy on the holdout, trained on synthetic (TSTR)", "higher",
        "trtr_accuracy", "trained on real (TRTR)", summary=True, task=CLASSIFICATION),
    Headline("trtr_accuracy", "compare", "accuracy on the holdout, trained on real (TRTR)", "reference",
             summary=True, task=CLASSIFICATION),
    Headline("ratio_accuracy", "compare", "TSTR / TRTR accuracy", "higher", "trtr_accuracy",
             "the real-trained model's", summary=True, task=CLASSIFICATION, question="useful"),
    Headline("tstr_auc", "compare", "AUC on the holdout, TSTR", "higher", "trtr_auc", "TRTR",
             task=CLASSIFICATION),
    Headline("trtr_auc", "compare", "AUC on the holdout, TRTR", "reference", task=CLASSIFICATION),
    Headline("tstr_f1", "compare", "F1 on the holdout, TSTR", "higher", "trtr_f1", "TRTR",
             task=CLASSIFICATION),
    Headline("trtr_f1", "compare", "F1 on the holdout, TRTR", "reference", task=CLASSIFICATION),
    Headline("tstr_mcc", "compare", "MCC on the holdout, TSTR", "higher", "trtr_mcc", "TRTR", summary=True,
             task=CLASSIFICATION),
    Headline("trtr_mcc", "compare", "MCC on the holdout, TRTR", "reference", summary=True,
             task=CLASSIFICATION),
    Headline("ratio_mcc", "compare", "TSTR / TRTR Matthews correlation", "higher", "trtr_mcc",
             "the real-trained model's", summary=True, task=CLASSIFICATION, question="useful"),
    Headline(
        "tstr_r2", "compare", "R2 on the holdout, trained on synthetic (TSTR)", "higher", "trtr_r2",
        "trained on real (TRTR)", summary=True, task=REGRESSION,
    ),
    Headline("trtr_r2", "compare", "R2 on the holdout, trained on real (TRTR)", "reference", summary=True,
             task=REGRESSION),
    Headline("ratio_r2", "compare", "TSTR / TRTR R2", "higher", "trtr_r2", "the real-trained model's",
             summary=True, task=REGRESSION, question="useful"),
    Headline("tstr_rmse", "compare", "RMSE on the holdout, TSTR", "lower", "trtr_rmse", "TRTR",
             task=REGRESSION),
    Headline("trtr_rmse", "compare", "RMSE on the holdout, TRTR", "reference", task=REGRESSION),
    Headline("ratio_rmse", "compare", "TSTR / TRTR RMSE (1: as good as real rows)", "lower", 1.0,
             "the real-trained model's own error", summary=True, task=REGRESSION),
    Headline("tstr_mae", "compare", "MAE on the holdout, TSTR", "lower", "trtr_mae", "TRTR", task=REGRESSION),
    Headline("trtr_mae", "compare", "MAE on the holdout, TRTR", "reference", task=REGRESSION),
    Headline(
        "quality_score", "fidelity", "quality score: column shapes and pair trends, 0-100", "higher",
        "quality_ceiling", "ceiling: the real holdout's score", summary=True,
    ),
    Headline("quality_ceiling", "fidelity", "the holdout's quality score (the ceiling)", "reference",
             summary=True),
    Headline("column_shapes", "fidelity", "column shapes", "higher", "column_shapes_ceiling", "ceiling"),
    Headline("column_shapes_ceiling", "fidelity", "the holdout's column shapes", "reference"),
    Headline("pair_trends", "fidelity", "column pair trends", "higher", "pair_trends_ceiling", "ceiling"),
    Headline("pair_trends_ceiling", "fidelity", "the holdout's column pair trends", "reference"),
    Headline("marginal_accuracy", "fidelity", "accuracy: 1 - TVD over binned columns, pairs and triples "
             "(mostlyai-qa's)", "higher", "holdout_marginal_accuracy", "the holdout's own", summary=True),
    Headline("holdout_marginal_accuracy", "fidelity", "the holdout's accuracy", "reference"),
    Headline("marginal_accuracy_trivariate", "fidelity", "accuracy over triples of columns", "higher",
             "holdout_marginal_accuracy_trivariate", "the holdout's own", summary=True),
    Headline("holdout_marginal_accuracy_trivariate", "fidelity", "the holdout's trivariate accuracy",
             "reference", summary=True),
    *(
        Headline(f"validity_{check}", "fidelity", f"validity: {check.replace('_', ' ')}", "higher",
                 f"holdout_validity_{check}", "the holdout's own", missing_says=VALIDITY_NOT_CHECKED[check])
        for check in VALIDITY_CHECKS
    ),
    *(
        Headline(f"holdout_validity_{check}", "fidelity", f"the holdout's {check.replace('_', ' ')}",
                 "reference", missing_says=VALIDITY_NOT_CHECKED[check])
        for check in VALIDITY_CHECKS
    ),
    Headline("alpha_precision", "fidelity", "alpha-precision: synthetic rows where real rows are", "higher",
             "holdout_alpha_precision", "the holdout's own", summary=True),
    Headline("holdout_alpha_precision", "fidelity", "the holdout's alpha-precision", "reference",
             summary=True),
    Headline("beta_recall", "fidelity", "beta-recall: real rows the synthetic rows cover", "higher",
             "holdout_beta_recall", "the holdout's own", summary=True),
    Headline("holdout_beta_recall", "fidelity", "the holdout's beta-recall", "reference", summary=True),
    Headline("authenticity", "fidelity",
             "authenticity: synthetic rows farther from real ones than those from each other", "higher",
             "holdout_authenticity", "the holdout's own (no copies)", summary=True),
    Headline("holdout_authenticity", "fidelity", "the holdout's authenticity", "reference", summary=True),
    Headline(
        "exact_copy_share", "privacy", "exact copies of training rows", "lower",
        "holdout_exact_copy_share", "the holdout's own share (real duplicates)", summary=True,
    ),
    Headline("holdout_exact_copy_share", "privacy", "holdout rows equal to a training row", "reference"),
    Headline(
        "real_exact_copy_share", "privacy",
        "real rows equal to a training row (holdout rows, and training rows equal to another)", "reference",
    ),
    Headline(
        "exact_copy_share_above_holdout", "privacy", "exact copies above the real rows' own share", "lower",
        "real_exact_copy_share", "the real rows' own share (real duplicates)", summary=True,
        question="private",
    ),
    Headline(
        "near_copy_share_above_holdout", "privacy",
        "near copies (near a training row, not on it, as few real rows are) beyond the real rows'", "lower",
        "real_near_copy_share", "the real rows' own share", summary=True, question="private",
    ),
    Headline("holdout_near_copy_share", "privacy", "holdout rows as near a training row", "reference"),
    Headline("real_near_copy_share", "privacy", "real rows as near a training row (holdout and training)",
             "reference"),
    Headline(
        "dcr_share", "privacy", "DCR share (closer to training than to holdout)", "lower",
        0.5, "no memorising", summary=True, question="private",
    ),
    Headline(
        "dcr_median_train", "privacy", "median distance to the closest training row", "higher",
        "holdout_dcr_median_train", "the holdout's",
    ),
    Headline("holdout_dcr_median_train", "privacy", "the holdout's median distance to training",
             "reference"),
    Headline(
        "singling_out_risk", "privacy", "singling out: predicates on a few columns that isolate one person",
        "lower", 0.0, "the control (holdout) rows: 0 is no more than the population gives away", summary=True,
        question="private",
    ),
    Headline(
        "singling_out_univariate_risk", "privacy", "singling out by one rare value or extreme", "lower",
        0.0, "the control rows", question="private",
    ),
    Headline(
        "linkability_risk", "privacy", "linkability: two halves of a person linked through synthetic rows",
        "lower", 0.0, "the control rows", summary=True, question="private",
    ),
    Headline(
        "inference_risk_max", "privacy", "inference: a secret column guessed from the others (the worst)",
        "lower", 0.0, "the control rows", summary=True, question="private",
    ),
    Headline(
        "dp_epsilon", "train", "differential privacy: the epsilon the generator spent (at dp_delta)", "lower",
        summary=True, question="private",
        missing_says="no guarantee: the generator trained without differential privacy",
    ),
    Headline("dp_delta", "train", "differential privacy: delta, the chance the guarantee fails", "reference",
             missing_says="no guarantee: the generator trained without differential privacy"),
    Headline(
        "membership_auc", "privacy", "membership inference: AUC telling training rows from unseen ones",
        "lower", 0.5, "a coin: the synthetic rows tell members from non-members no better", summary=True,
        question="private",
    ),
    Headline("train_seconds", "train", "training seconds", "lower", summary=True, cost=True),
    Headline("train_peak_memory_mb", "train", "training peak memory (MB)", "lower", summary=True, cost=True),
    Headline("sample_seconds", "sample", "sampling seconds", "lower", summary=True, cost=True),
]  # fmt: skip

HEADLINE: dict[str, Headline] = {metric.name: metric for metric in _METRICS}
SUMMARY: list[str] = [metric.name for metric in _METRICS if metric.summary]


def task_of(metrics: dict[str, dict]) -> str:
    """The run's task, as its compare metrics say: regression when they hold the real-trained model's R2
    (classification until compare has run)."""
    return REGRESSION if "trtr_r2" in metrics.get("compare", {}) else CLASSIFICATION


def applies(metrics: dict[str, dict], name: str) -> bool:
    """Whether the headline metric ``name`` exists for this run's task."""
    return HEADLINE[name].task in (None, task_of(metrics))


def value(metrics: dict[str, dict], name: str):
    """The headline metric ``name`` from a run's metrics (stage -> that stage's metrics), or None."""
    return metrics.get(HEADLINE[name].stage, {}).get(name)


def interval(metrics: dict[str, dict], name: str) -> tuple[float, float] | None:
    """Its 95% interval (``<name>_low``, ``<name>_high``), where the stage writes one."""
    stage = metrics.get(HEADLINE[name].stage, {})
    low, high = stage.get(f"{name}_low"), stage.get(f"{name}_high")
    return None if low is None or high is None else (low, high)


def shown(metrics: dict[str, dict], name: str, with_name: bool = True) -> str:
    """``name = value [low, high]``, as the gate and the report write a figure."""
    figure, bounds = value(metrics, name), interval(metrics, name)
    if figure is None:
        return f"{name} = missing" if with_name else ""
    text = f"{figure:.4g}" if isinstance(figure, float) else str(figure)
    if bounds is not None:
        text += f" [{bounds[0]:.4g}, {bounds[1]:.4g}]"
    return f"{name} = {text}" if with_name else text
