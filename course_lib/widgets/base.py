"""What every activity widget of the course does the same way.

An *activity widget* (the labelling widget, the text boxes of parts 0 and 1, part 3's feedback
widgets, part 1's mix sliders) follows three conventions, implemented once here:

Listeners
    ``widget.on_<event>(callback)`` registers ``callback``, called after the event with what it
    produced (the saved :class:`~course_lib.core.workspace.Event`, or ``None`` after an undo).
    A callback that is not a function is refused at once with a friendly
    :class:`~course_lib.core.errors.CourseTypeError`, not later inside the widget.
Errors the learner can see
    An action started in the page (a click, a key, a slider) runs through
    :meth:`ActivityWidget._from_page`: a course error (a :class:`~course_lib.core.errors.CourseError`,
    e.g. a workspace that cannot be written) is shown in the widget's status line. Raised in a
    widget callback it would only reach JupyterLab's log console, where a learner never looks;
    swallowed, the learner would believe their work was saved.
Driven from code
    Buttons and keys call the same public methods that code, tests and the simulated learner
    call (``press(key)``, ``submit()``, ``choose(...)``). Called from code, those methods raise
    errors as any function does; :meth:`ActivityWidget._driven_from_code` marks a public method
    that goes through the page's path (e.g. ``press`` through the key catcher) so its errors
    still raise.

Examples
--------
>>> class Counter(ActivityPanel):
...     EVENTS = ("count",)
...     def __init__(self):
...         import ipywidgets as widgets
...         self.status = widgets.HTML()
...         self.widget = widgets.VBox([self.status])
...         self.n = 0
...     def on_count(self, callback):
...         self._add_listener("count", callback)
...     def add(self):
...         self.n += 1
...         self._emit("count", self.n)
>>> c = Counter()
>>> c.on_count(print)
>>> c.add()
1
>>> c.on_count("not a function")
Traceback (most recent call last):
...
course_lib.core.errors.CourseTypeError: `callback` must be a function, e.g. `def on_count(value): print(value)`; got str.
"""
from __future__ import annotations

from contextlib import contextmanager

from ..core.display import escape
from ..core.errors import CourseError, CourseTypeError, CourseValueError

#: The colour of a problem in a status line (Okabe-Ito vermilion, as elsewhere in the course).
PROBLEM_COLOUR = "#D55E00"


class ActivityWidget:
    """The shared conventions of the course's activity widgets (a mixin; see the module doc).

    Subclasses set :attr:`EVENTS` (the names ``on_<event>`` accepts) and have a ``status``
    line (an ``ipywidgets.HTML``), and may override :meth:`show_problem` to draw problems their
    own way.
    """

    #: the events listeners can be registered for (``on_<event>``)
    EVENTS: tuple = ()

    # -- listeners -----------------------------------------------------------------------
    def _add_listener(self, event, callback):
        """Register ``callback`` for ``event``; refuse a non-callable with a friendly message."""
        if event not in self.EVENTS:
            raise CourseValueError(f"{type(self).__name__} has no event {event!r}; it has "
                                   f"{', '.join(repr(e) for e in self.EVENTS) or 'none'}.")
        if not callable(callback):
            raise CourseTypeError(f"`callback` must be a function, e.g. `def on_{event}(value): "
                                  f"print(value)`; got {type(callback).__name__}.")
        self.__dict__.setdefault("_listeners", {}).setdefault(event, []).append(callback)
        return callback

    def _emit(self, event, value):
        """Call every listener of ``event`` with ``value``.

        Listeners run after the work is saved. One that raises from a click or key is shown in
        the status line (the learner's own function failed, not their work); from code it raises.
        """
        for callback in list(self.__dict__.get("_listeners", {}).get(event, ())):
            if not self.__dict__.get("_on_page", 0) or self.__dict__.get("_code_driving", 0):
                callback(value)
                continue
            try:
                callback(value)
            except Exception as exc:  # the learner's function: show it, whatever it raised
                name = getattr(callback, "__name__", "your function")
                self.show_problem(f"⚠ {name}(), listening to on_{event}, raised "
                                  f"{type(exc).__name__}: {exc} (what you did was saved).")

    # -- errors the learner can see --------------------------------------------------------
    def show_problem(self, text):
        """Show ``text`` (plain, escaped here) in the status line as a problem to fix."""
        self.status.value = (f"<span class='course-problem' style='color:{PROBLEM_COLOUR}'>"
                             f"{escape(text)}</span>")

    def show_error(self, error):
        """Show a course error in the status line (what :meth:`_from_page` does with one)."""
        self.show_problem(f"⚠ {error}")

    def _from_page(self, action):
        """Run ``action`` for the page (a click, a key): a course error goes to the status line.

        Returns what ``action`` returns, or None after an error. Inside
        :meth:`_driven_from_code` the error is raised instead.
        """
        if self.__dict__.get("_code_driving", 0):
            return action()
        self.__dict__["_on_page"] = self.__dict__.get("_on_page", 0) + 1
        try:
            return action()
        except CourseError as exc:
            self.show_error(exc)
            return None
        finally:
            self.__dict__["_on_page"] -= 1

    @contextmanager
    def _driven_from_code(self):
        """Within this block the page's path raises errors (a public method called from code)."""
        self.__dict__["_code_driving"] = self.__dict__.get("_code_driving", 0) + 1
        try:
            yield
        finally:
            self.__dict__["_code_driving"] -= 1


class ActivityPanel(ActivityWidget):
    """An activity widget that holds its ipywidgets in ``self.widget`` and displays them."""

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
