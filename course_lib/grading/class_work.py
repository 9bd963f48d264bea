"""The class's saved work, read from its submissions: one table of every student's events.

Each submission carries the student's ``my_work/course_work.sqlite`` (and maybe an export
file). :func:`read_class` finds them under a folder of submissions (``<student>/...``),
reads each one with the course's own :class:`~course_lib.core.workspace.Workspace` (from a
temporary copy, so a submission is never changed) or :func:`~course_lib.core.workspace.read_export`,
merges a student's files without duplicates, and reports — never fails on — work that is
missing, damaged, foreign or from a newer course version.

Examples
--------
>>> import tempfile, pathlib
>>> from course_lib.core.workspace import Workspace
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> ws = Workspace(root / "ada" / "00_welcome" / "my_work")
>>> _ = ws.activity("part2.words").record("happy", 3)
>>> ws.close()
>>> (root / "bob").mkdir()
>>> work = read_class(root)
>>> work.students, len(work.events), work.problems
(['ada'], 1, [('bob', 'no saved work (no my_work/ folder or export file) in the submission')])
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import CourseError
from ..core.workspace import DB_NAME, Workspace, read_export
from .coursedir import STUDENT_ID

COLUMNS = ["student", "activity", "kind", "item", "value", "elapsed", "recorded_at", "uid",
           "session"]
MAX_FILE_MB = 50
_MAX_DEPTH = 4


@dataclass
class ClassWork:
    """Everything the class saved: ``events`` (a DataFrame with :data:`COLUMNS`), the
    ``students`` with usable work, and ``problems``: ``[(student, what was skipped and why)]``."""

    events: pd.DataFrame
    students: list
    problems: list = field(default_factory=list)


def _find(folder, pattern):
    out = []
    for path in folder.rglob(pattern):
        rel = path.relative_to(folder)
        if len(rel.parts) <= _MAX_DEPTH and not any(
                p.is_symlink() for p in [path, *path.parents][:len(rel.parts)]):
            out.append(path)
    return sorted(out)


def _read_sqlite(path):
    """Events of one workspace file, read from a temporary copy (the original is untouched)."""
    with tempfile.TemporaryDirectory(prefix="class-work-") as tmp:
        for suffix in ("", "-journal", "-wal"):
            src = path.with_name(path.name + suffix)
            if src.exists():
                shutil.copyfile(src, Path(tmp) / (DB_NAME + suffix))
        try:
            ws = Workspace(tmp)
        except CourseError as exc:  # name the submitted file, not the temporary copy
            raise CourseError(str(exc).replace(str(Path(tmp) / DB_NAME), path.name)) from None
        try:
            return [e.to_json() for e in ws.events()]
        finally:
            ws.close()


def _read_file(path):
    if path.stat().st_size > MAX_FILE_MB * 2**20:
        raise CourseError(f"larger than {MAX_FILE_MB} MB")
    if path.name == DB_NAME:
        if path.stat().st_size == 0:
            return []
        return _read_sqlite(path)
    return read_export(path)["events"]


def _reason(exc, folder):
    text = " ".join(str(exc).split()).replace(f"{folder}/", "")
    text = text.split(" Nothing was ")[0]  # the rest is advice for the learner
    return text if len(text) <= 300 else text[:297] + "..."


def read_student(folder):
    """``(events, problems)`` of one student's submission folder."""
    files = _find(folder, f"my_work/{DB_NAME}") + _find(folder, "*.course-export.json")
    if not files:
        return [], ["no saved work (no my_work/ folder or export file) in the submission"]
    events, problems = {}, []
    for path in files:
        rel = path.relative_to(folder)
        try:
            for e in _read_file(path):
                events.setdefault(e["uid"], e)
        except (CourseError, sqlite3.Error, OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{rel} skipped: {_reason(exc, folder)}")
    if not events and not problems:
        problems.append("the saved work is empty")
    return list(events.values()), problems


def read_class(source):
    """Read every student's work under ``source`` (a folder of ``<student>/`` folders, or a
    course folder, whose ``submitted/`` is used). Returns a :class:`ClassWork`."""
    source = Path(source)
    if (source / "nbgrader_config.py").exists() and (source / "submitted").is_dir():
        source = source / "submitted"
    rows, students, problems = [], [], []
    for entry in sorted(source.iterdir()):
        if not entry.is_dir() or entry.is_symlink():
            continue
        if not STUDENT_ID.match(entry.name):
            problems.append((entry.name, "skipped: the folder name is not a student id"))
            continue
        events, notes = read_student(entry)
        problems.extend((entry.name, n) for n in notes)
        if events:
            students.append(entry.name)
            rows.extend({"student": entry.name, **{k: e.get(k) for k in COLUMNS[1:]}}
                        for e in events)
    events = pd.DataFrame(rows, columns=COLUMNS)
    events = events.sort_values(["student", "recorded_at"], kind="stable").reset_index(drop=True)
    return ClassWork(events=events, students=students, problems=problems)


def current(events, activity):
    """Each student's present answer per item of ``activity`` (undone work left out).

    Returns the rows of ``events`` that are in force: not undo events, not undone by one,
    and the latest for their (student, item).
    """
    act = events[events["activity"] == activity]
    undone = set(act.loc[act["kind"] == "undo", "value"].map(str))
    live = act[(act["kind"] != "undo") & ~act["uid"].isin(undone)]
    return live.drop_duplicates(["student", "item"], keep="last")
