"""Part 1's writing activity: short texts in the learner's own voice, timed as they are written.

Each prompt shows a text box. The clock starts at the first keystroke and stops at *Save*;
the text is saved at once as an event of activity ``part1.writing`` with ``item`` = the
prompt's id, ``value = {"text": ..., "prompt": ...}`` and ``elapsed`` = seconds of writing.
Saving a prompt again replaces the earlier text (both stay in the ledger).

With nobody writing (CI, "Run All" first), :func:`writing_work` uses texts of a *simulated
learner*: a few short sentences per prompt that the course's authors wrote in a made-up
learner's voice, picked at random and timed at a composing speed. The output says so.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> act = Workspace(tempfile.mkdtemp()).activity(ACTIVITY)
>>> w = WritingActivity(act)
>>> w.write("I make tea before anything else. The kettle is loud.")
>>> w.submit(elapsed=30.0).value["prompt"] == PROMPTS[0].text
True
>>> w.prompt.id == PROMPTS[1].id     # moved on to the next prompt
True
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..core.activities import PART1_WRITING
from ..core.display import escape
from ..core.simulated import SimulatedLearner, work_or_simulated
from ..core.errors import CourseTypeError
from ..core.validation import check_int, check_text
from ..core.workspace import Event
from ..widgets.base import ActivityPanel
from ..widgets.text_box import TextBox
from ..widgets.typing_clock import TypingClock, pooled_wpm

ACTIVITY = PART1_WRITING
#: Composing is slower than copying: Karat et al. (1999, CHI) measured about 19 words a
#: minute composing at a keyboard against about 33 transcribing.
COMPOSING_WPM = 19.0


@dataclass(frozen=True)
class Prompt:
    """A writing prompt: a stable ``id`` (the saved item) and the ``text`` shown."""

    id: str
    text: str


PROMPTS = (
    Prompt("morning", "Describe your morning today, as you would tell a friend."),
    Prompt("define", "Define a word you use a lot, in your own way (serious or not)."),
    Prompt("place", "Describe a place you know well to someone who has never been there."),
    Prompt("advice", "What is a piece of advice you were given, and do you follow it?"),
    Prompt("annoy", "Write about a small thing that annoys you."),
)

#: The simulated learner's voice: short sentences written for the course, per prompt.
SIMULATED_POOL = {
    "morning": [
        "I woke up later than I wanted to.",
        "The coffee was too hot, so I read the news while it cooled.",
        "My bus was late again and it was raining a little.",
        "I answered two emails before I even had breakfast.",
        "Honestly the best part was the quiet walk to the station.",
        "I forgot my umbrella, which is very much like me.",
    ],
    "define": [
        "Deadline: the day I finally start working.",
        "A meeting is where an email goes to become an hour.",
        "Cozy means a blanket, a book and no plans at all.",
        "Weekend: two days that feel like half a day.",
        "To procrastinate is to clean your whole desk instead of writing one page.",
        "Leftovers are dinner that already did the hard part.",
    ],
    "place": [
        "There is a small park near my flat with one bench that everyone wants.",
        "In the morning it smells of cut grass and bread from the bakery next door.",
        "Old men play chess there and pretend not to watch each other.",
        "The library on the corner has creaky floors and very good chairs.",
        "At night the street lights make everything look orange and calm.",
        "You can hear the trains from there but you never see them.",
    ],
    "advice": [
        "My grandmother told me to always carry a pen.",
        "I was told to sleep on big decisions, and I mostly do.",
        "Someone once said to never check email in bed, and I ignore that daily.",
        "A teacher told me that a messy first draft is still a draft.",
        "I follow it when things go well and forget it when they do not.",
        "Ask the question, because someone else wants to know too.",
    ],
    "annoy": [
        "People who stop right at the top of the stairs annoy me.",
        "It bugs me when a website asks about cookies three times.",
        "Chargers that only work at one angle are the worst.",
        "I do not like it when the printer says it is out of cyan but I print in black.",
        "Loud phone calls on the train make me a little grumpy.",
        "Why is the last piece of tape always impossible to find?",
    ],
}


class WritingActivity(ActivityPanel):
    """Prompts, a text box and *Save* / *Skip* buttons; every text is saved as it is written.

    Parameters
    ----------
    activity : Activity
        Where texts are saved (``course.activity("part1.writing")``).
    prompts : sequence of Prompt, default=PROMPTS
        What to ask, in order.
    clock : callable, default=time.monotonic
        Seconds; replaceable in tests.

    Notes
    -----
    The buttons call :meth:`submit`, :meth:`skip` and :meth:`back`; typing sets the text
    box's value (what :meth:`write` does), so code drives exactly the same path. A course
    error from the page is shown in the status line (:mod:`course_lib.widgets.base`).
    """

    EVENTS = ("save",)

    def __init__(self, activity, *, prompts=PROMPTS, clock=time.monotonic):
        import ipywidgets as widgets

        self.activity = activity
        self.prompts = tuple(prompts)
        if not self.prompts or not all(isinstance(p, Prompt) for p in self.prompts):
            raise TypeError("`prompts` must be a non-empty list of Prompt(id, text).")
        saved = activity.current()
        todo = [i for i, p in enumerate(self.prompts) if p.id not in saved]
        self.index = todo[0] if todo else 0
        self.heading = widgets.HTML()
        self.text = TextBox(placeholder="Write here, in your own words…", rows=5,
                            button_label="Save and next", button_class="course-writing-save")
        self.text.add_class("course-writing-text")
        self.skip_button = widgets.Button(description="Skip", icon="forward")
        self.back_button = widgets.Button(description="Back", icon="backward")
        self.status = widgets.HTML()
        self.status.add_class("course-writing-status")
        self.timer = TypingClock(self.text, clock=clock)
        self.text.on_save(lambda _text: self._from_page(self.submit))
        self.skip_button.on_click(lambda _b: self._from_page(self.skip))
        self.back_button.on_click(lambda _b: self._from_page(self.back))
        self.widget = widgets.VBox([
            self.heading, self.text, widgets.HBox([self.back_button, self.skip_button]),
            self.status])
        self._show()

    @property
    def prompt(self):
        """The prompt on screen."""
        return self.prompts[self.index]

    def on_save(self, callback):
        """Call ``callback(event)`` after every saved text."""
        self._add_listener("save", callback)

    def write(self, text):
        """Put ``text`` in the box, as typing does."""
        self.text.value = check_text("text", text, allow_empty=True)

    def submit(self, *, elapsed=None):
        """Save the text in the box for the current prompt (the *Save* button); return the Event.

        ``elapsed`` overrides the measured seconds (for tests and drivers).
        """
        text = self.text.value
        if not text.strip():
            self.show_problem("Write something first, then save — or press Skip.")
            return None
        if elapsed is None:
            elapsed = self.timer.seconds()
        event = self.activity.record(self.prompt.id, {"text": text, "prompt": self.prompt.text},
                                     kind="text", elapsed=float(elapsed),
                                     meta={"words": len(text.split()), "chars": len(text)})
        self._move(+1)
        self._emit("save", event)
        return event

    def skip(self):
        """Go to the next prompt without saving (the *Skip* button)."""
        self._move(+1)

    def back(self):
        """Go to the previous prompt (the *Back* button); its saved text is shown again."""
        self._move(-1)

    def _move(self, step):
        self.index = (self.index + step) % len(self.prompts)
        saved = self.activity.current().get(self.prompt.id)
        self.text.value = saved.value["text"] if saved is not None else ""
        self.timer.reset()  # showing a saved text is not typing
        self._show()

    def _show(self):
        saved = self.activity.current()
        done = sum(p.id in saved for p in self.prompts)
        self.heading.value = (f"<b>Prompt {self.index + 1} of {len(self.prompts)}:</b> "
                              f"{escape(self.prompt.text)}")
        if not done:
            self.status.value = ("Nothing saved yet. Each text is saved the moment you press "
                                 "<i>Save and next</i>; the clock runs from your first key.")
            return
        words = sum(len(e.value["text"].split()) for e in saved.values())
        seconds = sum(e.elapsed or 0 for e in saved.values())
        self.status.value = (f"Saved {done} of {len(self.prompts)} texts: {words} words in "
                             f"{seconds:.0f} s of writing.")


def simulated_texts(n, skip_items=(), *, prompts=PROMPTS, random_state=0):
    """``n`` simulated writing events (``simulated=True``), one per prompt not in ``skip_items``.

    Each text is 2–4 sentences drawn from :data:`SIMULATED_POOL` and timed at
    :data:`COMPOSING_WPM` (give or take 15%).
    """
    n = check_int("n", n, minimum=0)
    prompts = _check_prompts(prompts)
    if isinstance(skip_items, (str, bytes, dict)) or not hasattr(skip_items, "__iter__"):
        raise CourseTypeError("`skip_items` must be a list of prompt ids to leave out; got "
                              f"{type(skip_items).__name__}.")
    if not all(isinstance(s, str) for s in skip_items):
        raise CourseTypeError("`skip_items` must be a list of prompt ids (text).")
    learner = SimulatedLearner(words_per_minute=COMPOSING_WPM, random_state=random_state)
    rng = learner.rng
    out = []
    for p in [p for p in prompts if p.id not in set(skip_items)][:n]:
        pool = SIMULATED_POOL.get(p.id) or [s for v in SIMULATED_POOL.values() for s in v]
        k = int(rng.integers(2, 5))
        picks = rng.choice(len(pool), size=min(k, len(pool)), replace=False)
        text = " ".join(pool[i] for i in picks)
        out.append(Event(activity=ACTIVITY, kind="text", item=p.id,
                         value={"text": text, "prompt": p.text}, elapsed=learner.typing_time(text),
                         meta={"simulated_from": "the course's pool of simulated sentences"},
                         simulated=True))
    return out


def _check_prompts(prompts):
    if isinstance(prompts, (str, bytes, dict)) or not hasattr(prompts, "__iter__"):
        raise CourseTypeError("`prompts` must be a list of Prompt(id, text); got "
                              f"{type(prompts).__name__}.")
    prompts = list(prompts)
    if not all(isinstance(p, Prompt) for p in prompts):
        raise CourseTypeError("`prompts` must be a list of Prompt(id, text), e.g. PROMPTS.")
    return prompts


def _text_events(work):
    """The events of ``work`` (a Work or a list of events), each a saved text."""
    events = getattr(work, "events", work)
    if isinstance(events, (str, bytes, dict)) or not hasattr(events, "__iter__"):
        raise CourseTypeError("`work` must be your writing, e.g. writing_work(...), or a list "
                              f"of its events; got {type(work).__name__}.")
    events = list(events)
    for e in events:
        value = getattr(e, "value", None)
        if not (isinstance(value, dict) and isinstance(value.get("text"), str)
                and hasattr(e, "elapsed") and hasattr(e, "item")):
            raise CourseTypeError("Each piece of `work` must be a saved text (an event whose "
                                  "value is {'text': ..., 'prompt': ...}); got "
                                  f"{type(e).__name__}.")
    return events


def writing_work(activity, *, prompts=PROMPTS, random_state=0, show=True):
    """The learner's saved texts, or simulated ones if they wrote none (it says which).

    Returns
    -------
    Work
        Events with ``value={"text", "prompt"}`` and ``elapsed`` in seconds.
    """
    prompts = _check_prompts(prompts)
    return work_or_simulated(
        activity, lambda n, skip: simulated_texts(n, skip, prompts=prompts,
                                                  random_state=random_state),
        expected=len(prompts), noun="texts", show=show)


def writing_speed(work):
    """Words a minute over the texts of ``work`` whose speed is plausible (not pasted).

    Returns None if no text has a usable timing.

    >>> e = Event("part1.writing", "text", "x", {"text": "one two three", "prompt": ""}, 9.0)
    >>> writing_speed([e])
    20.0
    """
    return pooled_wpm((e.value["text"], e.elapsed) for e in _text_events(work))


def texts_table(work):
    """The texts of ``work`` as an HTML table (prompt, text, words, seconds), all escaped."""
    from ..core.display import HTML, table

    work = _text_events(work)
    rows = [(e.item, e.value["text"], len(e.value["text"].split()),
             f"{e.elapsed:.0f}" if e.elapsed is not None else "—")
            for e in getattr(work, "events", work)]
    who = "simulated learner's" if getattr(work, "is_simulated", False) else "your"
    caption = f"<p><b>The {who} texts</b></p>"
    return HTML(caption + table(rows, ["prompt", "text", "words", "seconds"]),
                "\n".join(f"[{r[0]}] {r[1]}" for r in rows))
