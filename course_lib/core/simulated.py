"""The simulated learner, and the rule "your saved work if there is some, else simulated work".

When a notebook runs with no person (CI, nbgrader's autograder, "Run All" before doing
anything), each activity falls back to a seeded :class:`SimulatedLearner` and says so. Its
work is never saved to the workspace, so it can never be mistaken for the learner's.

Examples
--------
>>> sim = SimulatedLearner(noise=0.0, random_state=0)
>>> sim.choose(truth=3, options=range(10))
3
>>> sim.rate(1.2, low=-4, high=4)
1
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .validation import check_int, check_number, check_random_state
from .workspace import Event


class SimulatedLearner:
    """A stand-in learner whose noise, bias and speed can be set.

    Parameters
    ----------
    noise : float, default=0.15
        Chance of a wrong choice (:meth:`choose`), and the spread in scale points of a
        rating (:meth:`rate`).
    bias : float, default=0.0
        Added to every rating, e.g. 0.5 for a learner who rates everything a bit higher.
    seconds_per_action : float, default=3.0
        Median time one action takes (log-normal, so a few are slow).
    words_per_minute : float, default=38.0
        Typing speed (about the average adult on a keyboard).
    random_state : int, Generator or None, default=0
        Seed: the same seed gives the same simulated work.
    """

    def __init__(self, *, noise=0.15, bias=0.0, seconds_per_action=3.0,
                 words_per_minute=38.0, random_state=0):
        self.noise = noise
        self.bias = bias
        self.seconds_per_action = seconds_per_action
        self.words_per_minute = words_per_minute
        self.random_state = random_state
        self._rng = None

    @property
    def rng(self):
        """The learner's random generator (made from ``random_state`` on first use)."""
        if self._rng is None:
            check_number("noise", self.noise, minimum=0)
            check_number("bias", self.bias)
            check_number("seconds_per_action", self.seconds_per_action, minimum=0,
                         strict_minimum=True)
            check_number("words_per_minute", self.words_per_minute, minimum=0, strict_minimum=True)
            self._rng = check_random_state(self.random_state)
        return self._rng

    def __repr__(self):
        return (f"SimulatedLearner(noise={self.noise}, bias={self.bias}, "
                f"seconds_per_action={self.seconds_per_action}, random_state={self.random_state})")

    def action_time(self):
        """Seconds one action takes: log-normal around ``seconds_per_action``."""
        return float(self.seconds_per_action * self.rng.lognormal(0.0, 0.4))

    def typing_time(self, text):
        """Seconds it takes to type ``text`` at ``words_per_minute`` (give or take 15%)."""
        words = max(1, len(str(text).split()))
        return float(words / self.words_per_minute * 60 * self.rng.lognormal(0.0, 0.15))

    def choose(self, truth, options):
        """Pick ``truth`` from ``options``, or with probability ``noise`` another option."""
        from .validation import check_list
        options = check_list("options", options, what="a list of the options to pick from")
        if not options:
            from .errors import CourseValueError
            raise CourseValueError("`options` is empty: give at least one option to pick from.")
        try:
            hash(truth), [hash(o) for o in options]
        except TypeError:
            from .errors import CourseTypeError
            raise CourseTypeError("`truth` and each of `options` must be single values (text or "
                                  "numbers), not lists or arrays.") from None
        rng = self.rng
        if truth in options and (len(options) == 1 or rng.random() >= min(self.noise, 1.0)):
            return truth
        others = [o for o in options if o != truth] or options
        return others[int(rng.integers(len(others)))]

    def rate(self, true_value, *, low, high):
        """A whole-number rating near ``true_value + bias``, clipped to ``[low, high]``."""
        check_number("true_value", true_value)
        low, high = check_number("low", low), check_number("high", high, minimum=low)
        value = true_value + self.bias + self.rng.normal(0.0, self.noise)
        return int(np.clip(np.rint(value), low, high))

    def prefer(self, utility_a, utility_b, *, temperature=1.0):
        """``"A"`` or ``"B"``: Bradley–Terry choice, P(A) = sigmoid((u_A − u_B)/temperature)."""
        check_number("temperature", temperature, minimum=0, strict_minimum=True)
        check_number("utility_a", utility_a), check_number("utility_b", utility_b)
        p_a = 1.0 / (1.0 + np.exp(-(utility_a - utility_b) / temperature))
        return "A" if self.rng.random() < p_a else "B"


class YoursOrSimulated:
    """What every "your work, or simulated work in its place" result shares.

    :class:`Work`, :class:`~course_lib.widgets.label_sessions.LabelSession` and
    :class:`~course_lib.part3.feedback_work.Feedback` all have:

    * ``is_simulated`` (bool): True when any of the work is simulated;
    * ``message`` (str): one plain sentence saying whose work it is;
    * ``colour``: the colour figures draw it in (``theme.YOURS`` or ``theme.SIMULATED``);
    * a notebook display: the message, marked as simulated or the learner's own.

    Subclasses set ``is_simulated`` and ``message`` (as fields or properties).
    """

    is_simulated: bool
    message: str

    @property
    def colour(self):
        """The colour figures use for this work: yours, or the simulated learner's."""
        from .theme import SIMULATED, YOURS
        return SIMULATED if self.is_simulated else YOURS

    def _repr_html_(self):
        from .display import notice
        return notice(self.message, kind="simulated" if self.is_simulated else "own")


@dataclass
class Work(YoursOrSimulated):
    """Work an activity's later cells use: the learner's own, or simulated in its place.

    Attributes
    ----------
    events : list of Event
        The work itself (simulated events have ``simulated=True`` and are never saved).
    n_own : int
        How many of ``events`` the learner did.
    expected : int
        How many the activity asks for.
    noun : str
        What one of them is called ("labels", "texts", "comparisons").
    """

    events: list = field(default_factory=list)
    n_own: int = 0
    expected: int = 0
    noun: str = "actions"

    @property
    def is_simulated(self):
        """True when any of the work is simulated."""
        return self.n_own < len(self.events)

    @property
    def message(self):
        """One plain sentence saying whose work this is."""
        n_sim = len(self.events) - self.n_own
        if n_sim == 0:
            return (f"Using your {_count(self.n_own, self.noun)} "
                    f"(of {self.expected} asked for).")
        if self.n_own == 0:
            return (f"Using {_count(n_sim, 'simulated ' + self.noun)}: you have done 0 of "
                    f"{self.expected} — do the activity above and re-run this cell to use your own.")
        return (f"Using your {_count(self.n_own, self.noun)} plus {n_sim} simulated to make up "
                f"{self.expected} — finish the activity above and re-run to use only yours.")

    def __len__(self):
        return len(self.events)

    def __iter__(self):
        return iter(self.events)

    def __repr__(self):
        return f"<Work: {self.message}>"


def work_or_simulated(activity, simulate, *, expected, noun="actions", fill=False, min_own=1,
                      show=True):
    """The learner's saved work for ``activity``, or simulated work if there is none.

    Parameters
    ----------
    activity : Activity
        Where the learner's work is saved.
    simulate : callable
        ``simulate(n, skip_items)`` returns ``n`` simulated :class:`Event` objects
        (``simulated=True``) for items not in ``skip_items``.
    expected : int
        How many the activity asks for.
    noun : str
        What one unit of work is called, for the message.
    fill : bool, default=False
        If True and the learner did some but not all, top up with simulated work;
        if False their own work is used alone once there is enough (``min_own``).
    min_own : int, default=1
        Fewer of the learner's own than this (but some) are topped up with simulated work,
        for analyses that cannot run on a handful.
    show : bool, default=True
        Print the message saying whose work is used.

    Returns
    -------
    Work
    """
    expected = check_int("expected", expected, minimum=1, maximum=100_000)
    from .validation import check_callable, check_has
    check_has("activity", activity, ["current"], what="an activity, e.g. course.activity('part1.writing')")
    check_callable("simulate", simulate)
    own = list(activity.current().values())
    events = list(own)
    missing = expected - len(own)
    if not own or (missing > 0 and (fill or len(own) < min_own)):
        n = expected if not own else missing
        simulated = list(simulate(n, {e.item for e in own}))
        if any(not (isinstance(e, Event) and e.simulated) for e in simulated):
            raise TypeError("`simulate` must return Event objects made with simulated=True.")
        events += simulated
    work = Work(events=events, n_own=len(own), expected=expected, noun=noun)
    if show:
        _show(work)
    return work


def _count(n, noun):
    """``3 labels``, ``1 label``: ``noun`` is given in the plural."""
    return f"{n} {noun[:-1] if n == 1 and noun.endswith('s') else noun}"


def _show(work):
    try:
        from IPython import get_ipython
        from IPython.display import display
        if get_ipython() is not None:
            display(work)
            return
    except ImportError:  # pragma: no cover - IPython is part of the stack
        pass
    print(work.message)
