"""Sources, their cards, and corpus assembly from weights."""
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError
from course_lib.methods import corpus as C
from course_lib.part1.writing import simulated_texts


@pytest.fixture(scope="module")
def sources():
    return C.load_sources(writing=simulated_texts(5))


def test_every_source_has_a_card_with_licence_and_authors(sources):
    assert set(sources) == set(C.SOURCE_NAMES)
    for src in sources.values():
        card = src.card
        assert card.licence and card.made_by and src.texts
        assert "<table>" in card._repr_html_()
        assert src.n_words > 0
    assert sources["part1.writing"].is_simulated
    assert "simulated" in sources["part1.writing"].card.made_by.lower()


def test_python_reference_is_prose_without_grammar_or_code(sources):
    texts = sources["python_reference"].texts
    assert sources["python_reference"].n_words > 10_000
    assert not any("::=" in t or ">>>" in t for t in texts)


def test_python_reference_card_is_the_one_in_data_and_describes_this_copy(sources):
    from course_lib.core import data

    src = sources["python_reference"]
    info = data.python_reference_text()
    assert src.card is data.python_reference_card()
    assert src.card.counts == {"documents": info["documents"], "words": info["words"]}
    assert src.card.counts["documents"] == len(src.texts)
    assert info["python"] in src.card.title
    if info["matches"]:
        assert src.card is data.data_card("python_reference")


def test_learner_card_measures_their_time():
    events = simulated_texts(3, random_state=1)
    card = C.writing_source(events).card
    assert card.labor["person_hours"] == pytest.approx(sum(e.elapsed for e in events) / 3600,
                                                       abs=1e-3)
    own = C.writing_source(["My own words here.", "And more of them."])
    assert own.card.made_by == "You." and not own.is_simulated and own.n_words == 8


@pytest.mark.parametrize("weights", [
    {"jargon_file": 1, "devils_dictionary": 1},
    {"jargon_file": 0.2, "devils_dictionary": 0.5, "python_reference": 0.3},
    {"part1.writing": 0.4, "devils_dictionary": 0.6},
])
def test_assembled_shares_follow_the_weights(sources, weights):
    corpus = C.assemble(sources, weights, total_words=20_000, random_state=0)
    total = sum(weights.values())
    for name in sources:
        assert corpus.shares[name] == pytest.approx(weights.get(name, 0) / total, abs=0.01)
    assert corpus.n_words == pytest.approx(20_000, rel=0.01)
    assert len(corpus.texts) == len(corpus.origins)
    assert set(corpus.origins) == {k for k, v in weights.items() if v > 0}


def test_small_sources_are_repeated_and_the_card_says_so(sources):
    corpus = C.assemble(sources, {"part1.writing": 1, "jargon_file": 1}, total_words=4000,
                        random_state=0)
    row = {r["source"]: r for r in corpus.rows}["part1.writing"]
    assert row["repeats"] > 1 and row["distinct_documents"] <= 5
    html = corpus.card._repr_html_()
    assert "× over" in html and "Public domain" in html
    frame = corpus.card.to_frame()
    assert frame["share"].sum() == pytest.approx(1.0)
    # a repeat is no new labor: the hours behind the writing are all of its hours, no more
    writing = frame[frame["source"].str.contains("writing")].iloc[0]
    assert writing["person-hours behind the words used"] == pytest.approx(
        sources["part1.writing"].card.person_hours)


def test_assembly_is_reproducible(sources):
    a = C.assemble(sources, {"jargon_file": 1, "devils_dictionary": 2}, random_state=3)
    b = C.assemble(sources, {"jargon_file": 1, "devils_dictionary": 2}, random_state=3)
    assert a.texts == b.texts


def test_learner_text_is_escaped_in_the_card():
    src = C.writing_source(["<script>alert(1)</script> hello there."])
    corpus = C.assemble({"part1.writing": src, **C.load_sources(["devils_dictionary"])},
                        {"part1.writing": 1, "devils_dictionary": 1}, total_words=200)
    assert "<script>" not in corpus.card._repr_html_()


@pytest.mark.parametrize("weights, error, match", [
    ({"wikipedia": 1}, CourseValueError, "Unknown source 'wikipedia'"),
    ({"jargon_file": -1}, CourseValueError, r"weights\['jargon_file'\]"),
    ({"jargon_file": 0}, CourseValueError, "above 0"),
    ([0.5, 0.5], CourseTypeError, "must be a dict"),
    ({"jargon_file": "lots"}, CourseTypeError, "must be a number"),
])
def test_bad_weights_get_friendly_errors(sources, weights, error, match):
    with pytest.raises(error, match=match):
        C.assemble(sources, weights)


def test_unknown_source_names_and_missing_writing():
    with pytest.raises(CourseValueError, match="Unknown source 'reddit'"):
        C.load_sources(["reddit"])
    with pytest.raises(CourseValueError, match="needs your texts"):
        C.load_sources(["part1.writing"])
    with pytest.raises(CourseValueError, match="no writing"):
        C.writing_source([])
    with pytest.raises(CourseTypeError, match="sources"):
        C.assemble(["jargon_file"], {"jargon_file": 1})
