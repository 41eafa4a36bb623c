"""The three answers a reader wants first: Useful? Realistic? Private?

Each answer is the gate's verdict over the checks of its question (``Headline.question``): no when one
fails, undecided when none fails but one is inconclusive, yes when every check that applies passes. A
sentence gives the key figure with its interval and reference, and where to look next. The report opens
with them and ``python -m synthproof.gate`` prints them before its detail.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthproof.checks import FAIL, INCONCLUSIVE, NOT_APPLICABLE, PASS, Outcome
from synthproof.headline import HEADLINE, interval, shown, task_of
from synthproof.tasks import REGRESSION

QUESTIONS = {"useful": "Useful?", "realistic": "Realistic?", "private": "Private?"}
WORDS = {PASS: "yes", FAIL: "no", INCONCLUSIVE: "undecided", NOT_APPLICABLE: "n/a"}


@dataclass(frozen=True)
class Answer:
    """One question's verdict (the gate's: pass, FAIL, inconclusive or n/a), in words and with why."""

    question: str
    verdict: str
    sentence: str

    @property
    def word(self) -> str:
        return WORDS[self.verdict]

    def line(self) -> str:
        return f"{self.question:<11} {self.word:<10} {self.sentence}"


def combined(outcomes: list[Outcome]) -> str:
    """One verdict for several checks: a failure decides, then an inconclusive one, then the passes."""
    verdicts = {o.verdict for o in outcomes} - {NOT_APPLICABLE}
    for verdict in (FAIL, INCONCLUSIVE, PASS):
        if verdict in verdicts:
            return verdict
    return NOT_APPLICABLE


def three_answers(
    outcomes: list[Outcome], metrics: dict[str, dict], details: dict[str, dict]
) -> list[Answer]:
    """Useful?, Realistic? and Private?, from the gate's ``outcomes`` on a run's ``metrics`` (stage ->
    tidy metrics) and ``details`` (stage -> whole result)."""
    sentences = {"useful": _useful, "realistic": _realistic, "private": _private}
    answers = []
    for key, question in QUESTIONS.items():
        asked = [o for o in outcomes if HEADLINE[o.check.metric].question == key]
        answers.append(Answer(question, combined(asked), sentences[key](asked, metrics, details)))
    return answers


def verdict_figures(answers: list[Answer], outcomes: list[Outcome]) -> dict:
    """The answers and the figures the gate judged, grouped by question, for ``paths.verdict``: one
    ``dvc exp show`` column each (``useful.answer``, ``realistic.auc_above_floor_low``, ...), the first
    columns it shows, so that experiments read as verdicts before their detail."""
    figures = {}
    for key, answer in zip(QUESTIONS, answers, strict=True):
        group = {"answer": answer.word}
        for outcome in outcomes:
            metric = outcome.check.metric
            if HEADLINE[metric].question != key or outcome.verdict == NOT_APPLICABLE:
                continue
            group[metric] = outcome.value
            bounds = interval(outcome.metrics, metric)
            if bounds is not None:
                group[f"{metric}_low"], group[f"{metric}_high"] = bounds
        figures[key] = group
    return figures


def _figure(metrics: dict[str, dict], name: str) -> str:
    return shown(metrics, name, with_name=False) or "missing"


def _useful(outcomes, metrics, details) -> str:
    if task_of(metrics) == REGRESSION:
        said = (
            f"a model trained on synthetic rows explains {_figure(metrics, 'ratio_r2')} of the variance the "
            f"real-trained model explains on the holdout (R2 {_figure(metrics, 'tstr_r2')} against "
            f"{_figure(metrics, 'trtr_r2')})"
        )
    else:
        said = (
            f"a model trained on synthetic rows reaches {_figure(metrics, 'ratio_accuracy')} of the "
            f"real-trained model's accuracy on the holdout ({_figure(metrics, 'tstr_accuracy')} against "
            f"{_figure(metrics, 'trtr_accuracy')}), and {_figure(metrics, 'ratio_mcc')} of its Matthews "
            "correlation"
        )
    compare = details.get("compare", {})
    missing = compare.get("classes", {}).get("missing_in_synthetic", [])
    never = compare.get("never_predicted", {}).get(f"synthetic:{compare.get('best_synthetic_model')}", [])
    look = "the leaderboards"
    if missing:
        look = f"the classes the synthetic table lacks: {', '.join(map(str, missing))}"
    elif never:
        look = f"the classes the synthetic-trained model never predicts: {', '.join(map(str, never))}"
    return f"{said}; look next at {look}."


def _realistic(outcomes, metrics, details) -> str:
    top = details.get("discriminate", {}).get("top_giveaway_columns") or []
    look = f"the columns that give fakes away most: {', '.join(top)}" if top else "the most-fake records"
    return (
        f"a classifier tells synthetic from real rows at AUC {_figure(metrics, 'discriminator_auc')} "
        f"(0.5: it cannot), beside {_figure(metrics, 'floor_auc')} for real rows against real rows; look "
        f"next at {look}."
    )


def _private(outcomes, metrics, details) -> str:
    judged = [o for o in outcomes if o.verdict != NOT_APPLICABLE and o.value is not None]
    if not judged:
        return "no privacy figure to judge."
    # the check nearest its threshold (or furthest beyond it), on the unsafe end of its interval
    closest = max(judged, key=_margin_used)
    passed = sum(o.verdict == PASS for o in judged)
    column = details.get("privacy", {}).get("inference_risk_max_column")
    where = f" ({column})" if column and closest.check.metric == "inference_risk_max" else ""
    # the attacks: risks beyond a control (0), and membership inference's AUC beyond a coin's (0.5)
    attacks = [o for o in judged if "_risk" in o.check.metric or o.check.metric == "membership_auc"]
    beaten = [
        o.check.metric
        for o in attacks
        if (interval(o.metrics, o.check.metric) or (0, 0))[0] > HEADLINE[o.check.metric].reference
    ]
    if not attacks:
        said = ""
    elif beaten:
        said = f"{len(beaten)} of {len(attacks)} attacks beat their control ({', '.join(beaten)}); "
    else:
        said = f"no attack of {len(attacks)} beats its control; "
    return (
        f"{passed} of {len(judged)} checks pass; {said}the closest to its threshold is "
        f"{shown(metrics, closest.check.metric)}{where} against gate.{closest.check.threshold} "
        f"{'<=' if closest.check.bound == 'max' else '>='} {closest.limit:g}; DCR share "
        f"{_figure(metrics, 'dcr_share')} (0.5: no row memorised); {_guarantee(metrics)}; look next at the "
        "privacy attacks."
    )


def _guarantee(metrics: dict[str, dict]) -> str:
    """The differential-privacy guarantee, or that there is none: attacks bound only themselves."""
    epsilon, delta = metrics.get("train", {}).get("dp_epsilon"), metrics.get("train", {}).get("dp_delta")
    if epsilon is None:
        return "no formal guarantee (trained without differential privacy: each attack bounds only itself)"
    return (
        f"differential privacy: epsilon {epsilon:.3g} at delta {delta:.2g} bounds what any attack learns of "
        "one training row from the trained network (the wrapper's category lists and ranges aside)"
    )


def _margin_used(outcome: Outcome) -> float:
    """How far the unsafe end of the figure's interval reaches toward its threshold (1: at it)."""
    low, high = interval(outcome.metrics, outcome.check.metric) or (outcome.value, outcome.value)
    unsafe = high if outcome.check.bound == "max" else low
    # measured from the figure's reference where it has one on the safe side of the threshold (a coin's
    # AUC of 0.5, the DCR share of 0.5), so that a figure at its reference has used none of its margin
    reference = HEADLINE[outcome.check.metric].reference
    if outcome.check.bound == "min":
        if isinstance(reference, float) and reference > outcome.limit:
            return (reference - unsafe) / (reference - outcome.limit)
        return outcome.limit / unsafe if unsafe else float("inf")
    start = reference if isinstance(reference, float) and reference < outcome.limit else 0.0
    return (unsafe - start) / (outcome.limit - start) if outcome.limit > start else float(unsafe > start)
