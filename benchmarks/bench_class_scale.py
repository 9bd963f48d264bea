"""A class at scale: autograde N synthetic submissions of one assignment with
``course autograde --jobs J`` and build the class report for them. Prints figures, asserts
nothing. Not part of ``benchmarks/run.py`` (a class of 300 takes many minutes); run it alone:

    .venv/bin/python benchmarks/bench_class_scale.py --students 100 300 --jobs 2
    .venv/bin/python benchmarks/bench_class_scale.py --assignment 00 --students 20

``--assignment`` is a course part (an id or prefix from notebooks/) or ``90_fixture`` (the
grading tests' tiny assignment, the default). Most students submit the correct answers with
their own saved work (``synthetic.make_class``: some of that work is missing or damaged);
one in ``--hostile-every`` submits a troublemaker instead, in turn: script injections, an
edited test cell, a blank notebook, an exception, a Python loop (it runs into the per-cell
``--timeout``). Bars (issue 15): a class of 300 in <= 30 min on 2 cores; report <= 30 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "grading" / "fixtures"
TROUBLE = ("hostile", "edits_test_cell", "blank", "raises", "python_loop")


def course(*args, check=True):
    proc = subprocess.run([sys.executable, "-m", "course_lib.grading.cli", *map(str, args)],
                          capture_output=True, text=True)
    if check and proc.returncode not in (0, 1):  # 1: some submission not graded (reported)
        raise RuntimeError(f"course {' '.join(map(str, args))}: {proc.returncode}\n"
                           f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return proc


def write_class(folder, aid, n, hostile_every, dest):
    from course_lib.grading import synthetic

    source = nbformat.read(folder.root / "source" / aid / f"{aid}.ipynb", as_version=4)
    released = nbformat.read(folder.release_notebook(aid), as_version=4)
    variants = synthetic.submission_variants(source, released)
    students = synthetic.make_class(dest, n_students=n, n_damaged=min(6, n // 10),
                                    n_hostile=min(3, n // 20), assignment=aid, random_state=0)
    kinds = {}
    for i, student in enumerate(students):
        kind = TROUBLE[(i // hostile_every) % len(TROUBLE)] \
            if hostile_every and i % hostile_every == hostile_every - 1 else "correct"
        nbformat.write(variants[kind], dest / student / aid / f"{aid}.ipynb")
        kinds[student] = kind
    return kinds


def run(n, jobs, assignment, hostile_every, timeout):
    from course_lib.grading.coursedir import CourseFolder
    from course_lib.grading.release import generate

    notebooks = FIXTURES if assignment == "90_fixture" else ROOT / "notebooks"
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        tmp = Path(tmp)
        folder = CourseFolder.create(tmp / "course", notebooks=notebooks, timeout=timeout)
        [aid] = folder.assignments([assignment])
        generate(folder, [aid])
        kinds = write_class(folder, aid, n, hostile_every, tmp / "incoming")
        course("--course-dir", folder.root, "collect", aid, "--from", tmp / "incoming")
        start = time.perf_counter()
        proc = course("--course-dir", folder.root, "autograde", aid, "--jobs", jobs)
        grading = time.perf_counter() - start
        reports = {p.stem: json.loads(p.read_text()) for p in
                   folder.reports_dir(aid).glob("*.json") if p.stem in kinds}
        graded = sum(r.get("status") == "graded" for r in reports.values())
        slowest = max(reports.items(), key=lambda kv: kv[1].get("seconds", 0))
        start = time.perf_counter()
        course("class-report", "--from", folder.root / "submitted", "--out", tmp / "report")
        report = time.perf_counter() - start
    cores = min(jobs, os.cpu_count() or 1)
    load = os.getloadavg()[0]
    return {
        "students": n, "jobs": jobs, "assignment": aid,
        "troublemakers": sum(k != "correct" for k in kinds.values()),
        "graded": graded, "not graded": len(reports) - graded,
        "autograde exit code": proc.returncode,
        "autograde, whole class (s)": round(grading, 1),
        "submissions per minute": round(60 * n / grading, 1),
        "submissions per minute per core": round(60 * n / grading / cores, 1),
        "slowest submission (s)": round(slowest[1].get("seconds", 0), 1),
        "slowest submission (kind)": kinds.get(slowest[0], "?"),
        "class report, HTML + executed notebook (s)": round(report, 1),
        "load average at the end (1 min)": round(load, 1),
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, nargs="+", default=[100, 300])
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--assignment", default="90_fixture")
    p.add_argument("--hostile-every", type=int, default=20)
    p.add_argument("--timeout", type=int, default=10, help="seconds a cell may run")
    args = p.parse_args(argv)
    for n in args.students:
        figures = run(n, args.jobs, args.assignment, args.hostile_every, args.timeout)
        print(json.dumps(figures, indent=1), flush=True)


if __name__ == "__main__":
    main()
