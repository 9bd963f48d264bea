"""A term's notebooks released before course_lib moved into layers still grade in full.

``fixtures/before_layers/`` holds the four notebooks exactly as they were before the move (commit
09c19ce): their code and hidden tests import the old flat paths (``course_lib.tuning``,
``from course_lib.flavor import MixExplorer``, ``reward_model.plot_weights(...)``, ``seed=``).
Students of a class released then submit them now; the library of today must grade a correct
submission at full marks, through the deprecated aliases of ``course_lib._legacy``.
"""
import csv

import nbformat
import pytest

from course_lib.grading import synthetic
from course_lib.grading.cli import main as course

from .helpers import FIXTURES, make_course

pytestmark = pytest.mark.slow
OLD = FIXTURES / "before_layers"
NOTEBOOKS = sorted(OLD.glob("[0-9][0-9]_*.ipynb"))


def test_the_fixtures_use_the_old_paths():
    text = "\n".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS)
    assert len(NOTEBOOKS) == 4
    for old in ("from course_lib.welcome import", "from course_lib.flavor import MixExplorer",
                "from course_lib import tuning", "plot_weights(", "seed=course.seed"):
        assert old in text, old
    assert "course_lib.methods" not in text and "course_lib.part" not in text


@pytest.fixture(scope="module")
def old_course(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("before_layers")
    root = make_course(tmp, OLD, timeout=60)
    for path in NOTEBOOKS:
        aid = path.stem
        source = nbformat.read(root / "source" / aid / f"{aid}.ipynb", as_version=4)
        released = nbformat.read(root / "release" / aid / f"{aid}.ipynb", as_version=4)
        correct = synthetic.submission_variants(source, released)["correct"]
        synthetic.write_submission(root / "submitted" / "last_term" / aid, correct, aid)
    rows = {}
    for path in NOTEBOOKS:
        aid = path.stem
        assert course(["--course-dir", str(root), "autograde", aid, "--jobs", "2"]) == 0
        with open(root / "reports" / aid / "autograde.csv", encoding="utf-8") as fh:
            rows[aid] = {r["student"]: r for r in csv.DictReader(fh)}["last_term"]
    return rows


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_old_notebook_grades_in_full(old_course, path):
    row = old_course[path.stem]
    assert row["status"] == "graded", (row["status"], row["problems"])
    assert float(row["auto_max"]) > 0
    assert float(row["auto_score"]) == float(row["auto_max"]), row
