"""Part 6's widgets take hostile input from the page (as tests/widgets/test_hostile_input.py does
for the other parts'): nothing raises into ipywidgets, and the saved-event log only grows."""
import pytest

from course_lib.core.workspace import Workspace
from course_lib.methods.ngram import NGramLanguageModel
from course_lib.part6.inspections import InspectionWidget
from course_lib.part6.writing import WritingWithSuggestions
from course_lib.widgets import keyboard, suggesting_text_box

KEYS = ["", "\ud800", "x" * 10_000, "Enter", "Unidentified", "Tab", "ArrowUp", "🙂", " ",
        "ArrowLeft", "ArrowRight", "Enter", "Backspace"]
TEXTS = ["", "   ", "a\x00b ", "\ud800 lone surrogate ", "x" * 200_000 + " ",
         "<script>alert(1)</script> ", "héllo 🙂 wörld\r\n\ttabs "]
MALFORMED = [None, "text", [], {"type": "text"}, {"type": "text", "text": 3},
             {"type": "accept", "id": "x", "text": None}, {"type": "accept", "id": 99, "text": "a "},
             {"type": "dismiss"}, {"type": "save", "text": ["a"]}, {"type": "\ud800", "text": "a"}]


def _log(ws):
    return [(e.uid, e.item, repr(e.value)) for e in ws.events()]


def _grows(before, after):
    assert after[:len(before)] == before, "a saved event was changed or lost"


def test_inspections_take_any_key(tmp_path):
    ws = Workspace(tmp_path)
    w = InspectionWidget(ws.activity("part6.inspections"))
    before = _log(ws)
    for key in KEYS * 2:
        w.catcher._handle_msg(keyboard.browser_message(key))
    for content in MALFORMED:
        w.catcher._handle_msg({"content": {"data": {"method": "custom", "content": content}},
                               "buffers": []})
    _grows(before, _log(ws))
    assert len(ws.activity("part6.inspections").effective()) == 4   # Enter x 2, twice


@pytest.mark.parametrize("condition", ["none", "base"])
def test_writing_takes_any_text_and_any_message(tmp_path, condition):
    ws = Workspace(tmp_path)
    model = NGramLanguageModel(2).fit(["the cat sat on the mat.", "a dog ran."])
    w = WritingWithSuggestions(ws.activity("part6.writing"), ws.activity("part6.suggestions"),
                               model=model, random_state=0)
    if condition == "base":
        w.save("My own words, seven of them here.")
    box = w.box
    for text in TEXTS:
        before = _log(ws)
        box._handle_msg(suggesting_text_box.browser_message("text", text))
        box._handle_msg(suggesting_text_box.browser_message(
            "accept", text + "x ", id=box.suggestion_id, taken="x"))
        box._handle_msg(suggesting_text_box.browser_message("save", text))
        _grows(before, _log(ws))
    for content in MALFORMED:
        before = _log(ws)
        box._handle_msg({"content": {"data": {"method": "custom", "content": content}},
                         "buffers": []})
        _grows(before, _log(ws))
    saved = [e.value["text"] for e in ws.activity("part6.writing").effective()]
    assert all(isinstance(t, str) for t in saved)
    # texts that cannot be saved said so, in the status line or the box's hint line
    assert w.status.value or box.problem
