"""A small key catcher: the keyboard half of every keyboard-first widget in the course.

ipywidgets has no key events, so this is a tiny `anywidget <https://anywidget.dev>`_ (its
JavaScript is inline below: no build step, nothing loaded from a CDN). It shows a focusable box;
while the box has the focus, each key the widget listens for is sent to the kernel, where
:meth:`KeyCatcher.press` runs the callbacks registered with :meth:`KeyCatcher.on_key`.
Tests and simulated learners call :meth:`KeyCatcher.press` directly: the same code path as a
real key press, without a browser.

Keys are named as the browser names them (``KeyboardEvent.key``): ``"1"``, ``"s"``,
``"Enter"``, ``"Backspace"``, ``"ArrowLeft"``, ``" "`` (space)... Keys held with Ctrl, Alt or
Cmd, and Shift+Enter, are never caught, so JupyterLab's own shortcuts (run cell, save) keep
working; the keys that are caught do not reach JupyterLab (pressing ``1`` labels an item, it does
not turn the cell into a heading).

Examples
--------
>>> keys = KeyCatcher(catch_keys=["1", "2", "Enter"])
>>> seen = []
>>> keys.on_key(seen.append)
>>> keys.press("1"), keys.press("x"), keys.press("Enter")
(True, False, True)
>>> seen
['1', 'Enter']
"""
from __future__ import annotations

import anywidget
import traitlets

from ..core.errors import CourseTypeError, CourseValueError

_ESM = r"""
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "course-keys";
  box.tabIndex = 0;
  box.setAttribute("role", "application");
  const text = document.createElement("span");
  const last = document.createElement("span");
  last.className = "course-keys-last";
  box.append(text, last);
  el.appendChild(box);

  const draw = () => {
    const active = document.activeElement === box;
    box.classList.toggle("course-keys-active", active);
    text.textContent = active ? model.get("active_prompt") : model.get("prompt");
    box.setAttribute("aria-label", model.get("prompt"));
  };
  const wanted = (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return false;
    if (e.shiftKey && e.key === "Enter") return false;   // Shift+Enter still runs the cell
    const keys = model.get("catch_keys");
    if (keys.length > 0) return keys.includes(e.key);
    return !["Tab", "Shift", "Control", "Alt", "Meta", "CapsLock", "Escape"].includes(e.key);
  };
  // Listen on the window in the capture phase: it runs before any page-level shortcut handler
  // (Notebook 7 handles its shortcuts on the document in the capture phase, JupyterLab in the
  // bubble phase), so a caught key never also moves the cell selection.
  const onKey = (e) => {
    if (e.target !== box || !wanted(e)) return;
    e.preventDefault();
    e.stopPropagation();                                  // keep the page's shortcuts out
    if (e.repeat && !model.get("allow_repeat")) return;
    model.send({ event: "key", key: e.key });
    last.textContent = e.key === " " ? "Space" : e.key;
  };
  window.addEventListener("keydown", onKey, true);
  box.addEventListener("focus", draw);
  box.addEventListener("blur", draw);
  model.on("change:prompt", draw);
  model.on("change:active_prompt", draw);
  model.on("msg:custom", (msg) => { if (msg && msg.event === "focus") box.focus(); });
  draw();
  if (model.get("autofocus")) setTimeout(() => box.focus({ preventScroll: true }), 0);
  return () => window.removeEventListener("keydown", onKey, true);
}
export default { render };
"""

_CSS = r"""
.course-keys {
  display: inline-flex; gap: 1em; align-items: center; min-width: 22em;
  padding: 6px 12px; border: 2px dashed #999999; border-radius: 6px;
  cursor: pointer; user-select: none; font-size: 0.95em; color: #555;
}
.course-keys:focus { outline: none; }
.course-keys-active { border: 2px solid #0072B2; color: #0072B2; background: #0072B210; }
.course-keys-last { font-family: monospace; color: #999999; }
"""


class KeyCatcher(anywidget.AnyWidget):
    """A focusable box that sends key presses to Python.

    Parameters
    ----------
    catch_keys : list of str, default=[]
        The keys to catch, named as ``KeyboardEvent.key`` names them (``"1"``, ``"Enter"``,
        ``"Backspace"``, ``"s"``). Empty: every key except Tab and Escape (so the focus can still move on) and the
        modifier keys on their own.
    prompt : str
        What the box says while it does not have the focus.
    active_prompt : str
        What it says while it has the focus (keys go to the widget).
    autofocus : bool, default=False
        Take the focus as soon as the box is drawn.
    allow_repeat : bool, default=False
        Send the repeats of a key held down (off: one press, one action).

    Examples
    --------
    >>> k = KeyCatcher(catch_keys=["Enter"])
    >>> k.on_key(lambda key: print("pressed", key))
    >>> _ = k.press("Enter")
    pressed Enter
    """

    _esm = _ESM
    _css = _CSS
    catch_keys = traitlets.List(
        traitlets.Unicode(), default_value=[],
        help="keys to catch (KeyboardEvent.key names); empty = all but Tab/Escape").tag(sync=True)
    prompt = traitlets.Unicode("⌨ Click here to use your keyboard",
                               help="text shown while the box is not focused").tag(sync=True)
    active_prompt = traitlets.Unicode("⌨ Keys on — type away",
                                      help="text shown while the box has the focus").tag(sync=True)
    autofocus = traitlets.Bool(False, help="take the focus when drawn").tag(sync=True)
    allow_repeat = traitlets.Bool(False, help="send the repeats of a held key").tag(sync=True)
    presses = traitlets.Int(0, help="key presses handled so far (from the browser or code)")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._callbacks = []
        self.on_msg(self._on_custom_msg)

    def on_key(self, callback, *, remove=False):
        """Call ``callback(key)`` on every caught key press (or stop, with ``remove=True``).

        Parameters
        ----------
        callback : callable
            Called with the key's name, e.g. ``"3"`` or ``"Enter"``.
        remove : bool, default=False
            Unregister ``callback`` instead.
        """
        if not callable(callback):
            raise CourseTypeError(
                "`callback` must be a function that takes the key's name, e.g. "
                f"`def handle(key): print(key)`; got {type(callback).__name__}.")
        if remove:
            if callback in self._callbacks:
                self._callbacks.remove(callback)
        elif callback not in self._callbacks:
            self._callbacks.append(callback)

    def press(self, key):
        """Act as if ``key`` was pressed in the box: run the callbacks.

        Parameters
        ----------
        key : str
            A key name such as ``"1"``, ``"Enter"``, ``"Backspace"`` or ``"s"``.

        Returns
        -------
        bool
            True if the key is one this catcher listens for (and the callbacks ran).
        """
        if not isinstance(key, str):
            raise CourseTypeError(f"`key` must be a key name such as '1' or 'Enter'; "
                                  f"got {type(key).__name__}.")
        if not key:
            raise CourseValueError("`key` is empty: pass a key name such as '1' or 'Enter'.")
        if self.catch_keys and key not in self.catch_keys:
            return False
        self.presses += 1
        for callback in list(self._callbacks):
            callback(key)
        return True

    def focus(self):
        """Ask the browser to give the box the keyboard focus (e.g. after a mouse click)."""
        self.send({"event": "focus"})

    def _on_custom_msg(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("event") == "key" \
                and isinstance(content.get("key"), str) and content["key"]:
            self.press(content["key"])


def browser_message(key):
    """The comm message a browser sends when ``key`` is pressed in the box (for tests).

    Pass it to ``catcher._handle_msg`` — ipywidgets' own entry point for messages from the
    front end — to test the whole path a real key press takes in the kernel.
    """
    return {"content": {"data": {"method": "custom", "content": {"event": "key", "key": key}}},
            "buffers": []}
