"""Part 5, section 3: handwritten digits, seeded with the ones the learner labelled.

A :class:`~course_lib.methods.collapse.DigitsGaussian` (one multivariate normal per digit over
the 64 pixels) is fitted to the learner's labelled digits — with *their* labels — and each
generation samples 100 new images (10 per digit) for the next. The images are shown
generation by generation: the strokes blur and each digit converges to one shape; a rare way of
writing it is gone once no sample resembles it. The mean per-pixel variance falls.

Examples
--------
>>> from course_lib.core.data import load_digits
>>> d = load_digits()
>>> runs = digit_runs((d.data[:100], d.target[:100]), generations=2)
>>> sorted(runs), list(runs["pure replacement"].table["pixel_variance"].round(0) > 0)
(['pure replacement', 'your choices'], [True, True, True])
"""
from __future__ import annotations

import numpy as np

from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import (
    check_callable,
    check_has,
    check_int,
    check_list,
    check_random_state,
    check_text,
)
from ..methods.collapse import (
    MAX_GENERATIONS,
    DigitsGaussian,
    check_runs,
    check_samples,
    replace_schedule,
    retrain,
)
from .learner_data import _plan, _unwrap

N_PER_GENERATION = 100
SHOWN_GENERATIONS = (0, 1, 2, 4, 6, 10)
#: The most images each generation may sample (more would take long and show nothing new).
MAX_PER_GENERATION = 5_000
#: The most images one figure draws (each is a heatmap: more would take seconds to draw).
MAX_IMAGES = 120
_RUN = "a run from digit_runs(...), e.g. digit_models['pure replacement']"


def digit_runs(digits, schedule=None, *, generations=10, n_samples=N_PER_GENERATION,
               random_state=COURSE_SEED, progress=None):
    """Pure replacement and the learner's ``schedule`` (default: replacement), from ``digits``.

    Returns
    -------
    dict of {name: CollapseRun}
        With every generation's model and samples kept, and ``pixel_variance`` in the table.
    """
    digits = _unwrap(digits)
    generations = check_int("generations", generations, minimum=1, maximum=50)
    steps = _plan(schedule, generations)
    n_samples = check_samples("n_samples", n_samples, maximum=MAX_PER_GENERATION)
    check_random_state(random_state)
    if progress is not None:
        check_callable("progress", progress)
    runs = {}
    for k, (name, s) in enumerate((("pure replacement", replace_schedule(generations)),
                                   ("your choices", steps))):
        runs[name] = retrain(DigitsGaussian(), digits, s, n_samples=n_samples,
                             measure=lambda m, d: {"pixel_variance": m.pixel_variance()},
                             random_state=random_state, keep_models=True, keep_samples=True,
                             progress=None if progress is None else
                             (lambda t, n, k=k: progress(t + k * n, 2 * n)))
        runs[name].human = digits       # generation 0's images, for digits_figure
    return runs


def digits_figure(run, *, digits=(0, 2, 4, 7), per_digit=2, title=None,
                  generations=SHOWN_GENERATIONS):
    """Images from the models of several generations: a row per generation, columns per digit."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ..core import theme

    check_has("run", run, ["models", "samples", "table", "human"], what=_RUN)
    digits, per_digit, generations = _check_layout(digits, per_digit, generations)
    title = None if title is None else check_text("title", title)
    shown = [g for g in generations if g < len(run.models)]
    if not shown:
        raise CourseValueError(f"None of `generations` {generations} was run: the run has "
                               f"generations 0 to {len(run.models) - 1}.")
    rows, cols = len(shown), len(digits) * per_digit
    if rows * cols > MAX_IMAGES:
        raise CourseValueError(f"That figure would draw {rows * cols} images (at most "
                               f"{MAX_IMAGES}): show fewer generations, digits or `per_digit`.")
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.01, vertical_spacing=0.02,
                        row_titles=[f"gen {g}" for g in shown])
    for r, g in enumerate(shown, start=1):
        if g == 0:
            X, y = run.human
        else:
            X, y = run.samples[g - 1]
        for j, digit in enumerate(digits):
            idx = np.flatnonzero(np.asarray(y) == digit)[:per_digit]
            for k, i in enumerate(idx):
                fig.add_trace(go.Heatmap(z=np.asarray(X[i]).reshape(8, 8)[::-1], zmin=0, zmax=16,
                                         colorscale="Greys", showscale=False,
                                         hoverinfo="skip"), row=r, col=j * per_digit + k + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    theme.ensure_template()
    fig.update_layout(template=theme.TEMPLATE, height=90 * rows + 80, width=90 * cols + 120,
                      title=title or "Digits drawn by each generation's model",
                      xaxis_title="digit samples", yaxis_title="generation")
    return fig


def _check_layout(digits, per_digit, generations):
    """The digits (0–9), images per digit and generations to show, checked."""
    digits = [check_int("digits[]", d, minimum=0, maximum=9) for d in
              check_list("digits", digits, what="a list of digits to show, e.g. (0, 2, 4, 7)")]
    if not digits:
        raise CourseValueError("`digits` is empty: give the digits to show, e.g. (0, 2, 4, 7).")
    per_digit = check_int("per_digit", per_digit, minimum=1, maximum=10)
    generations = [check_int("generations[]", g, minimum=0, maximum=MAX_GENERATIONS) for g in
                   check_list("generations", generations,
                              what="a list of generations to show, e.g. (0, 1, 2, 4)")]
    return digits, per_digit, generations


def variance_figure(runs):
    """Mean per-pixel variance of each generation's model, pure replacement and your choices."""
    import plotly.graph_objects as go

    from ..core import theme

    runs = check_runs(runs, columns=["pixel_variance"], what="the runs from digit_runs(...)")
    fig = theme.figure("The strokes converge: per-pixel variance of the digit models",
                       "generation", "mean per-pixel variance", height=380)
    for colour, (name, run) in zip((theme.PALETTE[7], theme.YOURS), runs.items()):
        fig.add_trace(go.Scatter(x=run.table["generation"], y=run.table["pixel_variance"],
                                 name=name, line=dict(color=colour)))
    fig.update_yaxes(rangemode="tozero")
    return fig
