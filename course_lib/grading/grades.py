"""Export grades: one row per student and assignment, never a silent zero.

Scores come from nbgrader's gradebook; the autograding reports add what went wrong, and
``seconds_late`` / ``late_penalty`` say how late a submission was (:mod:`.deadlines`). A
student with a submission in ``submitted/`` that has no grade is listed as *not graded*
with the reason, so nobody is zeroed without anyone noticing.
"""
from __future__ import annotations

import csv
import json

COLUMNS = ["student", "assignment", "status", "score", "max_score", "auto_score", "auto_max",
           "needs_manual_grade", "problems", "seconds_late", "late_penalty"]


def grade_rows(folder):
    """The rows of the export, as dicts with :data:`COLUMNS`."""
    from nbgrader.api import MissingEntry

    rows = []
    with folder.gradebook() as gb:
        assignments = [a.name for a in gb.assignments]
        students = {s.id for s in gb.students}
        for aid in assignments:
            students |= set(folder.submitted_students(aid))
        for aid in assignments:
            assignment = gb.find_assignment(aid)
            for sid in sorted(students):
                row = {"student": sid, "assignment": aid, "max_score": assignment.max_score,
                       "auto_max": assignment.max_code_score, "score": 0.0, "auto_score": 0.0,
                       "needs_manual_grade": False, "problems": "", "seconds_late": 0.0,
                       "late_penalty": 0.0}
                report = folder.root / "reports" / aid / f"{sid}.json"
                if report.exists():
                    row["problems"] = "; ".join(p["message"] for p in json.loads(
                        report.read_text(encoding="utf-8")).get("problems", []))
                submitted = (folder.path("submitted", sid, aid)).is_dir()
                try:
                    sub = gb.find_submission(aid, sid)
                except MissingEntry:
                    sub = None
                graded = sub is not None and (folder.path("autograded", sid, aid)).is_dir()
                if graded:
                    row.update(status="graded", score=sub.score, auto_score=sub.code_score,
                               needs_manual_grade=sub.needs_manual_grade,
                               seconds_late=sub.total_seconds_late or 0.0,
                               late_penalty=sub.late_submission_penalty or 0.0)
                elif submitted:
                    row["status"] = "NOT GRADED"
                    row["problems"] = row["problems"] or "submitted but not autograded yet"
                else:
                    row["status"] = "no submission"
                rows.append(row)
    return rows


def export_grades(folder, path):
    """Write :func:`grade_rows` as CSV to ``path``; return the rows."""
    rows = grade_rows(folder)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return rows
