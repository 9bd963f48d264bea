"""Fixtures of the grading tests: one fixture course graded once, shared by the tests."""
import contextlib
import csv
import io
import os
import shutil

import pytest

from course_lib.grading.cli import main as course

from .helpers import FIXTURE, FIXTURES, make_course, write_batch

#: The batch's due date, and when its submissions were made: a day early, but ``late`` and
#: ``extended`` 2 h 5 min after it (``extended`` has a due date of its own, EXTENDED);
#: ``bad_timestamp``'s timestamp.txt is replaced by nonsense.
DUE, ON_TIME, LATE = "2026-01-01 12:00", 1767182400, 1767276300   # 2025-12-31 12:00, DUE + 2:05
EXTENDED = "2026-01-01 15:00"


def _course_output(*args):
    """``course ARGS``: (exit code, what it printed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = course(list(map(str, args)))
    return code, out.getvalue()


@pytest.fixture(scope="session")
def graded_batch(tmp_path_factory):
    """The fixture assignment released, a batch of troublemakers collected, autograded,
    given feedback and exported — all through the `course` command line."""
    tmp = tmp_path_factory.mktemp("grading")
    root = make_course(tmp, FIXTURES, timeout=10)
    incoming = tmp / "incoming"
    copies = ["bad_timestamp", "extended", "late"]
    students = write_batch(root, FIXTURE, incoming) + copies
    for copy in copies:
        shutil.copytree(incoming / "correct", incoming / copy)
    for entry in incoming.iterdir():
        os.utime(entry, (ON_TIME, LATE if entry.name in ("late", "extended") else ON_TIME))
    assert course(["--course-dir", str(root), "collect", FIXTURE, "--from", str(incoming)]) == 0
    (root / "submitted" / "bad_timestamp" / FIXTURE / "timestamp.txt").write_text("last Tuesday")
    due_code, due_output = _course_output("--course-dir", root, "due", FIXTURE, DUE)
    extended = _course_output("--course-dir", root, "due", FIXTURE, EXTENDED,
                              "--student", "extended")
    code = course(["--course-dir", str(root), "autograde", FIXTURE, "--jobs", "3"])
    feedback_code, feedback_output = _course_output("--course-dir", root, "feedback", FIXTURE)
    grades_code = course(["--course-dir", str(root), "grades", "--out", str(tmp / "grades.csv")])
    with open(root / "reports" / FIXTURE / "autograde.csv", encoding="utf-8") as fh:
        report = {r["student"]: r for r in csv.DictReader(fh)}
    with open(tmp / "grades.csv", encoding="utf-8") as fh:
        grades = {r["student"]: r for r in csv.DictReader(fh)}
    return {"root": root, "students": students, "autograde_code": code, "report": report,
            "grades": grades, "feedback_code": feedback_code, "grades_code": grades_code,
            "feedback_output": feedback_output, "due": (due_code, due_output),
            "extended": extended}
