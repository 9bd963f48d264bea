"""``course``: the instructors' command line.

Works from any directory: every nbgrader step runs inside the course folder
(``--course-dir``, else ``$COURSE_DIR``, else ``course-dir/`` in the repository), so its
``nbgrader_config.py`` is always the one used. ``course --help`` lists the commands;
``docs/INSTRUCTORS.md`` walks through a term.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.errors import CourseError


def _folder(args, create=True):
    from .coursedir import CourseFolder
    return CourseFolder.open(args.course_dir, create=create, notebooks=args.notebooks)


def cmd_init(args):
    from .coursedir import CourseFolder, default_course_dir
    root = args.dir or args.course_dir or default_course_dir()
    folder = CourseFolder.create(root, notebooks=args.notebooks, course_id=args.course_id,
                                 timeout=args.timeout, memory_mb=args.memory_mb,
                                 no_network=args.no_network, exchange=args.exchange,
                                 overwrite=args.force)
    if args.no_network:
        from .sandbox import network_isolation_available
        if not network_isolation_available():
            print("warning: this machine does not allow cutting the grading kernels off the "
                  "network (needs root or unprivileged user namespaces); run the grading in a "
                  "container with --network none instead (see docs/INSTRUCTORS.md).")
    print(f"course folder: {folder.root}\nnotebooks:     {folder.notebooks}\n"
          f"assignments:   {', '.join(folder.assignments()) or '(none yet)'}")
    return 0


def cmd_status(args):
    import filecmp

    from .deadlines import due_date
    folder = _folder(args)
    print(f"course folder {folder.root} (notebooks: {folder.notebooks})")
    sources = folder.source_notebooks()
    for aid, src in sources.items():
        copy = folder.root / "source" / aid / f"{aid}.ipynb"
        released = folder.release_notebook(aid)
        state = ("not released" if not released.exists() else
                 "released" if copy.exists() and filecmp.cmp(src, copy, shallow=False)
                 and released.stat().st_mtime >= copy.stat().st_mtime else
                 "released, but the notebook changed since: run `course release`")
        subs = folder.submitted_students(aid)
        graded = [s for s in subs if folder.path("autograded", s, aid).is_dir()]
        due = due_date(folder, aid)
        print(f"  {aid:<24} {state:<12} {len(subs)} submitted, {len(graded)} autograded"
              + (f", due {due:%Y-%m-%d %H:%M} UTC" if due else ""))
    return 0


def cmd_release(args):
    from .deadlines import parse_due, set_due_date
    from .release import release
    folder = _folder(args)
    due = parse_due(args.due) if args.due else None  # a bad date stops before anything runs
    for aid, path in release(folder, args.assignments).items():
        where = " and released to the exchange" if folder.exchange else ""
        print(f"{aid}: student version {path}{where}")
        if due:
            set_due_date(folder, aid, due)
            print(f"{aid}: due {due:%Y-%m-%d %H:%M} UTC")
    return 0


def cmd_due(args):
    from .deadlines import due_date, set_due_date, set_student_due_date, student_due_dates
    folder = _folder(args)
    [aid] = folder.assignments([args.assignment])
    when = None if args.when is None or args.when.lower() == "none" else args.when
    if args.student and args.when is None:
        raise CourseError("Say which due date the student gets: course due "
                          f'{aid} "2026-12-12 17:00" --student NAME (or none to take it back).')
    if args.student:
        for student in args.student:
            set_student_due_date(folder, aid, student, when)
    elif args.when is not None:
        set_due_date(folder, aid, when)
    due = due_date(folder, aid)
    print(f"{aid}: due {due:%Y-%m-%d %H:%M:%S} UTC" if due else
          f'{aid}: no due date (set one with `course due {aid} "2026-12-10 17:00"`)')
    for student, own in sorted(student_due_dates(folder, aid).items()):
        print(f"  {student}: due {own:%Y-%m-%d %H:%M:%S} UTC (an extension)")
    return 0


def cmd_student_versions(args):
    from .release import student_versions
    for path in student_versions(args.out, notebooks=args.notebooks):
        print(path)
    return 0


def cmd_collect(args):
    from . import collect
    folder = _folder(args)
    [aid] = folder.assignments([args.assignment])
    if args.source and args.before_due:
        raise CourseError("--before-due picks among a student's submissions in the exchange; "
                          "a folder (--from) holds one per student.")
    if args.source:
        for student, notes in collect.from_folder(folder, aid, args.source).items():
            print(f"  {student}: {'; '.join(notes) if notes else 'collected'}")
    else:
        if not folder.exchange:
            raise CourseError("This course folder has no exchange; pass --from FOLDER with the "
                              "submissions, or set exchange= in its nbgrader_config.py.")
        students = collect.from_exchange(folder, aid, before_due=args.before_due)
        print(f"collected {len(students)} submissions of {aid}")
    return 0


def cmd_autograde(args):
    from .autograde import autograde, format_table, isolation
    from .deadlines import late_text
    from .sandbox import format_isolation
    folder = _folder(args)
    [aid] = folder.assignments([args.assignment])
    if not folder.release_notebook(aid).exists():
        raise CourseError(f"{aid} has not been released yet: run `course release {aid}` first.")
    students = args.student or folder.submitted_students(aid)
    print(f"autograding {len(students)} submissions of {aid} (each cell may run "
          f"{folder.timeout} s) ...", flush=True)
    print(format_isolation(isolation(folder, aid)), flush=True)

    def progress(r):
        late = late_text(r.seconds_late)
        print(f"  {r.student}: {r.status}" + (f", {r.auto_score:g}/{r.auto_max:g}"
                                              if r.status == "graded" else "")
              + (f", {late}" if late else ""), flush=True)
    results = autograde(folder, aid, students, jobs=args.jobs, progress=progress)
    print(format_table(results))
    print(f"reports: {folder.reports_dir(aid)}")
    return 0 if all(r.status == "graded" for r in results) else 1


def cmd_feedback(args):
    from .feedback import generate_feedback, why_no_feedback
    folder = _folder(args)
    [aid] = folder.assignments([args.assignment])
    out = generate_feedback(folder, aid, args.student)
    for student, path in out.items():
        print(f"  {student}: {path or 'NO FEEDBACK: ' + why_no_feedback(folder, aid, student)}")
    return 0 if all(out.values()) else 1


def cmd_grades(args):
    from .grades import export_grades
    folder = _folder(args)
    out = Path(args.out or folder.root / "grades.csv")
    rows = export_grades(folder, out)
    bad = [r for r in rows if r["status"] == "NOT GRADED"]
    print(f"{len(rows)} rows written to {out}")
    for r in bad:
        print(f"  NOT GRADED: {r['student']} {r['assignment']}: {r['problems']}")
    return 0 if not bad else 1


def cmd_class_report(args):
    from .class_report import build
    source = args.source
    if args.demo:
        from .synthetic import make_class
        source = Path(args.out) / "demo_submissions"
        make_class(source, n_students=args.demo)
        print(f"synthetic class of {args.demo} written to {source}")
    if source is None:
        source = _folder(args, create=False).root / "submitted"
    report, html_path, nb_path = build(source, args.out, anonymize=args.anonymize,
                                       title=args.title, execute=not args.no_execute)
    print(f"{len(report.students_)} students' work used; {len(report.problems_)} problems "
          f"reported and skipped.\n  {html_path}\n  {nb_path}")
    return 0


def parser():
    """The argument parser of the ``course`` command."""
    p = argparse.ArgumentParser(prog="course", description="Instructor tools of 'Human Labor "
                                "in ML': release, collect, autograde, feedback, grades, and the "
                                "class report. Works from any directory.")
    p.add_argument("--course-dir", help="the nbgrader course folder (default: $COURSE_DIR, "
                   "else course-dir/ in the repository)")
    p.add_argument("--notebooks", help="the course notebooks (sources with solutions); "
                   "default: the repository's notebooks/")
    # the same two options are also accepted after the command (course init DIR --notebooks X)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--notebooks", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add = sub.add_parser

    def add_parser(name, **kw):
        return _add(name, parents=[common], **kw)
    sub.add_parser = add_parser

    s = sub.add_parser("init", help="make a course folder (one per term)")
    s.add_argument("dir", nargs="?", help="where (default: --course-dir)")
    s.add_argument("--course-id", default="human-labor-in-ml")
    s.add_argument("--timeout", type=int, default=60, help="seconds a cell may run when "
                   "autograding (default 60)")
    s.add_argument("--memory-mb", type=int, default=2048, help="memory cap of a grading kernel "
                   "(default 2048)")
    s.add_argument("--no-network", action="store_true", help="grading kernels get no network")
    s.add_argument("--exchange", help="nbgrader exchange folder (JupyterHub / shared machine)")
    s.add_argument("--force", action="store_true", help="rewrite an existing nbgrader_config.py")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("status", help="what is released, submitted and graded")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("release", help="generate student versions (and release them to the "
                       "exchange, if there is one)")
    s.add_argument("assignments", nargs="*", help="ids or prefixes like 00 (default: all)")
    s.add_argument("--due", help='due date, e.g. "2026-12-10 17:00" (UTC unless a zone is '
                   "given); see `course due`")
    s.set_defaults(func=cmd_release)

    s = sub.add_parser("due", help="show or set an assignment's due date (late submissions "
                       "are graded and reported as late)")
    s.add_argument("assignment")
    s.add_argument("when", nargs="?", help='e.g. "2026-12-10 17:00" (UTC), '
                   '"2026-12-10T17:00+01:00", "2026-12-10 17:00 Europe/Berlin"; none removes it')
    s.add_argument("--student", action="append", help="give this student (repeatable) a later "
                   "due date of their own: an extension")
    s.set_defaults(func=cmd_due)

    s = sub.add_parser("student-versions", help="write every notebook's student version into "
                       "a folder (for Binder's postBuild)")
    s.add_argument("--out", required=True)
    s.set_defaults(func=cmd_student_versions)

    s = sub.add_parser("collect", help="bring submissions in (from the exchange or a folder)")
    s.add_argument("assignment")
    s.add_argument("--from", dest="source", help="a folder with one folder or zip per student")
    s.add_argument("--before-due", action="store_true", help="from the exchange: each "
                   "student's newest submission made by the due date (their newest if none "
                   "was); default: the newest, graded and reported late if it is")
    s.set_defaults(func=cmd_collect)

    s = sub.add_parser("autograde", help="grade submissions; every problem is reported")
    s.add_argument("assignment")
    s.add_argument("--student", action="append", help="only this student (repeatable)")
    s.add_argument("--jobs", type=int, default=1, help="submissions graded at once")
    s.set_defaults(func=cmd_autograde)

    s = sub.add_parser("feedback", help="make feedback HTML (released to the exchange too)")
    s.add_argument("assignment")
    s.add_argument("--student", action="append")
    s.set_defaults(func=cmd_feedback)

    s = sub.add_parser("grades", help="export grades as CSV (never a silent 0)")
    s.add_argument("--out", help="CSV file (default: <course folder>/grades.csv)")
    s.set_defaults(func=cmd_grades)

    s = sub.add_parser("class-report", help="the class as a dataset: HTML + notebook")
    s.add_argument("--from", dest="source", help="folder of submissions (default: the course "
                   "folder's submitted/)")
    s.add_argument("--out", default="class-report", help="output folder (default ./class-report)")
    s.add_argument("--anonymize", "--anonymise", dest="anonymize", action="store_true",
                   help="show students as numbers (either spelling)")
    s.add_argument("--title", default="Class report")
    s.add_argument("--no-execute", action="store_true", help="write the notebook unexecuted")
    s.add_argument("--demo", type=int, metavar="N", help="build it for a synthetic class of N "
                   "students (with damaged and hostile ones)")
    s.set_defaults(func=cmd_class_report)
    return p


def main(argv=None):
    """Entry point of the ``course`` console script; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as exc:
        print(f"course {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
