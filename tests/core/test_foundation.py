"""setup(), the simulated learner, work_or_simulated, validation messages, the ledger, part 0's widget."""

import numpy as np
import plotly.io as pio
import pytest

import course_lib
from course_lib.core import validation
from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.core.simulated import SimulatedLearner, work_or_simulated
from course_lib.core.workspace import Event
from course_lib.methods import ledger
from course_lib.part0.first_sentence import ACTIVITY, FirstSentence, writing_speed


def test_import_is_light():
    """`import course_lib` must not pull in plotly, sklearn or pandas (import <= 1 s)."""
    import subprocess
    import sys
    code = ("import sys, course_lib; heavy = [m for m in ('plotly', 'sklearn', 'pandas', "
            "'ipywidgets') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_setup_registers_template_and_offline_renderers(tmp_path):
    course = course_lib.setup(part=2, workspace=tmp_path)
    assert pio.templates.default == "plotly_white+course"
    assert "notebook_connected" not in pio.renderers.default  # no CDN
    assert course.workspace.path == tmp_path and course.part == 2
    assert "part 2" in course._repr_html_()


@pytest.mark.parametrize("kwargs, message", [
    (dict(part=9), "from 0 to 7"), (dict(part="one"), "whole number"),
    (dict(part=1, seed=-1), ">= 0"),
])
def test_setup_bad_input(tmp_path, kwargs, message):
    with pytest.raises((CourseValueError, CourseTypeError), match=message):
        course_lib.setup(workspace=tmp_path, **kwargs)


def test_simulated_learner_is_reproducible_and_noisy_as_asked():
    a = [SimulatedLearner(noise=0.3, random_state=1).choose(0, range(10)) for _ in range(1)]
    b = [SimulatedLearner(noise=0.3, random_state=1).choose(0, range(10)) for _ in range(1)]
    assert a == b
    sim = SimulatedLearner(noise=0.3, random_state=0)
    wrong = np.mean([sim.choose(0, range(10)) != 0 for _ in range(4000)])
    assert wrong == pytest.approx(0.3, abs=0.03)
    biased = SimulatedLearner(noise=0.5, bias=1.0, random_state=0)
    ratings = [biased.rate(0.0, low=-4, high=4) for _ in range(2000)]
    assert np.mean(ratings) == pytest.approx(1.0, abs=0.1)
    prefs = [SimulatedLearner(random_state=i).prefer(1.0, 0.0) for i in range(3000)]
    assert np.mean([p == "A" for p in prefs]) == pytest.approx(1 / (1 + np.exp(-1)), abs=0.03)


@pytest.mark.parametrize("kwargs", [dict(noise=-1), dict(seconds_per_action=0),
                                    dict(random_state="seed"), dict(bias=float("inf"))])
def test_simulated_learner_bad_parameters(kwargs):
    with pytest.raises((CourseValueError, CourseTypeError)):
        SimulatedLearner(**kwargs).action_time()


def _simulate(n, skip):
    return [Event(activity="part2.words", kind="label", item=f"s{i}", value=0, simulated=True)
            for i in range(n)]


def test_work_or_simulated_says_whose_work(workspace, capsys):
    act = workspace.activity("part2.words")
    work = work_or_simulated(act, _simulate, expected=5, noun="labels")
    assert work.is_simulated and work.n_own == 0 and len(work) == 5
    assert "Using 5 simulated labels: you have done 0 of 5" in capsys.readouterr().out
    assert workspace.count() == 0, "simulated work must never be saved"
    act.record("good", 2)
    work = work_or_simulated(act, _simulate, expected=5, noun="labels")
    assert not work.is_simulated and [e.item for e in work] == ["good"]
    assert "Using your 1 label (of 5" in capsys.readouterr().out
    topped = work_or_simulated(act, _simulate, expected=5, noun="labels", min_own=2, show=False)
    assert topped.n_own == 1 and len(topped) == 5
    filled = work_or_simulated(act, _simulate, expected=5, noun="labels", fill=True, show=False)
    assert filled.n_own == 1 and len(filled) == 5 and "plus 4 simulated to make up 5" in filled.message


def test_work_or_simulated_rejects_fake_simulations(workspace):
    def bad(n, skip):
        return [Event(activity="part2.words", kind="label", item="x", value=0)] * n
    with pytest.raises(TypeError, match="simulated=True"):
        work_or_simulated(workspace.activity("part2.words"), bad, expected=2, show=False)


@pytest.mark.parametrize("call, message", [
    (lambda: validation.check_int("n", 2.5), "whole number"),
    (lambda: validation.check_int("n", True), "whole number"),
    (lambda: validation.check_number("beta", 0, minimum=0, strict_minimum=True), "> 0"),
    (lambda: validation.check_number("beta", float("nan")), "finite"),
    (lambda: validation.check_choice("source", "x", ["a", "b"]), "one of"),
    (lambda: validation.check_text("text", "   "), "empty"),
    (lambda: validation.check_text("text", 3), "text"),
    (lambda: validation.check_texts("texts", "just one string"), "list of texts"),
    (lambda: validation.check_texts("texts", ["ok", 3]), r"texts\[1\]"),
    (lambda: validation.check_texts("texts", ["  "]), "at least 1"),
    (lambda: validation.check_array("x", [[1, 2]]), "1-dimensional"),
    (lambda: validation.check_array("x", []), "at least 1"),
    (lambda: validation.check_array("x", ["a"]), "only numbers"),
    (lambda: validation.check_array("x", [1, np.nan]), "missing"),
    (lambda: validation.check_same_length(a=[1], b=[1, 2]), "same length"),
    (lambda: validation.check_callable("on_done", 3), "must be a function"),
])
def test_validation_messages_say_what_was_expected(call, message):
    with pytest.raises((CourseValueError, CourseTypeError), match=message):
        call()


def test_ledger_arithmetic_matches_the_essay():
    assert round(ledger.copies_of_novel(1e12)) == 3_416_152  # the essay's figure
    assert ledger.typing_hours(2400, words_per_minute=40) == 1.0
    with pytest.raises(CourseValueError):
        ledger.typing_hours(10, words_per_minute=0)


def test_labor_ledger_counts_own_work(workspace):
    act = workspace.activity("part2.words")
    act.record("good", 2, elapsed=3.0)
    act.record("bad", -2, elapsed=2.0)
    act.undo()
    table = ledger.labor_ledger(workspace)
    row = table.iloc[0]
    assert (row.activity, row.actions, row.undone, row.seconds, row.sittings) == (
        "part2.words", 2, 1, 5.0, 1)
    assert "2 actions" in repr(ledger.show_ledger(workspace))
    fig = ledger.labor_figure(workspace)
    assert fig.layout.title.text and fig.layout.yaxis.title.text
    assert "your work so far" in list(fig.data[0].x)
    from course_lib.core.data import list_datasets
    assert len(ledger.dataset_labor()) == len(list_datasets()) >= 5  # every card, python_reference too


def test_first_sentence_widget_times_typing_and_saves(workspace):
    clock = iter([100.0, 130.0]).__next__
    box = FirstSentence(workspace.activity(ACTIVITY), clock=clock)
    box.text.value = "Every word a model reads was written by someone who had a day."  # t=100
    box.text.browser_save(box.text.value)  # t=130: what a learner's click does
    saved = workspace.activity(ACTIVITY).current()["sentence-1"]
    assert saved.elapsed == 30.0 and saved.value["words"] == 13
    assert saved.value["text"].startswith("Every word")
    assert box.text.value == "" and "26 words a minute" in box.status.value
    speed, work = writing_speed(workspace.activity(ACTIVITY), show=False)
    assert speed == pytest.approx(26.0) and not work.is_simulated


def test_first_sentence_empty_and_pasted(workspace):
    box = FirstSentence(workspace.activity(ACTIVITY))
    assert box.submit() is None and "Write something first" in box.status.value
    box.text.value = "pasted " * 50
    box.submit(elapsed=0.5)  # 6,000 words a minute: pasted
    assert "looks pasted" in box.status.value
    speed, work = writing_speed(workspace.activity(ACTIVITY), show=False)
    assert not work.is_simulated and 10 < speed < 80  # fell back to a plausible speed


def test_first_sentence_escapes_learner_text(workspace):
    box = FirstSentence(workspace.activity(ACTIVITY), prompt="<b onmouseover=alert(1)>hi</b>")
    assert "<b onmouseover" not in box.widget.children[0].value


def test_work_panel_export_and_import(tmp_path):
    from course_lib.core.workspace import Workspace
    from course_lib.widgets.work_panel import WorkPanel
    a = Workspace(tmp_path / "a" / "my_work")
    a.activity("part2.words").record("good", 2)
    WorkPanel(a).export_button.click()  # what a learner's click does
    path = tmp_path / "a" / "my_course_work.course-export.json"
    assert path.exists()
    b = Workspace(tmp_path / "b" / "my_work")
    panel = WorkPanel(b)
    panel.upload.value = ({"name": "mine.json", "type": "application/json", "size": 1,
                           "content": memoryview(path.read_bytes()),
                           "last_modified": __import__("datetime").datetime.now()},)
    assert b.count() == 1 and "1 new action" in panel.status.value
    assert panel.import_bytes("<b>evil</b>.json", b"{broken") is None
    assert "not a readable export" in panel.status.value
    assert "<b>evil" not in panel.status.value and b.count() == 1


def test_setup_with_a_damaged_workspace(tmp_path, monkeypatch):
    from course_lib.core.errors import WorkspaceError
    (tmp_path / "course_work.sqlite").write_bytes(b"damaged" * 100)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with pytest.raises(WorkspaceError, match="Nothing was changed"):
        course_lib.setup(part=0, workspace=tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # nbgrader grading: carry on, empty
    with pytest.warns(UserWarning, match="empty workspace"):
        course = course_lib.setup(part=0, workspace=tmp_path)
    assert course.workspace.count() == 0 and course.workspace.path != tmp_path
    assert (tmp_path / "course_work.sqlite").read_bytes() == b"damaged" * 100


def test_save_carries_the_full_text_even_if_value_updates_lag(workspace):
    """A click right after the last key: the page's text wins over a stale synced value."""
    box = FirstSentence(workspace.activity(ACTIVITY))
    box.text.value = "Typed quickly and saved at once, to the very last"  # last update seen
    box.text.browser_save("Typed quickly and saved at once, to the very last letter.")
    saved = workspace.activity(ACTIVITY).current()["sentence-1"].value["text"]
    assert saved == "Typed quickly and saved at once, to the very last letter."


def test_text_box_rejects_bad_callbacks():
    from course_lib.widgets.text_box import TextBox
    with pytest.raises(CourseTypeError, match="must be a function"):
        TextBox().on_save("not a function")
