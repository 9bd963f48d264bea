"""Small checks for public functions, with messages a learner can act on.

Every check names the parameter, says what is allowed and shows what arrived::

    >>> check_int("n", 0, minimum=1)
    Traceback (most recent call last):
    ...
    course_lib.core.errors.CourseValueError: `n` must be an integer >= 1; got 0.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from .errors import CourseTypeError, CourseValueError


def _show(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_int(name, value, *, minimum=None, maximum=None):
    """Return ``value`` as an int, or raise a friendly error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise CourseTypeError(f"`{name}` must be a whole number; got {_show(value)} "
                              f"({type(value).__name__}).")
    value = int(value)
    _check_range(name, value, minimum, maximum, "an integer")
    return value


def check_number(name, value, *, minimum=None, maximum=None, strict_minimum=False):
    """Return ``value`` as a finite float, or raise a friendly error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CourseTypeError(f"`{name}` must be a number; got {_show(value)} "
                              f"({type(value).__name__}).")
    value = float(value)
    if not np.isfinite(value):
        raise CourseValueError(f"`{name}` must be a finite number; got {value}.")
    if strict_minimum and minimum is not None and value <= minimum:
        raise CourseValueError(f"`{name}` must be a number > {minimum}; got {value:g}.")
    _check_range(name, value, None if strict_minimum else minimum, maximum, "a number")
    return value


def _check_range(name, value, minimum, maximum, what):
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise CourseValueError(f"`{name}` must be {what} from {minimum} to {maximum}; got {value}.")
    if minimum is not None and value < minimum:
        raise CourseValueError(f"`{name}` must be {what} >= {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise CourseValueError(f"`{name}` must be {what} <= {maximum}; got {value}.")


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``; otherwise list the choices."""
    choices = list(choices)
    if value not in choices:
        shown = ", ".join(repr(c) for c in choices[:12]) + (", ..." if len(choices) > 12 else "")
        raise CourseValueError(f"`{name}` must be one of {{{shown}}}; got {_show(value)}.")
    return value


def check_text(name, value, *, allow_empty=False):
    """Return ``value`` if it is a string (non-blank unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise CourseTypeError(f"`{name}` must be text (a str); got {type(value).__name__}.")
    if not allow_empty and not value.strip():
        raise CourseValueError(f"`{name}` is empty: write some text first.")
    return value


def check_texts(name, values, *, min_count=1):
    """Return ``values`` as a list of non-blank strings (a single str is not accepted)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise CourseTypeError(f"`{name}` must be a list of texts, e.g. ['one text', 'another']; "
                              f"got {type(values).__name__}.")
    values = list(values)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise CourseTypeError(f"`{name}[{i}]` must be text (a str); got {type(v).__name__}.")
    values = [v for v in values if v.strip()]
    if len(values) < min_count:
        raise CourseValueError(f"`{name}` needs at least {min_count} non-empty text(s); "
                               f"got {len(values)}.")
    return values


def check_array(name, values, *, ndim=1, min_len=1, numeric=True):
    """Return ``values`` as a numpy array with ``ndim`` dimensions and at least ``min_len`` rows."""
    if isinstance(values, (str, bytes)):
        raise CourseTypeError(f"`{name}` must be a list or array of values; got text.")
    try:
        arr = np.asarray(values, dtype=float if numeric else object)
    except (TypeError, ValueError):
        raise CourseTypeError(f"`{name}` must contain only numbers; got {_show(values)}.") from None
    if arr.ndim != ndim:
        raise CourseValueError(f"`{name}` must be {ndim}-dimensional; got shape {arr.shape}.")
    if len(arr) < min_len:
        raise CourseValueError(f"`{name}` needs at least {min_len} value(s); got {len(arr)}.")
    if numeric and not np.all(np.isfinite(arr)):
        raise CourseValueError(f"`{name}` contains missing or infinite values; remove them first.")
    return arr


def check_same_length(**arrays):
    """Raise if the named sequences do not all have the same length."""
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"`{k}` has {n}" for k, n in lengths.items())
        raise CourseValueError(f"These must have the same length, but {shown}.")


def check_callable(name, value):
    """Return ``value`` if it can be called (a function or method)."""
    if not callable(value):
        raise CourseTypeError(f"`{name}` must be a function, e.g. `def on_done(event): ...`; "
                              f"got {type(value).__name__}.")
    return value


def check_random_state(random_state):
    """Turn ``None``, an int or a Generator into a :class:`numpy.random.Generator`."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise CourseValueError(f"`random_state` must be >= 0; got {random_state}.")
        return np.random.default_rng(int(random_state))
    raise CourseTypeError("`random_state` must be None, a whole number (a seed) or a "
                          f"numpy Generator; got {type(random_state).__name__}.")


def check_is_fitted(estimator, attributes, *, fit_call=".fit(...)"):
    """Raise :class:`~course_lib.core.errors.NotFittedError` unless ``estimator`` has been fitted.

    Parameters
    ----------
    estimator : object
        The model.
    attributes : str or list of str
        Attributes that ``fit`` sets (e.g. ``"weights_"``); all must exist.
    fit_call : str, default=".fit(...)"
        How to fit it, for the message (e.g. ``".fit(texts)"``).

    Examples
    --------
    >>> class Model:
    ...     pass
    >>> check_is_fitted(Model(), "weights_", fit_call=".fit(features, pairs)")
    Traceback (most recent call last):
    ...
    course_lib.core.errors.NotFittedError: This Model is not fitted yet: call `model.fit(features, pairs)` first.
    """
    from .errors import NotFittedError

    names = [attributes] if isinstance(attributes, str) else list(attributes)
    if not all(hasattr(estimator, name) for name in names):
        raise NotFittedError(f"This {type(estimator).__name__} is not fitted yet: call "
                             f"`model{fit_call}` first.")
    return estimator
