"""Fixtures of the grading tests: one fixture course graded once, shared by the tests."""
import csv

import pytest

from course_lib.grading.cli import main as course

from .helpers import FIXTURE, FIXTURES, make_course, write_batch


@pytest.fixture(scope="session")
def graded_batch(tmp_path_factory):
    """The fixture assignment released, a batch of troublemakers collected, autograded,
    given feedback and exported — all through the `course` command line."""
    tmp = tmp_path_factory.mktemp("grading")
    root = make_course(tmp, FIXTURES, timeout=10)
    incoming = tmp / "incoming"
    students = write_batch(root, FIXTURE, incoming)
    assert course(["--course-dir", str(root), "collect", FIXTURE, "--from", str(incoming)]) == 0
    code = course(["--course-dir", str(root), "autograde", FIXTURE, "--jobs", "3"])
    feedback_code = course(["--course-dir", str(root), "feedback", FIXTURE])
    grades_code = course(["--course-dir", str(root), "grades", "--out", str(tmp / "grades.csv")])
    with open(root / "reports" / FIXTURE / "autograde.csv", encoding="utf-8") as fh:
        report = {r["student"]: r for r in csv.DictReader(fh)}
    with open(tmp / "grades.csv", encoding="utf-8") as fh:
        grades = {r["student"]: r for r in csv.DictReader(fh)}
    return {"root": root, "students": students, "autograde_code": code, "report": report,
            "grades": grades, "feedback_code": feedback_code, "grades_code": grades_code}
