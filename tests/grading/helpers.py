"""Shared helpers of the grading tests: building a course, finding live script in HTML."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat

from course_lib.grading import synthetic
from course_lib.grading.cli import main as course

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE = "90_fixture"


class ActiveContent(HTMLParser):
    """Collects everything in an HTML page that a browser would run: script bodies, event
    handler attributes, javascript: URLs, srcdoc frames."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.active = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            value = value or ""
            if key.startswith("on") or "javascript:" in value.lower() or key == "srcdoc":
                self.active.append(f"<{tag} {key}={value}>")
        if tag in ("script", "iframe", "object", "embed", "svg"):
            self._tag = tag
            self.active.append(f"<{tag}>")

    def handle_data(self, data):
        if self._tag in ("script", "iframe", "object", "embed"):
            self.active.append(data)

    def handle_endtag(self, tag):
        if tag == self._tag:
            self._tag = None


def active_content(html):
    parser = ActiveContent()
    parser.feed(html)
    return parser.active


def live_injections(html, marker=synthetic.PWNED):
    """Pieces of active content that carry the hostile marker (must be empty)."""
    return [a[:200] for a in active_content(html) if marker in a]


def make_course(tmp, notebooks, *, timeout=10):
    """A course folder in ``tmp/course`` for ``notebooks``, released through the CLI."""
    root = Path(tmp) / "course"
    assert course(["init", str(root), "--notebooks", str(notebooks),
                   "--timeout", str(timeout)]) == 0
    assert course(["--course-dir", str(root), "release"]) == 0
    return root


def hostile_work(dest):
    """A my_work folder whose saved texts are script injections."""
    from course_lib.core.workspace import Workspace

    ws = Workspace(dest)
    for i, text in enumerate(synthetic.HOSTILE_TEXTS):
        ws.activity("part0.first_sentence").record(
            f"s{i}", {"text": text, "chars": len(text), "words": 1}, kind="text", elapsed=2.0)
    ws.close()
    return dest


def write_batch(root, assignment, dest):
    """Every troublemaking submission of ``assignment`` as student folders in ``dest``."""
    source = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    released = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    variants = synthetic.submission_variants(source, released)
    for name, nb in variants.items():
        work = hostile_work(dest / "_work_hostile") if name == "hostile" else None
        synthetic.write_submission(dest / name, nb, assignment, work=work)
    synthetic.write_submission(dest / "unreadable", '{"cells": [ this is not json', assignment)
    synthetic.write_submission(dest / "no_notebook", None, assignment,
                               work=hostile_work(dest / "_work_plain"))
    for scratch in ("_work_hostile", "_work_plain"):
        import shutil
        shutil.rmtree(dest / scratch)
    return sorted(list(variants) + ["unreadable", "no_notebook"])


# -- hostile submissions: they attack the grader, not only the browser ---------------------------
#: Files a tampering kernel tries to create (they must never appear).
PLANTED = ("course_lib/_planted_by_student.py", "course_planted_by_student.pth")

_ADD = "def add(a, b):\n    return a + b\n"

_TAMPER = '''
import json, os, sqlite3, site
_report = {"uid": os.getuid(), "cwd": os.getcwd()}
def _try(name, fn):
    try:
        _report[name] = repr(fn())[:300]
    except BaseException as exc:
        _report[name] = "FAILED " + type(exc).__name__
def _zero(path):
    with sqlite3.connect(path, timeout=5) as db:
        db.execute("UPDATE grade SET auto_score = 0, manual_score = 0")
        return db.execute("SELECT count(*) FROM grade").fetchone()
_try("gradebook_relative", lambda: _zero("../../../gradebook.db"))
_try("gradebook_absolute", lambda: _zero(ROOT + "/gradebook.db"))
_try("read_source", lambda: open(ROOT + "/source/90_fixture/90_fixture.ipynb").read())
_try("read_notebooks", lambda: open(NOTEBOOKS + "/90_fixture.ipynb").read())
_try("read_other", lambda: open(ROOT + "/submitted/correct/90_fixture/90_fixture.ipynb").read())
_try("write_other", lambda: open(ROOT + "/submitted/correct/90_fixture/90_fixture.ipynb", "a").write(" "))
_try("list_autograded", lambda: os.listdir(ROOT + "/autograded"))
_try("write_site_packages", lambda: open(os.path.join(site.getsitepackages()[0], PLANT[1]), "w").write("import os"))
_try("write_course_lib", lambda: open(os.path.join(PACKAGE, PLANT[0]), "w").write("x = 1"))
print("TAMPER" + json.dumps(_report))
'''

_HOOK = '''
from IPython.display import HTML, Javascript, display
def _inject(result):
    display(Javascript("window.{pwned} = 1; console.log('{pwned}')"))
    display(HTML("<script>window.{pwned} = 1</script><img src=x onerror='window.{pwned}=1'>"))
    print("<script>window.{pwned} = 1</script>")
get_ipython().events.register("post_run_cell", _inject)
'''

_LEAK = '''
_seen = []
def _spy(info):
    _seen.append(info.raw_cell)
    print("LEAKED:" + info.raw_cell)
get_ipython().events.register("pre_run_cell", _spy)
def add(a, b):
    if (a, b) == (-2, 5):  # fail the hidden test with the hidden test as the message
        raise AssertionError("".join(_seen))
    return a + b
'''

_LEAK_LATER = '''
import base64
def square(x):
    return x * x
print("LATER:" + "".join(_seen))
print("ENCODED:" + base64.b64encode("".join(_seen).encode()).decode())
'''


def hostile_variants(correct, root, notebooks, pwned=synthetic.PWNED):
    """``{name: notebook}``: submissions that attack the grading itself.

    * ``tamperer`` answers correctly, then tries to zero every grade in the gradebook, read
      the sources and another student's work, and plant files in site-packages/course_lib;
    * ``hooker`` answers correctly and registers a ``post_run_cell`` hook that displays
      script in every later cell (the grader's test cells too);
    * ``leaker`` registers a ``pre_run_cell`` hook that prints each cell's source (the hidden
      tests), fails a hidden test with the hidden source as its message, and prints the
      sources again (plain and base64) in a later answer cell.
    """
    import copy

    import course_lib

    def answer_cells(nb):
        return [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                and (c.metadata.get("nbgrader", {}) or {}).get("solution")]

    package = str(Path(course_lib.__file__).resolve().parents[1])
    header = (f"ROOT = {str(root)!r}\nNOTEBOOKS = {str(notebooks)!r}\n"
              f"PACKAGE = {package!r}\nPLANT = {PLANTED!r}\n")
    out = {}
    nb = copy.deepcopy(correct)
    nb.cells[answer_cells(nb)[0]].source = _ADD + header + _TAMPER
    out["tamperer"] = nb
    nb = copy.deepcopy(correct)
    nb.cells[answer_cells(nb)[0]].source = _ADD + _HOOK.format(pwned=pwned)
    out["hooker"] = nb
    nb = copy.deepcopy(correct)
    first, second = answer_cells(nb)[:2]
    nb.cells[first].source = _LEAK
    nb.cells[second].source = _LEAK_LATER
    out["leaker"] = nb
    return out
