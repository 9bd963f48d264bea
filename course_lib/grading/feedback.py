"""Feedback a student can read offline: their score per cell, what failed, no hidden tests.

nbgrader's ``generate_feedback`` turns each graded notebook into one HTML file. The course
adds two preprocessors (configured in :mod:`course_lib.grading.config`):

* :class:`HideTestTracebacks` — a failed test cell shows the error's name and message, not
  the traceback (a traceback quotes the hidden test's source line);
* :class:`EscapeLearnerMarkdown` — whatever the student wrote or added (written answers,
  new cells, outputs of their own code) is shown as text: HTML in it is escaped or
  sanitized, so nothing in it runs when the feedback is opened.

plotly figures made by the course's own cells keep their embedded plotly.js, so they render
with no internet connection.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from nbconvert.preprocessors.sanitize import SanitizeHTML
from nbgrader.preprocessors import NbGraderPreprocessor

from .checks import read_notebook

HIDDEN_NOTE = "(The lines of the tests are not shown: some of them are hidden tests.)"


def _nbgrader(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


class HideTestTracebacks(NbGraderPreprocessor):
    """Replace the traceback of a failed test cell with its error name and message."""

    def preprocess_cell(self, cell, resources, index):
        meta = _nbgrader(cell)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    message = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".rstrip(": ")
                    out["traceback"] = [message, HIDDEN_NOTE]
        return cell, resources


class EscapeLearnerMarkdown(NbGraderPreprocessor):
    """Show learner-written content as text: escape their markdown, sanitize their outputs.

    A cell counts as the course's own when its source is exactly that of a cell in the
    released notebook and it is not an answer cell; everything else is the learner's.
    """

    def preprocess(self, nb, resources):
        self._course_sources = self._released_sources(resources)
        self._sanitizer = SanitizeHTML()
        return super().preprocess(nb, resources)

    def _released_sources(self, resources):
        from nbgrader.coursedir import CourseDirectory

        info = resources.get("nbgrader", {})
        try:
            coursedir = CourseDirectory(config=self.config)
            path = coursedir.format_path(coursedir.release_directory, ".",
                                         info.get("assignment", ""))
            released, _ = read_notebook(f"{path}/{info.get('notebook', '')}.ipynb")
        except Exception:  # noqa: BLE001 - no release: treat every cell as the learner's
            released = None
        if released is None:
            return set()
        return {(c.cell_type, c.source) for c in released.cells
                if not _nbgrader(c).get("solution")}

    def _is_learners(self, cell):
        return (_nbgrader(cell).get("solution")
                or (cell.cell_type, cell.source) not in self._course_sources)

    def preprocess_cell(self, cell, resources, index):
        if not self._is_learners(cell):
            return cell, resources
        if cell.cell_type == "markdown":
            cell.source = html.escape(cell.source, quote=False)
            cell.attachments = {}
        elif cell.cell_type == "raw":
            cell.metadata.pop("raw_mimetype", None)
            cell.metadata.pop("format", None)
            cell.source = html.escape(cell.source, quote=False)
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                for key in ("application/javascript", "text/javascript", "image/svg+xml"):
                    data.pop(key, None)
                if "text/html" in data:
                    data["text/html"] = self._sanitizer.sanitize_html_tags(data["text/html"])
                if "text/markdown" in data:
                    data["text/markdown"] = html.escape(data["text/markdown"], quote=False)
        return cell, resources


def generate_feedback(folder, assignment, students=None):
    """Make the feedback HTML of ``assignment`` (all graded students, or ``students``).

    Returns ``{student: path to the HTML}``; with an exchange configured the feedback is
    also released to the students (``nbgrader release_feedback``).
    """
    from .coursedir import check_student_id

    if students:
        students = [check_student_id(s) for s in students]
        for student in students:
            folder.nbgrader("generate_feedback", assignment, "--student", student, "--force")
    else:
        students = _graded(folder, assignment)
        folder.nbgrader("generate_feedback", assignment, "--force")
    out = {}
    for student in students:
        path = folder.path("feedback", student, assignment) / f"{assignment}.html"
        out[student] = path if path.exists() else None
        if path.exists():
            strip_remote_scripts(path)
    if folder.exchange:
        folder.nbgrader("release_feedback", assignment)
    return out


_REMOTE_SCRIPT = re.compile(r"<script[^>]*\ssrc=[\"']?https?://[^>]*>\s*</script>", re.I)


def strip_remote_scripts(path):
    """Remove ``<script src="https://...">`` tags (nbgrader's template loads MathJax from a
    CDN): the feedback must open offline and load nothing from the internet. Formulas then
    show as their LaTeX source."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    cleaned = _REMOTE_SCRIPT.sub("", text)
    if cleaned != text:
        path.chmod(0o644)
        path.write_text(cleaned, encoding="utf-8")
    return path


def _graded(folder, assignment):
    base = folder.root / "autograded"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())
