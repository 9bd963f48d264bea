"""Part 6's share of the class report: how alike the class's assisted texts are.

* ``TEXT_ACTIVITIES`` — the part's texts go into the class's own corpus and the labor ledger;
* :func:`homogenisation` — per round (no suggestions, n-gram model, tuned model): how many
  texts, the share of their words taken from suggestions, distinct-2 over the round's texts and
  the mean pairwise ROUGE-L between different students' texts *on the same prompt* (Padmakumar &
  He 2023's homogenisation), pooled over prompts;
* :func:`class_sections` — that table and its figure, plus how often the class took the
  suggestions it was shown.

Students' saved work is untrusted: only text values of the three rounds are used, and
suggestion events with a known outcome.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from ..core.activities import PART6_SUGGESTIONS, PART6_WRITING
from ..core.class_pool import check_pool

TEXT_ACTIVITIES = {PART6_WRITING: "writing with and without suggestions (part 6)"}
_ROUNDS = ("none", "base", "tuned")
_LABELS = {"none": "no suggestions", "base": "n-gram model", "tuned": "tuned model (low β)"}
#: At most this many texts per round and prompt are compared pairwise (a very large class).
MAX_PER_CELL = 400


def texts(pool):
    """The class's texts: ``student, condition, prompt, text, share_from_suggestions``."""
    check_pool(pool)
    cur = pool.current(PART6_WRITING)
    rows = []
    for student, item, value in zip(cur["student"], cur["item"], cur["value"]):
        if item not in _ROUNDS or not isinstance(value, dict):
            continue
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        share = value.get("share_from_suggestions", 0.0)
        share = float(share) if isinstance(share, (int, float)) and not isinstance(share, bool) \
            and 0 <= share <= 1 else np.nan
        prompt = value.get("prompt")
        rows.append({"student": student, "condition": item,
                     "prompt": prompt if isinstance(prompt, str) else "?", "text": text[:20_000],
                     "share_from_suggestions": 0.0 if item == "none" else share})
    return pd.DataFrame(rows, columns=["student", "condition", "prompt", "text",
                                       "share_from_suggestions"])


def homogenisation(pool):
    """Per round: texts, students, share from suggestions, distinct-2 and mean pairwise ROUGE-L."""
    check_pool(pool)
    from ..methods.homogenisation import distinct_n, rouge_l

    t = pool.cached((PART6_WRITING, "texts"), lambda: texts(pool))
    rows = []
    for c in _ROUNDS:
        group = t[t["condition"] == c]
        scores = []
        for _, cell in group.groupby("prompt"):
            body = list(cell["text"])[:MAX_PER_CELL]
            scores += [rouge_l(a, b) for a, b in itertools.combinations(body, 2)]
        rows.append({"round": _LABELS[c], "texts": len(group),
                     "share from suggestions": group["share_from_suggestions"].mean()
                     if len(group) else np.nan,
                     "distinct-2": distinct_n(list(group["text"]), 2) if len(group) else np.nan,
                     "mean pairwise ROUGE-L (same prompt)": float(np.mean(scores))
                     if scores else np.nan, "pairs": len(scores)})
    return pd.DataFrame(rows)


def suggestions(pool):
    """How the class treated the suggestions: shown, taken, share taken, per model."""
    check_pool(pool)
    cur = pool.current(PART6_SUGGESTIONS)
    rows = []
    for c in ("base", "tuned"):
        outcomes = [v.get("outcome") for v in cur["value"]
                    if isinstance(v, dict) and v.get("model") == c]
        outcomes = [o for o in outcomes if o in ("shown", "accepted", "ignored")]
        taken = outcomes.count("accepted")
        rows.append({"model": _LABELS[c], "suggestions": len(outcomes), "taken": taken,
                     "share taken": taken / len(outcomes) if outcomes else np.nan})
    return pd.DataFrame(rows)


def class_sections(pool):
    """Part 6's section: how alike the class's texts are, with and without suggestions."""
    check_pool(pool)
    import plotly.graph_objects as go

    from ..core import theme
    from ..core.class_pool import Section, html, table

    h = homogenisation(pool)
    s = suggestions(pool)
    fig = theme.figure("How alike the class's texts are", "round",
                       "mean pairwise ROUGE-L (same prompt)")
    fig.add_trace(go.Bar(x=list(h["round"]), y=h["mean pairwise ROUGE-L (same prompt)"],
                         name="the class", marker_color=theme.PALETTE[0]))
    parts = [fig, table(h, floats=3), table(s, floats=2)]
    if h["texts"].sum() == 0:
        parts.insert(0, html("<p>No part-6 texts were submitted.</p>"))
    intro = ("Each student wrote three short texts: without suggestions, with the n-gram "
             "model's suggestions and with its tuned (low-β) version's. Homogenisation is the "
             "mean ROUGE-L between different students' texts on the same prompt (Padmakumar & "
             "He 2023); distinct-2 is the share of word pairs that are not repeated. If the "
             "tuned model's row is the most alike, the class reproduced their finding.")
    return [Section("homogenisation", "Writing with suggestions (part 6)", intro, parts,
                    tables={"homogenisation": h, "suggestion_use": s})]
