"""Section 3 of part 7: pricing the learner's hours at a wage they set, next to real datasets.

The wage is the learner's (:class:`WageSetter`, saved in ``part7.wage``). The only reference
figures are ones with a source a learner can check (:data:`REFERENCE_WAGES`); they are US
dollars of their year, not adjusted for inflation or for where the learner lives — the
notebook asks the learner to look up a local wage. The datasets' person-hours are the
estimates in the course's own data cards (``data/<name>/card.json``), ranges included.

Examples
--------
>>> t = value_table(2.0, 10.0, currency="EUR")
>>> float(t.loc[t["what"] == "your course work", "value"].iloc[0])
20.0
"""
from __future__ import annotations

from dataclasses import dataclass

from ..core.activities import PART7_WAGE
from ..core.display import escape
from ..core.errors import CourseValueError
from ..core.validation import check_has, check_number, check_text
from ..widgets.base import ActivityPanel

ACTIVITY = PART7_WAGE
#: The item the wage is saved under.
ITEM = "wage"
#: Highest wage the widget accepts (per hour).
MAX_WAGE = 10_000.0
#: Longest currency name.
MAX_CURRENCY = 12

#: Hourly pay of real data work, each with its source (US dollars of its year).
REFERENCE_WAGES = (
    {"what": "median hourly earnings of Amazon Mechanical Turk workers (2,676 workers, "
             "3.8 million tasks recorded)", "usd_per_hour": 2.0,
     "source": "Hara et al., 'A Data-Driven Analysis of Workers' Earnings on Amazon Mechanical "
               "Turk', CHI 2018 (\"a median hourly wage of only ~$2/h\")",
     "url": "https://doi.org/10.1145/3173574.3174023"},
    {"what": "take-home pay of the Kenyan workers (employed by Sama) who labelled toxic text "
             "for OpenAI", "usd_per_hour": 2.0, "low": 1.32,
     "source": "Billy Perrigo, 'Exclusive: OpenAI Used Kenyan Workers on Less Than $2 Per "
               "Hour to Make ChatGPT Less Toxic', TIME, 18 January 2023 (\"between around "
               "$1.32 and $2 per hour\")",
     "url": "https://time.com/6247678/openai-chatgpt-kenya-workers/"},
    {"what": "US federal minimum wage (unchanged since 2009)", "usd_per_hour": 7.25,
     "source": "US Department of Labor, Fair Labor Standards Act; also the bar Hara et al. "
               "(2018) measure against: 4% of the workers earned more",
     "url": "https://www.dol.gov/agencies/whd/minimum-wage"},
)


@dataclass(frozen=True)
class Wage:
    """The wage the report uses: ``per_hour`` in ``currency``; ``is_own`` is False when the
    learner has set none and a sourced reference is used instead (``message`` says so)."""

    per_hour: float
    currency: str
    is_own: bool
    message: str

    @property
    def is_simulated(self):
        """True when the wage is not the learner's own choice."""
        return not self.is_own


def check_wage(per_hour):
    """``per_hour`` as a float: a number of money units an hour, 0 to :data:`MAX_WAGE`."""
    return float(check_number("per_hour", per_hour, minimum=0, maximum=MAX_WAGE))


def check_currency(currency):
    """``currency`` stripped: a short name such as 'EUR' or '€' (may be empty)."""
    currency = check_text("currency", currency, allow_empty=True).strip()
    if len(currency) > MAX_CURRENCY:
        raise CourseValueError(f"`currency` must be a short name such as 'EUR' or '€' (at most "
                               f"{MAX_CURRENCY} characters); got {len(currency)} characters.")
    return currency


def saved_wage(activity):
    """The learner's saved wage, or the US federal minimum wage (a sourced reference) if none."""
    check_has("activity", activity, ["current"], what="course.activity('part7.wage')")
    e = activity.current().get(ITEM)
    v = getattr(e, "value", None)
    if isinstance(v, dict) and isinstance(v.get("per_hour"), (int, float)) \
            and not isinstance(v.get("per_hour"), bool) and 0 <= v["per_hour"] <= MAX_WAGE:
        cur = v.get("currency") if isinstance(v.get("currency"), str) else ""
        cur = cur.strip()[:MAX_CURRENCY]
        return Wage(float(v["per_hour"]), cur, True,
                    f"Using your wage: {float(v['per_hour']):,.2f} {cur} an hour.".replace(
                        "  ", " "))
    ref = REFERENCE_WAGES[-1]
    return Wage(ref["usd_per_hour"], "USD", False,
                "You have not set a wage, so a reference is used in its place, not a choice of "
                f"yours: the {ref['what']}, ${ref['usd_per_hour']:.2f}. Set a local wage above "
                "and re-run this cell.")


class WageSetter(ActivityPanel):
    """A number box for an hourly wage and a short currency name, saved with one button.

    The button calls :meth:`set_wage`, which code and tests call too; a course error from the
    page is shown in the status line (:mod:`course_lib.widgets.base`).
    """

    EVENTS = ("save",)

    def __init__(self, activity):
        import ipywidgets as widgets

        self.activity = check_has("activity", activity, ["current", "record"],
                                  what="course.activity('part7.wage')")
        saved = saved_wage(activity)
        self.wage = widgets.BoundedFloatText(value=saved.per_hour if saved.is_own else 0.0,
                                             min=0.0, max=MAX_WAGE, step=0.5,
                                             description="per hour")
        self.wage.add_class("course-wage-value")
        self.currency = widgets.Text(value=saved.currency if saved.is_own else "",
                                     placeholder="e.g. EUR, £, USD", description="currency")
        self.currency.add_class("course-wage-currency")
        self.save_button = widgets.Button(description="Save my wage", icon="check")
        self.save_button.add_class("course-wage-save")
        self.save_button.on_click(lambda _b: self._from_page(
            lambda: self.set_wage(self.wage.value, self.currency.value)))
        self.status = widgets.HTML()
        self.status.add_class("course-wage-status")
        self.widget = widgets.VBox([widgets.HBox([self.wage, self.currency, self.save_button]),
                                    self.status])
        self.status.value = (f"<span>Saved: {escape(saved.per_hour)} {escape(saved.currency)} "
                             "an hour.</span>" if saved.is_own else
                             "<span>No wage saved yet: type one and press Save.</span>")

    def on_save(self, callback):
        """Call ``callback(event)`` after the wage is saved."""
        return self._add_listener("save", callback)

    def set_wage(self, per_hour, currency=""):
        """Save ``per_hour`` (0 to :data:`MAX_WAGE`) in ``currency``; returns the event."""
        per_hour = check_wage(per_hour)
        currency = check_currency(currency)
        event = self.activity.record(ITEM, {"per_hour": per_hour, "currency": currency},
                                     kind="setting")
        self.wage.value, self.currency.value = per_hour, currency
        self.status.value = (f"<span>Saved: {escape(f'{per_hour:,.2f}')} {escape(currency)} an "
                             "hour. Re-run the cells below to price your work at it.</span>")
        self._emit("save", event)
        return event


def value_table(hours, per_hour, *, currency=""):
    """Your hours and each course dataset's person-hours, priced at ``per_hour``.

    Returns
    -------
    pandas.DataFrame
        ``what, person_hours, low, high, value, value_low, value_high, basis`` — one row for
        your course work, then one per dataset card (its range from the card).
    """
    import pandas as pd

    from ..methods.ledger import dataset_labor

    hours = float(check_number("hours", hours, minimum=0, maximum=1e9))
    per_hour = check_wage(per_hour)
    currency = check_currency(currency)
    rows = [{"what": "your course work", "person_hours": hours, "low": hours, "high": hours,
             "basis": "your ledger: the sum of your timed actions"}]
    for r in dataset_labor().itertuples():
        rows.append({"what": r.title, "person_hours": float(r.person_hours),
                     "low": float(r.low), "high": float(r.high), "basis": r.basis})
    t = pd.DataFrame(rows)
    for col, src in (("value", "person_hours"), ("value_low", "low"), ("value_high", "high")):
        t[col] = t[src] * per_hour
    t.attrs["currency"] = currency
    return t[["what", "person_hours", "low", "high", "value", "value_low", "value_high",
              "basis"]]


def reference_table(hours):
    """What your ``hours`` would have earned at each of :data:`REFERENCE_WAGES`, with sources."""
    import pandas as pd
    hours = float(check_number("hours", hours, minimum=0, maximum=1e9))
    return pd.DataFrame([{"pay": r["what"], "US$ an hour": r["usd_per_hour"],
                          "your hours would earn (US$)": round(hours * r["usd_per_hour"], 2),
                          "source": r["source"], "link": r["url"]} for r in REFERENCE_WAGES])


def value_figure(table, *, currency=None):
    """The value of your work and of each dataset's (log scale), at one wage, ranges as bars."""
    import plotly.graph_objects as go

    from ..core import theme
    from ..core.validation import check_frame

    check_frame("table", table, ["what", "value", "value_low", "value_high"],
                what="what value_table(...) returns")
    currency = check_currency(currency if currency is not None
                              else table.attrs.get("currency", ""))
    unit = currency or "money units"
    fig = theme.figure("What the work is worth at one wage", "whose work",
                       f"value at the wage ({unit}, log scale)")
    mine = [w == "your course work" for w in table["what"]]
    vals = [max(float(v), 1e-2) for v in table["value"]]
    fig.add_trace(go.Bar(
        x=list(table["what"]), y=vals,
        marker_color=[theme.YOURS if m else theme.PALETTE[0] for m in mine],
        error_y=dict(type="data", symmetric=False,
                     array=[max(float(h) - float(v), 0) for h, v in
                            zip(table["value_high"], table["value"])],
                     arrayminus=[max(float(v) - float(lo), 0) for v, lo in
                                 zip(table["value"], table["value_low"])]),
        hovertemplate="%{x}: %{y:,.2f} " + escape(unit) + "<extra></extra>"))
    fig.update_yaxes(type="log")
    return fig
