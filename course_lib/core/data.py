"""The course's shipped datasets: loaders that check checksums and never touch the network.

Each dataset has a folder in ``data/`` with a ``card.json``: who made it, how and when, the
licence, counts, checksums and an estimate of the human labor in it.

>>> sorted(list_datasets())
['devils_dictionary', 'digits', 'jargon_file', 'vader_lexicon']
>>> data_card("vader_lexicon").counts["raters_per_entry"]
10
"""
from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .display import escape
from .errors import DataError
from .validation import check_choice

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEXT_CORPORA = ("jargon_file", "devils_dictionary")


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
        labor = (f"about {self.person_hours:,.0f} person-hours (range {self.labor['low']:,}–"
                 f"{self.labor['high']:,}). {self.labor['basis']}")
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


@lru_cache(maxsize=None)
def data_card(name):
    """The :class:`DataCard` of dataset ``name``."""
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
    name : {"jargon_file", "devils_dictionary"}
    with_titles : bool, default=False
        If True, return ``[{"title": ..., "text": ...}, ...]`` instead of texts.

    Examples
    --------
    >>> docs = load_corpus("devils_dictionary")
    >>> len(docs)
    987
    """
    check_choice("name", name, TEXT_CORPORA)
    entries = _corpus(name)
    if with_titles:
        return [dict(e) for e in entries]
    return [e["text"] for e in entries]
