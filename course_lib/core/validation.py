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
    _check_bounds(name, minimum=minimum, maximum=maximum)
    if not isinstance(strict_minimum, (bool, np.bool_)):
        raise CourseTypeError(f"`strict_minimum` must be True or False; got {_show(strict_minimum)}.")
    if strict_minimum and minimum is not None and value <= minimum:
        raise CourseValueError(f"`{name}` must be a number > {minimum}; got {value:g}.")
    _check_range(name, value, None if strict_minimum else minimum, maximum, "a number")
    return value


def _check_bounds(name, **bounds):
    for bound_name, bound in bounds.items():
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, numbers.Real)):
            raise CourseTypeError(f"`{bound_name}` (for `{name}`) must be a number or None; "
                                  f"got {_show(bound)}.")


def _attribute_names(attributes):
    names = [attributes] if isinstance(attributes, str) else attributes
    if isinstance(names, dict) or not isinstance(names, Iterable) or not all(
            isinstance(a, str) for a in names) or not list(names):
        raise CourseTypeError("`attributes` must be an attribute name or a list of them; got "
                              f"{_show(attributes)}.")
    return list(names)


def _check_range(name, value, minimum, maximum, what):
    _check_bounds(name, minimum=minimum, maximum=maximum)
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise CourseValueError(f"`{name}` must be {what} from {minimum} to {maximum}; got {value}.")
    if minimum is not None and value < minimum:
        raise CourseValueError(f"`{name}` must be {what} >= {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise CourseValueError(f"`{name}` must be {what} <= {maximum}; got {value}.")


def check_flag(name, value):
    """Return ``value`` as a bool if it is True or False (1 and 0 are accepted too).

    >>> check_flag("simulated", "yes")
    Traceback (most recent call last):
    ...
    course_lib.core.errors.CourseTypeError: `simulated` must be True or False; got 'yes' (str).
    """
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, numbers.Integral)
                                               and value in (0, 1)):
        return bool(value)
    raise CourseTypeError(f"`{name}` must be True or False; got {_show(value)} "
                          f"({type(value).__name__}).")


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``; otherwise list the choices.

    A list, array or dict is never a choice: it raises :class:`CourseTypeError`.
    """
    if isinstance(choices, (str, bytes)) or not isinstance(choices, Iterable):
        raise CourseTypeError(f"`choices` (for `{name}`) must be a list of the allowed values; "
                              f"got {type(choices).__name__}.")
    choices = list(choices)
    try:
        hash(value)
    except TypeError:
        shown = ", ".join(repr(c) for c in choices[:12]) + (", ..." if len(choices) > 12 else "")
        raise CourseTypeError(f"`{name}` must be one of {{{shown}}}, a single value; got a "
                              f"{type(value).__name__} ({_show(value)}).") from None
    if not any(value is c or _equal(value, c) for c in choices):
        shown = ", ".join(repr(c) for c in choices[:12]) + (", ..." if len(choices) > 12 else "")
        raise CourseValueError(f"`{name}` must be one of {{{shown}}}; got {_show(value)}.")
    return value


def _equal(a, b):
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def check_text(name, value, *, allow_empty=False):
    """Return ``value`` if it is a string (non-blank unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise CourseTypeError(f"`{name}` must be text (a str); got {type(value).__name__}.")
    if not allow_empty and not value.strip():
        raise CourseValueError(f"`{name}` is empty: write some text first.")
    return value


def _one_value(values, *, refuse=(str, bytes)):
    """True when ``values`` cannot be a list of things: text, a non-iterable, a 0-d array."""
    return (isinstance(values, refuse) or not isinstance(values, Iterable)
            or (isinstance(values, np.ndarray) and values.ndim == 0))


def check_texts(name, values, *, min_count=1):
    """Return ``values`` as a list of non-blank strings (a single str is not accepted)."""
    min_count = check_int("min_count", min_count, minimum=0)
    if _one_value(values):
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
    ndim, min_len = check_int("ndim", ndim, minimum=0), check_int("min_len", min_len, minimum=0)
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
    for k, v in arrays.items():
        if isinstance(v, (str, bytes)) or not hasattr(v, "__len__"):
            raise CourseTypeError(f"`{k}` must be a list or array; got {type(v).__name__}.")
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
        Attributes that ``fit`` sets (e.g. ``"weights_"``); all must exist (at least one).
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

    names = _attribute_names(attributes)
    if not all(hasattr(estimator, name) for name in names):
        raise NotFittedError(f"This {type(estimator).__name__} is not fitted yet: call "
                             f"`model{fit_call}` first.")
    return estimator


#: The largest count a public function accepts (items, samples, repeats, ...): beyond it a
#: call would run for minutes or exhaust memory, so it is refused with a friendly message.
MAX_COUNT = 10_000_000


def check_count(name, value, *, minimum=1, maximum=MAX_COUNT):
    """Return ``value`` as an int from ``minimum`` to ``maximum`` (default :data:`MAX_COUNT`)."""
    value = check_int(name, value, minimum=minimum)
    _check_bounds(name, maximum=maximum)
    if maximum is not None and value > maximum:
        raise CourseValueError(f"`{name}` must be at most {maximum:,} (more would take minutes or "
                               f"run out of memory); got {value:,}.")
    return value


def check_frame(name, value, columns=(), *, what="a table"):
    """Return ``value`` if it is a pandas DataFrame with the given ``columns``.

    ``what`` says where such a table comes from, e.g. ``"the table from pair_table(...)"``.
    """
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        raise CourseTypeError(f"`{name}` must be {what} (a pandas DataFrame); "
                              f"got {type(value).__name__}.")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise CourseValueError(f"`{name}` must be {what}, with column(s) "
                               f"{', '.join(repr(c) for c in columns)}; "
                               f"missing {', '.join(repr(c) for c in missing)}.")
    return value


def check_has(name, value, attributes, *, what):
    """Return ``value`` if it has every attribute in ``attributes`` (duck typing).

    ``what`` names what was expected, e.g. ``"the course's ToyAssistant"``.
    """
    attributes = _attribute_names(attributes)
    if value is None or not all(hasattr(value, a) for a in attributes):
        raise CourseTypeError(f"`{name}` must be {what}; got {_show(value)} "
                              f"({type(value).__name__}).")
    return value


def check_list(name, values, *, what="a list"):
    """Return ``values`` as a list (a str, bytes, dict, a single number or a 0-d array is not
    accepted). Its items are not checked: a NaN or inf item comes back as it was given."""
    if _one_value(values, refuse=(str, bytes, dict)):
        raise CourseTypeError(f"`{name}` must be {what}; got {type(values).__name__}.")
    return list(values)


def check_mapping(name, value, *, what="a dict"):
    """Return ``value`` if it is a dict (or another mapping)."""
    from collections.abc import Mapping

    if not isinstance(value, Mapping):
        raise CourseTypeError(f"`{name}` must be {what}; got {type(value).__name__}.")
    return value
