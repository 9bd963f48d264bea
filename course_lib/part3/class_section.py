"""Part 3's share of the class report: the class's judgments and reward models.

* :func:`agreement` — the pass/fail verdicts and the pairwise choices (nominal), items ×
  students, for the class's agreement;
* :func:`class_sections` — each student's Bradley–Terry reward model: which features their
  choices rewarded, how close it is to the hidden gold reward, their position bias.

Plain functions over a :class:`~course_lib.core.class_pool.ClassPool` (the checked events of
the class); read by :mod:`course_lib.grading.class_report`.
"""
from __future__ import annotations

import pandas as pd

from ..core.activities import PART3_PAIRWISE, PART3_PASSFAIL
from ..core.class_pool import AgreementTable, Section, categorical, check_pool, escape, html, table


def _outputs(pool):
    from ..methods.toy_assistant import ToyAssistant
    return pool.cached("part3.outputs", lambda: set(ToyAssistant().outputs.index))


def chosen(item, value, outputs):
    """The output a pairwise judgment chose, if the judgment is well-formed, else None."""
    from ..methods.judgments import parse_pair_item

    try:
        a, b, _ = parse_pair_item(item)
    except (ValueError, TypeError):
        return None
    if not isinstance(value, dict) or not {a, b} <= outputs:
        return None
    c = value.get("chosen")
    return c if isinstance(c, str) and c in (a, b) else None


def agreement(pool):
    """The class's pass/fail verdicts and pairwise choices, for the agreement section."""
    check_pool(pool)
    outputs = _outputs(pool)
    passfail, bad_pf = categorical(
        pool, PART3_PASSFAIL,
        lambda item, v: v if item in outputs and v in ("pass", "fail") else None)
    pairwise, bad_pw = categorical(pool, PART3_PAIRWISE,
                                   lambda item, v: chosen(item, v, outputs))
    return [AgreementTable(PART3_PASSFAIL, "pass/fail of answers (part 3)", "nominal",
                           passfail, bad_pf),
            AgreementTable(PART3_PAIRWISE, "which answer is better (part 3)", "nominal",
                           pairwise, bad_pw)]


def _usable(kind, item, value, known):
    """True if one pairwise event is a judgment :func:`~course_lib.methods.judgments.pair_table`
    reads, of two outputs in ``known``."""
    from ..methods.judgments import parse_pair_item

    try:
        a, b, _ = parse_pair_item(item)
    except (ValueError, TypeError):
        return False
    v = value if isinstance(value, dict) else {}
    left, right, c = v.get("left", a), v.get("right", b), v.get("chosen")
    if not (isinstance(left, str) and isinstance(right, str) and left in known
            and right in known):
        return False
    return kind == "skip" or c is None or (isinstance(c, str)
                                           and c in ("tie", "cant_tell", left, right))


def preferences(pool):
    """Each student's Bradley–Terry reward model on the outputs' features (one row each)."""
    check_pool(pool)
    from threadpoolctl import threadpool_limits

    from ..methods.toy_assistant import ToyAssistant

    model = ToyAssistant()
    feats = model.features()
    scale = feats.std().replace(0, 1.0)
    z = (feats - feats.mean()) / scale
    gold = model.gold_reward.reset_index(drop=True)
    rows = []
    # one small fit per student: BLAS threads only get in each other's way (12x slower on a
    # busy 2-core machine); one thread gives the same fits
    with threadpool_limits(1):
        for student, frame in pool.current(PART3_PAIRWISE).groupby("student", sort=True):
            row = _reward_model(frame, z, gold)
            if row is not None:
                rows.append({"student": pool.name(student), **row})
    return pd.DataFrame(rows)


def _reward_model(frame, z, gold):
    """One student's reward model from their pairwise events, or None if too few are usable."""
    from sklearn.linear_model import LogisticRegression

    from ..core.workspace import Event
    from ..methods.judgments import pair_table
    from ..methods.toy_assistant import FEATURES

    known = set(z.index)
    good = [Event(activity=PART3_PAIRWISE, kind=r.kind, item=str(r.item), value=r.value)
            for r in frame.itertuples() if _usable(r.kind, r.item, r.value, known)]
    if not good:  # judgments of known outputs only; the rest skipped, one by one
        return None
    t = pair_table(good)
    t = t[t["choice"].isin(["left", "right"])]
    if len(t) < 4 or t["outcome"].nunique() < 2:
        return None
    x = z.loc[t["left"]].to_numpy() - z.loc[t["right"]].to_numpy()
    fit = LogisticRegression(C=1.0).fit(x, t["outcome"].to_numpy())
    reward = z.to_numpy() @ fit.coef_[0]
    return {"judgments": len(t), "chose left": float((t["choice"] == "left").mean()),
            "position bias (logit)": float(fit.intercept_[0]),
            **{f"weight: {f}": float(w) for f, w in zip(FEATURES, fit.coef_[0])},
            "reward vs gold (Spearman)": float(pd.Series(reward).corr(gold, method="spearman"))}


def class_sections(pool):
    """Part 3's own section: the class's preferences and reward models."""
    check_pool(pool)
    import plotly.graph_objects as go

    from ..core import theme

    p = preferences(pool)
    title = "The class's preferences and reward models"
    intro = ("Each student's pairwise choices from part 3 fit a Bradley–Terry reward model on "
             "the answers' surface features. Every dot is one student: what their reward "
             "learned to like (> 0) or dislike (< 0). 'Reward vs gold' says how well their "
             "reward ranks answers by the hidden true helpfulness.")
    if p.empty:
        return [Section("preferences", title, intro,
                        [html("<p>No usable part 3 judgments in the submissions.</p>")],
                        tables={"preferences": p})]
    fig = theme.figure("What each student's reward model learned", "feature",
                       "weight (standardised features)")
    weights = [c for c in p.columns if c.startswith("weight: ")]
    for c in weights + ["position bias (logit)"]:
        fig.add_trace(go.Box(y=p[c], name=c.replace("weight: ", ""), boxpoints="all",
                             text=[escape(s) for s in p["student"]],
                             marker_color=theme.PALETTE[0], showlegend=False))
    fig2 = theme.figure("How close each student's reward is to the gold reward",
                        "Spearman correlation with gold", "students")
    fig2.add_trace(go.Histogram(x=p["reward vs gold (Spearman)"], nbinsx=12,
                                marker_color=theme.PALETTE[2]))
    return [Section("preferences", title, intro, [fig, fig2, table(p, floats=2)],
                    tables={"preferences": p})]
