"""Due dates and late submissions.

An assignment's due date is kept in nbgrader's gradebook (``course due 00 "2026-12-10 17:00"``
or ``course release 00 --due ...``). When it autogrades, nbgrader compares it with each
submission's ``timestamp.txt`` (written by ``nbgrader submit``, or by ``course collect
--from`` from the file's modification time). A late submission is graded in full and its
lateness is reported (the autograde table, ``reports/``, ``grades.csv``); no points are taken
off unless the course folder's ``nbgrader_config.py`` says so (nbgrader's
``LateSubmissionPlugin.penalty_method``).

Examples
--------
>>> parse_due("2026-12-10 17:00")
datetime.datetime(2026, 12, 10, 17, 0)
>>> parse_due("2026-12-10T18:00+01:00")
datetime.datetime(2026, 12, 10, 17, 0)
>>> late_text(3 * 3600 + 125)
'3 h 2 min late'
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

from ..core.errors import CourseValueError
from .checks import Problem

_HOW = ("write it like 2026-12-10 17:00 (UTC), 2026-12-10T17:00+01:00 or "
        "2026-12-10 17:00 Europe/Berlin")


def parse_due(text):
    """A date and time from text, as nbgrader stores it (naive, in UTC); no zone means UTC."""
    import dateutil.tz
    from nbgrader.utils import parse_utc

    if not isinstance(text, str) or not text.strip():
        raise CourseValueError(f"A due date is needed: {_HOW}.")
    text = text.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}([ T]|$)", text):  # no "friday", no "12/10"
        raise CourseValueError(f"Cannot read the due date {text!r}: {_HOW}.")
    parts = text.split()
    if len(parts) == 3 and not parts[2].lstrip("+-").isdigit() and \
            dateutil.tz.gettz(parts[2]) is None:
        raise CourseValueError(f"Unknown time zone {parts[2]!r} in the due date {text!r}: "
                               f"{_HOW}.")
    try:
        return parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        raise CourseValueError(f"Cannot read the due date {text!r}: {_HOW}.") from None


def set_due_date(folder, assignment, when):
    """Record ``when`` (text or datetime; None removes it) as the due date; return it.

    Students' own due dates (:func:`set_student_due_date`) stay where they were; one that is
    no longer later than the new due date (or has no due date to extend) is dropped."""
    due = parse_due(when) if isinstance(when, str) else when
    own = student_due_dates(folder, assignment)
    with folder.gradebook() as gb:
        gb.update_or_create_assignment(assignment, duedate=due)
        for student, theirs in own.items():
            gb.update_or_create_submission(
                assignment, student,
                extension=theirs - due if due is not None and theirs > due else None)
    return due


def due_date(folder, assignment):
    """The due date of ``assignment`` (naive UTC datetime), or None."""
    from nbgrader.api import MissingEntry

    if not (folder.root / "gradebook.db").exists():
        return None
    with folder.gradebook() as gb:
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def set_student_due_date(folder, assignment, student, when):
    """Give ``student`` a later due date of their own (an extension: nbgrader counts their
    lateness from it); ``None`` takes it back. Returns it."""
    from sqlalchemy.exc import SAWarning

    from .coursedir import check_student_id

    check_student_id(student)
    due = due_date(folder, assignment)
    if due is None:
        raise CourseValueError(f"{assignment} has no due date yet; set it first (`course due "
                               f"{assignment} DATE`): an extension is counted from it.")
    own = parse_due(when) if isinstance(when, str) else when
    if own is not None and own < due:
        raise CourseValueError(f"{own:%Y-%m-%d %H:%M} UTC is before {assignment}'s due date "
                               f"({due:%Y-%m-%d %H:%M} UTC): a student's own due date can only "
                               "be later.")
    with folder.gradebook() as gb, warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy's autoflush warning; the rows are fine
        warnings.simplefilter("ignore", category=SAWarning)
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student,
                                       extension=None if own is None else own - due)
    return own


def student_due_dates(folder, assignment):
    """``{student: their own due date}`` of the students with an extension."""
    from nbgrader.api import MissingEntry

    if due_date(folder, assignment) is None:
        return {}
    with folder.gradebook() as gb:
        try:
            subs = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return {}
        return {s.student_id: s.duedate for s in subs if s.extension}


def late_text(seconds):
    """``'2 h 5 min late'``: how late a submission was, in words ('' if on time)."""
    seconds = int(round(seconds or 0))
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes and not days else "",
             f"{secs} s" if secs and not (days or hours) else ""]
    return " ".join(p for p in parts if p) + " late"


def set_aside_bad_timestamp(submission):
    """A submission's ``timestamp.txt`` that nbgrader cannot read would stop it grading the
    whole submission: move it aside (``timestamp.txt.unreadable``) and return the Problem to
    report (None if the file is fine or absent)."""
    from nbgrader.utils import parse_utc

    path = Path(submission) / "timestamp.txt"
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8", errors="strict").strip()
        if text:
            parse_utc(text)
        return None
    except (ValueError, OverflowError, TypeError, UnicodeDecodeError):
        path.replace(path.with_name("timestamp.txt.unreadable"))
        return Problem("bad_timestamp", "the submission time (timestamp.txt) could not be read; "
                       "graded without it, so whether it was late is unknown")
