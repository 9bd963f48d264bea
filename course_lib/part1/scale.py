"""How many person-hours of writing sit behind a corpus, at the learner's own writing speed.

The arithmetic is the labor ledger's (:mod:`course_lib.methods.ledger`): hours = words ÷ (words a
minute × 60). What this module adds is the list of real training corpora, each with where
its size comes from and how sure anyone is of it.

Sizes of real corpora are mostly given in *tokens* (pieces of words). The course turns tokens
into words with the common rule of thumb for English text, about 0.75 words per token
(OpenAI's tokenizer help page: "one token generally corresponds to ~4 characters of text …
roughly ¾ of a word"); treat every converted figure as a rough size, not a count.

Examples
--------
>>> table = scale_table(40_000, words_per_minute=20)
>>> round(float(table.loc[table["corpus"] == "your assembled corpus", "person_hours"].iloc[0]), 2)
33.33
"""
from __future__ import annotations

from ..core.validation import check_number
from ..methods.ledger import GPT4_WORDS_REPORTED, HOURS_PER_WORK_YEAR, copies_of_novel, typing_hours

WORDS_PER_TOKEN = 0.75

#: Real training corpora: size, unit, how sure, and where the number comes from.
REAL_CORPORA = (
    {"corpus": "GPT-3 (OpenAI, 2020)", "amount": 300e9, "unit": "tokens",
     "status": "published",
     "source": "Brown et al. (2020), 'Language Models are Few-Shot Learners', section 2.2 and "
               "Table 2.2: 300 billion tokens seen in training (some sources more than once)."},
    {"corpus": "Chinchilla (DeepMind, 2022)", "amount": 1.4e12, "unit": "tokens",
     "status": "published",
     "source": "Hoffmann et al. (2022), 'Training Compute-Optimal Large Language Models': "
               "1.4 trillion training tokens."},
    {"corpus": "GPT-4 (OpenAI, 2023)", "amount": GPT4_WORDS_REPORTED, "unit": "words",
     "status": "unconfirmed report",
     "source": "Not published: the GPT-4 Technical Report (OpenAI 2023) gives no data size. "
               "About 1 trillion words is a press report quoted in Kirmer's essay; treat it "
               "as a rumour of the right order of magnitude, not a fact."},
    {"corpus": "Llama 2 (Meta, 2023)", "amount": 2e12, "unit": "tokens",
     "status": "published",
     "source": "Touvron et al. (2023), 'Llama 2: Open Foundation and Fine-Tuned Chat Models', "
               "section 2.1: 2 trillion tokens of pretraining data."},
    {"corpus": "Llama 3 (Meta, 2024)", "amount": 15.6e12, "unit": "tokens",
     "status": "published",
     "source": "Llama Team, AI @ Meta (2024), 'The Llama 3 Herd of Models': about 15.6 "
               "trillion multilingual tokens."},
)


def corpus_words(entry):
    """Words in a :data:`REAL_CORPORA` entry (tokens converted at :data:`WORDS_PER_TOKEN`)."""
    from ..core.validation import check_mapping
    check_mapping("entry", entry, what="an entry of REAL_CORPORA")
    if not all(k in entry for k in ("amount", "unit")):
        from ..core.errors import CourseValueError
        raise CourseValueError("`entry` must be an entry of REAL_CORPORA (with 'amount' and "
                               "'unit').")
    check_number("entry['amount']", entry["amount"], minimum=0)
    return entry["amount"] * (WORDS_PER_TOKEN if entry["unit"] == "tokens" else 1.0)


def scale_table(words, *, words_per_minute, name="your assembled corpus", extra=None):
    """Person-hours behind ``words`` and behind real corpora, at ``words_per_minute``.

    Parameters
    ----------
    words : int
        Words in the learner's corpus.
    words_per_minute : float
        The learner's measured writing speed.
    name : str
        What to call the learner's corpus.
    extra : list of (name, words), optional
        More rows (e.g. each source of the corpus).

    Returns
    -------
    pandas.DataFrame
        Columns ``corpus``, ``words``, ``person_hours``, ``working_years`` (2,000 h each),
        ``novels`` (copies of a 292,727-word novel), ``status`` and ``source``.
    """
    import pandas as pd

    check_number("words", words, minimum=0)
    wpm = check_number("words_per_minute", words_per_minute, minimum=0, strict_minimum=True)
    from ..core.validation import check_list, check_text
    check_text("name", name)
    extra = check_list("extra", extra if extra is not None else [],
                       what="a list of (label, words) pairs")
    for i, pair in enumerate(extra):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            from ..core.errors import CourseTypeError
            raise CourseTypeError(f"`extra[{i}]` must be a pair (label, words); got {pair!r:.60}.")
        check_text(f"extra[{i}][0]", pair[0]), check_number(f"extra[{i}][1]", pair[1], minimum=0)
    rows = [{"corpus": name, "words": float(words), "status": "measured",
             "source": "the corpus you assembled in this notebook"}]
    for label, n in extra or []:
        rows.append({"corpus": label, "words": float(n), "status": "measured",
                     "source": "counted by the course"})
    for entry in REAL_CORPORA:
        rows.append({"corpus": entry["corpus"], "words": corpus_words(entry),
                     "status": entry["status"] + (" (tokens × 0.75)" if entry["unit"] == "tokens"
                                                  else ""),
                     "source": entry["source"]})
    df = pd.DataFrame(rows)
    df["person_hours"] = [typing_hours(w, words_per_minute=wpm) for w in df["words"]]
    df["working_years"] = df["person_hours"] / HOURS_PER_WORK_YEAR
    df["novels"] = [copies_of_novel(w) for w in df["words"]]
    return df[["corpus", "words", "person_hours", "working_years", "novels", "status", "source"]]


def scale_figure(table, *, words_per_minute):
    """A log-scale bar chart of the person-hours in ``table`` (from :func:`scale_table`)."""
    import plotly.graph_objects as go

    from ..core.theme import PALETTE, figure

    from ..core.validation import check_frame
    check_frame("table", table, ["person_hours", "corpus", "status", "working_years"],
                what="the table from scale_table(...)")
    words_per_minute = check_number("words_per_minute", words_per_minute, minimum=0,
                                    strict_minimum=True)
    fig = figure(f"Person-hours of writing at your speed ({words_per_minute:.0f} words a minute)",
                 "person-hours (log scale)", "corpus", xaxis_type="log", height=380)
    colours = [PALETTE[2] if s == "measured" else PALETTE[3] if "unconfirmed" in s
               else PALETTE[0] for s in table["status"]]
    fig.add_trace(go.Bar(x=table["person_hours"], y=table["corpus"], orientation="h",
                         marker_color=colours, customdata=table[["status", "working_years"]],
                         hovertemplate="%{y}: %{x:,.0f} h (%{customdata[1]:,.0f} working years)"
                                       "<br>%{customdata[0]}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return fig


def show_scale(table):
    """``table`` (from :func:`scale_table`) as readable HTML, every cell escaped."""
    from ..core.display import HTML
    from ..core.display import table as html_table
    from ..core.validation import check_frame
    check_frame("table", table, ["corpus", "words", "person_hours", "working_years", "status",
                                 "source"], what="the table from scale_table(...)")

    def num(x):
        return f"{x:,.0f}" if x >= 10 else f"{x:.2g}"

    rows = [(r.corpus, f"{r.words:,.0f}", num(r.person_hours), num(r.working_years),
             r.status, r.source) for r in table.itertuples()]
    return HTML(html_table(rows, ["corpus", "words", "person-hours at your speed",
                                  "working years (2,000 h)", "how sure", "where the number comes from"]),
                table.to_string())
