"""The course's look for plotly figures: one template, a colour-blind-safe palette.

Registered as ``"course"`` and made the default (``"plotly_white+course"``) by
:func:`course_lib.setup`. The palette is Okabe & Ito's (2008), readable with every common
form of colour blindness.
"""
from __future__ import annotations

#: Okabe–Ito colours, in the order figures use them.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
           "#999999"]
#: The learner's own work is always drawn in this colour, simulated work in SIMULATED.
YOURS = "#009E73"
SIMULATED = "#E69F00"
TEMPLATE = "plotly_white+course"


def register():
    """Register the ``course`` template and make it the default. Safe to call twice."""
    import plotly.io as pio

    _ensure_template()
    pio.templates.default = TEMPLATE
    return TEMPLATE


def ensure_template():
    """Register the ``course`` template without touching plotly's default (for figure functions).

    Figure functions pass ``template=TEMPLATE`` to their figure; only :func:`register`
    (called by :func:`course_lib.setup`) changes ``plotly.io.templates.default``.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    if "course" in pio.templates:
        return
    pio.templates["course"] = go.layout.Template(layout=dict(
        colorway=PALETTE,
        font=dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=14),
        title=dict(x=0.02, xanchor="left", font=dict(size=18)),
        margin=dict(l=60, r=20, t=60, b=55),
        hoverlabel=dict(font_size=13),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1.0),
    ))


_ensure_template = ensure_template


def figure(title, x_title, y_title, **layout):
    """An empty ``go.Figure`` with the course template, a title and labelled axes."""
    import plotly.graph_objects as go

    from .errors import CourseValueError
    if not all(isinstance(t, str) and t.strip() for t in (title, x_title, y_title)):
        raise CourseValueError("Every course figure needs a title and labelled axes (three "
                               f"non-empty texts); got {title!r:.40}, {x_title!r:.40}, "
                               f"{y_title!r:.40}.")
    _ensure_template()
    try:
        fig = go.Figure(layout=dict(template=TEMPLATE, title=dict(text=title),
                                    xaxis=dict(title=dict(text=x_title)),
                                    yaxis=dict(title=dict(text=y_title)), **layout))
    except (TypeError, ValueError) as exc:
        raise CourseValueError("A layout option is not one plotly accepts: "
                               f"{str(exc).strip().splitlines()[0][:200]}") from None
    return fig


def log_y_axis(fig, values):
    """Make ``fig``'s y axis logarithmic. When ``values`` span less than about two decades,
    label 1-2-5 steps in full (plotly would label them with bare digits such as "2" and "5").

    >>> import plotly.graph_objects as go
    >>> log_y_axis(go.Figure(), [70_000, 830_000]).layout.yaxis.ticktext
    ('100,000', '200,000', '500,000')
    """
    import math

    from .validation import check_array, check_has
    check_has("fig", fig, ["update_yaxes"], what="a plotly figure")
    values = check_array("values", values)
    lo, hi = min(values), max(values)
    if lo <= 0 or math.log10(hi / lo) > 2:
        return fig.update_yaxes(type="log")
    decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
    ticks = [m * 10.0 ** e for e in decades for m in (1, 2, 5) if lo <= m * 10.0 ** e <= hi]
    return fig.update_yaxes(type="log", tickvals=ticks,
                            ticktext=[f"{t:,.0f}" if t >= 1 else f"{t:g}" for t in ticks])
