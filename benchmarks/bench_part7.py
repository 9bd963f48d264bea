"""Part 7: saving a wage and a consent (a button's path), building the personal report from a
full synthetic learner's workspace, writing the receipt, and the notebook.

* the wage and the consent saved through their widgets' button methods (record + status), the
  bar being 50 ms kernel-side (p95);
* the personal report built from one full synthetic learner of the class report's generator
  (every part's effect recomputed by the parts' own functions), and from an empty workspace
  (every part simulated);
* the receipt written as one HTML file (plotly.js embedded): time and size;
* part 7's section of the class report for a synthetic class of 300 (and the whole report's
  fit and HTML, for scale: the bar is 30 s);
* the notebook headless (fresh kernel, simulated learner): run time and kernel peak memory.

Prints medians and p95s; asserts nothing.

    .venv/bin/python benchmarks/bench_part7.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import notebook_figures, p95, print_figures  # noqa: E402


def _full_learner(folder):
    """The workspace of one full synthetic student (course_lib.grading.synthetic)."""
    from course_lib.core.workspace import Workspace
    from course_lib.grading.synthetic import make_class

    make_class(folder, n_students=1, n_damaged=0, n_hostile=0, random_state=0)
    db = next(Path(folder).rglob("course_work.sqlite"))
    return Workspace(db.parent)


def time_widgets(folder, n=40):
    from course_lib.core.workspace import Workspace
    from course_lib.part7.receipt import ConsentCard
    from course_lib.part7.valuing import WageSetter

    ws = Workspace(Path(folder) / "widgets")
    wage = WageSetter(ws.activity("part7.wage"))
    card = ConsentCard(ws.activity("part7.consent"))
    wages, consents = [], []
    for i in range(n):
        t = time.perf_counter()
        wage.set_wage(10 + i, "EUR")
        wages.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        card.save(f"Learner {i}", "CC-BY-4.0", bool(i % 2))
        consents.append((time.perf_counter() - t) * 1000)
    ws.close()
    return wages, consents


def time_class_section(folder, n_students=300):
    """Part 7's class-report section for a synthetic class of ``n_students`` (and the whole
    HTML report, for scale)."""
    from course_lib.grading.class_report import ClassReport
    from course_lib.part7.class_section import class_sections

    make = __import__("course_lib.grading.synthetic", fromlist=["make_class"]).make_class
    make(folder, n_students=n_students, random_state=0)
    t = time.perf_counter()
    report = ClassReport().fit(folder)
    fit = time.perf_counter() - t
    t = time.perf_counter()
    class_sections(report.pool_)
    section = time.perf_counter() - t
    t = time.perf_counter()
    report.to_html()
    html = time.perf_counter() - t
    return {f"class report of {n_students} students: fit, all parts' sections (s)": fit,
            f"class report of {n_students} students: part 7's section alone (s)": section,
            f"class report of {n_students} students: HTML (s)": html}


def benchmarks():
    from course_lib.core.workspace import Workspace
    from course_lib.part7.receipt import export_receipt, personal_report

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        wages, consents = time_widgets(tmp)
        out["save a wage (record + status), median (ms)"] = statistics.median(wages)
        out["save a wage (record + status), p95 (ms)"] = p95(wages)
        out["save the consent (record + status), median (ms)"] = statistics.median(consents)
        out["save the consent (record + status), p95 (ms)"] = p95(consents)
        for label, ws in (("a full synthetic learner", _full_learner(Path(tmp) / "class")),
                          ("an empty workspace (all simulated)", Workspace(Path(tmp) / "empty"))):
            out[f"{label}: events in force"] = float(ws.count())
            t = time.perf_counter()
            report = personal_report(ws)
            out[f"{label}: build the personal report (s)"] = time.perf_counter() - t
            t = time.perf_counter()
            path = export_receipt(report, Path(tmp) / f"receipt-{len(out)}.html")
            out[f"{label}: write the receipt HTML (s)"] = time.perf_counter() - t
            out[f"{label}: receipt size (MB)"] = path.stat().st_size / 1e6
            ws.close()
        out.update(time_class_section(Path(tmp) / "class300"))
    out.update(notebook_figures("07_theyre_just_us"))
    return out


if __name__ == "__main__":
    print_figures(benchmarks)
