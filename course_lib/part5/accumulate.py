"""Part 5, section 2b: what the published results say about replace, accumulate and fresh data.

* Linear regression retrained on its own labels (Gerstgrasser et al. 2024): replacing the data
  makes the test error grow linearly, t·σ²d/(T−d−1); accumulating it keeps the error below
  (π²/6)·σ²d/(T−d−1).
* A Gaussian refitted with a share of fresh human data each generation stays near the original
  (Bertrand et al. 2024; Alemohammad et al. 2024, "without enough fresh real data").

Examples
--------
>>> t = regression_curves(generations=3, n_repeats=20)
>>> sorted(t["mode"].unique())
['accumulate', 'replace']
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import check_frame, check_list
from ..methods.collapse import check_fraction, gaussian_chains, regression_collapse
from .learner_data import _numbers

#: The most shares of fresh data :func:`fresh_curves` compares in one figure.
MAX_SHARES = 10


def regression_curves(*, d=10, T=50, generations=10, n_repeats=300, random_state=COURSE_SEED):
    """Both regimes of :func:`~course_lib.methods.collapse.regression_collapse`, with their formulas."""
    return pd.concat([regression_collapse(d=d, T=T, generations=generations, mode=m,
                                          n_repeats=n_repeats, random_state=random_state
                                          ).assign(mode=m) for m in ("replace", "accumulate")],
                     ignore_index=True)


def regression_figure(table, *, d=10, T=50):
    """Test error per generation, simulated (with ±2 standard errors) against the closed forms."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["generation", "test_error", "sem", "formula", "mode"],
                what="the table from regression_curves(...)")
    fig = theme.figure("Linear regression on its own labels: replace grows, accumulate stays bounded",
                       "generation", "test error", height=420)
    for colour, (mode, t) in zip(theme.PALETTE, table.groupby("mode", sort=False)):
        fig.add_trace(go.Scatter(x=t["generation"], y=t["test_error"], name=f"{mode} (simulated)",
                                 mode="markers", marker=dict(color=colour),
                                 error_y=dict(array=2 * t["sem"])))
        fig.add_trace(go.Scatter(x=t["generation"], y=t["formula"], name=f"{mode} (formula)",
                                 line=dict(color=colour, dash="dot")))
    bound = math.pi ** 2 / 6 * d / (T - d - 1)
    fig.add_hline(y=bound, line=dict(color=theme.PALETTE[7], dash="dash"),
                  annotation_text="(π²/6)·σ²d/(T−d−1)")
    return fig


def fresh_curves(numbers, *, shares=(0.0, 0.1, 0.2, 0.5), generations=100, n_chains=2000,
                 random_state=COURSE_SEED):
    """Median variance of Gaussian chains on ``len(numbers)`` samples, per share of fresh data."""
    x = _numbers(numbers)
    shares = [check_fraction("shares[]", s) for s in check_list("shares", shares,
                                                                   what="a list of shares")]
    if not 1 <= len(shares) <= MAX_SHARES:
        raise CourseValueError(f"`shares` must be 1 to {MAX_SHARES} shares of fresh data, e.g. "
                               f"(0.0, 0.1, 0.5); got {len(shares)}.")
    rows = []
    for s in shares:
        v = gaussian_chains(n=len(x), generations=generations, n_chains=n_chains, fresh=s,
                            random_state=random_state)
        rows += [{"fresh": s, "generation": t, "median": float(np.median(v[t]))}
                 for t in range(generations + 1)]
    return pd.DataFrame(rows)


def fresh_figure(table):
    """The typical chain's variance for each share of fresh human data."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["fresh", "generation", "median"],
                what="the table from fresh_curves(...)")
    fig = theme.figure("Fresh human data holds the model near the original",
                       "generation", "typical variance (share of generation 0)", height=400)
    for colour, (s, t) in zip(theme.PALETTE, table.groupby("fresh")):
        fig.add_trace(go.Scatter(x=t["generation"], y=t["median"], name=f"{s:.0%} fresh",
                                 line=dict(color=colour)))
    fig.update_yaxes(rangemode="tozero")
    return fig
