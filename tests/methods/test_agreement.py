"""Agreement metrics against scikit-learn, statsmodels and the krippendorff package (1e-9)."""
import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.methods.agreement import (
    AgreementUndefined,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    landis_koch,
)

SEEDS = range(12)


def _correlated(rng, n_items, n_raters, k, noise):
    """Ratings that agree partly: a true value per item plus rater noise, on 0..k-1."""
    truth = rng.integers(0, k, n_items)
    r = truth[:, None] + rng.normal(0, noise, (n_items, n_raters))
    return np.clip(np.rint(r), 0, k - 1).astype(int)


@pytest.mark.reproduces("Cohen's kappa (1960, weighted 1968) equals scikit-learn's to 1e-9")
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_matches_sklearn(seed, weights):
    rng = np.random.default_rng(seed)
    r = _correlated(rng, 60, 2, 9, noise=1.0 + seed / 6) - 4
    ours = cohen_kappa(r[:, 0], r[:, 1], weights=weights)
    assert ours == pytest.approx(cohen_kappa_score(r[:, 0], r[:, 1], weights=weights),
                                 abs=1e-9)
    scale = list(range(-4, 5))
    ours = cohen_kappa(r[:, 0], r[:, 1], weights=weights, labels=scale)
    ref = cohen_kappa_score(r[:, 0], r[:, 1], weights=weights, labels=scale)
    assert ours == pytest.approx(ref, abs=1e-9)


def test_cohen_text_labels_and_perfect_and_disagreement():
    a = ["pos", "neg", "neg", "pos", "neu", "neg"]
    b = ["pos", "neg", "pos", "pos", "neu", "neu"]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)
    assert cohen_kappa(a, a) == 1.0
    assert cohen_kappa([0, 1, 0, 1], [1, 0, 1, 0]) == pytest.approx(-1.0)


@pytest.mark.reproduces("Fleiss' kappa (1971) equals statsmodels' to 1e-9")
@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_matches_statsmodels(seed):
    rng = np.random.default_rng(100 + seed)
    r = _correlated(rng, 40, 3 + seed % 5, 5, noise=0.6 + seed / 8)
    table, _ = aggregate_raters(r)
    assert fleiss_kappa(r) == pytest.approx(sm_fleiss(table, method="fleiss"), abs=1e-9)


@pytest.mark.reproduces("Krippendorff's alpha equals the krippendorff package to 1e-9")
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_krippendorff_matches_package(seed, level):
    rng = np.random.default_rng(200 + seed)
    r = _correlated(rng, 50, 2 + seed % 6, 9, noise=0.8 + seed / 5).astype(float) - 4
    r[rng.random(r.shape) < 0.15] = np.nan            # gaps, as real rating data has
    ours = krippendorff_alpha(r, level=level)
    ref = krippendorff.alpha(reliability_data=r.T, level_of_measurement=level)
    assert ours == pytest.approx(ref, abs=1e-9)


def test_krippendorff_on_real_vader_shape_with_none_and_text():
    data = [["a", "a", None], ["b", "b", "b"], ["a", "b", "a"], [None, "c", "c"]]
    codes = {"a": 0.0, "b": 1.0, "c": 2.0, None: np.nan}
    numeric = np.array([[codes[v] for v in row] for row in data]).T
    ref = krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(ref, abs=1e-9)


def test_two_raters_alpha_close_to_kappa_on_large_samples():
    rng = np.random.default_rng(5)
    r = _correlated(rng, 4000, 2, 4, noise=0.7)
    assert krippendorff_alpha(r) == pytest.approx(cohen_kappa(r[:, 0], r[:, 1]), abs=2e-3)


# -- bad input: friendly, named, never a silent NaN -------------------------------------
def test_identical_labels_are_undefined_not_nan():
    with pytest.raises(AgreementUndefined, match="undefined.*every label is 3"):
        cohen_kappa([3, 3, 3], [3, 3, 3])
    with pytest.raises(AgreementUndefined, match="Fleiss"):
        fleiss_kappa([[1, 1], [1, 1]])
    with pytest.raises(AgreementUndefined, match="Krippendorff"):
        krippendorff_alpha([[2, 2], [2, 2, ][:2]], level="interval")
    with pytest.raises(ValueError):                    # still a ValueError for callers
        cohen_kappa(["x"], ["x"], weights="quadratic")


def test_mismatched_lengths():
    with pytest.raises(CourseValueError, match="`rater_a` has 3 labels and `rater_b` has 2"):
        cohen_kappa([1, 2, 3], [1, 2])


def test_labels_outside_the_scale():
    with pytest.raises(CourseValueError, match=r"outside the scale: \[7\]"):
        cohen_kappa([1, 7], [1, 2], labels=range(-4, 5))
    with pytest.raises(CourseValueError, match="outside the scale"):
        krippendorff_alpha([[1, 9], [2, 2]], labels=range(-4, 5))
    with pytest.raises(CourseValueError, match="outside the scale"):
        fleiss_kappa([[1, 9], [2, 2]], labels=[1, 2])


def test_single_rater():
    with pytest.raises(CourseValueError, match="at least two raters"):
        fleiss_kappa([[1], [2], [3]])
    with pytest.raises(CourseValueError, match="at least two raters"):
        krippendorff_alpha([[1], [2]])
    with pytest.raises(CourseValueError, match="no item rated by two"):
        krippendorff_alpha([[1, None], [None, 2]])


def test_other_bad_input():
    with pytest.raises(CourseValueError, match="weights"):
        cohen_kappa([1, 2], [1, 2], weights="cubic")
    with pytest.raises(CourseTypeError, match="list of labels"):
        cohen_kappa("abc", "abc")
    with pytest.raises(CourseValueError, match="missing"):
        cohen_kappa([1, None], [1, 2])
    with pytest.raises(CourseValueError, match="empty"):
        cohen_kappa([], [])
    with pytest.raises(CourseValueError, match="same length"):
        fleiss_kappa([[1, 2], [1, 2, 3]])
    with pytest.raises(CourseValueError, match="gaps"):
        fleiss_kappa([[1, 2], [1, None]])
    with pytest.raises(CourseTypeError, match="needs numbers"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")
    with pytest.raises(CourseValueError, match="level"):
        krippendorff_alpha([[1, 2]], level="ratio")


@pytest.mark.parametrize("value, words", [(-0.2, "poor (less than chance)"), (0.0, "slight"),
                                          (0.2, "slight"), (0.21, "fair"), (0.5, "moderate"),
                                          (0.61, "substantial"), (0.81, "almost perfect"),
                                          (1.0, "almost perfect")])
def test_landis_koch(value, words):
    assert landis_koch(value) == words


def test_landis_koch_rejects_nan_and_out_of_range():
    with pytest.raises(CourseTypeError):
        landis_koch(float("nan"))
    with pytest.raises(CourseValueError):
        landis_koch(1.5)
