"""Every activity widget shares one base: listeners, errors shown to the learner, drivable
from code (course_lib.widgets.base)."""
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError, WorkspaceError
from course_lib.core.simulated import SimulatedLearner
from course_lib.methods.toy_assistant import ToyAssistant
from course_lib.part0.first_sentence import FirstSentence
from course_lib.part1.writing import WritingActivity
from course_lib.part3.feedback_widgets import PairwiseFeedback, PassFailFeedback
from course_lib.part4 import fairness_choice, private_survey, tone_labels, your_model
from course_lib.widgets.base import ActivityPanel, ActivityWidget
from course_lib.widgets.keyboard import browser_message
from course_lib.widgets.labeling import LabelingWidget

MODEL = ToyAssistant()
PAIR, OUTPUT = "egg:short|egg:wrong", "egg:short"


def _broken(*_a, **_k):
    raise WorkspaceError("Could not write to the workspace.")


def widgets_of(workspace):
    """(widget, event name, how the page saves one thing, how code saves one thing)."""
    def first(act):
        w = FirstSentence(act)
        w.text.value = "Every word was written by someone."
        return w
    def writing(act):
        w = WritingActivity(act)
        w.write("I make tea before anything else.")
        return w
    def thresholds(act):
        learner = SimulatedLearner(noise=0.0, random_state=0)
        report = your_model.train_and_measure(
            {i: tone_labels.simulated_decision(i, learner) for i in tone_labels.choose_items()})
        return fairness_choice.ThresholdExplorer(report, activity=act)
    def drag(w, value):
        w.sliders[next(iter(w.sliders))].value = value
    return [
        (first(workspace.activity("part0.first_sentence")), "save",
         lambda w: w.text.browser_save("Every word was written by someone."),
         lambda w: setattr(w.text, "value", "And read.") or w.submit(elapsed=5.0)),
        (writing(workspace.activity("part1.writing")), "save",
         lambda w: w.text.browser_save("I make tea before anything else."),
         lambda w: w.write("Then I read.") or w.submit(elapsed=5.0)),
        (LabelingWidget(workspace.activity("part2.test"), ["a", "b"], choices=[0, 1], n_repeats=0,
                        shuffle=False), "label",
         lambda w: w.catcher._handle_msg(browser_message("1")) or w.catcher._handle_msg(
             browser_message("Enter")), lambda w: w.press("1") or w.press("Enter")),
        (PairwiseFeedback(workspace.activity("part3.pairwise"), MODEL, [PAIR, PAIR + "|again"]),
         "judgment", lambda w: w.key_catcher._handle_msg(browser_message("a")),
         lambda w: w.press("a")),
        (PassFailFeedback(workspace.activity("part3.passfail"), MODEL, [OUTPUT, "egg:wrong"]),
         "judgment", lambda w: w.key_catcher._handle_msg(browser_message("p")),
         lambda w: w.press("p")),
        (private_survey.SurveyWidget(workspace.activity("part4.survey"), random_state=0), "answer",
         lambda w: w.draw_button.click() or w.yes_button.click(),
         lambda w: w.draw() and w.answer("yes")),
        (thresholds(workspace.activity("part4.thresholds")), "change", lambda w: drag(w, 0.3),
         lambda w: w.set_threshold(next(iter(w.sliders)), 0.7)),
    ]


def _course_widget_classes():
    """Every class in course_lib that is an ipywidget or displays one (``_ipython_display_``)."""
    import importlib
    import inspect
    import pkgutil

    import ipywidgets

    import course_lib
    found = set()
    for info in pkgutil.walk_packages(course_lib.__path__, "course_lib."):
        if ".grading" in info.name or info.name == "course_lib._legacy":
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and not cls.__name__.startswith("_") and (
                    issubclass(cls, ipywidgets.DOMWidget) or hasattr(cls, "_ipython_display_")):
                found.add(cls)
    return found


#: Widgets that are controls, not activities: they save nothing themselves and are the parts
#: activity widgets are made of (their owner shows the errors).
CONTROLS = {"KeyCatcher", "TextBox", "LiveFigure", "WorkPanel"}


def test_every_activity_widget_is_on_the_base(workspace):
    from course_lib.part1.mix import MixExplorer
    assert issubclass(MixExplorer, ActivityPanel)
    for cls in _course_widget_classes():
        if cls.__name__ not in CONTROLS and cls not in (ActivityWidget, ActivityPanel):
            assert issubclass(cls, ActivityWidget), f"{cls.__module__}.{cls.__name__}"
    for widget, event, _, _ in widgets_of(workspace):
        assert isinstance(widget, ActivityWidget) and event in widget.EVENTS


def test_listeners_hear_saves_and_refuse_non_functions(workspace):
    for widget, event, _, by_code in widgets_of(workspace):
        seen = []
        getattr(widget, f"on_{event}")(seen.append)
        by_code(widget)
        assert len(seen) == 1, widget
        if event == "change":                          # the new settings, not an event
            assert set(seen[0]) == set(widget.sliders), widget
        else:
            assert seen[0].activity == widget.activity.name, widget
        with pytest.raises(CourseTypeError, match=f"must be a function, e.g. `def on_{event}"):
            getattr(widget, f"on_{event}")("not a function")


def test_a_course_error_from_the_page_goes_to_the_status_line_and_from_code_raises(
        workspace, monkeypatch):
    for widget, _, by_page, by_code in widgets_of(workspace):
        monkeypatch.setattr(widget.activity, "record", _broken)
        by_page(widget)                                   # does not raise into ipywidgets
        assert "Could not write to the workspace." in widget.status.value, widget
        with pytest.raises(WorkspaceError):
            by_code(widget)


def test_a_listener_that_fails_is_shown_and_the_work_is_kept(workspace):
    for widget, event, by_page, by_code in widgets_of(workspace):
        def on_it(value):
            return value.no_such_attribute
        getattr(widget, f"on_{event}")(on_it)
        before = len(widget.activity.events())
        by_page(widget)                                   # does not raise into ipywidgets
        assert "on_it(), listening to on_" in widget.status.value, widget
        assert "AttributeError" in widget.status.value, widget
        assert len(widget.activity.events()) > before, widget   # saved all the same
        with pytest.raises(AttributeError):
            by_code(widget)


def test_the_mix_sliders_too(workspace, monkeypatch):
    from course_lib.methods.corpus import load_sources
    from course_lib.part1.mix import MixExplorer
    from course_lib.part1.writing import simulated_texts
    act = workspace.activity("part1.mix")
    mix = MixExplorer(load_sources(writing=simulated_texts(5)), activity=act,
                      total_words=500, n_sentences=2)
    seen = []
    mix.on_change(seen.append)
    name = next(iter(mix.sliders))
    mix.set_weight(name, 0.5)
    assert seen[-1][name] == 0.5
    monkeypatch.setattr(act, "record", _broken)
    mix.sliders[name].value = 0.25                       # a drag in the page
    assert "Could not write" in mix.status.value
    with pytest.raises(WorkspaceError):
        mix.set_weight(name, 0.75)


def test_unknown_event_is_refused():
    class Quiet(ActivityWidget):
        EVENTS = ("save",)
    with pytest.raises(CourseValueError, match="no event 'sav'"):
        Quiet()._add_listener("sav", print)
