"""Randomized response (Warner 1965): the estimator is unbiased and its variance is the closed form."""
import numpy as np
import pytest

from course_lib.core.errors import CourseValueError, NotFittedError
from course_lib.methods.randomized_response import RandomizedResponse


def test_yes_probability_closed_form():
    rr = RandomizedResponse(p_truth=0.7)
    for pi in (0.0, 0.2, 0.5, 1.0):
        assert rr.yes_probability(pi) == pytest.approx(0.7 * pi + 0.3 * (1 - pi))


@pytest.mark.reproduces("Warner 1965: randomized response estimate (λ̂-(1-p))/(2p-1) is "
                        "unbiased, variance λ(1-λ)/(n(2p-1)²)")
@pytest.mark.parametrize("p, pi", [(0.75, 0.2), (0.8, 0.5), (0.3, 0.1)])
def test_estimate_is_unbiased_over_many_seeds(p, pi):
    rr = RandomizedResponse(p_truth=p)
    n, n_seeds = 200, 2000
    # each survey samples n people from a population whose share of true "yes" is pi
    estimates = []
    for s in range(n_seeds):
        rng = np.random.default_rng(s)
        truths = (rng.random(n) < pi).astype(int)
        estimates.append(rr.fit(rr.respond(truths, random_state=rng)).proportion_)
    estimates = np.array(estimates)
    lam = rr.yes_probability(pi)
    sd = np.sqrt(lam * (1 - lam) / (n * (2 * p - 1) ** 2))
    # the mean of 2000 estimates is within 4 standard errors of the truth
    assert abs(estimates.mean() - pi) < 4 * sd / np.sqrt(n_seeds)
    assert estimates.std() == pytest.approx(sd, rel=0.08)


def test_interval_and_variance_factor():
    rr = RandomizedResponse(p_truth=0.75)
    truths = np.r_[np.ones(300), np.zeros(700)]
    lo, hi = rr.fit(rr.respond(truths, random_state=0)).interval()
    assert lo < 0.3 < hi
    # when the share is 1/2, λ = 1/2 too, so the factor is 1/(2p-1)^2 = 4
    assert rr.variance_factor(0.5) == pytest.approx(4.0)


def test_answers_as_words_and_friendly_errors():
    rr = RandomizedResponse()
    assert rr.fit(["yes", "no", "No", "YES"]).yes_share_ == 0.5
    with pytest.raises(CourseValueError, match="coin flips"):
        RandomizedResponse(p_truth=0.5).fit([1, 0])
    with pytest.raises(CourseValueError, match="only 1 \\(yes\\) and 0"):
        rr.fit([1, 2])
    with pytest.raises(CourseValueError, match="'yes'/'no'"):
        rr.fit(["maybe"])
    with pytest.raises(CourseValueError, match="list of answers"):
        rr.fit(1)
    with pytest.raises(NotFittedError):
        RandomizedResponse().interval()
