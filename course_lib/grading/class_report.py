"""The class as a dataset: pooled labels, preferences, texts and labor of a whole class.

The students of a class are a labeling workforce, exactly like the annotators the course is
about. :class:`ClassReport` reads every submission's saved work (:mod:`.class_work`: as
untrusted data, read-only, with time and size limits), pools it into a
:class:`~course_lib.core.class_pool.ClassPool` and shows the instructor

* what it was built from, and which submissions were skipped and why (missing, damaged,
  foreign, hostile or nonsensical work);
* how much the class agrees on the items everyone labeled (Fleiss' κ and Krippendorff's α
  across students) — on whatever each part offers (part 2's words and digits, part 3's
  judgments);
* each part's own sections (part 2: the most-disputed words; part 3: each student's
  Bradley–Terry reward model);
* each student's labor ledger and the class total;
* the class's own corpus of texts (the parts' writing activities), with a data card.

The report knows no part's activities: each part package ``course_lib.partN`` contributes
through its module ``course_lib.partN.class_section`` (see :mod:`course_lib.core.class_pool`
for what such a module may define), discovered in part order by :func:`part_modules`.

Learner text is data, never markup: every string a student wrote (and every skip reason,
which may quote a file name or value of theirs) is escaped before it becomes HTML (tables,
figure labels), and nothing is evaluated.

Examples
--------
>>> import tempfile
>>> from course_lib.grading.synthetic import make_class
>>> root = tempfile.mkdtemp()
>>> _ = make_class(root, n_students=5, n_damaged=1, n_hostile=1, random_state=0)
>>> report = ClassReport().fit(root)
>>> len(report.students_), len(report.problems_) >= 1
(4, True)
>>> keys = [s.key for s in report.sections()]  # the parts' own sections in between
>>> keys[:4], keys[-2:]
(['overview', 'agreement', 'disputed', 'preferences'], ['ledger', 'corpus'])
"""
from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.class_pool import ClassPool, Section, escape
from ..core.class_pool import html as _html
from ..core.class_pool import seconds as _seconds
from ..core.class_pool import table as _table
from ..core.validation import check_int
from .class_work import read_class

__all__ = ["ClassReport", "Section", "build", "esc", "part_modules", "to_notebook"]

#: Learner text made safe for HTML and for plotly labels (which decode entities).
esc = escape


def part_modules():
    """The ``course_lib.partN.class_section`` modules that exist, in part order."""
    import course_lib

    parts = sorted((int(m.group(1)), name) for _, name, is_pkg in
                   pkgutil.iter_modules(course_lib.__path__)
                   if is_pkg and (m := re.fullmatch(r"part(\d+)", name)))
    modules = []
    for _, name in parts:
        full = f"course_lib.{name}.class_section"
        if importlib.util.find_spec(full) is not None:
            modules.append(importlib.import_module(full))
    return modules


def _agreement(table, level):
    """Krippendorff's α (gaps allowed) and Fleiss' κ (on a block with equal raters per item)."""
    from ..methods.agreement import fleiss_kappa, krippendorff_alpha

    out = {"items": 0, "raters": int(table.shape[1]), "alpha": None, "kappa": None,
           "kappa_items": 0, "kappa_raters": 0}
    shared = table[table.notna().sum(axis=1) >= 2]
    out["items"] = int(len(shared))
    if len(shared) < 2 or table.shape[1] < 2:
        return out
    rows = [[None if pd.isna(v) else v for v in r] for r in shared.to_numpy().tolist()]
    try:
        out["alpha"] = krippendorff_alpha(rows, level=level)
    except ValueError:
        pass
    counts = shared.notna().sum(axis=1)
    # the most raters per item such that at least half the shared items have that many
    k = int(np.sort(counts.to_numpy())[::-1][max(0, len(counts) // 2 - 1)])
    block = [[v for v in r if not pd.isna(v)][:k]
             for r in shared[counts >= k].to_numpy().tolist()]
    if k >= 2 and len(block) >= 2:
        try:
            out["kappa"] = fleiss_kappa(block)
            out["kappa_items"], out["kappa_raters"] = len(block), k
        except ValueError:
            pass
    return out


class _Events:
    """A stand-in workspace holding one student's events, for :func:`ledger.labor_ledger`."""

    def __init__(self, frame):
        from ..core.workspace import Event
        self._events = [Event(activity=r.activity, kind=r.kind, item=str(r.item), value=r.value,
                              elapsed=_seconds(r.elapsed), recorded_at=float(r.recorded_at or 0),
                              uid=str(r.uid), session=str(r.session))
                        for r in frame.itertuples()]

    def events(self):
        return self._events


class ClassReport:
    """A class report built from submissions.

    Parameters
    ----------
    top_words : int, default=15
        How many of the most-disputed words to show.
    anonymize : bool, default=False
        Show students as "student 1", "student 2"... instead of their ids.
    title : str, default="Class report"
        The report's title.

    Attributes
    ----------
    students_ : list of str
        Students whose work was used.
    problems_ : list of (str, str)
        ``(student, what was skipped and why)``.
    events_ : pandas.DataFrame
        Every event of the class (see :data:`course_lib.grading.class_work.COLUMNS`).
    pool_ : course_lib.core.class_pool.ClassPool
        What the parts' sections were given.
    ledger_, agreement_, corpus_ : pandas.DataFrame
        The class-wide tables of the report.
    tables_ : dict of pandas.DataFrame
        The tables behind the parts' sections, also as attributes: ``disputed_`` (part 2),
        ``preferences_`` (part 3).
    """

    def __init__(self, *, top_words=15, anonymize=False, title="Class report"):
        self.top_words = top_words
        self.anonymize = anonymize
        self.title = title

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, source):
        """Read the submissions under ``source`` (a folder, or a course folder); return self."""
        from ..core import theme

        check_int("top_words", self.top_words, minimum=1)
        work = read_class(source)
        self.source_ = str(source)
        names = {s: (f"student {i + 1}" if self.anonymize else s)
                 for i, s in enumerate(work.students)}
        for s, _ in work.problems:
            names.setdefault(s, "a student" if self.anonymize else s)
        events, students = work.events, list(work.students)
        if self.anonymize:
            # nothing the report keeps names a student: its tables (events_, the pool, the
            # generated notebook's) hold the pseudonyms, not the submission folders' names
            events = events.assign(student=events["student"].map(names))
            students = [names[s] for s in students]
        self.problems_ = [(names[s], msg) for s, msg in work.problems]
        if self.anonymize:
            names = {v: v for v in names.values()}
        self.names_ = names
        self.events_ = events
        self.students_ = students
        self.n_withdrawn_ = len(work.withdrawn)  # who withdrew is not shown: only how many
        self.pool_ = pool = ClassPool(events=events, students=self.students_,
                                      names=names, source=self.source_,
                                      top_words=self.top_words)
        modules = part_modules()
        self.text_activities_ = {a: label for m in modules
                                 for a, label in getattr(m, "TEXT_ACTIVITIES", {}).items()}
        self.ledger_ = self._ledger()
        self.invalid_ = {}
        self.agreement_ = self._agreement_table(
            [t for m in modules if hasattr(m, "agreement") for t in m.agreement(pool)])
        self.corpus_ = self._corpus()
        theme.ensure_template()  # figures name the course template; plotly's default stays
        self.part_sections_ = [s for m in modules if hasattr(m, "class_sections")
                               for s in m.class_sections(pool)]
        self.tables_ = {k: v for s in self.part_sections_ for k, v in s.tables.items()}
        self.built_at_ = time.strftime("%Y-%m-%d %H:%M")
        return self

    def __getattr__(self, name):
        tables = self.__dict__.get("tables_", {})
        if name.endswith("_") and name[:-1] in tables:
            return tables[name[:-1]]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _name(self, student):
        return self.names_.get(student, student)

    def _ledger(self):
        from ..methods.ledger import labor_ledger

        rows = []
        texts_of = list(self.text_activities_)
        for student, frame in self.events_.groupby("student", sort=True):
            led = labor_ledger(_Events(frame))
            texts = frame[frame["activity"].isin(texts_of) & (frame["kind"] == "text")]
            words = sum(len(str(v.get("text", "")).split()) for v in texts["value"]
                        if isinstance(v, dict))
            rows.append({"student": self._name(student), "actions": int(led["actions"].sum()),
                         "undone": int(led["undone"].sum()),
                         "hours": float(led["seconds"].sum()) / 3600.0,
                         "sittings": int(led["sittings"].max() if len(led) else 0),
                         "activities": int(len(led)), "words_written": int(words)})
        return pd.DataFrame(rows, columns=["student", "actions", "undone", "hours", "sittings",
                                           "activities", "words_written"])

    def _agreement_table(self, specs):
        rows = []
        for spec in specs:
            self.invalid_[spec.activity] = spec.invalid
            a = _agreement(spec.table, spec.level)
            rows.append({"activity": spec.activity, "what": spec.what, "level": spec.level,
                         "shared items": a["items"], "students": a["raters"],
                         "Krippendorff alpha": a["alpha"], "Fleiss kappa": a["kappa"],
                         "kappa on": (f"{a['kappa_items']} items x {a['kappa_raters']} ratings"
                                      if a["kappa"] is not None else ""),
                         "invalid answers skipped": spec.invalid})
        return pd.DataFrame(rows, columns=[
            "activity", "what", "level", "shared items", "students", "Krippendorff alpha",
            "Fleiss kappa", "kappa on", "invalid answers skipped"])

    def _corpus(self):
        rows = []
        for activity, label in self.text_activities_.items():
            cur = self.pool_.current(activity)
            for r in cur.itertuples():
                if r.kind != "text" or not isinstance(r.value, dict):
                    continue
                text = r.value.get("text")
                if not isinstance(text, str) or not text.strip():
                    continue
                prompt = r.value.get("prompt", "")
                rows.append({"student": self._name(r.student), "activity": label,
                             "prompt": prompt if isinstance(prompt, str) else "",
                             "text": text, "words": len(text.split()),
                             "seconds": _seconds(r.elapsed), "recorded_at": r.recorded_at})
        return pd.DataFrame(rows, columns=["student", "activity", "prompt", "text", "words",
                                           "seconds", "recorded_at"])

    # -- what the report shows --------------------------------------------------------------
    def data_card(self):
        """A :class:`~course_lib.core.data.DataCard` for the class's own corpus."""
        from ..core.data import DataCard

        c = self.corpus_
        digest = hashlib.sha256(json.dumps(
            c[["activity", "prompt", "text"]].to_dict("records"), ensure_ascii=False,
            sort_keys=True).encode("utf-8")).hexdigest()
        when = ""
        if len(c):
            lo, hi = (time.strftime("%Y-%m-%d", time.gmtime(float(x)))
                      for x in (c["recorded_at"].min(), c["recorded_at"].max()))
            when = lo if lo == hi else f"{lo} to {hi}"
        hours = float(c["seconds"].fillna(0).sum()) / 3600
        return DataCard(
            name="class_corpus", title="The class's own corpus",
            made_by=f"{c['student'].nunique()} students of this class, in the course's "
                    "writing activities",
            how=("Typed in the course's writing activities — "
                 + "; ".join(sorted(self.text_activities_.values()))
                 + " — in answer to the prompts shown with each text; saved as written, undone "
                 "texts left out. Texts written with the course's suggestions are partly the "
                 "model's words."),
            when=when, licence="The students' own work. Use it in class only; share it further "
                               "only with each author's consent.",
            source=f"Submissions in {self.source_}",
            counts={"documents": int(len(c)), "words": int(c["words"].sum()),
                    "students": int(c["student"].nunique())},
            labor={"person_hours": round(hours, 3), "low": round(hours, 3),
                   "high": round(hours, 3),
                   "basis": "Sum of the measured writing times of every text."},
            files={"sha256": digest},
            caveats="Written for a course exercise, by one small group of people: it has their "
                    "topics, their language and their moment. Some texts may be test input.",
            why_chosen="It is the class's own labor: the data the course is about.")

    def sections(self):
        """The report as a list of :class:`Section` (figures and pre-escaped HTML): the
        overview, the class's agreement, each part's own sections in part order, the labor
        ledger and the class's corpus."""
        from ..core import theme

        theme.ensure_template()
        return [self._overview(), self._agreement_section(), *self.part_sections_,
                self._ledger_section(), self._corpus_section()]

    def _overview(self):
        led = self.ledger_
        total_h = float(led["hours"].sum()) if len(led) else 0.0
        text = (f"{len(self.students_)} students' saved work was read from "
                f"<code>{esc(self.source_)}</code>: {int(led['actions'].sum()) if len(led) else 0:,} "
                f"recorded actions and {total_h:.1f} hours of measured labor. "
                f"{len({s for s, _ in self.problems_})} submissions had work that was skipped "
                "(listed below); the rest of the report does not use it.")
        if self.n_withdrawn_:
            text += (f" {self.n_withdrawn_} student(s) withdrew their work from this pooled "
                     "report (part 7): none of it is used or listed.")
        parts = [_html(f"<p>{text}</p>")]
        if self.problems_:
            parts.append(_table(pd.DataFrame(self.problems_, columns=["student", "skipped"])))
        return Section("overview", self.title, "What this report was built from.", parts)

    def _agreement_section(self):
        from ..core import theme

        t = self.agreement_
        fig = theme.figure("How much the class agrees, by activity", "activity",
                           "agreement (1 = perfect, 0 = chance)")
        import plotly.graph_objects as go
        for col, colour in (("Krippendorff alpha", theme.PALETTE[0]),
                            ("Fleiss kappa", theme.PALETTE[1])):
            fig.add_trace(go.Bar(name=col, x=t["what"], y=t[col].astype(float),
                                 marker_color=colour))
        fig.update_layout(barmode="group")
        intro = ("Every student labeled the same words, digits and answers, so the class is a "
                 "panel of annotators. Krippendorff's α uses every item two or more students "
                 "labeled (gaps allowed); Fleiss' κ needs the same number of ratings per item, so "
                 "it uses the items most students labeled. Near 0 means chance agreement.")
        return Section("agreement", "Class agreement on shared items", intro,
                       [fig, _table(t, floats=3)])

    def _ledger_section(self):
        import plotly.graph_objects as go

        from ..core import theme

        led = self.ledger_.sort_values("hours", ascending=False)
        fig = theme.figure("Each student's measured labor", "student", "hours")
        fig.add_trace(go.Bar(x=[esc(s) for s in led["student"]], y=led["hours"],
                             marker_color=theme.YOURS))
        total = pd.DataFrame([{"student": "CLASS TOTAL", "actions": led["actions"].sum(),
                               "undone": led["undone"].sum(), "hours": led["hours"].sum(),
                               "sittings": led["sittings"].sum(), "activities": "",
                               "words_written": led["words_written"].sum()}])
        intro = ("Every label, choice and text, counted from the timings saved as the students "
                 "worked (undone work counts: it was work too). The last row is the whole "
                 "class: the labor this course's dataset rests on.")
        return Section("ledger", "Labor ledger", intro,
                       [fig, _table(pd.concat([led, total], ignore_index=True), floats=2)])

    def _corpus_section(self):
        from ..core.display import HTML

        c = self.corpus_
        card = HTML(self.data_card()._repr_html_())
        shown = c.drop(columns=["recorded_at"]).assign(
            seconds=c["seconds"].round(1))
        intro = ("What the class wrote, pooled into one corpus — a small dataset with known "
                 "authors, prompts and labor, documented like the course's other datasets.")
        return Section("corpus", "The class's own corpus", intro, [card, _table(shown)])

    # -- output -----------------------------------------------------------------------------
    def to_html(self, path=None):
        """The report as one standalone HTML page (plotly.js embedded: works offline)."""
        from plotly.offline import get_plotlyjs

        body = []
        for s in self.sections():
            body.append(f"<section id='{esc(s.key)}'><h2>{esc(s.title)}</h2><p>{esc(s.intro)}</p>")
            for part in s.parts:
                if hasattr(part, "to_html"):
                    body.append(part.to_html(full_html=False, include_plotlyjs=False,
                                             config={"displaylogo": False}))
                else:
                    body.append(part._repr_html_())
            body.append("</section>")
        page = (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{esc(self.title)}</title>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
            "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
            "img-src data:; font-src data:\">"
            "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
            "padding:0 1em;color:#222}table{border-collapse:collapse;font-size:.9em;margin:1em 0}"
            "td,th{border-bottom:1px solid #ddd;padding:3px 8px;vertical-align:top}"
            "section{margin-bottom:3em}</style>"
            f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
            f"<p style='color:#666'>Built {esc(self.built_at_)} by <code>course class-report</code>."
            "</p>" + "".join(body) + "</body></html>")
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page


_NOTEBOOK_CELLS = [
    ("markdown", "# {title}\n\nBuilt by `course class-report` from the submissions in "
                 "`{source}`. Run all cells to rebuild it from the current submissions. Learner "
                 "text is shown escaped: nothing a student wrote runs here."),
    ("code", "import plotly.io as pio\n"
             "from course_lib.core import theme\n"
             "from course_lib.core.session import RENDERERS, register_offline_renderer\n"
             "from course_lib.grading.class_report import ClassReport\n"
             "theme.register()\n"
             "register_offline_renderer()\n"
             "pio.renderers.default = RENDERERS  # plotly.js embedded: works offline\n"
             "report = ClassReport(title={title!r}, anonymize={anonymize!r}).fit({source!r})\n"
             "sections = {{s.key: s for s in report.sections()}}"),
]


def to_notebook(report, path, *, execute=True, timeout=120):
    """Write the report as a notebook whose cells rebuild it; execute it unless told not to."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    fmt = {"title": report.title, "source": str(Path(report.source_).resolve()),
           "anonymize": report.anonymize}
    cells = [new_markdown_cell(s.format(**fmt)) if kind == "markdown"
             else new_code_cell(s.format(**fmt)) for kind, s in _NOTEBOOK_CELLS]
    for s in report.sections():
        cells.append(new_markdown_cell(f"## {s.title}\n\n{s.intro}"))
        cells.append(new_code_cell(
            f"for part in sections[{s.key!r}].parts:\n    display(part)"))
    cells.append(new_markdown_cell("## Tables for your own analysis\n\n`report.events_` holds "
                                   "every event of the class; `report.ledger_`, "
                                   "`report.agreement_`, `report.disputed_`, "
                                   "`report.preferences_` and `report.corpus_` the tables above."))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    if execute:
        from nbclient import NotebookClient
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(nb, path)
    return path


def build(source, out_dir, *, anonymize=False, title="Class report", execute=True):
    """Build the class report: ``out_dir/class_report.html`` and ``class_report.ipynb``.

    Returns ``(report, html_path, notebook_path)``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = ClassReport(anonymize=anonymize, title=title).fit(source)
    html_path = out_dir / "class_report.html"
    report.to_html(html_path)
    nb_path = to_notebook(report, out_dir / "class_report.ipynb", execute=execute)
    return report, html_path, nb_path
