"""The gate's model: each threshold in ``params.yaml: gate`` as a :class:`Check`, judged on a figure's 95%
interval (:class:`Outcome`): pass when the whole interval is on the right side of the threshold, FAIL when
the whole interval is on the wrong side, inconclusive when it straddles it (more rows would decide).

A ratio to the real-trained model is not applicable when that model has no skill (its MCC interval
reaches 0; for regression, its R2 interval: no better than predicting the mean): the ratio would compare
noise with noise. A check of the other task's metric (accuracy for a numeric target, R2 for a class) is
not applicable either. ``python -m synthproof.gate`` prints these; the report and the audit read them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from synthproof.config import GateParams
from synthproof.headline import HEADLINE, applies, interval, shown, task_of, value

PASS, FAIL, INCONCLUSIVE, NOT_APPLICABLE = "pass", "FAIL", "inconclusive", "n/a"
EXIT_CODES = {PASS: 0, NOT_APPLICABLE: 0, FAIL: 1, INCONCLUSIVE: 3}
EXIT_STALE = 4


# Gate params that bound a metric of another name (the highest inference risk over the secret columns).
_METRIC_OF = {"max_inference_risk": "inference_risk_max", "max_epsilon": "dp_epsilon"}


@dataclass(frozen=True)
class Check:
    """A gate param (``max_<metric>`` or ``min_<metric>``) and the headline metric it bounds."""

    threshold: str

    @property
    def bound(self) -> str:
        return self.threshold.partition("_")[0]  # max | min

    @property
    def metric(self) -> str:
        return _METRIC_OF.get(self.threshold, self.threshold.partition("_")[2])


# One check per field of GateParams, in params.yaml order. Accuracy alone passes a table whose models
# learn only the majority class when the target is imbalanced (bank marketing: 88% "no" gives a TSTR/TRTR
# accuracy of 0.97); MCC is 0 for those, hence min_ratio_mcc.
CHECKS = [Check(item.name) for item in dataclasses.fields(GateParams)]


def _not_applicable(check: Check, metrics: dict[str, dict]) -> str | None:
    """Why ``check`` does not apply to these metrics, or None."""
    if not applies(metrics, check.metric):
        task = HEADLINE[check.metric].task
        return f"{check.metric} is a {task} figure; this target's task is {task_of(metrics)}"
    if check.metric.startswith("ratio_"):
        skill_metric = "trtr_r2" if check.metric == "ratio_r2" else "trtr_mcc"
        bounds = interval(metrics, skill_metric)
        skill = value(metrics, skill_metric) if bounds is None else bounds[0]
        if skill is not None and skill <= 0:
            return f"the real-trained model has no skill ({shown(metrics, skill_metric)})"
    return None


@dataclass(frozen=True)
class Outcome:
    check: Check
    limit: float
    metrics: dict[str, dict]

    @property
    def value(self) -> float | None:
        return value(self.metrics, self.check.metric)

    @property
    def verdict(self) -> str:
        if _not_applicable(self.check, self.metrics):
            return NOT_APPLICABLE
        if self.value is None:
            return FAIL
        low, high = interval(self.metrics, self.check.metric) or (self.value, self.value)
        inside, outside = (
            (high <= self.limit, low > self.limit)
            if self.check.bound == "max"
            else (low >= self.limit, high < self.limit)
        )
        return PASS if inside else FAIL if outside else INCONCLUSIVE

    def describe(self) -> str:
        """The figure with its interval, the threshold and the reference, e.g.
        ``dcr_share = 1 [0.99, 1]  (gate.max_dcr_share: <= 0.6; reference: 0.5, no memorising)``."""
        sign = "<=" if self.check.bound == "max" else ">="
        threshold = f"gate.{self.check.threshold}: {sign} {self.limit:g}"
        if not applies(self.metrics, self.check.metric):  # the other task's figure: none to show
            reason = _not_applicable(self.check, self.metrics)
            return f"{self.check.metric}  ({threshold}); not applicable: {reason}"
        headline = HEADLINE[self.check.metric]
        reference = headline.reference
        if isinstance(reference, str):
            reference = shown(self.metrics, reference)
        said = f"; reference: {reference}, {headline.reference_says}" if reference is not None else ""
        reason = _not_applicable(self.check, self.metrics)
        missing = f"; {headline.missing_says}" if self.value is None and headline.missing_says else ""
        return f"{shown(self.metrics, self.check.metric)}  ({threshold}{said}){missing}" + (
            f"; not applicable: {reason}" if reason else ""
        )

    def line(self) -> str:
        return f"{self.verdict:<12}  {self.describe()}"


def evaluate(gate: GateParams, metrics: dict[str, dict]) -> list[Outcome]:
    """Each threshold that is set, against ``metrics`` (stage name -> that stage's metrics)."""
    return [
        Outcome(check, getattr(gate, check.threshold), metrics)
        for check in CHECKS
        if getattr(gate, check.threshold) is not None
    ]


def exit_code(outcomes: list[Outcome]) -> int:
    """1 if a check failed, else 3 if one is inconclusive, else 0."""
    return max((EXIT_CODES[o.verdict] for o in outcomes), key=lambda code: (code == 1, code), default=0)


def summary(outcomes: list[Outcome]) -> str:
    """``4 pass, 1 inconclusive``: how many checks ended each way."""
    counts = {v: sum(o.verdict == v for o in outcomes) for v in (PASS, FAIL, INCONCLUSIVE, NOT_APPLICABLE)}
    return ", ".join(f"{n} {verdict.lower()}" for verdict, n in counts.items() if n)
