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
    assert data.load_dataset(name) == docs
    titled = data.load_corpus(name, with_titles=True)
    assert titled[0]["text"] == docs[0] and titled[0]["title"]


def test_damaged_data_file_is_detected(tmp_path, monkeypatch):
    shutil.copytree(data.DATA_DIR / "devils_dictionary", tmp_path / "devils_dictionary")
    path = tmp_path / "devils_dictionary" / "entries.jsonl.gz"
    path.write_bytes(path.read_bytes()[:-10])
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data._corpus.cache_clear()
    data._data_card.cache_clear()
    try:
        with pytest.raises(DataError, match="damaged or was changed"):
            data.load_corpus("devils_dictionary")
        path.unlink()
        with pytest.raises(DataError, match="missing"):
            data.load_corpus("devils_dictionary")
    finally:
        data._corpus.cache_clear()
        data._data_card.cache_clear()


@pytest.mark.parametrize("call", [lambda: data.load_corpus("wikipedia"),
                                  lambda: data.data_card("imagenet")])
def test_unknown_dataset_names(call):
    with pytest.raises(CourseValueError, match="must be one of"):
        call()


def test_python_reference_has_a_card_like_the_shipped_data():
    """Its text is Python's own; its card in data/ records which Python and a checksum."""
    assert "python_reference" in data.list_datasets()
    card = data.data_card("python_reference")
    recorded = card.files[data.PYTHON_REFERENCE_TEXT]
    assert len(recorded["sha256"]) == 64 and recorded["python"] in card.title
    assert card.labor == data.prose_labor(card.counts["words"])
    # nothing of its text is shipped: the folder holds the card alone
    assert sorted(p.name for p in (data.DATA_DIR / "python_reference").iterdir()) == ["card.json"]


def test_python_reference_text_matches_its_card_on_the_python_it_records():
    info = data.python_reference_text()
    docs = data.load_corpus("python_reference", with_titles=True)
    assert len(docs) == info["documents"] and all(d["title"] and d["text"] for d in docs)
    assert sum(len(d["text"].split()) for d in docs) == info["words"]
    if info["python"] != info["recorded"]["python"]:
        pytest.skip(f"the card records Python {info['recorded']['python']}'s text; "
                    f"this is Python {info['python']}")
    # same Python, other text: the extraction changed and the card must be updated with it
    assert info["matches"], ("the prose extracted from pydoc_data.topics is not the text "
                             "data/python_reference/card.json records: update its files/counts")
    assert data.python_reference_card() == data.data_card("python_reference")  # the card in data/


def test_another_pythons_text_gets_a_card_of_its_own(monkeypatch):
    """A Python whose help topics differ: the card gives that copy's counts and says so."""
    real = data._python_reference_entries()
    fake = real[:10] + ({"title": "extra", "text": "A paragraph only this Python has, " * 3},)
    monkeypatch.setattr(data, "_python_reference_entries", lambda: fake)
    monkeypatch.setattr(data.sys, "version_info", (3, 11, 99, "final", 0))
    data.python_reference_card.cache_clear()
    try:
        card = data.python_reference_card()
        recorded = data.data_card("python_reference")
        assert card is not recorded and card.counts["documents"] == 11
        assert card.counts["words"] == sum(len(e["text"].split()) for e in fake)
        assert "3.11.99" in card.title and "3.11.99" not in recorded.title
        assert "11 help topics" in card.title
        assert card.labor == data.prose_labor(card.counts["words"])
        assert "differ" in card.caveats and recorded.files["pydoc_data.topics"]["python"] in card.caveats
        assert "Keep in mind" in card._repr_html_() and card.licence == recorded.licence
        assert not data.python_reference_text()["matches"]
    finally:
        data.python_reference_card.cache_clear()


@pytest.mark.parametrize("hours, text", [(0, "0 person-hours"), (0.004, "under a person-minute"),
                                         (0.2, "12 person-minutes"), (2.46, "2.5 person-hours"),
                                         (1234.4, "1,234 person-hours")])
def test_a_card_does_not_round_a_learners_minutes_away(hours, text):
    card = data.DataCard(name="mine", title="Mine", made_by="me", how="typed", when="today",
                         licence="mine", source="my workspace", counts={"words": 9}, labor={
                             "person_hours": hours, "low": hours, "high": hours,
                             "basis": "Measured."})
    assert f"Human labor: about {text} (range {text}–{text})." in str(card)
