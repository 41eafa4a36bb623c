"""The quality gate: thresholds from params, pass and fail lines, skipped thresholds."""

import dataclasses

from synthproof.config import GateParams
from synthproof.gate import evaluate


def metrics(auc_above_floor=0.1, ratio_accuracy=0.97, ratio_mcc=0.9, dcr_share=0.5, exact_copy_share=0.0):
    return {
        "discriminate": {"auc_above_floor": auc_above_floor},
        "compare": {"ratio_accuracy": ratio_accuracy, "ratio_mcc": ratio_mcc},
        "fidelity": {"dcr_share": dcr_share, "exact_copy_share": exact_copy_share},
    }


def test_a_good_run_passes_every_threshold():
    outcomes = evaluate(GateParams(), metrics())
    assert len(outcomes) == 5 and all(o.passed for o in outcomes)


def test_copies_fail_the_privacy_thresholds_and_are_named():
    outcomes = evaluate(GateParams(), metrics(dcr_share=1.0, exact_copy_share=0.97))
    failed = [o for o in outcomes if not o.passed]
    assert {o.check.metric for o in failed} == {"dcr_share", "exact_copy_share"}
    assert failed[0].line().startswith("FAIL  dcr_share = 1  (gate.max_dcr_share: <= 0.6)")


def test_min_bounds_missing_metrics_and_skipped_thresholds():
    outcomes = evaluate(GateParams(min_ratio_accuracy=0.98), metrics(ratio_accuracy=0.97))
    assert [o.check.metric for o in outcomes if not o.passed] == ["ratio_accuracy"]
    majority_only = evaluate(GateParams(), metrics(ratio_accuracy=0.97, ratio_mcc=0.0))
    assert [o.check.threshold for o in majority_only if not o.passed] == ["min_ratio_mcc"]
    missing = evaluate(GateParams(), {})
    assert not any(o.passed for o in missing) and "missing" in missing[0].line()
    assert evaluate(GateParams(*[None] * len(dataclasses.fields(GateParams))), metrics(dcr_share=1.0)) == []
