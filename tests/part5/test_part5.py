"""Part 5 on a learner's data: simulated when there is none, the learner's own when there is."""
import numpy as np
import pytest

from course_lib.core.errors import CourseError
from course_lib.methods.collapse import Step
from course_lib.part5 import learner_data, regime
from course_lib.widgets.keyboard import browser_message


def test_simulated_without_work_and_yours_with_it(workspace):
    assert learner_data.your_ratings(workspace, show=False).is_simulated
    for i, word in enumerate(["good", "bad", "ok", "fine", "awful", "great"]):
        workspace.activity("part2.words").record(word, i % 9 - 4, kind="rating")
    r = learner_data.your_ratings(workspace, show=False)
    assert not r.is_simulated and len(r.values) == 6
    d = learner_data.your_digits(workspace, show=False)
    assert d.is_simulated and len(set(d.values[1])) == 10
    for i in range(10):
        workspace.activity("part2.digits").record(str(i), i, kind="label", elapsed=2.0)
    d = learner_data.your_digits(workspace, show=False)
    assert not d.is_simulated and list(d.values[1]) == list(range(10))
    assert d.extra["seconds_per_label"] == 2.0


def test_corpus_keeps_held_out_text_apart(workspace):
    c = learner_data.your_corpus(workspace, show=False)
    train, held = c.values
    assert c.is_simulated and not set(train) & set(held) and not set(held) & set(c.extra["unused"])
    workspace.activity("part1.writing").record(
        "morning", {"text": "I walked my dog along the canal at dawn.", "prompt": "p"},
        kind="text", elapsed=20.0)
    c = learner_data.your_corpus(workspace, show=False)
    assert not c.is_simulated and "your 9 words" in c.message
    assert learner_data.your_pace(workspace)[0] == pytest.approx(9 / 20 * 60)


def test_chooser_records_every_generation_and_restores(workspace):
    act = workspace.activity("part5.regime")
    w = regime.RegimeChooser(act, numbers=np.arange(10.0), words=list("abcdefgabc"))
    for key in ("a", "3", "Enter", "r", "ArrowUp", "Enter"):
        w.catcher = w.keys
        w.keys._handle_msg(browser_message(key))     # the path a browser key takes
    assert [s.label for s in w.steps] == ["accumulate, 30% fresh", "replace, 40% fresh"]
    w.undo()
    w.choose(mode="replace", fresh=0.0)
    w.run_generation()
    assert {k: e.value for k, e in act.current().items()} == {
        "g01": {"mode": "accumulate", "fresh": 0.3}, "g02": {"mode": "replace", "fresh": 0.0}}
    again = regime.RegimeChooser(act, numbers=np.arange(10.0), words=list("abcdefgabc"))
    assert again.steps == w.steps and "Saved 2 of 10" in again.status.value
    plan = regime.your_schedule(act, show=False)
    assert not plan.is_simulated and plan.values[2:] == [Step("replace", 0.0)] * 8
    assert "Using your choices" in plan.message


def test_chooser_shows_problems_from_the_page_and_raises_from_code(workspace):
    w = regime.RegimeChooser(workspace.activity("part5.regime"), numbers=[1.0, 2.0, 4.0],
                             words=["a", "b"], generations=1)
    w.keys._handle_msg(browser_message("Backspace"))            # nothing to undo: shown
    assert "nothing" in w.status.value.lower() or "no generation" in w.status.value.lower()
    w.run_generation()
    with pytest.raises(CourseError, match="All 1 generations"):
        w.run_generation()
    with pytest.raises(CourseError, match="from 0"):
        w.choose(fresh=1.5)


def test_schedule_is_simulated_without_choices(workspace):
    plan = regime.your_schedule(workspace.activity("part5.regime"), show=False)
    assert plan.is_simulated and "simulated" in plan.message and len(plan.values) == 10


def test_text_collapse_on_the_corpus(workspace):
    from course_lib.part5 import your_corpus
    c = learner_data.your_corpus(workspace, total_words=2000, show=False)
    runs = your_corpus.text_runs(c, generations=4, which=("pure replacement", "accumulate"))
    rep, acc = runs["pure replacement"].table, runs["accumulate"].table
    assert rep["types"].iloc[-1] < rep["types"].iloc[0] and rep["rare_alive"].iloc[-1] < 0.6
    assert (acc["types"] == acc["types"].iloc[0]).all()
    assert rep["perplexity"].iloc[-1] > 2 * rep["perplexity"].iloc[0]
    assert acc["perplexity"].iloc[-1] < rep["perplexity"].iloc[-1]
