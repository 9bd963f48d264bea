"""The writing activity: saved as written, with timing; simulated texts when nobody wrote."""
import pytest

from course_lib.part1 import writing as W


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_typing_then_save_records_text_prompt_and_timing(workspace):
    act = workspace.activity(W.ACTIVITY)
    clock = Clock()
    w = W.WritingActivity(act, clock=clock)
    w.text.value = "I"                       # first keystroke starts the clock
    clock.t += 42.5
    w.text.value = "I had toast this morning."
    event = w.text.browser_save(w.text.value) or act.current()["morning"]
    assert event.value == {"text": "I had toast this morning.", "prompt": W.PROMPTS[0].text}
    assert event.elapsed == pytest.approx(42.5)
    assert event.kind == "text" and event.meta["words"] == 5
    assert w.prompt.id == "define" and w.text.value == ""
    # saved durably: a new workspace object on the same folder sees it
    from course_lib.core.workspace import Workspace
    again = Workspace(workspace.path).activity(W.ACTIVITY).current()
    assert again["morning"].value["text"] == "I had toast this morning."


def test_skip_back_and_rewrite_replace_the_text(workspace):
    act = workspace.activity(W.ACTIVITY)
    w = W.WritingActivity(act)
    w.write("First try.")
    w.submit(elapsed=5)
    w.skip_button.click()
    assert w.prompt.id == "place"
    w.back_button.click()
    w.back_button.click()
    assert w.prompt.id == "morning" and w.text.value == "First try."
    w.write("Second try, better.")
    w.submit(elapsed=7)
    assert act.current()["morning"].value["text"] == "Second try, better."
    assert len(act.events()) == 2, "both versions stay in the ledger"


def test_empty_text_is_not_saved(workspace):
    act = workspace.activity(W.ACTIVITY)
    w = W.WritingActivity(act)
    w.write("   ")
    assert w.submit() is None and len(act) == 0
    assert "Write something" in w.status.value


def test_a_new_widget_resumes_at_the_first_unwritten_prompt(workspace):
    act = workspace.activity(W.ACTIVITY)
    w = W.WritingActivity(act)
    w.write("Morning text.")
    w.submit(elapsed=3)
    assert W.WritingActivity(act).prompt.id == "define"


def test_learner_text_is_escaped_in_the_widget(workspace):
    act = workspace.activity(W.ACTIVITY)
    prompts = (W.Prompt("x", "<b>bold?</b>"),)
    w = W.WritingActivity(act, prompts=prompts)
    assert "<b>bold?</b>" not in w.heading.value


def test_simulated_texts_are_labelled_plausible_and_reproducible():
    a = W.simulated_texts(5, random_state=0)
    assert a == W.simulated_texts(5, random_state=0)
    assert [e.item for e in a] == [p.id for p in W.PROMPTS]
    for e in a:
        assert e.simulated and e.activity == W.ACTIVITY
        sentences = [s for s in W.SIMULATED_POOL[e.item] if s in e.value["text"]]
        assert 2 <= len(sentences) <= 4
        words = len(e.value["text"].split())
        assert words / e.elapsed * 60 == pytest.approx(W.COMPOSING_WPM, rel=0.6)
    skipped = W.simulated_texts(5, {"morning", "define"})
    assert [e.item for e in skipped] == ["place", "advice", "annoy"]


def test_writing_work_uses_own_texts_else_simulated(workspace, capsys):
    act = workspace.activity(W.ACTIVITY)
    work = W.writing_work(act)
    assert work.is_simulated and len(work) == 5
    assert "simulated" in capsys.readouterr().out.lower()
    w = W.WritingActivity(act)
    w.write("My own words, typed now.")
    w.submit(elapsed=12)
    mine = W.writing_work(act)
    assert not mine.is_simulated and len(mine) == 1
    assert W.writing_speed(mine) == pytest.approx(5 / 12 * 60)


def test_pasted_text_does_not_count_for_speed():
    from course_lib.core.workspace import Event
    pasted = Event(W.ACTIVITY, "text", "x", {"text": "word " * 200, "prompt": ""}, 2.0)
    typed = Event(W.ACTIVITY, "text", "y", {"text": "one two three four", "prompt": ""}, 12.0)
    assert W.writing_speed([pasted]) is None
    assert W.writing_speed([pasted, typed]) == pytest.approx(20.0)
