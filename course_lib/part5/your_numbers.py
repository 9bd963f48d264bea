"""Part 5, section 1: a Gaussian fitted to the learner's own numbers, refitted on its own samples.

The learner's part-2 ratings (−4..+4) are numbers a person produced. A normal distribution is
fitted to them, samples as many numbers, and the next one is fitted to the samples. The
variance is expected to shrink by (n − 1)/n per generation (maximum likelihood), and a
*typical* chain shrinks faster still: its median falls about as e^(−2t/n). With the unbiased
estimator the average stays put while the typical chain still collapses, as e^(−t/(n−1))
(Shumailov et al., Nature 2024).

Examples
--------
>>> chains = average_and_typical([0.0, 1.0, 2.0, 3.0, 4.0], generations=5, n_chains=200)
>>> list(chains.columns)[:3]
['generation', 'estimator', 'mean']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.session import COURSE_SEED
from ..core.validation import check_frame
from ..methods.collapse import (
    expected_variance,
    gaussian_chains,
    median_variance,
    tail_mass,
)
from .learner_data import _numbers


def average_and_typical(numbers, *, generations=60, n_chains=4000, random_state=COURSE_SEED):
    """Many chains started from a Gaussian fitted to ``numbers``: mean and median variance per generation.

    Returns
    -------
    pandas.DataFrame
        ``generation, estimator ("maximum likelihood" / "unbiased"), mean, median,
        expected_mean, expected_median, tail`` (the median chain's P(|x − μ₀| > 2σ₀)), all
        variances as shares of the starting one.
    """
    x = _numbers(numbers)
    n = len(x)
    rows = []
    for ddof, name in ((0, "maximum likelihood"), (1, "unbiased")):
        v = gaussian_chains(n=n, generations=generations, n_chains=n_chains, ddof=ddof,
                            random_state=random_state)
        for t in range(generations + 1):
            med = float(np.median(v[t]))
            rows.append({"generation": t, "estimator": name, "mean": float(v[t].mean()),
                         "median": med,
                         "expected_mean": expected_variance(1.0, n=n, generations=t, ddof=ddof),
                         "expected_median": median_variance(1.0, n=n, generations=t, ddof=ddof),
                         "tail": tail_mass(0.0, med, width=2.0)})
    return pd.DataFrame(rows)


def average_typical_figure(table, *, n):
    """The average model looks fine, the typical model collapses: mean and median variance."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["generation", "estimator", "mean", "median"],
                what="the table from average_and_typical(...)")
    fig = theme.figure(f"The average chain and the typical chain (n = {n} numbers per generation)",
                       "generation", "variance (share of generation 0)", height=440)
    for colour, (name, t) in zip(theme.PALETTE, table.groupby("estimator", sort=False)):
        fig.add_trace(go.Scatter(x=t["generation"], y=t["mean"], name=f"{name}: mean",
                                 line=dict(color=colour)))
        fig.add_trace(go.Scatter(x=t["generation"], y=t["median"], name=f"{name}: median",
                                 line=dict(color=colour, dash="dash")))
        fig.add_trace(go.Scatter(x=t["generation"], y=t["expected_median"], showlegend=False,
                                 name=f"{name}: formula for the median", mode="lines",
                                 line=dict(color=colour, dash="dot", width=1)))
    fig.update_yaxes(rangemode="tozero")
    return fig


def tails_figure(table):
    """How often the typical model still produces a number beyond 2σ₀ of the start."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["generation", "estimator", "tail"],
                what="the table from average_and_typical(...)")
    fig = theme.figure("The tails go first: P(|x − μ₀| > 2σ₀) under the typical model",
                       "generation", "share of samples beyond 2σ₀", height=380)
    for colour, (name, t) in zip(theme.PALETTE, table.groupby("estimator", sort=False)):
        fig.add_trace(go.Scatter(x=t["generation"], y=t["tail"], name=name,
                                 line=dict(color=colour)))
    fig.update_yaxes(tickformat=".1%", rangemode="tozero")
    return fig


def describe(table, *, n, generations=None):
    """Two sentences with the numbers of :func:`average_and_typical`."""
    check_frame("table", table, ["generation", "estimator", "mean", "median"],
                what="the table from average_and_typical(...)")
    last = table[table["generation"] == (generations or table["generation"].max())]
    mle = last[last["estimator"] == "maximum likelihood"].iloc[0]
    unb = last[last["estimator"] == "unbiased"].iloc[0]
    t = int(mle["generation"])
    return (f"After {t} generations of {n} numbers: with maximum likelihood the average "
            f"variance is {mle['mean']:.0%} of the start (formula {mle['expected_mean']:.0%}) "
            f"and the typical one {mle['median']:.0%} (≈ e^(−2t/n) = "
            f"{mle['expected_median']:.0%}). With the unbiased estimator the average stays at "
            f"{unb['mean']:.0%} while the typical chain is down to {unb['median']:.0%}.")
