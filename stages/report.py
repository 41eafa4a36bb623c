"""report: one self-contained HTML page with everything a reviewer needs (images embedded, no network).

reads:  every stage's metrics and details, the PNG plots, the most-fake / most-real records, the unseen
        category pairs and the synthetic rows that carry them; dvc.lock (every figure must be fresh: the
        upstream stages' records match the workspace)
writes: paths.report (DVC-cached, not committed: it shows real records); paths.verdict (the three
        answers and the figures the gate judged: the first columns of `dvc exp show`)
"""

import dataclasses

import pandas as pd

from stages.common import run
from synthproof.answers import three_answers, verdict_figures
from synthproof.checks import evaluate
from synthproof.errors import SynthproofError
from synthproof.freshness import describe, stale_stages
from synthproof.headline import task_of
from synthproof.io import read_json, write_json, write_text
from synthproof.report import ReportInputs, render
from synthproof.stage_files import read_stage_metrics
from synthproof.tasks import REGRESSION

STAGES = ("ingest", "split", "train", "sample", "discriminate", "fidelity", "privacy", "compare")
N_RECORDS = 10


PARAMS = ["*"]  # the page shows every param


def main(params):
    paths = params.paths
    stale = stale_stages()  # the page shows params.yaml: only beside the figures those params made
    if stale:
        raise SynthproofError(describe(stale))
    metrics = read_stage_metrics(paths, required=True)
    details = {stage: read_json(getattr(paths.details, stage)) for stage in STAGES}
    images = report_images(paths.plots, task_of(metrics) == REGRESSION)
    records = report_records(paths, metrics["discriminate"])
    outcomes = evaluate(params.gate, metrics)
    gate = [(o.verdict, o.describe()) for o in outcomes]
    answers = three_answers(outcomes, metrics, details)
    page = render(
        ReportInputs(
            params=dataclasses.asdict(params),
            metrics=metrics,
            details=details,
            images=images,
            records={caption: frame.head(N_RECORDS) for caption, frame in records.items()},
            gate_lines=gate,
            answers=[(a.question, a.verdict, a.word, a.sentence) for a in answers],
        )
    )
    write_text(page, paths.report)
    write_json(verdict_figures(answers, outcomes), paths.verdict)
    verdicts = [verdict for verdict, _ in gate]
    counted = ", ".join(f"{verdicts.count(v)} {v}" for v in dict.fromkeys(verdicts))
    # the pipeline's last line: where the verdict is
    said = "; ".join(f"{a.question} {a.word}" for a in answers)
    return (
        f"{said} (gate: {counted}); the verdict is in {paths.report} ({len(page) / 1e6:.1f} MB, open it "
        "in a browser; `python -m synthproof.gate` prints the gate's lines)"
    )


def report_images(plots, regression: bool) -> dict[str, str]:
    """Each figure the page shows, by its caption (the task's: predictions or ROC and confusion)."""
    return {
        "Discriminator probabilities on its holdout (stacked by true label)": plots.probabilities_image,
        "What gives fakes away: per-column importance and one-column AUC (the top 20 of each on a wide "
        "table)": plots.giveaway_columns_image,
        "Leaderboards, trained on synthetic vs on real rows": plots.leaderboards_image,
        **(
            {
                "Predicted vs actual: the best models on the real holdout": plots.predictions_image,
                "Residuals of the best models on the real holdout": plots.residuals_image,
            }
            if regression
            else {
                "ROC of the best models on the real holdout (multiclass: one-vs-rest per class, each with "
                "its AUC and support)": plots.roc_image,
                "Confusion matrix of the best synthetic-trained model on the real holdout": (
                    plots.confusion_image
                ),
            }
        ),
        "Distributions, real vs synthetic (on a wide table, the columns with the lowest shape score)": (
            plots.distributions_image
        ),
        "Correlations, real vs synthetic": plots.correlations_image,
        "The column pairs furthest below the holdout's pair trend, real and synthetic side by side": (
            plots.pairs_image
        ),
        "Privacy: distance to the closest training record, synthetic vs holdout": plots.dcr_image,
        "Privacy attacks: each risk with its 95% interval": plots.risks_image,
        "Training losses": plots.loss_image,
    }


def report_records(paths, shares: dict) -> dict[str, pd.DataFrame]:
    """Each table of records the page shows, by its caption (``shares``: the discriminate metrics)."""
    return {
        f"The {N_RECORDS} holdout records that look most fake": pd.read_csv(paths.discriminate.most_fake),
        f"The {N_RECORDS} holdout records that look most real": pd.read_csv(paths.discriminate.most_real),
        f"Category pairs no real training row holds: {shares['unseen_pair_share']:.2%} of synthetic rows "
        f"carry one (real holdout: {shares['holdout_unseen_pair_share']:.2%}); the most frequent": (
            pd.read_csv(paths.discriminate.unseen_pairs)
        ),
        "Synthetic rows that carry such a pair": pd.read_csv(paths.discriminate.unseen_pair_rows),
    }


if __name__ == "__main__":
    run(main, PARAMS)
