"""Every activity of the course, in one catalogue: its id, part, what it is and the kind of work.

An activity id names where the learner's work is saved (``course.activity(PART2_WORDS)``). A
mistyped id used to open a new, empty activity, so the notebook showed "simulated" forever;
:func:`check_activity_id` (called by :meth:`course_lib.core.session.Course.activity`) refuses
an unknown id and suggests the closest known one. Code uses the constants below rather than
spelling the ids out.

A new activity is added here first: id ``partN.<snake>``, its part, one line saying what the
learner does, and its kind of work (see :data:`KINDS_OF_WORK`).

Examples
--------
>>> ACTIVITIES[PART2_WORDS].kind
'label'
>>> check_activity_id("part2.word")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
course_lib.core.errors.CourseValueError: There is no activity 'part2.word' in the course. Did you mean 'part2.words'? ...
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from types import MappingProxyType

from .errors import CourseTypeError, CourseValueError

#: What the learner produces in an activity.
KINDS_OF_WORK = {
    "text": "writes text",
    "label": "labels items (a class or a point on a scale)",
    "judgment": "judges a model's outputs (pass/fail, or A versus B)",
    "choice": "chooses settings (e.g. a corpus mix)",
}


@dataclass(frozen=True)
class ActivityInfo:
    """One activity of the course.

    Attributes
    ----------
    id : str
        Where its work is saved, e.g. ``"part2.words"``.
    part : int
        The part (notebook) it belongs to.
    description : str
        One line: what the learner does.
    kind : str
        One of :data:`KINDS_OF_WORK`.
    """

    id: str
    part: int
    description: str
    kind: str


PART0_FIRST_SENTENCE = "part0.first_sentence"
PART1_WRITING = "part1.writing"
PART1_MIX = "part1.mix"
PART2_WORDS = "part2.words"
PART2_DIGITS = "part2.digits"
PART3_PAIRWISE = "part3.pairwise"
PART3_PASSFAIL = "part3.passfail"
PART4_TONE = "part4.tone"
PART4_THRESHOLDS = "part4.thresholds"
PART4_SURVEY = "part4.survey"
PART5_REGIME = "part5.regime"
PART6_INSPECTIONS = "part6.inspections"
PART6_WRITING = "part6.writing"
PART6_SUGGESTIONS = "part6.suggestions"
PART7_WAGE = "part7.wage"
PART7_CONSENT = "part7.consent"

_CATALOGUE = (
    ActivityInfo(PART0_FIRST_SENTENCE, 0, "Write a first sentence; its timing gives your "
                 "typing speed.", "text"),
    ActivityInfo(PART1_WRITING, 1, "Write short texts in your own voice, one per prompt.",
                 "text"),
    ActivityInfo(PART1_MIX, 1, "Choose how much of each source goes into the training corpus.",
                 "choice"),
    ActivityInfo(PART2_WORDS, 2, "Rate words for sentiment from -4 to +4 (as VADER's raters "
                 "did).", "label"),
    ActivityInfo(PART2_DIGITS, 2, "Label handwritten digits 0-9.", "label"),
    ActivityInfo(PART3_PAIRWISE, 3, "Compare two answers of a toy assistant: A or B?",
                 "judgment"),
    ActivityInfo(PART3_PASSFAIL, 3, "Give one answer of a toy assistant a pass or a fail.",
                 "judgment"),
    ActivityInfo(PART4_TONE, 4, "Approve or reject glossary definitions by their tone (who "
                 "wrote each one is not shown).", "label"),
    ActivityInfo(PART4_THRESHOLDS, 4, "Set a decision threshold for each group of writers.",
                 "choice"),
    ActivityInfo(PART4_SURVEY, 4, "Optional: answer a sensitive question by randomized "
                 "response.", "label"),
    ActivityInfo(PART5_REGIME, 5, "Choose, generation by generation, whether a model retrained "
                 "on its own output replaces or accumulates its data, and how much fresh human "
                 "data it keeps.", "choice"),
    ActivityInfo(PART6_INSPECTIONS, 6, "Send inspectors to two neighbourhoods, round by round, "
                 "guided by what earlier inspections found.", "choice"),
    ActivityInfo(PART6_WRITING, 6, "Write short texts: without suggestions, with the n-gram "
                 "model's and with its tuned version's.", "text"),
    ActivityInfo(PART6_SUGGESTIONS, 6, "Accept (Tab) or ignore each writing suggestion a model "
                 "shows.", "judgment"),
    ActivityInfo(PART7_WAGE, 7, "Set the hourly wage your own course work is priced at.",
                 "choice"),
    ActivityInfo(PART7_CONSENT, 7, "Say who you are on your labor receipt, choose a licence "
                 "for your contributions, and whether they stay in the class report.", "choice"),
)
assert all(a.kind in KINDS_OF_WORK for a in _CATALOGUE)

#: activity id -> :class:`ActivityInfo`, for every activity the course uses (read-only).
ACTIVITIES = MappingProxyType({a.id: a for a in _CATALOGUE})


def check_activity_id(name):
    """Return ``name`` if it is one of :data:`ACTIVITIES`; otherwise suggest the closest one.

    Parameters
    ----------
    name : str
        An activity id such as ``"part2.words"``.

    Raises
    ------
    CourseTypeError
        If ``name`` is not text.
    CourseValueError
        If the course has no such activity (the message suggests the closest known id).

    Examples
    --------
    >>> check_activity_id("part3.pairwise")
    'part3.pairwise'
    """
    if not isinstance(name, str):
        raise CourseTypeError(f"An activity id must be text such as {PART2_WORDS!r}; got "
                              f"{type(name).__name__}.")
    if name in ACTIVITIES:
        return name
    close = difflib.get_close_matches(name.strip().lower(), list(ACTIVITIES), n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    known = ", ".join(repr(a) for a in ACTIVITIES)
    raise CourseValueError(f"There is no activity {name!r} in the course.{hint} The activities "
                           f"are: {known}.")


def activities_of_part(part):
    """The ids of the activities of ``part``, in course order.

    >>> activities_of_part(3)
    ['part3.pairwise', 'part3.passfail']
    """
    from .validation import check_int
    part = check_int("part", part, minimum=0, maximum=7)
    return [a.id for a in _CATALOGUE if a.part == part]
