"""Every activity widget takes hostile input from the page without a traceback and loses nothing.

What a browser can send — any key name (empty, a lone surrogate, 10,000 characters, keys the
widget does not use, Enter before a choice), malformed comm messages, any text in a text box
(NUL, a lone surrogate, 200,000 characters, only spaces), buttons pressed out of order — goes
through the page's own entry points (``_handle_msg``, ``browser_save``, ``.click()``). Nothing
may raise into ipywidgets (where the learner would never see it), the log of saved events only
grows, and an action the widget could not do says so in its status line.
"""
import pytest

from course_lib.widgets.keyboard import browser_message

from .test_base import widgets_of

HOSTILE_KEYS = ["", "\ud800", "x" * 10_000, "Enter", "Unidentified", "F13", "\x00", "Tab",
                "ArrowUp", "🙂", " ", "Escape", "10", "-1", "Backspace", "Backspace"]
HOSTILE_MESSAGES = [{"content": {"data": {"method": "custom", "content": c}}, "buffers": []}
                    for c in (None, "key", [], {"event": "key"}, {"event": "key", "key": 3},
                              {"event": "key", "key": None}, {"event": "save", "text": 3},
                              {"event": "\ud800"})]
HOSTILE_TEXTS = ["", "   ", "a\x00b", "\ud800 lone surrogate", "x" * 200_000,
                 "<script>alert(1)</script>", "héllo 🙂 wörld\r\n\ttabs"]


def _log(widget):
    return [(e.uid, e.item, repr(e.value)) for e in widget.activity.events()]


def _page_actions(widget):
    """(what, action, must it say something) for each hostile thing the page can do here."""
    actions = []
    catcher = getattr(widget, "catcher", None) or getattr(widget, "key_catcher", None)
    if catcher is not None:
        actions += [(f"key {k[:12]!r}", lambda k=k: catcher._handle_msg(browser_message(k)),
                    False) for k in HOSTILE_KEYS]
        actions += [(f"message {m['content']['data']['content']!r}",
                     lambda m=m: catcher._handle_msg(m), False) for m in HOSTILE_MESSAGES]
    box = getattr(widget, "text", None)
    if box is not None and hasattr(box, "browser_save"):
        actions += [(f"text {t[:12]!r}", lambda t=t: box.browser_save(t), True)
                    for t in HOSTILE_TEXTS]
        actions += [(f"message {m['content']['data']['content']!r}",
                     lambda m=m: box._handle_msg(m), False) for m in HOSTILE_MESSAGES]
    if hasattr(widget, "yes_button"):                      # the survey: answer before drawing
        actions += [("yes before drawing", widget.yes_button.click, True),
                    ("draw twice, then no", lambda: (widget.draw_button.click(),
                                                     widget.draw_button.click(),
                                                     widget.no_button.click()), True),
                    ("no again, card used", widget.no_button.click, True)]
    for name, slider in getattr(widget, "sliders", {}).items():
        actions += [(f"slider {name} to {v}", lambda s=slider, v=v: setattr(s, "value", v), False)
                    for v in (-5.0, 0.0, 1e9, 0.5)]
    return actions


def test_every_widget_has_page_actions_to_try(workspace):
    for widget, *_ in widgets_of(workspace):
        assert _page_actions(widget), type(widget).__name__


def test_hostile_page_input_raises_nothing_and_loses_nothing(workspace):
    for widget, *_ in widgets_of(workspace):
        _try_everything(widget)


def test_the_check_catches_a_widget_that_lets_errors_through(workspace, monkeypatch):
    from course_lib.widgets.base import ActivityWidget
    monkeypatch.setattr(ActivityWidget, "_from_page", lambda self, action: action())
    widget = next(w for w, *_ in widgets_of(workspace) if hasattr(w, "yes_button"))
    with pytest.raises(AssertionError, match="said nothing"):   # ipywidgets swallowed it
        _try_everything(widget)


def _try_everything(widget):
    for what, action, must_say in _page_actions(widget):
        before = _log(widget)
        widget.status.value = ""
        action()                                           # must not raise into ipywidgets
        after = _log(widget)
        assert after[:len(before)] == before, (type(widget).__name__, what, "lost work")
        if must_say:
            assert widget.status.value.strip(), (type(widget).__name__, what, "said nothing")
    # and the workspace still reads back, hostile text and all
    widget.activity.effective()
