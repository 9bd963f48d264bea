"""Shipped data: cards complete, checksums checked, loaders correct, nothing from the network."""
import json
import shutil

import numpy as np
import pytest

import course_lib.core.data as data
from course_lib.core.errors import CourseValueError, DataError

REQUIRED = ["name", "title", "made_by", "how", "when", "licence", "source", "counts", "labor",
            "files", "citation", "caveats", "why_chosen"]


@pytest.mark.parametrize("name", data.list_datasets())
def test_every_dataset_has_a_complete_card(name):
    raw = json.loads((data.DATA_DIR / name / "card.json").read_text())
    for key in REQUIRED:
        assert raw.get(key), f"{name}: card has no {key!r}"
    labor = raw["labor"]
    assert labor["low"] <= labor["person_hours"] <= labor["high"] and labor["basis"]
    html = data.data_card(name)._repr_html_()
    assert "Human labor" in html and "Licence" in html


def test_vader_matches_the_published_file():
    df = data.load_vader()
    assert len(df) == 7520 and df["token"].nunique() == 7506
    assert all(len(r) == 10 and all(-4 <= x <= 4 for x in r) for r in df["ratings"])
    good = df[df.token == "good"].iloc[0]
    assert good["mean"] == pytest.approx(1.9) and good["sd"] == pytest.approx(0.9434, abs=1e-4)
    # the recomputed means agree with the file's means (to its 1-decimal rounding) nearly always
    raw = [l.split("\t") for l in (data.DATA_DIR / "vader_lexicon" / "vader_lexicon.txt")
           .read_text(encoding="utf-8").splitlines()]
    file_means = np.array([float(r[1]) for r in raw])
    assert (np.abs(file_means - df["mean"].to_numpy()) > 0.051).sum() <= 2


def test_digits_are_the_bundled_ones():
    d = data.load_digits()
    assert d.data.shape == (1797, 64) and set(d.target) == set(range(10))


@pytest.mark.parametrize("name, n_docs", [("jargon_file", 2307), ("devils_dictionary", 987)])
def test_text_corpora(name, n_docs):
    docs = data.load_corpus(name)
    assert len(docs) == n_docs and all(isinstance(d, str) and d.strip() for d in docs)
    card = data.data_card(name)
    assert sum(len(d.split()) for d in docs) == card.counts["words"]
    titled = data.load_corpus(name, with_titles=True)
    assert titled[0]["text"] == docs[0] and titled[0]["title"]


def test_damaged_data_file_is_detected(tmp_path, monkeypatch):
    shutil.copytree(data.DATA_DIR / "devils_dictionary", tmp_path / "devils_dictionary")
    path = tmp_path / "devils_dictionary" / "entries.jsonl.gz"
    path.write_bytes(path.read_bytes()[:-10])
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data._corpus.cache_clear()
    data.data_card.cache_clear()
    try:
        with pytest.raises(DataError, match="damaged or was changed"):
            data.load_corpus("devils_dictionary")
        path.unlink()
        with pytest.raises(DataError, match="missing"):
            data.load_corpus("devils_dictionary")
    finally:
        data._corpus.cache_clear()
        data.data_card.cache_clear()


@pytest.mark.parametrize("call", [lambda: data.load_corpus("wikipedia"),
                                  lambda: data.data_card("imagenet")])
def test_unknown_dataset_names(call):
    with pytest.raises(CourseValueError, match="must be one of"):
        call()
