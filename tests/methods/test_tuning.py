"""KL-regularised tilt and best-of-n: the closed forms, checked."""
import numpy as np
import pandas as pd
import pytest

from course_lib.core.errors import CourseValueError
from course_lib.methods.toy_assistant import ToyAssistant
from course_lib.methods.tuning import (
    DiversityMeter,
    best_of_n_kl_bound,
    best_of_n_policy,
    best_of_n_sweep,
    beta_sweep,
    distinct_n,
    entropy,
    expected,
    kl_divergence,
    optimal_objective,
    regularised_objective,
    tilted_policy,
    tuning_figure,
)

MODEL = ToyAssistant()
REWARD = MODEL.gold_reward + 0.3 * MODEL.features()["words"] / 10


@pytest.mark.reproduces('the KL-regularised optimum is pi_ref exp(r/beta) / Z')
@pytest.mark.parametrize("beta", [0.05, 0.5, 2.0])
def test_tilt_beats_every_random_policy(beta):
    ref, groups = MODEL.reference_policy, MODEL.groups
    best = tilted_policy(ref, REWARD, beta, groups)
    value = regularised_objective(best, ref, REWARD, beta, groups)
    assert value == pytest.approx(optimal_objective(ref, REWARD, beta, groups), abs=1e-9)
    rng = np.random.default_rng(0)
    for concentration in (0.1, 1.0, 10.0):
        for _ in range(100):
            p = pd.Series(rng.dirichlet(np.full(32, concentration), size=8).ravel(),
                          index=MODEL.outputs.sort_values("prompt_id").index)
            assert regularised_objective(p, ref, REWARD, beta, groups) <= value + 1e-12
    # small moves away from the optimum lower the objective too
    nudged = best * np.exp(0.01 * rng.normal(size=len(best)))
    nudged = nudged / nudged.groupby(groups).transform("sum")
    assert regularised_objective(nudged, ref, REWARD, beta, groups) < value


def test_tilt_limits():
    ref, groups = MODEL.reference_policy, MODEL.groups
    assert np.allclose(tilted_policy(ref, REWARD, 1e6, groups), ref, atol=1e-6)
    greedy = tilted_policy(ref, REWARD, 1e-4, groups)
    assert expected(greedy, REWARD, groups) == pytest.approx(REWARD.groupby(groups).max().mean())


@pytest.mark.reproduces('best-of-n KL = log n - (n-1)/n')
@pytest.mark.parametrize("n", [1, 2, 4, 16, 64])
def test_best_of_n_kl_matches_continuous_formula(n):
    size = 200_000
    rng = np.random.default_rng(1)
    ref = np.full(size, 1 / size)
    reward = rng.normal(size=size)  # continuous: no ties
    pol = best_of_n_policy(ref, reward, n)
    assert pol.sum() == pytest.approx(1.0)
    kl = kl_divergence(pol, ref)
    assert kl == pytest.approx(best_of_n_kl_bound(n), abs=2e-3)
    assert kl <= best_of_n_kl_bound(n) + 1e-9


@pytest.mark.reproduces('best-of-n KL on a finite pool stays below log n - (n-1)/n')
def test_best_of_n_on_a_small_pool_matches_sampling_and_stays_below_the_formula():
    ref = np.array([0.5, 0.3, 0.2])
    reward = np.array([0.0, 1.0, 2.0])
    pol = best_of_n_policy(ref, reward, 3)
    # closed form: P(best is item 3) = 1 - 0.8^3, item 2: 0.8^3 - 0.5^3, item 1: 0.5^3
    assert np.allclose(pol, [0.125, 0.512 - 0.125, 1 - 0.512])
    rng = np.random.default_rng(0)
    draws = rng.choice(3, p=ref, size=(200_000, 3)).max(axis=1)
    assert np.allclose(np.bincount(draws) / len(draws), pol, atol=0.005)
    assert kl_divergence(pol, ref) < best_of_n_kl_bound(3)


def test_best_of_n_ties_share_their_slot():
    pol = best_of_n_policy(np.array([0.25, 0.25, 0.5]), np.array([1.0, 1.0, 0.0]), 2)
    assert np.allclose(pol, [0.375, 0.375, 0.25])


def test_sweeps_show_reward_up_kl_up_diversity_down():
    sw = beta_sweep(MODEL, REWARD, [10, 3, 1, 0.3, 0.1, 0.03])
    assert sw["reward"].is_monotonic_increasing and sw["kl"].is_monotonic_increasing
    assert sw["entropy"].iloc[-1] < sw["entropy"].iloc[0] / 2
    assert sw["distinct_2"].iloc[-1] < sw["distinct_2"].iloc[0]
    bon = best_of_n_sweep(MODEL, REWARD, [1, 4, 16, 64])
    assert bon["reward"].is_monotonic_increasing and bon["kl"].is_monotonic_increasing
    assert (bon["kl"] <= bon["kl_formula"] + 1e-9).all()
    fig = tuning_figure(sw)
    assert fig.layout.title.text and len(fig.data) == 3


def test_distinct_n_and_entropy():
    assert distinct_n(["a b c", "a b c"], n=1) == 0.5
    assert entropy(np.array([0.5, 0.5])) == pytest.approx(np.log(2))
    meter = DiversityMeter(MODEL.outputs["text"], MODEL.groups, samples_per_prompt=20)
    one = tilted_policy(MODEL.reference_policy, REWARD, 1e-4, MODEL.groups)
    assert meter(one) < meter(MODEL.reference_policy)
    assert meter(one) == meter(one)  # same draws every call


@pytest.mark.parametrize("beta", [0, -1, float("nan"), "big"])
def test_bad_beta_is_explained(beta):
    with pytest.raises((CourseValueError, TypeError), match="beta"):
        tilted_policy(MODEL.reference_policy, REWARD, beta, MODEL.groups)


@pytest.mark.parametrize("n", [0, -3, 2.5])
def test_bad_n_is_explained(n):
    with pytest.raises((CourseValueError, TypeError), match="`n`"):
        best_of_n_policy(MODEL.reference_policy, REWARD, n, MODEL.groups)
