"""Each evaluator's settings have one home, params.yaml: an evaluator built with its constructor's
defaults is the one a run builds from the file (issue 46: Attacks.n_targets restated 10,000 a third time,
max_rows defaults that differed from the file's)."""

import dataclasses

import pytest

from synthproof.config import load_params
from synthproof.evaluation.attacks import Attacks
from synthproof.evaluation.compare import CompareSettings
from synthproof.evaluation.coverage import CoverageTest
from synthproof.evaluation.fake_or_real import FakeOrRealTest
from synthproof.evaluation.marginals import MarginalAccuracyTest
from synthproof.evaluation.membership import MembershipInference
from synthproof.evaluation.privacy import DistanceTest
from synthproof.tasks import CLASSIFICATION

PARAMS = load_params()
BUILT = {
    "FakeOrRealTest": (FakeOrRealTest, lambda: FakeOrRealTest.for_run(PARAMS.discriminate, 0, threads=2)),
    "CoverageTest": (CoverageTest, lambda: CoverageTest.for_run(PARAMS.fidelity.coverage, 0)),
    "MarginalAccuracyTest": (
        MarginalAccuracyTest,
        lambda: MarginalAccuracyTest.for_run(PARAMS.fidelity.accuracy, 0),
    ),
    "DistanceTest": (DistanceTest, lambda: DistanceTest.for_run(PARAMS.privacy.dcr, 0)),
    "Attacks": (Attacks, lambda: Attacks.for_run(PARAMS.privacy, 0, threads=2)),
    "MembershipInference": (
        MembershipInference,
        lambda: MembershipInference.for_run(PARAMS.privacy.membership, 0),
    ),
    "CompareSettings": (
        CompareSettings,
        lambda: CompareSettings.for_run(PARAMS.compare, CLASSIFICATION, 0, threads=2),
    ),
}


@pytest.mark.parametrize("name", list(BUILT))
def test_an_evaluator_s_defaults_are_the_params_file_s(name):
    cls, from_file = BUILT[name]
    run = from_file()
    defaults = cls(**{k: getattr(run, k) for k in ("seed", "threads") if hasattr(run, k)})
    differ = {
        item.name: (getattr(defaults, item.name), getattr(run, item.name))
        for item in dataclasses.fields(cls)
        if getattr(defaults, item.name) != getattr(run, item.name)
    }
    assert differ == {}, "constructor default, params.yaml value"
