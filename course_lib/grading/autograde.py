"""Autograde a batch of submissions so that every one is graded and every problem is told.

For each student, in turn and in its own ``nbgrader autograde`` process (with a wall-clock
limit as the last safety net):

1. the submission is compared with the released notebook (:mod:`.checks`): edited test
   cells, a switched kernel, deleted cells, outputs with scripts, an unreadable notebook;
2. nbgrader grades it with :class:`~course_lib.grading.execute.RobustExecute`, so a cell
   that loops, hangs in C code, exhausts memory or kills its kernel fails on its own and
   the rest of the notebook is still graded;
3. the scores are read from the gradebook and the errors from the graded notebook.

A submission that still could not be graded is reported as **not graded** (never as a
silent 0). Reports go to ``<course>/reports/<assignment>/``: one JSON per student, nbgrader's
log, and ``autograde.csv`` for the batch.
"""
from __future__ import annotations

import csv
import json
import time
from dataclasses import asdict, dataclass, field

from . import checks, deadlines, sandbox
from .checks import Problem
from .coursedir import check_student_id
from .execute import LOG_ENV

#: How often a submission is graded again after losing a race for the shared gradebook.
LOCK_RETRIES = 3
#: What nbgrader says when another grader wrote to the gradebook at the same moment: SQLite
#: was locked, or both created the same new student (a second run finds it there).
GRADEBOOK_RACES = ("database is locked", "UNIQUE constraint failed")
#: Extra seconds on top of the per-cell limits before a whole submission is stopped.
STARTUP_ALLOWANCE = 120

_LOG_PROBLEMS = {
    "timeout": "ran longer than the time limit and was interrupted",
    "stuck": "did not stop when interrupted (stuck in C code?); kernel killed and restarted",
    "kernel_died": "the kernel died (os._exit, a crash or memory); it was restarted",
    "not_run": "was not run: too many kernel restarts",
    "restart_failed": "the kernel could not be restarted",
    "replay_failed": "re-running earlier cells after a restart failed",
}


@dataclass
class Result:
    """How one student's submission of one assignment was graded."""

    student: str
    assignment: str
    status: str = "not graded"   # "graded" or "not graded"
    score: float = 0.0           # all points so far (autograded + manually graded)
    max_score: float = 0.0
    auto_score: float = 0.0      # points from the autograded tests
    auto_max: float = 0.0
    needs_manual_grade: bool = False
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    seconds_late: float = 0.0    # after the due date (0: on time, or no due date)
    late_penalty: float = 0.0    # points nbgrader took off for it (0 unless configured)

    @property
    def problem_text(self):
        late = deadlines.late_text(self.seconds_late)
        if late and self.late_penalty:
            late += f" ({self.late_penalty:g} points off)"
        return "; ".join([str(p) for p in self.problems] + ([late] if late else []))

    def to_json(self):
        d = asdict(self)
        d["problems"] = [asdict(p) for p in self.problems]
        return d


def _log_problems(path):
    problems = []
    if not path.exists():
        return problems
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        where = rec.get("grade_id") or (f"cell {rec['cell']}" if rec.get("cell") is not None
                                        else "notebook")
        text = _LOG_PROBLEMS.get(rec.get("problem"), rec.get("detail", "problem"))
        label = f"cell {where!r}" if rec.get("grade_id") else where
        problems.append(Problem(rec.get("problem", "problem"), f"{label}: {text}", where))
    return problems


def _nbgrader_error(log_text):
    lines = [ln for ln in log_text.splitlines() if "| ERROR]" in ln or "Error:" in ln]
    useful = [ln.split("]", 1)[-1].strip() for ln in lines if "Traceback" not in ln]
    return useful[-1][:200] if useful else "nbgrader failed"


def grade_one(folder, assignment, student, *, timeout=None):
    """Autograde one submission; return its :class:`Result` (never raises for bad work)."""
    start = time.monotonic()
    result = Result(student, assignment)
    reports = folder.reports_dir(assignment)
    released, _ = checks.read_notebook(folder.release_notebook(assignment))
    nb_path = folder.path("submitted", student, assignment) / f"{assignment}.ipynb"
    submitted, problem = checks.read_notebook(nb_path)
    if problem:
        result.problems.append(problem)
    elif released is not None:
        result.problems.extend(checks.compare(released, submitted))
    problem = deadlines.set_aside_bad_timestamp(nb_path.parent)
    if problem:
        result.problems.append(problem)

    log_path = reports / f"{student}.problems.jsonl"
    n_cells = len(released.cells) if released is not None else 50
    limit = timeout or (folder.timeout * (n_cells // 4 + 3) + STARTUP_ALLOWANCE)
    code, text = run_nbgrader_autograde(folder, assignment, student, log_path, limit,
                                        reports / f"{student}.log")
    result.problems.extend(_log_problems(log_path))
    graded_path = folder.path("autograded", student, assignment) / f"{assignment}.ipynb"
    graded, _ = checks.read_notebook(graded_path)
    if code is None:
        result.problems.append(Problem("too_slow", f"grading took longer than {limit} s and "
                                       "was stopped"))
    if graded is not None:
        memory = folder.config.get("LimitedKernelManager", {}).get("memory_limit_mb")
        logged = {p.cell for p in result.problems if p.kind in _LOG_PROBLEMS}
        result.problems.extend(p for p in checks.executed_problems(graded, memory)
                               if not (p.cell in logged and p.kind in ("kernel_died", "timeout",
                                                                       "not_run")))
    elif code is not None and not any(p.kind == "unreadable_notebook" for p in result.problems):
        if not any(p.kind == "missing_notebook" for p in result.problems):
            result.problems.append(Problem("nbgrader_failed", _nbgrader_error(text)))
    _read_scores(folder, result, graded_ok=graded is not None or
                 any(p.kind == "missing_notebook" for p in result.problems))
    result.seconds = round(time.monotonic() - start, 2)
    (reports / f"{student}.json").write_text(json.dumps(result.to_json(), indent=1),
                                             encoding="utf-8")
    return result


def run_nbgrader_autograde(folder, assignment, student, log_path, limit, log):
    """``nbgrader autograde`` for one student, run again (up to :data:`LOCK_RETRIES` times) when
    it lost a race with a parallel grader for the shared SQLite gradebook; returns (code, output)."""
    for _attempt in range(LOCK_RETRIES + 1):
        log_path.unlink(missing_ok=True)
        code, text = folder.nbgrader("autograde", assignment, "--student", student, "--force",
                                     env={LOG_ENV: str(log_path)}, timeout=limit, log=log)
        if code == 0 or not any(race in text for race in GRADEBOOK_RACES):
            break
    return code, text


def _read_scores(folder, result, *, graded_ok):
    from nbgrader.api import MissingEntry

    with folder.gradebook() as gb:
        try:
            assignment = gb.find_assignment(result.assignment)
            result.max_score = float(assignment.max_score)
            result.auto_max = float(assignment.max_code_score)
            sub = gb.find_submission(result.assignment, result.student)
        except MissingEntry:
            return
        if graded_ok:
            result.status = "graded"
            result.score = float(sub.score)
            result.auto_score = float(sub.code_score)
            result.needs_manual_grade = bool(sub.needs_manual_grade)
            result.seconds_late = float(sub.total_seconds_late or 0)
            result.late_penalty = float(sub.late_submission_penalty or 0)


def autograde(folder, assignment, students=None, *, jobs=1, progress=None):
    """Autograde every submission of ``assignment`` (or ``students``); return [Result].

    The batch always finishes. ``jobs`` submissions are graded at once (each in its own
    process and kernel); ``progress(result)`` is called after each one.
    """
    from concurrent.futures import ThreadPoolExecutor

    students = [check_student_id(s) for s in (students or folder.submitted_students(assignment))]

    def one(student):
        result = grade_one(folder, assignment, student)
        if progress:
            progress(result)
        return result

    try:
        with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
            results = list(pool.map(one, students))
    finally:
        sandbox.kill_grader_processes()  # what a hostile kernel may have left running
    write_csv(folder.reports_dir(assignment) / "autograde.csv", results)
    return results


def isolation(folder, assignment=None):
    """How this course's grading kernels are isolated, measured by a probe started like one
    (:func:`~course_lib.grading.sandbox.isolation_report`); saved as
    ``reports/<assignment>/isolation.json`` when ``assignment`` is given."""
    import os
    import stat

    cfg = folder.config.get("LimitedKernelManager", {})
    mode = folder.root.stat().st_mode
    if os.geteuid() == 0 and mode & 0o077:
        # the course folder is root's alone: even where no mount namespace can hide it (a
        # container without CAP_SYS_ADMIN) the grading user cannot enter it
        folder.root.chmod(stat.S_IMODE(mode) & 0o700)
    report = sandbox.isolation_report(folder.root, isolation=cfg.get("isolation", "auto"),
                                      hide=list(cfg.get("hide_paths", [])),
                                      no_network=bool(cfg.get("no_network", False)))
    if assignment:
        (folder.reports_dir(assignment) / "isolation.json").write_text(
            json.dumps(report, indent=1), encoding="utf-8")
    return report


def write_csv(path, results):
    """One row per submission: student, status, score, max, manual grading, problems."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "assignment", "status", "auto_score", "auto_max", "score",
                    "max_score", "needs_manual_grade", "problems", "seconds_late"])
        for r in results:
            w.writerow([r.student, r.assignment, r.status, r.auto_score, r.auto_max, r.score,
                        r.max_score, r.needs_manual_grade, r.problem_text, r.seconds_late])
    return path


def format_table(results):
    """A plain-text table of a batch, for the terminal."""
    lines = [f"{'student':<18} {'status':<11} {'autograded':>10}  what went wrong"]
    for r in results:
        score = f"{r.auto_score:g}/{r.auto_max:g}" if r.status == "graded" else "-"
        problems = r.problem_text or "-"
        lines.append(f"{r.student:<18} {r.status:<11} {score:>10}  {problems}")
    graded = sum(r.status == "graded" for r in results)
    manual = sum(r.needs_manual_grade for r in results)
    late = sum(r.seconds_late > 0 for r in results)
    lines.append(f"{graded} of {len(results)} submissions graded; {manual} need manual grading "
                 "(written reflections) in the formgrader"
                 + (f"; {late} submitted after the due date." if late else "."))
    return "\n".join(lines)
