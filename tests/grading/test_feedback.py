"""Feedback HTML: score per cell, what failed, no hidden tests, figures offline, nothing live."""
import re

import pytest

from .helpers import FIXTURE, live_injections

pytestmark = pytest.mark.slow


def _feedback(graded_batch, student):
    path = graded_batch["root"] / "feedback" / student / FIXTURE / f"{FIXTURE}.html"
    return path.read_text(encoding="utf-8")


def test_feedback_for_every_graded_student(graded_batch):
    graded = [s for s, r in graded_batch["report"].items() if r["status"] == "graded"]
    for student in graded:
        assert _feedback(graded_batch, student)


@pytest.mark.parametrize("student", ["correct", "blank", "raises", "c_loop", "hostile"])
def test_no_hidden_tests(graded_batch, student):
    html = _feedback(graded_batch, student)
    assert "HIDDEN_MARKER" not in html and "BEGIN HIDDEN TESTS" not in html
    assert "add(-2, 5)" not in html  # not even inside a traceback


def test_scores_per_cell_and_what_failed(graded_batch):
    html = _feedback(graded_batch, "raises")
    assert "Score: 0.0 / 2.0" in html and "Score: 1.0 / 1.0" in html
    assert "ValueError" in html and "NameError" in html


def test_figures_render_offline(graded_batch):
    html = _feedback(graded_batch, "correct")
    assert "FIXTURE_FIGURE" in html and "Plotly.newPlot" in html
    assert not re.search(r"<script[^>]*\ssrc=[\"']?https?:", html)


def test_hostile_submission_runs_nothing_in_its_feedback(graded_batch):
    html = _feedback(graded_batch, "hostile")
    assert "PWNED" in html  # the text is there, as text ...
    assert live_injections(html) == []  # ... but nowhere a browser would run it
