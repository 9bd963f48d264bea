"""Section 1 of part 7: every hour and action the learner saved in parts 0–6, per activity.

Built only from the learner's workspace (:func:`course_lib.methods.ledger.labor_ledger`) and
the course's catalogue of activities: an activity with no saved work is listed with 0 actions,
so the learner sees what the notebooks used a simulated learner for.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.activity("part2.words").record("happy", 3, elapsed=1800.0)
>>> t = ledger_table(ws)
>>> float(t.loc[t["activity"] == "part2.words", "hours"].iloc[0])
0.5
>>> total_hours(t)
0.5
"""
from __future__ import annotations

from ..core.activities import ACTIVITIES, KINDS_OF_WORK
from ..core.validation import check_frame, check_has

#: The columns of :func:`ledger_table`.
COLUMNS = ["part", "activity", "what you did", "kind", "actions", "undone", "hours",
           "sittings", "yours"]
_WS = "your workspace, e.g. course.workspace"


def check_workspace(workspace):
    """``workspace`` if it is a course workspace (something with saved events)."""
    return check_has("workspace", workspace, ["events", "activity", "count"], what=_WS)


def ledger_table(workspace, *, parts=range(7)):
    """One row per activity of parts 0–6: what you did there and how long it took.

    Parameters
    ----------
    workspace : Workspace
        ``course.workspace``.
    parts : iterable of int, default=range(7)
        Which parts' activities to list.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`: ``actions`` (undone work included: it was work too), ``undone``,
        ``hours`` (the sum of the timed actions), ``sittings`` and ``yours`` (True if you saved
        any work there; False means the notebook used a simulated learner).
    """
    import pandas as pd

    from ..core.errors import CourseTypeError
    from ..methods.ledger import labor_ledger

    check_workspace(workspace)
    try:
        wanted = {int(p) for p in parts}
    except (TypeError, ValueError):
        raise CourseTypeError("`parts` must be a list of part numbers, e.g. range(7).") from None
    led = labor_ledger(workspace).set_index("activity")
    rows = []
    for a in ACTIVITIES.values():
        if a.part not in wanted:
            continue
        r = led.loc[a.id] if a.id in led.index else None
        rows.append({"part": a.part, "activity": a.id, "what you did": a.description,
                     "kind": KINDS_OF_WORK[a.kind],
                     "actions": int(r["actions"]) if r is not None else 0,
                     "undone": int(r["undone"]) if r is not None else 0,
                     "hours": float(r["seconds"]) / 3600.0 if r is not None else 0.0,
                     "sittings": int(r["sittings"]) if r is not None else 0,
                     "yours": r is not None and int(r["actions"]) > 0})
    return pd.DataFrame(rows, columns=COLUMNS)


def _check_table(table):
    return check_frame("table", table, ["part", "activity", "hours", "actions", "yours"],
                       what="the table of ledger_table(course.workspace)")


def total_hours(table):
    """The hours of ``table`` (from :func:`ledger_table`) added up."""
    import pandas as pd
    _check_table(table)
    hours = pd.to_numeric(table["hours"], errors="coerce").fillna(0.0)
    return float(hours.clip(lower=0).sum())


def describe(table):
    """One plain paragraph: how much you did yourself, and where the course simulated you."""
    _check_table(table)
    own = table[table["yours"].astype(bool)]
    missing = sorted({int(p) for p in table.loc[~table["yours"].astype(bool), "part"]})
    minutes = total_hours(table) * 60
    if own.empty:
        return ("You have no saved work yet: every part of this report uses a simulated "
                "learner, and says so. Do the activities of parts 0–6 (in this folder) and "
                "re-run this notebook to see your own.")
    text = (f"You saved {int(own['actions'].sum()):,} actions in {len(own)} of "
            f"{len(table)} activities: {minutes:,.1f} minutes of timed work.")
    if missing:
        text += (" Parts with an activity you have not done (the report simulates it there, "
                 f"and says so): {', '.join(map(str, missing))}.")
    return text


def ledger_figure(table):
    """Minutes of your timed work per activity (simulated activities shown as empty)."""
    import plotly.graph_objects as go

    from ..core import theme

    _check_table(table)
    fig = theme.figure("Your labor, activity by activity", "activity", "minutes of timed work")
    colours = [theme.YOURS if y else theme.SIMULATED for y in table["yours"].astype(bool)]
    fig.add_trace(go.Bar(x=list(table["activity"]), y=[h * 60 for h in table["hours"]],
                         marker_color=colours,
                         customdata=[[int(a), "yours" if y else "not done: simulated"]
                                     for a, y in zip(table["actions"], table["yours"])],
                         hovertemplate="%{x}: %{y:.1f} min, %{customdata[0]} actions "
                                       "(%{customdata[1]})<extra></extra>"))
    return fig
