"""Due dates and late work: a late submission is graded in full and reported as late, an
unreadable submission time is reported (and the work still graded), and `course feedback`
names every submitted student, saying why one has no feedback."""
import json

import pytest

from course_lib.core.errors import CourseValueError
from course_lib.grading.cli import main as course
from course_lib.grading.coursedir import CourseFolder
from course_lib.grading.deadlines import (
    late_text, parse_due, set_due_date, set_student_due_date, student_due_dates)

from .conftest import DUE
from .helpers import FIXTURE

pytestmark = pytest.mark.slow


def test_the_due_date_is_set_and_shown(graded_batch):
    code, output = graded_batch["due"]
    assert code == 0 and output.strip() == f"{FIXTURE}: due 2026-01-01 12:00:00 UTC"


def test_a_late_submission_is_graded_in_full_and_reported_late(graded_batch):
    row = graded_batch["report"]["late"]
    assert row["status"] == "graded" and float(row["auto_score"]) == 3, row
    assert float(row["seconds_late"]) == 2 * 3600 + 5 * 60
    assert "2 h 5 min late" in row["problems"]
    grades = graded_batch["grades"]["late"]
    assert float(grades["seconds_late"]) == 7500 and float(grades["late_penalty"]) == 0
    assert float(grades["score"]) == float(graded_batch["grades"]["correct"]["score"])


def test_a_student_with_a_due_date_of_their_own_is_on_time(graded_batch):
    code, output = graded_batch["extended"]
    assert code == 0 and "extended: due 2026-01-01 15:00:00 UTC (an extension)" in output
    row = graded_batch["report"]["extended"]   # submitted with "late", 2 h 5 min after DUE
    assert row["status"] == "graded" and float(row["seconds_late"]) == 0, row
    assert float(graded_batch["grades"]["extended"]["seconds_late"]) == 0


def test_work_submitted_before_the_due_date_is_on_time(graded_batch):
    for student, row in graded_batch["report"].items():
        if student not in ("late", "bad_timestamp") and row["status"] == "graded":
            assert float(row["seconds_late"]) == 0 and "late" not in row["problems"], row


def test_an_unreadable_submission_time_is_reported_and_the_work_graded(graded_batch):
    row = graded_batch["report"]["bad_timestamp"]
    assert row["status"] == "graded" and float(row["auto_score"]) == 3, row
    assert "submission time (timestamp.txt) could not be read" in row["problems"]
    kept = graded_batch["root"] / "submitted" / "bad_timestamp" / FIXTURE
    assert (kept / "timestamp.txt.unreadable").read_text() == "last Tuesday"


def test_feedback_names_every_submitted_student(graded_batch):
    lines = dict(line.strip().split(": ", 1) for line in
                 graded_batch["feedback_output"].splitlines() if ": " in line)
    assert set(lines) == set(graded_batch["students"])
    assert lines["no_notebook"].startswith("NO FEEDBACK: the submission has no "
                                           f"{FIXTURE}.ipynb"), lines["no_notebook"]
    assert lines["unreadable"].startswith("NO FEEDBACK: not graded (the submitted notebook "
                                          "cannot be read"), lines["unreadable"]
    assert lines["late"].endswith(f"feedback/late/{FIXTURE}/{FIXTURE}.html")
    assert graded_batch["feedback_code"] == 1   # some student got none: the CLI says so


@pytest.mark.parametrize("text, expected", [
    ("2026-12-10 17:00", "2026-12-10 17:00"),
    ("2026-12-10T17:00:00Z", "2026-12-10 17:00"),
    ("2026-12-10T18:30+01:30", "2026-12-10 17:00"),
    ("2026-06-10 19:00 Europe/Berlin", "2026-06-10 17:00"),
])
def test_due_dates_are_read_in_utc(text, expected):
    assert f"{parse_due(text):%Y-%m-%d %H:%M}" == expected


@pytest.mark.parametrize("text", ["", "   ", "next friday-ish", "friday", "12/10/2026 17:00",
                                  "2026-13-45 17:00",
                                  "2026-12-10 17:00 Mars/Olympus", None, 17])
def test_a_bad_due_date_gets_a_clear_error(text):
    with pytest.raises(CourseValueError, match="due date"):
        parse_due(text)


def test_course_due_refuses_a_bad_date_and_keeps_the_old_one(tmp_path, capsys):
    from .helpers import FIXTURES
    folder = CourseFolder.create(tmp_path / "course", notebooks=FIXTURES)
    set_due_date(folder, FIXTURE, DUE)
    assert course(["--course-dir", str(folder.root), "due", FIXTURE, "tomorrow-ish"]) == 2
    assert "Cannot read the due date 'tomorrow-ish'" in capsys.readouterr().err
    assert course(["--course-dir", str(folder.root), "due", FIXTURE]) == 0
    assert "due 2026-01-01 12:00:00 UTC" in capsys.readouterr().out
    assert course(["--course-dir", str(folder.root), "due", FIXTURE, "none"]) == 0
    assert "no due date" in capsys.readouterr().out


@pytest.mark.parametrize("seconds, text", [(0, ""), (-5, ""), (None, ""), (40, "40 s late"),
                                           (125, "2 min 5 s late"), (7500, "2 h 5 min late"),
                                           (3 * 86400 + 7200 + 60, "3 d 2 h late")])
def test_late_text(seconds, text):
    assert late_text(seconds) == text


def test_the_late_report_is_in_the_students_json(graded_batch):
    report = json.loads((graded_batch["root"] / "reports" / FIXTURE / "late.json").read_text())
    assert report["seconds_late"] == 7500 and report["late_penalty"] == 0


def test_a_students_own_due_date_stays_when_the_class_due_date_moves(tmp_path, capsys):
    from datetime import datetime

    from .helpers import FIXTURES
    folder = CourseFolder.create(tmp_path / "course", notebooks=FIXTURES)
    with pytest.raises(CourseValueError, match="no due date yet"):
        set_student_due_date(folder, FIXTURE, "ann", "2026-01-03 12:00")
    set_due_date(folder, FIXTURE, DUE)
    with pytest.raises(CourseValueError, match="can only be later"):
        set_student_due_date(folder, FIXTURE, "ann", "2025-12-30 12:00")
    with pytest.raises(CourseValueError, match="student id"):
        set_student_due_date(folder, FIXTURE, "../ann", "2026-01-03 12:00")
    set_student_due_date(folder, FIXTURE, "ann", "2026-01-03 12:00")
    set_student_due_date(folder, FIXTURE, "bob", "2026-01-02 12:00")
    set_due_date(folder, FIXTURE, "2026-01-02 18:00")   # the class gets more time: bob's is moot
    assert student_due_dates(folder, FIXTURE) == {"ann": datetime(2026, 1, 3, 12)}
    root = str(folder.root)
    assert course(["--course-dir", root, "due", FIXTURE, "--student", "ann"]) == 2
    assert "Say which due date the student gets" in capsys.readouterr().err
    assert course(["--course-dir", root, "due", FIXTURE, "none", "--student", "ann"]) == 0
    assert student_due_dates(folder, FIXTURE) == {}
    set_student_due_date(folder, FIXTURE, "ann", "2026-01-03 12:00")
    set_due_date(folder, FIXTURE, None)   # no due date: nothing to extend, nobody late
    assert student_due_dates(folder, FIXTURE) == {}
