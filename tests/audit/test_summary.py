"""The audit's page and rates come from audit/results.csv alone."""

from pathlib import Path

import pandas as pd
import pytest

from synthproof.audit.summary import (
    PAGE,
    RESULTS,
    detection,
    question_rates,
    reasons,
    render_page,
    smallest_caught,
    targets,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_page_is_what_the_committed_results_render():
    results = pd.read_csv(REPO / RESULTS)
    assert (REPO / PAGE).read_text() == render_page(results), (
        "docs/audit.md differs from what audit/results.csv renders: run `python -m tools.audit` "
        "(finished cells are kept) to render it again"
    )


def _results(rows):
    columns = ["table", "seed", "rung", "rows", "error", "seconds", "answer_useful", "answer_realistic",
               "answer_private", "check_max_near_copy_share_above_holdout"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def test_rates_count_a_fail_of_the_ideal_and_a_pass_of_a_leak_as_errors():
    results = _results(
        [
            ["t", 0, "ideal", 10000, None, 1.0, "pass", "pass", "FAIL", "FAIL"],
            ["t", 1, "ideal", 10000, None, 1.0, "pass", "inconclusive", "pass", "pass"],
            ["t", 0, "near_copies_1", 10000, None, 1.0, "pass", "pass", "pass", "pass"],
            ["t", 1, "near_copies_1", 10000, None, 1.0, "pass", "pass", "FAIL", "FAIL"],
            ["t", 0, "near_copies_5", 10000, None, 1.0, "pass", "pass", "FAIL", "FAIL"],
            ["t", 1, "near_copies_5", 10000, None, 1.0, "pass", "pass", "FAIL", "FAIL"],
        ]
    )
    rates = question_rates(results).set_index(["rung", "question"])
    assert rates.loc[("ideal", "private"), "wrong"].startswith("1/2 = 50%")
    assert rates.loc[("ideal", "realistic"), "undecided"].startswith("1/2 = 50%")
    assert rates.loc[("near_copies_1", "private"), "wrong"].startswith("1/2 = 50%")
    assert rates.loc[("near_copies_5", "private"), "wrong"].startswith("0/2 = 0%")
    assert ("near_copies_5", "useful") not in rates.index  # a leak is judged on the question it must fail
    caught = smallest_caught(detection(results))
    assert caught.set_index("kind").loc["near_copies", "smallest share caught"] == "5%"
    missed = smallest_caught(detection(results[results["rung"] != "near_copies_5"]))
    assert missed.set_index("kind").loc["near_copies", "smallest share caught"] == "none up to 1%"


@pytest.mark.parametrize("missing", ["answer_private", "rung"])
def test_a_results_file_without_a_column_does_not_render(missing):
    results = _results([["t", 0, "ideal", 10000, None, 1.0, "pass", "pass", "pass", "pass"]])
    with pytest.raises(KeyError):
        render_page(results.drop(columns=missing))


def test_a_missed_target_names_the_lines_behind_it():
    rows = [
        ["t", seed, "ideal", 20000, None, 1.0, "pass", "pass", "inconclusive", "inconclusive"]
        for seed in range(3)
    ]
    rows += [["t", 0, "near_copies_5", 20000, None, 1.0, "pass", "pass", "FAIL", "FAIL"]]
    said = "\n".join(targets(_results(rows), why={}))
    assert "False fails of private? on the ideal: 0/3 = 0% [0%, 56%], target at most 5%: **met**." in said
    assert "Undecided answers on tables of 5,000 rows and more: 3/10 = 30%" in said
    assert (
        "**missed**; the lines behind it: `max_near_copy_share_above_holdout` (3); on t (seed 0, 1, 2)."
        in said
    )


def test_a_missed_target_says_why_where_the_audit_s_params_say_it():
    rows = [
        ["t", seed, "near_copies_5", 20000, None, 1.0, "pass", "pass", "pass", "pass"] for seed in range(2)
    ]
    said = "\n".join(targets(_results(rows), why={"near_copies": "a panel's repeats hide them."}))
    assert "**missed**; on t (seed 0, 1). Why: a panel's repeats hide them." in said
    assert "Why:" not in "\n".join(targets(_results(rows), why={}))
    assert set(reasons()) <= {
        "copies",
        "near_copies",
        "permuted_target",
        "shuffled",
        "broken_pair",
        "undecided",
    }
