"""End to end through the `course` CLI: a batch of troublemaking submissions is graded.

A correct submission scores full marks, a blank one 0; one that raises, loops in Python,
loops in C (Ctrl-C cannot stop it), kills its kernel, exhausts memory, edits a test cell,
switches kernel or carries script injections is graded and reported; an unreadable
notebook is reported as NOT GRADED, never as a silent 0; and the batch finishes.
"""
import json

import pytest

from .helpers import FIXTURE

pytestmark = pytest.mark.slow

#: autograded points of the fixture (2 + 1) and what each submission must score
EXPECTED = {"correct": 3, "blank": 0, "raises": 1, "python_loop": 1, "c_loop": 1,
            "kernel_exit": 1, "memory": 1, "edits_test_cell": 0, "switches_kernel": 3,
            "hostile": 3}
#: what the report must say went wrong (a word of the problem text)
SAYS = {"raises": "ValueError", "python_loop": "interrupted", "c_loop": "did not stop",
        "kernel_exit": "kernel died", "memory": "MemoryError", "edits_test_cell": "was edited",
        "switches_kernel": "switched to kernel 'ir'", "hostile": "script",
        "unreadable": "cannot be read", "no_notebook": f"no {FIXTURE}.ipynb was submitted"}


def test_the_batch_finishes_and_every_submission_is_in_the_report(graded_batch):
    assert set(graded_batch["report"]) == set(graded_batch["students"])


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_graded_with_the_right_score(graded_batch, student):
    row = graded_batch["report"][student]
    assert row["status"] == "graded", row
    assert float(row["auto_score"]) == EXPECTED[student], row
    assert float(row["auto_max"]) == 3


@pytest.mark.parametrize("student", sorted(SAYS))
def test_says_what_went_wrong(graded_batch, student):
    assert SAYS[student] in graded_batch["report"][student]["problems"]


def test_the_rest_of_a_crashed_notebook_is_still_graded(graded_batch):
    """The stuck/dead kernel was restarted and the earlier cells replayed: exercise 2 counts."""
    root = graded_batch["root"]
    for student in ("c_loop", "kernel_exit"):
        log = (root / "reports" / FIXTURE / f"{student}.problems.jsonl").read_text()
        kinds = [json.loads(line)["problem"] for line in log.splitlines()]
        assert kinds == ["stuck" if student == "c_loop" else "kernel_died"]


def test_unreadable_notebook_is_not_graded_and_says_so(graded_batch):
    assert graded_batch["report"]["unreadable"]["status"] == "not graded"
    assert graded_batch["autograde_code"] == 1  # the CLI tells the instructor something is off
    row = graded_batch["grades"]["unreadable"]
    assert row["status"] == "NOT GRADED" and "cannot be read" in row["problems"]


def test_missing_notebook_scores_zero_and_is_reported(graded_batch):
    row = graded_batch["grades"]["no_notebook"]
    assert float(row["auto_score"]) == 0
    assert f"no {FIXTURE}.ipynb was submitted" in row["problems"]


def test_grades_export_has_every_student_and_manual_grading_flag(graded_batch):
    grades = graded_batch["grades"]
    assert set(grades) == set(graded_batch["students"])
    assert float(grades["correct"]["score"]) == 3 and float(grades["correct"]["max_score"]) == 6
    assert grades["correct"]["needs_manual_grade"] == "True"  # the written reflection
