"""A class on a real JupyterHub: the instructor releases, four students fetch, work (one in
JupyterLab in Chromium: the answers and part 0's first activity in its widget) and submit
through their own servers — twice, late, without the notebook, with damaged work — and the
instructor collects, autogrades and returns feedback, the students fetch it, and the class
report pools their work. Students cannot read each other's work or the instructor's source.

One test (the steps depend on each other); see conftest.py for the hub.
"""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone
import warnings
from pathlib import Path

import pytest

from .conftest import COURSE_ID, INSTRUCTOR, STUDENTS, in_ci

pytestmark = pytest.mark.slow
FIXTURE = Path(__file__).resolve().parents[1] / "grading" / "fixtures" / "90_fixture.ipynb"
AID = "90_fixture"
NB = f"{AID}/{AID}.ipynb"
#: What each student writes: s1 answers both, s2 gets square wrong, s3 answers nothing
#: (and damages their saved work), s4 answers both but submits without the notebook.
ANSWERS = {
    "hub-s1": {"fixture_add": "def add(a, b):\n    return a + b",
               "fixture_square": "def square(x):\n    return x * x"},
    "hub-s2": {"fixture_add": "def add(a, b):\n    return a + b",
               "fixture_square": "def square(x):\n    return x + x"},
    "hub-s3": {},
    "hub-s4": {"fixture_add": "def add(a, b):\n    return a + b",
               "fixture_square": "def square(x):\n    return x * x"},
}
#: Bad cases (issue 15): each is graded or reported, never dropped silently.
SUBMITS_TWICE = "hub-s2"        # a blank first submission, then the real one, late: the
                                # instructor sets the due date between the two
DAMAGED_WORK = "hub-s3"         # my_work/course_work.sqlite overwritten before submitting
NO_NOTEBOOK = "hub-s4"          # deletes the notebook, then submits
#: This one logs in and answers in JupyterLab, in headless Chromium (Playwright).
BROWSER_STUDENT = "hub-s1"
EXPECTED_SCORE = {"hub-s1": 3.0, "hub-s2": 2.0, "hub-s3": 0.0}   # hub-s4: not graded

_COURSE_CMD = "import sys; from course_lib.grading.cli import main; sys.exit(main())"


def course(hub, *args, ok=True):
    """``course ARGS`` run by the instructor, in a kernel of the instructor's own server;
    its output (with ``ok=False``: its exit code and output)."""
    code, text = hub.sh(INSTRUCTOR, "python", "-c", _COURSE_CMD, "--course-dir",
                        f"/home/{INSTRUCTOR}/course", *args, ok=ok)
    return text if ok else (code, text)


def assignments(hub, student, action=None):
    """nbgrader's Assignments tab, as its JavaScript calls the student's server."""
    if action is None:
        return hub.server(student, "GET", f"/assignments?course_id={COURSE_ID}")
    return hub.server(student, "POST", f"/assignments/{action}",
                      data={"course_id": COURSE_ID, "assignment_id": AID})


def by_status(listing):
    return {a["assignment_id"]: a["status"] for a in listing["value"]}


def answer_from_code(hub, student):
    """Edit the answers through the contents API."""
    model = hub.server(student, "GET", f"/api/contents/{NB}")
    nb = model["content"]
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in ANSWERS[student]:
            cell["source"] = ANSWERS[student][grade_id]
    hub.server(student, "PUT", f"/api/contents/{NB}",
               json={"type": "notebook", "format": "json", "content": nb})


def sentence(student):
    """The first sentence each student saves in part 0's activity (the class report shows it)."""
    return f"Labeling is work, says {student}."


#: Where the code students do their work: a kernel in the assignment folder (its cwd, so the
#: work is saved in the my_work/ that is submitted); no notebook file is written there.
WORK = f"{AID}/work.ipynb"
#: The cell the instructor adds to the fixture before releasing it: part 0's first activity.
ACTIVITY_CELL = ("from course_lib.part0.first_sentence import FirstSentence\n"
                 "FirstSentence(course.activity(\"part0.first_sentence\"))")


def assignment_with_an_activity():
    """The grading fixture with part 0's first-sentence widget after its set-up cell."""
    import nbformat
    nb = nbformat.read(FIXTURE, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if "course_lib.setup(" in c.source)
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(ACTIVITY_CELL))
    return nb


def answer_in_the_browser(hub, student):
    """Log in on the hub's login page, open the fetched notebook in JupyterLab, type the
    answers into their cells, run all cells from the menu, type a sentence into the widget of
    part 0's first activity and click its Save button, and save the notebook.
    Returns False (the student then works from code) when there is no Chromium or
    Playwright, outside CI."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
    from drivers import type_like_a_person, wait_text
    from harness import ARTIFACTS, CHROMIUM_ARGS, NotebookPage, find_chromium, shared_playwright
    chromium = find_chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        chromium = None
    if not chromium:
        if in_ci():
            pytest.fail("CI=true but Chromium/Playwright is missing for the hub's browser "
                        "student", pytrace=False)
        warnings.warn("no Chromium: the browser student of the hub test answered from code")
        return False

    class UserServer:   # what NotebookPage needs of a server: its URLs
        @staticmethod
        def url(path):
            return f"{hub.url}/user/{student}/{path}"

    # Playwright is shared by the test process (harness.shared_playwright)
    browser = shared_playwright().chromium.launch(executable_path=chromium,
                                                  args=CHROMIUM_ARGS)
    try:
        page = browser.new_context().new_page()
        page.goto(f"{hub.url}/hub/login")
        page.fill("input[name=username]", student)
        page.fill("input[name=password]", hub.password)
        page.click("[type=submit]")
        page.wait_for_url(f"**/user/{student}/**", timeout=60_000)
        nbp = NotebookPage(page, UserServer, NB).open()
        for grade_id, answer in ANSWERS[student].items():
            head = answer.splitlines()[0]   # def add(a, b):
            cell = nbp.cell(head.split("(")[0])
            cell.locator(".cm-content").click()
            page.keyboard.press("Control+A")
            page.keyboard.insert_text(answer)
        state = nbp.run_all()
        assert not nbp.errors(state), nbp.errors(state)
        # part 0's activity, in its widget: type the sentence, click "Save my sentence"
        box = nbp.cell("FirstSentence(").locator(".course-first-sentence-text textarea")
        box.click()
        type_like_a_person(page, sentence(student))
        page.locator(".course-first-sentence-save").first.click()
        wait_text(page.locator(".course-first-sentence-status"), "Saved 1 sentence")
        nbp.save()
    except BaseException:
        shot = ARTIFACTS / "failures" / f"hub-{student}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot))
        raise
    finally:
        browser.close()
    saved = hub.server(student, "GET", f"/api/contents/{NB}")["content"]
    sources = {c["metadata"].get("nbgrader", {}).get("grade_id"): "".join(c["source"])
               for c in saved["cells"]}
    for grade_id, answer in ANSWERS[student].items():
        assert sources[grade_id].strip() == answer.strip(), sources[grade_id]
    return True


def do_the_work(hub, student, browser=False):
    """Answer and do part 0's first activity, in the browser or from code; the activity's
    work is saved in ``my_work/`` next to the notebook (the kernel's cwd)."""
    in_browser = browser and answer_in_the_browser(hub, student)
    if not in_browser:
        answer_from_code(hub, student)
    record = ("" if in_browser else
              f"course.activity('part0.first_sentence').record('s1', {{'text': "
              f"{sentence(student)!r}, 'chars': 30, 'words': 5}}, kind='text', elapsed=4.0)\n")
    out = hub.run(student, (
        "import os, course_lib\n"
        "course = course_lib.setup(part=0)\n" + record +
        "print(os.getcwd(), sorted(os.listdir('my_work')))\n"
        "print('SAVED', [e.value['text'] for e in "
        "course.activity('part0.first_sentence').effective()])\n"), path=WORK)
    assert f"/home/{student}/{AID}" in out and "course_work.sqlite" in out, out
    assert f"SAVED [{sentence(student)!r}]" in out, out


PROBE = '''
import json, os
def attempt(fn):
    try:
        fn()
        return "READ"
    except PermissionError:
        return "denied"
    except FileNotFoundError:
        return "missing"
inbound = {inbound!r}
out = {{
    "other_home": attempt(lambda: os.listdir({other_home!r})),
    "other_notebook": attempt(lambda: open({other_nb!r}).read()),
    "instructor_home": attempt(lambda: os.listdir("/home/{instructor}")),
    "instructor_source": attempt(lambda: open("/home/{instructor}/course/source/{aid}/{aid}.ipynb").read()),
    "gradebook": attempt(lambda: open("/home/{instructor}/course/gradebook.db", "rb").read()),
    "inbound_listing": attempt(lambda: os.listdir(inbound)),
}}
print("PROBE" + json.dumps(out))
'''


def read_file(hub, user, path):
    """A text file of ``user``'s home, through their server's contents API."""
    return hub.server(user, "GET", f"/api/contents/{path}?type=file&format=text")["content"]


def probe(hub, student, other):
    out = hub.run(student, PROBE.format(
        inbound=str(hub.exchange / COURSE_ID / "inbound"), other_home=f"/home/{other}",
        other_nb=f"/home/{other}/{NB}", instructor=INSTRUCTOR, aid=AID))
    return json.loads(out.split("PROBE", 1)[1])


def test_a_class_on_jupyterhub(hub):
    users = (INSTRUCTOR, *STUDENTS)
    hub.start_servers(users)
    for user in users:   # each server runs as its own user, in its own home
        assert hub.run(user, "import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name, "
                             "os.getcwd())").split() == [user, f"/home/{user}"]

    # -- the instructor makes the course folder and releases the assignment ---------------
    hub.sh(INSTRUCTOR, "mkdir", "-p", f"/home/{INSTRUCTOR}/notebooks")
    hub.server(INSTRUCTOR, "PUT", f"/api/contents/notebooks/{AID}.ipynb", expect=201,
               json={"type": "notebook", "format": "json",
                     "content": assignment_with_an_activity()})
    hub.sh(INSTRUCTOR, "python", "-c", _COURSE_CMD, "init", f"/home/{INSTRUCTOR}/course",
           "--notebooks", f"/home/{INSTRUCTOR}/notebooks", "--exchange", str(hub.exchange),
           "--course-id", COURSE_ID, "--timeout", "20")
    assert "released to the exchange" in course(hub, "release", AID)

    # -- each student fetches, works and submits through their own server ------------------
    for student in STUDENTS:
        assert by_status(assignments(hub, student)) == {AID: "released"}
        assert by_status(assignments(hub, student, "fetch"))[AID] == "fetched"
        if student == SUBMITS_TWICE:   # the released, blank notebook first
            assert by_status(assignments(hub, student, "submit"))[AID] == "submitted"
            time.sleep(1.1)            # nbgrader's timestamps: the second is newer
            due = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
            assert f"{AID}: due {due} UTC" in course(hub, "due", AID, due)
            time.sleep(1.1)            # everything submitted from now on is late
        do_the_work(hub, student, browser=student == BROWSER_STUDENT)
        if student == DAMAGED_WORK:
            hub.run(student, f"open('/home/{student}/{AID}/my_work/course_work.sqlite', 'wb')"
                             ".write(b'this is not a database' * 100)")
        if student == NO_NOTEBOOK:
            hub.server(student, "DELETE", f"/api/contents/{NB}", expect=204)
        listing = assignments(hub, student, "submit")
        assert by_status(listing)[AID] == "submitted", listing
    submissions = {s: [x["timestamp"] for a in assignments(hub, s)["value"]
                       if a["status"] == "submitted" for x in a["submissions"]]
                   for s in STUDENTS}
    assert len(submissions[SUBMITS_TWICE]) == 2, submissions

    # -- nobody reads what is not theirs ---------------------------------------------------
    for student, other in zip(STUDENTS, STUDENTS[1:] + STUDENTS[:1]):
        seen = probe(hub, student, other)
        assert set(seen.values()) == {"denied"}, (student, seen)

    # -- the instructor collects, autogrades, returns feedback, builds the class report ----
    assert "collected 4 submissions" in course(hub, "collect", AID)
    # the newest of the two submissions was collected (the blank one scored 0)
    code, graded = course(hub, "autograde", AID, "--jobs", "2", ok=False)
    assert code == 1, graded   # one submission could not be graded: said so, exit code 1
    lines = {line.split(":")[0].strip(): line for line in graded.splitlines() if ":" in line}
    for student, score in EXPECTED_SCORE.items():
        assert f"{student}: graded, {score:g}/3" in lines[student], graded
        # submitted after the due date (all but the first student): graded, and said so
        assert (" late" in lines[student]) == (student != STUDENTS[0]), lines[student]
    assert f"{NO_NOTEBOOK}: not graded" in graded, graded
    # feedback is made for the graded three, and the fourth is named with the reason
    code, feedback = course(hub, "feedback", AID, ok=False)
    assert code == 1 and all(f"{s}: /home/{INSTRUCTOR}/course/feedback/{s}/{AID}" in feedback
                             for s in EXPECTED_SCORE), feedback
    assert f"{NO_NOTEBOOK}: NO FEEDBACK: the submission has no {AID}.ipynb" in feedback, feedback
    code, grades = course(hub, "grades", "--out", f"/home/{INSTRUCTOR}/grades.csv", ok=False)
    assert code == 1 and f"NOT GRADED: {NO_NOTEBOOK} {AID}" in grades, grades
    report = course(hub, "class-report", "--out", f"/home/{INSTRUCTOR}/report",
                    "--no-execute")
    # s1, s2 and s4 (whose work came without a notebook) pooled; s3's damaged work reported
    assert "3 students' work used" in report and "0 problems" not in report, report
    html = read_file(hub, INSTRUCTOR, "report/class_report.html")
    for student in STUDENTS:
        assert (f"says {student}." in html) == (student != DAMAGED_WORK), student

    # -- each student fetches their own feedback ------------------------------------------
    for student in EXPECTED_SCORE:
        listing = assignments(hub, student, "fetch_feedback")
        [entry] = [a for a in listing["value"] if a["status"] == "submitted"]
        sub = max(entry["submissions"], key=lambda x: x["timestamp"])
        assert sub["has_local_feedback"] and not sub["feedback_updated"], sub
        folder = f"{AID}/feedback/{sub['timestamp']}"
        names = [f["name"] for f in hub.server(student, "GET", f"/api/contents/{folder}")
                 ["content"]]
        assert f"{AID}.html" in names, names
        text = read_file(hub, student, f"{folder}/{AID}.html")
        # their own score (the 3-point reflection waits for manual grading), no hidden test
        assert f"Score: {EXPECTED_SCORE[student]:.1f} / 6.0)" in text, student
        assert "HIDDEN_MARKER" not in text
        # and no student can fetch (or read) another's feedback
        assert probe(hub, student, STUDENTS[0] if student != STUDENTS[0] else STUDENTS[1]) \
            ["other_home"] == "denied"

    # -- collected again with --before-due: each student's newest on-time submission -------
    course(hub, "collect", AID, "--before-due")
    stamps = {s: read_file(hub, INSTRUCTOR, f"course/submitted/{s}/{AID}/timestamp.txt")
              for s in STUDENTS}
    first, second = sorted(submissions[SUBMITS_TWICE])
    assert stamps[SUBMITS_TWICE].strip() == first, (stamps, submissions)   # the blank, on time
    assert stamps[DAMAGED_WORK].strip() == submissions[DAMAGED_WORK][0]    # late, its only one
