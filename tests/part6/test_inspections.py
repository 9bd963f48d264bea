"""Part 6, section 1: the learner's inspections, saved round by round, and the loop run many times."""
import pytest

from course_lib.core.errors import CourseError
from course_lib.core.workspace import Workspace
from course_lib.part6 import inspections as ins
from course_lib.widgets.keyboard import browser_message


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_rounds_by_key_and_button_are_saved_and_restored(tmp_path):
    ws = Workspace(tmp_path / "w")
    clock = Clock()
    w = ins.InspectionWidget(ws.activity("part6.inspections"), clock=clock)
    assert w.to_a == 5
    clock.t = 3.0
    w.catcher._handle_msg(browser_message("ArrowRight"))      # a real key's path
    w.catcher._handle_msg(browser_message("ArrowRight"))
    w.catcher._handle_msg(browser_message("Enter"))
    w.fewer.click()
    w.send_button.click()
    ws.close()
    act = Workspace(tmp_path / "w").activity("part6.inspections")
    events = act.effective()
    assert [e.item for e in events] == ["round-01", "round-02"]
    assert [e.value["to_a"] for e in events] == [7, 6]
    assert [e.meta["via"] for e in events] == ["key", "button"]
    assert events[0].elapsed == pytest.approx(3.0)
    # what was found is replayable: the same choice in the same round finds the same
    assert (events[0].value["found_a"], events[0].value["found_b"]) == ins.found_in_round(1, 7)
    again = ins.InspectionWidget(act)                          # a restarted kernel
    assert len(again.rounds) == 2 and "Round 3 of 15" in again.record_html.value
    session = ins.inspection_session(act, show=False)
    assert not session.is_simulated and session.shares() == [0.7, 0.6]


def test_all_rounds_then_finished(tmp_path):
    act = Workspace(tmp_path).activity("part6.inspections")
    w = ins.InspectionWidget(act, n_rounds=3)
    for _ in range(3):
        w.press("Enter")
    assert w.finished
    with pytest.raises(CourseError):
        w.send()
    w.send_button.click()                                   # from the page: a message, no raise
    assert "All rounds" in w.status.value


def test_simulated_department_follows_the_data_and_says_so(tmp_path):
    act = Workspace(tmp_path).activity("part6.inspections")
    s = ins.inspection_session(act, show=False)
    assert s.is_simulated and len(s.rounds) == ins.N_ROUNDS and len(act) == 0
    assert sum(s.shares()[-5:]) / 5 > 2 / 3                 # it ran away
    est = s.estimates()
    assert est["naive_share"] > est["corrected_share"]
    assert "simulated department" in ins.describe(s)._repr_html_()


def test_figures(tmp_path):
    runs = ins.loop_runs(n_runs=50)
    s = ins.inspection_session(Workspace(tmp_path).activity("part6.inspections"), show=False)
    fig = ins.urn_figure(runs, s)
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.data[-1].name == "simulated department"
    assert ins.long_run_figure(n_rounds=200, n_runs=20).layout.xaxis.type == "log"


@pytest.mark.parametrize("call", [
    lambda act: ins.InspectionWidget("act"), lambda act: ins.InspectionWidget(act, n_rounds=0),
    lambda act: ins.InspectionWidget(act, random_state=None), lambda act: ins.found_in_round(0, 1),
    lambda act: ins.found_in_round(1, 11), lambda act: ins.urn_figure({"a": 1}),
    lambda act: ins.describe("session"), lambda act: ins.InspectionWidget(act).set_split(12),
    lambda act: ins.InspectionWidget(act).press(3),
])
def test_bad_input_gets_a_friendly_message(tmp_path, call):
    act = Workspace(tmp_path).activity("part6.inspections")
    with pytest.raises(CourseError):
        call(act)
