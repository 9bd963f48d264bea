"""Part 5's share of the class report: the class's pooled writing, collapsing, and what holds it.

The class's texts (part 1's writing, part 0's first sentences) are pooled into one corpus. Its
words are resampled generation after generation (a unigram model retrained on its own output,
:class:`~course_lib.methods.collapse.WordResampler`): under pure replacement the distinct words
fall; with a share of fresh class writing each generation they hold. Cheap (numpy only), so the
report stays fast for a large class. Students' texts are untrusted: only strings are used, and
nothing of them is shown.
"""
from __future__ import annotations

import pandas as pd

from ..core.activities import PART0_FIRST_SENTENCE, PART1_WRITING
from ..core.class_pool import check_pool

SHARES = (0.0, 0.1, 0.3)
GENERATIONS = 10
#: At most this many of the class's words are resampled (a large class stays fast).
MAX_WORDS = 50_000


def class_words(pool):
    """Every word of the class's pooled writing (at most :data:`MAX_WORDS`)."""
    check_pool(pool)
    from ..methods.collapse_text import words_of

    texts = []
    for act in (PART1_WRITING, PART0_FIRST_SENTENCE):
        cur = pool.current(act)
        for v in cur["value"] if len(cur) else []:
            text = v.get("text") if isinstance(v, dict) else v
            if isinstance(text, str):
                texts.append(text[:20_000])
    return words_of(texts)[:MAX_WORDS]


def collapse_table(pool, *, random_state=0):
    """Distinct words of the class corpus per generation, for each share of fresh class writing."""
    check_pool(pool)
    from ..methods.collapse import WordResampler, retrain, schedule

    words = class_words(pool)
    cols = ["generation", "fresh", "types", "share_of_start"]
    if len(words) < 2:
        return pd.DataFrame(columns=cols)
    rows = []
    for s in SHARES:
        run = retrain(WordResampler(), words, schedule(GENERATIONS, "replace", s),
                      n_samples=len(words), measure=lambda m, d: {"types": len(m.counts_)},
                      random_state=random_state)
        t = run.table
        rows.append(pd.DataFrame({"generation": t["generation"], "fresh": s,
                                  "types": t["types"],
                                  "share_of_start": t["types"] / t["types"].iloc[0]}))
    return pd.concat(rows, ignore_index=True)[cols]


def class_sections(pool):
    """Part 5's section: the class corpus retrained on itself, with and without fresh writing."""
    check_pool(pool)
    import plotly.graph_objects as go

    from ..core import theme
    from ..core.class_pool import Section, html

    t = collapse_table(pool)
    fig = theme.figure("The class's writing, resampled generation after generation",
                       "generation", "distinct words (share of the class's own)")
    for colour, (s, g) in zip(theme.PALETTE, t.groupby("fresh")):
        fig.add_trace(go.Scatter(x=g["generation"], y=g["share_of_start"],
                                 name=f"{s:.0%} fresh class writing", line=dict(color=colour)))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    parts = [fig]
    if len(t):
        end = t[t["generation"] == t["generation"].max()].set_index("fresh")["share_of_start"]
        parts.append(html("<p>After " + str(GENERATIONS) + " generations the class corpus keeps "
                          + ", ".join(f"{end[s]:.0%} of its distinct words with {s:.0%} fresh "
                                      "writing" for s in end.index) + ".</p>"))
    intro = ("The class's own writing (parts 0 and 1), pooled and resampled as a model retrained "
             "on its own output: how many distinct words survive, and how much fresh writing "
             "from the class each generation holds them.")
    return [Section("collapse", "The class corpus collapsing (part 5)", intro, parts,
                    tables={"collapse": t})]
