"""Every course notebook is an nbgrader assignment: correct scores full marks, blank 0."""
import csv
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from course_lib.grading import synthetic
from course_lib.grading.cli import main as course

from .helpers import ROOT, hostile_work, live_injections, make_course

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def real_course(tmp_path_factory):
    """Every part released; a correct and a blank submission of each autograded. Part 0 also
    gets a hostile submission whose saved work is script injections, and its feedback."""
    tmp = tmp_path_factory.mktemp("real")
    root = make_course(tmp, ROOT / "notebooks", timeout=60)

    def grade(path):
        aid = path.stem
        source = nbformat.read(root / "source" / aid / f"{aid}.ipynb", as_version=4)
        released = nbformat.read(root / "release" / aid / f"{aid}.ipynb", as_version=4)
        variants = synthetic.submission_variants(source, released)
        for name in ("correct", "blank"):
            synthetic.write_submission(root / "submitted" / name / aid, variants[name], aid)
        if path == NOTEBOOKS[0]:
            synthetic.write_submission(root / "submitted" / "hostile" / aid, variants["hostile"],
                                       aid, work=hostile_work(tmp / "hostile_work"))
        course(["--course-dir", str(root), "autograde", aid, "--jobs", "2"])
        with open(root / "reports" / aid / "autograde.csv", encoding="utf-8") as fh:
            return aid, {r["student"]: r for r in csv.DictReader(fh)}

    with ThreadPoolExecutor(max_workers=2) as pool:
        rows = dict(pool.map(grade, NOTEBOOKS))
    first = NOTEBOOKS[0].stem
    course(["--course-dir", str(root), "feedback", first, "--student", "hostile"])
    feedback = root / "feedback" / "hostile" / first / f"{first}.html"
    return {"rows": rows, "hostile_feedback": feedback.read_text(encoding="utf-8")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_correct_full_marks_blank_zero(real_course, path):
    rows = real_course["rows"][path.stem]
    assert rows["correct"]["status"] == rows["blank"]["status"] == "graded", \
        {name: (row["status"], row["problems"]) for name, row in rows.items()}
    assert float(rows["correct"]["auto_max"]) > 0
    assert float(rows["correct"]["auto_score"]) == float(rows["correct"]["auto_max"]), rows
    assert float(rows["blank"]["auto_score"]) == 0, rows


def test_hostile_saved_work_runs_nothing_in_real_feedback(real_course):
    """Part 0 shows the learner's saved first sentence: in the feedback it is inert text."""
    html = real_course["hostile_feedback"]
    assert synthetic.PWNED in html
    assert live_injections(html) == []
