"""A plotly figure that redraws in place when the learner acts.

plotly's ``go.FigureWidget`` would do this, but it is an anywidget that ships the whole of
plotly.js (about 4.6 MB) to the browser as its own module. On a busy machine (a Binder session,
a 2-core CI runner) loading it on a page reload starved the course's small keyboard widgets past
anywidget's 2-second start-up limit, after which their messages from the kernel were dropped.
A ``LiveFigure`` instead shows an ordinary ``go.Figure`` in an ``ipywidgets.Output`` and
replaces that output, in one message, after each change: the browser draws it with the same
plotly.js that draws every other figure in the notebook.

Examples
--------
>>> import plotly.graph_objects as go
>>> live = LiveFigure(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
>>> with live.batch_update():
...     live.figure.data[0].y = [3, 4]
>>> list(live.shown()["data"][0]["y"])
[3, 4]
"""
from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as widgets
import plotly.graph_objects as go
import plotly.io as pio

from .errors import CourseTypeError

MIMETYPE = "application/vnd.plotly.v1+json"


class LiveFigure:
    """Show ``figure`` in a widget; :meth:`redraw` (or a :meth:`batch_update` block) updates it.

    Attributes
    ----------
    figure : plotly.graph_objects.Figure
        Change it as any plotly figure (``figure.data[0].y = ...``), then redraw.
    widget : ipywidgets.Output
        Put this in a layout (``VBox([..., live.widget])``).
    """

    def __init__(self, figure):
        if not isinstance(figure, go.Figure):
            raise CourseTypeError(
                f"LiveFigure needs a plotly.graph_objects.Figure, not {type(figure).__name__}.")
        self.figure = figure
        self.widget = widgets.Output()
        self.redraw()

    @contextmanager
    def batch_update(self):
        """Make several changes to :attr:`figure`; the figure is redrawn once, at the end."""
        with self.figure.batch_update():
            yield self.figure
        self.redraw()

    def redraw(self):
        """Send the current figure to the browser (one message, replacing the last drawing)."""
        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(self.figure.to_dict())
        title = self.figure.layout.title.text or "a plotly figure"
        bundle["text/plain"] = f"<figure: {title}>"
        self.widget.outputs = ({"output_type": "display_data", "data": bundle,
                                "metadata": {}},)

    def shown(self):
        """The figure as last sent to the browser (a plotly JSON dict)."""
        return self.widget.outputs[0]["data"][MIMETYPE]

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
