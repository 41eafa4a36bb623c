"""The three answers: each question's verdict is the gate's over its checks, said in words with its figure."""

from synthproof.answers import QUESTIONS, combined, three_answers, verdict_figures
from synthproof.checks import CHECKS, FAIL, INCONCLUSIVE, NOT_APPLICABLE, PASS, evaluate
from synthproof.config import GateParams
from synthproof.headline import HEADLINE
from tests.conftest import gate_metrics as metrics
from tests.conftest import with_interval


def answered(run, details=None):
    return {a.question: a for a in three_answers(evaluate(GateParams(), run), run, details or {})}


def test_every_gate_check_answers_one_of_the_three_questions():
    assert {HEADLINE[check.metric].question for check in CHECKS} == set(QUESTIONS)


def test_a_good_run_is_yes_three_times_and_says_its_figures():
    answers = answered(metrics(), {"discriminate": {"top_giveaway_columns": ["age", "sex"]}})
    assert [a.word for a in answers.values()] == ["yes", "yes", "yes"]
    assert "0.97 [0.965, 0.975] of the real-trained model's accuracy" in answers["Useful?"].sentence
    assert "give fakes away most: age, sex" in answers["Realistic?"].sentence
    assert answers["Private?"].sentence.startswith("9 of 9 checks pass; 5 of 5 attacks beat their control")
    quiet = answered(metrics(attack_risk=0.0))["Private?"].sentence  # every risk's interval reaches 0
    assert quiet.startswith("9 of 9 checks pass; no attack of 5 beats its control")


def test_a_failed_check_decides_its_question_and_the_closest_attack_is_named():
    run = metrics(dcr_share=1.0, copies_above=0.5)
    answers = answered(run)
    assert answers["Private?"].verdict == FAIL and answers["Private?"].word == "no"
    assert "closest to its threshold is exact_copy_share_above_holdout = 0.5" in answers["Private?"].sentence
    assert answers["Useful?"].verdict == PASS  # the other questions stand on their own checks
    doubtful = metrics(attack_risk=0.0)  # every check passes but inference, whose interval straddles 0.2
    doubtful["privacy"].update(with_interval("inference_risk_max", 0.15, 0.1))
    unsure = answered(doubtful, {"privacy": {"inference_risk_max_column": "age"}})  # a name: in the details
    assert unsure["Private?"].verdict == INCONCLUSIVE and unsure["Private?"].word == "undecided"
    assert "inference_risk_max = 0.15 [0.05, 0.25] (age)" in unsure["Private?"].sentence
    assert "1 of 5 attacks beat their control (inference_risk_max)" in unsure["Private?"].sentence


def test_a_regression_run_answers_with_r2():
    run = metrics()
    run["compare"] = with_interval("ratio_r2", 0.9, 0.02)  # R2 figures: a regression run
    run["compare"] |= with_interval("trtr_r2", 0.5, 0.02) | with_interval("tstr_r2", 0.45, 0.02)
    useful = answered(run)["Useful?"]
    assert useful.verdict == PASS and "R2 0.45 [0.43, 0.47] against 0.5 [0.48, 0.52]" in useful.sentence


def test_verdicts_combine_failure_first_then_doubt_then_passes():
    outcomes = evaluate(GateParams(), metrics(auc_above_floor=0.6, ratio_accuracy=0.9))
    by = {o.check.threshold: o for o in outcomes}
    assert by["min_ratio_accuracy"].verdict == INCONCLUSIVE
    assert combined([by["min_ratio_accuracy"], by["max_auc_above_floor"]]) == FAIL
    assert combined([by["min_ratio_accuracy"], by["min_ratio_mcc"]]) == INCONCLUSIVE
    assert combined([by["min_ratio_r2"]]) == NOT_APPLICABLE


def test_the_verdict_file_groups_the_gate_s_figures_under_their_question():
    run = metrics(auc_above_floor=0.43)
    outcomes = evaluate(GateParams(), run)
    figures = verdict_figures(three_answers(outcomes, run, {}), outcomes)
    assert list(figures) == ["useful", "realistic", "private"]
    assert figures["realistic"]["answer"] == "no"
    assert figures["realistic"]["auc_above_floor"] == 0.43
    assert figures["realistic"]["auc_above_floor_low"] < 0.43 < figures["realistic"]["auc_above_floor_high"]
    assert "ratio_r2" not in figures["useful"]  # a check that does not apply has no column
    judged = {o.check.metric for o in outcomes if o.verdict != NOT_APPLICABLE}
    listed = {name for group in figures.values() for name in group if f"{name}_low" in group}
    assert listed == judged  # every judged figure, with its interval


def test_dvc_exp_show_lists_the_verdict_first():
    """DVC orders `dvc exp show`'s metric columns by the stages in dvc.yaml: the report stage, which
    writes the verdict, is listed first although it runs last."""
    from pathlib import Path

    import yaml

    from synthproof.config import Paths

    stages = yaml.safe_load(Path("dvc.yaml").read_text())["stages"]
    first = next(iter(stages))
    assert first == "report" and next(iter(stages[first]["metrics"][0])) == "${paths.verdict}"
    assert Paths().verdict.startswith("metrics/")


def test_the_private_answer_gives_the_guarantee_or_says_there_is_none():
    said = answered(metrics())["Private?"].sentence
    assert "no formal guarantee (trained without differential privacy" in said
    private = {**metrics(), "train": {"dp_epsilon": 2.71, "dp_delta": 1e-5}}
    sentence = answered(private)["Private?"].sentence
    assert "differential privacy: epsilon 2.71 at delta 1e-05 bounds what any attack learns" in sentence
    strict = three_answers(evaluate(GateParams(max_epsilon=1.0), private), private, {})
    assert strict[2].verdict == FAIL and "dp_epsilon = 2.71" in strict[2].sentence
