"""Part 5, section 5: what fresh human data costs, in the learner's own hours.

Keeping a model near human data means writing (or labelling) fresh data every generation. At
the learner's own pace (their writing speed in parts 0–1, their seconds per digit label in
part 2) this prices the fresh share of each generation, for their corpus and for a corpus the
size of a real model's.

Examples
--------
>>> t = fresh_cost_table(words_per_generation=5000, words_per_minute=20.0,
...                      fresh_shares=[0.1], corpus_words=[1e12])
>>> round(float(t.loc[0, "hours_your_corpus"]), 2)      # 500 words at 20 a minute
0.42
"""
from __future__ import annotations

import pandas as pd

from ..core.validation import check_list, check_number
from ..methods.collapse import check_fraction
from ..methods.ledger import HOURS_PER_WORK_YEAR, typing_hours

#: Words a real model's corpus holds (Llama 3: about 15 trillion tokens, ≈ 11 trillion words at
#: 0.75 words per token; Meta, "The Llama 3 Herd of Models", 2024).
REAL_CORPUS_WORDS = 15e12 * 0.75


def fresh_cost_table(*, words_per_generation, words_per_minute, fresh_shares=(0.1, 0.2, 0.5),
                     corpus_words=(REAL_CORPUS_WORDS,)):
    """Hours (and working years) of writing the fresh share of one generation takes.

    Returns
    -------
    pandas.DataFrame
        ``fresh_share, words_your_corpus, hours_your_corpus`` and, per size in
        ``corpus_words``, ``working_years_<size>`` (2,000 working hours a year).
    """
    w = check_number("words_per_generation", words_per_generation, minimum=1)
    wpm = check_number("words_per_minute", words_per_minute, minimum=0, strict_minimum=True)
    shares = [check_fraction("fresh_shares[]", f) for f in
              check_list("fresh_shares", fresh_shares, what="a list of shares")]
    sizes = [check_number("corpus_words[]", c, minimum=1) for c in
             check_list("corpus_words", corpus_words, what="a list of corpus sizes")]
    rows = []
    for f in shares:
        row = {"fresh_share": f, "words_your_corpus": f * w,
               "hours_your_corpus": typing_hours(f * w, words_per_minute=wpm)}
        for c in sizes:
            row[f"working_years_{c:.0e}_words"] = typing_hours(f * c, words_per_minute=wpm) \
                / HOURS_PER_WORK_YEAR
        rows.append(row)
    return pd.DataFrame(rows)


def describe_cost(table, *, words_per_minute, pace_source, digits_seconds=None):
    """Plain sentences for the cost table."""
    from ..core.validation import check_frame
    table = check_frame("table", table, ["fresh_share", "hours_your_corpus"],
                        what="the table from fresh_cost_table(...)")
    big = [c for c in table.columns if c.startswith("working_years_")]
    lines = [f"At {words_per_minute:.0f} words a minute ({pace_source}):"]
    for _, r in table.iterrows():
        line = (f"keeping {r['fresh_share']:.0%} fresh human text costs "
                f"{r['hours_your_corpus']:.1f} hours of writing per generation of your corpus")
        if big:
            line += (f", and {r[big[0]]:,.0f} working years per generation of a corpus the "
                     "size of a large model's")
        lines.append(line + ".")
    if digits_seconds is not None:
        s = check_number("digits_seconds", digits_seconds, minimum=0)
        lines.append(f"For the digits: at your {s:.1f} s a label, 10% fresh labels for "
                     f"ImageNet's 1.28 million images are {0.1 * 1_281_167 * s / 3600:,.0f} "
                     "hours of labelling per generation.")
    return "\n".join(lines)
