"""A hostile submission attacks the grader itself, and cannot subvert it.

Three students attack while being graded (see ``helpers.hostile_variants``): one tries to zero
every grade in ``gradebook.db``, read the sources and another student's work and plant files
in site-packages; one registers an IPython ``post_run_cell`` hook that displays script in the
grader's test cells; one registers a ``pre_run_cell`` hook that prints the hidden tests and
smuggles them out through an error message and a later cell. Each is graded on what its
answers earn, the victim's grade survives the attack and a re-grade, and the feedback carries
neither live script nor hidden-test text — checked by parsing the HTML, and in Chromium.
"""
import base64
import csv
import json
import os
import re
import site
import stat
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import sandbox, synthetic
from course_lib.grading.cli import main as course
from course_lib.grading.feedback import clean_html

from .helpers import (FIXTURE, FIXTURES, PLANTED, ROOT, active_content, hostile_variants,
                      live_injections, make_course)

pytestmark = pytest.mark.slow

#: What each submission's answers earn (of 3 autograded points).
EXPECTED = {"correct": 3, "tamperer": 3, "hooker": 3, "leaker": 1}
HIDDEN = ("HIDDEN_MARKER", "BEGIN HIDDEN TESTS", "add(-2, 5)", "add(0.5, 0.25)", "square(-4)")


def _grades(root, tmp):
    out = tmp / "grades.csv"
    course(["--course-dir", str(root), "grades", "--out", str(out)])
    with open(out, encoding="utf-8") as fh:
        return {r["student"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    root = make_course(tmp, FIXTURES, timeout=30)
    source = nbformat.read(root / "source" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
    released = nbformat.read(root / "release" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
    correct = synthetic.submission_variants(source, released)["correct"]
    incoming = tmp / "incoming"
    synthetic.write_submission(incoming / "correct", correct, FIXTURE)
    for name, nb in hostile_variants(correct, root, FIXTURES).items():
        synthetic.write_submission(incoming / name, nb, FIXTURE)
    assert course(["--course-dir", str(root), "collect", FIXTURE, "--from", str(incoming)]) == 0
    # the victim first, so that its grades are in the gradebook when the attackers run
    assert course(["--course-dir", str(root), "autograde", FIXTURE, "--student", "correct"]) == 0
    first = course(["--course-dir", str(root), "autograde", FIXTURE, "--jobs", "2",
                    "--student", "tamperer", "--student", "hooker", "--student", "leaker"])
    after_attack = _grades(root, tmp)
    # a re-grade: the tamperer attacks again, after everyone is in the gradebook
    regrade = course(["--course-dir", str(root), "autograde", FIXTURE, "--student", "tamperer"])
    feedback = course(["--course-dir", str(root), "feedback", FIXTURE])
    return {"root": root, "tmp": tmp, "first": first, "regrade": regrade,
            "feedback": feedback, "after_attack": after_attack, "final": _grades(root, tmp)}


def _feedback(attacked, student):
    path = attacked["root"] / "feedback" / student / FIXTURE / f"{FIXTURE}.html"
    return path.read_text(encoding="utf-8")


def _tamper_report(root):
    nb = nbformat.read(root / "autograded" / "tamperer" / FIXTURE / f"{FIXTURE}.ipynb",
                       as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in str(out.get("text", "")).splitlines():
                if line.startswith("TAMPER"):
                    return json.loads(line[len("TAMPER"):])
    raise AssertionError("the tampering cell did not report")


def test_every_attacker_is_graded_on_its_answers(attacked):
    assert attacked["first"] == 0 and attacked["regrade"] == 0
    for student, points in EXPECTED.items():
        row = attacked["final"][student]
        assert row["status"] == "graded", row
        assert float(row["auto_score"]) == points, row


def test_the_victims_grade_survives_the_attack_and_a_regrade(attacked):
    for grades in (attacked["after_attack"], attacked["final"]):
        assert float(grades["correct"]["auto_score"]) == 3
        assert float(grades["correct"]["score"]) == 3


@pytest.mark.skipif(os.geteuid() != 0 or sandbox.isolation_mode() != "user",
                    reason="the separate grading user needs root")
def test_the_kernel_could_reach_nothing_of_the_course(attacked):
    report = _tamper_report(attacked["root"])
    # one of the grading users (another process grading at the same time holds another slot)
    graders = {e.pw_uid for e in sandbox.pwd.getpwall()
               if e.pw_name.startswith(sandbox.GRADER_USER)}
    assert report["uid"] != 0 and report["uid"] in graders, (report["uid"], graders)
    assert not report["cwd"].startswith(str(attacked["root"]))  # a scratch copy, not the course
    for attempt in ("gradebook_relative", "gradebook_absolute", "read_source", "read_notebooks",
                    "read_other", "write_other", "write_site_packages", "write_course_lib"):
        assert report[attempt].startswith("FAILED"), (attempt, report[attempt])
    assert report["list_autograded"] in ("FAILED PermissionError", "[]")
    for planted in PLANTED:
        assert not (Path(site.getsitepackages()[0]) / planted).exists()
        assert not (ROOT / planted).exists()


def test_site_packages_stay_root_owned_and_world_readable():
    for path in (Path(site.getsitepackages()[0]), ROOT / "course_lib"):
        st = path.stat()
        if os.geteuid() == 0:
            assert st.st_uid == 0, path
        assert st.st_mode & stat.S_IROTH and st.st_mode & stat.S_IXOTH, path
        assert not st.st_mode & stat.S_IWOTH, path


def test_autograde_prints_and_saves_the_isolation(attacked):
    report = json.loads((attacked["root"] / "reports" / FIXTURE / "isolation.json").read_text())
    assert report["error"] is None
    assert report["read"] and not any(report["read"].values()), report
    assert report["write"].pop("scratch") is True
    assert not any(report["write"].values()), report
    text = sandbox.format_isolation(report)
    assert "cannot read: gradebook" in text and "WARNING" not in text


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_feedback_runs_nothing_the_student_displayed(attacked, student):
    html = _feedback(attacked, student)
    assert live_injections(html) == [], student
    # the only scripts left are the course's: plotly.js and the figure it draws
    for piece in active_content(html):
        assert synthetic.PWNED not in piece


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_feedback_shows_no_hidden_test(attacked, student):
    html = _feedback(attacked, student)
    for text in HIDDEN:
        assert text not in html, (student, text)
        assert base64.b64encode(text.encode()).decode()[:12] not in html
    assert html.count("LEAKED:") == (1 if student == "leaker" else 0)  # its source only


def test_leaker_sees_its_verdict_but_not_the_smuggled_message(attacked):
    html = _feedback(attacked, "leaker")
    assert "Score: 0.0 / 2.0" in html and "Score: 1.0 / 1.0" in html
    assert "AssertionError" in html and "not shown" in html
    # its own source, which prints them, is shown once; what that source printed is not
    assert html.count("ENCODED:") == 1 and html.count("LATER:") == 1
    assert "Output not shown in the feedback" in html


def test_course_messages_are_kept_for_a_failing_test(tmp_path):
    from course_lib.grading.feedback import UntrustedOutputs

    test = nbformat.v4.new_code_cell(
        'print("It is a number.")\nassert f() == 1, "f() should be 1"\n'
        "### BEGIN HIDDEN TESTS\nassert f(2) == 2  # HIDDEN\n### END HIDDEN TESTS",
        metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t",
                               "points": 1}})
    test.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                           text="It is a number.\nassert f(2) == 2  # HIDDEN\n"),
                    nbformat.v4.new_output("error", ename="AssertionError",
                                           evalue="f() should be 1", traceback=["..."])]
    later = nbformat.v4.new_code_cell("print(secret)")
    later.outputs = [nbformat.v4.new_output("stream", name="stdout", text="HIDDEN\n")]
    nb = nbformat.v4.new_notebook(cells=[test, later])
    nb, _ = UntrustedOutputs().preprocess(nb, {})
    texts = json.dumps(nb.cells[0].outputs)
    assert "It is a number." in texts and "f() should be 1" in texts and "HIDDEN" not in texts
    assert "HIDDEN" not in json.dumps(nb.cells[1].outputs)


def test_html_outputs_are_rebuilt_from_an_allowlist():
    for text in synthetic.HOSTILE_TEXTS:
        assert live_injections(clean_html(text)) == []
    assert clean_html("<table><tr><td class='x'>1</td></tr></table>") == \
        '<table><tr><td class="x">1</td></tr></table>'


def test_hook_checks_flag_the_attackers(attacked):
    # autograde.csv holds the last batch (the tamperer's re-grade); each student's report stays
    reports = attacked["root"] / "reports" / FIXTURE
    for student in ("hooker", "leaker"):
        report = json.loads((reports / f"{student}.json").read_text(encoding="utf-8"))
        hooks = [p for p in report["problems"] if p["kind"] == "kernel_hook"]
        assert hooks and "changes how the kernel runs" in hooks[0]["message"], report
    report = json.loads((reports / "correct.json").read_text(encoding="utf-8"))
    assert not [p for p in report["problems"] if p["kind"] == "kernel_hook"]


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium") and not os.environ.get("CI"),
                    reason="no chromium")
def test_in_a_real_browser_no_student_script_runs(attacked):
    from .test_security import _browser_checks

    pages = {s: attacked["root"] / "feedback" / s / FIXTURE / f"{FIXTURE}.html"
             for s in EXPECTED}
    for name, (pwned, dialogs, plots) in _browser_checks(pages).items():
        assert not pwned and not dialogs, name
        assert plots >= 1, f"{name}: the course's figure should still render offline"


def test_sandbox_spec_hides_course_and_keeps_python_reachable(tmp_path):
    box = sandbox.Box(sandbox.isolation_mode(), hide=[str(tmp_path)])
    try:
        spec = box.spec()
        assert str(tmp_path) in spec["hide"] and spec["writable"] == [box.root]
        env = box.env({"SECRET_TOKEN": "x", "PATH": "/usr/bin", "COURSE_DIR": "/c"})
        assert "SECRET_TOKEN" not in env and "COURSE_DIR" not in env
        assert env["HOME"] == box.work or box.work.startswith(env["HOME"])
    finally:
        box.remove()
    assert not os.path.exists(box.root)
    assert re.match(r"^/", spec["cwd"])


@pytest.mark.parametrize("mode", ["user", "namespace", "none"])
def test_isolation_report_per_mode(tmp_path, mode):
    """Each mode is measured: what the probe could read and write is what the report says."""
    if mode == "user" and os.geteuid() != 0:
        pytest.skip("needs root")
    if mode == "namespace" and not sandbox._userns_works():
        pytest.skip("no user namespaces here")
    root = tmp_path / "course"
    (root / "source" / "a").mkdir(parents=True)
    (root / "source" / "a" / "a.ipynb").write_text("hidden tests")
    (root / "gradebook.db").write_text("grades")
    report = sandbox.isolation_report(root, isolation=mode)
    assert report["error"] is None, report
    assert set(report["read"]) == {"gradebook", "source"}
    if mode == "none":
        assert all(report["read"].values())
        assert "WARNING" in sandbox.format_isolation(report)
    else:
        assert not any(report["read"].values()), report
        assert report["write"].pop("scratch") is True
        assert not any(report["write"].values()), report
        assert "WARNING" not in sandbox.format_isolation(report)
