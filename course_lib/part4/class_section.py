"""Part 4's share of the class report: the class as moderators, and its private answers.

* :func:`agreement` — the approve/reject decisions, items × students (nominal), for the
  class's agreement;
* :func:`class_sections` — the class's approval rate by the hidden group of writers next to
  the VADER reference, with fairlearn's gaps of the pooled decisions; and the class's
  randomized-response estimate (Warner 1965) from the optional question.

Plain functions over a :class:`~course_lib.core.class_pool.ClassPool`; read by
:mod:`course_lib.grading.class_report`. Students' saved work is untrusted: only 0/1 decisions
on part-4 items and "yes"/"no" answers are used.
"""
from __future__ import annotations

import pandas as pd

from ..core.activities import PART4_SURVEY, PART4_TONE
from ..core.class_pool import check_pool


def decisions(pool):
    """``(items × students table of 0/1 or NaN, invalid answers skipped)``."""
    check_pool(pool)
    from ..core.class_pool import ratings
    from .tone_labels import load_items

    return pool.cached((PART4_TONE, "decisions"), lambda: ratings(
        pool, PART4_TONE, 0, 1, valid_items=set(load_items().index)))


def agreement(pool):
    """The class's approve/reject decisions, for the agreement section."""
    check_pool(pool)
    from ..core.class_pool import AgreementTable

    t, invalid = decisions(pool)
    return [AgreementTable(PART4_TONE, "approve/reject of definitions (part 4)", "nominal", t,
                           invalid)]


def by_group(pool):
    """Approval rates by hidden group: the class's pooled decisions and the reference."""
    check_pool(pool)
    from ..methods.fairness import fairness_gaps
    from .tone_labels import load_items

    t, _ = decisions(pool)
    cols = ["group", "decisions", "class approves", "reference approves"]
    if t.empty:
        return pd.DataFrame(columns=cols), None
    items = load_items()
    long = t.stack().dropna().rename("decision").reset_index()
    long = long.join(items[["group", "reference"]], on="item")
    table_ = long.groupby("group").agg(decisions=("decision", "size"),
                                       **{"class approves": ("decision", "mean")},
                                       **{"reference approves": ("reference", "mean")})
    gaps = None
    if long["group"].nunique() == 2:
        gaps = fairness_gaps(long["reference"].astype(int), long["decision"].astype(int),
                             long["group"])
    return table_.reset_index()[cols], gaps


def survey(pool):
    """The randomized-response estimate from the class's answers, or None without answers."""
    check_pool(pool)
    from ..methods.randomized_response import RandomizedResponse
    from .private_survey import P_TRUTH, QUESTION_ID

    cur = pool.current(PART4_SURVEY)
    answers = [v for i, v in zip(cur["item"], cur["value"])
               if i == QUESTION_ID and v in ("yes", "no")]
    if not answers:
        return None
    rr = RandomizedResponse(p_truth=P_TRUTH).fit(answers)
    lo, hi = rr.interval()
    return {"n": len(answers), "yes": answers.count("yes"), "estimate": rr.proportion_,
            "low": lo, "high": hi}


def class_sections(pool):
    """Part 4's section: the class's approvals by hidden group, and its private answers."""
    check_pool(pool)
    import plotly.graph_objects as go

    from ..core import theme
    from ..core.class_pool import Section, escape, html, table

    t, gaps = by_group(pool)
    fig = theme.figure("What the class approved, by who wrote it",
                       "writers (hidden while labelling)", "share approved")
    if len(t):
        fig.add_trace(go.Bar(x=[escape(g) for g in t["group"]], y=t["reference approves"],
                             name="reference (VADER raters)", marker_color=theme.PALETTE[7]))
        fig.add_trace(go.Bar(x=[escape(g) for g in t["group"]], y=t["class approves"],
                             name="the class", marker_color=theme.PALETTE[0]))
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    parts = [fig, table(t, floats=2)]
    if gaps is not None:
        parts.append(html(f"<p>fairlearn on the pooled decisions: demographic parity "
                          f"difference {gaps['demographic_parity_difference']:.2f}, equalized "
                          f"odds difference {gaps['equalized_odds_difference']:.2f}.</p>"))
    s = survey(pool)
    if s is not None:
        parts.append(html(f"<p>The optional question, answered by randomized response: "
                          f"{s['yes']} of {s['n']} said yes, so about {s['estimate']:.0%} "
                          f"(95% interval {s['low']:.0%}–{s['high']:.0%}) would truly answer "
                          "yes. No single answer says anything about its writer.</p>"))
    intro = ("Each student approved or rejected 40 definitions without being told who wrote "
             "them (Bierce or the Jargon File's hackers). Pooled, the class's approval rates "
             "by group next to the VADER reference show the lean of the class as a panel of "
             "moderators.")
    return [Section("bias", "The class as moderators (part 4)", intro, parts,
                    tables={"bias_by_group": t})]
