"""The three privacy attacks on real census rows: a table of re-drawn training rows against one whose
columns were drawn apart, and real rows the generator never saw."""

import numpy as np
import pandas as pd
import pytest

from synthproof.config import GateParams
from synthproof.errors import SynthproofError
from synthproof.evaluation.attacks import Attack, Rate, run_attacks
from synthproof.gate import FAIL, PASS, evaluate
from tests.conftest import disjoint_census

HEADLINE = ("singling_out_risk", "linkability_risk", "inference_risk_max")
OPTIONS = {"n_attacks": 300, "max_attempts": 30_000, "seed": 0}


@pytest.fixture(scope="module")
def parts(census):
    """Training rows, control rows, other real rows, and the column kinds."""
    return disjoint_census(census, (6000, 2000, 6000), seed=4)


@pytest.fixture(scope="module")
def risks(parts):
    (train, control, other), categorical, numeric = parts
    tables = {
        "resample": train.sample(len(train), replace=True, random_state=0).reset_index(drop=True),
        "independent": pd.DataFrame(
            {
                c: train[c].sample(len(train), replace=True, random_state=i).to_numpy()
                for i, c in enumerate(train.columns)
            }
        ),
        "unseen real rows": other,
    }
    return {
        name: run_attacks(train, synthetic, control, categorical, numeric, "income", **OPTIONS)
        for name, synthetic in tables.items()
    }


def test_redrawn_training_rows_score_far_higher_risks_than_columns_drawn_apart(risks):
    redrawn, apart = risks["resample"].metrics(), risks["independent"].metrics()
    for name in ("singling_out_risk", "linkability_risk"):
        assert redrawn[f"{name}_low"] > apart[f"{name}_high"], name
    target = risks["resample"].inference["income"].risk(), risks["independent"].inference["income"].risk()
    assert target[0][1] > target[1][2]  # the target guessed: the redrawn table's low above the other's high
    assert redrawn["singling_out_risk"] > 0.25 and redrawn["linkability_risk"] > 0.25
    assert redrawn["inference_risk_max_low"] > 0.4
    assert apart["linkability_risk"] < 0.05  # no row of the table holds both halves of a person


def test_the_gate_fails_redrawn_rows_on_every_attack(risks):
    verdicts = {
        o.check.threshold: o.verdict for o in evaluate(GateParams(), {"privacy": risks["resample"].metrics()})
    }
    for key in ("max_singling_out_risk", "max_linkability_risk", "max_inference_risk"):
        assert verdicts[key] == FAIL, key
    apart = {
        o.check.threshold: o.verdict
        for o in evaluate(GateParams(), {"privacy": risks["independent"].metrics()})
    }
    assert apart["max_linkability_risk"] == PASS


def test_real_rows_the_generator_never_saw_carry_no_risk(risks):
    """Unseen real rows tell an attacker as much about the control rows as about the training rows: the
    intervals reach 0, while the attacks themselves beat a random guess. (Inference is held to less: the
    risk divides by what the control leaves, 1 - 0.88 for education_num, which education fixes, so a 2%
    gap between two fixed real samples reads as 0.2: its interval is wide, and so is the worst secret's.)"""
    unseen = risks["unseen real rows"]
    for name in ("singling_out", "singling_out_univariate", "linkability"):
        assert unseen.attacks()[name].risk()[1] == 0.0, name
    assert unseen.metrics()["inference_risk_max"] < risks["resample"].metrics()["inference_risk_max_low"]
    rates = unseen.metrics()
    assert rates["linkability_attack_rate"] > rates["linkability_baseline_rate"]
    assert rates["inference_attack_rate"] > rates["inference_baseline_rate"]


def test_each_secret_is_guessed_and_the_target_comes_first(risks, parts):
    _, categorical, numeric = parts
    details = risks["resample"].details()
    secrets = [name.removeprefix("inference_") for name in details if name.startswith("inference_")]
    assert secrets[0] == "income" and sorted(secrets) == sorted(categorical + numeric)
    assert risks["resample"].metrics()["inference_risk_max_column"] in secrets


def test_same_seed_same_risks(parts, risks):
    (train, control, _), categorical, numeric = parts
    redrawn = train.sample(len(train), replace=True, random_state=0).reset_index(drop=True)
    again = run_attacks(train, redrawn, control, categorical, numeric, "income", **OPTIONS)
    assert again.metrics() == risks["resample"].metrics()


def test_the_risk_and_its_interval_follow_the_wilson_rates():
    """(attack - control) / (1 - control) on Wilson estimates, the error propagated from both."""
    attack = Attack("x", 500, 300, 500, 100, 10)
    a, c = Rate.of(300, 500), Rate.of(100, 500)
    assert a.value == pytest.approx((300 + 1.96**2 / 2) / (500 + 1.96**2), abs=1e-4)
    risk, low, high = attack.risk()
    assert risk == pytest.approx((a.value - c.value) / (1 - c.value))
    error = np.hypot(a.error / (1 - c.value), c.error * (a.value - 1) / (1 - c.value) ** 2)
    assert (low, high) == pytest.approx((risk - error, risk + error))
    assert attack.risk(15)[2] - attack.risk(15)[1] > high - low  # the worst of 15: a wider interval
    assert Attack("x", 500, 10, 500, 100, 10).risk()[:2] == (0.0, 0.0)  # below the control: no risk


def test_unknown_columns_in_params_are_named(parts):
    (train, control, other), categorical, numeric = parts
    with pytest.raises(SynthproofError, match=r"privacy.inference.secrets names \['salary'\]"):
        run_attacks(train, other, control, categorical, numeric, "income", secrets=["salary"])
    with pytest.raises(SynthproofError, match=r"privacy.linkability.aux_columns names \['zip'\]"):
        run_attacks(train, other, control, categorical, numeric, "income", aux_columns=[["age"], ["zip"]])


def test_columns_named_like_internal_names_and_missing_values(mixed_frame):
    """Odd column names (index, risk, attack, unicode, spaces) and missing values in every kind, dates."""
    frame = mixed_frame.drop(columns=["note", "customer_id"]).rename(
        columns={
            "age": "index",
            "income": "risk",
            "colour": "âge moyen",
            "member": "a b",
            "country": "attack",
        }
    )
    ordered = ["index", "risk", "joined"]
    categorical = [c for c in frame.columns if c not in ordered]
    train, control = frame.iloc[:150].reset_index(drop=True), frame.iloc[150:].reset_index(drop=True)
    synthetic = train.sample(150, replace=True, random_state=1).reset_index(drop=True)
    result = run_attacks(
        train, synthetic, control, categorical, ordered, "label", n_attacks=40, max_attempts=5000
    )
    metrics = result.metrics()
    assert set(metrics) >= {f"{name}_low" for name in HEADLINE}
    assert next(name for name in result.details() if name.startswith("inference_")) == "inference_label"
    assert result.inference["joined"].attacks == 40 and result.inference["risk"].control_attacks == 40
