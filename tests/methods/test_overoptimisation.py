"""Over-optimisation: gold rises then falls as the proxy keeps rising (Gao et al., 2022)."""
import numpy as np
import pytest

from course_lib.methods.judgments import pair_plan, pair_table, passfail_plan, rating_table
from course_lib.methods.overoptimisation import (
    fit_gao_curve,
    gold_peak,
    hacked_features,
    overoptimisation_curve,
    overoptimisation_figure,
)
from course_lib.methods.reward_model import BradleyTerryRewardModel
from course_lib.methods.toy_assistant import ToyAssistant
from course_lib.part3.simulated_judge import SimulatedJudge

MODEL = ToyAssistant()


def proxy(seed, n_pairs=200, **judge):
    j = SimulatedJudge(random_state=seed, **judge)
    pairs = pair_table(j.pairwise_events(MODEL, pair_plan(MODEL, n_pairs=n_pairs, n_repeats=0,
                                                          random_state=seed)))
    ratings = rating_table(j.passfail_events(MODEL, passfail_plan(MODEL, n=16,
                                                                  random_state=seed)))
    return BradleyTerryRewardModel().fit(MODEL.features(), pairs, ratings)


@pytest.mark.reproduces('gold reward rises then falls as KL grows (Gao, Schulman & Hilton 2022)')
@pytest.mark.parametrize("seed", range(5))
def test_gold_rises_then_falls_while_proxy_keeps_rising(seed):
    rm = proxy(seed)
    curve = overoptimisation_curve(MODEL, rm.reward())
    assert curve["proxy"].is_monotonic_increasing
    peak = gold_peak(curve)
    start, end = curve["gold"].iloc[0], curve["gold"].iloc[-1]
    assert 0 < peak["kl"] < curve["kl"].iloc[-1]
    assert peak["gold"] - start > 0.4 and peak["gold"] - end > 0.15
    gao = fit_gao_curve(curve)
    assert gao["alpha"] > 0 and gao["b"] > 0  # concave in sqrt(KL): up, then down


@pytest.mark.reproduces('over-optimisation under best-of-n (Gao, Schulman & Hilton 2022)')
def test_best_of_n_shows_the_same_shape():
    curve = overoptimisation_curve(MODEL, proxy(0).reward(), ns=[1, 2, 4, 8, 16, 32, 64, 256])
    assert np.all(np.diff(curve["proxy"]) > -1e-12)
    peak = gold_peak(curve)
    assert peak["gold"] > curve["gold"].iloc[0] + 0.3 and peak["gold"] > curve["gold"].iloc[-1]


def test_no_overoptimisation_when_the_reward_is_gold_itself():
    curve = overoptimisation_curve(MODEL, MODEL.gold_reward)
    assert curve["gold"].is_monotonic_increasing


def test_a_judge_who_only_wants_helpfulness_is_hacked_less():
    careful = [overoptimisation_curve(MODEL, proxy(s, preference={}).reward()) for s in range(3)]
    biased = [overoptimisation_curve(MODEL, proxy(s).reward()) for s in range(3)]
    drop = lambda cs: np.mean([gold_peak(c)["gold"] - c["gold"].iloc[-1] for c in cs])  # noqa
    final = lambda cs: np.mean([c["gold"].iloc[-1] for c in cs])  # noqa
    assert final(careful) > final(biased)
    assert drop(careful) < drop(biased)


@pytest.mark.parametrize("seed", range(3))
def test_hacked_feature_is_one_the_judge_was_biased_toward(seed):
    rm = proxy(seed)  # the default judge likes long, positive answers
    curve = overoptimisation_curve(MODEL, rm.reward())
    table = hacked_features(MODEL, rm, curve)
    assert table["name"].iloc[0] in {"words", "positivity"}
    assert table["proxy_gain"].iloc[0] > 0 and table.attrs["gold_drop"] > 0


def test_figure():
    fig = overoptimisation_figure(overoptimisation_curve(MODEL, proxy(0).reward()))
    assert fig.layout.title.text and fig.layout.xaxis.title.text and len(fig.data) == 2


def test_hacked_summary_says_whether_gold_fell():
    import pandas as pd

    from course_lib.methods.overoptimisation import hacked_summary

    table = pd.DataFrame({"feature": ["exclamation marks", "length (words)"]})
    table.attrs["gold_drop"] = 0.4
    assert "gold fell by 0.40" in hacked_summary(table) and "exclamation" in hacked_summary(table)
    table.attrs["gold_drop"] = 0.0
    assert "did not fall" in hacked_summary(table) and "fell by" not in hacked_summary(table)


def test_best_of_1_rounding_gives_no_sqrt_warning():
    """Best-of-1 is the reference itself: its KL rounds to about -2e-16, √ of which warned
    'invalid value encountered in sqrt'. It counts as 0 now, without any RuntimeWarning."""
    import warnings

    reward = proxy(0).reward()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        curve = overoptimisation_curve(MODEL, reward, ns=[1, 2, 4, 256])
        tilt = overoptimisation_curve(MODEL, reward)
    for c in (curve, tilt):
        assert (c["kl"] >= 0).all() and c["sqrt_kl"].notna().all(), c[["pressure", "kl"]]
    assert curve.loc[curve["pressure"] == 1, "sqrt_kl"].iloc[0] == 0.0


def test_a_truly_negative_kl_is_an_error_not_a_nan():
    from course_lib.methods.overoptimisation import KL_ROUNDING, _rounded_kl

    assert _rounded_kl(-2.25e-16) == 0.0 and _rounded_kl(-KL_ROUNDING) == 0.0
    assert _rounded_kl(0.3) == 0.3
    with pytest.raises(ValueError, match="never negative.*add up to 1"):
        _rounded_kl(-0.05, "best-of-n", 4)
