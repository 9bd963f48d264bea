"""Model collapse: generative models retrained, generation after generation, on their own output.

A generative model is fitted to human data, samples new data, and the next model is fitted on
that sample (*replace*), on everything so far (*accumulate*), or on a sample mixed with a share
of *fresh* human data. Whatever the sample misses by chance is gone for the next model: the
variance shrinks, the tails thin, rare values vanish (Shumailov et al., "AI models collapse when
trained on recursively generated data", Nature 631, 2024).

Estimators (scikit-learn style: parameters in ``__init__``, ``fit`` returns ``self``, learned
attributes end in ``_``, ``sample(n, random_state=...)``):

:class:`GaussianModel`
    A normal distribution fitted by maximum likelihood (``ddof=0``) or with the unbiased
    variance (``ddof=1``).
:class:`DigitsGaussian`
    One multivariate normal per digit class over the 64 pixels of an 8×8 image.
:class:`WordResampler`
    A unigram model (word frequencies): sampling it is resampling the words, which is how a
    word seen ``c`` times in ``N`` disappears with probability ``(1 − c/N)^N ≈ e^(−c)``.

:func:`retrain` runs the loop under a schedule of :class:`Step` (one per generation: replace or
accumulate, and the share of fresh human data). The closed forms the tests check are here too:
:func:`expected_variance`, :func:`median_variance`, :func:`tail_mass`,
:func:`vanish_probability`, and the linear-regression results of Gerstgrasser et al. (2024),
:func:`regression_error_replace` and :func:`regression_error_accumulate`, reproduced by
:func:`regression_collapse`.

Examples
--------
>>> import numpy as np
>>> human = np.random.default_rng(0).normal(0, 1, 20)
>>> run = retrain(GaussianModel(), human, replace_schedule(5), n_samples=20, random_state=0)
>>> list(run.table["generation"])
[0, 1, 2, 3, 4, 5]
>>> round(expected_variance(1.0, n=20, generations=5), 4)   # ((n-1)/n)^t
0.7738
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import (
    _show,
    check_array,
    check_callable,
    check_choice,
    check_count,
    check_flag,
    check_frame,
    check_has,
    check_int,
    check_is_fitted,
    check_list,
    check_mapping,
    check_number,
    check_random_state,
    check_text,
)

MODES = ("replace", "accumulate")
#: The most generations a simulation runs (more would take minutes and show nothing new).
MAX_GENERATIONS = 1000
#: The most numbers one simulation may draw in all (chains × samples × generations).
MAX_DRAWS = 50_000_000
#: The largest variance a simulation starts from or adds as noise: its draws are squared and
#: summed, and beyond this they would overflow to inf (rescale the data instead).
MAX_VARIANCE = 1e12


# --------------------------------------------------------------------------- small checks
def check_generations(generations, *, minimum=1):
    """``generations`` as an int from ``minimum`` to :data:`MAX_GENERATIONS` (friendly errors).

    >>> check_generations(0)
    Traceback (most recent call last):
    ...
    course_lib.core.errors.CourseValueError: `generations` must be at least 1: a model has to be retrained at least once to show anything; got 0.
    """
    minimum = check_int("minimum", minimum)
    if isinstance(generations, bool) or not isinstance(generations, (int, np.integer)):
        raise CourseTypeError(f"`generations` must be a whole number such as 10; got "
                              f"{type(generations).__name__}.")
    if generations < minimum:
        raise CourseValueError(f"`generations` must be at least {minimum}: a model has to be "
                               f"retrained at least once to show anything; got {generations}.")
    return check_int("generations", generations, maximum=MAX_GENERATIONS)


def check_fraction(name, value):
    """``value`` as a float in [0, 1] (a share), with a message that says so.

    >>> check_fraction("fresh", 1.5)
    Traceback (most recent call last):
    ...
    course_lib.core.errors.CourseValueError: `fresh` is a share of the data, from 0 (none) to 1 (all); got 1.5.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise CourseTypeError(f"`{name}` must be a number from 0 to 1 (a share, e.g. 0.2 for "
                              f"20%); got {type(value).__name__}.")
    value = float(value)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise CourseValueError(f"`{name}` is a share of the data, from 0 (none) to 1 (all); "
                               f"got {value:g}.")
    return value


def check_samples(name, value, *, minimum=1, maximum=1_000_000):
    """``value`` as a count of samples >= ``minimum`` ("0 samples" gets a plain reason)."""
    minimum = check_int("minimum", minimum)
    maximum = check_int("maximum", maximum, minimum=minimum)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise CourseTypeError(f"`{name}` must be a whole number of samples such as 100; got "
                              f"{type(value).__name__}.")
    if value < minimum:
        raise CourseValueError(f"`{name}` must be at least {minimum}: a model cannot be fitted "
                               f"on {value} sample(s).")
    return check_count(name, value, minimum=minimum, maximum=maximum)


def _check_budget(draws):
    if draws > MAX_DRAWS:
        raise CourseValueError(f"That simulation would draw {draws:,.0f} numbers (more than "
                               f"{MAX_DRAWS:,}): it would take too long. Use fewer generations, "
                               "samples or repeats.")


# --------------------------------------------------------------------------- schedules
@dataclass(frozen=True)
class Step:
    """What one generation trains on.

    Attributes
    ----------
    mode : str
        ``"replace"``: only this generation's data; ``"accumulate"``: everything so far.
    fresh : float
        The share (0–1) of this generation's new data that is fresh human data; the rest is
        sampled from the previous model.
    """

    mode: str = "replace"
    fresh: float = 0.0

    def __post_init__(self):
        check_choice("mode", self.mode, MODES)
        object.__setattr__(self, "fresh", check_fraction("fresh", self.fresh))

    @property
    def label(self):
        """``"replace, 20% fresh"``."""
        return f"{self.mode}, {self.fresh:.0%} fresh"


def schedule(generations, mode="replace", fresh=0.0):
    """The same :class:`Step` for every one of ``generations``.

    >>> [s.label for s in schedule(2, "accumulate", 0.1)]
    ['accumulate, 10% fresh', 'accumulate, 10% fresh']
    """
    generations = check_generations(generations)
    return [Step(mode, fresh)] * generations


def replace_schedule(generations):
    """Pure replacement: each model trains only on the previous model's samples."""
    return schedule(generations, "replace", 0.0)


def check_schedule(steps):
    """``steps`` as a list of :class:`Step` (dicts ``{"mode", "fresh"}`` are accepted)."""
    steps = check_list("schedule", steps, what="a list of Step(mode, fresh), one per generation")
    if not steps:
        raise CourseValueError("`schedule` is empty: give at least one generation, e.g. "
                               "replace_schedule(10).")
    if len(steps) > MAX_GENERATIONS:
        raise CourseValueError(f"`schedule` has {len(steps)} generations; at most "
                               f"{MAX_GENERATIONS} are allowed.")
    out = []
    for i, s in enumerate(steps):
        if isinstance(s, Step):
            out.append(s)
        elif isinstance(s, dict) and set(s) <= {"mode", "fresh"}:
            out.append(Step(s.get("mode", "replace"), s.get("fresh", 0.0)))
        else:
            raise CourseTypeError(f"`schedule[{i}]` must be a Step(mode, fresh) or a dict "
                                  f"{{'mode': 'replace', 'fresh': 0.2}}; got {type(s).__name__}.")
    return out


# --------------------------------------------------------------------------- estimators
class _Estimator:
    """get_params / repr shared by the estimators here (so ``sklearn.base.clone`` works)."""

    _params: tuple = ()

    def get_params(self, deep=True):
        """The constructor's parameters as a dict."""
        return {p: getattr(self, p) for p in self._params}

    def set_params(self, **params):
        """Set constructor parameters; an unknown name gets a friendly error."""
        for k, v in params.items():
            check_choice("parameter name", k, self._params)
            setattr(self, k, v)
        return self

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"


class GaussianModel(_Estimator):
    """A normal distribution fitted to numbers, and sampled.

    Parameters
    ----------
    ddof : {0, 1}, default=0
        ``0``: the maximum-likelihood variance (divide by n), as Shumailov et al. analyse;
        ``1``: the unbiased variance (divide by n − 1).

    Attributes
    ----------
    mean_ : float
    var_ : float
    n_samples_ : int

    Examples
    --------
    >>> m = GaussianModel().fit([1.0, 2.0, 3.0])
    >>> m.mean_, round(m.var_, 4)
    (2.0, 0.6667)
    >>> m.sample(4, random_state=0).shape
    (4,)
    """

    _params = ("ddof",)

    def __init__(self, *, ddof=0):
        self.ddof = ddof

    def fit(self, x, y=None):
        """Fit the mean and the variance of the numbers ``x``; returns ``self``."""
        ddof = check_choice("ddof", self.ddof, [0, 1])
        x = check_array("x", x, min_len=ddof + 1)
        self.mean_ = float(np.mean(x))
        self.var_ = float(np.var(x, ddof=ddof))
        self.n_samples_ = len(x)
        return self

    def sample(self, n=1, *, random_state=None):
        """``n`` numbers drawn from the fitted normal distribution."""
        check_is_fitted(self, "var_", fit_call=".fit(numbers)")
        n = check_samples("n", n)
        rng = check_random_state(random_state)
        return rng.normal(self.mean_, math.sqrt(self.var_), n)

    def tail_mass(self, center, width):
        """P(|x − center| > width) under the fitted model (see :func:`tail_mass`)."""
        check_is_fitted(self, "var_", fit_call=".fit(numbers)")
        return tail_mass(self.mean_, self.var_, center=center, width=width)


class DigitsGaussian(_Estimator):
    """One multivariate normal per digit class over the pixels of the images.

    Sampled images are clipped to the pixel range of scikit-learn's digits (0–16). With few
    images per class the fitted covariance has low rank: samples are blends of the images it
    saw, which is what makes a rare way of writing a digit vanish once no sample resembles it.

    Parameters
    ----------
    ddof : {0, 1}, default=0
        As in :class:`GaussianModel` (0: maximum likelihood).

    Attributes
    ----------
    classes_ : ndarray
    means_ : ndarray of shape (n_classes, n_pixels)
    covariances_ : ndarray of shape (n_classes, n_pixels, n_pixels)
    counts_ : ndarray
        Images per class in the training data (samples keep these proportions).

    Examples
    --------
    >>> from course_lib.core.data import load_digits
    >>> d = load_digits()
    >>> m = DigitsGaussian().fit((d.data[:200], d.target[:200]))
    >>> X, y = m.sample(30, random_state=0)
    >>> X.shape, sorted(set(y.tolist())) == list(range(10))
    ((30, 64), True)
    """

    _params = ("ddof",)
    PIXEL_MAX = 16.0

    def __init__(self, *, ddof=0):
        self.ddof = ddof

    def fit(self, data, y=None):
        """Fit each class's mean and covariance; ``data`` is ``(images, labels)``.

        ``images`` has one row per image (64 pixels, or 8×8 arrays) and ``labels`` its digit.
        """
        ddof = check_choice("ddof", self.ddof, [0, 1])
        X, labels = _images_and_labels(data, y)
        classes, counts = np.unique(labels, return_counts=True)
        if np.any(counts <= ddof):
            raise CourseValueError(f"Every digit needs at least {ddof + 1} image(s) to fit its "
                                   f"distribution; {classes[counts <= ddof].tolist()} have fewer.")
        self.classes_ = classes
        self.counts_ = counts
        self.means_ = np.stack([X[labels == c].mean(axis=0) for c in classes])
        self.covariances_ = np.stack([np.atleast_2d(np.cov(X[labels == c], rowvar=False,
                                                           ddof=ddof))
                                      if (labels == c).sum() > 1 else np.zeros((X.shape[1],) * 2)
                                      for c in classes])
        return self

    def _factors(self):
        if getattr(self, "_factor_cache", None) is None or self._factor_cache[0] is not self.covariances_:
            factors = []
            for cov in self.covariances_:
                w, v = np.linalg.eigh(cov)
                factors.append(v * np.sqrt(np.clip(w, 0, None)))
            self._factor_cache = (self.covariances_, factors)
        return self._factor_cache[1]

    def sample(self, n=1, *, random_state=None):
        """``(images, labels)``: ``n`` images, classes in the training proportions."""
        check_is_fitted(self, "covariances_", fit_call=".fit((images, labels))")
        n = check_samples("n", n, maximum=100_000)
        rng = check_random_state(random_state)
        share = self.counts_ / self.counts_.sum()
        per_class = np.floor(share * n).astype(int)
        rest = n - per_class.sum()
        if rest:
            per_class[np.argsort(-(share * n - per_class), kind="stable")[:rest]] += 1
        images, labels = [], []
        for k, (mean, factor) in enumerate(zip(self.means_, self._factors())):
            if per_class[k] == 0:
                continue
            z = rng.standard_normal((per_class[k], len(mean)))
            images.append(mean + z @ factor.T)
            labels.append(np.full(per_class[k], self.classes_[k]))
        X = np.clip(np.concatenate(images), 0.0, self.PIXEL_MAX)
        return X, np.concatenate(labels)

    def pixel_variance(self):
        """The mean over classes and pixels of the fitted per-pixel variance."""
        check_is_fitted(self, "covariances_", fit_call=".fit((images, labels))")
        return float(np.mean([np.diag(c).mean() for c in self.covariances_]))


def _images_and_labels(data, y=None):
    if y is None:
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise CourseTypeError("`data` must be a pair (images, labels), e.g. "
                                  "(digits.data, digits.target).")
        data, y = data
    X = np.asarray(check_array("images", data, ndim=np.ndim(data) if np.ndim(data) in (2, 3)
                               else 2), dtype=float)
    if X.ndim == 3:
        X = X.reshape(len(X), -1)
    labels = check_array("labels", y)
    if len(labels) != len(X):
        raise CourseValueError(f"`images` and `labels` must have the same length; got "
                               f"{len(X)} and {len(labels)}.")
    if X.shape[1] == 0:
        raise CourseValueError("`images` have no pixels.")
    return X, labels.astype(int)


class WordResampler(_Estimator):
    """A unigram model: the frequency of every word; sampling it resamples words.

    Attributes
    ----------
    vocabulary_ : ndarray of str
    counts_ : ndarray of int

    Examples
    --------
    >>> m = WordResampler().fit(["a", "a", "b", "c"])
    >>> len(m.vocabulary_), int(m.counts_.sum())
    (3, 4)
    >>> sorted(set(m.sample(10, random_state=0))) <= ["a", "b", "c"]
    True
    """

    _params = ()

    def fit(self, tokens, y=None):
        """Count the words in ``tokens`` (a list of words, or of integer word ids)."""
        tokens = check_list("tokens", tokens, what="a list of words")
        if not tokens:
            raise CourseValueError("`tokens` is empty: a word model needs at least one word.")
        if all(isinstance(t, str) for t in tokens):
            tokens = np.asarray(tokens, dtype=object).astype(str)
        elif all(isinstance(t, (int, np.integer)) and not isinstance(t, bool) for t in tokens):
            tokens = np.asarray(tokens, dtype=np.int64)     # word ids: the same, faster
        else:
            raise CourseTypeError("`tokens` must be a list of words (text) or of word ids "
                                  "(whole numbers).")
        vocab, counts = np.unique(tokens, return_counts=True)
        self.vocabulary_, self.counts_ = vocab, counts
        return self

    def sample(self, n=1, *, random_state=None):
        """``n`` words drawn with the fitted frequencies (a list of str)."""
        check_is_fitted(self, "counts_", fit_call=".fit(words)")
        n = check_samples("n", n, maximum=5_000_000)
        rng = check_random_state(random_state)
        drawn = rng.multinomial(n, self.counts_ / self.counts_.sum())
        return list(np.repeat(self.vocabulary_, drawn)[rng.permutation(n)])


# --------------------------------------------------------------------------- the loop
def _size(data):
    if isinstance(data, tuple) and len(data) == 2:
        return len(data[0])
    return len(data)


def _human_size(human):
    """How many samples the human data holds (a friendly error when it is not data)."""
    what = ("`human` must be the human data: an array of numbers, a list of texts or words, "
            "or (images, labels)")
    if human is None or isinstance(human, (str, bytes, dict)) or not hasattr(human, "__len__"):
        raise CourseTypeError(f"{what}; got {type(human).__name__}.")
    try:
        return _size(human)
    except TypeError:     # a 0-d array, or a pair whose first part has no length
        raise CourseTypeError(f"{what}; got {_show(human)}.") from None


def _take(data, idx):
    if isinstance(data, tuple) and len(data) == 2:
        return (np.asarray(data[0])[idx], np.asarray(data[1])[idx])
    if isinstance(data, np.ndarray):
        return data[idx]
    return [data[i] for i in idx]


def _concat(a, b):
    if isinstance(a, tuple) and len(a) == 2:
        return (np.concatenate([np.asarray(a[0]), np.asarray(b[0])]),
                np.concatenate([np.asarray(a[1]), np.asarray(b[1])]))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.concatenate([np.asarray(a), np.asarray(b)])
    return list(a) + list(b)


def _clone(model):
    return type(model)(**model.get_params())


@dataclass
class CollapseRun:
    """What :func:`retrain` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per generation (0 = the model fitted on the human data): ``generation``,
        ``mode``, ``fresh``, ``n_train`` (size of its training data), ``synthetic_share``
        (share of its training data that a model generated), and the columns ``measure``
        returned.
    models : list
        The fitted model of every generation (``keep_models=True``), else only the last.
    samples : list
        What each generation's model sampled for the next (``keep_samples=True``).
    """

    table: pd.DataFrame
    models: list = field(default_factory=list)
    samples: list = field(default_factory=list)


def check_runs(runs, *, columns=(), what="a dict {name: CollapseRun}, e.g. from text_runs(...)"):
    """``runs`` if it is a non-empty dict of :class:`CollapseRun` whose tables have ``columns``.

    >>> check_runs({"replace": 1})
    Traceback (most recent call last):
    ...
    course_lib.core.errors.CourseTypeError: `runs['replace']` must be a CollapseRun (what retrain(...) returns); got int.
    """
    columns = [check_text("columns[]", c) for c in check_list("columns", columns,
                                                             what="a list of column names")]
    runs = check_mapping("runs", runs, what=what)
    if not runs:
        raise CourseValueError(f"`runs` is empty: it must be {what}.")
    for name, run in runs.items():
        if not isinstance(run, CollapseRun):
            raise CourseTypeError(f"`runs[{_show(name)}]` must be a CollapseRun (what "
                                  f"retrain(...) returns); got {type(run).__name__}.")
        check_frame(f"runs[{_show(name)}].table", run.table, ["generation", *columns],
                    what=f"the table of one of {what}")
        check_list(f"runs[{_show(name)}].samples", run.samples, what="a list of samples")
    return runs


def retrain(model, human, schedule, *, n_samples, measure=None, random_state=None,
            keep_models=False, keep_samples=False, progress=None):
    """Fit ``model`` on ``human`` data, then refit it generation by generation on its output.

    At generation t, the previous model samples ``n_samples × (1 − fresh)`` items and
    ``n_samples × fresh`` items are drawn from ``human`` (without replacement when there are
    enough); the new model is fitted on those (``"replace"``) or on everything so far
    (``"accumulate"``).

    Parameters
    ----------
    model : estimator
        Unfitted, with ``fit(data)``, ``sample(n, random_state=...)`` and ``get_params()``
        (:class:`GaussianModel`, :class:`DigitsGaussian`, :class:`WordResampler`, the course's
        n-gram model...).
    human : array, list, or (images, labels)
        The human data: generation 0 is fitted on all of it; fresh data is drawn from it.
    schedule : list of Step
        One :class:`Step` per generation (see :func:`schedule`).
    n_samples : int
        How many items each generation adds.
    measure : callable, optional
        ``measure(model, data)`` returns a dict of numbers for the table (e.g. the variance).
    random_state : int, Generator or None
    keep_models, keep_samples : bool, default=False
    progress : callable, optional
        ``progress(done, total)`` after each generation (for a progress bar).

    Returns
    -------
    CollapseRun
    """
    check_has("model", model, ["fit", "sample", "get_params"],
              what="an unfitted generative model with fit, sample and get_params, e.g. "
                   "GaussianModel()")
    steps = check_schedule(schedule)
    n_samples = check_samples("n_samples", n_samples, maximum=200_000)
    if measure is not None:
        check_callable("measure", measure)
    if progress is not None:
        check_callable("progress", progress)
    n_human = _human_size(human)
    if n_human < 1:
        raise CourseValueError("`human` is empty: there are 0 samples to fit the first model on.")
    rng = check_random_state(random_state)
    current = _clone(model).fit(human)
    data, synthetic = human, 0
    rows, models, samples = [], [current], []

    def row(t, step, m, d):
        out = {"generation": t, "mode": step.mode if step else "human",
               "fresh": step.fresh if step else 1.0, "n_train": _size(d),
               "synthetic_share": synthetic / max(_size(d), 1)}
        if measure is not None:
            extra = measure(m, d)
            if not isinstance(extra, dict):
                raise CourseTypeError("`measure` must return a dict of numbers, e.g. "
                                      "{'variance': model.var_}.")
            out.update(extra)
        return out

    rows.append(row(0, None, current, data))
    for t, step in enumerate(steps, start=1):
        k_fresh = int(round(step.fresh * n_samples))
        k_model = n_samples - k_fresh
        parts = []
        if k_model:
            parts.append(current.sample(k_model, random_state=rng))
        if k_fresh:
            idx = rng.choice(n_human, k_fresh, replace=k_fresh > n_human)
            parts.append(_take(human, idx))
        new = parts[0] if len(parts) == 1 else _concat(parts[0], parts[1])
        if keep_samples:
            samples.append(new)
        if step.mode == "replace":
            data, synthetic = new, k_model
        else:
            data, synthetic = _concat(data, new), synthetic + k_model
        current = _clone(model).fit(data)
        if keep_models:
            models.append(current)
        else:
            models[-1:] = [current]
        rows.append(row(t, step, current, data))
        if progress is not None:
            progress(t, len(steps))
    return CollapseRun(pd.DataFrame(rows), models, samples)


# --------------------------------------------------------------------------- Gaussian chains
def gaussian_chains(*, n, generations, n_chains=1000, ddof=0, fresh=0.0, sigma2=1.0,
                    random_state=None):
    """The fitted variance of many independent Gaussian chains, generation by generation.

    Each chain starts from N(0, ``sigma2``) and refits on ``n`` of its own samples per
    generation (replacement), a share ``fresh`` of which are fresh draws from N(0, ``sigma2``).
    Vectorised over chains; this is what the closed forms are checked against.

    Returns
    -------
    numpy.ndarray of shape (generations + 1, n_chains)
        Row t: the variance each chain's model has after t refits (row 0: ``sigma2``).

    Examples
    --------
    >>> v = gaussian_chains(n=10, generations=3, n_chains=4, random_state=0)
    >>> v.shape, float(v[0, 0])
    ((4, 4), 1.0)
    """
    n = check_samples("n", n, minimum=2, maximum=100_000)
    generations = check_generations(generations)
    n_chains = check_samples("n_chains", n_chains, maximum=1_000_000)
    ddof = check_choice("ddof", ddof, [0, 1])
    fresh = check_fraction("fresh", fresh)
    sigma2 = check_number("sigma2", sigma2, minimum=0, strict_minimum=True,
                          maximum=MAX_VARIANCE)
    _check_budget(n * generations * n_chains)
    rng = check_random_state(random_state)
    k_fresh = int(round(fresh * n))
    mean = np.zeros(n_chains)
    var = np.full(n_chains, sigma2)
    out = [var.copy()]
    for _ in range(generations):
        x = mean[:, None] + np.sqrt(var)[:, None] * rng.standard_normal((n_chains, n - k_fresh))
        if k_fresh:
            x = np.concatenate([x, math.sqrt(sigma2) * rng.standard_normal((n_chains, k_fresh))],
                               axis=1)
        mean, var = x.mean(axis=1), x.var(axis=1, ddof=ddof)
        out.append(var.copy())
    return np.array(out)


def expected_variance(sigma2, *, n, generations, ddof=0):
    """E[σ²_t] after ``generations`` refits on ``n`` samples each: σ²₀((n−1)/n)^t (MLE), σ²₀ (unbiased).

    The MLE variance of n normal draws has mean (n−1)/n times the true variance, and each
    generation's truth is the previous fit (Shumailov et al. 2024).

    >>> expected_variance(4.0, n=2, generations=2)
    1.0
    """
    sigma2 = check_number("sigma2", sigma2, minimum=0)
    n = check_samples("n", n, minimum=2, maximum=10**9)
    generations = check_int("generations", generations, minimum=0, maximum=10**6)
    ddof = check_choice("ddof", ddof, [0, 1])
    return float(sigma2) if ddof == 1 else float(sigma2 * ((n - 1) / n) ** generations)


def median_variance(sigma2, *, n, generations, ddof=0, exact=False):
    """The median σ²_t of a chain: ≈ σ²₀·e^(−2t/n) (MLE), ≈ σ²₀·e^(−t/(n−1)) (unbiased).

    log σ²_t is a sum of t independent terms log(χ²_{n−1}/n) (or /(n−1)), so for large t its
    median is near its mean. ``exact=True`` uses that mean exactly,
    E log χ²_k = ψ(k/2) + log 2; the default is the large-n approximation the paper states.

    >>> round(median_variance(1.0, n=100, generations=50), 4)   # e^(-1)
    0.3679
    """
    sigma2 = check_number("sigma2", sigma2, minimum=0)
    n = check_samples("n", n, minimum=2, maximum=10**9)
    generations = check_int("generations", generations, minimum=0, maximum=10**6)
    ddof = check_choice("ddof", ddof, [0, 1])
    if check_flag("exact", exact):
        from scipy.special import digamma
        per_step = float(digamma((n - 1) / 2) + math.log(2) - math.log(n - ddof))
        return float(sigma2 * math.exp(per_step * generations))
    rate = 2 / n if ddof == 0 else 1 / (n - 1)
    return float(sigma2 * math.exp(-rate * generations))


def tail_mass(mean, var, *, center=0.0, width):
    """P(|x − center| > width) for x ~ N(mean, var): the tails a model still produces.

    >>> round(tail_mass(0.0, 1.0, width=2.0), 4)     # a fresh model: 4.55% beyond 2σ
    0.0455
    >>> tail_mass(0.0, 0.0, width=2.0)
    0.0
    """
    mean = check_number("mean", mean)
    var = check_number("var", var, minimum=0)
    center = check_number("center", center)
    width = check_number("width", width, minimum=0)
    if var == 0:
        return float(abs(mean - center) > width)
    s = math.sqrt(2 * var)
    hi = 0.5 * math.erfc((center + width - mean) / s)
    lo = 0.5 * math.erfc((mean - center + width) / s)
    return float(hi + lo)


def vanish_probability(count, total=None):
    """The chance that a word seen ``count`` times is missing from one resample of ``total`` words.

    Exactly (1 − c/N)^N when ``total`` (N) is given; e^(−c) for a large corpus (``total=None``).

    >>> round(vanish_probability(1), 3), round(vanish_probability(1, total=1000), 3)
    (0.368, 0.368)
    """
    count = check_number("count", count, minimum=0)
    if total is None:
        return float(math.exp(-count))
    total = check_samples("total", total, maximum=10**12)
    if count > total:
        raise CourseValueError(f"`count` ({count:g}) cannot be more than `total` ({total}).")
    return float((1 - count / total) ** total)


def word_survival(tokens, *, n_resamples=200, random_state=None):
    """Measured share of words that vanish in one resampling generation, by how often they were seen.

    Every resample draws as many words as ``tokens`` holds, with its frequencies (a
    :class:`WordResampler`). For each count c: the share of the words seen c times that the
    resample misses, next to (1 − c/N)^N and e^(−c).

    Returns
    -------
    pandas.DataFrame
        ``count, words, vanished, predicted, e_minus_c`` for counts 1–6.
    """
    m = WordResampler().fit(tokens)
    n_resamples = check_samples("n_resamples", n_resamples, maximum=100_000)
    N = int(m.counts_.sum())
    _check_budget(N * n_resamples)
    rng = check_random_state(random_state)
    p = m.counts_ / N
    missing = np.zeros(len(p))
    for _ in range(n_resamples):
        missing += rng.multinomial(N, p) == 0
    rows = []
    for c in range(1, 7):
        sel = m.counts_ == c
        if not sel.any():
            continue
        rows.append({"count": c, "words": int(sel.sum()),
                     "vanished": float(missing[sel].mean() / n_resamples),
                     "predicted": vanish_probability(c, N), "e_minus_c": math.exp(-c)})
    return pd.DataFrame(rows, columns=["count", "words", "vanished", "predicted", "e_minus_c"])


# --------------------------------------------------------------------------- linear regression
def regression_error_replace(t, *, sigma2, d, T):
    """Gerstgrasser et al. (2024): expected test error after t fits, replacing data: t·σ²d/(T−d−1).

    >>> regression_error_replace(3, sigma2=1.0, d=10, T=51)
    0.75
    """
    t, sigma2, d, T = _regression_args(t, sigma2, d, T)
    return float(t * sigma2 * d / (T - d - 1))


def regression_error_accumulate(t, *, sigma2, d, T):
    """Accumulating data: σ²d/(T−d−1)·Σ_{i=1..t} 1/i², never above (π²/6)·σ²d/(T−d−1).

    >>> round(regression_error_accumulate(2, sigma2=1.0, d=10, T=51), 4)   # 0.25 · (1 + 1/4)
    0.3125
    """
    t, sigma2, d, T = _regression_args(t, sigma2, d, T)
    return float(sigma2 * d / (T - d - 1) * sum(1 / i ** 2 for i in range(1, t + 1)))


def _regression_args(t, sigma2, d, T):
    t = check_int("t", t, minimum=1, maximum=10**6)
    sigma2 = check_number("sigma2", sigma2, minimum=0)
    d = check_int("d", d, minimum=1, maximum=10**6)
    T = check_int("T", T, minimum=1, maximum=10**9)
    if T <= d + 1:
        raise CourseValueError(f"`T` (samples per generation) must be more than d + 1 = {d + 1} "
                               f"for the formula to hold; got {T}.")
    return t, sigma2, d, T


def regression_collapse(*, d=10, T=50, generations=10, sigma2=1.0, mode="replace",
                        n_repeats=200, random_state=None):
    """Linear regression retrained on labels its previous fit made (Gerstgrasser et al. 2024).

    Each generation draws T new inputs x ~ N(0, I_d); generation 1's labels are the truth
    y = xᵀw* + ε, every later generation's are the previous fit's predictions plus new noise
    ε ~ N(0, σ²). Ordinary least squares is fitted on this generation's data (``"replace"``)
    or on all generations' data (``"accumulate"``). The test error is E[(xᵀŵ − xᵀw*)²] =
    ||ŵ − w*||², averaged over ``n_repeats`` runs.

    Returns
    -------
    pandas.DataFrame
        ``generation`` (1..generations), ``test_error`` (mean), ``sem`` (its standard error)
        and ``formula`` (the closed form).
    """
    d = check_int("d", d, minimum=1, maximum=200)
    T = check_int("T", T, minimum=d + 2, maximum=100_000)
    generations = check_generations(generations)
    sigma2 = check_number("sigma2", sigma2, minimum=0, maximum=MAX_VARIANCE)
    mode = check_choice("mode", mode, MODES)
    n_repeats = check_samples("n_repeats", n_repeats, maximum=100_000)
    _check_budget(n_repeats * T * d * generations * (generations if mode == "accumulate" else 1))
    rng = check_random_state(random_state)
    sigma = math.sqrt(sigma2)
    w_true = np.zeros((n_repeats, d))
    w = w_true.copy()
    XtX = np.zeros((n_repeats, d, d))
    Xty = np.zeros((n_repeats, d))
    errors = []
    for _ in range(generations):
        X = rng.standard_normal((n_repeats, T, d))
        y = np.einsum("rtd,rd->rt", X, w) + sigma * rng.standard_normal((n_repeats, T))
        if mode == "replace":
            A, b = np.einsum("rti,rtj->rij", X, X), np.einsum("rti,rt->ri", X, y)
        else:
            XtX += np.einsum("rti,rtj->rij", X, X)
            Xty += np.einsum("rti,rt->ri", X, y)
            A, b = XtX, Xty
        w = np.linalg.solve(A, b[..., None])[..., 0]
        errors.append(np.sum((w - w_true) ** 2, axis=1))
    errors = np.array(errors)
    formula = regression_error_replace if mode == "replace" else regression_error_accumulate
    return pd.DataFrame({
        "generation": np.arange(1, generations + 1),
        "test_error": errors.mean(axis=1),
        "sem": errors.std(axis=1, ddof=1) / math.sqrt(n_repeats) if n_repeats > 1 else 0.0,
        "formula": [formula(t, sigma2=sigma2, d=d, T=T) for t in range(1, generations + 1)]})
