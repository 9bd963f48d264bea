"""The class's pooled work, as the parts' class-report sections see it.

The instructor's class report (:mod:`course_lib.grading.class_report`) reads every
submission, checks every event, and hands the result to each part's
``course_lib.partN.class_section`` module as a :class:`ClassPool`. A part module may define

* ``TEXT_ACTIVITIES`` — ``{activity: label}`` of the texts its learners write (pooled into the
  class's own corpus and counted in the labor ledger);
* ``agreement(pool)`` — a list of :class:`AgreementTable` (items × students) the class can be
  compared on as a panel of annotators;
* ``class_sections(pool)`` — a list of its own :class:`Section` s.

These are plain data types and functions: nothing here (or in a part) imports the grading
tools. Learner text is data, never markup: tables go through :func:`table` (every cell
escaped) and figure labels through :func:`escape`.

Examples
--------
>>> import pandas as pd
>>> row = {"activity": "a", "kind": "label", "item": "x", "recorded_at": 0.0, "session": "s"}
>>> ev = pd.DataFrame([{**row, "student": "ada", "value": 1, "uid": "u1"},
...                    {**row, "student": "bob", "value": 2, "uid": "u2"},
...                    {**row, "student": "ada", "kind": "undo", "value": "u2", "uid": "u3"}])
>>> current(ev, "a")[["student", "value"]].to_dict("records")  # ada's undo names bob's event
[{'student': 'ada', 'value': 1}, {'student': 'bob', 'value': 2}]
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .display import HTML, escape
from .display import table as _html_table
from .errors import CourseTypeError, CourseValueError

__all__ = ["AgreementTable", "ClassPool", "Section", "categorical", "current", "escape", "html",
           "int_in", "ratings", "seconds", "table"]


@dataclass
class Section:
    """One section of the class report: a title, a plain-language intro, then its parts
    (plotly figures and pre-escaped :class:`~course_lib.core.display.HTML`), and the tables
    behind it (``tables``: ``{name: DataFrame}``, also ``report.<name>_``)."""

    key: str
    title: str
    intro: str
    parts: list = field(default_factory=list)
    tables: dict = field(default_factory=dict)


@dataclass
class AgreementTable:
    """Items × students answers of one activity (numbers, NaN where a student gave none),
    for the class's agreement: ``level`` is ``"nominal"`` or ``"interval"``; ``invalid`` is how
    many answers were skipped as unusable."""

    activity: str
    what: str
    level: str
    table: pd.DataFrame
    invalid: int = 0


@dataclass
class ClassPool:
    """The class's checked events (columns ``student, activity, kind, item, value, elapsed,
    recorded_at, uid, session``), the students whose work is used, and how to name them."""

    events: pd.DataFrame
    students: list
    names: dict = field(default_factory=dict)
    source: str = ""
    top_words: int = 15
    cache: dict = field(default_factory=dict)

    def name(self, student):
        """How the report shows ``student`` (their id, or "student 3" when anonymised)."""
        return self.names.get(student, student)

    def current(self, activity):
        """Each student's present answer per item of ``activity`` (see :func:`current`)."""
        return self.cached(("current", activity), lambda: current(self.events, activity))

    def cached(self, key, make):
        """``make()``, computed once per pool (sections of one part can share tables)."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


#: The columns of :attr:`ClassPool.events`.
EVENT_COLUMNS = ("student", "activity", "kind", "item", "value", "elapsed", "recorded_at", "uid",
                 "session")


def check_pool(pool):
    """``pool`` if it is a :class:`ClassPool` (what the class report hands each part)."""
    if not isinstance(pool, ClassPool):
        raise CourseTypeError("A class section needs the class's pooled work (a ClassPool, as "
                              f"course class-report builds it); got {type(pool).__name__}.")
    return pool


def _check_events(events, activity):
    if not isinstance(events, pd.DataFrame):
        raise CourseTypeError("`events` must be a DataFrame of the class's events (columns "
                              f"{', '.join(EVENT_COLUMNS)}); got {type(events).__name__}.")
    missing = [c for c in EVENT_COLUMNS if c not in events.columns and c != "elapsed"]
    if missing:
        raise CourseValueError(f"`events` has no column {', '.join(missing)}.")
    if not isinstance(activity, str):
        raise CourseTypeError(f"`activity` must be an activity id (text); got "
                              f"{type(activity).__name__}.")


def current(events, activity):
    """Each student's present answer per item of ``activity`` (undone work left out).

    Returns the rows of ``events`` in force: not undo events, not taken back by an undo, and
    the latest for their (student, item). An undo event (its value is the uid of the event it
    takes back) takes back only an event *of the same student, activity and item* that is not
    itself an undo and was recorded before it (or in the same sitting) — as
    :meth:`course_lib.core.workspace.Activity.undo` writes them. One student's undo never
    takes back another's work.
    """
    _check_events(events, activity)
    act = events[events["activity"] == activity]
    is_undo = act["kind"] == "undo"
    live = act[~is_undo]
    if is_undo.any() and len(live):
        undos = act.loc[is_undo, ["student", "item", "value", "recorded_at", "session"]]
        undos = undos.assign(uid=undos["value"].map(lambda v: v if isinstance(v, str) else None))
        pairs = live.reset_index()[["index", "student", "item", "uid", "recorded_at",
                                    "session"]].merge(
            undos.drop(columns="value"), on=["student", "item", "uid"], suffixes=("", "_undo"))
        taken = pairs[(pairs["recorded_at"] <= pairs["recorded_at_undo"])
                      | (pairs["session"] == pairs["session_undo"])]
        live = live.drop(index=set(taken["index"]))
    return live.drop_duplicates(["student", "item"], keep="last")


# -- validating answers: a student's saved work is untrusted data --------------------------
def int_in(value, low, high):
    """``value`` as an int if it is a whole number in ``[low, high]``, else None."""
    if not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in (low, high)):
        raise CourseTypeError("`low` and `high` must be numbers (the ends of the scale).")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value != int(value) or not low <= value <= high:
        return None
    return int(value)


def seconds(v):
    """An ``elapsed`` value that can be added up: finite, >= 0 and below a day, else None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return float(v) if 0 <= v <= 86_400 else None


def ratings(pool, activity, low, high, valid_items=None):
    """``(items × students table of ints or NaN, number of invalid answers skipped)``."""
    cur = check_pool(pool).current(activity)
    cur = cur[cur["kind"] != "skip"]
    values = cur["value"].map(lambda v: int_in(v, low, high))
    ok = values.notna()
    if valid_items is not None:
        ok &= cur["item"].isin(valid_items)
    table_ = (cur[ok].assign(v=values[ok].astype(float))
              .pivot_table(index="item", columns="student", values="v", aggfunc="last"))
    return table_, int((~ok).sum())


def categorical(pool, activity, clean):
    """``(items × students table of category codes, invalid answers skipped)``;
    ``clean(item, value)`` returns the category, or None for an unusable answer."""
    if not callable(clean):
        raise CourseTypeError("`clean` must be a function clean(item, value) -> category.")
    cur = check_pool(pool).current(activity)
    cur = cur[cur["kind"] != "skip"]
    values = pd.Series([clean(i, v) for i, v in zip(cur["item"], cur["value"])],
                       index=cur.index, dtype=object)
    ok = values.notna()
    if not ok.any():
        return pd.DataFrame(), int((~ok).sum())
    codes = {v: i for i, v in enumerate(sorted(set(values[ok])))}
    return (cur[ok].assign(v=values[ok].map(codes).astype(float))
            .pivot_table(index="item", columns="student", values="v", aggfunc="last"),
            int((~ok).sum()))


# -- showing it ---------------------------------------------------------------------------------
def html(markup):
    """Pre-escaped HTML markup (escape any learner text in it with :func:`escape` first)."""
    return HTML(markup)


def table(frame, floats=None):
    """An HTML table of a DataFrame; every cell escaped (via course_lib.core.display.table)."""
    if not isinstance(frame, pd.DataFrame):
        raise CourseTypeError(f"`frame` must be a DataFrame; got {type(frame).__name__}.")
    def fmt(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if floats is not None and isinstance(v, (float, np.floating)):
            return f"{v:.{floats}f}"
        return v
    rows = [[fmt(v) for v in row] for row in frame.itertuples(index=False)]
    return HTML(f"<div style='overflow-x:auto'>{_html_table(rows, list(frame.columns))}</div>")
