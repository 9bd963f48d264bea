"""Part 4, section 6: asking a sensitive question privately, by randomized response (Warner 1965).

Fairness audits need the sensitive attribute, and people are right to hesitate to give it.
Randomized response lets a class answer honestly without any single answer giving anyone
away. The optional question here is about the work itself:

    *While doing paid or graded work, have you ever clicked through a task without reading
    its instructions, to finish faster?*

The learner first draws a secret card — with probability ``p_truth`` it says "answer
truthfully", otherwise "answer the opposite" — then answers yes or no. **Only the answer is
saved**; the card is drawn from fresh randomness (not the course seed) and never stored, so
nobody, not even the course, can tell from a saved "yes" what the truth was.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> act = Workspace(tempfile.mkdtemp()).activity("part4.survey")
>>> w = SurveyWidget(act, random_state=0)
>>> card = w.draw()
>>> _ = w.answer("yes")
>>> [e.value for e in act.effective()], "card" in act.effective()[0].meta
(['yes'], False)
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..core.activities import PART4_SURVEY
from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import (
    check_count,
    check_frame,
    check_has,
    check_int,
    check_number,
    check_random_state,
)
from ..methods.randomized_response import RandomizedResponse
from ..widgets.base import ActivityWidget

ACTIVITY = PART4_SURVEY
QUESTION_ID = "clicked_through"
QUESTION = ("While doing paid or graded work, have you ever clicked through a task without "
            "reading its instructions, to finish faster?")
P_TRUTH = 0.75
TRUTHFUL, OPPOSITE = "answer truthfully", "answer the OPPOSITE of the truth"
#: The largest simulated class :func:`privacy_cost` draws (times ``n_classes`` classes).
MAX_CLASS_SIZE = 10_000
ESTIMATORS = ("asked directly", "randomized response")


class SurveyWidget(ActivityWidget, widgets.VBox):
    """Draw a secret card, then answer: only the answer is saved.

    Parameters
    ----------
    activity : Activity
        ``course.activity("part4.survey")``.
    p_truth : float, default=0.75
    random_state : None, int or Generator, default=None
        Keep None for a real answer: a seeded card could be recomputed by anyone with the seed.

    Notes
    -----
    The buttons call :meth:`draw` and :meth:`answer`; a course error from a click (answering
    before drawing, a workspace that cannot be written) is shown in the status line, from code
    it is raised (:mod:`course_lib.widgets.base`). :meth:`on_answer` listeners hear the saved
    answer.
    """

    EVENTS = ("answer",)

    def __init__(self, activity, *, p_truth=P_TRUTH, random_state=None):
        self.activity = activity
        self.rr = RandomizedResponse(p_truth=p_truth)
        self.rr._p()
        self._rng = check_random_state(random_state)
        self.card = None
        self.question = widgets.HTML(f"<p><b>Optional question.</b> {QUESTION}</p>")
        self.draw_button = widgets.Button(description="draw my secret card", icon="random")
        self.draw_button.on_click(lambda _b: self._from_page(self.draw))
        self.yes_button = widgets.Button(description="yes", disabled=True)
        self.no_button = widgets.Button(description="no", disabled=True)
        self.yes_button.on_click(lambda _b: self._from_page(lambda: self.answer("yes")))
        self.no_button.on_click(lambda _b: self._from_page(lambda: self.answer("no")))
        self.status = widgets.HTML()
        super().__init__(children=[self.question, self.draw_button,
                                   widgets.HBox([self.yes_button, self.no_button]),
                                   self.status])
        if self.answered:
            self._show("You have answered; only your answer was saved. (Re-run the cell "
                       "below to see the class estimate.)")
        else:
            self._show("Nothing is saved until you answer. You may leave it unanswered.")

    @property
    def answered(self):
        """True once an answer is saved."""
        return QUESTION_ID in self.activity.current()

    def draw(self):
        """Draw the secret card (shown to you, never saved); returns its text."""
        truthful = self._rng.random() < self.rr.p_truth
        self.card = TRUTHFUL if truthful else OPPOSITE
        self.yes_button.disabled = self.no_button.disabled = False
        self._show(f"Your card says: <b>{self.card}</b>. Now press yes or no. "
                   "(The card is not saved.)")
        return self.card

    def answer(self, value):
        """Save ``"yes"`` or ``"no"`` (after :meth:`draw`); the card is forgotten."""
        if value not in ("yes", "no"):
            raise CourseValueError(f"The answer must be 'yes' or 'no'; got {value!r}.")
        if self.card is None:
            raise CourseValueError("Draw your secret card first, then answer.")
        event = self.activity.record(QUESTION_ID, value, kind="label",
                                     meta={"p_truth": self.rr.p_truth, "randomized": True})
        self.card = None
        self.yes_button.disabled = self.no_button.disabled = True
        self._show("Saved your answer — only the answer. Thank you.")
        self._emit("answer", event)
        return event

    def on_answer(self, callback):
        """Call ``callback(event)`` when an answer is saved."""
        return self._add_listener("answer", callback)

    def _show(self, markup):
        self.status.value = f"<span>{markup}</span>"


def class_estimate(activity, *, n_classmates=39, true_share=0.4, p_truth=P_TRUTH,
                   random_state=COURSE_SEED):
    """The class's estimated share of true "yes": your saved answer (if any) and simulated classmates.

    Returns
    -------
    dict
        ``n``, ``yes_answers``, ``estimate``, ``interval``, ``yours`` (your saved answer or
        None), ``true_share`` (of the simulated classmates) and a ``message``.
    """
    check_has("activity", activity, ["current"],
              what="an activity, e.g. course.activity('part4.survey')")
    n_classmates = check_int("n_classmates", n_classmates, minimum=1, maximum=100_000)
    true_share = check_number("true_share", true_share, minimum=0, maximum=1)
    rng = check_random_state(random_state)
    rr = RandomizedResponse(p_truth=p_truth)
    rr._p()   # a friendly error for a bad `p_truth` before anything is drawn
    truths = (rng.random(n_classmates) < true_share).astype(int)
    answers = list(rr.respond(truths, random_state=rng))
    saved = activity.current().get(QUESTION_ID)
    yours = saved.value if saved is not None else None
    if yours is not None:
        answers.append(1 if yours == "yes" else 0)
    est = rr.fit(answers)
    lo, hi = est.interval()
    who = (f"your answer and {n_classmates} simulated classmates" if yours is not None else
           f"{n_classmates} simulated classmates (you have not answered — that is fine)")
    message = (f"From {who}: {int(np.sum(answers))} of {len(answers)} said yes, so the "
               f"estimated share who truly would is {est.proportion_:.0%} "
               f"(95% interval {lo:.0%}–{hi:.0%}); the simulated classmates' true share "
               f"was {truths.mean():.0%}.")
    return {"n": len(answers), "yes_answers": int(np.sum(answers)),
            "estimate": est.proportion_, "interval": (lo, hi), "yours": yours,
            "true_share": float(truths.mean()), "message": message}


def privacy_cost(*, n=40, true_share=0.4, p_truth=P_TRUTH, n_classes=2000,
                 random_state=COURSE_SEED):
    """Estimates of the share from many simulated classes: asked directly, and by randomized response.

    Each of ``n_classes`` classes has ``n`` people (at most :data:`MAX_CLASS_SIZE`), each truly
    "yes" with probability ``true_share``.
    """
    import pandas as pd

    n = check_count("n", n, maximum=MAX_CLASS_SIZE)
    true_share = check_number("true_share", true_share, minimum=0, maximum=1)
    n_classes = check_int("n_classes", n_classes, minimum=10, maximum=100_000)
    rng = check_random_state(random_state)
    rr = RandomizedResponse(p_truth=p_truth)
    rr._p()
    rows = []
    for _ in range(n_classes):
        truths = (rng.random(n) < true_share).astype(int)
        rows.append({"asked directly": truths.mean(),
                     "randomized response": rr.fit(rr.respond(truths,
                                                              random_state=rng)).proportion_})
    return pd.DataFrame(rows)


def privacy_figure(estimates, *, true_share=0.4):
    """Histograms of the two estimators: both centred on the truth, randomized response wider."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("estimates", estimates, ESTIMATORS, what="the table from privacy_cost(...)")
    true_share = check_number("true_share", true_share, minimum=0, maximum=1)
    fig = theme.figure("Privacy costs precision, not accuracy",
                       "estimated share who would answer yes", "classes (simulated)")
    for colour, col in zip((theme.PALETTE[0], theme.PALETTE[1]), ESTIMATORS):
        fig.add_trace(go.Histogram(x=estimates[col], name=col, opacity=0.6,
                                   marker_color=colour, xbins=dict(size=0.025)))
    fig.add_vline(x=true_share, line_dash="dot", annotation_text="true share")
    fig.update_layout(barmode="overlay")
    return fig
