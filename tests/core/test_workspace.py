"""The learner's workspace: saved as it happens, restored, exported, imported, reset on purpose."""
import json
import sqlite3

import pytest

from course_lib.core.errors import CourseTypeError, CourseValueError, WorkspaceError
from course_lib.core.workspace import FORMAT, FORMAT_VERSION, Workspace


def test_record_and_restore_after_reopen(tmp_path):
    ws = Workspace(tmp_path)
    act = ws.activity("part2.words")
    act.record("happy", 3, elapsed=1.25, meta={"shown": 1})
    act.record("sad", -2, kind="rating", elapsed=0.5)
    ws.close()
    again = Workspace(tmp_path)  # a re-run notebook / restarted kernel
    events = again.activity("part2.words").events()
    assert [(e.item, e.value, e.kind, e.elapsed) for e in events] == [
        ("happy", 3, "label", 1.25), ("sad", -2, "rating", 0.5)]
    assert events[0].meta == {"shown": 1}
    assert again.workspace_id == ws.workspace_id


def test_latest_answer_wins_and_undo_takes_back(workspace):
    act = workspace.activity("part2.words")
    act.record("happy", 3)
    act.record("happy", 2)
    act.record("sad", "unsure", kind="skip")
    assert {k: e.value for k, e in act.current().items()} == {"happy": 2, "sad": "unsure"}
    undone = act.undo()
    assert undone.item == "sad"
    act.undo()
    assert {k: e.value for k, e in act.current().items()} == {"happy": 3}
    assert len(act.events()) == 5  # undone work stays in the ledger


def test_activities_are_separate(workspace):
    workspace.activity("part1.writing").record("p1", {"text": "hi"}, kind="text")
    workspace.activity("part2.words").record("good", 2)
    assert workspace.activities() == {"part1.writing": 1, "part2.words": 1}
    assert workspace.activity("part2.words").current()["good"].value == 2


def test_learner_text_is_stored_exactly(workspace):
    hostile = "<script>alert('x')</script>\"; DROP TABLE events; -- ünïcödé 🙂"
    workspace.activity("part1.writing").record("p1", {"text": hostile}, kind="text")
    assert workspace.activity("part1.writing").current()["p1"].value["text"] == hostile


def test_export_import_round_trip(tmp_path):
    a = Workspace(tmp_path / "a")
    act = a.activity("part3.pairwise")
    act.record("pair-1", {"chosen": "x", "left": "x", "right": "y"}, kind="preference", elapsed=2.0)
    act.record("pair-2", "cant_tell", kind="skip")
    act.undo()
    path = a.export(tmp_path / "work.course-export.json")
    b = Workspace(tmp_path / "b")
    b.activity("part0.first_sentence").record("sentence-1", {"text": "mine"}, kind="text")
    report = b.import_file(path)
    assert report == {"added": 3, "already_here": 0, "from_workspace": a.workspace_id}
    assert [e.to_json() for e in b.events("part3.pairwise")] == [e.to_json() for e in a.events()]
    assert b.count("part0.first_sentence") == 1  # existing work untouched
    assert b.import_file(path)["added"] == 0  # importing twice adds nothing


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not a readable export"),
    (b"\xff\xfe\x00garbage", "not a readable export"),
    (b"[1, 2, 3]", "not a course export"),
    (json.dumps({"format": "something-else", "format_version": 1}).encode(), "not a 'Human Labor"),
    (json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION + 1, "workspace_id": "x",
                 "events": []}).encode(), "newer version"),
    (json.dumps({"format": FORMAT, "format_version": 1, "workspace_id": "x",
                 "events": [{"activity": "p", "kind": "label"}]}).encode(), "damaged"),
    (json.dumps({"format": FORMAT, "format_version": 1, "workspace_id": "x"}).encode(),
     "missing its list"),
])
def test_bad_export_files_are_refused_and_change_nothing(workspace, tmp_path, content, message):
    workspace.activity("part2.words").record("good", 2)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    with pytest.raises(WorkspaceError, match=message):
        workspace.import_file(bad)
    assert workspace.count() == 1


def test_import_of_missing_file_says_what_to_do(workspace, tmp_path):
    with pytest.raises(WorkspaceError, match="Upload your export"):
        workspace.import_file(tmp_path / "nope.json")


def test_half_valid_export_imports_nothing(tmp_path):
    a = Workspace(tmp_path / "a")
    a.activity("part2.words").record("good", 2)
    path = a.export(tmp_path / "e.json")
    doc = json.loads(path.read_text())
    doc["events"].append({"bogus": True})
    path.write_text(json.dumps(doc))
    b = Workspace(tmp_path / "b")
    with pytest.raises(WorkspaceError):
        b.import_file(path)
    assert b.count() == 0


def test_corrupt_workspace_file_is_reported_not_overwritten(tmp_path):
    db = tmp_path / "course_work.sqlite"
    db.write_bytes(b"this is not a database at all" * 100)
    before = db.read_bytes()
    with pytest.raises(WorkspaceError, match="Nothing was changed"):
        Workspace(tmp_path)
    assert db.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path):
    con = sqlite3.connect(tmp_path / "course_work.sqlite")
    con.execute("CREATE TABLE photos (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(WorkspaceError, match="not a course workspace"):
        Workspace(tmp_path)


def test_newer_workspace_format_is_refused(tmp_path):
    Workspace(tmp_path).close()
    con = sqlite3.connect(tmp_path / "course_work.sqlite")
    con.execute("UPDATE meta SET value='99' WHERE key='format_version'")
    con.commit()
    con.close()
    with pytest.raises(WorkspaceError, match="newer version"):
        Workspace(tmp_path)


def test_empty_file_left_by_a_kill_during_creation_is_initialised(tmp_path):
    (tmp_path / "course_work.sqlite").write_bytes(b"")
    ws = Workspace(tmp_path)
    ws.activity("part2.words").record("good", 1)
    assert ws.count() == 1


def test_reset_needs_confirmation_and_keeps_a_backup(workspace):
    act = workspace.activity("part2.words")
    act.record("good", 2)
    workspace.activity("part2.digits").record("7", 7)
    with pytest.raises(CourseValueError, match="confirm=True"):
        act.reset()
    assert len(act) == 1
    backup = act.reset(confirm=True)
    assert len(act) == 0 and workspace.count("part2.digits") == 1
    restored = workspace.import_file(backup)
    assert restored["added"] == 1 and len(act) == 1


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(item=None, value=1), CourseTypeError, "item"),
    (dict(item="a", value={1, 2}), CourseTypeError, "plain data"),
    (dict(item="a", value=float("nan")), CourseTypeError, "plain data"),
    (dict(item="a", value=1, kind="vote"), CourseValueError, "kind"),
    (dict(item="a", value=1, elapsed=-1), CourseValueError, "elapsed"),
    (dict(item="a", value=1, elapsed="3s"), CourseValueError, "elapsed"),
])
def test_bad_records_get_friendly_errors(workspace, kwargs, error, message):
    with pytest.raises(error, match=message):
        workspace.activity("part2.words").record(**kwargs)
    assert workspace.count() == 0


@pytest.mark.parametrize("name", ["", "Part 2", "x" * 200, None, "../etc"])
def test_bad_activity_names(workspace, name):
    with pytest.raises(CourseValueError, match="activity name"):
        workspace.activity(name)


def test_workspace_path_that_is_a_file(tmp_path):
    f = tmp_path / "my_work"
    f.write_text("I am a file")
    with pytest.raises(WorkspaceError, match="must be a folder"):
        Workspace(f)


def test_default_location_is_next_to_the_notebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COURSE_WORKSPACE", raising=False)
    assert Workspace().path == tmp_path / "my_work"
    monkeypatch.setenv("COURSE_WORKSPACE", str(tmp_path / "elsewhere"))
    assert Workspace().path == tmp_path / "elsewhere"


def test_records_from_other_threads(workspace):
    """ipykernel may run widget callbacks on another thread than the cell that made them."""
    import threading
    act = workspace.activity("part2.words")
    act.record("from-main-thread", 0)
    errors = []

    def worker(k):
        try:
            for i in range(25):
                act.record(f"t{k}-{i}", i)
                act.current()
        except Exception as exc:  # noqa: BLE001 - collected and checked below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(act) == 101
