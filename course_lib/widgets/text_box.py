"""A text box whose *Save* button sends the text itself, so no keystroke is ever lost.

ipywidgets' ``Textarea`` syncs its value in throttled updates while a ``Button`` click is sent
at once: a learner who saves a moment after the last key can have the text saved without its
last characters. Here the save message carries the box's full text, so what is saved is
exactly what the learner sees. Ctrl+Enter (⌘+Enter) saves too.

>>> box = TextBox(button_label="Save")
>>> saved = []
>>> box.on_save(lambda text: saved.append(text))
>>> box.value = "Every word"
>>> box.save()
>>> box.browser_save("Every word was written by someone.")   # what a click in the page sends
>>> saved
['Every word', 'Every word was written by someone.']
"""
from __future__ import annotations

import anywidget
import traitlets

from ..core.validation import check_callable

_ESM = """
function render({ model, el }) {
  const area = document.createElement("textarea");
  area.rows = model.get("rows");
  area.placeholder = model.get("placeholder");
  area.value = model.get("value");
  area.setAttribute("aria-label", model.get("placeholder") || "text");
  area.style.cssText = "width:95%;box-sizing:border-box;font:inherit;padding:6px;" +
                       "border:1px solid var(--jp-border-color1,#999);border-radius:2px";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = model.get("button_label");
  button.className = "jupyter-button widget-button mod-primary " + model.get("button_class");
  button.style.cssText = "margin-top:6px;width:auto;padding:0 12px";
  const save = () => model.send({ type: "save", text: area.value });
  area.addEventListener("input", () => { model.set("value", area.value); model.save_changes(); });
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.stopPropagation();
      save();
    }
  });
  button.addEventListener("click", save);
  model.on("change:value", () => {
    if (area.value !== model.get("value")) { area.value = model.get("value"); }
  });
  const line = document.createElement("div");
  line.append(button);
  el.append(area, line);
}
export default { render };
"""


class TextBox(anywidget.AnyWidget):
    """A text area with a *Save* button that sends its text with the click."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    value = traitlets.Unicode("", help="The text in the box (synced as the learner types).").tag(sync=True)
    placeholder = traitlets.Unicode("Write here…", help="Shown in the empty box.").tag(sync=True)
    button_label = traitlets.Unicode("Save", help="The save button's text.").tag(sync=True)
    button_class = traitlets.Unicode("", help="CSS class of the save button (for tests).").tag(sync=True)
    rows = traitlets.Int(4, help="Height of the box in lines.").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._callbacks = []
        self.on_msg(self._on_page_message)

    def on_save(self, callback):
        """Call ``callback(text)`` on every save."""
        self._callbacks.append(check_callable("callback", callback))

    def save(self):
        """Save the text now in the box (what the button does, from code)."""
        for callback in list(self._callbacks):
            callback(self.value)

    def browser_save(self, text):
        """What a click in the page does: the page sends the full text with the save."""
        self._on_page_message(self, {"type": "save", "text": text}, [])

    def _on_page_message(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("type") == "save":
            self.value = str(content.get("text", ""))  # the page's text is the truth
            self.save()
