"""The learner's workspace: every action they take, written to disk as it happens.

A workspace is one SQLite file, ``my_work/course_work.sqlite``, next to the notebooks (so an
nbgrader submission carries it). Each label, preference, text or skip is an *event*, committed
with ``synchronous=FULL`` before :meth:`Activity.record` returns: a kernel killed a moment later
loses nothing already recorded and leaves no damaged file (SQLite's rollback journal undoes a
half-written transaction the next time the file is opened).

Events are never edited. Undo is an event too, so the labor ledger still counts undone work.
An undo event's value is the uid of the event it takes back, and it takes it back only if that
event is of the same activity and item, is not itself an undo, and came before the undo: it was
recorded earlier, or written into this workspace earlier, or in the same kernel session (these
two cover a clock that stepped back, and undoing an imported answer dated a little ahead by the
other computer's clock). Any other undo event is kept in the ledger but changes nothing, and
:meth:`Workspace.record` refuses to write one.

Importing (:meth:`Workspace.import_file`) checks the whole file before writing anything and
refuses it, changing nothing, if any event is one :meth:`Workspace.record` would not have
written: see :func:`check_event_fields`. An undo event in an export file must take back an
event *of the same file* (:func:`check_undos`): an export always holds all the work of its
workspace, so an honest file never needs more, and a file can never take back work that is
only here.

Limits
------
The caps below are far above a whole course's work. Measured with a full synthetic learner
(:func:`course_lib.grading.synthetic.make_class`, one student): with the default class sizes,
111 events and a 35 KB export; with 2,000 words, 1,000 digits and 500 pairs labelled, 3,517
events and a 1.0 MB export (about 300 bytes an event). So an export file may be at most
:data:`MAX_IMPORT_BYTES` (20 MB, twenty times the heaviest learner) and hold at most
:data:`MAX_EVENTS` events; one value or meta at most :data:`MAX_VALUE_CHARS` characters of
JSON (about 15,000 words), nested at most :data:`MAX_DEPTH` deep; an item at most
:data:`MAX_ITEM_CHARS` characters; whole numbers within +-2**53 (what every JSON reader keeps
exactly); one action's ``elapsed`` at most :data:`MAX_ELAPSED` (a day); ``recorded_at`` between
2020-01-01 and a day after the import.

Examples
--------
>>> import tempfile
>>> ws = Workspace(tempfile.mkdtemp())
>>> words = ws.activity("part2.words")
>>> _ = words.record("happy", 3, elapsed=1.5)
>>> _ = words.record("sad", -2, elapsed=0.8)
>>> _ = words.undo()
>>> {item: e.value for item, e in words.current().items()}
{'happy': 3}
"""
from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import CourseError, CourseTypeError, CourseValueError, WorkspaceError
from .validation import check_text

FORMAT = "human-labor-in-ml/workspace"
FORMAT_VERSION = 1
#: The format versions this course_lib reads: exact whole numbers (1.9, True or "1" are refused).
KNOWN_VERSIONS = (1,)
#: Largest export file :func:`read_export` reads (checked before reading it).
MAX_IMPORT_BYTES = 20 * 2**20
#: Most events one export file may hold.
MAX_EVENTS = 100_000
#: Longest value (or meta), as JSON text, one event may hold.
MAX_VALUE_CHARS = 100_000
#: Longest item.
MAX_ITEM_CHARS = 1_000
#: Deepest nesting of lists and dicts in a value or meta.
MAX_DEPTH = 20
#: Largest whole number in a value (larger ones are not kept exactly by every JSON reader).
MAX_INT = 2**53
#: Longest ``elapsed`` of one action, in seconds (a day).
MAX_ELAPSED = 86_400.0
#: Earliest ``recorded_at`` an import may carry (2020-01-01 00:00 UTC).
EARLIEST_TIME = 1_577_836_800.0
#: How far after the import time an imported ``recorded_at`` may be (a day: clocks differ).
MAX_FUTURE = 86_400.0
DB_NAME = "course_work.sqlite"
DEFAULT_DIR = "my_work"
#: Event kinds the course uses. ``undo`` points at the event it takes back.
KINDS = ("label", "skip", "text", "preference", "rating", "choice", "setting", "undo")
_ACTIVITY_RE = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,79}")  # used with fullmatch
_UID_RE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_SESSION_RE = re.compile(r"[A-Za-z0-9_.\-]{0,64}")
_SESSION = uuid.uuid4().hex  # one per kernel: lets the ledger tell sittings apart

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    activity TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    value TEXT NOT NULL,
    elapsed REAL,
    recorded_at REAL NOT NULL,
    session TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS events_activity ON events (activity, seq);
"""


@dataclass(frozen=True)
class Event:
    """One thing the learner did (or, with ``simulated=True``, a simulated learner did).

    Attributes
    ----------
    activity : str
        Which activity, e.g. ``"part2.words"``.
    kind : str
        One of :data:`KINDS`.
    item : str
        What it was about (a word, an image index, a pair id, a prompt id).
    value : object
        The answer: anything JSON can hold.
    elapsed : float or None
        Seconds the learner spent on it.
    recorded_at : float
        Unix time it was written.
    uid : str
        Globally unique id (used to merge imports without duplicates).
    """

    activity: str
    kind: str
    item: str
    value: object
    elapsed: float | None = None
    recorded_at: float = 0.0
    uid: str = ""
    session: str = ""
    meta: dict = field(default_factory=dict)
    seq: int | None = None
    simulated: bool = False

    def to_json(self):
        """The event as a JSON-ready dict (the export format)."""
        d = asdict(self)
        d.pop("seq")
        d.pop("simulated")
        return d


def default_path():
    """Where the workspace lives: ``$COURSE_WORKSPACE`` or ``./my_work`` (next to the notebook)."""
    return Path(os.environ.get("COURSE_WORKSPACE") or Path.cwd() / DEFAULT_DIR)


def _as_path(path, what):
    """``path`` as a Path, or a friendly error (a path is text or a Path, never empty)."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise CourseTypeError(f"The {what} must be a file path (text such as "
                              f"'my_work.json', or a Path); got {type(path).__name__}.")
    if isinstance(path, str) and not path.strip():
        raise CourseValueError(f"The {what} is empty: give a file name such as 'my_work.json'.")
    try:
        path = Path(path)
        path.exists()  # raises for a name the system cannot hold (too long, NUL byte)
    except (OSError, ValueError, TypeError) as exc:
        raise CourseValueError(f"The {what} {_short(str(path))} cannot be used ({exc}).") from None
    return path


def _finite(x):
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False


def _check_activity(name):
    if not isinstance(name, str) or not _ACTIVITY_RE.fullmatch(name):
        raise CourseValueError(
            "An activity name must be short lowercase text such as 'part2.words' "
            f"(letters, digits, '.', '_' or '-'); got {_short(name)}.")
    return name


def _short(value, n=60):
    """``repr(value)``, cut to about ``n`` characters (values in messages can be huge)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a repr that fails must not hide the real message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= n else text[:n - 5] + " ...'"


_PLAIN = "plain data (text, numbers, True/False, None, lists or dicts of those)"


def _check_plain(value, what, depth):
    """Raise unless ``value`` is data JSON stores exactly (see :func:`check_plain_data`)."""
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            raise CourseValueError(
                f"The {what} holds a whole number too large to save exactly (about "
                f"{int(value.bit_length() * 0.30103) + 1:,} digits; at most +-2**53). "
                "Save it as text if you need it.")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CourseTypeError(f"The {what} must be {_PLAIN}; got {value!r}, which JSON "
                                  "cannot hold. Save None for a missing number.")
        return
    if isinstance(value, (list, tuple, dict)):
        if depth >= MAX_DEPTH:
            raise CourseValueError(f"The {what} is nested too deeply (more than {MAX_DEPTH} "
                                   "lists or dicts inside each other).")
        if isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(k, str):
                    raise CourseTypeError(
                        f"The {what} has a dict key {_short(k)}: keys must be text (JSON "
                        "would turn it into text and it would come back different).")
                _check_plain(v, what, depth + 1)
        else:
            for v in value:
                _check_plain(v, what, depth + 1)
        return
    hint = {bytes: " Decode bytes to text first.", bytearray: " Decode bytes to text first.",
            set: " Use a list.", frozenset: " Use a list."}.get(type(value), "")
    raise CourseTypeError(f"The {what} must be {_PLAIN}; got {type(value).__name__}.{hint}")


def _check_encodable(text, what):
    """Raise a friendly error if ``text`` holds a character UTF-8 cannot store (a lone
    surrogate, e.g. half of an emoji cut by a browser), instead of SQLite's UnicodeEncodeError."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end]
        raise CourseValueError(
            f"The {what} contains a broken character ({bad!r}: half of a pair, such as a cut "
            "emoji) that cannot be saved. Delete or retype that character, then save "
            "again.") from None
    return text


def check_plain_data(value, what="value"):
    """Return ``value`` as the JSON text the workspace stores, or raise a friendly error.

    Accepted: text, whole numbers within +-2**53, finite floats, True/False, None, and lists,
    tuples (they come back as lists) or dicts with text keys of those, nested at most
    :data:`MAX_DEPTH` deep and at most :data:`MAX_VALUE_CHARS` characters as JSON.

    Raises
    ------
    CourseTypeError
        For a type JSON cannot hold exactly (set, bytes, NaN, infinity, a non-text dict key).
    CourseValueError
        For a value too large, too deep, or with a character UTF-8 cannot store.
    """
    _check_plain(value, what, 0)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError, RecursionError):  # e.g. a self-containing list
        raise CourseTypeError(f"The {what} must be {_PLAIN}; got {type(value).__name__}."
                              ) from None
    if len(text) > MAX_VALUE_CHARS:
        raise CourseValueError(f"The {what} is too large to save: {len(text):,} characters as "
                               f"JSON, at most {MAX_VALUE_CHARS:,}.")
    return _check_encodable(text, what)


def _dumps(value, what):  # kept for callers of the old name
    return check_plain_data(value, what)


def check_item(item):
    """Return ``item`` as the text the workspace stores (text, or a whole number)."""
    if isinstance(item, bool) or not isinstance(item, (str, int)):
        raise CourseTypeError(f"`item` must be text or a whole number; got {_short(item)}.")
    if isinstance(item, int):
        if not -MAX_INT <= item <= MAX_INT:
            raise CourseValueError("`item` is a whole number too large to save exactly "
                                   "(at most +-2**53); use text instead.")
        item = str(item)
    if len(item) > MAX_ITEM_CHARS:
        raise CourseValueError(f"`item` is too long ({len(item):,} characters; at most "
                               f"{MAX_ITEM_CHARS:,}).")
    return _check_encodable(item, "item")


def check_elapsed(elapsed):
    """Return ``elapsed`` as float seconds (or None): finite, >= 0, at most :data:`MAX_ELAPSED`."""
    if elapsed is None:
        return None
    if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) \
            or not _finite(elapsed) or elapsed < 0:
        raise CourseValueError(f"`elapsed` must be seconds >= 0 or None; got {_short(elapsed)}.")
    if elapsed > MAX_ELAPSED:
        raise CourseValueError(f"`elapsed` is {elapsed:,.0f} s, more than a day "
                               f"({MAX_ELAPSED:,.0f} s) for one action.")
    return float(elapsed)


def _when(t):
    try:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t))
    except (OverflowError, OSError, ValueError):
        return f"{t!r} s"


def check_recorded_at(recorded_at, *, now=None):
    """Return ``recorded_at`` as a float Unix time, or raise :class:`CourseValueError`.

    It must be a finite number, not before 2020-01-01 (:data:`EARLIEST_TIME`) and not more
    than :data:`MAX_FUTURE` (a day) after ``now`` (default: the current time): an event dated
    in the future would hide every answer given before that date.
    """
    now = _check_now(now)
    if isinstance(recorded_at, bool) or not isinstance(recorded_at, (int, float)) \
            or not _finite(recorded_at):
        raise CourseValueError(f"`recorded_at` must be a time (seconds since 1970); got "
                               f"{_short(recorded_at)}.")
    if recorded_at < EARLIEST_TIME:
        raise CourseValueError(f"`recorded_at` is {_when(recorded_at)}, before 2020-01-01, "
                               "before the course existed.")
    if recorded_at > now + MAX_FUTURE:
        raise CourseValueError(
            f"`recorded_at` is {_when(recorded_at)}, in the future (it is now {_when(now)}). "
            "If this computer's clock is wrong, set it right and try again.")
    return float(recorded_at)


def _check_now(now):
    if now is None:
        return time.time()
    if isinstance(now, bool) or not isinstance(now, (int, float)) or not _finite(now):
        raise CourseTypeError(f"`now` must be a time (seconds since 1970) or None; got "
                              f"{_short(now)}.")
    return float(now)


_EVENT_KEYS = ("activity", "kind", "item", "value", "elapsed", "recorded_at", "uid", "session",
               "meta")


def _event_row(e, now):
    """The row :meth:`Workspace.import_file` inserts for the export event ``e`` (checked)."""
    if not isinstance(e, dict):
        raise CourseValueError(f"it is {type(e).__name__}, not a JSON object.")
    missing = [k for k in _EVENT_KEYS if k not in e]
    if missing:
        raise CourseValueError(f"it has no {', '.join(missing)}.")
    activity, kind, item, uid, session, meta = (e["activity"], e["kind"], e["item"], e["uid"],
                                                e["session"], e["meta"])
    if not isinstance(activity, str) or not _ACTIVITY_RE.fullmatch(activity):
        raise CourseValueError(f"its activity {_short(activity)} is not an activity name.")
    if not isinstance(kind, str) or kind not in KINDS:
        raise CourseValueError(f"its kind {_short(kind)} is not one of {KINDS}.")
    if not isinstance(item, str):
        raise CourseValueError(f"its item {_short(item)} is not text.")
    item = check_item(item)
    if not isinstance(uid, str) or not _UID_RE.fullmatch(uid):
        raise CourseValueError(f"its uid {_short(uid)} is not an event id.")
    if not isinstance(session, str) or not _SESSION_RE.fullmatch(session):
        raise CourseValueError(f"its session {_short(session)} is not a session id.")
    if not isinstance(meta, dict):
        raise CourseValueError(f"its meta {_short(meta)} is not a dict.")
    if kind == "undo" and (not isinstance(e["value"], str) or not _UID_RE.fullmatch(e["value"])):
        raise CourseValueError(f"it is an undo, but its value {_short(e['value'])} is not the "
                               "id of an event.")
    elapsed = e["elapsed"]
    if _over_a_day(elapsed):
        # as record() does: an answer after a widget was left open for days is kept, its
        # idle time is not counted (exports made before that rule carry such elapsed values)
        meta, elapsed = {**meta, "elapsed_over_a_day": float(elapsed)}, None
    return (uid, activity, kind, item, check_plain_data(e["value"], "value"),
            check_elapsed(elapsed), check_recorded_at(e["recorded_at"], now=now), session,
            check_plain_data(meta, "meta"))


def _over_a_day(elapsed):
    return (isinstance(elapsed, (int, float)) and not isinstance(elapsed, bool)
            and math.isfinite(elapsed) and elapsed > MAX_ELAPSED)


def check_event_fields(event, *, now=None):
    """Check one event of an export file (a dict, as :meth:`Event.to_json` writes it).

    Every check :meth:`Workspace.record` makes applies (an ``elapsed`` over
    :data:`MAX_ELAPSED` is kept in ``meta`` as ``record`` keeps it), ``recorded_at`` as in :func:`check_recorded_at` (against ``now``),
    ``uid`` and ``session`` are ids, and an undo's value is an event id. Returns None.

    Raises
    ------
    CourseValueError or CourseTypeError
        Saying what is wrong (e.g. "its activity 'Part 2' is not an activity name.").
    """
    _event_row(event, now)


def check_undos(events, *, now=None):
    """Check that every undo event in ``events`` (dicts in file order, as in an export file)
    takes back an event *of the same list*: same activity and item, not an undo, and recorded
    earlier, earlier in the list, or in the same session. Every event is first checked with
    :func:`check_event_fields`. Raises :class:`CourseValueError` naming the first bad one."""
    if not isinstance(events, (list, tuple)):
        raise CourseTypeError(f"`events` must be a list of event dicts; got "
                              f"{type(events).__name__}.")
    for i, e in enumerate(events):
        try:
            _event_row(e, now)
        except CourseError as exc:
            raise CourseValueError(f"Event {i} is not a course event: {exc}") from None
    _check_undos(events)


def _check_undos(events):
    """:func:`check_undos` for events already checked one by one."""
    where = {}
    for i, e in enumerate(events):
        where.setdefault(e["uid"], i)
    for i, e in enumerate(events):
        if e["kind"] != "undo":
            continue
        j = where.get(e["value"])
        target = events[j] if j is not None else None
        if target is None:
            problem = "an event that is not in this file"
        elif not _undo_applies(e, target, j < i or target["recorded_at"] <= e["recorded_at"]):
            problem = (f"event {j}, which is not an earlier event of the same activity and "
                       "item")
        else:
            continue
        raise CourseValueError(f"Event {i} (uid {e['uid']}) is an undo that takes back "
                               f"{problem}; an export file may only take back its own work.")


def _undo_applies(undo, target, earlier):
    """Whether ``undo`` takes back ``target`` (``earlier``: the target came first)."""
    return _get(target, "kind") != "undo" and (
        _get(target, "activity") == _get(undo, "activity")
        and _get(target, "item") == _get(undo, "item")
        and (earlier or _get(target, "session") == _get(undo, "session")))


def _get(e, key):
    return e[key] if isinstance(e, dict) else getattr(e, key)


def _db_problem(exc, db_path, *, writing, what=None):
    """A :class:`WorkspaceError` saying what an SQLite error means and what to do."""
    text = str(exc)
    low = text.lower()
    lost = what or ("This action was NOT saved" if writing else "Nothing was changed")
    if "locked" in low or "busy" in low:
        return WorkspaceError(
            f"The workspace {db_path} is busy: another notebook or kernel has it open and is "
            f"using it ({text}). {lost}. Close the other notebook or shut down its kernel "
            "(Kernel > Shut Down Kernel), then try again.")
    if "full" in low:
        return WorkspaceError(
            f"The disk is full ({text}). {lost}; your earlier work is safe. Free some space "
            "(delete large files you no longer need, or export your work and download it), "
            "then try again.")
    if "readonly" in low or "read-only" in low or "permission" in low:
        return WorkspaceError(
            f"The workspace {db_path} cannot be written: the file or its folder is read-only "
            f"({text}). {lost}. Copy the course folder somewhere you can write, or fix the "
            "permissions, then try again.")
    return WorkspaceError(f"Could not use {db_path} ({text}). {lost}; your earlier work is "
                          "safe. Check the disk is not full, then try again.")


class Workspace:
    """The learner's saved work, in ``path/course_work.sqlite``.

    Parameters
    ----------
    path : str or Path, optional
        The folder. Default: :func:`default_path`, i.e. ``my_work`` next to the notebook.
    timeout : float, default=10
        Seconds to wait for another notebook or kernel that is writing to the same file
        before giving up with a :class:`WorkspaceError` that says so.

    Raises
    ------
    WorkspaceError
        If the file exists but is damaged, belongs to something else, or was written by a
        newer version of the course. The file is left exactly as it was.
    """

    def __init__(self, path=None, *, timeout=10.0):
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
                or not 0 < timeout <= 3600:
            raise CourseValueError(f"`timeout` must be seconds between 0 and 3600; got "
                                   f"{_short(timeout)}.")
        self.timeout = float(timeout)
        self.path = _as_path(path, "workspace folder") if path is not None else default_path()
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceError(f"{self.path} is a file, but the workspace must be a folder. "
                                 "Pass another path or move that file away.")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"Could not make the workspace folder {self.path} ({exc}). "
                                 "Pass a folder you may write in.") from None
        self.db_path = self.path / DB_NAME
        # ipykernel may run widget callbacks on another thread than the cell that made the
        # widget: one connection shared across threads, serialised by this lock.
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------
    def _open(self):
        conn = None
        try:
            conn = sqlite3.connect(self.db_path, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA synchronous = FULL")
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise self._cannot_open(exc) from None
            raise self._damaged(exc) from None
        if tables and "meta" not in tables:
            conn.close()
            raise WorkspaceError(
                f"{self.db_path} is an SQLite file, but not a course workspace (it has tables "
                f"{sorted(tables)}). Nothing was changed. Move it somewhere else, or pass "
                "another folder to Workspace(path=...).")
        try:
            if "meta" not in tables:  # new (or created but never initialised before a kill)
                with _transaction(conn):
                    for stmt in _SCHEMA.strip().split(";"):
                        if stmt.strip():
                            conn.execute(stmt)
                    conn.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", [
                        ("format", FORMAT), ("format_version", str(FORMAT_VERSION)),
                        ("workspace_id", uuid.uuid4().hex),
                        ("created_at", repr(time.time()))])
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._cannot_open(exc) from None
        try:
            _check_format(meta.get("format"), meta.get("format_version"), str(self.db_path),
                          "workspace")
            if not isinstance(meta.get("workspace_id"), str):
                raise WorkspaceError(f"{self.db_path} has no workspace id: it is not a "
                                     "complete course workspace. Nothing was changed.")
        except WorkspaceError:
            conn.close()
            raise
        self.workspace_id = meta["workspace_id"]
        return conn

    def _cannot_open(self, exc):
        """Busy, full or read-only: say so; anything else: the file is damaged."""
        low = str(exc).lower()
        if any(w in low for w in ("locked", "busy", "full", "readonly", "read-only",
                                  "permission", "unable to open")):
            if "unable to open" in low:
                return WorkspaceError(
                    f"Could not open {self.db_path} ({exc}). Nothing was changed. Check that "
                    "the folder exists and you may write in it, then try again.")
            return _db_problem(exc, self.db_path, writing=False,
                               what="The workspace was not opened and nothing was changed")
        return self._damaged(exc)

    def _damaged(self, exc):
        return WorkspaceError(
            f"{self.db_path} cannot be read as a course workspace ({exc}). Nothing was changed "
            "and it was not overwritten. If you have an export (a .json file from "
            "`workspace.export()`), move the damaged file aside and import the export into a "
            "fresh workspace.")

    def close(self):
        """Close the file (optional: everything is already saved)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __repr__(self):
        return f"Workspace({str(self.path)!r}, {self.count()} events)"

    # -- writing -------------------------------------------------------------------------
    def activity(self, name):
        """The :class:`Activity` called ``name`` (made on first use)."""
        return Activity(self, _check_activity(name))

    def record(self, activity, item, value, *, kind="label", elapsed=None, meta=None):
        """Write one event and return it once it is safely on disk.

        ``value`` and ``meta`` must be data JSON holds exactly (:func:`check_plain_data`);
        ``elapsed`` seconds >= 0 or None. An ``elapsed`` over a day (:data:`MAX_ELAPSED`: a
        widget left open overnight, not work) is saved as None, the seconds measured kept in
        ``meta["elapsed_over_a_day"]``: the answer is kept and the ledger counts no idle time.

        Raises
        ------
        CourseTypeError, CourseValueError
            If something cannot be saved as it is; nothing is written.
        WorkspaceError
            If the file cannot be written now (another kernel is writing to it, the disk is
            full, the file is read-only); the message says what to do. Nothing is written.
        """
        _check_activity(activity)
        if not isinstance(kind, str) or kind not in KINDS:
            raise CourseValueError(f"`kind` must be one of {KINDS}; got {_short(kind)}.")
        item = check_item(item)
        if meta is not None and not isinstance(meta, Mapping):
            raise CourseTypeError(f"`meta` must be a dict or None; got {type(meta).__name__}.")
        meta = dict(meta or {})
        if isinstance(elapsed, (int, float)) and not isinstance(elapsed, bool) \
                and elapsed > MAX_ELAPSED and math.isfinite(elapsed):
            meta["elapsed_over_a_day"] = float(elapsed)
            elapsed = None
        elapsed = check_elapsed(elapsed)
        value_json = check_plain_data(value, "value")
        meta_json = check_plain_data(meta, "meta")
        if kind == "undo":
            self._check_undo_target(activity, item, value)
        event = Event(activity=activity, kind=kind, item=item, value=value,
                      elapsed=elapsed, recorded_at=time.time(), uid=uuid.uuid4().hex,
                      session=_SESSION, meta=meta)
        row = (event.uid, activity, kind, item, value_json, elapsed, event.recorded_at,
               _SESSION, meta_json)
        _, seq = self._execute("INSERT INTO events (uid, activity, kind, item, value, elapsed, "
                               "recorded_at, session, meta) VALUES (?,?,?,?,?,?,?,?,?)", row,
                               writing=True)
        return Event(**{**asdict(event), "seq": seq})

    def _check_undo_target(self, activity, item, uid):
        """An undo must name an event of the same activity and item that is not an undo (so
        that every workspace written through :meth:`record` exports and imports again)."""
        rows = self._execute("SELECT activity, kind, item FROM events WHERE uid = ?",
                             (uid,))[0] if isinstance(uid, str) else []
        if not rows or rows[0][0] != activity or rows[0][2] != item or rows[0][1] == "undo":
            raise CourseValueError(
                f"An undo's value must be the uid of an event of the same activity and item "
                f"that is not an undo; got {_short(uid)}. Use Activity.undo() to take back "
                "the latest action.")

    def _execute(self, sql, params=(), *, writing=False):
        """Run one statement under the lock; return ``(rows, lastrowid)``."""
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            try:
                cur = self._conn.execute(sql, params)
                return cur.fetchall(), cur.lastrowid
            except sqlite3.DatabaseError as exc:
                raise _db_problem(exc, self.db_path, writing=writing) from None

    # -- reading -------------------------------------------------------------------------
    def events(self, activity=None):
        """All events, oldest first (optionally of one activity), undo events included."""
        sql = ("SELECT seq, uid, activity, kind, item, value, elapsed, recorded_at, session, meta "
               "FROM events")
        params = ()
        if activity is not None:
            sql += " WHERE activity = ?"
            params = (_check_activity(activity),)
        rows, _ = self._execute(sql + " ORDER BY recorded_at, seq", params)
        return [self._row_event(r) for r in rows]

    def _row_event(self, r):
        """The :class:`Event` of one row; a friendly error if the row was tampered with."""
        seq, uid, activity, kind, item, value, elapsed, recorded_at, session, meta = r
        problem = None
        if type(recorded_at) is not float and (type(recorded_at) is not int
                                               or isinstance(recorded_at, bool)):
            problem = f"its recorded_at is {_short(recorded_at)}, not a time"
        elif elapsed is not None and type(elapsed) is not float and type(elapsed) is not int:
            problem = f"its elapsed is {_short(elapsed)}, not seconds"
        elif not (type(uid) is str and type(activity) is str and type(kind) is str
                  and type(item) is str and type(session) is str):
            problem = "its uid, activity, kind, item or session is not text"
        else:
            try:
                value = json.loads(value)
            except (TypeError, ValueError, RecursionError):
                problem = f"its value {_short(value)} is not JSON"
            else:
                try:
                    meta = json.loads(meta)
                except (TypeError, ValueError, RecursionError):
                    meta = None
                if not isinstance(meta, dict):
                    problem = "its meta is not a JSON object"
        if problem is not None:
            raise WorkspaceError(
                f"Row {seq} (uid {_short(uid, 40)}) of {self.db_path} was changed outside the "
                f"course: {problem}. Nothing was changed. Your other work is still in the file: "
                "move it aside and import your latest export (workspace.export()) into a fresh "
                "workspace, or ask your instructor to repair that row.")
        return Event(seq=seq, uid=uid, activity=activity, kind=kind, item=item, value=value,
                     elapsed=elapsed, recorded_at=recorded_at, session=session, meta=meta)

    def count(self, activity=None):
        """How many events (of one activity, or in all)."""
        if activity is None:
            return self._execute("SELECT COUNT(*) FROM events")[0][0][0]
        return self._execute("SELECT COUNT(*) FROM events WHERE activity = ?",
                             (_check_activity(activity),))[0][0][0]

    def activities(self):
        """``{activity name: number of events}`` for every activity with saved work."""
        return dict(self._execute(
            "SELECT activity, COUNT(*) FROM events GROUP BY activity ORDER BY activity")[0])

    # -- export / import -----------------------------------------------------------------
    def export(self, path=None):
        """Write all saved work to one JSON file and return its path.

        Default: ``my_course_work.course-export.json`` beside the workspace folder. Download
        it before a Binder session ends; bring it back with :meth:`import_file`.
        """
        path = (_as_path(path, "export file") if path is not None
                else self.path.parent / "my_course_work.course-export.json")
        if not path.name or path.is_dir():
            raise CourseValueError(f"{path} is a folder: give the export a file name, such as "
                                   f"{str(path / 'my_course_work.course-export.json')!r}.")
        doc = {"format": FORMAT, "format_version": FORMAT_VERSION,
               "workspace_id": self.workspace_id, "exported_at": time.time(),
               "events": [e.to_json() for e in self.events()]}
        tmp = path.with_name(path.name + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, ensure_ascii=False, indent=1)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise WorkspaceError(f"Could not write the export to {path} ({exc}). Your work is "
                                 "still safe in the workspace: pass another file name, or "
                                 "free some disk space, and export again.") from None
        return path

    def import_file(self, path):
        """Merge the work in an export file into this workspace.

        Events already here are skipped, nothing here is changed or deleted, and the file is
        checked completely before anything is written (:func:`read_export`): a file with any
        bad event (dated in the future, a negative ``elapsed``, an undo of work that is not in
        the file, ...) is refused as a whole with a :class:`WorkspaceError` naming it.

        Returns
        -------
        dict
            ``{"added": n, "already_here": m, "from_workspace": id}``.
        """
        doc, rows = _read_export(path, None)
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            try:
                with _transaction(self._conn):
                    before = self._conn.total_changes
                    self._conn.executemany(
                        "INSERT OR IGNORE INTO events (uid, activity, kind, item, value, "
                        "elapsed, recorded_at, session, meta) VALUES (?,?,?,?,?,?,?,?,?)", rows)
                    added = self._conn.total_changes - before
            except sqlite3.DatabaseError as exc:
                raise _db_problem(exc, self.db_path, writing=True,
                                  what="Nothing was imported") from None
        return {"added": added, "already_here": len(rows) - added,
                "from_workspace": doc["workspace_id"]}

    # -- reset ---------------------------------------------------------------------------
    def reset(self, activity, *, confirm=False):
        """Delete the saved work of one activity, on purpose only.

        A copy is first exported to ``my_work/backups/``. Pass ``confirm=True``.
        """
        _check_activity(activity)
        if confirm is not True:
            raise CourseValueError(
                f"Resetting deletes your saved work for {activity!r}. If you mean it, call "
                f"reset({activity!r}, confirm=True); a backup copy is kept in my_work/backups/.")
        events = self.events(activity)
        if not events:
            return None
        backups = self.path / "backups"
        backups.mkdir(exist_ok=True)
        backup = backups / f"{activity}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.json"
        doc = {"format": FORMAT, "format_version": FORMAT_VERSION,
               "workspace_id": self.workspace_id, "exported_at": time.time(),
               "events": [e.to_json() for e in events]}
        backup.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        self._execute("DELETE FROM events WHERE activity = ?", (activity,), writing=True)
        return backup


class Activity:
    """One activity's view of the workspace (e.g. the word-labelling task of part 2)."""

    def __init__(self, workspace, name):
        self.workspace = workspace
        self.name = name

    def __repr__(self):
        return f"Activity({self.name!r}, {len(self)} events)"

    def __len__(self):
        return self.workspace.count(self.name)

    def record(self, item, value, *, kind="label", elapsed=None, meta=None):
        """Save one action now; returns the saved :class:`Event`."""
        return self.workspace.record(self.name, item, value, kind=kind, elapsed=elapsed, meta=meta)

    def events(self):
        """Every event of this activity, oldest first, undo events included."""
        return self.workspace.events(self.name)

    def effective(self):
        """The events still in force: not undo events, and not taken back by one.

        An undo takes back the event whose uid is its value only if that event is of this
        activity and the same item, is not an undo, and comes before the undo (recorded
        earlier, written into this workspace earlier, or in the same kernel session); any
        other undo event changes nothing.
        """
        events = self.events()
        position = {e.uid: i for i, e in enumerate(events)}
        undone = set()
        for i, e in enumerate(events):
            if e.kind == "undo" and isinstance(e.value, str):
                j = position.get(e.value)
                if j is not None and _undo_applies(
                        e, events[j], j < i or events[j].seq < e.seq):
                    undone.add(e.value)
        return [e for e in events if e.kind != "undo" and e.uid not in undone]

    def current(self):
        """``{item: latest event in force}``: the learner's present answer for each item."""
        return {e.item: e for e in self.effective()}

    def undo(self):
        """Take back the latest action still in force; returns the undone event or None."""
        live = self.effective()
        if not live:
            return None
        last = live[-1]
        self.record(last.item, last.uid, kind="undo")
        return last

    def reset(self, *, confirm=False):
        """Delete this activity's saved work (a backup is kept). Needs ``confirm=True``."""
        return self.workspace.reset(self.name, confirm=confirm)


class _transaction:
    """``with _transaction(conn):`` runs the block as one atomic, durable transaction."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return False
            except sqlite3.DatabaseError:
                self._rollback()  # a failed COMMIT (busy, disk full) leaves it open
                raise
        self._rollback()
        return False

    def _rollback(self):
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass  # SQLite already rolled back (e.g. after an I/O error)


def check_format_version(version, where, what="export"):
    """Raise :class:`WorkspaceError` unless ``version`` is one of :data:`KNOWN_VERSIONS`.

    ``version`` is the integer of an export file (``what="export"``) or the text of a
    workspace file's meta table (``what="workspace"``). A whole number above
    :data:`FORMAT_VERSION` is "made by a newer version of the course"; anything else (1.9,
    -5, True, "1" in an export) is "not a course export".
    """
    if not isinstance(what, str) or what not in ("export", "workspace"):
        raise CourseValueError(f"`what` must be 'export' or 'workspace'; got {_short(what)}.")
    if what == "workspace":
        number = int(version) if isinstance(version, str) and version.isascii() \
            and version.isdigit() and len(version) < 10 else None
    else:
        number = version if type(version) is int else None
    if number in KNOWN_VERSIONS and (what != "workspace" or version == str(number)):
        return number
    if number is not None and number > FORMAT_VERSION:
        raise WorkspaceError(
            f"{where} was made by a newer version of the course (format {number}; this "
            f"course_lib reads format {FORMAT_VERSION}). Nothing was changed: update the "
            "course (git pull, then ./start-course) and try again.")
    raise WorkspaceError(
        f"{where} is not a course {what}: its format version {_short(version)} is not one the "
        f"course writes (it writes {FORMAT_VERSION}). Nothing was changed.")


def _check_format(fmt, version, where, what="export"):
    if fmt != FORMAT:
        raise WorkspaceError(f"{where} is not a 'Human Labor in ML' workspace or export "
                             f"(its format is {_short(fmt)}). Nothing was changed.")
    check_format_version(version, where, what)


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def read_export(path, *, now=None):
    """Read and fully check an export file; raise :class:`WorkspaceError` if it is unusable.

    The file must be at most :data:`MAX_IMPORT_BYTES` (checked before reading it) and hold at
    most :data:`MAX_EVENTS` events, each passing :func:`check_event_fields` (``recorded_at``
    checked against ``now``, default the current time), and its undo events must pass
    :func:`check_undos`. The message names the first bad event. Returns the document (a
    dict; ``doc["events"]`` the events as in the file).
    """
    return _read_export(path, now)[0]


def _read_export(path, now):
    """``(document, rows to insert)`` of a checked export file."""
    try:
        path = _as_path(path, "export file")
    except CourseError as exc:
        raise WorkspaceError(f"{exc} Nothing was imported.") from None
    now = _check_now(now)
    if not path.is_file():
        raise WorkspaceError(f"There is no file at {path}. Upload your export file first "
                             "(drag it into the file browser), then pass its name.")
    mb = MAX_IMPORT_BYTES / 2**20
    too_big = WorkspaceError(
        f"{path} is larger than {mb:.0f} MB, far more than a whole course's work (about 1 MB): "
        "it is not a course export, or not only one. Nothing was imported.")
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise too_big
        with open(path, "rb") as fh:
            raw = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise WorkspaceError(f"Could not read {path} ({exc}). Nothing was imported.") from None
    if len(raw) > MAX_IMPORT_BYTES:  # it grew after the check
        raise too_big
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except RecursionError:
        raise WorkspaceError(f"{path} is not a readable export file (it is nested too deeply); "
                             "it may be damaged. Nothing was imported.") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise WorkspaceError(f"{path} is not a readable export file ({_short(str(exc), 200)}); "
                             "it may be damaged or cut short. Nothing was imported.") from None
    del raw
    if not isinstance(doc, dict):
        raise WorkspaceError(f"{path} is JSON but not a course export. Nothing was imported.")
    _check_format(doc.get("format"), doc.get("format_version"), str(path), "export")
    events = doc.get("events")
    if not isinstance(events, list) or not isinstance(doc.get("workspace_id"), str):
        raise WorkspaceError(f"{path} is missing its list of events. Nothing was imported.")
    if len(events) > MAX_EVENTS:
        raise WorkspaceError(f"{path} holds {len(events):,} events, more than the {MAX_EVENTS:,} "
                             "a course export may hold (a whole course is a few thousand). "
                             "Nothing was imported.")
    rows, seen = [], {}
    for i, e in enumerate(events):
        try:
            row = _event_row(e, now)
        except CourseError as exc:
            uid = e.get("uid") if isinstance(e, dict) else None
            named = f" (uid {_short(uid, 40)})" if isinstance(uid, str) else ""
            raise WorkspaceError(f"Event {i}{named} in {path} is damaged or not a course event: "
                                 f"{exc} Nothing was imported.") from None
        if seen.setdefault(row[0], row) != row:
            raise WorkspaceError(f"Event {i} in {path} is damaged: its uid {row[0]} is used by "
                                 "another, different event of the file. Nothing was imported.")
        rows.append(row)
    try:
        _check_undos(events)
    except CourseValueError as exc:
        raise WorkspaceError(f"{path}: {exc} Nothing was imported.") from None
    return doc, rows


def describe_text(text):
    """Word and character counts of a learner's text (used for typing speed)."""
    check_text("text", text)
    return {"chars": len(text), "words": len(text.split())}
