"""The flavor measure: distinctive words, attribution, monotone in a source's weight, widget."""
from collections import Counter

import numpy as np
import pytest

from course_lib.core.errors import CourseValueError
from course_lib.methods import corpus as C
from course_lib.methods import flavor as F
from course_lib.part1.mix import MixExplorer
from course_lib.part1.writing import simulated_texts


@pytest.fixture(scope="module")
def sources():
    return C.load_sources(writing=simulated_texts(5))


@pytest.fixture(scope="module")
def meter(sources):
    return F.FlavorMeter(sources)


@pytest.mark.reproduces('log-odds with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16-22)')
def test_log_odds_z_matches_monroe_et_al_by_hand():
    counts = {"a": Counter({"x": 10, "y": 5}), "b": Counter({"x": 2, "y": 20})}
    words, z = F.log_odds_z(counts)
    # word x, source a: pooled y_x = 12 -> alpha_x = 12, alpha0 = 37; n_a = 15, n_b = 22
    delta = np.log((10 + 12) / (15 + 37 - 10 - 12)) - np.log((2 + 12) / (22 + 37 - 2 - 12))
    sigma = np.sqrt(1 / (10 + 12) + 1 / (2 + 12))
    assert words == ["x", "y"]
    assert z[0, 0] == pytest.approx(delta / sigma, rel=1e-12)
    assert z[1, 0] == pytest.approx(-z[0, 0], rel=1e-12), "two sources: mirror images"


def test_distinctive_words_are_disjoint_and_telling(meter):
    lists = meter.distinctive_
    seen = [w for words in lists.values() for w in words]
    assert len(seen) == len(set(seen)), "a word belongs to one source at most"
    assert {"hacker", "unix"} <= set(lists["jargon_file"])
    assert "exception" in lists["python_reference"]
    assert "the" not in seen and "and" not in seen, "everyday words belong to no one"


def test_measure_attributes_each_source_to_itself(sources, meter):
    for name, src in sources.items():
        shares = meter.measure(list(src.texts))
        assert shares.idxmax() == name
        assert shares.sum() == pytest.approx(1.0)
    assert meter.measure(["the and of a"]).sum() == 0


@pytest.mark.reproduces("a model's output shifts toward its source mix")
@pytest.mark.parametrize("name", list(C.SOURCE_NAMES))
def test_flavor_rises_monotonically_with_the_weight(sources, meter, name):
    curve = F.flavor_curve(sources, name, steps=6, meter=meter, random_state=0)
    assert np.all(np.diff(curve["share_of_words"]) > 0)
    assert np.all(np.diff(curve["flavor"]) > 0), curve
    assert curve["flavor"].iloc[0] < 0.1 < 0.5 < curve["flavor"].iloc[-1]


def test_flavor_curve_rejects_unknown_source(sources, meter):
    with pytest.raises(CourseValueError, match="Unknown source 'reddit'"):
        F.flavor_curve(sources, "reddit", meter=meter)


def test_figure_has_title_axes_and_both_bars():
    fig = F.flavor_figure({"a": 0.7, "b": 0.3}, {"a": 0.6, "b": 0.4}, labels={"a": "A", "b": "B"})
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert [list(t.y) for t in fig.data] == [[0.7, 0.3], [0.6, 0.4]]


def test_mix_explorer_is_driven_through_its_sliders(sources, workspace):
    act = workspace.activity("part1.mix")
    ex = MixExplorer(sources, activity=act, total_words=3000, n_sentences=20)
    ex.set_weights({"part1.writing": 0, "jargon_file": 1, "devils_dictionary": 0,
                    "python_reference": 0})
    before = ex.last["flavor"]
    assert list(ex.figure.data[0].y) == pytest.approx([0, 1, 0, 0])
    assert before["jargon_file"] > 0.8
    ex.sliders["devils_dictionary"].value = 1.0       # what a drag does
    assert ex.last["flavor"]["devils_dictionary"] > before["devils_dictionary"] + 0.1
    assert ex.figure.data[1].y[2] == pytest.approx(ex.last["flavor"]["devils_dictionary"])
    assert act.current()["devils_dictionary"].value == 1.0, "moves are saved"
    assert "<li>" in ex.samples.value and ex.timings_ms
    # a new explorer starts from the saved mix
    again = MixExplorer(sources, activity=act, total_words=3000, n_sentences=5)
    assert again.weights == ex.weights
    with pytest.raises(CourseValueError, match="Unknown source"):
        ex.set_weight("reddit", 0.5)
    for name in ex.sliders:
        ex.sliders[name].value = 0.0
    assert "at least one slider" in ex.status.value
