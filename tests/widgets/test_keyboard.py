"""The shared key catcher: every key path runs from code exactly as from the browser."""
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.widgets.keyboard import KeyCatcher, browser_message


def test_press_runs_callbacks_in_order():
    k = KeyCatcher()
    seen = []
    k.on_key(lambda key: seen.append(("a", key)))
    k.on_key(lambda key: seen.append(("b", key)))
    assert k.press("ArrowLeft") is True
    assert seen == [("a", "ArrowLeft"), ("b", "ArrowLeft")]
    assert k.presses == 1


def test_keys_filter_ignores_other_keys():
    k = KeyCatcher(catch_keys=["1", "Enter"])
    seen = []
    k.on_key(seen.append)
    assert k.press("2") is False
    assert k.press("Enter") is True
    assert seen == ["Enter"] and k.presses == 1


def test_browser_message_takes_the_same_path():
    k = KeyCatcher(catch_keys=["Backspace"])
    seen = []
    k.on_key(seen.append)
    k._handle_msg(browser_message("Backspace"))   # ipywidgets' entry point for front-end msgs
    k._handle_msg(browser_message(""))            # malformed: ignored
    k._on_custom_msg(k, {"event": "other"}, [])
    k._on_custom_msg(k, "junk", [])
    assert seen == ["Backspace"]


def test_on_key_rejects_non_callables_with_a_friendly_message():
    k = KeyCatcher()
    with pytest.raises(CourseTypeError, match="must be a function"):
        k.on_key("print")


def test_on_key_registers_once_and_can_remove():
    k = KeyCatcher()
    seen = []
    k.on_key(seen.append)
    k.on_key(seen.append)
    k.press("s")
    k.on_key(seen.append, remove=True)
    k.press("s")
    assert seen == ["s"]


@pytest.mark.parametrize("bad, err", [(3, CourseTypeError), (None, CourseTypeError),
                                      ("", CourseValueError)])
def test_press_rejects_bad_keys(bad, err):
    with pytest.raises(err, match="key"):
        KeyCatcher().press(bad)


def test_esm_is_inline_and_offline():
    esm = KeyCatcher._esm
    assert "export default" in esm and "keydown" in esm
    assert "http" not in esm and "import " not in esm  # nothing fetched, no build step
    assert "stopPropagation" in esm                     # JupyterLab shortcuts stay out


def test_traits_sync_to_the_browser():
    k = KeyCatcher(catch_keys=["1"], prompt="hi")
    state = k.get_state()
    assert state["catch_keys"] == ["1"] and state["prompt"] == "hi"
    assert "presses" not in state
