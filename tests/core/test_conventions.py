"""One convention each: figure functions are ``*_figure``, estimators do not draw, every random
thing takes ``random_state``, one "yours or simulated" result type — and the old names that
released notebooks use keep working, with a DeprecationWarning."""
import importlib
import sys
import warnings

import plotly.io as pio
import pytest

from course_lib.methods.toy_assistant import ToyAssistant

MODEL = ToyAssistant()


def _old_module(name):
    """``from course_lib import <name>`` as a released notebook does (the alias warns once)."""
    sys.modules.pop(f"course_lib.{name}", None)
    with pytest.warns(DeprecationWarning):
        return importlib.import_module(f"course_lib.{name}")


@pytest.fixture(scope="module")
def feedback():
    import tempfile

    from course_lib.core.workspace import Workspace
    from course_lib.part3.feedback_work import feedback_tables
    return feedback_tables(Workspace(tempfile.mkdtemp()), MODEL, show=False)


@pytest.fixture(scope="module")
def reward_model(feedback):
    from course_lib.methods.reward_model import BradleyTerryRewardModel
    return BradleyTerryRewardModel().fit(MODEL.features(), feedback.pairs, feedback.ratings)


def test_no_plot_functions_left():
    import pkgutil

    import course_lib
    for info in pkgutil.walk_packages(course_lib.__path__, "course_lib."):
        if ".grading" in info.name or info.name.endswith("_legacy"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if callable(value) and getattr(value, "__module__", None) == module.__name__:
                assert not name.startswith("plot_"), f"{info.name}.{name}: call it *_figure"


@pytest.mark.parametrize("old, old_name, new_path", [
    ("tuning", "plot_tuning", "course_lib.methods.tuning.tuning_figure"),
    ("overoptimisation", "plot_overoptimisation",
     "course_lib.methods.overoptimisation.overoptimisation_figure"),
    ("annotator_bias", "plot_speed", "course_lib.methods.annotator_bias.speed_figure"),
])
def test_renamed_figure_functions_work_under_their_old_names_and_warn(old, old_name, new_path):
    module = _old_module(old)
    with pytest.warns(DeprecationWarning, match=new_path.rpartition(".")[2]):
        function = getattr(module, old_name)
    new_module, _, new_name = new_path.rpartition(".")
    assert function is getattr(importlib.import_module(new_module), new_name)
    assert old_name in dir(module)


def test_released_notebook_03_figure_calls_still_work(feedback, reward_model):
    tuning, overoptimisation = _old_module("tuning"), _old_module("overoptimisation")
    annotator_bias = _old_module("annotator_bias")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        figures = [
            reward_model.plot_weights({"words": "length"}, colour=feedback.colour),
            tuning.plot_tuning(tuning.beta_sweep(MODEL, reward_model.reward(), [3, 1, 0.3])),
            overoptimisation.plot_overoptimisation(
                overoptimisation.overoptimisation_curve(MODEL, reward_model.reward()),
                colour=feedback.colour),
            annotator_bias.plot_speed(annotator_bias.speed_over_time(feedback.pairs),
                                      colour=feedback.colour)]
    assert all(f.layout.title.text for f in figures)


def test_figure_functions_leave_plotly_default_template_alone(feedback, reward_model):
    from course_lib.methods import annotator_bias, overoptimisation, tuning
    from course_lib.methods.reward_model import reward_weights_figure
    before = pio.templates.default
    pio.templates.default = "simple_white"
    try:
        figures = [tuning.tuning_figure(tuning.beta_sweep(MODEL, reward_model.reward(), [1.0])),
                   overoptimisation.overoptimisation_figure(
                       overoptimisation.overoptimisation_curve(MODEL, reward_model.reward())),
                   annotator_bias.speed_figure(annotator_bias.speed_over_time(feedback.pairs)),
                   reward_weights_figure(reward_model)]
        assert pio.templates.default == "simple_white"
        assert all(f.layout.template.layout.colorway for f in figures)  # the course template
    finally:
        pio.templates.default = before


def test_plans_and_feedback_tables_take_random_state_and_old_seed_warns():
    from course_lib.core.errors import CourseTypeError
    from course_lib.core.session import COURSE_SEED
    from course_lib.part3.feedback_work import plans
    default = plans(MODEL)
    assert plans(MODEL, random_state=COURSE_SEED) == default
    assert plans(MODEL, random_state=1) != default
    with pytest.warns(DeprecationWarning, match="random_state"):
        assert plans(MODEL, seed=COURSE_SEED) == default
    with pytest.raises(CourseTypeError, match="both"):
        plans(MODEL, random_state=1, seed=2)


def test_feedback_tables_old_seed_keyword_warns(tmp_path):
    from course_lib.core.workspace import Workspace
    from course_lib.part3.feedback_work import feedback_tables
    ws = Workspace(tmp_path)
    new = feedback_tables(ws, MODEL, random_state=3, show=False)
    with pytest.warns(DeprecationWarning, match="feedback_tables"):
        old = feedback_tables(ws, MODEL, seed=3, show=False)
    assert old.pairs.drop(columns="recorded_at").equals(new.pairs.drop(columns="recorded_at"))


def test_one_result_type_for_yours_or_simulated(feedback, tmp_path):
    from course_lib.core import theme
    from course_lib.core.simulated import Work, YoursOrSimulated
    from course_lib.widgets.label_sessions import LabelSession
    work = Work(events=[object()], n_own=0, expected=1, noun="texts")
    session = LabelSession(events=[], is_simulated=False, message="Using your 0 labels.")
    for result in (work, session, feedback):
        assert isinstance(result, YoursOrSimulated)
        assert isinstance(result.is_simulated, bool) and result.message
        assert result.colour == (theme.SIMULATED if result.is_simulated else theme.YOURS)
        assert result.message in result._repr_html_() or "simulated" in result._repr_html_()
    assert feedback.is_simulated and feedback.message.startswith("Using 36 simulated")
    with pytest.warns(DeprecationWarning, match="is_simulated"):
        assert feedback.simulated is True
