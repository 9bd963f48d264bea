"""The feedback widgets, driven from code through the same methods their keys and buttons use."""
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.core.session import COURSE_SEED
from course_lib.methods.judgments import (
    PAIRWISE,
    PASSFAIL,
    pair_table,
    parse_pair_item,
    rating_table,
)
from course_lib.methods.toy_assistant import ToyAssistant
from course_lib.part3.feedback_widgets import PairwiseFeedback, PassFailFeedback
from course_lib.part3.feedback_work import feedback_tables, plans
from course_lib.part3.simulated_judge import SimulatedJudge

MODEL = ToyAssistant()
PAIRS, RATED = plans(MODEL, random_state=COURSE_SEED)


def pairwise(workspace, items=PAIRS[:6], seed=0):
    return PairwiseFeedback(workspace.activity(PAIRWISE), MODEL, items, random_state=seed)


def test_keys_record_every_choice_with_sides_and_timing(workspace):
    w = pairwise(workspace)
    shown = []
    for key in ["ArrowLeft", "ArrowRight", "ArrowDown", "c", "s"]:
        shown.append(w.sides)
        assert w.press(key) is True
    events = workspace.activity(PAIRWISE).events()
    assert [e.kind for e in events] == ["preference"] * 4 + ["skip"]
    chosen = [e.value["chosen"] for e in events]
    assert chosen == [shown[0][0], shown[1][1], "tie", "cant_tell", None]
    assert [(e.value["left"], e.value["right"]) for e in events] == shown
    assert all(e.elapsed is not None and e.elapsed >= 0 for e in events)
    assert all(e.meta["via"] == "key" for e in events)
    assert [e.item for e in events] == list(PAIRS[:5])
    assert w.remaining == 1 and not w.done


def test_unknown_key_does_nothing(workspace):
    w = pairwise(workspace)
    assert w.press("x") is False
    assert len(workspace.activity(PAIRWISE)) == 0


def test_left_right_order_is_randomised(workspace):
    items = PAIRS[:30]
    w = pairwise(workspace, items)
    firsts = 0
    for item in items:
        a, _b, _ = parse_pair_item(item)
        firsts += w.sides[0] == a
        w.choose("skip", elapsed=1.0)
    assert 5 < firsts < 25  # both orders happen


def test_buttons_and_undo(workspace):
    w = pairwise(workspace)
    first = w.current_item
    w.children[2].children[0].click()  # "← A is better"
    assert w.current_item != first
    w.press("Backspace")
    assert w.current_item == first
    assert workspace.activity(PAIRWISE).current() == {}
    e = workspace.activity(PAIRWISE).events()[0]
    assert e.meta["via"] == "button"


def test_resuming_skips_judged_items(workspace):
    w = pairwise(workspace)
    w.choose("left", elapsed=2.0)
    w.choose("right", elapsed=2.0)
    again = pairwise(workspace)
    assert again.current_item == PAIRS[2] and again.remaining == 4


def test_explicit_elapsed_is_saved_and_checked(workspace):
    w = pairwise(workspace)
    assert w.choose("tie", elapsed=3.25).elapsed == 3.25
    with pytest.raises(CourseValueError, match="elapsed"):
        w.choose("left", elapsed=-1)
    with pytest.raises(CourseValueError, match="choice"):
        w.choose("A")


def test_on_judgment_callbacks_and_friendly_type_error(workspace):
    w = pairwise(workspace)
    seen = []
    w.on_judgment(seen.append)
    w.choose("left", elapsed=1.0)
    w.undo()
    assert seen[0].value["chosen"] and seen[1] is None
    with pytest.raises(CourseTypeError, match="function"):
        w.on_judgment("not a function")


def test_passfail_widget(workspace):
    w = PassFailFeedback(workspace.activity(PASSFAIL), MODEL, RATED[:4])
    for key in ["ArrowUp", "f", " ", "p"]:
        w.press(key)
    assert w.done
    table = rating_table(workspace.activity(PASSFAIL).events())
    assert table["rating"].tolist() == ["pass", "fail", "skip", "pass"]
    assert table["output"].tolist() == list(RATED[:4])
    assert w.rate("pass") is None  # nothing left to judge
    with pytest.raises(CourseValueError, match="rating"):
        w.rate("maybe")


def test_values_are_plain_and_pair_ids_stable():
    assert plans(MODEL, random_state=COURSE_SEED) == (PAIRS, RATED)
    assert len(PAIRS) == 36 and sum(parse_pair_item(i)[2] for i in PAIRS) == 6
    for item in PAIRS:
        a, b, _ = parse_pair_item(item)
        assert a < b and a.split(":")[0] == b.split(":")[0]  # same question


def test_simulated_judge_follows_its_hidden_preference():
    long_lover = SimulatedJudge(preference={"words": 3.0}, gold_weight=0.0, position_bias=0,
                                random_state=1)
    pairs = pair_table(long_lover.pairwise_events(MODEL, PAIRS * 5))
    decided = pairs[pairs["choice"].isin(["left", "right"])]
    words = MODEL.outputs["words"]
    longer = [words[c] >= max(words[l], words[r]) for c, l, r in
              zip(decided["chosen"], decided["left"], decided["right"])]
    assert sum(longer) / len(longer) > 0.85
    lefty = SimulatedJudge(position_bias=3.0, random_state=1)
    table = pair_table(lefty.pairwise_events(MODEL, PAIRS * 3))
    assert (table["choice"] == "left").mean() > 0.7
    assert all(e.simulated for e in lefty.passfail_events(MODEL, RATED))


def test_feedback_tables_use_own_work_once_there_is_enough(workspace):
    from course_lib.part3.feedback_work import MIN_OWN_PAIRS, plans
    sim = feedback_tables(workspace, MODEL, show=False)
    assert sim.is_simulated and sim.pairs["simulated"].all()
    widget = pairwise(workspace, items=plans(MODEL)[0][:MIN_OWN_PAIRS])
    widget.choose("left", elapsed=1.0)
    mixed = feedback_tables(workspace, MODEL, show=False)
    assert (~mixed.pairs["simulated"]).sum() == 1 and mixed.pairs["simulated"].any()
    while not widget.done:
        widget.choose("left", elapsed=1.0)
    own = feedback_tables(workspace, MODEL, show=False)
    assert len(own.pairs) == len(workspace.activity("part3.pairwise").current())
    assert not own.pairs["simulated"].any()


def test_a_few_own_judgments_are_topped_up_so_later_cells_run(tmp_path):
    """Found in the browser: with 2 comparisons saved, Run All failed in the speed analysis."""
    from course_lib.core.workspace import Workspace
    from course_lib.methods import annotator_bias
    from course_lib.methods.toy_assistant import ToyAssistant
    from course_lib.part3.feedback_work import feedback_tables, plans
    ws = Workspace(tmp_path)
    model = ToyAssistant()
    pair_items, _ = plans(model)
    act = ws.activity("part3.pairwise")
    for item in pair_items[:2]:
        left, right = item.split("|")[:2]
        act.record(item, {"chosen": left, "left": left, "right": right}, kind="preference",
                   elapsed=2.0)
    feedback = feedback_tables(ws, model, show=False)
    assert feedback.is_simulated and "Using your 2 comparisons plus" in feedback.messages[0]
    annotator_bias.speed_over_time(feedback.pairs)  # enough judgments now
