"""Part 2's share of the class report: the class as annotators of words and digits.

* :func:`agreement` — the sentiment of words (-4 to +4, interval) and the digits (0-9,
  nominal), items × students, for the class's agreement;
* :func:`class_sections` — the words the class disagrees about most, next to VADER's ten
  original raters.

Plain functions over a :class:`~course_lib.core.class_pool.ClassPool` (the checked events of
the class); read by :mod:`course_lib.grading.class_report`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.activities import PART2_DIGITS, PART2_WORDS
from ..core.class_pool import AgreementTable, Section, check_pool, escape, ratings, table


def _vader():
    from ..core.data import load_vader

    vader = load_vader().groupby("token")
    return pd.DataFrame({"vader_mean": vader["mean"].mean(),
                         "vader_sd": vader["ratings"].agg(
                             lambda r: float(np.std(np.concatenate(list(r)), ddof=1)))})


def word_ratings(pool):
    """``(words × students ratings, invalid answers skipped, VADER's mean and sd per word)``."""
    check_pool(pool)
    def make():
        vader = _vader()
        t, invalid = ratings(pool, PART2_WORDS, -4, 4, valid_items=set(vader.index))
        return t, invalid, vader
    return pool.cached((PART2_WORDS, "ratings"), make)


def agreement(pool):
    """The class's word ratings and digit labels, for the agreement section."""
    check_pool(pool)
    from ..core.data import load_digits

    words, invalid_words, _ = word_ratings(pool)
    n_images = len(load_digits().target)
    digits, invalid_digits = ratings(pool, PART2_DIGITS, 0, 9,
                                     valid_items={str(i) for i in range(n_images)})
    return [AgreementTable(PART2_WORDS, "sentiment of words (part 2)", "interval", words,
                           invalid_words),
            AgreementTable(PART2_DIGITS, "handwritten digits (part 2)", "nominal", digits,
                           invalid_digits)]


def disputed(pool):
    """The ``pool.top_words`` words whose class ratings spread most, with VADER's."""
    check_pool(pool)
    t, _, vader = word_ratings(pool)
    cols = ["word", "ratings", "class mean", "class sd", "VADER mean", "VADER sd"]
    if t.empty:
        return pd.DataFrame(columns=cols)
    stats = pd.DataFrame({"ratings": t.notna().sum(axis=1), "class mean": t.mean(axis=1),
                          "class sd": t.std(axis=1, ddof=1)})
    stats = stats[stats["ratings"] >= 2].join(vader, how="left")
    stats = stats.sort_values(["class sd", "ratings"], ascending=False).head(pool.top_words)
    return stats.reset_index(names="word").rename(
        columns={"vader_mean": "VADER mean", "vader_sd": "VADER sd"})[cols]


def class_sections(pool):
    """Part 2's own section: the most-disputed words."""
    check_pool(pool)
    import plotly.graph_objects as go

    from ..core import theme

    d = disputed(pool)
    t, _, _ = word_ratings(pool)
    fig = theme.figure("The words the class disagrees about most", "rating (-4 to +4)",
                       "word")
    for word in d["word"]:
        vals = t.loc[word].dropna()
        label = escape(word)
        fig.add_trace(go.Box(x=vals, y=[label] * len(vals), name=label, boxpoints="all",
                             orientation="h", marker_color=theme.PALETTE[0],
                             showlegend=False))
    if len(d):
        fig.add_trace(go.Scatter(x=d["VADER mean"], y=[escape(w) for w in d["word"]],
                                 mode="markers", name="VADER's 10 raters (mean)",
                                 marker={"symbol": "diamond", "size": 11,
                                         "color": theme.PALETTE[3]}))
    fig.update_layout(height=max(350, 28 * len(d) + 150))
    intro = ("Sorted by the spread (standard deviation) of the class's ratings. The diamond "
             "is the mean of VADER's ten original raters: where the class splits, the "
             "original annotators often did too.")
    return [Section("disputed", "Most-disputed words", intro, [fig, table(d, floats=2)],
                    tables={"disputed": d})]
