"""The text box with inline suggestions: Tab takes, typing on or Escape passes over, every
suggestion reported with its timing — through the same handler the page's messages reach."""
import os
import signal
import subprocess
import sys
import time

import pytest

from course_lib.core.errors import CourseError
from course_lib.widgets.suggesting_text_box import SuggestingTextBox, browser_message


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def box_with_log(suggest=lambda text: "of the world", **kw):
    clock = Clock()
    box = SuggestingTextBox(suggest=suggest, clock=clock, **kw)
    log = []
    box.on_shown(lambda s: log.append(("shown", s.text, s.seconds, s.via)))
    box.on_accepted(lambda s: log.append(("accepted", s.text, s.seconds, s.via)))
    box.on_ignored(lambda s: log.append(("ignored", s.text, s.seconds, s.via)))
    box.on_save(lambda text: log.append(("save", text)))
    return box, clock, log


def send(box, kind, text, **extra):
    box._handle_msg(browser_message(kind, text, **extra))   # ipywidgets' entry point


def test_tab_takes_the_suggestion_from_the_page():
    box, clock, log = box_with_log()
    send(box, "text", "the edge ")
    assert box.suggestion == "of the world" and box.suggestion_for == "the edge "
    clock.t += 1.5
    send(box, "accept", "the edge of the world ", id=box.suggestion_id, taken="of the world")
    assert box.value == "the edge of the world "
    assert log[:2] == [("shown", "of the world", 0.0, ""), ("accepted", "of the world", 1.5, "tab")]
    assert log[2][0] == "shown"                      # the next one is offered at once


def test_typing_the_suggestion_keeps_it_typing_else_ignores_it():
    box, clock, log = box_with_log()
    box.type("the edge ")
    box.type("the edge o")                           # the suggestion's own first letter
    assert box.suggestion == "of the world" and len(log) == 1
    clock.t += 2.0
    box.type("the edge ox")                          # something else
    assert box.suggestion == "" and log[-1] == ("ignored", "of the world", 2.0, "typed")
    box.type("the edge ox ")                         # next word boundary: a new one
    assert box.suggestion and log[-1][0] == "shown"
    box.press_tab()                                  # Tab after typing part: the rest only
    assert box.value.endswith("of the world ")


def test_tab_after_typing_part_takes_only_the_rest():
    box, clock, log = box_with_log()
    box.type("the edge ")
    box.type("the edge of")
    send(box, "accept", "the edge of the world ", id=box.suggestion_id, taken=" the world")
    assert log[1][:2] == ("accepted", " the world") and box.value == "the edge of the world "


def test_escape_and_save_pass_it_over_and_save_keeps_the_text():
    box, clock, log = box_with_log()
    box.type("one ")
    send(box, "dismiss", "one ", id=box.suggestion_id)
    assert log[-1][0] == "ignored" and log[-1][3] == "escape" and box.suggestion == ""
    box.type("one two ")
    send(box, "save", "one two three")               # the page's text is the truth
    assert log[-2][3] == "save" and log[-1] == ("save", "one two three")
    assert box.value == "one two three"


def test_stale_accept_and_no_suggestions_when_off():
    box, clock, log = box_with_log()
    box.type("a ")
    send(box, "accept", "a b c ", id=box.suggestion_id + 7)   # an old suggestion's Tab
    assert [e[0] for e in log].count("accepted") == 0 and box.value == "a b c "
    off, _, off_log = box_with_log(enabled=False)
    off.type("hello ")
    off.press_tab()
    assert off.suggestion == "" and off_log == [] and off.value == "hello "
    none = SuggestingTextBox()
    none.type("x ")
    assert none.enabled is False and none.suggestion == ""


def test_mid_word_no_new_suggestion_and_empty_offer():
    box, _, log = box_with_log(suggest=lambda text: "")
    box.type("word ")
    assert box.suggestion == "" and log == []
    box2, _, log2 = box_with_log()
    box2.type("wor")
    assert box2.suggestion == "" and log2 == []


@pytest.mark.parametrize("make", [
    lambda: SuggestingTextBox(suggest="not a function"),
    lambda: SuggestingTextBox(clock=3),
    lambda: SuggestingTextBox(rows=0),
    lambda: SuggestingTextBox(placeholder=5),
    lambda: SuggestingTextBox(colour="red"),
    lambda: SuggestingTextBox().on_shown(None),
    lambda: SuggestingTextBox().type(None),
    lambda: SuggestingTextBox(suggest=lambda t: 3).type("a "),
])
def test_bad_input_gets_a_friendly_message(make):
    with pytest.raises(CourseError):
        make()


WRITER = r"""
import sys
from course_lib.core.workspace import Workspace
from course_lib.methods.ngram import NGramLanguageModel
from course_lib.part6.writing import WritingWithSuggestions
ws = Workspace(sys.argv[1])
model = NGramLanguageModel(2).fit(["the cat sat on the mat.", "a dog ran in the park.",
                                   "the dog sat on a cat."])
w = WritingWithSuggestions(ws.activity("part6.writing"), ws.activity("part6.suggestions"),
                           model=model, random_state=0)
w.on_suggestion(lambda e: (sys.stdout.write(e.uid + "\n"), sys.stdout.flush()))
if w.condition == "none":
    w.box.type("I write every morning before work. ")
    w.save()
text = ""
i = 0
while True:
    i += 1
    text += "word "
    w.box.type(text)                   # a keystroke: the last suggestion passed over, a new one
    if i % 3 == 0:
        w.box.press_tab()              # Tab: taken
        text = w.box.value
"""


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(3))
def test_suggestion_events_survive_a_kernel_kill(tmp_path, trial):
    """A kernel killed mid-writing keeps every suggestion event it reported as recorded."""
    import random

    from course_lib.core.workspace import Workspace
    rng = random.Random(trial)
    acknowledged = []
    for _ in range(2):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                                stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline()
        time.sleep(rng.random() * 0.3)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged += [line for line in (first + out).splitlines() if len(line) == 32]
    assert acknowledged, "the writer never recorded a suggestion"
    ws = Workspace(tmp_path)
    saved = {e.uid: e for e in ws.events("part6.suggestions")}
    missing = [u for u in acknowledged if u not in saved]
    assert not missing, f"{len(missing)} acknowledged suggestion events were lost"
    outcomes = {e.value["outcome"] for e in saved.values()}
    assert {"shown", "accepted", "ignored"} <= outcomes
    assert all(e.elapsed is not None for e in saved.values() if e.value["outcome"] != "shown")
    # the second kernel went on numbering where the first stopped: nothing overwritten
    shown = [e.item for e in saved.values() if e.value["outcome"] == "shown"]
    assert len(shown) == len(set(shown))


def test_a_course_error_from_the_page_goes_to_the_hint_line_and_from_code_raises():
    from course_lib.core.errors import CourseValueError
    from course_lib.widgets.base import ActivityWidget

    def broken(text):
        raise CourseValueError("Could not write to the workspace.")

    box = SuggestingTextBox(suggest=broken)
    assert isinstance(box, ActivityWidget)
    send(box, "text", "hello ")                      # from the page: shown, not raised
    assert "Could not write" in box.problem
    send(box, "text", "hello")                       # the next message clears it
    assert box.problem == ""
    with pytest.raises(CourseValueError):
        box.type("hello again ")
