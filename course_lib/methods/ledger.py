"""The labor ledger: person-time behind datasets and behind the learner's own work.

>>> round(copies_of_novel(1e12))
3416152
>>> round(typing_hours(1e12, words_per_minute=40) / HOURS_PER_WORK_YEAR)
208333
"""
from __future__ import annotations

from ..core.validation import check_number

#: Words in "A Game of Thrones" (book 1), the essay's yardstick.
NOVEL_WORDS = 292_727
#: Words reported (unconfirmed) for GPT-4's training data, as the essay quotes it.
GPT4_WORDS_REPORTED = 1e12
#: A full-time working year: 50 weeks of 40 hours.
HOURS_PER_WORK_YEAR = 2000.0
HOURS_PER_YEAR = 24 * 365.25


def copies_of_novel(words, novel_words=NOVEL_WORDS):
    """How many copies of a ``novel_words``-long novel make ``words`` words."""
    check_number("words", words, minimum=0)
    return words / check_number("novel_words", novel_words, minimum=0, strict_minimum=True)


def typing_hours(words, *, words_per_minute):
    """Hours to type ``words`` words at ``words_per_minute``, without a break."""
    check_number("words", words, minimum=0)
    wpm = check_number("words_per_minute", words_per_minute, minimum=0, strict_minimum=True)
    return words / wpm / 60.0


def measures_table(words, *, words_per_minute):
    """What typing ``words`` words at ``words_per_minute`` means, in rows a learner can read.

    Returns a list of ``(measure, value)`` pairs.
    """
    hours = typing_hours(words, words_per_minute=words_per_minute)
    return [
        ("words", f"{words:,.0f}"),
        ("copies of a 292,727-word novel", f"{copies_of_novel(words):,.0f}"),
        ("hours of non-stop typing at your speed", f"{hours:,.0f}"),
        ("years of typing day and night", f"{hours / HOURS_PER_YEAR:,.0f}"),
        ("full-time working years (2,000 h each)", f"{hours / HOURS_PER_WORK_YEAR:,.0f}"),
        ("people typing full time for 40-year careers",
         f"{hours / HOURS_PER_WORK_YEAR / 40:,.0f}"),
    ]


def dataset_labor():
    """A pandas DataFrame of every shipped dataset's estimated person-hours (from its card)."""
    import pandas as pd

    from ..core.data import data_card, list_datasets

    rows = []
    for name in list_datasets():
        card = data_card(name)
        rows.append({"dataset": name, "title": card.title, "person_hours": card.person_hours,
                     "low": float(card.labor["low"]), "high": float(card.labor["high"]),
                     "basis": card.labor["basis"]})
    return pd.DataFrame(rows)


def labor_ledger(workspace):
    """The learner's own labor, per activity, from the timings saved in ``workspace``.

    Returns a pandas DataFrame with one row per activity: ``actions`` (everything they did,
    undone work included — it was work too), ``undone``, ``seconds`` (sum of timed actions),
    ``sittings`` (kernel sessions), ``first`` and ``last`` (timestamps).
    """
    import pandas as pd

    from ..core.validation import check_has
    check_has("workspace", workspace, ["events"], what="your workspace, e.g. course.workspace")
    rows = {}
    for e in workspace.events():
        r = rows.setdefault(e.activity, {"activity": e.activity, "actions": 0, "undone": 0,
                                         "seconds": 0.0, "sessions": set(),
                                         "first": e.recorded_at, "last": e.recorded_at})
        if e.kind == "undo":
            r["undone"] += 1
        else:
            r["actions"] += 1
        r["seconds"] += e.elapsed or 0.0
        r["sessions"].add(e.session)
        r["first"] = min(r["first"], e.recorded_at)
        r["last"] = max(r["last"], e.recorded_at)
    out = pd.DataFrame([{**r, "sittings": len(r.pop("sessions"))} for r in rows.values()],
                       columns=["activity", "actions", "undone", "seconds", "sittings",
                                "first", "last"])
    for col in ("first", "last"):
        out[col] = pd.to_datetime(out[col], unit="s")
    return out


def labor_figure(workspace=None):
    """A bar chart (log scale) of person-hours behind each dataset, and the learner's own."""
    import plotly.graph_objects as go

    from ..core import theme

    table = dataset_labor()
    names = list(table["dataset"])
    hours = list(table["person_hours"])
    colours = [theme.PALETTE[0]] * len(names)
    if workspace is not None:
        mine = labor_ledger(workspace)["seconds"].sum() / 3600.0
        names.append("your work so far")
        hours.append(max(mine, 1e-3))
        colours.append(theme.YOURS)
    fig = theme.figure("Person-hours of human work behind the course's data",
                       "dataset", "person-hours (log scale)")
    err = [h - lo for h, lo in zip(table["person_hours"], table["low"])]
    err_hi = [hi - h for h, hi in zip(table["person_hours"], table["high"])]
    if workspace is not None:
        err.append(0)
        err_hi.append(0)
    fig.add_trace(go.Bar(x=names, y=hours, marker_color=colours,
                         error_y=dict(type="data", symmetric=False, array=err_hi, arrayminus=err),
                         hovertemplate="%{x}: %{y:,.1f} person-hours<extra></extra>"))
    fig.update_yaxes(type="log")
    return fig


def show_measures(words, *, words_per_minute):
    """:func:`measures_table` as an HTML table for the notebook."""
    from ..core.display import HTML, table

    rows = measures_table(words, words_per_minute=words_per_minute)
    return HTML(table(rows, ["measure", "value"]), text="\n".join(f"{k}: {v}" for k, v in rows))


def typing_years_figure(words, *, words_per_minute, label="your speed"):
    """Full-time working years to type ``words`` words, against typing speed, with the learner marked."""
    import numpy as np
    import plotly.graph_objects as go

    from ..core import theme

    wpm = check_number("words_per_minute", words_per_minute, minimum=0, strict_minimum=True)
    from ..core.validation import check_text
    check_text("label", label)
    speeds = np.linspace(10, 120, 111)
    years = [typing_hours(words, words_per_minute=s) / HOURS_PER_WORK_YEAR for s in speeds]
    mine = typing_hours(words, words_per_minute=wpm) / HOURS_PER_WORK_YEAR
    fig = theme.figure(f"Working years to type {words:,.0f} words",
                       "typing speed (words a minute)", "full-time working years")
    fig.add_trace(go.Scatter(x=speeds, y=years, mode="lines", name="any typist",
                             hovertemplate="%{x:.0f} wpm: %{y:,.0f} years<extra></extra>"))
    fig.add_trace(go.Scatter(x=[wpm], y=[mine], mode="markers+text", name=label,
                             marker=dict(size=14, color=theme.YOURS),
                             text=[f"{label}: {mine:,.0f} years"], textposition="top right"))
    return theme.log_y_axis(fig, years)


def show_ledger(workspace):
    """:func:`labor_ledger` for the notebook, with a plain sentence when there is nothing yet."""
    from ..core.display import HTML, notice

    table = labor_ledger(workspace)
    if table.empty:
        msg = ("No saved work yet: the activities above used a simulated learner. Do one and "
               "re-run this cell to see your own ledger.")
        return HTML(notice(msg, kind="simulated"), text=msg)
    total = table["seconds"].sum()
    msg = (f"{int(table['actions'].sum())} actions in {len(table)} activit"
           f"{'y' if len(table) == 1 else 'ies'}, {total / 60:.1f} minutes of timed work.")
    return HTML(notice(msg, kind="own") + table.to_html(index=False, escape=True),
                text=msg + "\n" + table.to_string(index=False))
