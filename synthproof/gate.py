"""The quality gate: check the pipeline's metrics against the thresholds in ``params.yaml: gate``.

    python -m synthproof.gate          # after `dvc repro`; exits 1 and names every failed threshold

Made for CI review: a pull request that changes params or code reruns the pipeline, and the gate says
whether the synthetic table is still useful (TSTR/TRTR), hard to tell from real rows (discriminator AUC
above its floor) and safe to share (DCR share, exact copies).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from synthproof.config import GateParams, Paths, load_params
from synthproof.errors import SynthproofError
from synthproof.headline import HEADLINE


@dataclass(frozen=True)
class Check:
    """A gate param (``max_<metric>`` or ``min_<metric>``) and the headline metric it bounds."""

    threshold: str

    @property
    def bound(self) -> str:
        return self.threshold.partition("_")[0]  # max | min

    @property
    def metric(self) -> str:
        return self.threshold.partition("_")[2]

    @property
    def stage(self) -> str:  # whose metrics file holds it
        return HEADLINE[self.metric].stage


# One check per field of GateParams, in params.yaml order. Accuracy alone passes a table whose models
# learn only the majority class when the target is imbalanced (bank marketing: 88% "no" gives a TSTR/TRTR
# accuracy of 0.97); MCC is 0 for those, hence min_ratio_mcc.
CHECKS = [Check(item.name) for item in dataclasses.fields(GateParams)]


@dataclass(frozen=True)
class Outcome:
    check: Check
    limit: float
    value: float | None

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value <= self.limit if self.check.bound == "max" else self.value >= self.limit

    def describe(self) -> str:
        """The metric, its value and the threshold, e.g. ``dcr_share = 1  (gate.max_dcr_share: <= 0.6)``."""
        sign = "<=" if self.check.bound == "max" else ">="
        shown = "missing" if self.value is None else f"{self.value:g}"
        return f"{self.check.metric} = {shown}  (gate.{self.check.threshold}: {sign} {self.limit:g})"

    def line(self) -> str:
        return f"{'pass' if self.passed else 'FAIL'}  {self.describe()}"


def evaluate(gate: GateParams, metrics: dict[str, dict]) -> list[Outcome]:
    """Each threshold that is set, against ``metrics`` (stage name -> that stage's metrics)."""
    outcomes = []
    for check in CHECKS:
        limit = getattr(gate, check.threshold)
        if limit is not None:
            outcomes.append(Outcome(check, limit, metrics.get(check.stage, {}).get(check.metric)))
    return outcomes


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


def main() -> int:
    try:
        params = load_params()
        outcomes = evaluate(params.gate, read_stage_metrics(params.paths))
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for outcome in outcomes:
        print(outcome.line())
    failed = [o for o in outcomes if not o.passed]
    print(f"gate: {len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
