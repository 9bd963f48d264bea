"""Part 7's section of the class report: the class as a workforce.

Every student's measured hours (a histogram: a plot people look at, not a table of names) and
the class's total priced at the sourced reference wages of :data:`course_lib.part7.valuing.
REFERENCE_WAGES` — what the class's labor would have been paid as crowd work. Students who
withdrew their work (part 7's consent) are not in the pool at all. No student's own wage or
name is shown.
"""
from __future__ import annotations

from ..core.class_pool import check_pool, seconds


def workforce(pool):
    """One row per student in the pool: ``student`` (as the report names them), ``hours``."""
    import pandas as pd

    check_pool(pool)
    ev = pool.events
    if ev.empty:
        return pd.DataFrame(columns=["student", "hours"])
    secs = ev["elapsed"].map(seconds).astype(float).fillna(0.0)
    hours = secs.groupby(ev["student"]).sum() / 3600.0
    return pd.DataFrame({"student": [pool.name(s) for s in hours.index],
                         "hours": hours.to_numpy()})


def priced(total_hours):
    """The class's ``total_hours`` at each reference wage (US$ of the source's year)."""
    import pandas as pd

    from ..core.validation import check_number
    from .valuing import REFERENCE_WAGES

    total_hours = float(check_number("total_hours", total_hours, minimum=0, maximum=1e9))
    return pd.DataFrame([{"pay": r["what"], "US$ an hour": r["usd_per_hour"],
                          "the class's hours would earn (US$)": round(total_hours
                                                                      * r["usd_per_hour"], 2),
                          "source": r["source"]} for r in REFERENCE_WAGES])


def class_sections(pool):
    """Part 7's section: each student's measured hours, and the class total at real wages."""
    import plotly.graph_objects as go

    from ..core import theme
    from ..core.class_pool import Section, html, table

    check_pool(pool)
    w = workforce(pool)
    total = float(w["hours"].sum()) if len(w) else 0.0
    fig = theme.figure("The class as a workforce: measured hours per student",
                       "measured hours of one student", "students")
    fig.add_trace(go.Histogram(x=w["hours"], nbinsx=20, marker_color=theme.PALETTE[0],
                               hovertemplate="%{x} h: %{y} students<extra></extra>"))
    prices = priced(total)
    text = (f"<p>{len(w)} students gave {total:,.1f} measured hours ({total / 2000:.2f} "
            "full-time working years of 2,000 h): a lower bound, since reading and thinking "
            "between actions are not timed.</p>")
    intro = ("The class is a labelling and writing workforce, like the annotators the course is "
             "about. Its measured hours, and what they would have been paid at the wages "
             "reported for real data work (sources in the table).")
    return [Section("workforce", "The class as a workforce (part 7)", intro,
                    [fig, html(text), table(prices)], tables={"workforce": w, "priced": prices})]
