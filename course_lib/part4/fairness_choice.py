"""Part 4, section 4: why fairness is a choice — one threshold per group, and what each choice costs.

The model of section 2 gives every unseen definition a score (its probability of "approve").
A decision is ``score >= threshold``. :class:`ThresholdExplorer` gives each group of writers its
own threshold slider and redraws, per group, the selection rate, the true- and false-positive
rates and the positive predictive value (PPV: of the approved, the share the reference
approves — "calibration" of the decisions). Because the two groups' base rates differ
(the reference approves 59% of Bierce's definitions and 41% of the hackers'), no setting
makes all of them equal (Chouldechova 2017; Kleinberg, Mullainathan & Raghavan 2016):
:func:`chouldechova_check` shows the identity that forbids it, on the learner's own data.

Examples
--------
>>> from course_lib.part4.tone_labels import choose_items, load_items
>>> from course_lib.part4.your_model import train_and_measure
>>> ref = load_items()["reference"]
>>> report = train_and_measure({i: int(ref[i]) for i in choose_items()})
>>> ex = ThresholdExplorer(report)
>>> ms = ex.set_threshold("hackers (1975-2003)", 0.3)
>>> ex.thresholds["hackers (1975-2003)"]
0.3
"""
from __future__ import annotations

import time
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..core.errors import CourseValueError
from ..core.live_figure import LiveFigure
from ..core.validation import check_frame, check_has, check_number, check_text
from ..widgets.base import ActivityWidget
from ..methods.fairness import (
    _check_scores,
    _rates_on_grid,
    check_binary,
    check_groups,
    chouldechova_fpr,
    rates_at_thresholds,
    tradeoff_table,
)

SHOWN = {"selection_rate": "selection rate", "tpr": "true positive rate",
         "fpr": "false positive rate", "ppv": "PPV (approved that the reference approves)"}


def _scores(report):
    """The reference, the model's scores and the groups of the unseen items (checked)."""
    check_has("report", report, ["test"],
              what="the report from your_model.train_and_measure(decisions)")
    t = check_frame("report.test", report.test, ["reference", "score", "group"],
                    what="the table of the model's unseen items (a ModelReport's .test)")
    y = check_binary("report.test['reference']", t["reference"].to_numpy())
    return y, _check_scores(t["score"].to_numpy(), len(y)), check_groups(t["group"], len(y))


def rates_figure(rates, *, title=None):
    """Per-group bars of selection rate, TPR, FPR and PPV (a table from ``rates_at_thresholds``).

    A rate that is NaN (e.g. the PPV of a group with nothing approved) is left out as a gap.
    """
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("rates", rates, list(SHOWN), what="the table from rates_at_thresholds(...)")
    if title is not None:
        check_text("title", title)
    fig = theme.figure(title or "What one threshold per group does", "measure",
                       "share", height=420)
    for colour, (group, row) in zip(theme.PALETTE, rates.iterrows()):
        fig.add_trace(go.Bar(x=list(SHOWN.values()), y=[row[k] for k in SHOWN], name=group,
                             marker_color=colour,
                             hovertemplate=f"{group}: %{{x}} %{{y:.2f}}<extra></extra>"))
    fig.update_yaxes(range=[0, 1])
    fig.update_layout(barmode="group")
    return fig


def _title(rates):
    def spread(col):
        return float(np.nanmax(rates[col]) - np.nanmin(rates[col]))
    return (f"Gaps · selection {spread('selection_rate'):.2f} · TPR {spread('tpr'):.2f} · "
            f"FPR {spread('fpr'):.2f} · PPV {spread('ppv'):.2f}")


class ThresholdExplorer(ActivityWidget, widgets.VBox):
    """One threshold slider per group of writers; the rates per group redraw as you move them.

    Parameters
    ----------
    report : ModelReport
        From :func:`course_lib.part4.your_model.train_and_measure`.
    activity : Activity, optional
        Where each slider setting is saved (``course.activity("part4.thresholds")``).

    Attributes
    ----------
    thresholds : dict {group: float}
    live : LiveFigure
    timings_ms : list of float
        How long each update took (record + recompute + redraw).

    Notes
    -----
    Sliders call the same code as :meth:`set_threshold`. A course error from a slider moved in
    the page (e.g. a workspace that cannot be written) is shown in the status line
    (:mod:`course_lib.widgets.base`); from code it is raised. :meth:`on_change` listeners hear
    every move.
    """

    EVENTS = ("change",)

    def __init__(self, report, *, activity=None):
        self.report = report
        self.activity = activity
        self.y_true, self.scores, self.groups = _scores(report)
        names = sorted(set(self.groups.tolist()))
        self.thresholds = {g: 0.5 for g in names}
        self.timings_ms = []
        self._quiet = False
        self.sliders = {}
        for g in names:
            s = widgets.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05,
                                    description=g, readout_format=".2f",
                                    style={"description_width": "11em"},
                                    layout=widgets.Layout(width="32em"),
                                    continuous_update=False)
            s.observe(lambda change, g=g: self._from_page(lambda: self._on_slider(g, change)),
                      names="value")
            self.sliders[g] = s
        self._restore()
        rates = self.rates()
        self.live = LiveFigure(rates_figure(rates, title=_title(rates)))
        self.table = widgets.HTML()
        self.status = widgets.HTML()
        self._draw_table(rates)
        super().__init__(children=[widgets.HTML("<b>Threshold per group</b> (approve when the "
                                                "model's score is at least this)"),
                                   *self.sliders.values(), self.status, self.live.widget,
                                   self.table])

    def on_change(self, callback):
        """Call ``callback(thresholds)`` after every slider move, with ``{group: threshold}``."""
        return self._add_listener("change", callback)

    def _restore(self):
        if self.activity is None:
            return
        for item, e in self.activity.current().items():
            if item in self.sliders and isinstance(e.value, (int, float)):
                self.thresholds[item] = float(e.value)
                with self._silenced():
                    self.sliders[item].value = float(e.value)

    @contextmanager
    def _silenced(self):
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def rates(self):
        """The per-group rates at the current thresholds (as :func:`rates_at_thresholds`)."""
        if not hasattr(self, "_by_group"):
            self._by_group = {g: (self.y_true[self.groups == g], self.scores[self.groups == g])
                              for g in pd.unique(self.groups)}
        rows = {}
        for g, (t, s) in self._by_group.items():
            r = _rates_on_grid(t, s, [self.thresholds[g]])
            rows[g] = {"n": len(t), "base_rate": t.mean(), "threshold": self.thresholds[g],
                       "selection_rate": r["selection_rate"][0],
                       "tpr": 1 - r["fnr"][0], **{k: r[k][0] for k in ("fpr", "fnr", "ppv",
                                                                         "accuracy")}}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")

    def set_threshold(self, group, value):
        """Move one group's slider (what dragging it does); returns the update's time in ms."""
        if group not in self.sliders:
            raise CourseValueError(f"Unknown group {group!r}: choose from "
                                   f"{', '.join(repr(g) for g in self.sliders)}.")
        value = check_number("value", value, minimum=0.05, maximum=0.95)
        value = round(value / 0.05) * 0.05
        if abs(self.sliders[group].value - value) < 1e-9:
            return self.update()
        with self._driven_from_code():
            self.sliders[group].value = value  # fires _on_slider, like a drag does
        return self.timings_ms[-1]

    def _on_slider(self, group, change):
        if self._quiet:
            return
        start = time.perf_counter()
        self.thresholds[group] = round(float(change["new"]), 4)
        if self.activity is not None:
            self.activity.record(group, self.thresholds[group], kind="setting")
        self.status.value = ""
        self._redraw(start)
        self._emit("change", dict(self.thresholds))

    def update(self):
        """Recompute and redraw; returns the time it took in ms."""
        return self._redraw(time.perf_counter())

    def _redraw(self, start):
        rates = self.rates()
        with self.live.batch_update() as fig:
            for trace, (_, row) in zip(fig.data, rates.iterrows()):
                trace.y = [row[k] for k in SHOWN]
            fig.layout.title.text = _title(rates)
        self._draw_table(rates)
        self.timings_ms.append((time.perf_counter() - start) * 1000)
        return self.timings_ms[-1]

    def _draw_table(self, rates):
        from ..core.display import table

        cols = ["base_rate", "threshold", "selection_rate", "tpr", "fpr", "fnr", "ppv"]
        rows = [[g] + [("–" if pd.isna(r[c]) else f"{r[c]:.2f}") for c in cols]
                for g, r in rates.iterrows()]
        self.table.value = table(rows, ["group", "reference approves", "threshold",
                                        "selection rate", "TPR", "FPR", "FNR", "PPV"])


def tradeoffs(report):
    """:func:`~course_lib.methods.fairness.tradeoff_table` on the model's scores for the unseen items."""
    y, s, g = _scores(report)
    cols = ["base_rate", "threshold", "selection_rate", "tpr", "fpr", "fnr", "ppv", "accuracy"]
    return tradeoff_table(y, s, g)[cols].round(2)


def chouldechova_check(report, thresholds=0.5):
    """Chouldechova's identity on the learner's data: the FPR each group's base rate, PPV and FNR force.

    Returns
    -------
    pandas.DataFrame
        Per group: ``base_rate``, ``ppv``, ``fnr``, the measured ``fpr`` and
        ``fpr_from_identity`` = p/(1-p)·(1-PPV)/PPV·(1-FNR): the two columns agree exactly.
    """
    y, s, g = _scores(report)
    r = rates_at_thresholds(y, s, g, thresholds)
    r["fpr_from_identity"] = [chouldechova_fpr(row.base_rate, row.ppv, row.fnr)
                              if row.ppv > 0 and not pd.isna(row.ppv) else np.nan
                              for row in r.itertuples()]
    return r[["base_rate", "ppv", "fnr", "fpr", "fpr_from_identity"]].round(3)


def same_ppv_and_fnr(report, ppv=0.8, fnr=0.2):
    """If both groups had the same PPV and FNR, the FPR each would be forced to (its own base rate).

    The base rates are the reference's on the learner's unseen items; PPV and FNR are set
    (default 0.8 and 0.2: a good but imperfect model). Different base rates give different
    forced FPRs, whatever the model.
    """
    ppv = check_number("ppv", ppv, minimum=0, maximum=1, strict_minimum=True)
    fnr = check_number("fnr", fnr, minimum=0, maximum=1)
    y, s, g = _scores(report)
    r = rates_at_thresholds(y, s, g, 0.5)
    return pd.DataFrame({"base_rate": r["base_rate"], "ppv": ppv, "fnr": fnr,
                         "forced_fpr": [chouldechova_fpr(p, ppv, fnr)
                                        for p in r["base_rate"]]}).round(3)
