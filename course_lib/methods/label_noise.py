"""Label noise in both halves of machine learning: training labels and test labels.

- Training: a model trained on labels with a controlled share of errors (:func:`flip_labels`,
  :func:`noise_curve`) — including the learner's own labels — scored on clean test labels.
- Evaluation: a model whose true accuracy is ``a``, scored against test labels with symmetric
  noise η over K classes, *measures*

  .. math:: a(1-\\eta) + (1-a)\\,\\eta/(K-1)

  (:func:`measured_accuracy`; :func:`simulate_measured_accuracy` checks it by simulation).
  Real label errors are not symmetric; Northcutt, Athalye & Mueller (2021, "Pervasive label
  errors in test sets destabilize machine learning benchmarks", NeurIPS Datasets and
  Benchmarks) found at least 3.3% errors on average across the test sets of 10 common
  benchmarks, enough to change which model looks best.

Examples
--------
>>> round(measured_accuracy(0.9, 0.1, 10), 4)
0.8111
>>> flip_labels([0, 1, 2, 3], 1.0, n_classes=4, random_state=0).tolist() != [0, 1, 2, 3]
True
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_array, check_int, check_number, check_random_state
from ..core.validation import check_count, check_list

NORTHCUTT_2021_MIN_AVERAGE_ERROR = 0.033


def _check_rate(name, value):
    return check_number(name, value, minimum=0, maximum=1)


def _check_data(X_train, y_train, X_test, y_test):
    """Features (2-D, numbers) and whole-number labels, one per row, with friendly errors."""
    X_train = check_array("X_train", X_train, ndim=2)
    X_test = check_array("X_test", X_test, ndim=2)
    if X_train.shape[1] != X_test.shape[1]:
        raise CourseValueError(f"`X_train` has {X_train.shape[1]} features per row and `X_test` "
                               f"{X_test.shape[1]}: they must describe items the same way.")
    ys = []
    for name, y, X in (("y_train", y_train, X_train), ("y_test", y_test, X_test)):
        y = check_array(name, y)
        if np.any(y < 0) or np.any(y % 1 != 0):
            raise CourseValueError(f"`{name}` must hold classes 0, 1, 2, ... (whole numbers).")
        if len(y) != len(X):
            raise CourseValueError(f"`{name}` has {len(y)} labels for {len(X)} rows of features.")
        ys.append(y.astype(int))
    return X_train, ys[0], X_test, ys[1]


def _check_estimator(estimator):
    if not (hasattr(estimator, "fit") and hasattr(estimator, "score")):
        raise CourseTypeError("`estimator` must be a scikit-learn classifier (with .fit and "
                              f".score), e.g. default_classifier(); got {type(estimator).__name__}.")
    return estimator


def flip_labels(y, rate, *, n_classes=None, random_state=None):
    """Symmetric label noise: each label, with probability ``rate``, becomes another class.

    The wrong class is drawn uniformly from the other ``n_classes - 1`` classes.

    Parameters
    ----------
    y : array of int
        Class labels 0 .. n_classes-1.
    rate : float
        Noise rate η from 0 to 1.
    n_classes : int, optional
        Number of classes K (default: ``max(y) + 1``).
    random_state : int, Generator or None

    Returns
    -------
    ndarray of int
    """
    y = check_array("y", y).astype(int)
    rate = _check_rate("rate", rate)
    k = check_int("n_classes", n_classes if n_classes is not None else int(y.max()) + 1,
                  minimum=2)
    if y.min() < 0 or y.max() >= k:
        raise CourseValueError(f"`y` must hold classes 0 to {k - 1}; got values from "
                               f"{y.min()} to {y.max()}.")
    rng = check_random_state(random_state)
    flip = rng.random(len(y)) < rate
    shift = rng.integers(1, k, len(y))            # 1..K-1: never the same class
    return np.where(flip, (y + shift) % k, y)


def measured_accuracy(accuracy, noise, n_classes):
    """Expected accuracy measured on noisy test labels: a(1−η) + (1−a)·η/(K−1).

    Right answers count when the test label is right (1−η); a wrong answer counts when the
    noise turned the test label into exactly that wrong class (η/(K−1)), assuming the model's
    mistakes and the label noise are independent and spread evenly over the other classes.

    >>> measured_accuracy(1.0, 0.05, 10)
    0.95
    """
    a = check_number("accuracy", accuracy, minimum=0, maximum=1)
    eta = _check_rate("noise", noise)
    k = check_int("n_classes", n_classes, minimum=2)
    return a * (1 - eta) + (1 - a) * eta / (k - 1)


def simulate_measured_accuracy(accuracy, noise, n_classes, *, n_items=100_000,
                               random_state=None):
    """Score a simulated model of true accuracy ``accuracy`` against noisy test labels.

    Returns
    -------
    dict
        ``true`` (accuracy on the clean labels) and ``measured`` (on the noisy ones).
    """
    a = check_number("accuracy", accuracy, minimum=0, maximum=1)
    k = check_int("n_classes", n_classes, minimum=2)
    n = check_count("n_items", n_items)
    rng = check_random_state(random_state)
    truth = rng.integers(0, k, n)
    wrong = rng.random(n) >= a
    predicted = np.where(wrong, (truth + rng.integers(1, k, n)) % k, truth)
    noisy = flip_labels(truth, noise, n_classes=k, random_state=rng)
    return {"true": float(np.mean(predicted == truth)),
            "measured": float(np.mean(predicted == noisy))}


def simulate_model_choice(noise, *, n_classes=10, honest_accuracy=0.90,
                          copying_accuracy=0.87, n_items=100_000, random_state=None):
    """Two models scored on test labels with *systematic* errors: which one looks better?

    The labellers confuse each class with one other (say 4 with 9) on a share ``noise`` of
    the test items. Model "honest" is right ``honest_accuracy`` of the time and its mistakes
    are random. Model "copying" is worse (``copying_accuracy``), but it learned the labellers'
    habit: wherever the test label is wrong, it gives the same wrong answer. Scored on the
    noisy labels, "copying" gains exactly ``noise`` (expected: copying_accuracy + η) while
    "honest" loses (a(1−η) + (1−a)·η/(K−1) up to a small term), so a few percent of label
    errors can make the worse model look better (Northcutt et al. 2021).

    Returns
    -------
    pandas.DataFrame
        One row per model: ``model``, ``true`` and ``measured`` accuracy.
    """
    eta = _check_rate("noise", noise)
    k = check_int("n_classes", n_classes, minimum=2)
    a_h = check_number("honest_accuracy", honest_accuracy, minimum=0, maximum=1)
    a_c = check_number("copying_accuracy", copying_accuracy, minimum=0, maximum=1 - eta)
    n = check_count("n_items", n_items)
    rng = check_random_state(random_state)
    truth = rng.integers(0, k, n)
    flipped = rng.random(n) < eta
    labels = np.where(flipped, (truth + 1) % k, truth)          # one habitual confusion
    honest = np.where(rng.random(n) < a_h, truth, (truth + rng.integers(1, k, n)) % k)
    right_elsewhere = rng.random(n) < a_c / (1 - eta) if eta < 1 else np.zeros(n, bool)
    copying = np.where(flipped, labels,
                       np.where(right_elsewhere, truth, (truth + rng.integers(1, k, n)) % k))
    return pd.DataFrame([
        {"model": name, "true": float(np.mean(pred == truth)),
         "measured": float(np.mean(pred == labels))}
        for name, pred in (("honest", honest), ("copying", copying))])


def noise_curve(X_train, y_train, X_test, y_test, rates, *, estimator=None, repeats=10,
                n_classes=None, random_state=None):
    """Clean-test accuracy of a classifier trained on labels with noise rate η, for each η.

    Parameters
    ----------
    X_train, y_train : arrays
        Training data and its (clean) labels.
    X_test, y_test : arrays
        Test data and its clean labels.
    rates : sequence of float
        Noise rates to try.
    estimator : scikit-learn classifier, optional
        Cloned for each fit. Default: :func:`default_classifier` (1-nearest-neighbour).
    repeats : int, default=10
        Noise draws per rate (the mean and spread are reported).
    n_classes : int, optional
    random_state : int, Generator or None

    Returns
    -------
    pandas.DataFrame
        Columns ``noise``, ``accuracy`` (mean), ``sd``.
    """
    from sklearn.base import clone

    rng = check_random_state(random_state)
    repeats = check_count("repeats", repeats, maximum=10_000)
    X_train, y_train, X_test, y_test = _check_data(X_train, y_train, X_test, y_test)
    rates = [_check_rate("a noise rate in `rates`", r)
             for r in check_list("rates", rates, what="a list of noise rates, e.g. [0, 0.1, 0.2]")]
    if estimator is not None:
        _check_estimator(estimator)
    if n_classes is not None:
        check_int("n_classes", n_classes, minimum=2)
    k = n_classes or int(max(y_train.max(), np.max(y_test))) + 1
    if estimator is None:
        # 1-NN's neighbours do not depend on the labels: find them once, then each noisy
        # training set's predictions are its labels at those neighbours (same answers as
        # refitting, hundreds of times faster).
        nearest = default_classifier().fit(X_train, y_train).kneighbors(
            X_test, return_distance=False)[:, 0]

        def score(noisy):
            return float(np.mean(noisy[nearest] == y_test))
    else:
        def score(noisy):
            return clean_accuracy(clone(estimator), X_train, noisy, X_test, y_test)
    rows = []
    for rate in rates:
        scores = []
        for _ in range(repeats if rate > 0 else 1):
            scores.append(score(flip_labels(y_train, rate, n_classes=k, random_state=rng)))
        rows.append({"noise": float(rate), "accuracy": float(np.mean(scores)),
                     "sd": float(np.std(scores))})
    return pd.DataFrame(rows)


def clean_accuracy(estimator, X_train, y_train, X_test, y_test):
    """Fit ``estimator`` on (X_train, y_train); its accuracy on the clean test labels."""
    X_train, y_train, X_test, y_test = _check_data(X_train, y_train, X_test, y_test)
    if len(np.unique(y_train)) < 2:
        return float(np.mean(np.asarray(y_test) == y_train[0]))
    _check_estimator(estimator)
    return float(estimator.fit(X_train, y_train).score(X_test, y_test))


def default_classifier():
    """The classifier part 2 trains on digits: 1-nearest-neighbour.

    It gives each new digit the label of the most similar training digit, so every wrong
    training label is copied straight into its answers: its clean-test accuracy under
    symmetric noise η follows the same a(1−η) + (1−a)η/(K−1) as a measurement does. It also
    fits in a millisecond, which keeps the notebook fast.
    """
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=1)
