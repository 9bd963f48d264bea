"""Part 6, section 2: drift — a spam filter deployed on senders who learn to evade it.

Glue between the notebook and :mod:`course_lib.methods.drift`: the weekly simulation for the
three retraining strategies, its figure next to the closed form ``c₀(1 − evasion)^t``, and a
look at what the senders changed.

Examples
--------
>>> table = drift_table(n_weeks=3)
>>> sorted(table.columns)[:3]
['accuracy', 'false_positive_rate', 'recall']
"""
from __future__ import annotations

import pandas as pd

from ..core.errors import CourseTypeError
from ..core.session import COURSE_SEED
from ..core.validation import check_frame, check_int, check_random_state
from ..methods.drift import STRATEGIES, SpamWorld, frozen_recall, simulate_drift

EVASION = 0.3
N_WEEKS = 10
LABELS = {"frozen": "never retrained", "own decisions": "retrained on its own decisions",
          "fresh labels": "retrained on fresh labels from people"}


def drift_table(*, n_weeks=N_WEEKS, evasion=EVASION, random_state=COURSE_SEED):
    """Each strategy, week by week: share of spam caught, share of good mail blocked, accuracy."""
    return simulate_drift(n_weeks=n_weeks, evasion=evasion, random_state=random_state)


def drift_figure(table, *, evasion=EVASION):
    """Share of spam caught per week, for each strategy, with the closed form for the frozen one."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["week", "strategy", "recall"], what="the table drift_table() returns")
    fig = theme.figure("A spam filter in a world that reacts to it", "week after deployment",
                       "share of spam caught")
    colours = dict(zip(STRATEGIES, (theme.PALETTE[5], theme.PALETTE[3], theme.PALETTE[2])))
    for s in [s for s in STRATEGIES if s in set(table["strategy"])]:
        t = table[table["strategy"] == s]
        fig.add_trace(go.Scatter(x=t["week"], y=t["recall"], mode="lines+markers",
                                 name=LABELS[s], line={"color": colours[s]}))
    frozen = table[table["strategy"] == table["strategy"].iloc[0]]
    c0 = float(frozen["recall"].iloc[0])
    weeks = sorted(set(table["week"]))
    fig.add_trace(go.Scatter(x=weeks, y=frozen_recall(c0, evasion, weeks), mode="lines",
                             name=f"closed form c₀(1 − {evasion:g})ᵗ",
                             line={"color": theme.PALETTE[7], "dash": "dot"}))
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    return fig


def weekly_summary(table):
    """The table in wide form: share of spam caught, one column per strategy, one row per week."""
    check_frame("table", table, ["week", "strategy", "recall"], what="the table drift_table() returns")
    wide = table.pivot(index="week", columns="strategy", values="recall")
    return wide[[s for s in STRATEGIES if s in wide.columns]].rename(columns=LABELS)


def what_senders_changed(*, n_weeks=6, evasion=EVASION, random_state=COURSE_SEED):
    """One campaign's spam words week by week, while a frozen filter watches (a small table)."""
    from ..methods.drift import make_filter

    n_weeks = check_int("n_weeks", n_weeks, minimum=1, maximum=30)
    rng = check_random_state(random_state)
    world = SpamWorld(evasion=evasion, random_state=rng)
    texts, labels = world.mail(random_state=rng)
    model = make_filter().fit(texts, labels)
    rows = []
    for week in range(n_weeks + 1):
        if week:
            texts, labels = world.mail(random_state=rng)
        pred = model.predict(texts)
        for c in range(3):
            rows.append({"week": week, "campaign": c + 1,
                         "its spam words": " ".join(world.campaign_words(c)),
                         "caught": f"{pred[world.last_campaigns_ == c].mean():.0%}"})
        world.react(pred, random_state=rng)
    out = pd.DataFrame(rows)
    return out.pivot(index="week", columns="campaign", values="its spam words").rename(
        columns=lambda c: f"campaign {c}")


def check_prediction(prediction, table):
    """Compare the learner's predicted curve with the frozen filter's measured one."""
    if isinstance(prediction, (str, bytes, dict)) or not hasattr(prediction, "__len__"):
        raise CourseTypeError("`prediction` must be a list of shares, one per week.")
    wide = weekly_summary(table)
    measured = wide[LABELS["frozen"]].tolist()
    n = min(len(prediction), len(measured))
    return pd.DataFrame({"week": range(n), "your prediction": list(prediction)[:n],
                         "measured": measured[:n]})
