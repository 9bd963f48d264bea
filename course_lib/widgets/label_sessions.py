"""A labelling session read back: answers, self-consistency, pace — the learner's or simulated.

:func:`labels_or_simulated` is the rule of the course applied to a labelling widget: use the
labels the learner saved if there are any; otherwise run the *same widget* in a scratch
workspace, driven key by key by a seeded :class:`~course_lib.core.simulated.SimulatedLearner`, and
say so. Simulated labels are never written to the learner's workspace.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> from course_lib.core.simulated import SimulatedLearner
>>> from course_lib.widgets.labeling import LabelingWidget
>>> act = Workspace(tempfile.mkdtemp()).activity("part2.demo")
>>> make = lambda activity, clock=None: LabelingWidget(
...     activity, ["a", "b", "c"], choices=[0, 1], n_repeats=1, shuffle=False, clock=clock)
>>> s = labels_or_simulated(act, make, lambda item, learner: 1, expected=3, show=False)
>>> s.is_simulated, s.answers()
(True, {'a': 1, 'b': 1, 'c': 1})
>>> len(act)            # nothing was saved in the learner's workspace
0
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile

import numpy as np
import pandas as pd

from ..core.simulated import SimulatedLearner, YoursOrSimulated, work_or_simulated
from ..core.validation import check_int, check_number

#: ILSVRC-2012 (the "ImageNet" of most papers): training images, each labelled by people.
IMAGENET_TRAIN_IMAGES = 1_281_167
LABEL_KINDS = ("label", "rating", "skip")


@dataclasses.dataclass
class LabelSession(YoursOrSimulated):
    """Saved (or simulated) labelling events of one activity, in the order they were made.

    Attributes
    ----------
    events : list of Event
        Labels, ratings and skips still in force (undone ones left out), repeats included.
    is_simulated : bool
        True if these are a simulated learner's.
    message : str
        Whose work it is, in one sentence.
    """

    events: list
    is_simulated: bool
    message: str

    def table(self):
        """One row per event: item, kind, value, reason, seconds, position, repeat, gold."""
        rows = [{"item": e.item, "kind": e.kind,
                 "value": None if e.kind == "skip" else e.value,
                 "reason": e.value.get("reason") if e.kind == "skip" else None,
                 "seconds": e.elapsed, "position": e.meta.get("position"),
                 "repeat": bool(e.meta.get("repeat")), "gold": bool(e.meta.get("gold"))}
                for e in self.events]
        columns = ["item", "kind", "value", "reason", "seconds", "position", "repeat", "gold"]
        return pd.DataFrame(rows, columns=columns)

    def answers(self):
        """``{item: value}`` from each item's first showing, skips left out."""
        return {e.item: e.value for e in self.events
                if e.kind != "skip" and not e.meta.get("repeat")}

    def skips(self):
        """``{item: reason}`` for the items skipped at their first showing."""
        return {e.item: e.value.get("reason") for e in self.events
                if e.kind == "skip" and not e.meta.get("repeat")}

    def consistency(self):
        """How the answers to the hidden repeats compare with the first answers.

        Returns
        -------
        dict
            ``n_pairs``, ``n_same``, ``share_same`` (None without pairs), ``mean_abs_diff``
            (numeric answers only, else None) and ``pairs`` ``[(item, first, again), ...]``.
        """
        first = self.answers()
        pairs = [(e.item, first[e.item], e.value) for e in self.events
                 if e.meta.get("repeat") and e.kind != "skip" and e.item in first]
        same = sum(a == b for _, a, b in pairs)
        numeric = pairs and all(isinstance(a, (int, float)) and isinstance(b, (int, float))
                                for _, a, b in pairs)
        return {"n_pairs": len(pairs), "n_same": same,
                "share_same": same / len(pairs) if pairs else None,
                "mean_abs_diff": float(np.mean([abs(a - b) for _, a, b in pairs]))
                if numeric else None,
                "pairs": pairs}

    def pace(self):
        """Labels per minute, total and median seconds (skips count: they took time too)."""
        seconds = [e.elapsed for e in self.events if e.elapsed is not None]
        total = float(np.sum(seconds)) if seconds else 0.0
        return {"n_actions": len(self.events), "total_seconds": total,
                "median_seconds": float(np.median(seconds)) if seconds else None,
                "per_minute": len(seconds) / total * 60 if total > 0 else None}

    def __repr__(self):
        return f"<LabelSession: {self.message}>"


def simulate_session(activity_name, make_widget, answer, learner):
    """Drive a fresh widget key by key with a simulated learner; return its events.

    Parameters
    ----------
    activity_name : str
        Name the simulated events carry.
    make_widget : callable
        ``make_widget(activity, clock=...)`` returns a :class:`~course_lib.widgets.labeling.LabelingWidget`.
    answer : callable
        ``answer(item_id, learner)`` returns a choice, or ``{"reason": ...}`` to skip.
    learner : SimulatedLearner
        Supplies the randomness and the time each label takes.

    Returns
    -------
    list of Event
        The events still in force, each with ``simulated=True``.
    """
    from ..core.validation import check_callable, check_has, check_text
    check_text("activity_name", activity_name)
    check_callable("make_widget", make_widget), check_callable("answer", answer)
    check_has("learner", learner, ["action_time"], what="a SimulatedLearner")
    folder = tempfile.mkdtemp(prefix="simulated-labels-")
    try:
        from ..core.workspace import Workspace
        ws = Workspace(folder)
        now = [0.0]
        widget = make_widget(ws.activity(activity_name), clock=lambda: now[0])
        while not widget.finished:
            now[0] += learner.action_time()
            value = answer(widget.current_item, learner)
            if isinstance(value, dict):
                widget.press(widget.skip_key)
                widget.press(str(widget.skip_reasons.index(value["reason"]) + 1))
            else:
                widget.press(widget.choice_keys[widget.choices.index(value)])
                widget.press("Enter")
        events = [dataclasses.replace(e, simulated=True)
                  for e in ws.activity(activity_name).effective()]
        ws.close()
        return events
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def labels_or_simulated(activity, make_widget, answer, *, expected, learner=None,
                        noun="labels", min_own=1, show=True):
    """The learner's saved labels for ``activity``, or a simulated session if there are none.

    Parameters
    ----------
    activity : Activity
    make_widget, answer : callable
        As in :func:`simulate_session`.
    expected : int
        How many items the activity asks for.
    learner : SimulatedLearner, optional
        Default ``SimulatedLearner(random_state=0)``.
    noun : str, default="labels"
    min_own : int, default=1
        Fewer of the learner's own labels than this (but some) are topped up with simulated
        labels on the other items, for analyses that cannot run on a handful (the message
        says how many are whose).
    show : bool, default=True
        Show whose work it is.

    Returns
    -------
    LabelSession
    """
    learner = learner if learner is not None else SimulatedLearner(random_state=0)
    cache = {}

    def simulate(n, skip):
        cache["events"] = simulate_session(activity.name, make_widget, answer, learner)
        cache["top_up"] = [e for e in cache["events"]
                           if not e.meta.get("repeat") and e.item not in skip][:n]
        return cache["top_up"]

    work = work_or_simulated(activity, simulate, expected=expected, noun=noun, min_own=min_own,
                             show=show)
    if not work.n_own:
        events = cache["events"]
    else:  # the learner's own, and (when too few) simulated labels on the other items
        events = [e for e in activity.effective() if e.kind in LABEL_KINDS]
        events += cache.get("top_up", [])
    return LabelSession(events=events, is_simulated=work.is_simulated, message=work.message)


def labeling_time(n_items, seconds_per_label, *, labels_per_item=1, hours_per_day=8.0,
                  days_per_year=230):
    """How long labelling ``n_items`` takes one person at ``seconds_per_label``.

    Parameters
    ----------
    n_items : int
        Items to label (ImageNet's training set: :data:`IMAGENET_TRAIN_IMAGES`).
    seconds_per_label : float
        The pace, e.g. the learner's own median.
    labels_per_item : int, default=1
        How many people label each item (crowdsourcing often uses several).
    hours_per_day, days_per_year : float
        A working day and a working year (230 days ≈ 46 weeks of 5 days).

    Returns
    -------
    dict
        ``hours``, ``work_days``, ``work_years``.

    Examples
    --------
    >>> t = labeling_time(IMAGENET_TRAIN_IMAGES, 2.0)
    >>> round(t["hours"]), round(t["work_years"], 2)
    (712, 0.39)
    """
    n_items = check_int("n_items", n_items, minimum=0)
    seconds_per_label = check_number("seconds_per_label", seconds_per_label, minimum=0)
    labels_per_item = check_int("labels_per_item", labels_per_item, minimum=1)
    hours_per_day = check_number("hours_per_day", hours_per_day, minimum=0, strict_minimum=True)
    days_per_year = check_number("days_per_year", days_per_year, minimum=0, strict_minimum=True)
    hours = n_items * labels_per_item * seconds_per_label / 3600
    return {"hours": hours, "work_days": hours / hours_per_day,
            "work_years": hours / hours_per_day / days_per_year}


def labor_report(sessions, *, n_items=IMAGENET_TRAIN_IMAGES, dataset="ImageNet's training set"):
    """What the labelling cost: pace and self-consistency per task, and a big dataset at that pace.

    Parameters
    ----------
    sessions : dict {task name: LabelSession}
    n_items : int
        Size of the dataset to project to (default: ImageNet's 1,281,167 training images).
    dataset : str
        Its name, for the sentence.

    Returns
    -------
    HTML
        A table and one sentence (text fallback included).
    """
    from ..core.display import HTML, escape, table

    from ..core.validation import check_mapping
    check_mapping("sessions", sessions, what="a dict {name: LabelSession}")
    for name, s in sessions.items():
        if not isinstance(s, LabelSession):
            from ..core.errors import CourseTypeError
            raise CourseTypeError(f"sessions[{name!r}] must be a LabelSession, e.g. from "
                                  f"labels_or_simulated(...); got {type(s).__name__}.")
    rows, medians = [], []
    for name, s in sessions.items():
        p, c = s.pace(), s.consistency()
        if p["median_seconds"] is not None:
            medians.append(p["median_seconds"])
        same = (f"{c['n_same']} of {c['n_pairs']} the same" if c["n_pairs"] else "no repeats")
        rows.append([name + (" (simulated)" if s.is_simulated else ""), p["n_actions"],
                     f"{p['total_seconds'] / 60:.1f} min",
                     "–" if p["median_seconds"] is None else f"{p['median_seconds']:.1f} s",
                     "–" if p["per_minute"] is None else f"{p['per_minute']:.0f}",
                     same, len(s.skips())])
    columns = ["task", "actions", "total time", "median per label", "labels per minute",
               "hidden repeats", "skips"]
    if not medians:
        return HTML(table(rows, columns), "no timings yet")
    pace = float(np.median(medians))
    t = labeling_time(n_items, pace)
    sentence = (f"At a median {pace:.1f} s per label, one person labelling {dataset} "
                f"({n_items:,} items) once would need {t['hours']:,.0f} hours: "
                f"{t['work_days']:,.0f} working day{'' if round(t['work_days']) == 1 else 's'} "
                f"of 8 hours, about {t['work_years']:.1f} "
                "working years — before anyone checks a single label twice.")
    return HTML(table(rows, columns) + f"<p>{escape(sentence)}</p>", sentence)
