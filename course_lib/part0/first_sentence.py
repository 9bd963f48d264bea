"""Part 0's activity: the learner writes a first sentence and their writing speed is measured.

The clock starts at the first keystroke in the box and stops when they press *Save*. Each saved
sentence is an event of activity ``part0.first_sentence`` with value ``{"text", "words",
"chars"}`` and ``elapsed`` in seconds.

>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> box = FirstSentence(Workspace(tempfile.mkdtemp()).activity(ACTIVITY))
>>> box.text.value = "Every word a model reads was written by someone."
>>> box.submit(elapsed=12.0).value["words"]
9
"""
from __future__ import annotations

import time

from ..core.activities import PART0_FIRST_SENTENCE
from ..core.display import escape
from ..core.simulated import SimulatedLearner, work_or_simulated
from ..core.workspace import Event, describe_text
from ..widgets.base import ActivityPanel
from ..widgets.text_box import TextBox
from ..widgets.typing_clock import TypingClock, plausible_wpm, pooled_wpm

ACTIVITY = PART0_FIRST_SENTENCE
PROMPT = ("In a sentence or two: what do you hope to understand about how people's work "
          "ends up inside machine-learning models?")
#: The simulated learner's sentences (clearly its own, never presented as the learner's).
SIMULATED_SENTENCES = [
    "I am the simulated learner, and I want to see who did the work behind the data.",
    "I would like to know how much labeling goes into a model before anyone uses it.",
]


class FirstSentence(ActivityPanel):
    """A text box and its *Save* button, timing how long the learner takes to write.

    Parameters
    ----------
    activity : Activity
        Where sentences are saved (``course.activity(ACTIVITY)``).
    prompt : str
        The question shown above the box.
    clock : callable, default=time.monotonic
        Seconds; replaceable in tests.

    Notes
    -----
    The *Save* button (and Ctrl+Enter) calls :meth:`submit`, as code does; a course error
    from the page is shown in the status line (:mod:`course_lib.widgets.base`).
    """

    EVENTS = ("save",)

    def __init__(self, activity, *, prompt=PROMPT, clock=time.monotonic):
        import ipywidgets as widgets

        self.activity = activity
        self.text = TextBox(placeholder="Write here…", rows=3, button_label="Save my sentence",
                            button_class="course-first-sentence-save")
        self.text.add_class("course-first-sentence-text")
        self.status = widgets.HTML()
        self.status.add_class("course-first-sentence-status")
        self.timer = TypingClock(self.text, clock=clock)
        self.text.on_save(lambda _text: self._from_page(self.submit))
        self.widget = widgets.VBox([widgets.HTML(f"<b>{escape(prompt)}</b>"), self.text,
                                    self.status])
        self._show_saved()

    def on_save(self, callback):
        """Call ``callback(event)`` after every saved sentence."""
        self._add_listener("save", callback)

    def submit(self, *, elapsed=None):
        """Save the sentence in the box (what the *Save* button does); return the Event.

        ``elapsed`` overrides the measured seconds (for tests and drivers).
        """
        text = self.text.value
        if not text.strip():
            self.show_problem("Write something first, then save.")
            return None
        if elapsed is None:
            elapsed = self.timer.seconds()
        n = len(self.activity.current()) + 1
        event = self.activity.record(f"sentence-{n}", {**describe_text(text), "text": text},
                                     kind="text", elapsed=float(elapsed))
        self.timer.reset()
        self.text.value = ""
        self._show_saved()
        self._emit("save", event)
        return event

    def _show_saved(self):
        events = self.activity.effective()
        if not events:
            self.status.value = "Nothing saved yet. Your sentence is saved the moment you press Save."
            return
        last = events[-1]
        speed = plausible_wpm(last.value["words"], last.elapsed)
        shown = (" — faster than anyone types, so it looks pasted: kept, but not timed"
                 if speed is None else f" — {speed:.0f} words a minute")
        self.status.value = (f"Saved {len(events)} sentence(s). Last one: "
                             f"{last.value['words']} words in {last.elapsed:.0f} s{escape(shown)}.")


def _simulate(learner):
    def simulate(n, _skip):
        out = []
        for i in range(n):
            text = SIMULATED_SENTENCES[i % len(SIMULATED_SENTENCES)]
            out.append(Event(activity=ACTIVITY, kind="text", item=f"simulated-{i + 1}",
                             value={**describe_text(text), "text": text},
                             elapsed=learner.typing_time(text), simulated=True))
        return out
    return simulate


def writing_speed(activity, *, random_state=0, show=True):
    """The learner's writing speed in words a minute, and the :class:`Work` it came from.

    Uses every saved sentence whose speed is plausible (pasted text is left out); with none,
    a simulated learner's (and it says so).
    """
    learner = SimulatedLearner(random_state=random_state)
    work = work_or_simulated(activity, _simulate(learner), expected=1, noun="sentences",
                             show=show)
    speed = pooled_wpm((e.value["text"], e.elapsed) for e in work.events)
    if speed is None:  # only pasted text: fall back to the simulated learner's typing speed
        speed = pooled_wpm((e.value["text"], e.elapsed) for e in _simulate(learner)(1, set()))
    return speed, work
