"""Many people's labels, one answer: majority vote and Dawid–Skene.

A *crowd* is simulated from annotators whose confusion matrices are known (row = true class,
column = the label they give), so we can check what each method recovers.
:class:`DawidSkene` (Dawid & Skene 1979, "Maximum likelihood estimation of observer
error-rates using the EM algorithm") learns each annotator's confusion matrix and the true
labels together by expectation–maximisation; it trusts good annotators more than majority
vote, which counts every vote the same.

Labels are a table **items × annotators** of classes 0..K-1, with -1 where an annotator did
not label an item.

Examples
--------
>>> crowd = [annotator_confusion(a, 3) for a in (0.9, 0.6, 0.6)]
>>> y, labels = simulate_crowd(2000, crowd, random_state=0)
>>> ds = DawidSkene(n_classes=3).fit(labels)
>>> np.round(ds.accuracies_, 1).tolist()
[0.9, 0.6, 0.6]
"""
from __future__ import annotations

import numpy as np

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import (
    check_array,
    check_count,
    check_int,
    check_is_fitted,
    check_number,
    check_random_state,
)

MISSING = -1


def annotator_confusion(accuracy, n_classes, *, confuse=None):
    """A confusion matrix: right with probability ``accuracy``, else wrong evenly.

    Parameters
    ----------
    accuracy : float
        Chance of the right label, for every class.
    n_classes : int
    confuse : dict {true class: other class}, optional
        Habitual confusions: for these classes every mistake is that one other class.

    >>> annotator_confusion(0.8, 3).round(2).tolist()
    [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]
    """
    a = check_number("accuracy", accuracy, minimum=0, maximum=1)
    k = check_int("n_classes", n_classes, minimum=2)
    m = np.full((k, k), (1 - a) / (k - 1))
    np.fill_diagonal(m, a)
    if confuse is not None and not isinstance(confuse, dict):
        raise CourseTypeError("`confuse` must be a dict {true class: other class}, e.g. {3: 8}; "
                              f"got {type(confuse).__name__}.")
    for true, other in (confuse or {}).items():
        check_int("a class in `confuse`", true, minimum=0, maximum=k - 1)
        check_int(f"confuse[{true}]", other, minimum=0, maximum=k - 1)
        m[true] = 0.0
        m[true, true], m[true, other] = a, 1 - a
    return m


def _check_confusions(confusions):
    if isinstance(confusions, (str, bytes, dict)) or not hasattr(confusions, "__iter__"):
        raise CourseTypeError("`confusions` must be a list of K×K matrices, one per annotator "
                              f"(e.g. [annotator_confusion(0.8, 3)]); got {type(confusions).__name__}.")
    try:
        mats = [np.asarray(m, dtype=float) for m in confusions]
    except (TypeError, ValueError):
        raise CourseValueError("`confusions` must be a list of K×K matrices of probabilities, "
                               "one per annotator.") from None
    if not mats:
        raise CourseValueError("`confusions` is empty: a crowd needs at least one annotator.")
    k = mats[0].shape[0] if mats[0].ndim else 0
    for i, m in enumerate(mats):
        if m.ndim != 2 or k < 2 or m.shape != (k, k) or not np.all(np.isfinite(m)) or np.any(m < 0) or not np.allclose(m.sum(1), 1):
            raise CourseValueError(f"`confusions[{i}]` must be a {k}×{k} matrix whose rows are "
                                   "probabilities summing to 1 (row = true class).")
    return np.stack(mats)


def simulate_crowd(n_items, confusions, *, priors=None, coverage=1.0, truth=None,
                   random_state=None):
    """Labels from simulated annotators with known confusion matrices.

    Parameters
    ----------
    n_items : int
    confusions : list of (K, K) arrays
        One per annotator; row t gives the chances of each label when the truth is t.
    priors : array, optional
        Class frequencies (default: equal).
    coverage : float, default=1.0
        Chance each annotator labels each item (the rest are -1).
    truth : array of int, optional
        Use these true classes instead of drawing them.
    random_state : int, Generator or None

    Returns
    -------
    (truth, labels) : (ndarray (n_items,), ndarray (n_items, n_annotators))
    """
    conf = _check_confusions(confusions)
    n_ann, k, _ = conf.shape
    rng = check_random_state(random_state)
    coverage = check_number("coverage", coverage, minimum=0, maximum=1)
    if truth is None:
        n = check_count("n_items", n_items, maximum=1_000_000)
        p = np.full(k, 1 / k) if priors is None else check_array("priors", priors)
        if len(p) != k or np.any(p < 0) or p.sum() <= 0:
            raise CourseValueError(f"`priors` must be {k} class frequencies >= 0 (one per class); "
                                   f"got {p.tolist()[:10]}.")
        truth = rng.choice(k, size=n, p=p / p.sum())
    truth = check_array("truth", truth)
    if len(truth) > 1_000_000 or np.any((truth < 0) | (truth >= k) | (truth % 1 != 0)):
        raise CourseValueError(f"`truth` must be at most 1,000,000 classes, each a whole number "
                               f"from 0 to {k - 1}.")
    truth = truth.astype(int)
    cum = np.cumsum(conf[:, truth, :], axis=2)              # annotators × items × K
    u = rng.random((n_ann, len(truth), 1))
    labels = np.minimum((u > cum).sum(axis=2), k - 1).T     # items × annotators
    labels = np.where(rng.random(labels.shape) < coverage, labels, MISSING)
    return truth, labels


def _check_labels(labels, n_classes):
    if isinstance(labels, (str, bytes, dict)):
        raise CourseTypeError("`labels` must be a table items × annotators (a list of lists or "
                              f"a 2-D array); got {type(labels).__name__}.")
    try:
        arr = np.asarray(labels)
        if arr.dtype.kind not in "iufb":
            arr = arr.astype(float)
    except (TypeError, ValueError):
        raise CourseValueError("`labels` must be a table items × annotators with the same "
                               "number of entries in every row (use -1 where an annotator did "
                               "not label an item), holding whole-number classes.") from None
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise CourseValueError("`labels` must be a table items × annotators (use -1 where an "
                               f"annotator did not label an item); got shape {arr.shape}.")
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.all(np.isfinite(arr[arr != MISSING]) & (arr[arr != MISSING] % 1 == 0)):
            raise CourseValueError("`labels` must hold whole-number classes (or -1 for none).")
        arr = arr.astype(int)
    k = n_classes if n_classes is not None else int(arr.max()) + 1
    k = check_int("n_classes", k, minimum=2)
    bad = (arr != MISSING) & ((arr < 0) | (arr >= k))
    if bad.any():
        raise CourseValueError(f"`labels` must be classes 0 to {k - 1} or -1 (no label); got "
                               f"{arr[bad][0]}.")
    if np.any((arr != MISSING).sum(1) == 0):
        raise CourseValueError("Some items have no label at all; drop them first.")
    return arr, k


def vote_counts(labels, n_classes=None):
    """Items × classes: how many annotators gave each item each class."""
    arr, k = _check_labels(labels, n_classes)
    counts = np.zeros((arr.shape[0], k))
    for j in range(arr.shape[1]):
        ok = arr[:, j] != MISSING
        counts[np.nonzero(ok)[0], arr[ok, j]] += 1
    return counts


def majority_vote(labels, *, n_classes=None, random_state=None):
    """The most frequent label of each item; ties broken at random (seeded).

    >>> majority_vote([[0, 0, 1], [2, 1, 2]]).tolist()
    [0, 2]
    """
    counts = vote_counts(labels, n_classes)
    rng = check_random_state(random_state)
    noise = rng.random(counts.shape) * 0.5                  # < 1: only breaks ties
    return np.argmax(counts + noise, axis=1)


class DawidSkene:
    """Dawid–Skene: learn each annotator's confusion matrix and the true labels by EM.

    Parameters
    ----------
    n_classes : int, optional
        K (default: the largest label + 1).
    max_iter : int, default=100
    tol : float, default=1e-6
        Stop when the log-likelihood improves by less than this.
    smoothing : float, default=0.01
        Added to every confusion count so no probability is exactly 0.

    Attributes
    ----------
    posteriors_ : ndarray (n_items, K)
        P(true class | all labels) for each item.
    confusions_ : ndarray (n_annotators, K, K)
        Estimated confusion matrix of each annotator (row = true class).
    priors_ : ndarray (K,)
    accuracies_ : ndarray (n_annotators,)
        Estimated accuracy of each annotator: sum over classes of prior × diagonal.
    n_iter_ : int
    log_likelihood_ : float
    """

    def __init__(self, *, n_classes=None, max_iter=100, tol=1e-6, smoothing=0.01):
        self.n_classes = n_classes
        self.max_iter = max_iter
        self.tol = tol
        self.smoothing = smoothing

    def fit(self, labels):
        """Run EM from the majority-vote shares; returns self."""
        arr, k = _check_labels(labels, self.n_classes)
        max_iter = check_int("max_iter", self.max_iter, minimum=1)
        tol = check_number("tol", self.tol, minimum=0)
        smoothing = check_number("smoothing", self.smoothing, minimum=0)
        n_ann = arr.shape[1]
        onehot = np.zeros((arr.shape[0], n_ann, k))          # item × annotator × label
        i, j = np.nonzero(arr != MISSING)
        onehot[i, j, arr[i, j]] = 1
        counts = onehot.sum(1)
        post = counts / counts.sum(1, keepdims=True)         # start from vote shares
        previous = -np.inf
        for it in range(1, max_iter + 1):
            priors = post.mean(0)
            conf = np.einsum("it,iak->atk", post, onehot) + smoothing
            conf /= conf.sum(2, keepdims=True)
            log_post, loglik = self._e_step(onehot, priors, conf)
            post = np.exp(log_post)
            if loglik - previous < tol:
                break
            previous = loglik
        self.priors_, self.confusions_, self.posteriors_ = priors, conf, post
        self.accuracies_ = np.einsum("t,att->a", priors, conf)
        self.n_iter_, self.log_likelihood_, self.n_classes_ = it, float(loglik), k
        return self

    @staticmethod
    def _e_step(onehot, priors, conf):
        log_joint = np.log(np.maximum(priors, 1e-300)) + np.einsum(
            "iak,atk->it", onehot, np.log(conf))
        norm = np.logaddexp.reduce(log_joint, axis=1, keepdims=True)
        return log_joint - norm, float(norm.sum())

    def predict_proba(self, labels):
        """P(true class | labels) for each item, using the fitted confusion matrices."""
        self._check_fitted()
        arr, _ = _check_labels(labels, self.n_classes_)
        if arr.shape[1] != len(self.confusions_):
            raise CourseValueError(f"`labels` has {arr.shape[1]} annotators; the model was "
                                   f"fitted on {len(self.confusions_)}.")
        onehot = np.zeros((arr.shape[0], arr.shape[1], self.n_classes_))
        i, j = np.nonzero(arr != MISSING)
        onehot[i, j, arr[i, j]] = 1
        return np.exp(self._e_step(onehot, self.priors_, self.confusions_)[0])

    def predict(self, labels):
        """The most probable true class of each item."""
        return np.argmax(self.predict_proba(labels), axis=1)

    def fit_predict(self, labels):
        """Fit, then the most probable true class of each item of the same labels."""
        return np.argmax(self.fit(labels).posteriors_, axis=1)

    def _check_fitted(self):
        check_is_fitted(self, "confusions_", fit_call=".fit(labels)")

    def __repr__(self):
        return (f"DawidSkene(n_classes={self.n_classes}, max_iter={self.max_iter}, "
                f"tol={self.tol}, smoothing={self.smoothing})")
