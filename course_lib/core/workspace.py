"""The learner's workspace: every action they take, written to disk as it happens.

A workspace is one SQLite file, ``my_work/course_work.sqlite``, next to the notebooks (so an
nbgrader submission carries it). Each label, preference, text or skip is an *event*, committed
with ``synchronous=FULL`` before :meth:`Activity.record` returns: a kernel killed a moment later
loses nothing already recorded and leaves no damaged file (SQLite's rollback journal undoes a
half-written transaction the next time the file is opened).

Events are never edited. Undo is an event too, so the labor ledger still counts undone work.

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
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import CourseTypeError, CourseValueError, WorkspaceError
from .validation import check_text

FORMAT = "human-labor-in-ml/workspace"
FORMAT_VERSION = 1
DB_NAME = "course_work.sqlite"
DEFAULT_DIR = "my_work"
#: Event kinds the course uses. ``undo`` points at the event it takes back.
KINDS = ("label", "skip", "text", "preference", "rating", "choice", "setting", "undo")
_ACTIVITY_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
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


def _check_activity(name):
    if not isinstance(name, str) or not _ACTIVITY_RE.match(name):
        raise CourseValueError(
            "An activity name must be short lowercase text such as 'part2.words' "
            f"(letters, digits, '.', '_' or '-'); got {name!r}.")
    return name


def _dumps(value, what):
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True)
    except (TypeError, ValueError):
        raise CourseTypeError(
            f"The {what} must be plain data (text, numbers, True/False, None, lists or dicts "
            f"of those); got {type(value).__name__}.") from None


class Workspace:
    """The learner's saved work, in ``path/course_work.sqlite``.

    Parameters
    ----------
    path : str or Path, optional
        The folder. Default: :func:`default_path`, i.e. ``my_work`` next to the notebook.

    Raises
    ------
    WorkspaceError
        If the file exists but is damaged, belongs to something else, or was written by a
        newer version of the course. The file is left exactly as it was.
    """

    def __init__(self, path=None):
        self.path = Path(path) if path is not None else default_path()
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceError(f"{self.path} is a file, but the workspace must be a folder. "
                                 "Pass another path or move that file away.")
        self.path.mkdir(parents=True, exist_ok=True)
        self.db_path = self.path / DB_NAME
        # ipykernel may run widget callbacks on another thread than the cell that made the
        # widget: one connection shared across threads, serialised by this lock.
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------
    def _open(self):
        try:
            conn = sqlite3.connect(self.db_path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA synchronous = FULL")
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
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
            raise self._damaged(exc) from None
        try:
            _check_format(meta.get("format"), meta.get("format_version"), str(self.db_path))
        except WorkspaceError:
            conn.close()
            raise
        self.workspace_id = meta["workspace_id"]
        return conn

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
        """Write one event and return it once it is safely on disk."""
        _check_activity(activity)
        if kind not in KINDS:
            raise CourseValueError(f"`kind` must be one of {KINDS}; got {kind!r}.")
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise CourseTypeError(f"`item` must be text or a whole number; got {item!r}.")
        if elapsed is not None:
            if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) \
                    or not math.isfinite(elapsed) or elapsed < 0:
                raise CourseValueError(f"`elapsed` must be seconds >= 0 or None; got {elapsed!r}.")
            elapsed = float(elapsed)
        event = Event(activity=activity, kind=kind, item=str(item), value=value,
                      elapsed=elapsed, recorded_at=time.time(), uid=uuid.uuid4().hex,
                      session=_SESSION, meta=dict(meta or {}))
        row = (event.uid, activity, kind, event.item, _dumps(value, "value"), elapsed,
               event.recorded_at, _SESSION, _dumps(event.meta, "meta"))
        _, seq = self._execute("INSERT INTO events (uid, activity, kind, item, value, elapsed, "
                               "recorded_at, session, meta) VALUES (?,?,?,?,?,?,?,?,?)", row)
        return Event(**{**asdict(event), "seq": seq})

    def _execute(self, sql, params=()):
        """Run one statement under the lock; return ``(rows, lastrowid)``."""
        with self._lock:
            if self._conn is None:
                self._conn = self._open()
            try:
                cur = self._conn.execute(sql, params)
                return cur.fetchall(), cur.lastrowid
            except sqlite3.DatabaseError as exc:
                raise WorkspaceError(f"Could not use {self.db_path} ({exc}). Your earlier work "
                                     "is safe; check the disk is not full, then try again.") from None

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
        return [Event(seq=r[0], uid=r[1], activity=r[2], kind=r[3], item=r[4],
                      value=json.loads(r[5]), elapsed=r[6], recorded_at=r[7], session=r[8],
                      meta=json.loads(r[9])) for r in rows]

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
        path = Path(path) if path is not None else self.path.parent / "my_course_work.course-export.json"
        doc = {"format": FORMAT, "format_version": FORMAT_VERSION,
               "workspace_id": self.workspace_id, "exported_at": time.time(),
               "events": [e.to_json() for e in self.events()]}
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return path

    def import_file(self, path):
        """Merge the work in an export file into this workspace.

        Events already here are skipped, nothing here is changed or deleted, and the file is
        checked completely before anything is written.

        Returns
        -------
        dict
            ``{"added": n, "already_here": m, "from_workspace": id}``.
        """
        doc = read_export(path)
        with self._lock, _transaction(self._conn):
            before = self._conn.total_changes
            self._conn.executemany(
                "INSERT OR IGNORE INTO events (uid, activity, kind, item, value, elapsed, "
                "recorded_at, session, meta) VALUES (?,?,?,?,?,?,?,?,?)",
                [(e["uid"], e["activity"], e["kind"], e["item"], _dumps(e["value"], "value"),
                  e["elapsed"], e["recorded_at"], e["session"], _dumps(e["meta"], "meta"))
                 for e in doc["events"]])
            added = self._conn.total_changes - before
        return {"added": added, "already_here": len(doc["events"]) - added,
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
        self._execute("DELETE FROM events WHERE activity = ?", (activity,))
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
        """The events still in force: not undo events, and not taken back by one."""
        events = self.events()
        undone = {e.value for e in events if e.kind == "undo"}
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
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


def _check_format(fmt, version, where):
    if fmt != FORMAT:
        raise WorkspaceError(f"{where} is not a 'Human Labor in ML' workspace or export "
                             f"(its format is {fmt!r}). Nothing was changed.")
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise WorkspaceError(f"{where} has an unreadable format version {version!r}. "
                             "Nothing was changed.") from None
    if version > FORMAT_VERSION:
        raise WorkspaceError(
            f"{where} was written by a newer version of the course (format {version}; this "
            f"course_lib reads up to {FORMAT_VERSION}). Nothing was changed: update the course "
            "(git pull, then ./start-course) and try again.")


_EVENT_FIELDS = {"activity": str, "kind": str, "item": str, "uid": str, "session": str,
                 "recorded_at": (int, float), "meta": dict}


def read_export(path):
    """Read and fully check an export file; raise :class:`WorkspaceError` if it is unusable."""
    path = Path(path)
    if not path.is_file():
        raise WorkspaceError(f"There is no file at {path}. Upload your export file first "
                             "(drag it into the file browser), then pass its name.")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkspaceError(f"{path} is not a readable export file ({exc}); it may be damaged "
                             "or cut short. Nothing was imported.") from None
    if not isinstance(doc, dict):
        raise WorkspaceError(f"{path} is JSON but not a course export. Nothing was imported.")
    _check_format(doc.get("format"), doc.get("format_version"), str(path))
    events = doc.get("events")
    if not isinstance(events, list) or not isinstance(doc.get("workspace_id"), str):
        raise WorkspaceError(f"{path} is missing its list of events. Nothing was imported.")
    for i, e in enumerate(events):
        ok = isinstance(e, dict) and all(isinstance(e.get(k), t) for k, t in _EVENT_FIELDS.items())
        ok = ok and "value" in e and e["kind"] in KINDS and bool(_ACTIVITY_RE.match(e["activity"]))
        ok = ok and (e.get("elapsed") is None or isinstance(e["elapsed"], (int, float)))
        if not ok:
            raise WorkspaceError(f"Event {i} in {path} is damaged or not a course event. "
                                 "Nothing was imported.")
    return doc


def describe_text(text):
    """Word and character counts of a learner's text (used for typing speed)."""
    check_text("text", text)
    return {"chars": len(text), "words": len(text.split())}
