"""Fairness metrics: fairlearn's numbers equal a hand computation; the impossibility results hold."""
import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)

from course_lib.core.errors import CourseValueError
from course_lib.methods import fairness
from course_lib.methods.fairness import (
    bootstrap_gaps,
    chouldechova_fpr,
    fairness_gaps,
    group_metrics,
    rates_at_thresholds,
    tradeoff_table,
)

# a small example worked by hand
Y_TRUE = [1, 1, 0, 0, 1, 1, 1, 0, 0, 0]
Y_PRED = [1, 0, 1, 0, 1, 1, 1, 1, 0, 0]
GROUPS = ["a", "a", "a", "a", "b", "b", "b", "b", "b", "b"]
# a: selection 2/4, TPR 1/2, FPR 1/2, accuracy 2/4; b: selection 4/6, TPR 3/3, FPR 1/3, acc 5/6


def test_group_metrics_equal_hand_computation_and_metricframe():
    mf = group_metrics(Y_TRUE, Y_PRED, GROUPS)
    by = mf.by_group
    assert by.loc["a", "selection rate"] == pytest.approx(0.5)
    assert by.loc["b", "selection rate"] == pytest.approx(4 / 6)
    assert by.loc["a", "true positive rate"] == pytest.approx(0.5)
    assert by.loc["b", "true positive rate"] == pytest.approx(1.0)
    assert by.loc["a", "false positive rate"] == pytest.approx(0.5)
    assert by.loc["b", "false positive rate"] == pytest.approx(1 / 3)
    assert by.loc["b", "accuracy"] == pytest.approx(5 / 6)
    assert by.loc["a", "count"] == 4
    ref = MetricFrame(metrics={"sr": selection_rate, "tpr": true_positive_rate,
                               "fpr": false_positive_rate},
                      y_true=Y_TRUE, y_pred=Y_PRED, sensitive_features=GROUPS).by_group
    assert np.allclose(by[["selection rate", "true positive rate", "false positive rate"]]
                       .to_numpy(dtype=float), ref.to_numpy(dtype=float))


def test_gaps_equal_hand_computation_and_fairlearn():
    g = fairness_gaps(Y_TRUE, Y_PRED, GROUPS)
    assert g["demographic_parity_difference"] == pytest.approx(4 / 6 - 0.5)
    assert g["tpr_difference"] == pytest.approx(0.5)
    assert g["fpr_difference"] == pytest.approx(0.5 - 1 / 3)
    assert g["equalized_odds_difference"] == pytest.approx(0.5)
    assert g["demographic_parity_difference"] == pytest.approx(
        demographic_parity_difference(Y_TRUE, Y_PRED, sensitive_features=GROUPS))
    assert g["equalized_odds_difference"] == pytest.approx(
        equalized_odds_difference(Y_TRUE, Y_PRED, sensitive_features=GROUPS))


def test_fast_gaps_used_by_the_bootstrap_equal_fairlearn_on_random_data():
    rng = np.random.default_rng(3)
    for _ in range(20):
        t, p = rng.integers(0, 2, 60), rng.integers(0, 2, 60)
        g = rng.choice(["x", "y", "z"], 60)
        slow, fast = fairness_gaps(t, p, g), fairness._fast_gaps(t, p, g)
        for k in slow:
            assert fast[k] == pytest.approx(slow[k], abs=1e-12), k


def test_bootstrap_interval_contains_the_value_and_narrows_with_more_data():
    rng = np.random.default_rng(0)

    def width(n):
        g = np.repeat(["a", "b"], n // 2)
        t = rng.integers(0, 2, n)
        p = np.where(g == "a", rng.random(n) < 0.7, rng.random(n) < 0.4).astype(int)
        b = bootstrap_gaps(t, p, g, n_boot=200, random_state=1)
        row = b.loc["demographic_parity_difference"]
        assert row["low"] <= row["value"] <= row["high"]
        return row["high"] - row["low"]

    assert width(40) > width(800)


def test_group_metrics_bootstrap_through_fairlearn():
    mf = group_metrics(Y_TRUE * 5, Y_PRED * 5, GROUPS * 5, n_boot=30, random_state=0)
    lo, hi = mf.by_group_ci
    assert (lo["selection rate"] <= hi["selection rate"]).all()


@pytest.mark.reproduces("Chouldechova 2017: FPR = p/(1-p)·(1-PPV)/PPV·(1-FNR) in every group, "
                        "so equal PPV and FNR with unequal base rates force unequal FPR")
def test_chouldechova_identity_holds_numerically_at_any_threshold():
    rng = np.random.default_rng(5)
    n = 4000
    g = np.repeat(["a", "b"], n // 2)
    base = np.where(g == "a", 0.6, 0.3)
    t = (rng.random(n) < base).astype(int)
    scores = 1 / (1 + np.exp(-(2.0 * t - 1 + rng.normal(0, 1.2, n))))
    for th in (0.3, 0.5, 0.7):
        r = rates_at_thresholds(t, scores, g, th)
        for _, row in r.iterrows():
            assert row["fpr"] == pytest.approx(
                chouldechova_fpr(row["base_rate"], row["ppv"], row["fnr"]), rel=1e-9)
    # equal PPV and FNR, different base rates -> different FPR
    assert chouldechova_fpr(0.6, 0.7, 0.2) / chouldechova_fpr(0.3, 0.7, 0.2) == pytest.approx(
        (0.6 / 0.4) / (0.3 / 0.7))


@pytest.mark.reproduces("Kleinberg et al. 2016 / Chouldechova 2017: with unequal base rates "
                        "no thresholds equalise selection rates, error rates and PPV at once")
def test_tradeoff_no_policy_equalises_everything():
    rng = np.random.default_rng(11)
    n = 3000
    g = np.repeat(["a", "b"], n // 2)
    t = (rng.random(n) < np.where(g == "a", 0.6, 0.3)).astype(int)
    scores = 1 / (1 + np.exp(-(2.2 * (t - 0.5) * 2 + rng.normal(0, 1.5, n))))
    table = tradeoff_table(t, scores, g)

    def spread(policy, col):
        return float(table.loc[policy, col].max() - table.loc[policy, col].min())

    assert spread("equal selection rates", "selection_rate") < 0.03
    assert spread("equal error rates", "fpr") + spread("equal error rates", "fnr") < 0.06
    # whichever is equalised, something else is far apart
    assert spread("equal selection rates", "fpr") > 0.1 or spread(
        "equal selection rates", "fnr") > 0.1
    assert spread("equal error rates", "ppv") > 0.05
    assert spread("equal error rates", "selection_rate") > 0.1


def test_friendly_errors():
    with pytest.raises(CourseValueError, match="only 0 and 1"):
        fairness_gaps([0, 1, 2], [0, 1, 1], ["a", "b", "a"])
    with pytest.raises(CourseValueError, match="same length"):
        fairness_gaps([0, 1, 1], [0, 1], ["a", "b", "a"])
    with pytest.raises(CourseValueError, match="only one group"):
        fairness_gaps([0, 1], [0, 1], ["a", "a"])
    with pytest.raises(CourseValueError, match="one group per item"):
        group_metrics([0, 1], [0, 1], ["a"])
    with pytest.raises(CourseValueError, match="no threshold for group"):
        rates_at_thresholds([0, 1], [0.2, 0.8], ["a", "b"], {"a": 0.5})
    with pytest.raises(CourseValueError, match="list or array"):
        fairness_gaps("0101", [0, 1, 0, 1], ["a", "b", "a", "b"])
    with pytest.raises(CourseValueError, match="no negatives"):
        chouldechova_fpr(1.0, 0.5, 0.1)
    assert isinstance(rates_at_thresholds([0, 1], [0.2, 0.8], ["a", "b"], 0.5), pd.DataFrame)


def test_friendly_errors_on_hostile_shapes():
    with pytest.raises(CourseValueError, match="flat"):
        group_metrics([["a", "b"], ["c"]], [[0, 1], [1, 1], [0, 0]], ["a", 1, None])
    with pytest.raises(CourseValueError, match="list with one group"):
        fairness.check_groups({"a": 1.0}, 3)
    with pytest.raises(CourseValueError, match="flat list of group names"):
        fairness.check_groups([[1], [2]], 2)
    with pytest.raises(CourseValueError, match="scores"):
        tradeoff_table([0, 1, 1, 0], np.zeros((2, 2)), ["a", "b", "a", "b"])
    with pytest.raises(CourseValueError, match="grid"):
        tradeoff_table([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.2], ["a", "b", "a", "b"], grid="moon")
