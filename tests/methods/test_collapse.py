"""Model collapse: the published closed forms, checked against simulation (seeds and tolerances stated)."""
import math

import numpy as np
import pytest

from course_lib.core.errors import CourseError
from course_lib.methods import collapse as mc
from course_lib.methods.collapse import (
    DigitsGaussian,
    GaussianModel,
    Step,
    WordResampler,
    expected_variance,
    gaussian_chains,
    median_variance,
    regression_collapse,
    retrain,
    schedule,
)


@pytest.mark.reproduces("Gaussian MLE refit: E[sigma2_t] = sigma2_0((n-1)/n)^t (Shumailov et al. 2024)")
def test_expected_variance_matches_simulation():
    v = gaussian_chains(n=20, generations=30, n_chains=20000, random_state=1)
    for t in (1, 5, 10, 30):
        sem = v[t].std() / math.sqrt(v.shape[1])
        assert abs(v[t].mean() - expected_variance(1.0, n=20, generations=t)) < 4 * sem


@pytest.mark.reproduces("Gaussian MLE refit: the median variance falls about as e^(-2t/n)")
def test_median_follows_e_minus_2t_over_n():
    v = gaussian_chains(n=100, generations=100, n_chains=4000, random_state=2)
    for t in (25, 50, 100):
        med = np.median(v[t])
        assert med == pytest.approx(median_variance(1.0, n=100, generations=t), rel=0.06)
        assert med == pytest.approx(median_variance(1.0, n=100, generations=t, exact=True),
                                    rel=0.04)


@pytest.mark.reproduces("unbiased variance: the mean stays sigma2_0 while the median falls as e^(-t/(n-1))")
def test_unbiased_mean_stays_while_median_falls():
    v = gaussian_chains(n=20, generations=30, n_chains=20000, ddof=1, random_state=3)
    for t in (10, 30):
        sem = v[t].std() / math.sqrt(v.shape[1])
        assert abs(v[t].mean() - 1.0) < 4 * sem
        assert np.median(v[t]) == pytest.approx(
            median_variance(1.0, n=20, generations=t, ddof=1, exact=True), rel=0.05)
        assert np.median(v[t]) == pytest.approx(
            median_variance(1.0, n=20, generations=t, ddof=1), rel=0.08)
    assert np.median(v[30]) < 0.3


@pytest.mark.reproduces("tails: P(|x| > 2 sigma_0) under the fitted model falls toward 0")
def test_tail_mass_falls_toward_zero():
    v = gaussian_chains(n=20, generations=100, n_chains=2000, random_state=4)
    tails = [mc.tail_mass(0.0, float(np.median(v[t])), width=2.0) for t in (0, 10, 30, 100)]
    assert tails[0] == pytest.approx(0.0455, abs=1e-4)
    assert tails == sorted(tails, reverse=True) and tails[-1] < 1e-6


@pytest.mark.reproduces("a word seen c times vanishes in one resampling with probability ~ e^(-c)")
def test_word_survival_law_on_a_learner_sized_corpus():
    from course_lib.methods.collapse_text import words_of
    from course_lib.methods.corpus import assemble, load_sources
    s = load_sources(["jargon_file", "devils_dictionary"])
    words = words_of(assemble(s, {k: 1 for k in s}, total_words=5000, random_state=0).texts)
    t = mc.word_survival(words, n_resamples=300, random_state=5).set_index("count")
    assert t.loc[1, "vanished"] == pytest.approx(math.exp(-1), abs=0.02)
    for c in (1, 2, 3):
        n = t.loc[c, "words"] * 300
        p = t.loc[c, "predicted"]
        assert abs(t.loc[c, "vanished"] - p) < 5 * math.sqrt(p * (1 - p) / n) + 0.005
        assert p == pytest.approx(math.exp(-c), rel=0.01)


@pytest.mark.reproduces("distinct words fall under replacement, not under accumulation")
def test_types_fall_under_replace_not_accumulate():
    rng = np.random.default_rng(6)
    words = list(rng.zipf(1.5, 3000).astype(int))
    k = lambda m, d: {"types": len(m.counts_)}
    rep = retrain(WordResampler(), words, schedule(10), n_samples=3000, measure=k,
                  random_state=0).table["types"]
    acc = retrain(WordResampler(), words, schedule(10, "accumulate"), n_samples=3000,
                  measure=k, random_state=0).table["types"]
    assert all(np.diff(rep) <= 0) and rep.iloc[-1] < 0.6 * rep.iloc[0]
    assert all(acc == acc.iloc[0])


@pytest.mark.reproduces("Gerstgrasser et al. 2024: replace error ~ t sigma2 d/(T-d-1); accumulate <= (pi^2/6) sigma2 d/(T-d-1)")
def test_regression_replace_linear_accumulate_bounded():
    d, T = 10, 50
    rep = regression_collapse(d=d, T=T, generations=8, mode="replace", n_repeats=1500,
                              random_state=7)
    acc = regression_collapse(d=d, T=T, generations=8, mode="accumulate", n_repeats=1500,
                              random_state=7)
    for t in (rep, acc):
        assert np.all(np.abs(t["test_error"] - t["formula"]) < 4 * t["sem"] + 0.02 * t["formula"])
    bound = math.pi ** 2 / 6 * d / (T - d - 1)
    assert acc["test_error"].max() < bound and acc["formula"].max() < bound
    assert rep["test_error"].iloc[-1] > 3 * bound


@pytest.mark.reproduces("a share of fresh human data keeps the model near the original (Bertrand et al. 2024)")
def test_fresh_data_keeps_the_model_near_the_original():
    med = {f: np.median(gaussian_chains(n=20, generations=200, n_chains=2000, fresh=f,
                                         random_state=8)[-1]) for f in (0.0, 0.2, 0.5)}
    assert med[0.0] < 1e-4
    assert 0.6 < med[0.2] < med[0.5] <= 1.0


def test_digit_models_pixel_variance_falls():
    from course_lib.core.data import load_digits
    d = load_digits()
    idx = np.concatenate([np.flatnonzero(d.target == c)[:6] for c in range(10)])
    run = retrain(DigitsGaussian(), (d.data[idx], d.target[idx]), schedule(8), n_samples=100,
                  measure=lambda m, _: {"v": m.pixel_variance()}, random_state=9)
    v = run.table["v"].to_numpy()
    assert v[-1] < 0.5 * v[0] and v[4] < v[0]
    assert np.mean(np.diff(v) < 0) >= 0.75


def test_retrain_mixes_fresh_data_and_accumulates():
    human = np.arange(10.0)
    run = retrain(GaussianModel(), human, [Step("replace", 0.5), Step("accumulate", 1.0)],
                  n_samples=10, random_state=0, keep_samples=True)
    assert list(run.table["n_train"]) == [10, 10, 20]
    assert list(run.table["synthetic_share"]) == [0.0, 0.5, 0.25]
    assert set(run.samples[1]) <= set(human)          # 100% fresh: only human numbers


@pytest.mark.parametrize("call, match", [
    (lambda: GaussianModel().fit([1.0, 2.0]).sample(0), "0 sample"),
    (lambda: GaussianModel().fit([]), "at least"),
    (lambda: schedule(0), "at least 1"),
    (lambda: Step("replace", 1.5), "from 0"),
    (lambda: Step("replace", -0.1), "from 0"),
    (lambda: Step("keep", 0.1), "one of"),
    (lambda: retrain(GaussianModel(), [1.0, 2.0], schedule(2), n_samples=0), "0 sample"),
    (lambda: retrain(GaussianModel(), [], schedule(2), n_samples=3), "empty"),
    (lambda: gaussian_chains(n=10, generations=0), "at least 1"),
    (lambda: gaussian_chains(n=10, generations=2, fresh=2.0), "from 0"),
    (lambda: GaussianModel().fit([1, 2]).sample(-3), "0|at least"),
    (lambda: GaussianModel().sample(3), "not fitted"),
    (lambda: mc.vanish_probability(5, total=3), "cannot be more"),
    (lambda: regression_collapse(d=10, T=5), "T"),
])
def test_bad_input_gets_a_friendly_message(call, match):
    with pytest.raises(CourseError, match=match):
        call()
