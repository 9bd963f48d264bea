"""Benchmarks of the grading tools: autograding a submission, feedback, the class report.

``benchmarks()`` is discovered by ``benchmarks/run.py``; run alone with
``.venv/bin/python benchmarks/bench_grading.py``. Prints figures, asserts nothing.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "grading" / "fixtures"
FIXTURE = "90_fixture"


def _timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def bench_class_report(repeats=3):
    from course_lib.grading import class_report
    from course_lib.grading.synthetic import make_class

    with tempfile.TemporaryDirectory() as tmp:
        make_class(Path(tmp) / "subs", n_students=30, random_state=0)
        fit_html, _ = _timed(lambda: class_report.ClassReport().fit(Path(tmp) / "subs")
                             .to_html(Path(tmp) / "r.html"), repeats)
        full, worst = _timed(lambda: class_report.build(Path(tmp) / "subs", Path(tmp) / "out"),
                             repeats)
    return {"class report of 30 students, HTML only, median (s)": fit_html,
            "class report of 30 students, HTML + executed notebook, median (s)": full,
            "class report of 30 students, HTML + executed notebook, worst (s)": worst}


def bench_autograde(repeats=3):
    from course_lib.grading import synthetic
    from course_lib.grading.autograde import grade_one
    from course_lib.grading.coursedir import CourseFolder
    from course_lib.grading.feedback import generate_feedback
    from course_lib.grading.release import generate

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = CourseFolder.create(Path(tmp) / "c", notebooks=FIXTURES, timeout=10)
        start = time.perf_counter()
        generate(folder)
        out["generate one student version (s)"] = time.perf_counter() - start
        src = nbformat.read(folder.root / "source" / FIXTURE / f"{FIXTURE}.ipynb", as_version=4)
        rel = nbformat.read(folder.release_notebook(FIXTURE), as_version=4)
        variants = synthetic.submission_variants(src, rel)
        for name in ("correct", "c_loop", "kernel_exit"):
            synthetic.write_submission(folder.path("submitted", name, FIXTURE), variants[name],
                                       FIXTURE)
        for name in ("correct", "c_loop", "kernel_exit"):
            med, _ = _timed(lambda: grade_one(folder, FIXTURE, name), repeats)
            out[f"autograde one fixture submission: {name}, median (s)"] = med
        med, _ = _timed(lambda: generate_feedback(folder, FIXTURE, ["correct"]), repeats)
        out["feedback HTML for one submission, median (s)"] = med
    out["(per-cell time limit in these runs, s)"] = 10
    return out


def benchmarks():
    """``{what is measured (unit): number}``."""
    return {**bench_class_report(), **bench_autograde()}


if __name__ == "__main__":
    for key, value in benchmarks().items():
        print(f"{key:<72} {value:8.2f}")
    sys.exit(0)
