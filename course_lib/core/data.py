"""The course's shipped datasets: loaders that check checksums and never touch the network.

Each dataset has a folder in ``data/`` with a ``card.json``: who made it, how and when, the
licence, counts, checksums and an estimate of the human labor in it.

One dataset is not shipped: ``python_reference``, the prose of the Python Language Reference
that every Python carries (``pydoc_data.topics``). Its card records the Python whose text it
describes and a checksum of the prose extracted from it; :func:`python_reference_card` is the
card of the copy this Python actually holds, and says so when that copy differs.

>>> sorted(list_datasets())
['devils_dictionary', 'digits', 'glossary_tone', 'jargon_file', 'python_reference', 'vader_lexicon']
>>> data_card("vader_lexicon").counts["raters_per_entry"]
10
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .display import escape
from .errors import CourseTypeError, DataError
from .validation import check_choice, check_number

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PYTHON_REFERENCE = "python_reference"
TEXT_CORPORA = ("jargon_file", "devils_dictionary", PYTHON_REFERENCE)
#: The key of the Python reference's checksum in its card's ``files``: it is no file of ours.
PYTHON_REFERENCE_TEXT = "pydoc_data.topics"
#: Composing polished reference prose runs at about 250 words an hour (the cards' central basis).
COMPOSING_WORDS_PER_HOUR = 250.0


def _hours_text(hours):
    """``1,234 person-hours``, ``2.5 person-hours`` or ``12 person-minutes``: small amounts
    of work (a learner's own) are not rounded away to 0."""
    hours = float(hours)
    if hours >= 10 or hours == 0:
        return f"{hours:,.0f} person-hours"
    if hours >= 1:
        return f"{hours:.1f} person-hours"
    minutes = hours * 60
    return "under a person-minute" if minutes < 1 else f"{minutes:.0f} person-minutes"


@dataclass(frozen=True)
class DataCard:
    """Who made a dataset, how, when, under which licence, and how much work is in it."""

    name: str
    title: str
    made_by: str
    how: str
    when: str
    licence: str
    source: str
    counts: dict
    labor: dict
    files: dict = field(default_factory=dict)
    citation: str = ""
    format: str = ""
    caveats: str = ""
    why_chosen: str = ""

    @property
    def person_hours(self):
        """The central estimate of person-hours of human work in the dataset."""
        return float(self.labor["person_hours"])

    def _rows(self):
        counts = ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in self.counts.items())
        low, high = (_hours_text(self.labor[k]) for k in ("low", "high"))
        labor = (f"about {_hours_text(self.person_hours)} (range {low}–{high}). "
                 f"{self.labor['basis']}")
        return [("Who made it", self.made_by), ("How", self.how), ("When", self.when),
                ("Licence", self.licence), ("Where the course got it", self.source),
                ("Size", counts), ("Human labor", labor), ("Cite", self.citation),
                ("Keep in mind", self.caveats), ("Why it is in the course", self.why_chosen)]

    def _repr_html_(self):
        rows = "".join(f"<tr><th style='text-align:left;vertical-align:top;padding-right:1em'>"
                       f"{escape(k)}</th><td style='text-align:left'>{escape(v)}</td></tr>"
                       for k, v in self._rows() if v)
        return (f"<details open><summary><b>Data card · {escape(self.title)}</b></summary>"
                f"<table>{rows}</table></details>")

    def __str__(self):
        return f"Data card: {self.title}\n" + "\n".join(f"  {k}: {v}" for k, v in self._rows() if v)


def list_datasets():
    """Names of the datasets that have a card in ``data/``."""
    return sorted(p.parent.name for p in DATA_DIR.glob("*/card.json"))


def data_card(name):
    """The :class:`DataCard` of dataset ``name``."""
    if not isinstance(name, str):
        raise CourseTypeError(f"`name` must be a dataset's name (text), one of "
                              f"{list_datasets()}; got {type(name).__name__}.")
    return _data_card(name)


@lru_cache(maxsize=None)
def _data_card(name):
    check_choice("name", name, list_datasets())
    raw = json.loads((DATA_DIR / name / "card.json").read_text(encoding="utf-8"))
    return DataCard(**raw)


def _verified_path(name, filename):
    """Path of a shipped file after checking it exists and matches its card's checksum."""
    card = data_card(name)
    path = DATA_DIR / name / filename
    if not path.is_file():
        raise DataError(f"The course's data file {path} is missing. Restore it with "
                        f"`git checkout -- data/{name}` (or re-download the course).")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != card.files[filename]["sha256"]:
        raise DataError(f"The course's data file {path} is damaged or was changed (its checksum "
                        f"does not match data/{name}/card.json). Restore it with "
                        f"`git checkout -- data/{name}`.")
    return path


@lru_cache(maxsize=1)
def _vader():
    import pandas as pd

    rows = []
    path = _verified_path("vader_lexicon", "vader_lexicon.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        token, _mean, _sd, ratings = line.split("\t")
        ratings = [int(r) for r in json.loads(ratings)]
        rows.append((token, ratings))
    df = pd.DataFrame(rows, columns=["token", "ratings"])
    arr = df["ratings"].map(lambda r: sum(r) / len(r))
    df.insert(1, "mean", arr)
    # population SD, as in the file (whose SD column has a few typos: recomputed here)
    df.insert(2, "sd", df["ratings"].map(
        lambda r: (sum((x - sum(r) / len(r)) ** 2 for x in r) / len(r)) ** 0.5))
    return df


def load_vader():
    """The VADER lexicon: one row per line with ``token``, ``mean``, ``sd`` and ``ratings``.

    ``ratings`` holds the 10 individual human ratings (−4..+4); ``mean`` and ``sd`` are
    recomputed from them. 7,520 rows; 14 tokens appear twice.

    Examples
    --------
    >>> df = load_vader()
    >>> len(df), len(df.loc[0, "ratings"])
    (7520, 10)
    """
    return _vader().copy()


def load_digits():
    """scikit-learn's bundled handwritten digits (1,797 images), checked against the card.

    Examples
    --------
    >>> load_digits().images.shape
    (1797, 8, 8)
    """
    import numpy as np
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    digest = hashlib.sha256(np.ascontiguousarray(bunch.data, dtype=np.float64).tobytes()
                            + np.ascontiguousarray(bunch.target, dtype=np.int64).tobytes()
                            ).hexdigest()
    if digest != data_card("digits").files["load_digits()"]["sha256"]:
        raise DataError("scikit-learn's bundled digits are not the ones the course was written "
                        "for (checksum mismatch). Reinstall the pinned stack with ./start-course.")
    return bunch


@lru_cache(maxsize=None)
def _corpus(name):
    path = _verified_path(name, "entries.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh)


def load_corpus(name, *, with_titles=False):
    """A shipped human-written text corpus as a list of documents (one per entry).

    Parameters
    ----------
    name : {"jargon_file", "devils_dictionary", "python_reference"}
        ``"python_reference"`` is read from this Python's ``pydoc_data.topics`` (one document
        per help topic), not from ``data/``: see :func:`python_reference_card`.
    with_titles : bool, default=False
        If True, return ``[{"title": ..., "text": ...}, ...]`` instead of texts.

    Examples
    --------
    >>> docs = load_corpus("devils_dictionary")
    >>> len(docs)
    987
    """
    check_choice("name", name, TEXT_CORPORA)
    entries = _python_reference_entries() if name == PYTHON_REFERENCE else _corpus(name)
    if with_titles:
        return [dict(e) for e in entries]
    return [e["text"] for e in entries]


# -- the Python Language Reference: read from Python itself, described by data/python_reference
_GRAMMAR = re.compile(r"::=|^\s|^[*=\-^]{3,}$|^>>>|^\.\.\.")


@lru_cache(maxsize=1)
def _python_reference_entries():
    """The prose of each help topic in ``pydoc_data.topics``: grammar, code and headings left out."""
    from pydoc_data.topics import topics

    entries = []
    for key in sorted(topics):
        prose = []
        for par in re.split(r"\n\s*\n", topics[key]):
            lines = par.split("\n")
            if any(_GRAMMAR.search(line) for line in lines):
                continue  # code, grammar rules and headings are not prose
            text = " ".join(line.strip() for line in lines).strip()
            if len(text.split()) >= 8:
                prose.append(text)
        if prose:
            entries.append({"title": key, "text": " ".join(prose)})
    return tuple(entries)


def python_reference_text():
    """What this Python's copy of the Language Reference prose is made of, and whether the card
    describes it.

    Returns a dict with ``python`` (this Python's version), ``documents``, ``words``,
    ``bytes`` and ``sha256`` (of the documents' texts joined by newlines, UTF-8), the card's
    ``recorded`` entry, and ``matches`` (True when the checksum is the one on the card).

    Examples
    --------
    >>> info = python_reference_text()
    >>> info["documents"] > 50 and len(info["sha256"]) == 64
    True
    """
    texts = [e["text"] for e in _python_reference_entries()]
    blob = "\n".join(texts).encode("utf-8")
    recorded = data_card(PYTHON_REFERENCE).files[PYTHON_REFERENCE_TEXT]
    digest = hashlib.sha256(blob).hexdigest()
    return {"python": ".".join(map(str, sys.version_info[:3])), "documents": len(texts),
            "words": sum(len(t.split()) for t in texts), "bytes": len(blob), "sha256": digest,
            "recorded": dict(recorded), "matches": digest == recorded["sha256"]}


def prose_labor(words):
    """Person-hours to write ``words`` words of reference prose: the basis of the text cards."""
    words = check_number("words", words, minimum=0)
    floor = words / 40 / 60
    central = words / COMPOSING_WORDS_PER_HOUR
    return {"person_hours": round(central, 1), "low": round(floor, 1),
            "high": round(3 * central, 1),
            "basis": (f"Typing {words:,.0f} words at 40 words a minute takes {floor:,.0f} hours (the "
                      f"floor); composing reference prose at about {COMPOSING_WORDS_PER_HOUR:.0f} "
                      f"words an hour takes {central:,.0f} hours; drafts, review and revision "
                      f"could triple it.")}


@lru_cache(maxsize=1)
def python_reference_card():
    """The data card of the Language Reference prose *this* Python carries.

    It is :func:`data_card` ``("python_reference")`` when this Python's text is the one the
    card records (same checksum). Another Python (another 3.11.x release, say) may ship a
    different text: then the card keeps who made it, the licence and the rest, but gives this
    copy's version, counts and labor, and says under "Keep in mind" how it differs.
    """
    card = data_card(PYTHON_REFERENCE)
    info = python_reference_text()
    if info["matches"]:
        return card
    rec = info["recorded"]
    same_python = info["python"] == rec["python"]
    note = (f"This is the copy in Python {info['python']}: {info['documents']} documents and "
            f"{info['words']:,} words. The course's card (data/python_reference/card.json) "
            f"describes the copy in Python {rec['python']}: {card.counts['documents']} documents "
            f"and {card.counts['words']:,} words. "
            + ("The same Python gives different text, so the course's extraction has changed: "
               "update the card (see its 'files' entry). "
               if same_python else
               "Python's documentation changes a little between releases, so the numbers from "
               "this source differ a little from the course's notes; everything else works the "
               "same. ")
            + card.caveats)
    title = (card.title.replace(rec["python"], info["python"])
             .replace(f"{card.counts['documents']} help topics", f"{info['documents']} help topics"))
    return dataclasses.replace(
        card, title=title,
        when=card.when.replace(rec["python"], info["python"]),
        counts={"documents": info["documents"], "words": info["words"]},
        labor=prose_labor(info["words"]),
        files={PYTHON_REFERENCE_TEXT: {k: info[k] for k in ("sha256", "bytes", "python")}
               | {"what": rec.get("what", "")}},
        caveats=note)


def load_dataset(name):
    """Dataset ``name`` (see :func:`list_datasets`) as the course's loaders return it.

    ``"vader_lexicon"`` gives :func:`load_vader`'s DataFrame, ``"digits"`` scikit-learn's
    bunch (:func:`load_digits`), and the text corpora :func:`load_corpus`'s list of texts.

    Examples
    --------
    >>> len(load_dataset("devils_dictionary"))
    987
    """
    check_choice("name", name, list_datasets())
    if name == "vader_lexicon":
        return load_vader()
    if name == "digits":
        return load_digits()
    if name == "glossary_tone":
        return load_glossary_tone()
    return load_corpus(name)


@lru_cache(maxsize=1)
def _glossary_tone():
    path = _verified_path("glossary_tone", "items.jsonl")
    return tuple(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())


def load_glossary_tone():
    """Part 4's 240 definitions (Bierce and the hackers), each with its VADER tone reference.

    A list of dicts ``{id, headword, text, source, written_by, tone, n_rated_words,
    reference}``; ``source`` is the attribute the learner is not told while labelling
    (``data/glossary_tone/card.json`` says how the items were derived).

    Examples
    --------
    >>> items = load_glossary_tone()
    >>> len(items), sorted({d["source"] for d in items})
    (240, ['devils_dictionary', 'jargon_file'])
    """
    return [dict(d) for d in _glossary_tone()]
