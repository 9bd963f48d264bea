"""Part 6, section 3: three rounds of writing, every suggestion recorded with its timing, the
texts compared with a (simulated) class."""
import pytest

from course_lib.core.errors import CourseError
from course_lib.core.workspace import Workspace
from course_lib.methods.ngram import NGramLanguageModel
from course_lib.part6 import writing as wr
from course_lib.widgets.suggesting_text_box import browser_message


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


@pytest.fixture(scope="module")
def small_model():
    return NGramLanguageModel(2).fit(["the cat sat on the mat.", "a dog ran in the park.",
                                      "the dog sat on a cat."])


def make(tmp_path, model, clock=None, **kw):
    ws = Workspace(tmp_path)
    return ws, wr.WritingWithSuggestions(ws.activity("part6.writing"),
                                         ws.activity("part6.suggestions"), model=model,
                                         clock=clock or Clock(), **kw)


def test_three_rounds_with_every_suggestion_recorded(tmp_path, small_model):
    clock = Clock()
    ws, w = make(tmp_path, small_model, clock, random_state=1)
    assert w.condition == "none" and not w.box.enabled and w.box.suggestion == ""
    w.box.type("I")
    clock.t = 20.0
    w.box.save("I write my notes by hand every morning.")
    assert w.condition == "base" and w.box.enabled and w.box.suggestion   # offered at once
    clock.t = 21.0
    w.box._handle_msg(browser_message("text", "The "))        # passed over by typing
    clock.t = 23.5
    sid = w.box.suggestion_id
    taken = w.box.suggestion
    w.box._handle_msg(browser_message("accept", "The " + taken + " ", id=sid, taken=taken))
    w.box.type(w.box.value + "and more words here ")
    w.box._handle_msg(browser_message("save", w.box.value))
    assert w.condition == "tuned"
    w.box.type("A ")
    w.box.press_tab()
    w.box.type(w.box.value + "then my own words to end ")
    w.save()
    assert w.finished and "All three" in w.heading.value

    sugg = ws.activity("part6.suggestions").events()
    outcomes = [(e.value["model"], e.value["outcome"]) for e in sugg]
    assert outcomes[:3] == [("base", "shown"), ("base", "ignored"), ("base", "shown")]
    accepted = [e for e in sugg if e.value["outcome"] == "accepted"]
    assert [e.value["model"] for e in accepted] == ["base", "tuned"]
    assert accepted[0].elapsed == pytest.approx(2.5) and accepted[0].meta["via"] == "tab"
    assert sugg[1].elapsed == pytest.approx(1.0) and sugg[1].meta["via"] == "typed"
    assert all(e.value["prompt"] in wr.PROMPTS for e in sugg)

    texts = {e.item: e for e in ws.activity("part6.writing").effective()}
    assert list(texts) == ["none", "base", "tuned"]
    assert texts["none"].elapsed == pytest.approx(20.0)
    assert len({t.value["prompt"] for t in texts.values()}) == 3   # a prompt per round
    base = texts["base"].value
    assert base["from_suggestions"] == len(taken.split()) and 0 < base["share_from_suggestions"] < 1
    assert base["suggestions_shown"] >= 2 and base["suggestions_accepted"] == 1

    log = wr.suggestion_log(ws.activity("part6.suggestions"))
    assert log.loc["n-gram model", "taken"] == 1


def test_restart_continues_the_round_and_the_numbering(tmp_path, small_model):
    ws, w = make(tmp_path, small_model, random_state=2)
    w.save("Seven words of my own right here.")
    w.box.type("the ")
    w.box.press_tab()
    ws.close()
    ws2, again = make(tmp_path, small_model, random_state=99)
    assert again.condition == "base"
    assert again.prompt == w.prompt                # the same prompt order, read from the saved text
    again.box.type("a ")
    items = [e.item for e in ws2.activity("part6.suggestions").events()
             if e.value["outcome"] == "shown"]
    assert len(items) == len(set(items))           # nothing overwritten


def test_too_short_and_errors_from_the_page(tmp_path, small_model):
    ws, w = make(tmp_path, small_model)
    with pytest.raises(CourseError):
        w.save("too short")
    w.box._handle_msg(browser_message("save", "two words"))      # from the page: status line
    assert "at least" in w.status.value and w.condition == "none"
    assert len(ws.activity("part6.writing")) == 0


def test_simulated_writer_and_comparison(tmp_path):
    ws = Workspace(tmp_path)
    work = wr.writing_work(ws.activity("part6.writing"), show=False)
    assert work.is_simulated and len(ws.activity("part6.writing")) == 0
    mine = wr.texts_table(work)
    assert list(mine["condition"]) == ["none", "base", "tuned"]
    klass = wr.simulated_class(n_writers=8)
    table = wr.compare(mine, klass)
    assert list(table.index) == ["no suggestions", "n-gram model", "tuned model (low β)"]
    assert table["your_rouge_l"].notna().all()
    fig = wr.homogenisation_figure(table, simulated=True)
    assert fig.layout.title.text and "simulated" in fig.data[1].name
    assert "simulated writer" in wr.describe(table, simulated=True)._repr_html_()


@pytest.mark.parametrize("call", [
    lambda ws, m: wr.WritingWithSuggestions("a", "b", model=m),
    lambda ws, m: wr.WritingWithSuggestions(ws.activity("part6.writing"),
                                            ws.activity("part6.suggestions"), model="m"),
    lambda ws, m: wr.texts_table("work"), lambda ws, m: wr.compare([], []),
    lambda ws, m: wr.homogenisation_figure("t"), lambda ws, m: wr.suggestion_log(None),
    lambda ws, m: wr.describe(None),
])
def test_bad_input_gets_a_friendly_message(tmp_path, small_model, call):
    with pytest.raises(CourseError):
        call(Workspace(tmp_path), small_model)


def test_readable_table(tmp_path):
    work = wr.writing_work(Workspace(tmp_path).activity("part6.writing"), show=False)
    table = wr.readable(wr.compare(wr.texts_table(work), wr.simulated_class(n_writers=4)))
    assert "class: mean pairwise ROUGE-L" in table.columns and len(table) == 3
    with pytest.raises(CourseError):
        wr.readable("table")
