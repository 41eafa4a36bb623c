"""The quality gate: check the pipeline's metrics against the thresholds in ``params.yaml: gate``.

    python -m synthproof.gate          # after `dvc repro`: the three answers, then each check

Made for CI review: a pull request that changes params or code reruns the pipeline, and the gate says
whether the synthetic table is still useful (TSTR/TRTR), hard to tell from real rows (discriminator AUC
above its floor) and safe to share (DCR share, exact copies above the holdout's own, and the risks of the
singling-out, linkability and inference attacks beyond their control).

Each check judges a figure against its threshold on the figure's 95% interval, and names the reference
the figure is measured against: it passes when the whole interval is on the right side, fails when the
whole interval is on the wrong side, and is inconclusive when the interval straddles the threshold (more
rows would decide). A ratio to the real-trained model is not applicable when that model has no skill
(its MCC interval reaches 0; for regression, its R2 interval: no better than predicting the mean): the
ratio would compare noise with noise. A check of the other task's metric (accuracy for a numeric target,
R2 for a class) is not applicable either.

The figures must be fresh: when a stage's record in ``dvc.lock`` no longer matches the workspace (params
or code edited since, an interrupted ``dvc repro``), the gate names the stale stages and judges nothing.

Exit codes: 0 every check passed (or does not apply), 1 a check failed or its metric is missing,
2 bad params or metrics files, 3 none failed but one is inconclusive, 4 the metrics are stale.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from synthproof.config import GateParams, Paths, load_params
from synthproof.errors import SynthproofError
from synthproof.freshness import describe, stale_stages
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


def read_stage_metrics(paths: Paths, required: bool = False) -> dict[str, dict]:
    """Every stage's metrics file (``paths.metrics``), by stage name. A missing file is empty (the
    gate then names the metric as missing), or with ``required`` an error naming the file."""
    metrics = {}
    for stage in dataclasses.fields(paths.metrics):
        path = Path(getattr(paths.metrics, stage.name))
        if path.exists():
            metrics[stage.name] = json.loads(path.read_text())
        elif required:
            raise SynthproofError(f"{path} is missing: reproduce the stage that writes it first")
        else:
            metrics[stage.name] = {}
    return metrics


def read_stage_details(paths: Paths) -> dict[str, dict]:
    """Every stage's details file (``paths.details``) that exists, by stage name."""
    found = {}
    for stage in dataclasses.fields(paths.details):
        path = Path(getattr(paths.details, stage.name))
        found[stage.name] = json.loads(path.read_text()) if path.exists() else {}
    return found


def main() -> int:
    from synthproof.answers import three_answers  # built on this module's outcomes

    try:
        params = load_params()
        metrics = read_stage_metrics(params.paths)
        outcomes = evaluate(params.gate, metrics)
        answers = three_answers(outcomes, metrics, read_stage_details(params.paths))
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale = stale_stages()
    if stale:
        print(f"stale: {describe(stale)}", file=sys.stderr)
        return EXIT_STALE
    for answer in answers:
        print(answer.line())
    print()
    for outcome in outcomes:
        print(outcome.line())
    print(f"gate: {summary(outcomes)}")
    return exit_code(outcomes)


if __name__ == "__main__":
    sys.exit(main())
