"""The course's exceptions: each says what was expected and what to do next."""


class CourseError(Exception):
    """Base class for every error the course raises on purpose."""


class CourseValueError(CourseError, ValueError):
    """A value of the right type but not allowed (empty, out of range, unknown name)."""


class CourseTypeError(CourseError, TypeError):
    """A value of the wrong type."""


class WorkspaceError(CourseError, RuntimeError):
    """The learner's workspace or an export file cannot be used; nothing was changed."""


class DataError(CourseError, RuntimeError):
    """A shipped dataset is missing or damaged."""


class NotFittedError(CourseValueError, AttributeError):
    """A model is used (``predict``, ``sample``, ``score``...) before its ``fit``.

    Like scikit-learn's ``NotFittedError`` it is both a ValueError and an AttributeError, so
    ``hasattr``-style checks and ``except ValueError`` both still work.
    """
