"""Bradley–Terry reward model: recovers known utilities, matches statsmodels, explains errors."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit
from scipy.stats import kendalltau

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.methods.reward_model import (
    BradleyTerryRewardModel,
    NotFittedError,
    bt_log_likelihood,
    bt_probability,
    reward_weights_figure,
)

RNG = np.random.default_rng(7)
N_ITEMS, N_FEATURES = 40, 4
FEATURES = pd.DataFrame(RNG.normal(size=(N_ITEMS, N_FEATURES)),
                        index=[f"y{i}" for i in range(N_ITEMS)],
                        columns=[f"f{k}" for k in range(N_FEATURES)])
TRUE_W = np.array([1.0, -0.7, 0.4, 0.0])


def true_utility():
    z = (FEATURES - FEATURES.mean()) / FEATURES.std(ddof=0)
    return pd.Series(z.to_numpy() @ TRUE_W, index=FEATURES.index)


def simulate(n, *, position=0.0, seed=0):
    rng = np.random.default_rng(seed)
    u = true_utility()
    left = rng.choice(FEATURES.index, size=n)
    right = np.array([rng.choice(FEATURES.index.drop(l)) for l in left])
    p = expit(u[left].to_numpy() - u[right].to_numpy() + position)
    return pd.DataFrame({"left": left, "right": right,
                         "outcome": (rng.random(n) < p).astype(float)})


@pytest.mark.reproduces('Bradley-Terry recovers the hidden ranking from comparisons')
def test_recovers_ranking_and_probabilities():
    rm = BradleyTerryRewardModel(l2=0.01).fit(FEATURES, simulate(3000))
    u = true_utility()
    tau = kendalltau(rm.reward(), u).statistic
    assert tau >= 0.9
    left, right = FEATURES.index[:20], FEATURES.index[20:]
    p_hat = rm.predict_proba(list(left), list(right))
    p_true = expit(u[left].to_numpy() - u[right].to_numpy())
    assert np.max(np.abs(p_hat - p_true)) < 0.05
    assert np.allclose(rm.weights_, TRUE_W, atol=0.15)


def test_few_comparisons_do_not_recover_so_the_test_can_fail():
    rm = BradleyTerryRewardModel(l2=1.0).fit(FEATURES, simulate(8, seed=3))
    assert kendalltau(rm.reward(), true_utility()).statistic < 0.9


@pytest.mark.reproduces("Bradley-Terry (1952) as a logistic regression equals statsmodels' Logit")
def test_matches_statsmodels_logit_without_penalty():
    data = simulate(2000, position=0.5, seed=1)
    rm = BradleyTerryRewardModel(l2=0.0).fit(FEATURES, data)
    z = (FEATURES - FEATURES.mean()) / FEATURES.std(ddof=0)
    X = z.loc[data["left"]].to_numpy() - z.loc[data["right"]].to_numpy()
    X = np.column_stack([X, np.ones(len(X))])
    ref = sm.Logit(data["outcome"].to_numpy(), X).fit(disp=0)
    assert np.allclose(np.r_[rm.weights_.to_numpy(), rm.position_bias_], ref.params, atol=1e-4)
    assert rm.log_likelihood_ == pytest.approx(ref.llf, abs=1e-6)
    assert rm.position_bias_ == pytest.approx(0.5, abs=0.2)


def test_pass_fail_alone_recovers_the_ranking():
    rng = np.random.default_rng(4)
    u = true_utility()
    outputs = rng.choice(FEATURES.index, size=3000)
    passed = (rng.random(3000) < expit(u[outputs].to_numpy() - 0.3)).astype(float)
    rm = BradleyTerryRewardModel(l2=0.01).fit(FEATURES, ratings=pd.DataFrame(
        {"output": outputs, "passed": passed}))
    assert kendalltau(rm.reward(), u).statistic >= 0.9
    assert rm.pass_threshold_ == pytest.approx(0.3, abs=0.15)


def test_ties_count_half_each_way():
    feats = pd.DataFrame({"x": [0.0, 1.0]}, index=["a", "b"])
    data = pd.DataFrame({"left": ["a", "b"], "right": ["b", "a"], "outcome": [0.5, 0.5]})
    with pytest.raises(CourseValueError, match="ties"):
        BradleyTerryRewardModel().fit(feats, data)
    data.loc[2] = ["b", "a", 1.0]
    rm = BradleyTerryRewardModel(l2=0.0, position_bias=False).fit(feats, data)
    # b wins 2 of 3 "games" (1 + two halves): sigma(w * 1 sd) = 2/3
    assert rm.predict_proba("b", "a") == pytest.approx(2 / 3, abs=1e-5)


def test_friendly_errors():
    rm = BradleyTerryRewardModel()
    with pytest.raises(NotFittedError, match="fit"):
        rm.reward()
    with pytest.raises(CourseValueError, match="no judgments yet"):
        rm.fit(FEATURES, pd.DataFrame(columns=["left", "right", "outcome"]))
    with pytest.raises(CourseValueError, match="can't tell"):
        rm.fit(FEATURES, pd.DataFrame({"left": ["y0"], "right": ["y1"], "outcome": [np.nan]}))
    with pytest.raises(CourseValueError, match="not in `features`"):
        rm.fit(FEATURES, pd.DataFrame({"left": ["zz"], "right": ["y1"], "outcome": [1.0]}))
    with pytest.raises(CourseValueError, match="1, 0 or 0.5"):
        rm.fit(FEATURES, pd.DataFrame({"left": ["y0"], "right": ["y1"], "outcome": [2.0]}))
    with pytest.raises(CourseValueError, match="l2"):
        BradleyTerryRewardModel(l2=-1).fit(FEATURES, simulate(10))


def test_exercise_helpers():
    assert bt_probability(2.0, 0.0) == pytest.approx(1 / (1 + np.exp(-2)))
    assert bt_log_likelihood([1.0, 0.0], [0.0, 1.0]) == pytest.approx(
        np.log(expit(1.0)) + np.log(expit(-1.0)))


def test_weights_figure_has_title_and_axes():
    rm = BradleyTerryRewardModel().fit(FEATURES, simulate(50))
    fig = reward_weights_figure(rm)
    assert fig.layout.title.text and fig.layout.xaxis.title.text
    assert len(fig.data[0].x) == N_FEATURES + 1
    with pytest.raises(CourseTypeError, match="BradleyTerryRewardModel"):
        reward_weights_figure("not a model")


def test_plot_weights_method_is_a_deprecated_wrapper():
    rm = BradleyTerryRewardModel().fit(FEATURES, simulate(50))
    with pytest.warns(DeprecationWarning, match="reward_weights_figure"):
        fig = rm.plot_weights({"f0": "feature zero"}, colour="#E69F00")
    assert fig.to_json() == reward_weights_figure(rm, {"f0": "feature zero"},
                                                  colour="#E69F00").to_json()
