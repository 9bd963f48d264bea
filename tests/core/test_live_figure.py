"""LiveFigure: a figure that follows the learner's clicks, without plotly's FigureWidget."""
import plotly.graph_objects as go
import pytest

from course_lib.core.errors import CourseTypeError
from course_lib.core.live_figure import MIMETYPE, LiveFigure


def test_each_redraw_replaces_the_drawing_in_one_output():
    live = LiveFigure(go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout_title_text="Counts"))
    for y in ([3, 4], [5, 6]):
        with live.batch_update() as fig:
            fig.data[0].y = y
        assert len(live.widget.outputs) == 1
        assert list(live.shown()["data"][0]["y"]) == y
    data = live.widget.outputs[0]["data"]
    assert set(data) == {MIMETYPE, "text/plain"}, "only the mimetype: no inline plotly.js"
    assert "Counts" in data["text/plain"]


def test_not_a_figure_is_refused_with_a_message():
    with pytest.raises(CourseTypeError, match="plotly.graph_objects.Figure"):
        LiveFigure({"data": []})
