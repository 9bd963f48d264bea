"""Feedback a student can read offline: their score per cell, what failed, no hidden tests.

nbgrader's ``generate_feedback`` turns each graded notebook into one HTML file. Everything in
a graded notebook's outputs was produced by a kernel that ran the student's code, and that
code can write into *any* cell's outputs — also the course's own cells and the test cells
(an IPython ``post_run_cell`` hook can display ``Javascript`` there, a ``pre_run_cell`` hook
can print the hidden tests it is handed). So the course treats every output as untrusted,
with three preprocessors (configured in :mod:`course_lib.grading.config`):

* :class:`UntrustedOutputs` — for **test cells**, the feedback shows only what the course
  wrote: pass or fail, the error's (built-in) name, its message only if it is a message
  the test itself contains (``assert ..., "add(1, 1) should be 2"``), and printed lines only
  if the test prints them literally; nothing else the kernel said in a test cell is kept.
  **Every other cell** keeps its outputs only up to the first test cell with hidden tests
  (from then on the student's code could have read them, so its outputs could carry them
  in any encoding); those outputs are filtered: scripts, widget views, SVG and unknown
  types are dropped, HTML is rebuilt from an allowlist of tags (:func:`clean_html`), and a
  plotly figure is drawn afresh from its JSON by the course (with plotly.js embedded once,
  so figures render offline). Execution counts are renumbered.
* :class:`HideTestTracebacks` — a failed test cell shows the error's name and message, not
  the traceback (a traceback quotes the hidden test's source line);
* :class:`EscapeLearnerMarkdown` — whatever the student wrote or added (written answers,
  new cells) is shown as text: HTML in it is escaped, so nothing in it runs when the
  feedback is opened.

nbgrader's ``ClearHiddenTests`` then removes the hidden tests from the test cells' source.
"""
from __future__ import annotations

import ast
import builtins
import html
import re
from html.parser import HTMLParser
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

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
        # code outputs, the course's and the learner's, are UntrustedOutputs' job
        if not self._is_learners(cell):
            return cell, resources
        if cell.cell_type == "markdown":
            cell.source = html.escape(cell.source, quote=False)
            cell.attachments = {}
        elif cell.cell_type == "raw":
            cell.metadata.pop("raw_mimetype", None)
            cell.metadata.pop("format", None)
            cell.source = html.escape(cell.source, quote=False)
        return cell, resources


# -- untrusted outputs -------------------------------------------------------------------------
#: Tags an output's HTML may keep (attributes: see _ALLOWED_ATTRS); everything else is dropped,
#: and the content of _DROP_WITH_CONTENT is dropped with it.
_ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup",
                 "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4",
                 "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
                 "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
                 "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var"}
_VOID = {"br", "col", "hr", "img"}
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math",
                      "template", "noscript", "textarea", "select", "frameset", "frame",
                      "applet", "canvas", "audio", "video", "form", "head", "title", "base",
                      "link", "meta", "xmp", "plaintext", "noembed", "noframes"}
_ALLOWED_ATTRS = {"class", "title", "colspan", "rowspan", "align", "alt", "width", "height",
                  "href", "src"}
_SAFE_IMG = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)
_SAFE_HREF = re.compile(r"^(https?://|mailto:|#)[^\s\x00-\x1f]*$", re.I)


class _Cleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0          # depth inside a dropped element
        self.open = []

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in _DROP_WITH_CONTENT:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip or tag not in _ALLOWED_TAGS:
            return
        kept = []
        for key, value in attrs:
            key, value = key.lower(), (value or "").strip()
            if key not in _ALLOWED_ATTRS:
                continue
            if key == "src" and not (tag == "img" and _SAFE_IMG.match(value)):
                continue
            if key == "href" and not (tag == "a" and _SAFE_HREF.match(value)):
                continue
            kept.append(f' {key}="{html.escape(value, quote=True)}"')
        if tag == "a":
            kept.append(' rel="noopener noreferrer"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() in self.open[-1:]:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in _DROP_WITH_CONTENT:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def close(self):
        super().close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def clean_html(text):
    """HTML rebuilt from an allowlist: no script, style, frame, SVG, event handler, form or
    remote resource survives; text is escaped. Used for every HTML output in feedback.

    >>> clean_html('<b onclick="x()">hi</b><script>alert(1)</script><img src=x onerror=y>')
    '<b>hi</b><img>'
    """
    cleaner = _Cleaner()
    cleaner.feed(str(text))
    return cleaner.close()


_PLOTLY = "application/vnd.plotly.v1+json"
_MESSAGE = re.compile(r"^name '[A-Za-z_][A-Za-z0-9_]{0,60}' is not defined$")
NOT_SHOWN_AFTER_HIDDEN = ("(Output not shown in the feedback: it was produced after the hidden "
                          "tests had run, when the code could have read them.)")
MESSAGE_NOT_SHOWN = "(its message came from the submitted code and is not shown)"


def _ename(name):
    """A built-in exception's name as it is; any other name becomes "Error"."""
    name = str(name or "")
    return name if isinstance(getattr(builtins, name, None), type) and \
        issubclass(getattr(builtins, name), BaseException) else "Error"


def _literals(source):
    """The string constants written in ``source`` (the course's own messages)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {m.group(2) for m in re.finditer(r"([\"'])((?:(?!\1).){1,300})\1", source)}
    return {n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _error(ename, evalue, note=None):
    first = f"{ename}: {evalue}" if evalue else ename
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[first] + ([note] if note else []))


class UntrustedOutputs(NbGraderPreprocessor):
    """Treat every output of a graded notebook as written by the student (see the module).

    Runs before ``ClearHiddenTests``: it needs the test cells' full source to know which
    messages are the course's and where the hidden tests start.
    """

    begin_hidden = Unicode("BEGIN HIDDEN TESTS", help="The marker of hidden tests "
                           "(nbgrader's ClearHiddenTests.begin_test_delimeter).").tag(config=True)

    def preprocess(self, nb, resources):
        self._hidden_ran = False
        self._plotlyjs = False
        self._count = 0
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        meta = _nbgrader(cell)
        if cell.get("outputs") or cell.get("execution_count"):
            self._count += 1
            cell.execution_count = self._count
        if meta.get("grade") and not meta.get("solution"):
            cell.outputs = self._test_outputs(cell)
            if self.begin_hidden.lower() in cell.source.lower():
                self._hidden_ran = True
        elif self._hidden_ran:
            cell.outputs = self._after_hidden(cell.get("outputs", []))
        else:
            cell.outputs = [o for o in map(self._clean, cell.get("outputs", [])) if o]
        return cell, resources

    def _test_outputs(self, cell):
        """Only what the course wrote: printed literals, the error name, the course's message."""
        literals = _literals(cell.source)
        out, printed = [], []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stdout":
                printed += [line for line in str(o.get("text", "")).splitlines()
                            if line.strip() and line in literals]
            elif o.get("output_type") == "error":
                ename = _ename(o.get("ename"))
                evalue = str(o.get("evalue", ""))
                if evalue in literals or _MESSAGE.match(evalue):
                    out.append(_error(ename, evalue, HIDDEN_NOTE))
                else:
                    out.append(_error(ename, "", f"{MESSAGE_NOT_SHOWN} {HIDDEN_NOTE}"))
                break
        if printed:
            out.insert(0, NotebookNode(output_type="stream", name="stdout",
                                       text="\n".join(printed) + "\n"))
        return out

    def _after_hidden(self, outputs):
        out = []
        for o in outputs:
            if o.get("output_type") == "error":
                out.append(_error(_ename(o.get("ename")), "", NOT_SHOWN_AFTER_HIDDEN))
                break
        if outputs and not out:
            out.append(NotebookNode(output_type="stream", name="stdout",
                                    text=NOT_SHOWN_AFTER_HIDDEN + "\n"))
        return out

    def _clean(self, o):
        kind = o.get("output_type")
        if kind == "stream":
            return NotebookNode(output_type="stream", name="stderr" if o.get("name") ==
                                "stderr" else "stdout", text=str(o.get("text", "")))
        if kind == "error":
            return NotebookNode(output_type="error", ename=str(o.get("ename", "")),
                                evalue=str(o.get("evalue", "")),
                                traceback=[str(t) for t in o.get("traceback", [])])
        if kind not in ("display_data", "execute_result"):
            return None
        data, new = o.get("data", {}) or {}, {}
        if isinstance(data.get(_PLOTLY), dict):
            figure = self._figure_html(data[_PLOTLY])
            if figure:
                new["text/html"] = figure
        elif isinstance(data.get("text/html"), (str, list)):
            text = data["text/html"]
            text = clean_html("".join(text) if isinstance(text, list) else text)
            if text.strip():
                new["text/html"] = text
        if isinstance(data.get("text/markdown"), str):
            new["text/markdown"] = html.escape(data["text/markdown"], quote=False)
        for key in ("image/png", "image/jpeg", "image/gif"):
            if isinstance(data.get(key), str) and re.fullmatch(r"[A-Za-z0-9+/=\s]*",
                                                               data[key]):
                new[key] = data[key]
        if isinstance(data.get("text/plain"), (str, list)):
            text = data["text/plain"]
            new["text/plain"] = "".join(text) if isinstance(text, list) else text
        if not new:
            return None
        node = NotebookNode(output_type=kind, data=new, metadata={})
        if kind == "execute_result":
            node.execution_count = self._count
        return node

    def _figure_html(self, figure):
        """The figure drawn by the course from its JSON (plotly escapes the JSON for a
        script tag); plotly.js is embedded with the first figure only."""
        try:
            import plotly.io as pio

            out = pio.to_html({"data": figure.get("data", []),
                               "layout": figure.get("layout", {})},
                              include_plotlyjs=not self._plotlyjs, full_html=False,
                              validate=False, config={"responsive": True})
        except Exception:  # noqa: BLE001 - a broken figure is simply not shown
            return None
        self._plotlyjs = True
        return out


def generate_feedback(folder, assignment, students=None):
    """Make the feedback HTML of ``assignment`` (every submitted student, or ``students``).

    Returns ``{student: path to the HTML, or None}``: a student who submitted but has no
    feedback (not graded, no notebook) is there with None, never left out
    (:func:`why_no_feedback` says why). With an exchange configured the feedback is also
    released to the students (``nbgrader release_feedback``).
    """
    from .coursedir import check_student_id

    if students:
        students = [check_student_id(s) for s in students]
        for student in students:
            folder.nbgrader("generate_feedback", assignment, "--student", student, "--force")
    else:
        students = sorted(set(_graded(folder, assignment))
                          | set(folder.submitted_students(assignment)))
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


def why_no_feedback(folder, assignment, student):
    """Why ``student`` has no feedback for ``assignment``, in a sentence for the instructor."""
    import json

    report = folder.reports_dir(assignment) / f"{student}.json"
    if not folder.path("submitted", student, assignment).is_dir():
        return "no submission"
    try:
        result = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"not autograded yet (run `course autograde {assignment}`)"
    kinds = {p.get("kind") for p in result.get("problems", [])}
    if "missing_notebook" in kinds:
        return (f"the submission has no {assignment}.ipynb, so there is no notebook to give "
                f"feedback on; tell the student (see {report})")
    if result.get("status") != "graded":
        problems = "; ".join(p.get("message", "") for p in result.get("problems", []))
        return f"not graded ({problems or 'see ' + str(report)})"
    return f"nbgrader made none (run `course feedback {assignment} --student {student}`)"


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
