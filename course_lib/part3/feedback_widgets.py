"""Feedback widgets: pass/fail on one answer, and A-versus-B on two — keyboard first.

Both show one item at a time, save every judgment the moment it is made (with the seconds it
took) and move on. Everything a key or a button does goes through :meth:`press` and the
action methods (:meth:`PairwiseFeedback.choose`, :meth:`PassFailFeedback.rate`,
:meth:`undo`), so code, tests and the simulated learner drive the widget exactly as a person
does. The keys are caught by the shared :class:`~course_lib.widgets.keyboard.KeyCatcher`.

Keys
----
A versus B:  ← or a: A (left) is better · → or b: B (right) is better · ↓ or t: tie ·
c: can't tell · s or space: skip · Backspace or u: undo.
Pass/fail:   ↑ or p: pass · ↓ or f: fail · s or space: skip · Backspace or u: undo.

The left/right order of each pair is drawn at random when it is shown, and saved with the
judgment (see :mod:`course_lib.methods.judgments` for the record format).

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> from course_lib.methods.toy_assistant import ToyAssistant
>>> ws = Workspace(tempfile.mkdtemp())
>>> w = PairwiseFeedback(ws.activity("part3.pairwise"), ToyAssistant(),
...                      ["egg:short|egg:wrong"], random_state=0)
>>> w.press("ArrowLeft")
True
>>> event = ws.activity("part3.pairwise").events()[0]
>>> event.value["chosen"] == event.value["left"], w.done
(True, True)
"""
from __future__ import annotations

import time

import ipywidgets as widgets

from ..core.display import escape
from ..core.validation import check_choice, check_number, check_random_state
from ..methods.judgments import pair_value, parse_pair_item
from ..widgets.base import ActivityWidget
from ..widgets.keyboard import KeyCatcher

_CARD = ("border:1px solid #ccc;border-radius:8px;padding:10px 14px;margin:4px;"
         "min-height:4.5em;background:#fafafa;flex:1")


class _Feedback(ActivityWidget, widgets.VBox):
    """What both widgets share: queue, timing, keys, undo, callbacks.

    Keys and buttons go through :meth:`press` and the action methods, as code does; a course
    error from the page is shown in the status line, from code it is raised
    (:mod:`course_lib.widgets.base`).
    """

    EVENTS = ("judgment",)
    KEYS: dict = {}
    ACTION_KIND = "rating"
    KEY_HELP = ""

    def __init__(self, activity, model, items, *, random_state=0):
        self.activity = activity
        self.model = model
        self.items = [str(i) for i in items]
        self._rng = check_random_state(random_state)
        done = set(activity.current())
        self._queue = [i for i in self.items if i not in done]
        self._shown_at = time.perf_counter()
        self._via = "code"
        self.key_catcher = KeyCatcher(catch_keys=list(self.KEYS), prompt=self.KEY_HELP,
                               active_prompt="⌨ Keys on · " + self.KEY_HELP)
        # keys from the page and from press() alike are recorded as via="key"
        self.key_catcher.on_key(lambda key: self._from("key", lambda: self._on_key(key)))
        self.card = widgets.HTML()
        self.status = widgets.HTML()
        buttons = self._buttons()
        for b in buttons:
            b.on_click(self._button_clicked)
        undo = widgets.Button(description="Undo (⌫)", tooltip="Backspace or u",
                              layout=widgets.Layout(width="auto"))
        undo.on_click(lambda _b: self._from("button", self.undo))
        super().__init__([self.key_catcher, self.card, widgets.HBox(buttons + [undo]), self.status])
        self._show()

    # -- public --------------------------------------------------------------------------
    @property
    def current_item(self):
        """The item on screen (None when all are done)."""
        return self._queue[0] if self._queue else None

    @property
    def remaining(self):
        """How many items are left to judge."""
        return len(self._queue)

    @property
    def done(self):
        """True when every item has an answer."""
        return not self._queue

    def press(self, key):
        """Act as if ``key`` was pressed; returns True if the key means something here."""
        with self._driven_from_code():
            return self.key_catcher.press(key)

    def on_judgment(self, callback):
        """Call ``callback(event)`` after every saved judgment (and ``callback(None)`` on undo)."""
        self._add_listener("judgment", callback)

    def undo(self):
        """Take back the latest judgment of this activity and show its item again."""
        event = self.activity.undo()
        if event is None:
            self.status.value = "<i>Nothing to undo.</i>"
            return None
        if event.item in self.items:
            if event.item in self._queue:
                self._queue.remove(event.item)
            self._queue.insert(0, event.item)
        self._show()
        self.status.value = f"<i>Took back your answer on item {escape(event.item)}.</i>"
        self._emit("judgment", None)
        return event

    # -- internals -----------------------------------------------------------------------
    def _on_key(self, key):
        action = self.KEYS.get(key)
        if action == "undo":
            self.undo()
        elif action is not None and not self.done:
            self._act(action)

    def _button_clicked(self, button):
        self._from("button", lambda: self._act(button.action))

    def _from(self, via, fn):
        """Run ``fn`` for a key or a button of the page (errors go to the status line)."""
        self._via = via
        try:
            return self._from_page(fn)
        finally:
            self._via = "code"

    def _save(self, kind, value, elapsed):
        item = self._queue[0]
        if elapsed is None:
            elapsed = time.perf_counter() - self._shown_at
        elapsed = round(check_number("elapsed", elapsed, minimum=0), 3)
        event = self.activity.record(item, value, kind=kind, elapsed=elapsed,
                                     meta={"plan_index": self.items.index(item), "via": self._via})
        self._queue.pop(0)
        self._show()
        n_done = len(self.items) - len(self._queue)
        self.status.value = (f"Saved · {n_done} of {len(self.items)} done · that one took "
                             f"{elapsed:.1f} s")
        self._emit("judgment", event)
        return event

    def _show(self):
        self._shown_at = time.perf_counter()
        if self.done:
            self.card.value = ("<div style='padding:10px'><b>All done — thank you!</b> Your "
                               "judgments are saved. Run the cells below to see what they "
                               "taught the model.</div>")
            return
        self._draw(self._queue[0])

    def _question(self, prompt_id):
        return (f"<div style='margin:4px'><b>Question:</b> {escape(self.model.prompts[prompt_id])}"
                f" <span style='color:#999'>· {len(self.items) - len(self._queue) + 1} of "
                f"{len(self.items)}</span></div>")


class PairwiseFeedback(_Feedback):
    """A versus B: which answer is more helpful? Saved to ``part3.pairwise``.

    Parameters
    ----------
    activity : Activity
        Where judgments are saved (``course.activity("part3.pairwise")``).
    model : ToyAssistant
        Where the answers' texts come from.
    items : list of str
        Pair ids, in order (:func:`course_lib.methods.judgments.pair_plan`). Pairs already judged
        are not shown again.
    random_state : int, default=0
        Seed for the left/right order.
    """

    KEYS = {"ArrowLeft": "left", "a": "left", "ArrowRight": "right", "b": "right",
            "ArrowDown": "tie", "t": "tie", "c": "cant_tell", "s": "skip", " ": "skip",
            "Backspace": "undo", "u": "undo"}
    KEY_HELP = "← A better · → B better · ↓ tie · c can't tell · s skip · ⌫ undo"

    def _buttons(self):
        spec = [("← A is better", "left"), ("Tie (↓)", "tie"), ("Can't tell (c)", "cant_tell"),
                ("Skip (s)", "skip"), ("B is better →", "right")]
        out = []
        for text, action in spec:
            b = widgets.Button(description=text, layout=widgets.Layout(width="auto"),
                               button_style="info" if action in ("left", "right") else "")
            b.action = action
            out.append(b)
        return out

    @property
    def sides(self):
        """``(left id, right id)`` of the pair on screen."""
        return self._sides

    def _draw(self, item):
        a, b, _ = parse_pair_item(item)
        self._sides = (a, b) if self._rng.random() < 0.5 else (b, a)
        texts = self.model.outputs.loc[list(self._sides), "text"]
        prompt_id = self.model.outputs.loc[a, "prompt_id"]
        cards = "".join(f"<div style='{_CARD}'><b>{name}</b><br>{escape(t)}</div>"
                        for name, t in zip(("A", "B"), texts))
        self.card.value = self._question(prompt_id) + f"<div style='display:flex'>{cards}</div>"

    def _act(self, action):
        self.choose(action)

    def choose(self, choice, *, elapsed=None):
        """Answer the pair on screen: ``left``, ``right``, ``tie``, ``cant_tell`` or ``skip``.

        Returns the saved :class:`~course_lib.core.workspace.Event` (None if all are done).
        """
        check_choice("choice", choice, ("left", "right", "tie", "cant_tell", "skip"))
        if self.done:
            return None
        left, right = self._sides
        return self._save("skip" if choice == "skip" else "preference",
                          pair_value(choice, left=left, right=right), elapsed)


class PassFailFeedback(_Feedback):
    """Thumbs up or down on one answer: is it helpful? Saved to ``part3.passfail``.

    Parameters
    ----------
    activity : Activity
        Where judgments are saved (``course.activity("part3.passfail")``).
    model : ToyAssistant
    items : list of str
        Output ids, in order (:func:`course_lib.methods.judgments.passfail_plan`).
    random_state : int, default=0
    """

    KEYS = {"ArrowUp": "pass", "p": "pass", "ArrowDown": "fail", "f": "fail", "s": "skip",
            " ": "skip", "Backspace": "undo", "u": "undo"}
    KEY_HELP = "↑ pass · ↓ fail · s skip · ⌫ undo"

    def _buttons(self):
        out = []
        # icons from JupyterLab's own icon font: an emoji shows as an empty box on machines
        # without an emoji font
        for text, icon, action, style in (("Pass (↑)", "thumbs-up", "pass", "success"),
                                          ("Fail (↓)", "thumbs-down", "fail", "danger"),
                                          ("Skip (s)", "", "skip", "")):
            b = widgets.Button(description=text, icon=icon, button_style=style,
                               layout=widgets.Layout(width="auto"))
            b.action = action
            out.append(b)
        return out

    def _draw(self, item):
        row = self.model.outputs.loc[item]
        self.card.value = (self._question(row["prompt_id"])
                           + f"<div style='{_CARD}'>{escape(row['text'])}</div>")

    def _act(self, action):
        self.rate(action)

    def rate(self, rating, *, elapsed=None):
        """Answer the output on screen: ``pass``, ``fail`` or ``skip``."""
        check_choice("rating", rating, ("pass", "fail", "skip"))
        if self.done:
            return None
        if rating == "skip":
            return self._save("skip", None, elapsed)
        return self._save("rating", rating, elapsed)
