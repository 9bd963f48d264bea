"""The urn model of predictive policing (Ensign et al. 2018): runaway, and its correction,
against the closed forms."""
import numpy as np
import pytest

from course_lib.core.errors import CourseError
from course_lib.methods import feedback_loops as fl


def test_one_step_drift_equals_the_closed_form():
    """From a urn with a balls of A and b of B (x = a/n), one uncorrected inspection moves the
    share by x(1−x)(λA−λB)/(n+1) in expectation (exactly)."""
    a, b = 6, 4
    shares = fl.run_urn((0.2, 0.1), n_rounds=1, n_runs=400_000, prior=(a, b), random_state=1)
    x = a / (a + b)
    assert shares[:, 0] == pytest.approx(x)
    expected = fl.uncorrected_drift(x, (0.2, 0.1)) / (a + b + 1)
    assert (shares[:, 1] - x).mean() == pytest.approx(expected, abs=1e-4)


@pytest.mark.reproduces("Ensign et al. 2018: the uncorrected urn with rates 0.2 vs 0.1 runs "
                        "away far past the true 2/3")
def test_uncorrected_urn_runs_away_past_the_true_share():
    shares = fl.run_urn((0.2, 0.1), n_rounds=3000, n_runs=300, random_state=0)
    final = shares[:, -1]
    truth = fl.corrected_limit(0.2, 0.1)
    assert truth == pytest.approx(2 / 3)
    assert final.mean() > 0.9 and np.median(final) > 0.93
    assert (final > truth + 0.1).mean() > 0.9          # nearly every run, far past 2/3
    # and the mean keeps climbing: no settling at the truth
    means = shares.mean(axis=0)
    assert means[300] < means[1000] < means[3000]
    # the drift is positive everywhere in (0, 1), whatever the gap
    x = np.linspace(0.01, 0.99, 99)
    assert np.all(fl.uncorrected_drift(x, (0.101, 0.1)) > 0)


def test_a_smaller_gap_still_runs_away():
    final = fl.run_urn((0.15, 0.1), n_rounds=5000, n_runs=200, random_state=1)[:, -1]
    assert final.mean() > fl.corrected_limit(0.15, 0.1) + 0.15


@pytest.mark.reproduces("Ensign et al. 2018: accepting observations in proportion to 1/attention "
                        "makes the urn converge to λA/(λA+λB)")
@pytest.mark.parametrize("rates", [(0.2, 0.1), (0.3, 0.1), (0.1, 0.1), (0.05, 0.2)])
def test_corrected_urn_converges_to_the_rate_share(rates):
    shares = fl.run_urn(rates, n_rounds=3000, n_runs=300, corrected=True, random_state=2)
    limit = rates[0] / (rates[0] + rates[1])
    assert fl.corrected_limit(*rates) == pytest.approx(limit)
    assert shares[:, -1].mean() == pytest.approx(limit, abs=0.02)
    assert np.median(shares[:, -1]) == pytest.approx(limit, abs=0.03)


def test_corrected_increments_are_in_the_ratio_of_the_rates():
    """One corrected step from x: E[balls added to A] = λA·min(x, 1−x), to B: λB·min(x, 1−x)."""
    a, b = 7.0, 3.0
    n = 400_000
    s = fl.run_urn((0.2, 0.1), n_rounds=1, n_runs=n, corrected=True, prior=(a, b), random_state=3)
    # recover the balls after the step from the share (one ball at most is added)
    after = s[:, 1]
    added_a = np.isclose(after, (a + 1) / (a + b + 1)).mean()
    added_b = np.isclose(after, a / (a + b + 1)).mean()
    m = min(0.7, 0.3)
    assert added_a == pytest.approx(0.2 * m, abs=2e-3)
    assert added_b == pytest.approx(0.1 * m, abs=2e-3)


def test_attention_estimates_naive_and_corrected():
    est = fl.attention_estimates([8, 8], [2, 1], [0, 1], per_round=10)
    assert est["naive_share"] == pytest.approx(3 / 4)
    assert est["rate_a"] == pytest.approx(3 / 16) and est["rate_b"] == pytest.approx(1 / 4)
    assert est["corrected_share"] == pytest.approx((3 / 16) / (3 / 16 + 1 / 4))
    assert est["attention_a"] == pytest.approx(0.8)
    never_b = fl.attention_estimates([10], [2], [0], per_round=10)
    assert never_b["rate_b"] is None and never_b["corrected_share"] is None


def test_summary_and_seeds():
    a = fl.run_urn(n_rounds=50, n_runs=20, random_state=5)
    b = fl.run_urn(n_rounds=50, n_runs=20, random_state=5)
    assert np.array_equal(a, b) and a.shape == (20, 51)
    s = fl.urn_summary(a)
    assert list(s.columns) == ["round", "mean", "q10", "q50", "q90"] and len(s) == 51


@pytest.mark.parametrize("call", [
    lambda: fl.run_urn((0.2,)), lambda: fl.run_urn((0.2, 1.5)), lambda: fl.run_urn("ab"),
    lambda: fl.run_urn(n_rounds=0), lambda: fl.run_urn(n_rounds=10**6, n_runs=10**6),
    lambda: fl.run_urn(corrected="yes"), lambda: fl.run_urn(prior=(0, 1)),
    lambda: fl.corrected_limit(0, 0.1), lambda: fl.corrected_limit("a", 0.1),
    lambda: fl.uncorrected_drift(1.5), lambda: fl.uncorrected_drift("x"),
    lambda: fl.urn_summary([1, 2]), lambda: fl.urn_summary([[2.0]]),
    lambda: fl.attention_estimates([11], [0], [0], per_round=10),
    lambda: fl.attention_estimates([5, 5], [1], [1, 1], per_round=10),
    lambda: fl.attention_estimates([5], [6], [0], per_round=10),
])
def test_bad_input_gets_a_friendly_message(call):
    with pytest.raises(CourseError):
        call()
