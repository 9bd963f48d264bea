"""Text sources with their data cards, and a training corpus assembled from them.

A *source* is a body of human-written documents with a card saying who wrote it, when and
under which licence. The course offers four:

``"part1.writing"``
    The learner's own texts from the writing activity (or simulated texts, labelled so).
``"jargon_file"``
    The Jargon File 4.4.7: hacker slang written by hundreds of people, 1975–2003.
``"devils_dictionary"``
    Ambrose Bierce's satirical definitions, 1881–1911.
``"python_reference"``
    The prose of the Python Language Reference as shipped inside every Python installation
    (``pydoc_data.topics``, the text behind ``help("if")``), written by Guido van Rossum and
    the Python documentation's contributors. Not shipped: its card is
    ``data/python_reference/card.json`` like the others', and
    :func:`course_lib.core.data.python_reference_card` says when this Python's copy differs.

:func:`assemble` builds a corpus from per-source weights (shares of the training words) and
gives it a card listing who wrote what share under which licence.

Examples
--------
>>> sources = load_sources(["devils_dictionary", "python_reference"])
>>> corpus = assemble(sources, {"devils_dictionary": 3, "python_reference": 1},
...                   total_words=4000, random_state=0)
>>> abs(corpus.shares["devils_dictionary"] - 0.75) < 0.02   # 3 parts of 4
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..core.activities import PART1_WRITING
from ..core.data import DataCard
from ..core.deprecation import renamed_attribute
from ..core.display import HTML, escape
from ..core.errors import CourseTypeError, CourseValueError
from ..core.validation import check_int, check_number, check_random_state
from .tokens import PUNCTUATION, split_sentences

WRITING = PART1_WRITING
SOURCE_NAMES = (WRITING, "jargon_file", "devils_dictionary", "python_reference")
#: Short names for figures and tables.
LABELS = {WRITING: "your writing", "jargon_file": "Jargon File",
          "devils_dictionary": "Devil's Dictionary", "python_reference": "Python reference"}


@dataclass(frozen=True, eq=False)
class Source:
    """One source of human-written documents and its data card.

    Attributes
    ----------
    name : str
        Its name in :data:`SOURCE_NAMES`.
    texts : tuple of str
        The documents.
    card : DataCard
        Who wrote it, how, when, licence, size and labor.
    is_simulated : bool
        True when the texts were written by the course's simulated learner.
    """

    name: str
    texts: tuple
    card: object
    is_simulated: bool = False
    #: Deprecated name of :attr:`is_simulated` (works until the 2027-08 release).
    simulated = renamed_attribute("is_simulated")

    @property
    def label(self):
        """A short name for figures."""
        return LABELS.get(self.name, self.name) + (" (simulated)" if self.is_simulated else "")

    @property
    def word_counts(self):
        """Words in each document (punctuation not counted), as a numpy array."""
        return _word_counts(self.texts)

    @property
    def n_words(self):
        """Words in the whole source."""
        return int(self.word_counts.sum())

    def __repr__(self):
        return f"Source({self.name!r}, {len(self.texts)} documents, {self.n_words:,} words)"

    def _repr_html_(self):
        return self.card._repr_html_()


@lru_cache(maxsize=64)
def _word_counts(texts):
    return np.array([sum(1 for s in split_sentences(t) for tok in s if tok not in PUNCTUATION)
                     for t in texts], dtype=np.int64)


class WritingCard(DataCard):
    """A data card whose labor is minutes of measured writing, not an estimate."""

    def _rows(self):
        minutes = self.person_hours * 60
        measured = (f"{minutes:,.1f} minutes of writing, measured as it was written"
                    + (" (simulated timings)." if "simulated" in self.labor["basis"] else "."))
        return [(k, measured if k == "Human labor" else v) for k, v in super()._rows()]


# -- the sources ----------------------------------------------------------------------------
def _shipped(name):
    from ..core.data import data_card, load_corpus
    return Source(name, tuple(load_corpus(name)), data_card(name))


def _python_reference():
    """The Language Reference prose this Python carries, with the card of this very copy."""
    from ..core.data import PYTHON_REFERENCE, load_corpus, python_reference_card

    return Source(PYTHON_REFERENCE, tuple(load_corpus(PYTHON_REFERENCE)), python_reference_card())


def writing_source(work):
    """The learner's writing as a :class:`Source` with its own data card.

    Parameters
    ----------
    work : Work, list of Event, or list of str
        The writing activity's events (``value={"text": ..., "prompt": ...}``) as returned by
        :func:`course_lib.part1.writing.writing_work`, or plain texts.
    """
    events = getattr(work, "events", work)
    if isinstance(events, (str, bytes, dict)) or not (events is None or hasattr(events, "__iter__")):
        raise CourseTypeError("`work` must be your writing, e.g. writing_work(...), or a list of "
                              f"texts; got {type(work).__name__}.")
    events = list(events) if events is not None else []
    if not events:
        raise CourseValueError("There is no writing to use yet: write in the activity above, "
                               "or pass simulated work from `writing_work(...)`.")
    texts, seconds, simulated = [], 0.0, False
    for e in events:
        if isinstance(e, str):
            texts.append(e)
            continue
        value = getattr(e, "value", None)
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            raise CourseTypeError("Each piece of writing must be an event whose value is "
                                  "{'text': ..., 'prompt': ...} or a plain text; got "
                                  f"{type(e).__name__}.")
        texts.append(value["text"])
        seconds += e.elapsed or 0.0
        simulated = simulated or getattr(e, "simulated", False)
    words = int(_word_counts(tuple(texts)).sum())
    who = ("A simulated learner: short texts the course wrote in place of yours, because "
           "nobody has written in the activity yet." if simulated else "You.")
    hours = seconds / 3600
    card = WritingCard(
        name=WRITING,
        title=f"{'Simulated' if simulated else 'Your'} writing: {len(texts)} short texts",
        made_by=who,
        how="Typed into the writing activity of part 1, one text per prompt, timed as written.",
        when="Today, in this course.",
        licence=("Simulated text written for the course (MIT, like the course's code)."
                 if simulated else "Yours: you hold the copyright. It stays in your workspace "
                 "(my_work/) and is only shared if you submit or export it."),
        source="The course workspace, activity 'part1.writing'.",
        counts={"texts": len(texts), "words": words},
        labor={"person_hours": hours, "low": hours, "high": hours,
               "basis": f"Measured: {seconds:,.0f} seconds of writing"
                        + (" (simulated timings)." if simulated else ".")},
        caveats="A few hundred words from one person: too little to teach a model much alone, "
                "but every word is clearly someone's.",
        why_chosen="Every corpus is somebody's writing. This part of it is yours.")
    return Source(WRITING, tuple(texts), card, is_simulated=simulated)


def load_sources(names=None, *, writing=None):
    """The sources called ``names`` as ``{name: Source}``.

    Parameters
    ----------
    names : list of str, optional
        Any of :data:`SOURCE_NAMES`. Default: all of them (``"part1.writing"`` only if
        ``writing`` is given).
    writing : Work, list of Event or list of str, optional
        The learner's texts, needed for ``"part1.writing"``.
    """
    if names is None:
        names = [n for n in SOURCE_NAMES if n != WRITING or writing is not None]
    if isinstance(names, str):
        names = [names]
    try:
        if isinstance(names, (bytes, dict)):
            raise TypeError
        names = list(names)
    except TypeError:
        raise CourseTypeError("`names` must be a list of source names, e.g. ['jargon_file', "
                              f"'devils_dictionary']; got {type(names).__name__}.") from None
    out = {}
    for name in names:
        out[name] = source(name, writing=writing)
    return out


def source(name, *, writing=None):
    """One :class:`Source` by name (see :data:`SOURCE_NAMES`)."""
    if not isinstance(name, str):
        raise CourseTypeError(f"`name` must be a source name (text), one of "
                              f"{', '.join(repr(n) for n in SOURCE_NAMES)}; got {type(name).__name__}.")
    if name not in SOURCE_NAMES:
        raise CourseValueError(f"Unknown source {name!r}: choose from "
                               f"{', '.join(repr(n) for n in SOURCE_NAMES)}.")
    if name == WRITING:
        if writing is None:
            raise CourseValueError("The source 'part1.writing' needs your texts: pass "
                                   "`writing=` (e.g. the result of writing_work(...)).")
        return writing_source(writing)
    if name == "python_reference":
        return _python_reference()
    return _shipped(name)


# -- assembling a corpus ------------------------------------------------------------------
def check_weights(weights, available):
    """``weights`` normalised to shares summing to 1, with friendly errors."""
    if not isinstance(weights, dict):
        raise CourseTypeError("`weights` must be a dict such as {'jargon_file': 0.7, "
                              f"'devils_dictionary': 0.3}}; got {type(weights).__name__}.")
    if isinstance(available, (str, bytes)) or not hasattr(available, "__iter__"):
        raise CourseTypeError("`available` must be the list of source names; got "
                              f"{type(available).__name__}.")
    available = list(available)
    for name, w in weights.items():
        if name not in available:
            raise CourseValueError(f"Unknown source {name!r} in `weights`: choose from "
                                   f"{', '.join(repr(n) for n in available)}.")
        check_number(f"weights[{name!r}]", w, minimum=0)
    total = float(sum(weights.values()))
    if total <= 0:
        raise CourseValueError("At least one weight must be above 0: a corpus needs some text.")
    return {name: float(weights.get(name, 0.0)) / total for name in available}


@dataclass
class Corpus:
    """A training corpus assembled from sources.

    Attributes
    ----------
    texts : list of str
        The documents, shuffled together.
    origins : list of str
        For each document, the source it came from.
    weights : dict
        The shares of words asked for, per source (summing to 1).
    rows : list of dict
        Per source: words, documents, distinct documents, repeats, share.
    """

    texts: list
    origins: list
    weights: dict
    rows: list = field(default_factory=list)
    sources: dict = field(default_factory=dict, repr=False)

    @property
    def n_words(self):
        """Words in the corpus."""
        return int(sum(r["words"] for r in self.rows))

    @property
    def shares(self):
        """The share of the corpus's words each source actually wrote."""
        total = self.n_words or 1
        return {r["source"]: r["words"] / total for r in self.rows}

    @property
    def card(self):
        """The corpus's data card: who wrote what share, under which licence."""
        return CorpusCard(self)

    def __len__(self):
        return len(self.texts)

    def __repr__(self):
        shares = ", ".join(f"{k}: {v:.0%}" for k, v in self.shares.items())
        return f"Corpus({len(self.texts)} documents, {self.n_words:,} words; {shares})"


def assemble(sources, weights, *, total_words=40_000, random_state=None):
    """Build a training corpus with ``weights`` (shares of words) from ``sources``.

    Each source's documents are taken in a random order until its share of ``total_words``
    is reached (the last one cut at a sentence end); a source too small for its share is
    *repeated* (the card says how often).

    Parameters
    ----------
    sources : dict of {name: Source}
        As returned by :func:`load_sources`.
    weights : dict of {name: float}
        How much of each source to use (any non-negative numbers; they are normalised).
        Sources left out get 0.
    total_words : int, default=40000
        About how many words the corpus holds.
    random_state : int, numpy Generator or None
        Seed for which documents are drawn.

    Returns
    -------
    Corpus
    """
    if not isinstance(sources, dict) or not all(isinstance(s, Source) for s in sources.values()):
        raise CourseTypeError("`sources` must be the dict returned by load_sources(...).")
    shares = check_weights(weights, sources)
    total_words = check_int("total_words", total_words, minimum=1)
    rng = check_random_state(random_state)
    texts, origins, rows = [], [], []
    for name, src in sources.items():
        target = shares[name] * total_words
        counts = src.word_counts
        row = {"source": name, "label": src.label, "words": 0, "documents": 0,
               "distinct_documents": 0, "repeats": 0.0, "share_asked": shares[name]}
        if target > 0 and counts.sum() > 0:
            order = rng.permutation(len(counts))
            cycles = int(np.ceil(target / counts.sum())) + 1
            order = np.concatenate([order] * cycles) if cycles > 1 else order
            cum = np.cumsum(counts[order])
            k = int(np.searchsorted(cum, target - 1e-9)) + 1  # first k documents reach target
            chosen = order[:k]
            picked = [src.texts[i] for i in chosen]
            words = int(cum[k - 1])
            if words - target >= 1:  # trim the last document to whole sentences
                picked[-1], last_words = _first_words(picked[-1], target - (cum[k - 2] if k > 1 else 0))
                words = int(cum[k - 2] if k > 1 else 0) + last_words
            texts.extend(picked)
            origins.extend([name] * k)
            row.update(words=words, documents=k,
                       distinct_documents=int(len(np.unique(chosen))),
                       repeats=float(words / counts.sum()))
        rows.append(row)
    perm = rng.permutation(len(texts))
    return Corpus(texts=[texts[i] for i in perm], origins=[origins[i] for i in perm],
                  weights=shares, rows=rows, sources=sources)


class CorpusCard:
    """The data card of an assembled corpus: one row per source, with licence and labor."""

    def __init__(self, corpus):
        self.corpus = corpus

    def to_frame(self):
        """The card as a pandas DataFrame."""
        import pandas as pd

        shares = self.corpus.shares
        rows = []
        for r in self.corpus.rows:
            src = self.corpus.sources[r["source"]]
            card, src_words = src.card, max(src.n_words, 1)
            used = min(r["words"], src_words)  # distinct words: a repeat is no new labor
            rows.append({
                "source": r["label"], "written by": card.made_by, "licence": card.licence,
                "words in corpus": r["words"], "share": shares[r["source"]],
                "documents": r["documents"], "repeated": r["repeats"],
                "person-hours behind the words used": card.person_hours * used / src_words})
        return pd.DataFrame(rows)

    def _repr_html_(self):
        df = self.to_frame()
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:left;vertical-align:top'>{escape(v)}</td>"
                             for v in (r["source"], r["written by"], r["licence"],
                                       f"{r['words in corpus']:,}", f"{r['share']:.0%}",
                                       _repeat_text(r["repeated"]),
                                       f"{r['person-hours behind the words used']:,.1f}"))
            + "</tr>" for _, r in df.iterrows())
        head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in (
            "source", "written by", "licence", "words", "share", "used", "person-hours"))
        total = (f"{self.corpus.n_words:,} words from {len(df[df['words in corpus'] > 0])} "
                 f"source(s); about {df['person-hours behind the words used'].sum():,.0f} "
                 "person-hours of human writing (estimates from each source's card).")
        return (f"<details open><summary><b>Data card · your assembled corpus</b></summary>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<p>{escape(total)}</p></details>")

    def __str__(self):
        return self.to_frame().to_string()

    def __repr__(self):
        return str(self)


def _first_words(text, n_words):
    """The first sentences of ``text`` that hold at least ``n_words`` words, and their count."""
    from .tokens import detokenize

    kept, words = [], 0
    for sentence in split_sentences(text):
        kept.append(sentence)
        words += sum(1 for t in sentence if t not in PUNCTUATION)
        if words >= n_words:
            break
    return detokenize([t for s in kept for t in s]), words


def _repeat_text(repeats):
    if repeats == 0:
        return "not used"
    if repeats <= 1:
        return f"{repeats:.0%} of it"
    return f"all of it, {repeats:.1f}× over"


def show_cards(sources):
    """All the sources' cards, one after another, as one HTML object."""
    if not isinstance(sources, dict) or not all(hasattr(s, "card") for s in sources.values()):
        raise CourseTypeError("`sources` must be the dict from load_sources(...); got "
                              f"{type(sources).__name__}.")
    return HTML("".join(s.card._repr_html_() for s in sources.values()),
                "\n\n".join(str(s.card) for s in sources.values()))
