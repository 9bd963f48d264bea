"""What record() cannot store faithfully is refused kindly; a busy, full or read-only file and a
tampered row give a WorkspaceError saying what to do; undo events only take back their own
event (issue 16)."""
import json
import sqlite3
import time

import numpy as np
import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError, WorkspaceError
from course_lib.core.workspace import MAX_DEPTH, MAX_VALUE_CHARS, Workspace


# -- 6. record() refuses what it cannot store faithfully -----------------------------------------
def _deep(n):
    v = 0
    for _ in range(n):
        v = [v]
    return v


def _loop():
    v = []
    v.append(v)
    return v


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(item="p1", value={"text": "cut emoji \ud83d here"}), CourseValueError,
     "broken character"),
    (dict(item="p1", value="\ud800"), CourseValueError, "broken character"),
    (dict(item="half \udc00", value=1), CourseValueError, "broken character"),
    (dict(item="p1", value=1, meta={"note": "\udfff"}), CourseValueError, "broken character"),
    (dict(item="a", value=float("inf")), CourseTypeError, "plain data"),
    (dict(item="a", value=[1.0, float("-inf")]), CourseTypeError, "plain data"),
    (dict(item="a", value={"x": float("nan")}), CourseTypeError, "plain data"),
    (dict(item="a", value=np.float64("nan")), CourseTypeError, "plain data"),
    (dict(item="a", value=b"bytes"), CourseTypeError, "Decode bytes"),
    (dict(item="a", value={"s": {1, 2}}), CourseTypeError, "Use a list"),
    (dict(item="a", value=np.int64(3)), CourseTypeError, "int64"),
    (dict(item="a", value=object()), CourseTypeError, "plain data"),
    (dict(item="a", value={1: "one"}), CourseTypeError, "keys must be text"),
    (dict(item="a", value={None: "x"}), CourseTypeError, "keys must be text"),
    (dict(item="a", value=2**53 + 1), CourseValueError, "too large to save exactly"),
    (dict(item="a", value=-(10**5000)), CourseValueError, "too large to save exactly"),
    (dict(item=10**5000, value=1), CourseValueError, "too large to save exactly"),
    (dict(item="x" * 1001, value=1), CourseValueError, "too long"),
    (dict(item="a", value=_deep(MAX_DEPTH + 1)), CourseValueError, "nested too deeply"),
    (dict(item="a", value=_loop()), CourseValueError, "nested too deeply"),
    (dict(item="a", value="x" * MAX_VALUE_CHARS), CourseValueError, "too large to save"),
    (dict(item="a", value=1, meta={"k": "x" * MAX_VALUE_CHARS}), CourseValueError, "too large"),
    (dict(item="a", value=1, meta=["not", "a dict"]), CourseTypeError, "`meta` must be a dict"),
    (dict(item="a", value=1, elapsed=float("inf")), CourseValueError, "elapsed"),
    (dict(item="a", value=1, elapsed=float("nan")), CourseValueError, "elapsed"),
    (dict(item="a", value=1, elapsed=True), CourseValueError, "elapsed"),
])
def test_record_refuses_what_json_cannot_hold_exactly(workspace, kwargs, error, message):
    with pytest.raises(error, match=message) as info:
        workspace.activity("part2.words").record(**kwargs)
    assert not isinstance(info.value, UnicodeError)
    assert workspace.count() == 0


def test_what_record_accepts_comes_back_exactly(workspace, tmp_path):
    act = workspace.activity("part1.writing")
    values = [2**53, -(2**53), 1.5e308, 5e-324, "", "ünï 🙂 \u2028 \x00 end", None, True,
              {"deep": _deep(MAX_DEPTH - 1)}, {"text": "x" * (MAX_VALUE_CHARS - 20)},
              np.float64(0.25), [], {}]
    for i, v in enumerate(values):
        act.record(f"v{i}", v, kind="text")
    again = Workspace(workspace.path)
    assert [e.value for e in again.events("part1.writing")] == values
    fresh = Workspace(tmp_path / "fresh")
    fresh.import_file(workspace.export(tmp_path / "e.json"))
    assert [e.value for e in fresh.events("part1.writing")] == values


def test_a_tuple_is_saved_as_a_list(workspace):
    workspace.activity("part2.words").record("a", (1, "x"))
    assert workspace.events()[0].value == [1, "x"]


def test_an_elapsed_over_a_day_keeps_the_answer_not_the_idle_time(workspace, tmp_path):
    """A widget left open over a weekend: the answer is saved, its 'time' is not labor."""
    act = workspace.activity("part2.words")
    event = act.record("good", 2, elapsed=3 * 86_400.0, meta={"position": 4})
    assert event.elapsed is None
    assert event.meta == {"position": 4, "elapsed_over_a_day": 259_200.0}
    assert act.record("bad", -2, elapsed=86_400).elapsed == 86_400.0  # exactly a day is kept
    stored = Workspace(workspace.path).events()
    assert [e.elapsed for e in stored] == [None, 86_400.0]
    fresh = Workspace(tmp_path / "fresh")
    assert fresh.import_file(workspace.export(tmp_path / "e.json"))["added"] == 2


def test_activity_names_cannot_end_in_a_newline(workspace):
    with pytest.raises(CourseValueError, match="activity name"):
        workspace.record("part2.words\n", "a", 1)


# -- 7. busy, full or read-only files -------------------------------------------------------------
@pytest.fixture
def locked(tmp_path):
    """A workspace (timeout 0.2 s) and another connection holding the file's write lock."""
    ws = Workspace(tmp_path / "ws", timeout=0.2)
    ws.activity("part2.words").record("first", 1)
    other = sqlite3.connect(ws.db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield ws, other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()
    ws.close()


def test_a_busy_file_says_another_kernel_has_it_open(locked):
    ws, other = locked
    act = ws.activity("part2.words")
    started = time.perf_counter()
    with pytest.raises(WorkspaceError) as info:
        act.record("second", 2)
    message = str(info.value)
    assert "another notebook or kernel" in message and "NOT saved" in message
    assert "try again" in message
    assert time.perf_counter() - started < 5
    other.execute("ROLLBACK")
    assert [e.item for e in act.events()] == ["first"]  # not half-saved
    act.record("second", 2)  # and once the other kernel lets go, saving works again
    assert [e.item for e in act.events()] == ["first", "second"]


def test_a_busy_file_on_import_imports_nothing_and_leaves_no_open_transaction(locked, tmp_path):
    ws, other = locked
    src = Workspace(tmp_path / "src")
    src.activity("part2.digits").record("7", 7)
    path = src.export(tmp_path / "e.json")
    with pytest.raises(WorkspaceError, match="another notebook or kernel.*Nothing was imported"):
        ws.import_file(path)
    assert not ws._conn.in_transaction
    other.execute("ROLLBACK")
    assert ws.count() == 1
    assert ws.import_file(path)["added"] == 1


def test_a_busy_file_when_opening_says_so_and_changes_nothing(locked):
    ws, _ = locked
    before = ws.db_path.read_bytes()
    with pytest.raises(WorkspaceError, match="another notebook or kernel"):
        Workspace(ws.path, timeout=0.2)
    assert ws.db_path.read_bytes() == before


def test_a_full_disk_says_so_and_loses_nothing_already_saved(workspace, tmp_path):
    act = workspace.activity("part1.writing")
    act.record("p0", {"text": "short"})
    pages = workspace._conn.execute("PRAGMA page_count").fetchone()[0]
    workspace._conn.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
    with pytest.raises(WorkspaceError, match="disk is full.*NOT saved"):
        act.record("p1", {"text": "x" * 50_000})
    src = Workspace(tmp_path / "src")
    src.activity("part1.writing").record("q", {"text": "y" * 50_000})
    with pytest.raises(WorkspaceError, match="disk is full.*Nothing was imported"):
        workspace.import_file(src.export(tmp_path / "e.json"))
    assert not workspace._conn.in_transaction
    assert [e.item for e in act.events()] == ["p0"]
    workspace._conn.execute(f"PRAGMA max_page_count = {10 * pages + 1000}")  # space freed
    act.record("p1", {"text": "x" * 50_000})
    assert len(act) == 2


class _ReadOnly:
    """A connection that cannot write, as on a read-only file system."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, *args):
        if sql.lstrip().split()[0].upper() in ("INSERT", "DELETE", "BEGIN"):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.conn, name)


def test_a_read_only_file_says_so(workspace, tmp_path):
    act = workspace.activity("part2.words")
    act.record("good", 2)
    src = Workspace(tmp_path / "src")
    src.activity("part2.digits").record("7", 7)
    path = src.export(tmp_path / "e.json")
    real, workspace._conn = workspace._conn, _ReadOnly(workspace._conn)
    try:
        with pytest.raises(WorkspaceError, match="read-only.*NOT saved"):
            act.record("bad", -2)
        with pytest.raises(WorkspaceError, match="read-only.*Nothing was imported"):
            workspace.import_file(path)
        with pytest.raises(WorkspaceError, match="read-only"):
            act.undo()
    finally:
        workspace._conn = real
    assert [e.item for e in workspace.events()] == ["good"]


def test_the_wait_for_a_busy_file_is_a_sane_number(tmp_path):
    for bad in (0, -1, float("nan"), "10", True, 1e9):
        with pytest.raises(CourseValueError, match="timeout"):
            Workspace(tmp_path, timeout=bad)


# -- 8. a tampered workspace file -----------------------------------------------------------------
@pytest.mark.parametrize("column, bad, says", [
    ("recorded_at", "yesterday", "recorded_at is 'yesterday', not a time"),
    ("value", "{not json", "value '{not json' is not JSON"),
    ("meta", "[1, 2]", "meta is not a JSON object"),
    ("meta", "nope", "meta is not a JSON object"),
    ("elapsed", "slow", "elapsed is 'slow'"),
    ("item", b"\x00bytes", "not text"),
])
def test_a_tampered_row_is_named_not_a_traceback(workspace, column, bad, says):
    act = workspace.activity("part2.words")
    act.record("good", 2)
    victim = act.record("bad", -2)
    con = sqlite3.connect(workspace.db_path)
    con.execute(f"UPDATE events SET {column} = ? WHERE uid = ?", (bad, victim.uid))
    con.commit()
    con.close()
    for read in (workspace.events, act.current, act.effective, lambda: workspace.export()):
        with pytest.raises(WorkspaceError) as info:
            read()
        message = str(info.value)
        assert f"Row {victim.seq}" in message and victim.uid in message, message
        assert says in message and "changed outside the course" in message, message
    assert workspace.count() == 2  # counting still works, nothing was changed


# -- 2. (local side) an undo takes back only its own event -----------------------------------------
def _insert(ws, **row):
    """Write a row straight into the file (as a tampering tool or an older course could)."""
    full = {"uid": "u" * 32, "activity": "part2.words", "kind": "undo", "item": "x",
            "value": '""', "elapsed": None, "recorded_at": time.time(), "session": "s" * 32,
            "meta": "{}", **row}
    con = sqlite3.connect(ws.db_path)
    con.execute(f"INSERT INTO events ({', '.join(full)}) VALUES ({', '.join('?' * len(full))})",
                tuple(full.values()))
    con.commit()
    con.close()


def test_an_undo_in_another_activity_does_nothing(workspace):
    words = workspace.activity("part2.words")
    target = words.record("x", 1)
    _insert(workspace, activity="part2.digits", value=json.dumps(target.uid))
    assert "x" in words.current() and workspace.activity("part2.digits").current() == {}


def test_an_undo_for_another_item_does_nothing(workspace):
    act = workspace.activity("part2.words")
    target = act.record("x", 1)
    _insert(workspace, item="y", value=json.dumps(target.uid))
    assert set(act.current()) == {"x"}


def test_an_undo_of_an_event_later_in_time_does_nothing(workspace):
    """The undo row was written first, its target (another session) later, and dated later."""
    act = workspace.activity("part2.words")
    _insert(workspace, value=json.dumps("t" * 32), recorded_at=time.time() - 60)
    _insert(workspace, uid="t" * 32, kind="label", value="1", session="o" * 32)
    assert act.current()["x"].value == 1


def test_an_undo_written_after_its_target_applies_even_if_the_clock_stepped_back(workspace):
    act = workspace.activity("part2.words")
    target = act.record("x", 1)
    _insert(workspace, value=json.dumps(target.uid), recorded_at=target.recorded_at - 60)
    assert act.current() == {}


def test_an_undo_of_the_same_session_applies_whatever_the_order(workspace):
    act = workspace.activity("part2.words")
    _insert(workspace, value=json.dumps("t" * 32), recorded_at=time.time() - 60)
    _insert(workspace, uid="t" * 32, kind="label", value="1")  # the same session "sss..."
    assert act.current() == {}


def test_an_undo_of_an_undo_does_nothing(workspace):
    act = workspace.activity("part2.words")
    act.record("x", 1)
    act.record("x", 2)
    act.undo()  # takes back 2
    undo = act.events()[-1]
    _insert(workspace, value=json.dumps(undo.uid))
    assert act.current()["x"].value == 1


def test_an_undo_whose_value_is_not_an_id_does_nothing(workspace):
    act = workspace.activity("part2.words")
    act.record("x", 1)
    _insert(workspace, value='["not", "an", "id"]')
    _insert(workspace, uid="v" * 32, value="null")
    assert act.current()["x"].value == 1


@pytest.mark.parametrize("target", ["other activity", "other item", "an undo", "no such event",
                                    "not an id"])
def test_record_refuses_an_undo_that_could_not_take_back_its_event(workspace, target):
    words = workspace.activity("part2.words")
    first = words.record("x", 1)
    words.record("x", 2)
    undo_event = words.events()[-1] if words.undo() else None
    uid = {"other activity": first.uid, "other item": first.uid, "an undo": undo_event.uid,
           "no such event": "n" * 32, "not an id": ["x"]}[target]
    activity = "part2.digits" if target == "other activity" else "part2.words"
    item = "y" if target == "other item" else "x"
    before = workspace.count()
    with pytest.raises(CourseValueError, match="undo's value must be the uid"):
        workspace.record(activity, item, uid, kind="undo")
    assert workspace.count() == before


def test_undo_after_a_forged_undo_takes_back_the_latest(workspace):
    act = workspace.activity("part2.words")
    first = act.record("x", 1)
    act.record("y", 2)
    _insert(workspace, item="y", value=json.dumps(first.uid))  # wrong item: does nothing
    assert act.undo().item == "y"
    assert set(act.current()) == {"x"}
    assert act.undo().item == "x"
    assert act.undo() is None


# -- paths --------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, error, says", [
    (None, WorkspaceError, "must be a file path"),
    (3, WorkspaceError, "must be a file path"),
    ("", WorkspaceError, "is empty"),
    ("x" * 5000, WorkspaceError, "cannot be used"),
])
def test_import_of_a_bad_path_says_what_a_path_is(workspace, path, error, says):
    with pytest.raises(error, match=says):
        workspace.import_file(path)


def test_export_to_a_folder_or_an_unwritable_place_says_so(workspace, tmp_path):
    workspace.activity("part2.words").record("good", 2)
    with pytest.raises(CourseValueError, match="is a folder"):
        workspace.export(tmp_path)
    with pytest.raises(WorkspaceError, match="Could not write the export.*still safe"):
        workspace.export(tmp_path / "no" / "such" / "folder" / "e.json")
    with pytest.raises(CourseTypeError, match="must be a file path"):
        workspace.export(42)
    assert workspace.count() == 1
    assert not list(tmp_path.glob("**/*.tmp"))
