"""The interval maths against known values, scikit-learn, a bootstrap, and coverage by simulation."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from synthproof.evaluation.uncertainty import (
    delong,
    normal_interval,
    paired_bootstrap,
    rank_auc,
    share_difference,
    wilson,
)


def test_wilson_matches_the_textbook_values():
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_delong_gives_sklearn_s_auc_and_a_bootstrap_s_standard_error():
    rng = np.random.default_rng(0)
    truth = rng.random(3000) < 0.3
    score = rng.normal(truth * 0.8, 1.0)
    auc, se = delong(truth, np.round(score, 1))  # rounded: ties
    assert auc == pytest.approx(roc_auc_score(truth, np.round(score, 1)), abs=1e-12)
    assert rank_auc(truth, np.round(score, 1)) == pytest.approx(auc, abs=1e-12)
    boot = [roc_auc_score(truth[i], score[i]) for i in (rng.integers(0, 3000, 3000) for _ in range(300))]
    assert se == pytest.approx(np.std(boot), rel=0.15)


def test_intervals_cover_the_truth_about_95_times_in_100():
    rng = np.random.default_rng(1)
    share_hits = auc_hits = difference_hits = 0
    trials = 300
    for _ in range(trials):
        a, b = rng.random(400) < 0.1, rng.random(200) < 0.05
        low, high = wilson(int(a.sum()), 400)
        share_hits += low <= 0.1 <= high
        low, high = share_difference(int(a.sum()), 400, int(b.sum()), 200)
        difference_hits += low <= 0.05 <= high
        truth = rng.random(300) < 0.5
        score = rng.normal(truth * 1.0, 1.0)  # true AUC: Phi(1 / sqrt(2)) = 0.7602
        low, high = normal_interval(*delong(truth, score))
        auc_hits += low <= 0.7602 <= high
    for hits in (share_hits, difference_hits, auc_hits):
        assert 0.90 <= hits / trials <= 0.99


def test_the_paired_bootstrap_is_seeded_and_keeps_pairs():
    rng = np.random.default_rng(2)
    x = rng.normal(size=500)

    def stats(rows):
        return {"mean": x[rows].mean(), "same": x[rows].mean() - x[rows].mean(), "none": None}

    first, again = paired_bootstrap(stats, 500, seed=3), paired_bootstrap(stats, 500, seed=3)
    assert first == again and set(first) == {"mean", "same"}
    assert first["same"] == (0.0, 0.0)  # the same resample for every figure
    low, high = first["mean"]
    assert low < x.mean() < high and high - low == pytest.approx(2 * 1.96 / np.sqrt(500), rel=0.2)


def test_wilson_s_interval_of_none_or_all_rows_starts_or_ends_exactly_at_the_bound():
    from synthproof.evaluation.uncertainty import wilson

    assert wilson(0, 4000)[0] == 0.0 and 0 < wilson(0, 4000)[1] < 0.001
    assert wilson(4000, 4000)[1] == 1.0 and 0.999 < wilson(4000, 4000)[0] < 1


@pytest.mark.extra  # statsmodels comes with the audit's extra (requirements-audit.txt)
def test_wilson_and_newcombe_are_statsmodels_intervals():
    """Written here (statsmodels is no dependency of the pipeline) and checked against statsmodels."""
    stats = pytest.importorskip("statsmodels.stats.proportion")
    for successes, n in ((0, 50), (3, 50), (17, 400), (400, 400), (9768, 39074)):
        assert wilson(successes, n) == pytest.approx(stats.proportion_confint(successes, n, method="wilson"))
    for a, n_a, b, n_b in ((30, 400, 9, 200), (0, 100, 5, 90), (1200, 9768, 1180, 9768)):
        expected = stats.confint_proportions_2indep(a, n_a, b, n_b, method="newcomb", compare="diff")
        assert share_difference(a, n_a, b, n_b) == pytest.approx(expected)
