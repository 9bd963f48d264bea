"""The annotator as a source of bias: position preference, self-agreement, speed over time.

Reward models learn whatever regularities the judgments have, including the judge's own
habits: a lean towards the answer shown first or on the left, answers that change when the
same pair comes back, and judgments that get faster (and sloppier) as a session wears on.

Examples
--------
>>> import pandas as pd
>>> pairs = pd.DataFrame({"choice": ["left", "left", "right", "tie"]})
>>> position_preference(pairs)["share_left"]
0.6666666666666666
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binomtest, spearmanr

from ..core.errors import CourseValueError
from ..core.validation import check_frame, check_int

_PAIRS = "the table from pair_table(...)"


def position_preference(pairs):
    """How often the left-hand answer won, among judgments that picked a side.

    Parameters
    ----------
    pairs : DataFrame
        From :func:`course_lib.methods.judgments.pair_table` (uses ``choice``).

    Returns
    -------
    dict
        ``n_decisive``, ``n_left``, ``share_left`` and ``p_value`` (two-sided binomial test
        of "no lean": left and right equally likely, as the random order makes them).
    """
    check_frame("pairs", pairs, ["choice"], what=_PAIRS)
    decisive = pairs["choice"].isin(["left", "right"])
    n = int(decisive.sum())
    if n == 0:
        raise CourseValueError("No judgment picked a side yet (all ties, skips or can't "
                               "tell), so there is no left/right lean to measure.")
    k = int((pairs.loc[decisive, "choice"] == "left").sum())
    return {"n_decisive": n, "n_left": k, "share_left": k / n,
            "p_value": float(binomtest(k, n, 0.5).pvalue)}


def self_agreement(pairs):
    """Did the learner give the same answer when a pair came back?

    Compares each repeated pair (``repeat`` True) with the first time it was judged, by the
    *answer* chosen (not the side: the sides may have swapped). Ties must match ties.

    Returns
    -------
    DataFrame
        One row per repeat with ``first``, ``again`` and ``agree``; ``.attrs["rate"]`` is
        the share that agree (NaN if there are no usable repeats).
    """
    check_frame("pairs", pairs, ["choice", "repeat", "a", "b", "chosen"], what=_PAIRS)
    answered = pairs[pairs["choice"] != "skip"]
    first = answered[~answered["repeat"]].drop_duplicates(["a", "b"], keep="last")
    first = first.set_index(["a", "b"])["chosen"]
    rows = []
    for _, r in answered[answered["repeat"]].iterrows():
        if (r["a"], r["b"]) in first.index:
            f = first[(r["a"], r["b"])]
            rows.append({"pair": f"{r['a']} vs {r['b']}", "first": f, "again": r["chosen"],
                         "agree": f == r["chosen"]})
    out = pd.DataFrame(rows, columns=["pair", "first", "again", "agree"])
    out.attrs["rate"] = float(out["agree"].mean()) if len(out) else float("nan")
    return out


def speed_over_time(table, *, window=5):
    """Seconds per judgment in the order they were made, with a rolling median.

    Returns a DataFrame (``order``, ``elapsed``, ``rolling_median``); ``.attrs`` holds the
    Spearman correlation of time with order (negative: speeding up) and the ratio of the
    median time in the last third to the first third.
    """
    check_frame("table", table, ["elapsed", "order"], what="a table from pair_table(...) or "
                "rating_table(...)")
    window = check_int("window", window, minimum=1, maximum=10_000)
    t = table.dropna(subset=["elapsed"]).sort_values("order")
    if len(t) < 3:
        raise CourseValueError(f"Speed over time needs at least 3 timed judgments; got {len(t)}.")
    out = pd.DataFrame({"order": np.arange(1, len(t) + 1), "elapsed": t["elapsed"].to_numpy()})
    out["rolling_median"] = out["elapsed"].rolling(window, min_periods=1, center=True).median()
    third = max(1, len(out) // 3)
    out.attrs["spearman"] = float(spearmanr(out["order"], out["elapsed"]).statistic)
    out.attrs["last_over_first"] = float(out["elapsed"].iloc[-third:].median()
                                         / max(out["elapsed"].iloc[:third].median(), 1e-9))
    return out


def speed_figure(speed, *, colour=None, title="Speed over the session"):
    """Seconds per judgment, in order, with the rolling median."""
    import plotly.graph_objects as go

    from ..core import theme
    check_frame("speed", speed, ["order", "elapsed", "rolling_median"],
                what="the table from speed_over_time(...)")
    fig = theme.figure(title, "judgment number (in the order you made them)",
                       "seconds for that judgment")
    colour = colour or theme.YOURS
    fig.add_trace(go.Scatter(x=speed["order"], y=speed["elapsed"], mode="markers",
                             name="one judgment", marker=dict(color=colour, opacity=0.5)))
    fig.add_trace(go.Scatter(x=speed["order"], y=speed["rolling_median"], mode="lines",
                             name="rolling median", line=dict(color=colour, width=3)))
    fig.update_layout(height=320)
    return fig


def bias_summary(pairs):
    """Three plain sentences about the judge's habits: position, consistency, speed."""
    check_frame("pairs", pairs, ["choice", "repeat", "a", "b", "chosen"], what=_PAIRS)
    lines = []
    try:
        pos = position_preference(pairs)
        lean = "left" if pos["share_left"] > 0.5 else "right"
        share = max(pos["share_left"], 1 - pos["share_left"])
        verdict = ("more than chance explains" if pos["p_value"] < 0.05
                   else "within what chance explains")
        lines.append(f"Position: the {lean}-hand answer won {share:.0%} of {pos['n_decisive']} "
                     f"decisive judgments ({verdict}, p = {pos['p_value']:.2f}); the order was "
                     "random, so a fair judge sits near 50%.")
    except CourseValueError as exc:
        lines.append(str(exc))
    agree = self_agreement(pairs)
    if len(agree):
        lines.append(f"Consistency: on {len(agree)} pair(s) shown twice, the same answer won "
                     f"{agree.attrs['rate']:.0%} of the time.")
    else:
        lines.append("Consistency: no pair has been judged twice yet.")
    try:
        speed = speed_over_time(pairs)
        lines.append(f"Speed: the last third of the comparisons took "
                     f"{speed.attrs['last_over_first']:.0%} of the time of the first third.")
    except CourseValueError as exc:
        lines.append(str(exc))
    return lines
