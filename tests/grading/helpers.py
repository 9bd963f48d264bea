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
