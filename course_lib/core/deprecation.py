"""Old names kept working for one term (until the 2027-08 release), with a warning.

Notebooks released to a class keep running while the library moves on: an old keyword or name
still works, and warns with a :class:`DeprecationWarning` naming the new one. Old module paths
are handled by :mod:`course_lib._legacy`.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     renamed_keyword("seed", 7, "random_state", 0, where="plans()", default=0)
7
>>> str(caught[0].message)
'`plans(seed=...)` is now `random_state=...`; `seed=` works until the 2027-08 release.'
"""
from __future__ import annotations

import warnings

from .errors import CourseTypeError

UNTIL = "the 2027-08 release"


def renamed_keyword(old_name, old_value, new_name, new_value, *, where, default=None,
                    stacklevel=3):
    """The value to use when a keyword was renamed: ``old_value`` (with a warning) if it was given.

    Parameters
    ----------
    old_name, new_name : str
        The keyword's old and new names.
    old_value, new_value
        What the caller passed for each (``old_value`` is ``None`` when not given).
    where : str
        The function, for the message (e.g. ``"plans()"``).
    default
        ``new_value``'s default: passing both names with different values is an error.
    """
    for label, text in (("old_name", old_name), ("new_name", new_name), ("where", where)):
        if not isinstance(text, str):
            raise CourseTypeError(f"`{label}` must be text; got {type(text).__name__}.")
    if old_value is None:
        return new_value
    if new_value is not default and not _same(new_value, old_value):
        raise CourseTypeError(f"`{where}` got both `{old_name}=` and `{new_name}=`; pass only "
                              f"`{new_name}=` (`{old_name}=` is its old name).")
    warnings.warn(f"`{where[:-2] if where.endswith('()') else where}({old_name}=...)` is now "
                  f"`{new_name}=...`; `{old_name}=` works until {UNTIL}.", DeprecationWarning,
                  stacklevel=stacklevel)
    return old_value


def renamed_attribute(new_name):
    """A read-only attribute that returns ``new_name``'s value and warns (a class's old name).

    >>> class Work:
    ...     is_simulated = True
    ...     simulated = renamed_attribute("is_simulated")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     Work().simulated, str(caught[0].message)
    (True, '`Work.simulated` is now `Work.is_simulated`; the old name works until the 2027-08 release.')
    """
    if not isinstance(new_name, str):
        raise CourseTypeError(f"`new_name` must be text; got {type(new_name).__name__}.")

    class _Renamed:
        def __set_name__(self, owner, name):
            self.message = (f"`{owner.__name__}.{name}` is now `{owner.__name__}.{new_name}`; "
                            f"the old name works until {UNTIL}.")

        def __get__(self, obj, owner=None):
            if obj is None:
                return self
            warnings.warn(self.message, DeprecationWarning, stacklevel=2)
            return getattr(obj, new_name)

    return _Renamed()


def _same(a, b):
    """``a == b`` as one True/False (arrays and other odd values count as different)."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return a is b
