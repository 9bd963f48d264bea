"""Every course notebook is an nbgrader assignment: correct scores full marks, blank 0."""
import csv

import nbformat
import pytest

from course_lib.grading import synthetic
from course_lib.grading.cli import main as course

from .helpers import ROOT, make_course

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def real_course(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("real")
    root = make_course(tmp, ROOT / "notebooks", timeout=60)
    rows = {}
    for path in NOTEBOOKS:
        aid = path.stem
        source = nbformat.read(root / "source" / aid / f"{aid}.ipynb", as_version=4)
        released = nbformat.read(root / "release" / aid / f"{aid}.ipynb", as_version=4)
        variants = synthetic.submission_variants(source, released)
        for name in ("correct", "blank"):
            synthetic.write_submission(root / "submitted" / name / aid, variants[name], aid)
        course(["--course-dir", str(root), "autograde", aid, "--jobs", "2"])
        with open(root / "reports" / aid / "autograde.csv", encoding="utf-8") as fh:
            rows[aid] = {r["student"]: r for r in csv.DictReader(fh)}
    return rows


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_correct_full_marks_blank_zero(real_course, path):
    rows = real_course[path.stem]
    assert rows["correct"]["status"] == rows["blank"]["status"] == "graded"
    assert float(rows["correct"]["auto_max"]) > 0
    assert float(rows["correct"]["auto_score"]) == float(rows["correct"]["auto_max"]), rows
    assert float(rows["blank"]["auto_score"]) == 0, rows
