"""Small pieces of the grading tools, each on its own."""
import os
import subprocess
import sys
import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib.core.errors import CourseValueError
from course_lib.grading import checks, collect, sandbox
from course_lib.grading.coursedir import CourseFolder, check_student_id
from course_lib.grading.feedback import (HIDDEN_NOTE, EscapeLearnerMarkdown, HideTestTracebacks,
                                         UntrustedOutputs)
from course_lib.grading.synthetic import HOSTILE_TEXTS

from .helpers import FIXTURES, live_injections


def _test_cell(source="assert f() == 1"):
    return new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "part9_t", "points": 1}})


def test_course_folder_from_anywhere(tmp_path, monkeypatch):
    folder = CourseFolder.create(tmp_path / "term", notebooks=FIXTURES)
    monkeypatch.chdir("/")
    again = CourseFolder(tmp_path / "term")
    assert again.assignments() == ["90_fixture"] and again.assignments(["90"]) == ["90_fixture"]
    assert again.notebooks == FIXTURES and folder.root == again.root
    with pytest.raises(CourseValueError, match="Unknown or ambiguous"):
        again.assignments(["7"])
    with pytest.raises(CourseValueError, match="not a course folder"):
        CourseFolder(tmp_path)


@pytest.mark.parametrize("bad", ["", "..", "../x", "a/b", "x" * 65, "-rf", "a b"])
def test_student_ids_are_plain(bad):
    with pytest.raises(CourseValueError):
        check_student_id(bad)


def test_checks_find_edits_kernel_switch_deletions_and_scripts():
    released = new_notebook(cells=[_test_cell(), _test_cell("assert g()")],
                            metadata={"kernelspec": {"name": "python3", "display_name": "P"}})
    released.cells[1].metadata.nbgrader["grade_id"] = "part9_u"
    sub = new_notebook(cells=[_test_cell("pass")],
                       metadata={"kernelspec": {"name": "julia", "display_name": "J"}})
    sub.cells[0].outputs = [new_output("display_data", data={"text/html": HOSTILE_TEXTS[1]})]
    kinds = [p.kind for p in checks.compare(released, sub)]
    assert kinds == ["kernel_switched", "edited_locked_cell", "deleted_cell", "active_output"]
    assert checks.compare(released, released) == []


def test_hide_test_tracebacks_keeps_the_message_only():
    cell = _test_cell("assert f(2) == 4  # hidden detail")
    cell.outputs = [new_output("error", ename="AssertionError", evalue="f(2) should be 4",
                               traceback=["----> 1 assert f(2) == 4  # hidden detail"])]
    nb = new_notebook(cells=[cell])
    HideTestTracebacks().preprocess(nb, {})
    assert nb.cells[0].outputs[0].traceback == ["AssertionError: f(2) should be 4", HIDDEN_NOTE]


def test_escape_learner_markdown_and_outputs():
    answer = new_markdown_cell(" ".join(HOSTILE_TEXTS), metadata={"nbgrader": {
        "solution": True, "grade": True, "grade_id": "part9_r", "points": 1}})
    code = new_code_cell("display(HTML(...))")
    code.outputs = [new_output("display_data", data={"text/html": HOSTILE_TEXTS[0],
                                                     "application/javascript": "alert(1)"})]
    raw = nbformat.v4.new_raw_cell(HOSTILE_TEXTS[2], metadata={"raw_mimetype": "text/html"})
    nb = new_notebook(cells=[answer, code, raw])
    EscapeLearnerMarkdown().preprocess(nb, {"nbgrader": {"assignment": "x", "notebook": "y"}})
    UntrustedOutputs().preprocess(nb, {})  # outputs are its job (feedback runs both)
    assert "<" not in nb.cells[0].source
    for out in nb.cells[1].outputs:  # a script-only output may be dropped altogether
        assert "<script" not in out.get("data", {}).get("text/html", "")
        assert "application/javascript" not in out.get("data", {})
    assert "raw_mimetype" not in nb.cells[2].metadata
    from nbconvert import HTMLExporter
    html, _ = HTMLExporter().from_notebook_node(nb)
    assert live_injections(html) == []


def test_collect_from_folder_is_safe(tmp_path):
    folder = CourseFolder.create(tmp_path / "c", notebooks=FIXTURES)
    src = tmp_path / "in"
    (src / "ada" / "90_fixture" / "my_work").mkdir(parents=True)
    (src / "ada" / "90_fixture" / "90_fixture.ipynb").write_text("{}")
    (src / "bad name").mkdir()
    os.symlink("/etc", src / "linked")
    with zipfile.ZipFile(src / "eve.zip", "w") as zf:
        zf.writestr("90_fixture.ipynb", "{}")
        zf.writestr("../../escaped.txt", "x")
        zf.writestr("/abs.txt", "x")
    (src / "bob.zip").write_bytes(b"not a zip")
    result = collect.from_folder(folder, "90_fixture", src)
    assert result["ada"] == [] and (folder.path("submitted", "ada", "90_fixture")
                                    / "90_fixture.ipynb").exists()
    assert "unsafe" in " ".join(result["eve"]) and not (tmp_path / "escaped.txt").exists()
    assert (folder.path("submitted", "eve", "90_fixture") / "timestamp.txt").exists()
    assert "skipped" in result["bad name"][0] and "refused the link" in result["linked"][0]
    assert "cannot read" in result["bob"][0]
    assert folder.submitted_students("90_fixture") == ["ada", "eve"]


def test_memory_cap_turns_a_runaway_allocation_into_memoryerror():
    code = ("import sys\ntry:\n    b = bytearray(3 * 1024**3)\nexcept MemoryError:\n"
            "    sys.exit(7)")
    proc = subprocess.run(sandbox.wrap_command([sys.executable, "-c", code], memory_mb=1024),
                          timeout=60)
    assert proc.returncode == 7


def test_no_network_kernel_cannot_connect():
    if not sandbox.network_isolation_available():
        pytest.skip("this machine cannot make network namespaces")
    code = ("import socket, sys\ntry:\n    socket.create_connection(('127.0.0.1', 9), 1)\n"
            "except OSError as e:\n    sys.exit(7 if e.errno in (101, 111, 99) else 3)")
    proc = subprocess.run(sandbox.wrap_command([sys.executable, "-c", code], memory_mb=0,
                                               no_network=True), timeout=60)
    assert proc.returncode == 7


class _RacingFolder:
    """A course folder whose nbgrader answers with ``outputs`` in turn (code, text)."""

    def __init__(self, outputs):
        self.outputs = list(outputs)
        self.calls = 0

    def nbgrader(self, *args, env=None, timeout=None, log=None):
        self.calls += 1
        return self.outputs.pop(0)


@pytest.mark.parametrize("race", [
    "sqlite3.OperationalError: database is locked",
    # two assignments graded at once, the same student new to both (seen in the suite)
    "InvalidEntry: (sqlite3.IntegrityError) UNIQUE constraint failed: student.id"])
def test_a_lost_gradebook_race_is_graded_again(tmp_path, race):
    from course_lib.grading.autograde import run_nbgrader_autograde

    folder = _RacingFolder([(1, f"[AutogradeApp | ERROR] {race}"), (0, "graded")])
    code, _ = run_nbgrader_autograde(folder, "00_welcome", "ada", tmp_path / "p.jsonl", 60,
                                     tmp_path / "ada.log")
    assert (code, folder.calls) == (0, 2)
    other = _RacingFolder([(1, "[AutogradeApp | ERROR] No notebooks were matched"), (0, "")])
    assert run_nbgrader_autograde(other, "00_welcome", "ada", tmp_path / "p.jsonl", 60,
                                  tmp_path / "ada.log")[0] == 1 and other.calls == 1
