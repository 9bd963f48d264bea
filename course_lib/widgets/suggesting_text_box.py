"""A text box that offers the next words inline, as grey text after the caret; Tab accepts.

The box is a small `anywidget <https://anywidget.dev>`_ (JavaScript inline below, nothing
loaded from a CDN). Each keystroke sends the box's whole text to the kernel, which decides
whether to offer a suggestion (by calling the ``suggest`` function it was given) and sends it
back; the page draws it in grey right after the text. Then

* **Tab** takes it (the words are inserted, followed by a space, and the next suggestion is
  asked for at once);
* typing the same letters keeps it (it shrinks as you type it yourself);
* typing anything else, or **Escape**, passes it over: the suggestion is *ignored*;
* **Ctrl+Enter** (⌘+Enter) or the button saves the text (the save message carries the text
  itself, as :class:`~course_lib.widgets.text_box.TextBox`'s does, so nothing typed is lost).

Tab is caught only while a suggestion is showing: otherwise it moves the focus, as everywhere,
so the box never traps a keyboard user. The key is caught on the window in the capture phase
(as :mod:`course_lib.widgets.keyboard` does), before JupyterLab's completer or Notebook 7's
shortcuts see it.

Every suggestion shown, accepted or ignored goes to the ``on_shown``, ``on_accepted`` and
``on_ignored`` listeners at the moment it happens, with its timing; the activity that owns the
box records them (see :mod:`course_lib.part6.writing`). Code and tests drive the box through
the same handler the page's messages reach: :meth:`SuggestingTextBox.type`,
:meth:`~SuggestingTextBox.press_tab`, :meth:`~SuggestingTextBox.escape` and
:meth:`~SuggestingTextBox.save`.

Examples
--------
>>> box = SuggestingTextBox(suggest=lambda text: "the world")
>>> seen = []
>>> box.on_shown(lambda s: seen.append(("shown", s.text)))
>>> box.on_accepted(lambda s: seen.append(("accepted", s.text)))
>>> box.type("Your model changes ")
>>> box.suggestion
'the world'
>>> box.press_tab()
>>> box.value
'Your model changes the world '
>>> seen[:2]
[('shown', 'the world'), ('accepted', 'the world')]
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import anywidget
import traitlets

from ..core.errors import CourseTypeError
from ..core.validation import check_callable
from .base import ActivityWidget

_ESM = r"""
function render({ model, el }) {
  const wrap = document.createElement("div");
  wrap.className = "course-suggest-wrap";
  const mirror = document.createElement("div");
  mirror.className = "course-suggest-mirror";
  mirror.setAttribute("aria-hidden", "true");
  const typed = document.createElement("span");
  const ghost = document.createElement("span");
  ghost.className = "course-suggestion-ghost";
  mirror.append(typed, ghost);
  const area = document.createElement("textarea");
  area.className = "course-suggest-area";
  area.rows = model.get("rows");
  area.placeholder = model.get("placeholder");
  area.value = model.get("value");
  area.spellcheck = false;
  area.setAttribute("aria-label", model.get("placeholder") || "text");
  wrap.append(mirror, area);
  const hint = document.createElement("div");
  hint.className = "course-suggestion-hint";
  hint.setAttribute("aria-live", "polite");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = model.get("button_label");
  button.className = "jupyter-button widget-button mod-primary " + model.get("button_class");
  button.style.cssText = "margin-top:6px;width:auto;padding:0 12px";

  // what to show in grey: the kernel's suggestion, minus what was typed since it was made
  const remaining = () => {
    const s = model.get("suggestion"), base = model.get("suggestion_for"), now = area.value;
    if (!s || !model.get("enabled") || !now.startsWith(base)) return "";
    if (area.selectionStart !== now.length || area.selectionEnd !== now.length) return "";
    const extra = now.slice(base.length);
    return s.startsWith(extra) ? s.slice(extra.length) : "";
  };
  const draw = () => {
    const g = remaining();
    typed.textContent = area.value;
    ghost.textContent = g;
    const problem = model.get("problem");
    hint.style.color = problem ? "#D55E00" : "";
    hint.textContent = problem ? problem
                     : g ? "Tab \u21e5 takes \u201c" + g + "\u201d \u00b7 keep typing or Esc to pass"
                         : (model.get("enabled") ? "" : model.get("off_hint"));
    mirror.scrollTop = area.scrollTop;
  };
  const sendText = () => {
    model.send({ type: "text", text: area.value });
    draw();
  };
  area.addEventListener("input", sendText);
  area.addEventListener("scroll", () => { mirror.scrollTop = area.scrollTop; });
  area.addEventListener("click", draw);
  area.addEventListener("keyup", (e) => { if (e.key.startsWith("Arrow")) draw(); });
  const save = () => model.send({ type: "save", text: area.value });
  const onKey = (e) => {
    if (e.target !== area) return;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault(); e.stopPropagation(); save(); return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    const g = remaining();
    if (!g) return;                          // no suggestion: Tab moves the focus as usual
    if (e.key === "Tab" && !e.shiftKey) {
      e.preventDefault(); e.stopPropagation();
      area.value = area.value + g + " ";
      area.selectionStart = area.selectionEnd = area.value.length;
      model.send({ type: "accept", id: model.get("suggestion_id"), text: area.value, taken: g });
      model.set("suggestion", ""); draw();
    } else if (e.key === "Escape") {
      e.preventDefault(); e.stopPropagation();
      model.send({ type: "dismiss", id: model.get("suggestion_id"), text: area.value });
      model.set("suggestion", ""); draw();
    }
  };
  window.addEventListener("keydown", onKey, true);
  button.addEventListener("click", save);
  // The kernel's copy of the text follows the page's, never the other way round (an echo of an
  // older keystroke would overwrite newer ones); only a reset (a new round) replaces the text.
  model.on("msg:custom", (msg) => {
    if (msg && msg.event === "reset" && typeof msg.text === "string") {
      area.value = msg.text; draw();
    }
  });
  model.on("change:suggestion", draw);
  model.on("change:suggestion_for", draw);
  model.on("change:enabled", draw);
  model.on("change:problem", draw);
  model.on("msg:custom", (msg) => { if (msg && msg.event === "focus") area.focus(); });
  const line = document.createElement("div");
  line.append(button);
  el.append(wrap, hint, line);
  draw();
  return () => window.removeEventListener("keydown", onKey, true);
}
export default { render };
"""

_CSS = r"""
.course-suggest-wrap { position: relative; width: 95%; }
.course-suggest-mirror, .course-suggest-area {
  box-sizing: border-box; width: 100%; margin: 0; padding: 6px; font: inherit;
  line-height: 1.5; letter-spacing: normal; white-space: pre-wrap; overflow-wrap: break-word;
  border: 1px solid var(--jp-border-color1, #999); border-radius: 2px;
}
.course-suggest-mirror {
  position: absolute; inset: 0; overflow: hidden; color: transparent; pointer-events: none;
  background: var(--jp-layout-color0, #fff);
}
.course-suggest-area {
  position: relative; display: block; resize: vertical; background: transparent;
  color: var(--jp-content-font-color1, #111);
}
.course-suggestion-ghost { color: #888888; }
.course-suggestion-hint { min-height: 1.4em; font-size: 0.85em; color: #666; margin-top: 2px; }
"""


@dataclass(frozen=True)
class Suggestion:
    """One suggestion the box offered.

    Attributes
    ----------
    id : int
        Its number in this box (1, 2, ...).
    text : str
        The words offered (for an accepted one: the part still untyped when Tab was pressed).
    context : str
        The text it was offered after.
    seconds : float
        For ``accepted`` / ``ignored``: seconds from being shown to being taken or passed
        over (0.0 for ``shown``).
    via : str
        How it ended: ``"tab"``, ``"typed"`` (typing something else), ``"escape"``, ``"save"``;
        ``""`` while shown.
    """

    id: int
    text: str
    context: str
    seconds: float = 0.0
    via: str = ""


class SuggestingTextBox(ActivityWidget, anywidget.AnyWidget):
    """A text area with inline suggestions (Tab accepts) and a *Save* button.

    It follows the course's widget conventions (:mod:`course_lib.widgets.base`): listeners by
    ``on_<event>``, and a course error raised while handling a message from the page (e.g. by
    ``suggest`` or by a listener that records) is shown in the box's hint line rather than lost
    in JupyterLab's log; called from code, the same methods raise.

    Parameters
    ----------
    suggest : callable or None
        ``suggest(text) -> str``: the words to offer after ``text`` (``""``: none). Called
        when the text is empty or ends with a space (a word boundary). None: no suggestions.
    clock : callable, default=time.monotonic
        Seconds, for the timings (replaceable in tests).
    **kwargs
        Traits: ``placeholder``, ``button_label``, ``button_class``, ``rows``, ``off_hint``.
    """

    _esm = _ESM
    _css = _CSS
    value = traitlets.Unicode("", help="The text in the box.").tag(sync=True)
    suggestion = traitlets.Unicode("", help="The suggestion on offer ('' for none).").tag(sync=True)
    suggestion_for = traitlets.Unicode("", help="The text the suggestion was made for.").tag(sync=True)
    suggestion_id = traitlets.Int(0, help="The number of the suggestion on offer.").tag(sync=True)
    enabled = traitlets.Bool(True, help="Whether suggestions are offered.").tag(sync=True)
    placeholder = traitlets.Unicode("Write here…", help="Shown in the empty box.").tag(sync=True)
    button_label = traitlets.Unicode("Save", help="The save button's text.").tag(sync=True)
    button_class = traitlets.Unicode("", help="CSS class of the save button (for tests).").tag(sync=True)
    off_hint = traitlets.Unicode("", help="The hint line while suggestions are off.").tag(sync=True)
    rows = traitlets.Int(5, help="Height of the box in lines.").tag(sync=True)
    problem = traitlets.Unicode("", help="A problem to show in the hint line ('' for none).").tag(sync=True)

    EVENTS = ("shown", "accepted", "ignored", "save")

    def __init__(self, *, suggest=None, clock=time.monotonic, **kwargs):
        if suggest is not None:
            check_callable("suggest", suggest)
        check_callable("clock", clock)
        for name in ("placeholder", "button_label", "button_class", "off_hint"):
            if name in kwargs and not isinstance(kwargs[name], str):
                raise CourseTypeError(f"`{name}` must be text; got {type(kwargs[name]).__name__}.")
        if "rows" in kwargs:
            from ..core.validation import check_int
            kwargs["rows"] = check_int("rows", kwargs["rows"], minimum=1, maximum=60)
        unknown = set(kwargs) - {"placeholder", "button_label", "button_class", "off_hint",
                                 "rows", "value", "enabled"}
        if unknown:
            from ..core.errors import CourseValueError
            raise CourseValueError(f"SuggestingTextBox got unknown option(s) "
                                   f"{', '.join(sorted(map(str, unknown)))}.")
        super().__init__(**kwargs)
        self._suggest = suggest
        self._clock = clock
        self._shown_at = None
        self._context = ""
        self.n_suggestions = 0
        self.enabled = suggest is not None and self.enabled
        self.on_msg(self._on_page_message)

    # -- listeners ---------------------------------------------------------------------------
    def on_shown(self, callback):
        """Call ``callback(Suggestion)`` each time a suggestion is shown."""
        self._add_listener("shown", callback)

    def on_accepted(self, callback):
        """Call ``callback(Suggestion)`` each time one is taken with Tab."""
        self._add_listener("accepted", callback)

    def on_ignored(self, callback):
        """Call ``callback(Suggestion)`` each time one is passed over."""
        self._add_listener("ignored", callback)

    def on_save(self, callback):
        """Call ``callback(text)`` on every save."""
        self._add_listener("save", callback)

    # -- problems: shown in the hint line ------------------------------------------------------
    def show_problem(self, text):
        """Show ``text`` in the hint line, as a problem to fix (plain text)."""
        self.problem = str(text)

    # -- what the page (or code) does -------------------------------------------------------
    def type(self, text):
        """The box now holds ``text`` (what each keystroke in the page sends)."""
        self._handle({"type": "text", "text": text})

    def press_tab(self):
        """Take the suggestion on offer, as Tab does in the page (nothing if none is)."""
        if self.suggestion:
            self._handle({"type": "accept", "id": self.suggestion_id,
                          "text": self.value + self.suggestion + " ", "taken": self.suggestion})

    def escape(self):
        """Pass over the suggestion on offer, as Escape does in the page."""
        if self.suggestion:
            self._handle({"type": "dismiss", "id": self.suggestion_id, "text": self.value})

    def save(self, text=None):
        """Save ``text`` (default: the text in the box), as the button does."""
        self._handle({"type": "save", "text": self.value if text is None else text})

    def focus(self):
        """Ask the page to put the caret in the box."""
        self.send({"event": "focus"})

    def reset(self, text=""):
        """Show ``text`` in the page's box (for the next round of an activity) and offer a
        suggestion for it. (The page's box is never overwritten otherwise: the kernel's
        :attr:`value` follows what the page sends.)"""
        if not isinstance(text, str):
            raise CourseTypeError(f"`text` must be a str; got {type(text).__name__}.")
        self._drop()
        self.value = text
        self.send({"event": "reset", "text": text})
        self._offer()

    def _on_page_message(self, _widget, content, _buffers):
        if isinstance(content, dict):
            self.problem = ""
            self._from_page(lambda: self._handle(content))

    def _handle(self, msg):
        kind, text = msg.get("type"), msg.get("text")
        if not isinstance(text, str):
            if kind in ("text", "save", "accept"):
                raise CourseTypeError(f"The box's text must be a str; got {type(text).__name__}.")
            text = self.value
        if kind == "text":
            self._on_text(text)
        elif kind == "accept":
            self._on_accept(msg.get("id"), text, msg.get("taken"))
        elif kind == "dismiss":
            if msg.get("id") == self.suggestion_id:
                self._end("ignored", "escape")
        elif kind == "save":
            if self.suggestion:
                self._end("ignored", "save")
            self.value = text
            self._emit("save", text)

    def _on_text(self, text):
        old, self.value = self.value, text
        if self.suggestion:
            base = self.suggestion_for
            extra = text[len(base):] if text.startswith(base) else None
            if extra is not None and self.suggestion.startswith(extra) and \
                    len(extra) < len(self.suggestion):
                return                                  # typing the suggestion itself: keep it
            self._end("ignored", "typed")
        if text != old or not self.suggestion:
            self._offer()

    def _on_accept(self, sid, text, taken):
        if sid != self.suggestion_id or not self.suggestion:
            self._on_text(text)                         # a stale Tab: just the text
            return
        offered = self.suggestion
        extra = self.value[len(self.suggestion_for):] if \
            self.value.startswith(self.suggestion_for) else ""
        taken = taken if isinstance(taken, str) and taken else offered[len(extra):]
        self.value = text
        self._end("accepted", "tab", taken=taken)
        self._offer()

    def _end(self, outcome, via, taken=None):
        s = Suggestion(id=self.suggestion_id, text=taken if taken is not None else self.suggestion,
                       context=self._context,
                       seconds=max(self._clock() - (self._shown_at or self._clock()), 0.0),
                       via=via)
        self._drop()
        self._emit(outcome, s)

    def _drop(self):
        self.suggestion = ""
        self._shown_at = None

    def _offer(self):
        text = self.value
        if not self.enabled or self._suggest is None or (text and not text[-1].isspace()):
            return
        offered = self._suggest(text)
        if not isinstance(offered, str):
            raise CourseTypeError(f"`suggest` must return text; it returned "
                                  f"{type(offered).__name__}.")
        offered = offered.strip()
        if not offered:
            return
        self.n_suggestions += 1
        self._context = text
        with self.hold_sync():
            self.suggestion_for = text
            self.suggestion_id = self.n_suggestions
            self.suggestion = offered
        self._shown_at = self._clock()
        self._emit("shown", Suggestion(id=self.n_suggestions, text=offered, context=text))


def browser_message(kind, text, **extra):
    """The comm message the page sends (for tests): pass it to ``box._handle_msg``.

    ``kind`` is ``"text"``, ``"accept"``, ``"dismiss"`` or ``"save"``.
    """
    return {"content": {"data": {"method": "custom",
                                 "content": {"type": kind, "text": text, **extra}}},
            "buffers": []}
