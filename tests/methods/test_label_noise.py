"""Label noise: the flip is what it says, the measured-accuracy formula, the training curve."""
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.neighbors import KNeighborsClassifier

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.methods.label_noise import (
    clean_accuracy,
    flip_labels,
    measured_accuracy,
    noise_curve,
    simulate_measured_accuracy,
    simulate_model_choice,
)


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.3, 0.8])
def test_flip_rate_and_symmetry(rate):
    y = np.repeat(np.arange(5), 20_000)
    noisy = flip_labels(y, rate, n_classes=5, random_state=1)
    flipped = noisy != y
    assert flipped.mean() == pytest.approx(rate, abs=0.01)
    if rate > 0:                                 # wrong classes are spread evenly
        wrong = noisy[flipped & (y == 0)]
        share = np.bincount(wrong, minlength=5)[1:] / len(wrong)
        assert np.allclose(share, 0.25, atol=0.02)
        assert not np.any(noisy[flipped] == y[flipped])


@pytest.mark.parametrize("a, eta, k", [(0.9, 0.1, 10), (0.7, 0.3, 3), (0.5, 0.05, 2),
                                       (0.95, 0.2, 10), (0.3, 0.5, 4)])
@pytest.mark.reproduces('measured accuracy under symmetric noise = a(1-eta) + (1-a) eta/(K-1)')
def test_measured_accuracy_formula_matches_simulation(a, eta, k):
    n = 400_000
    sim = simulate_measured_accuracy(a, eta, k, n_items=n, random_state=11)
    expected = measured_accuracy(a, eta, k)
    se = np.sqrt(expected * (1 - expected) / n)
    assert sim["true"] == pytest.approx(a, abs=5 * np.sqrt(a * (1 - a) / n) + 1e-12)
    assert sim["measured"] == pytest.approx(expected, abs=5 * se)


@pytest.mark.reproduces('measured accuracy under symmetric noise, closed-form values')
def test_formula_closed_form_values():
    assert measured_accuracy(0.9, 0.1, 10) == pytest.approx(0.9 * 0.9 + 0.1 * 0.1 / 9)
    assert measured_accuracy(1.0, 0.0, 5) == 1.0
    # at eta = (K-1)/K the labels carry no information: every model measures 1/K
    assert measured_accuracy(0.2, 0.9, 10) == pytest.approx(0.1)
    assert measured_accuracy(0.99, 0.9, 10) == pytest.approx(0.1)


@pytest.mark.reproduces('noisy test labels pick the worse model (Northcutt, Athalye & Mueller 2021)')
def test_systematic_noise_makes_the_worse_model_look_better():
    df = simulate_model_choice(0.05, n_items=200_000, random_state=2).set_index("model")
    assert df.loc["honest", "true"] > df.loc["copying", "true"]
    assert df.loc["copying", "measured"] > df.loc["honest", "measured"]
    assert df.loc["copying", "measured"] == pytest.approx(0.87 + 0.05, abs=0.005)
    assert df.loc["honest", "measured"] == pytest.approx(measured_accuracy(0.9, 0.05, 10),
                                                         abs=0.005)
    clean = simulate_model_choice(0.0, n_items=200_000, random_state=2).set_index("model")
    assert clean.loc["honest", "measured"] > clean.loc["copying", "measured"]


def test_noise_curve_falls_with_noise():
    d = load_digits()
    X, y = d.data, d.target
    curve = noise_curve(X[:600], y[:600], X[600:], y[600:], [0.0, 0.3, 0.6],
                        estimator=KNeighborsClassifier(n_neighbors=1), repeats=3,
                        random_state=0)
    acc = curve["accuracy"].to_numpy()
    assert acc[0] > 0.9 and acc[0] > acc[1] > acc[2]
    # 1-NN copies its neighbour's (noisy) label, so the same formula predicts its fall
    assert acc[1] == pytest.approx(measured_accuracy(acc[0], 0.3, 10), abs=0.03)
    assert acc[2] == pytest.approx(measured_accuracy(acc[0], 0.6, 10), abs=0.03)


def test_fast_default_equals_refitting_1nn():
    d = load_digits()
    X, y = d.data, d.target
    args = (X[:300], y[:300], X[300:700], y[300:700], [0.0, 0.2, 0.5])
    fast = noise_curve(*args, repeats=4, random_state=3)
    slow = noise_curve(*args, estimator=KNeighborsClassifier(n_neighbors=1), repeats=4,
                       random_state=3)
    assert fast.equals(slow)


def test_clean_accuracy_with_a_single_class():
    assert clean_accuracy(None, np.zeros((3, 2)), [1, 1, 1], np.zeros((2, 2)), [1, 0]) == 0.5


def test_bad_input():
    with pytest.raises(CourseValueError, match="`rate`"):
        flip_labels([0, 1], 1.5)
    with pytest.raises(CourseValueError, match="classes 0 to 1"):
        flip_labels([0, 3], 0.1, n_classes=2)
    with pytest.raises(CourseTypeError):
        measured_accuracy("high", 0.1, 10)
    with pytest.raises(CourseValueError, match="n_classes"):
        measured_accuracy(0.9, 0.1, 1)
