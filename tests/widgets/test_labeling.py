"""The labelling widget, driven from code through the keys, and its sessions read back."""
import numpy as np
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.core.simulated import SimulatedLearner
from course_lib.core.workspace import Workspace
from course_lib.widgets.keyboard import browser_message
from course_lib.widgets.label_sessions import (
    IMAGENET_TRAIN_IMAGES,
    labeling_time,
    labels_or_simulated,
    simulate_session,
)
from course_lib.widgets.labeling import (
    LabelingWidget,
    default_keys,
    presentation_order,
    render_item,
)

WORDS = ["good", "bad", "meh", "great", "awful", "fine", "okay", "nice"]


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def make(act, clock=None, **kw):
    kw.setdefault("n_repeats", 0)
    kw.setdefault("shuffle", False)
    return LabelingWidget(act, WORDS[:4], choices=list(range(-4, 5)), kind="rating",
                          clock=clock, **kw)


def values(act):
    return {item: e.value for item, e in act.current().items()}


def test_number_then_enter_saves_a_rating_with_time_and_position(workspace):
    act = workspace.activity("part2.test")
    clock = Clock()
    w = make(act, clock)
    clock.t += 2.5
    assert w.press("9") is None                 # a pick is not saved yet
    assert len(act) == 0 and w.pending == 4
    clock.t += 0.5
    e = w.press("Enter")
    assert (e.item, e.value, e.kind, e.elapsed) == ("good", 4, "rating", 3.0)
    assert e.meta == {"position": 0, "repeat": False}
    assert w.current_item == "bad" and w.bar.value == 1
    assert "1 / 4" in w.status.value


def test_enter_without_a_pick_saves_nothing(workspace):
    act = workspace.activity("part2.test")
    w = make(act)
    assert w.press("Enter") is None and len(act) == 0
    assert "Pick a choice first" in w.last_message


def test_backspace_clears_a_pick_then_undoes_the_last_label(workspace):
    act = workspace.activity("part2.test")
    w = make(act)
    w.press("1"), w.press("Enter")              # good = -4
    w.press("2")
    w.press("Backspace")                        # clears the pick of 'bad'
    assert w.pending is None and values(act) == {"good": -4}
    w.press("Backspace")                        # takes back 'good'
    assert values(act) == {} and w.current_item == "good"
    w.press("5"), w.press("Enter")
    assert values(act) == {"good": 0}


def test_skip_with_reason_and_undo_after_a_skip(workspace):
    act = workspace.activity("part2.test")
    w = make(act)
    w.press("s")
    assert w.skipping and "Skip — why?" in w.view.value
    w.press("x")                                # ignored, with a hint
    assert w.skipping and "Backspace" in w.last_message
    e = w.press("3")
    assert e.kind == "skip" and e.value == {"reason": "offensive"}
    assert w.current_item == "bad"
    w.press("Backspace")                        # undo after a skip: back on 'good'
    assert w.current_item == "good" and values(act) == {}
    w.press("s"), w.press("Backspace")          # a started skip is cancelled
    assert not w.skipping and len(act.effective()) == 0


def test_mouse_buttons_call_the_same_methods(workspace):
    act = workspace.activity("part2.test")
    w = make(act)
    w.choice_buttons[8].click()                 # +4 in one click
    w.skip_buttons[1].click()                   # skip 'bad' as ambiguous
    assert values(act) == {"good": 4, "bad": {"reason": "ambiguous"}}
    w.undo_button.click()
    assert values(act) == {"good": 4}


def test_keys_from_the_browser_reach_the_widget(workspace):
    act = workspace.activity("part2.test")
    w = make(act)
    w.catcher._handle_msg(browser_message("7"))
    w.catcher._handle_msg(browser_message("Enter"))
    assert values(act) == {"good": 2}


def test_restart_mid_session_restores_progress(tmp_path):
    ws = Workspace(tmp_path)
    act = ws.activity("part2.test")
    w = make(act, n_repeats=1, shuffle=True, random_state=3)
    order = list(w.order)
    for key in ["2", "Enter", "s", "4", "8", "Enter"]:
        w.press(key)
    w.press("Backspace")
    ws.close()                                  # the kernel dies here
    ws2 = Workspace(tmp_path)
    w2 = make(ws2.activity("part2.test"), n_repeats=1, shuffle=True, random_state=3)
    assert w2.order == order                    # same seed, same order
    assert sorted(w2.done) == [0, 1] and w2.position == 2
    assert w2.bar.value == 2
    w2.press("Backspace")                       # undo still works across the restart
    assert sorted(w2.done) == [0] and w2.current_item == order[1][0]


def test_errors_from_the_browser_show_in_the_status_line(workspace, monkeypatch):
    from course_lib.core.errors import WorkspaceError

    act = workspace.activity("part2.test")
    w = make(act)

    def broken(*a, **k):
        raise WorkspaceError("Could not write to the workspace.")

    monkeypatch.setattr(act, "record", broken)
    w.catcher._handle_msg(browser_message("9"))
    w.catcher._handle_msg(browser_message("Enter"))      # does not raise into ipywidgets
    assert "Could not write" in w.status.value and w.pending == 4
    with pytest.raises(WorkspaceError):                  # from code it does raise
        w.press("Enter")


def test_finishing_and_keys_after_the_end(workspace):
    act = workspace.activity("part2.test")
    w = make(act)
    for _ in range(4):
        w.press("5"), w.press("Enter")
    assert w.finished and "All done" in w.view.value
    assert w.press("3") is None and w.press("Enter") is None
    assert len(act.effective()) == 4


def test_hidden_repeats_and_gold_are_recorded(workspace):
    act = workspace.activity("part2.test")
    w = LabelingWidget(act, {i: np.eye(3) * i for i in range(12)}, choices=range(10),
                       n_repeats=2, gold={5: 5}, random_state=1)
    assert len(w.order) == 14 and sum(r for _, r in w.order) == 2
    assert all(item != "5" for item, r in w.order if r)     # gold is never a repeat
    while not w.finished:
        w.press(w.current_item[-1])             # digits: the key is the class itself
        w.press("Enter")
    events = act.effective()
    assert sum(e.meta["repeat"] for e in events) == 2
    assert [e.meta.get("gold") for e in events if e.item == "5"] == [True]
    assert [e.meta["position"] for e in events] == list(range(14))   # order shown


def test_presentation_order_is_seeded_and_repeats_come_later():
    a = presentation_order(range(30), n_repeats=3, shuffle=True, random_state=7)
    b = presentation_order(range(30), n_repeats=3, shuffle=True, random_state=7)
    c = presentation_order(range(30), n_repeats=3, shuffle=True, random_state=8)
    assert a == b and a != c
    for k, (item, rep) in enumerate(a):
        if rep:
            first = a.index((item, False))
            assert k - first > 5


def test_default_keys_and_render():
    assert default_keys(range(10)) == [str(i) for i in range(10)]
    assert default_keys(range(-4, 5)) == [str(i) for i in range(1, 10)]
    with pytest.raises(CourseValueError, match="keys="):
        default_keys(range(12))
    assert "&lt;img" in render_item("<img src=x>")
    assert render_item(np.zeros((8, 8))).count("<rect") == 64
    with pytest.raises(CourseTypeError, match="2-D"):
        render_item(np.zeros(3))


def test_bad_widget_arguments(workspace):
    act = workspace.activity("part2.test")
    with pytest.raises(CourseValueError, match="at least two"):
        LabelingWidget(act, WORDS, choices=[1])
    with pytest.raises(CourseValueError, match="twice"):
        LabelingWidget(act, ["a", "a"], choices=[0, 1])
    with pytest.raises(CourseTypeError, match="list of item ids"):
        LabelingWidget(act, "word", choices=[0, 1])
    with pytest.raises(CourseValueError, match="keys must all differ"):
        LabelingWidget(act, WORDS, choices=[0, 1], keys=["s", "1"])
    with pytest.raises(CourseValueError, match="Gold"):
        LabelingWidget(act, WORDS, choices=[0, 1], gold={"nope": 1})
    w = make(act)
    with pytest.raises(CourseValueError, match="reason"):
        w.skip("bored")
    with pytest.raises(CourseValueError, match="choice"):
        w.pick(17)
    with pytest.raises(CourseTypeError, match="key"):
        w.press(3)


# -- sessions ------------------------------------------------------------------------------
def _answer(item, learner):
    return {"reason": "unsure"} if item == "meh" else learner.rate(1.0, low=-4, high=4)


def _make_all(act, clock=None):
    return LabelingWidget(act, WORDS, choices=list(range(-4, 5)), kind="rating", n_repeats=2,
                          random_state=0, clock=clock)


def test_simulated_session_uses_the_widget_and_saves_nothing(workspace):
    act = workspace.activity("part2.sim")
    learner = SimulatedLearner(noise=1.0, random_state=4)
    s = labels_or_simulated(act, _make_all, _answer, expected=len(WORDS), learner=learner,
                            show=False)
    assert s.is_simulated and "simulated" in s.message and len(act) == 0
    assert all(e.simulated for e in s.events) and len(s.events) == len(WORDS) + 2
    assert s.skips() == {"meh": "unsure"} and "meh" not in s.answers()
    assert len(s.answers()) == len(WORDS) - 1
    c = s.consistency()
    assert c["n_pairs"] + ("meh" in [e.item for e in s.events if e.meta["repeat"]]) == 2
    pace = s.pace()
    assert pace["n_actions"] == len(WORDS) + 2 and pace["per_minute"] > 0
    # the same seed gives the same simulated session
    again = simulate_session("part2.sim", _make_all, _answer,
                             SimulatedLearner(noise=1.0, random_state=4))
    assert [e.value for e in again] == [e.value for e in s.events]


def test_own_labels_win_over_simulated(workspace):
    act = workspace.activity("part2.own")
    w = _make_all(act)
    w.press("9"), w.press("Enter")
    s = labels_or_simulated(act, _make_all, _answer, expected=len(WORDS), show=False)
    assert not s.is_simulated and s.answers() == {w.order[0][0]: 4}
    assert "Using your 1 label" in s.message


def test_consistency_counts_same_and_different_answers(workspace):
    act = workspace.activity("part2.rep")
    w = LabelingWidget(act, ["a", "b", "c", "d", "e", "f", "g"], choices=range(10),
                       n_repeats=1, shuffle=False, random_state=0)
    answers = {}
    while not w.finished:
        item, rep = w.order[w.position]
        value = 2 if not rep else 5             # changes its mind on the repeat
        answers.setdefault(item, value)
        w.press(str(value)), w.press("Enter")
    s = labels_or_simulated(act, None, None, expected=7, show=False)
    c = s.consistency()
    assert c["n_pairs"] == 1 and c["n_same"] == 0 and c["mean_abs_diff"] == 3.0


def test_labeling_time_arithmetic():
    t = labeling_time(IMAGENET_TRAIN_IMAGES, 3.0, labels_per_item=2, hours_per_day=8,
                      days_per_year=230)
    assert t["hours"] == pytest.approx(1_281_167 * 6 / 3600)
    assert t["work_years"] == pytest.approx(t["hours"] / 8 / 230)
    with pytest.raises(CourseValueError):
        labeling_time(-1, 2.0)


def test_a_key_handled_on_another_thread_is_saved(workspace):
    import threading

    act = workspace.activity("part2.thread")
    w = make(act)
    errors = []

    def handle():
        try:
            w.catcher._handle_msg(browser_message("9"))
            w.catcher._handle_msg(browser_message("Enter"))
        except Exception as exc:  # noqa: BLE001 - collected and checked below
            errors.append(exc)

    t = threading.Thread(target=handle)
    t.start()
    t.join()
    assert not errors, errors
    assert values(act) == {"good": 4}
