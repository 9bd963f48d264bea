"""The class's saved work, read from its submissions: one table of every student's events.

Each submission carries the student's ``my_work/course_work.sqlite`` (and maybe an export
file). :func:`read_class` finds them under a folder of submissions (``<student>/...``),
reads each one as untrusted data, merges a student's files without duplicates, and reports —
never fails or hangs on — work that is missing, damaged, foreign, hostile or from a newer
course version. One submission can never stop or corrupt the report of the others:

* a workspace is opened read-only (``mode=ro``, ``immutable=1``: no lock, no journal written,
  the submission is never changed), and only if ``meta`` and ``events`` are real tables —
  a view (say, an endlessly recursive one) is refused before it is ever queried;
* every query runs under a per-student time limit enforced inside SQLite (a progress handler
  interrupts loops in SQLite's C code, where Ctrl-C cannot), and files and row counts are
  capped;
* every value of every event is type-checked (:func:`check_event`): text columns are text,
  ``recorded_at`` is a finite time between 2000 and 2100, ``elapsed`` is finite and >= 0 or
  missing, ``value`` is JSON of bounded size and nesting;
* export files are capped in size and nesting (json's recursion is caught).

A file that fails any check is skipped as a whole, with the reason; the student's other files
(and the other students) are still used.

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

import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.class_pool import current
from ..core.errors import CourseError
from ..core.workspace import DB_NAME, FORMAT, FORMAT_VERSION, KINDS
from .coursedir import STUDENT_ID

__all__ = ["COLUMNS", "ClassWork", "TooSlow", "check_event", "current", "parse_value",
           "read_class", "read_export_file", "read_sqlite", "read_student"]

COLUMNS = ["student", "activity", "kind", "item", "value", "elapsed", "recorded_at", "uid",
           "session"]
#: Largest workspace file read (MB); an export file may be at most MAX_EXPORT_MB.
MAX_FILE_MB = 50
MAX_EXPORT_MB = 20
#: Most events read from one file.
MAX_EVENTS = 200_000
#: Seconds one student's files may take to read, all together.
STUDENT_SECONDS = 10.0
#: Bounds of one event's fields.
MAX_TEXT_CHARS = 2_000          # activity, kind, item, uid, session
MAX_VALUE_CHARS = 100_000       # a value's JSON text
MAX_DEPTH = 20                  # nesting of lists and dicts in a value
MAX_ENTRIES = 10_000            # files and folders looked at in one submission
EARLIEST, LATEST = 946_684_800.0, 4_102_444_800.0  # 2000-01-01 and 2100-01-01 (Unix time)
_ACTIVITY_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
_MAX_DEPTH = 4                  # of a workspace or export file inside a submission folder


class TooSlow(CourseError):
    """Reading one student's work took longer than :data:`STUDENT_SECONDS`."""


@dataclass
class ClassWork:
    """Everything the class saved: ``events`` (a DataFrame with :data:`COLUMNS`), the
    ``students`` with usable work, and ``problems``: ``[(student, what was skipped and why)]``."""

    events: pd.DataFrame
    students: list
    problems: list = field(default_factory=list)
    #: students who withdrew their work from the pooled report (part 7's consent); none of
    #: their events is in ``events``.
    withdrawn: list = field(default_factory=list)


#: The activity and item where a learner's consent is saved (part 7's ConsentCard).
CONSENT_ACTIVITY, CONSENT_ITEM = "part7.consent", "consent"


def withdrew(events):
    """True if the student's latest consent in force (``events``: their event dicts) says
    ``withdrawn: true``; undone consents are left out, as everywhere."""
    rows = [e for e in events if e.get("activity") == CONSENT_ACTIVITY]
    if not rows:
        return False
    frame = pd.DataFrame([{"student": "s", **e} for e in rows], columns=COLUMNS)
    frame["recorded_at"] = frame["recorded_at"].astype(float)
    cur = current(frame.sort_values("recorded_at", kind="stable"), CONSENT_ACTIVITY)
    cur = cur[cur["item"] == CONSENT_ITEM]
    if cur.empty:
        return False
    value = cur["value"].iloc[-1]
    return isinstance(value, dict) and value.get("withdrawn") is True


def _find(folder, deadline):
    """The workspace files (``my_work/course_work.sqlite``) and export files
    (``*.course-export.json``) at most :data:`_MAX_DEPTH` levels down in ``folder``; links
    are never followed, and at most :data:`MAX_ENTRIES` entries are looked at."""
    out, seen = [], 0
    stack = [(Path(folder), 1)]
    while stack:
        here, depth = stack.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                seen += 1
                if seen > MAX_ENTRIES or time.monotonic() > deadline:
                    raise CourseError(f"the submission has too many files (more than "
                                      f"{MAX_ENTRIES:,} looked at)" if seen > MAX_ENTRIES else
                                      "finding its files took longer than its time limit")
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if depth < _MAX_DEPTH:
                        stack.append((Path(entry.path), depth + 1))
                elif entry.is_file(follow_symlinks=False) and (
                        (entry.name == DB_NAME and here.name == "my_work" and here != folder)
                        or entry.name.endswith(".course-export.json")):
                    out.append(Path(entry.path))
    return sorted(out)


def _text_ok(text):
    """True if ``text`` can be written out as UTF-8 (JSON escapes can make lone surrogates)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- checking one event -----------------------------------------------------------------------
def _depth_ok(value, limit=MAX_DEPTH):
    """True if ``value`` nests lists/dicts at most ``limit`` deep and holds only JSON data
    with finite numbers (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (list, dict)):
            if depth >= limit:
                return False
            children = v.values() if isinstance(v, dict) else v
            if isinstance(v, dict) and not all(isinstance(k, str) for k in v):
                return False
            stack.extend((c, depth + 1) for c in children)
            if isinstance(v, dict) and not all(_text_ok(k) for k in v):
                return False
        elif isinstance(v, float):
            if not math.isfinite(v):
                return False
        elif isinstance(v, str):
            if not _text_ok(v):
                return False
        elif not (v is None or isinstance(v, (str, bool, int))):
            return False
    return True


def _no_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def parse_value(text):
    """A value's JSON text parsed, or ValueError if too long, too deep or not JSON."""
    if not isinstance(text, str):
        raise ValueError(f"its value is {type(text).__name__}, not JSON text")
    if len(text) > MAX_VALUE_CHARS:
        raise ValueError(f"its value is longer than {MAX_VALUE_CHARS:,} characters")
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("its value is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"its value is not JSON ({exc})") from None
    if not _depth_ok(value):
        raise ValueError(f"its value is not JSON data (of text, finite numbers, lists and "
                         f"dicts) nested at most {MAX_DEPTH} levels")
    return value


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_event(e, *, sized=False):
    """``e`` (a dict of one event's fields, ``value`` already parsed) if every field has the
    type and range the course writes; else ValueError saying which field is wrong.
    ``sized=True``: the value's size is already known to be bounded (parsed from bounded
    text), so it is not measured again."""
    for key in ("uid", "activity", "kind", "item", "session"):
        v = e.get(key)
        if not isinstance(v, str) or len(v) > MAX_TEXT_CHARS or not _text_ok(v):
            raise ValueError(f"its {key} is not text of at most {MAX_TEXT_CHARS} characters")
    if not e["uid"]:
        raise ValueError("it has no uid")
    if not _ACTIVITY_RE.match(e["activity"]):
        raise ValueError("its activity is not an activity name")
    if e["kind"] not in KINDS:
        raise ValueError("its kind is not one the course uses")
    t = e.get("recorded_at")
    if not _is_number(t) or not EARLIEST <= t <= LATEST:
        raise ValueError("its recorded_at is not a time between 2000 and 2100")
    s = e.get("elapsed")
    if s is not None and not (_is_number(s) and s >= 0):
        raise ValueError("its elapsed is not a finite number of seconds >= 0")
    if sized:
        return {k: e.get(k) for k in COLUMNS[1:]} | {"recorded_at": float(t),
                                                     "elapsed": None if s is None else float(s)}
    if not _depth_ok(e.get("value")):
        raise ValueError(f"its value is not JSON data (of text, finite numbers, lists and "
                         f"dicts) nested at most {MAX_DEPTH} levels")
    try:
        size = len(json.dumps(e.get("value"), ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        raise ValueError("its value is not JSON data") from None
    if size > MAX_VALUE_CHARS:
        raise ValueError(f"its value is longer than {MAX_VALUE_CHARS:,} characters")
    return {k: e.get(k) for k in COLUMNS[1:]} | {"recorded_at": float(t),
                                                 "elapsed": None if s is None else float(s)}


def _check_format(fmt, version):
    if fmt != FORMAT:
        raise CourseError("not a course workspace or export (wrong format)")
    try:
        version = int(version)
    except (TypeError, ValueError, OverflowError):
        raise CourseError("unreadable format version") from None
    if version > FORMAT_VERSION:
        raise CourseError(f"written by a newer version of the course (format {version}; this "
                          f"course_lib reads up to {FORMAT_VERSION})")


# -- reading a workspace file -----------------------------------------------------------------
def _connect(path, deadline):
    """A read-only, immutable connection to ``path`` whose queries stop at ``deadline``."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                           isolation_level=None, check_same_thread=False)
    conn.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
    for limit, size in ((sqlite3.SQLITE_LIMIT_LENGTH, 4 * MAX_VALUE_CHARS),
                        (sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000),
                        (sqlite3.SQLITE_LIMIT_ATTACHED, 0)):
        conn.setlimit(limit, size)
    return conn


def _query(conn, sql, deadline, params=()):
    """``conn.execute(sql).fetchall()``; TooSlow if SQLite was interrupted at ``deadline``."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if time.monotonic() > deadline or "interrupt" in str(exc):
            raise TooSlow("reading it took longer than its time limit (stopped)") from None
        raise


def _recovered_copy(path, tmp, deadline):
    """A private copy of ``path`` with its hot journal or WAL applied (a kernel killed while
    writing leaves one); the submission itself is untouched."""
    copy = Path(tmp) / DB_NAME
    shutil.copyfile(path, copy)
    for suffix in ("-journal", "-wal"):
        src = path.with_name(path.name + suffix)
        if src.is_file() and not src.is_symlink():
            shutil.copyfile(src, copy.with_name(copy.name + suffix))
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
        _query(conn, "SELECT count(*) FROM sqlite_master", deadline)  # rolls the journal back
        _query(conn, "PRAGMA journal_mode=DELETE", deadline)
    finally:
        conn.close()
    return copy


def read_sqlite(path, deadline=None):
    """The events of one workspace file, checked; raises CourseError or sqlite3.Error."""
    path = Path(path)
    deadline = time.monotonic() + STUDENT_SECONDS if deadline is None else deadline
    with tempfile.TemporaryDirectory(prefix="class-work-") as tmp:
        hot = any(path.with_name(path.name + s).exists() for s in ("-journal", "-wal"))
        conn = _connect(_recovered_copy(path, tmp, deadline) if hot else path, deadline)
        try:
            return _read_connection(conn, deadline)
        finally:
            conn.close()


def _read_connection(conn, deadline):
    # names are case-insensitive in SQL: a view "EVENTS" would answer "FROM events"
    kinds = dict(_query(conn, "SELECT lower(name), type FROM sqlite_master WHERE lower(name) "
                              "IN ('meta', 'events')", deadline))
    tables = {r[0] for r in _query(conn, "SELECT name FROM sqlite_master WHERE type='table'",
                                   deadline)}
    if kinds.get("meta") not in (None, "table"):
        raise CourseError(f"not a course workspace: its meta is a {kinds['meta']}, not a table")
    if kinds.get("meta") != "table":
        raise CourseError(f"not a course workspace (it has tables {sorted(tables)[:10]})")
    if kinds.get("events") != "table":
        raise CourseError("not a course workspace: " + (
            f"its events are a {kinds['events']}, not a table" if kinds.get("events")
            else "it has no events table"))
    sql = dict(_query(conn, "SELECT lower(name), sql FROM sqlite_master WHERE lower(name) IN "
                            "('meta', 'events')", deadline))
    if any(str(s).lstrip().upper().startswith("CREATE VIRTUAL") for s in sql.values()):
        raise CourseError("not a course workspace: its events are a virtual table")
    cols = _query(conn, "PRAGMA table_xinfo(events)", deadline)
    if any(c[6] for c in cols):  # generated (computed) columns run code on every read
        raise CourseError("not a course workspace: its events table has computed columns")
    meta = {}
    for k, v in _query(conn, "SELECT key, value FROM meta LIMIT 100", deadline):
        if isinstance(k, str) and isinstance(v, str):
            meta[k] = v
    _check_format(meta.get("format"), meta.get("format_version"))
    n = _query(conn, "SELECT count(*) FROM events", deadline)[0][0]
    if n > MAX_EVENTS:
        raise CourseError(f"it holds {n:,} events; at most {MAX_EVENTS:,} are read")
    rows = _query(conn, "SELECT uid, activity, kind, item, value, elapsed, recorded_at, session "
                        f"FROM events ORDER BY seq LIMIT {MAX_EVENTS}", deadline)
    events = []
    for i, r in enumerate(rows):
        if time.monotonic() > deadline:
            raise TooSlow("reading it took longer than its time limit (stopped)")
        e = dict(zip(("uid", "activity", "kind", "item", "value", "elapsed", "recorded_at",
                      "session"), r))
        try:
            e["value"] = parse_value(e["value"])
            events.append(check_event(e, sized=True))
        except ValueError as exc:
            raise CourseError(f"event {i + 1} is damaged or not a course event: {exc}") from None
    events.sort(key=lambda e: e["recorded_at"])  # stable: ties keep their order of writing
    return events


# -- reading an export file -------------------------------------------------------------------
def read_export_file(path):
    """The events of one export file, checked; raises CourseError."""
    path = Path(path)
    if path.stat().st_size > MAX_EXPORT_MB * 2**20:
        raise CourseError(f"larger than {MAX_EXPORT_MB} MB")
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"), parse_constant=_no_constant)
    except RecursionError:
        raise CourseError("not a readable export file (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CourseError(f"not a readable export file ({exc})") from None
    if not isinstance(doc, dict):
        raise CourseError("JSON, but not a course export")
    _check_format(doc.get("format"), doc.get("format_version"))
    events = doc.get("events")
    if not isinstance(events, list):
        raise CourseError("not a readable export file (no list of events)")
    if len(events) > MAX_EVENTS:
        raise CourseError(f"it holds {len(events):,} events; at most {MAX_EVENTS:,} are read")
    out = []
    for i, e in enumerate(events):
        try:
            if not isinstance(e, dict):
                raise ValueError("it is not a record")
            out.append(check_event(e))
        except ValueError as exc:
            raise CourseError(f"event {i + 1} is damaged or not a course event: {exc}") from None
    return out


def _read_file(path, deadline):
    if path.stat().st_size > MAX_FILE_MB * 2**20:
        raise CourseError(f"larger than {MAX_FILE_MB} MB")
    if path.name == DB_NAME:
        if path.stat().st_size == 0:
            return []
        return read_sqlite(path, deadline)
    return read_export_file(path)


def _reason(exc, folder):
    text = " ".join(str(exc).split()).replace(f"{folder}/", "")
    text = text.split(" Nothing was ")[0]  # the rest is advice for the learner
    return text if len(text) <= 300 else text[:297] + "..."


def read_student(folder, *, seconds=None):
    """``(events, problems)`` of one student's submission folder, read within ``seconds``
    (default :data:`STUDENT_SECONDS`)."""
    deadline = time.monotonic() + (STUDENT_SECONDS if seconds is None else seconds)
    try:
        files = _find(folder, deadline)
    except (CourseError, OSError) as exc:
        return [], [f"skipped: {_reason(exc, folder)}"]
    if not files:
        return [], ["no saved work (no my_work/ folder or export file) in the submission"]
    events, problems = {}, []
    for path in files:
        rel = path.relative_to(folder)
        try:
            for e in _read_file(path, deadline):
                events.setdefault(e["uid"], e)
        except (CourseError, sqlite3.Error, OSError, ValueError, KeyError, TypeError,
                RecursionError, OverflowError, MemoryError) as exc:
            problems.append(f"{rel} skipped: {_reason(exc, folder)}")
    if not events and not problems:
        problems.append("the saved work is empty")
    return list(events.values()), problems


def read_class(source, *, seconds=None):
    """Read every student's work under ``source`` (a folder of ``<student>/`` folders, or a
    course folder, whose ``submitted/`` is used), each within ``seconds`` (default
    :data:`STUDENT_SECONDS`). Returns a :class:`ClassWork`."""
    source = Path(source)
    if (source / "nbgrader_config.py").exists() and (source / "submitted").is_dir():
        source = source / "submitted"
    rows, students, problems, withdrawn = [], [], [], []
    for entry in sorted(source.iterdir()):
        if entry.is_symlink():
            problems.append((entry.name, "skipped: the submission is a link, not a folder"))
            continue
        if not entry.is_dir():
            continue
        if not STUDENT_ID.match(entry.name):
            problems.append((entry.name, "skipped: the folder name is not a student id"))
            continue
        events, notes = read_student(entry, seconds=seconds)
        problems.extend((entry.name, n) for n in notes)
        if events and withdrew(events):
            withdrawn.append(entry.name)
        elif events:
            students.append(entry.name)
            rows.extend({"student": entry.name, **e} for e in events)
    events = pd.DataFrame(rows, columns=COLUMNS)
    events["recorded_at"] = events["recorded_at"].astype(float)
    events = events.sort_values(["student", "recorded_at"], kind="stable").reset_index(drop=True)
    return ClassWork(events=events, students=students, problems=problems, withdrawn=withdrawn)
