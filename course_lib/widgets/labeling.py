"""The labelling widget: text or images, keyboard first, every label saved as it happens.

Keys (the mouse does the same through the buttons):

- a **number key** picks a class or a point on a rating scale (the key is shown on each button),
- **Enter** confirms the pick and saves it,
- **Backspace** clears a pick, or takes back the last saved label (or skip) and returns to it,
- **s** starts a skip; a number key then says why (unsure, ambiguous, offensive, other).

Items are shown in a seeded shuffle. A few items come back later, unannounced, to measure how
consistent the labeller is with themselves; optional *gold* items (whose answer is known) are
flagged in the saved record. Each saved event carries the time the label took and the position
at which the item was shown, so a re-run of the notebook restores the session exactly where it
stopped. Tests and simulated learners drive the widget with :meth:`LabelingWidget.press` — the
method the keyboard calls.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> act = Workspace(tempfile.mkdtemp()).activity("part2.demo")
>>> w = LabelingWidget(act, ["good", "bad", "meh"], choices=[-1, 0, 1], n_repeats=0,
...                    shuffle=False)
>>> for key in ["3", "Enter", "1", "Enter", "s", "1"]:
...     _ = w.press(key)
>>> {item: e.value for item, e in act.current().items()}
{'good': 1, 'bad': -1, 'meh': {'reason': 'unsure'}}
>>> w.finished
True
"""
from __future__ import annotations

import html
import time
from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np

from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_choice, check_int, check_random_state
from .base import ActivityWidget
from .keyboard import KeyCatcher

SKIP_REASONS = ("unsure", "ambiguous", "offensive", "other")
#: Keys that never pick a choice.
CONFIRM, UNDO = "Enter", "Backspace"


def default_keys(choices):
    """Keys for ``choices``: the digit itself for the classes 0–9, else 1, 2, ... 9, 0 by position.

    >>> default_keys(range(10))[:3], default_keys([-4, -3, -2])
    (['0', '1', '2'], ['1', '2', '3'])
    """
    from ..core.validation import check_list
    choices = check_list("choices", choices, what="a list of the choices, e.g. range(10)")
    if all(isinstance(c, (int, np.integer)) and 0 <= c <= 9 for c in choices) \
            and len(set(choices)) == len(choices):
        return [str(int(c)) for c in choices]
    if len(choices) > 10:
        raise CourseValueError(f"{len(choices)} choices are more than the 10 number keys; "
                               "pass `keys=` with one key name per choice.")
    return [str((i + 1) % 10) for i in range(len(choices))]


def render_item(content):
    """HTML for one item: text as a large escaped word or sentence, a 2-D array as an image.

    Images are inline SVG squares (grey levels), so nothing but the kernel is needed.

    >>> render_item("<b>hi</b>").count("&lt;b&gt;")
    1
    >>> render_item(np.eye(2)).count("<rect")
    4
    """
    if isinstance(content, str):
        return (f"<div style='font-size:2em;padding:12px 4px;min-height:1.6em'>"
                f"{html.escape(content)}</div>")
    try:
        arr = np.asarray(content, dtype=float)
    except (TypeError, ValueError):
        raise CourseTypeError("An item to label must be text or a 2-D array of numbers (an "
                              f"image); got {type(content).__name__}.") from None
    if arr.ndim != 2 or arr.size == 0:
        raise CourseTypeError("An item to label must be text or a 2-D array (an image); "
                              f"got an array of shape {arr.shape}.")
    span = arr.max() - arr.min()
    grey = (arr - arr.min()) / span if span > 0 else np.zeros_like(arr)
    h, w = arr.shape
    cell = max(4, 160 // max(h, w))
    rects = "".join(
        f"<rect x='{x * cell}' y='{y * cell}' width='{cell}' height='{cell}' "
        f"fill='rgb({v},{v},{v})'/>"
        for (y, x), v in np.ndenumerate((255 * (1 - grey)).astype(int)))
    return (f"<svg width='{w * cell}' height='{h * cell}' role='img' aria-label='image to "
            f"label' style='border:1px solid #999;margin:6px 0'>{rects}</svg>")


def _clean_items(items):
    if isinstance(items, Mapping):
        pairs = list(items.items())
    elif isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise CourseTypeError("`items` must be a list of item ids (e.g. words) or a dict "
                              f"{{id: content}}; got {type(items).__name__}.")
    else:
        pairs = [(i, i) for i in items]
    out = {}
    for item_id, content in pairs:
        if isinstance(item_id, bool) or not isinstance(item_id, (str, int, np.integer)):
            raise CourseTypeError(f"Item ids must be text or whole numbers; got {item_id!r}.")
        key = str(item_id)
        if key in out:
            raise CourseValueError(f"Item {key!r} appears twice in `items`; ids must be unique.")
        out[key] = content
    if not out:
        raise CourseValueError("`items` is empty: there is nothing to label.")
    return out


def presentation_order(item_ids, *, n_repeats, shuffle, random_state, exclude=(), min_gap=5):
    """The order items are shown in: ``[(item_id, is_repeat), ...]``.

    A seeded shuffle, then ``n_repeats`` items from the first half are shown again at a random
    later place, at least ``min_gap`` items after their first showing where possible.

    >>> presentation_order(list("abcdefgh"), n_repeats=1, shuffle=False, random_state=0)[-3:]
    [('g', False), ('h', False), ('d', True)]
    """
    from ..core.validation import check_list
    rng = check_random_state(random_state)
    n_repeats = check_int("n_repeats", n_repeats, minimum=0)
    min_gap = check_int("min_gap", min_gap, minimum=0)
    ids = check_list("item_ids", item_ids, what="a list of item ids")
    try:
        exclude = list(exclude)
        set(ids), set(exclude)
    except TypeError:
        raise CourseTypeError("`item_ids` and `exclude` must hold single ids (text or numbers), "
                              "not lists.") from None
    if shuffle:
        ids = [ids[i] for i in rng.permutation(len(ids))]
    order = [(i, False) for i in ids]
    candidates = [i for i in ids[: max(1, len(ids) // 2)] if i not in set(exclude)]
    n_repeats = min(n_repeats, len(candidates))
    if n_repeats == 0:
        return order
    chosen = [candidates[j] for j in sorted(rng.choice(len(candidates), n_repeats,
                                                        replace=False))]
    for item in chosen:
        first = next(k for k, (i, r) in enumerate(order) if i == item and not r)
        lo = min(first + 1 + min_gap, len(order))
        order.insert(int(rng.integers(lo, len(order) + 1)), (item, True))
    return order


class LabelingWidget(ActivityWidget, widgets.VBox):
    """Label items with the keyboard (or mouse); each label is saved to ``activity`` at once.

    Parameters
    ----------
    activity : Activity
        Where the labels are saved (``course.activity("part2.words")``).
    items : list of ids, or dict {id: content}
        What to label. Ids (text or whole numbers) are what is saved; content is what is shown:
        text, or a 2-D array drawn as an image. A plain list shows the ids themselves.
    choices : sequence
        The classes, or the points of a rating scale, in order.
    choice_names : sequence of str, optional
        How each choice is written on its button (default: the choice itself).
    keys : sequence of str, optional
        One key per choice (default: :func:`default_keys`).
    kind : {"label", "rating"}, default="label"
        How the events are saved (a class, or a point on a scale).
    n_repeats : int, default=3
        Items shown a second time, unannounced, to measure self-consistency.
    gold : dict {id: answer}, optional
        Items whose answer is known; their events are flagged ``meta["gold"]``.
    shuffle : bool, default=True
        Show the items in a seeded random order.
    random_state : int, default=0
        Seed of the shuffle and of the repeats (the same seed restores the same order).
    skip_key : str, default="s"
        The key that starts a skip.
    skip_reasons : sequence of str, default=SKIP_REASONS
        Why an item may be skipped; in a skip, number keys 1, 2, ... pick a reason.
    instructions : str, default=""
        One line above the item (plain text; escaped).
    clock : callable, optional
        Returns seconds (default :func:`time.perf_counter`); tests pass a fake clock.

    Notes
    -----
    Keys and buttons call :meth:`press` and the action methods, as code does; a course error
    from the page is shown in the status line, from code it is raised
    (:mod:`course_lib.widgets.base`). :meth:`on_label` registers a listener.
    """

    EVENTS = ("label",)

    def __init__(self, activity, items, *, choices, choice_names=None, keys=None, kind="label",
                 n_repeats=3, gold=None, shuffle=True, random_state=0, skip_key="s",
                 skip_reasons=SKIP_REASONS, instructions="", clock=None):
        self.activity = activity
        self.items = _clean_items(items)
        self.choices = list(choices)
        if len(self.choices) < 2 or len(set(map(repr, self.choices))) != len(self.choices):
            raise CourseValueError(f"`choices` needs at least two different choices; got "
                                   f"{self.choices!r}.")
        self.choice_names = [str(c) for c in (choice_names or self.choices)]
        self.choice_keys = [str(k) for k in (keys or default_keys(self.choices))]
        if len(self.choice_keys) != len(self.choices) or len(self.choice_names) != len(self.choices):
            raise CourseValueError(f"`keys` and `choice_names` need one entry per choice "
                                   f"({len(self.choices)}); got {len(self.choice_keys)} keys and "
                                   f"{len(self.choice_names)} names.")
        self.kind = check_choice("kind", kind, ("label", "rating"))
        self.skip_key = skip_key
        self.skip_reasons = list(skip_reasons)
        if len(set(self.choice_keys) | {CONFIRM, UNDO, skip_key}) != len(self.choice_keys) + 3:
            raise CourseValueError(f"The keys must all differ: choices use {self.choice_keys}, and "
                                   f"'{CONFIRM}', '{UNDO}' and {skip_key!r} are taken.")
        self.gold = {str(k): v for k, v in (gold or {}).items()}
        unknown = set(self.gold) - set(self.items)
        if unknown:
            raise CourseValueError(f"Gold items {sorted(unknown)[:5]} are not among `items`.")
        self.clock = clock or time.perf_counter
        self.order = presentation_order(
            list(self.items), n_repeats=check_int("n_repeats", n_repeats, minimum=0),
            shuffle=shuffle, random_state=random_state, exclude=self.gold)
        self.pending = None          # the choice picked but not yet confirmed
        self.skipping = False        # True after the skip key, until a reason is picked
        self.done = {}               # position -> saved Event
        self.last_message = ""
        self._restore()
        self._build(instructions)
        super().__init__(children=self._children)
        self.add_class("course-labeling")
        self._shown_at = self.clock()
        self._draw()

    # -- state ---------------------------------------------------------------------------
    def _restore(self):
        """Rebuild progress from the saved events still in force (a re-run or a restart)."""
        for e in self.activity.effective():
            pos = e.meta.get("position") if isinstance(e.meta, dict) else None
            if e.kind in ("label", "rating", "skip") and isinstance(pos, int) \
                    and 0 <= pos < len(self.order) and self.order[pos][0] == e.item:
                self.done[pos] = e

    @property
    def position(self):
        """Index in :attr:`order` of the item on screen (None when all are done)."""
        return next((p for p in range(len(self.order)) if p not in self.done), None)

    @property
    def current_item(self):
        """The id of the item on screen (None when all are done)."""
        pos = self.position
        return None if pos is None else self.order[pos][0]

    @property
    def finished(self):
        """True when every position has a saved label or skip."""
        return len(self.done) == len(self.order)

    # -- actions (keys and buttons call these) ------------------------------------------------
    def on_label(self, callback):
        """Call ``callback(event)`` after every saved label or skip (``callback(None)`` on undo)."""
        self._add_listener("label", callback)

    def press(self, key):
        """Do what ``key`` does; the keyboard, the buttons and tests all come through here.

        Returns
        -------
        Event or None
            The event saved by this key, if any.
        """
        if not isinstance(key, str):
            raise CourseTypeError(f"`key` must be a key name such as '1' or 'Enter'; got "
                                  f"{type(key).__name__}.")
        if key == UNDO:
            return self.undo()
        if self.skipping:
            if key.isdigit() and 1 <= int(key) <= len(self.skip_reasons):
                return self.skip(self.skip_reasons[int(key) - 1])
            if key == self.skip_key:
                return self._set_message("Skip: press a number for the reason, or Backspace.")
            return self._set_message(f"Key {key!r} does nothing in a skip: press 1–"
                                     f"{len(self.skip_reasons)} for a reason, Backspace to "
                                     "cancel.")
        if key == CONFIRM:
            return self.confirm()
        if key == self.skip_key:
            return self.start_skip()
        if key in self.choice_keys:
            return self.pick(self.choices[self.choice_keys.index(key)])
        return self._set_message(f"Key {key!r} does nothing here.")

    def pick(self, choice):
        """Pick ``choice`` for the item on screen (Enter / :meth:`confirm` saves it)."""
        if choice not in self.choices:
            raise CourseValueError(f"`choice` must be one of {self.choices}; got {choice!r}.")
        if self.finished:
            return self._set_message("All done — nothing left to label.")
        self.pending = choice
        self.skipping = False
        self._draw()
        return None

    def confirm(self):
        """Save the picked choice for the item on screen and move on."""
        if self.finished:
            return self._set_message("All done — nothing left to label.")
        if self.pending is None:
            return self._set_message("Pick a choice first (a number key), then press Enter.")
        return self._save(self.kind, _plain(self.pending))

    def choose(self, choice):
        """Pick and confirm in one go (what a mouse click on a choice does)."""
        self.pick(choice)
        return self.confirm()

    def start_skip(self):
        """Start a skip: the next number key gives the reason."""
        if self.finished:
            return self._set_message("All done — nothing left to skip.")
        self.skipping = True
        self.pending = None
        self._draw()
        return None

    def skip(self, reason):
        """Skip the item on screen, saying why (one of ``skip_reasons``)."""
        check_choice("reason", reason, self.skip_reasons)
        if self.finished:
            return self._set_message("All done — nothing left to skip.")
        return self._save("skip", {"reason": reason})

    def undo(self):
        """Clear a pick or a started skip; otherwise take back the last saved label or skip."""
        if self.skipping or self.pending is not None:
            self.skipping, self.pending = False, None
            return self._set_message("Cleared.")
        if not self.done:
            return self._set_message("Nothing to undo yet.")
        undone = self.activity.undo()
        back = next((p for p, e in self.done.items() if undone is not None
                     and e.uid == undone.uid), None)
        if back is not None:
            del self.done[back]
        self._shown_at = self.clock()
        what = "skip" if undone is not None and undone.kind == "skip" else "label"
        self._set_message(f"Took back your {what} — this item is back on screen.")
        self._emit("label", None)
        return None

    def _save(self, kind, value):
        pos = self.position
        item, repeat = self.order[pos]
        now = self.clock()
        meta = {"position": pos, "repeat": repeat}
        if item in self.gold:
            meta["gold"] = True
        event = self.activity.record(item, value, kind=kind,
                                     elapsed=round(max(0.0, now - self._shown_at), 4), meta=meta)
        self.done[pos] = event
        self.pending, self.skipping = None, False
        self._shown_at = now
        shown = value["reason"] if kind == "skip" else value
        self._set_message(f"Saved {'skip (' + shown + ')' if kind == 'skip' else shown}.")
        self._emit("label", event)
        return event

    def _set_message(self, text):
        self.last_message = text
        self._draw()
        return None

    # -- view ----------------------------------------------------------------------------
    def _build(self, instructions):
        self.catcher = KeyCatcher(
            catch_keys=sorted(set(self.choice_keys) | {CONFIRM, UNDO, self.skip_key}
                              | {str(i + 1) for i in range(len(self.skip_reasons))}),
            prompt="⌨ Click here to label with the keyboard",
            active_prompt="⌨ Keys on: number = pick · Enter = save · Backspace = undo · "
                          f"{self.skip_key} = skip")
        self.catcher.on_key(self._press_from_browser)
        self.instructions = widgets.HTML(f"<i>{html.escape(instructions)}</i>"
                                         if instructions else "")
        self.view = widgets.HTML()
        self.choice_buttons = []
        for choice, name, key in zip(self.choices, self.choice_names, self.choice_keys):
            b = widgets.Button(description=f"{name}  [{key}]",
                               tooltip=f"key {key}: pick {name} and save",
                               layout=widgets.Layout(width="auto", min_width="3.5em"))
            b.on_click(lambda _b, c=choice: self._click(lambda: self.choose(c)))
            b.add_class("course-label-choice")
            self.choice_buttons.append(b)
        self.skip_buttons = []
        for n, reason in enumerate(self.skip_reasons, 1):
            b = widgets.Button(description=f"skip: {reason}", tooltip=f"{self.skip_key} then {n}",
                               layout=widgets.Layout(width="auto"))
            b.on_click(lambda _b, r=reason: self._click(lambda: self.skip(r)))
            b.add_class("course-label-skip")
            self.skip_buttons.append(b)
        self.undo_button = widgets.Button(description="undo  [Backspace]", icon="undo",
                                          layout=widgets.Layout(width="auto"))
        self.undo_button.on_click(lambda _b: self._click(self.undo))
        self.undo_button.add_class("course-label-undo")
        self.bar = widgets.IntProgress(min=0, max=len(self.order), value=0,
                                       layout=widgets.Layout(width="50%"))
        self.status = widgets.HTML()
        self.status.add_class("course-label-status")
        self.view.add_class("course-label-item")
        self._children = [
            self.catcher, self.instructions, self.view,
            widgets.HBox(self.choice_buttons, layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox(self.skip_buttons + [self.undo_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.bar, self.status])]

    def _press_from_browser(self, key):
        self._from_page(lambda: self.press(key))

    def _click(self, action):
        self._from_page(action)
        self.catcher.focus()          # keep the keyboard working after a mouse click

    def show_problem(self, text):
        """Problems go in the status line after the progress count (see :meth:`_draw`)."""
        self._set_message(text)

    def _draw(self):
        if not hasattr(self, "bar"):
            return
        pos = self.position
        if pos is None:
            self.view.value = ("<div style='font-size:1.3em;padding:12px 4px'>✓ All done — "
                               f"{len(self.done)} saved. Run the next cells to see what your "
                               "labels show.</div>")
        else:
            item = self.order[pos][0]
            head = "<b>Skip — why?</b> press " + ", ".join(
                f"{n} = {html.escape(r)}" for n, r in enumerate(self.skip_reasons, 1)) + \
                " (Backspace cancels)" if self.skipping else ""
            self.view.value = render_item(self.items[item]) + (
                f"<div style='color:#D55E00'>{head}</div>" if head else "")
        for b, choice in zip(self.choice_buttons, self.choices):
            style = "info" if self.pending is not None and choice == self.pending else ""
            if b.button_style != style:
                b.button_style = style
        for b in self.skip_buttons:
            style = "warning" if self.skipping else ""
            if b.button_style != style:
                b.button_style = style
        self.bar.value = len(self.done)
        times = [e.elapsed for e in self.done.values() if e.elapsed is not None]
        pace = f" · {np.median(times):.1f} s per label" if times else ""
        self.status.value = (f"<span style='margin-left:8px'>{len(self.done)} / "
                             f"{len(self.order)}{pace} · {html.escape(self.last_message)}</span>")


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value
