"""One submission can never stop or corrupt the class report, nor collection (issue 16).

Each hostile workspace or export of :data:`course_lib.grading.synthetic.HOSTILE_WORK` is read
on its own (skipped, with its reason, quickly), then all of them at once in a class whose
report is still built; undo events count only for their own student; ``course collect
--from`` refuses every link.
"""
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from course_lib.core.workspace import Workspace
from course_lib.grading import class_work, collect, synthetic
from course_lib.grading.class_report import ClassReport
from course_lib.grading.class_work import current, read_class, read_student
from course_lib.grading.coursedir import CourseFolder

from .helpers import FIXTURE, FIXTURES, live_injections

REASONS = {
    "recursive_view": "events are a view, not a table",
    "view_meta": "meta is a view, not a table",
    "computed_column": "computed columns",
    "text_time": "recorded_at is not a time",
    "huge_time": "recorded_at is not a time",
    "infinite_elapsed": "elapsed is not a finite number",
    "negative_elapsed": "elapsed is not a finite number",
    "deep_value": "nested too deeply",
    "blob_value": "not JSON text",
    "deep_export": "nested too deeply",
    "huge_time_export": "recorded_at is not a time",
    "text_time_export": "recorded_at is not a time",
    "lone_surrogate_export": "its value is not JSON data",
    "hostile_file_name": "not a readable export",
}


def test_every_hostile_kind_has_a_test():
    assert set(REASONS) == set(synthetic.HOSTILE_WORK)


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_hostile_work_is_skipped_with_its_reason(tmp_path, kind):
    synthetic.write_hostile_work(tmp_path / "eve" / FIXTURE, kind)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    start = time.monotonic()
    events, problems = read_student(tmp_path / "eve")
    assert time.monotonic() - start < 5
    assert len(problems) == 1 and REASONS[kind] in problems[0], problems
    # only the hostile file is skipped: the one with a hostile name leaves the workspace
    assert len(events) == (4 if kind == "hostile_file_name" else 0)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # read-only: nothing written, not even a journal


def test_an_endless_query_is_stopped_inside_sqlite(tmp_path):
    """The per-student time limit interrupts a loop in SQLite's C code (no Ctrl-C needed)."""
    db = synthetic._small_workspace(tmp_path / "my_work")
    deadline = time.monotonic() + 0.5
    conn = class_work._connect(db, deadline)
    start = time.monotonic()
    with pytest.raises(class_work.TooSlow, match="longer than"):
        class_work._query(conn, synthetic._RECURSIVE + "SELECT count(*) FROM r", deadline)
    assert time.monotonic() - start < 5
    conn.close()


def test_time_size_and_row_limits(tmp_path, monkeypatch):
    synthetic.write_hostile_work(tmp_path / "eve" / FIXTURE, "hostile_file_name")
    (tmp_path / "eve" / FIXTURE / f"{synthetic.HOSTILE_TEXTS[1]}.course-export.json").unlink()
    assert len(read_student(tmp_path / "eve")[0]) == 4
    events, problems = read_student(tmp_path / "eve", seconds=0)
    assert events == [] and "longer than" in problems[0]
    monkeypatch.setattr(class_work, "MAX_EVENTS", 3)
    assert "holds 4 events; at most 3" in read_student(tmp_path / "eve")[1][0]
    monkeypatch.setattr(class_work, "MAX_ENTRIES", 2)
    assert "too many files" in read_student(tmp_path / "eve")[1][0]
    monkeypatch.setattr(class_work, "MAX_ENTRIES", 100)
    monkeypatch.setattr(class_work, "MAX_FILE_MB", 1 / 1024)
    assert "larger than" in read_student(tmp_path / "eve")[1][0]


def test_a_hot_journal_is_applied_to_a_private_copy(tmp_path):
    db = synthetic._small_workspace(tmp_path / "ada" / FIXTURE / "my_work")
    journal = db.with_name(db.name + "-journal")
    journal.write_bytes(b"")  # an empty journal: nothing to roll back, but it must be read
    events, problems = read_student(tmp_path / "ada")
    assert problems == [] and len(events) == 4 and journal.read_bytes() == b""


def test_the_class_report_survives_every_hostile_submission(tmp_path):
    subs = tmp_path / "subs"
    kinds = tuple(sorted(REASONS))
    students = synthetic.make_class(subs, n_students=8, n_damaged=2, n_hostile=1,
                                    hostile_work=kinds, random_state=3)
    code = ("import sys; from course_lib.grading.cli import main; "
            f"sys.exit(main(['class-report', '--from', {str(subs)!r}, '--out', "
            f"{str(tmp_path / 'out')!r}, '--no-execute']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = ClassReport().fit(subs)
    hostile = dict(zip(students[8:], kinds))
    assert sorted(report.students_) == sorted(students[2:8] + [
        s for s, k in hostile.items() if k == "hostile_file_name"])
    reasons = {}
    for student, message in report.problems_:
        reasons.setdefault(student, []).append(message)
    for student, kind in hostile.items():
        assert any(REASONS[kind] in m for m in reasons[student]), (kind, reasons[student])
    assert len(report.corpus_) == 6 * 4 + 1 and len(report.preferences_) == 6
    html = (tmp_path / "out" / "class_report.html").read_text("utf-8")
    assert "skipped" in html and "PWNED" in html  # the hostile file name, shown as text
    assert live_injections(html) == []
    assert "&lt;img src=x onerror=&quot;window.PWNED_BY_STUDENT=1&quot;&gt;" in html


def _record_undo(ws, activity, item, target_uid):
    """An undo event as the course writes them, but naming any uid (written straight into
    the file: :meth:`Workspace.record` refuses an undo of another activity's or item's event,
    a student's own file need not)."""
    import json
    import uuid

    session = ws.events()[-1].session
    with sqlite3.connect(ws.db_path) as conn:
        conn.execute("INSERT INTO events (uid, activity, kind, item, value, elapsed, recorded_at, "
                     "session, meta) VALUES (?,?,?,?,?,?,?,?,?)",
                     (uuid.uuid4().hex, activity, "undo", item, json.dumps(target_uid), None,
                      time.time(), session, "{}"))
    conn.close()


def test_an_undo_takes_back_only_its_own_students_work(tmp_path):
    ada = Workspace(tmp_path / "ada" / FIXTURE / "my_work")
    words = ada.activity("part2.words")
    rated = [words.record(f"word{i}", i % 9 - 4, elapsed=1.0) for i in range(39)]
    digit = ada.activity("part2.digits").record("7", 7, elapsed=1.0)
    # her own undos: one of a word (taken back); one in another activity naming a word
    # rating (changes nothing); one naming the digit under another item (changes nothing)
    words.undo()
    _record_undo(ada, "part2.digits", rated[0].item, rated[0].uid)
    _record_undo(ada, "part2.digits", "8", digit.uid)
    ada.close()
    bob = Workspace(tmp_path / "bob" / FIXTURE / "my_work")
    bob.activity("part2.words").record("word0", 2, elapsed=1.0)
    for e in rated:  # bob's undos name ada's ratings: they must not erase them
        _record_undo(bob, "part2.words", e.item, e.uid)
    bob.close()
    work = read_class(tmp_path)
    assert work.problems == []
    cur = current(work.events, "part2.words")
    assert (cur["student"] == "ada").sum() == 38  # 39 minus her own undo
    assert (cur["student"] == "bob").sum() == 1
    assert (current(work.events, "part2.digits")["student"] == "ada").sum() == 1
    report = ClassReport().fit(tmp_path)
    row = report.ledger_.set_index("student").loc["ada"]
    assert row["undone"] == 3 and row["actions"] == 40  # 39 words and a digit; 3 undos


# -- collection never follows a link ------------------------------------------------------
def test_collect_refuses_links_at_every_level(tmp_path):
    folder = CourseFolder.create(tmp_path / "c", notebooks=FIXTURES)
    outside = tmp_path / "instructor"
    (outside / "work").mkdir(parents=True)
    secret = outside / "answers.txt"
    secret.write_text("INSTRUCTOR SECRET")
    (outside / "work" / "course_work.sqlite").write_text("INSTRUCTOR SECRET")
    (outside / FIXTURE).mkdir()
    (outside / FIXTURE / f"{FIXTURE}.ipynb").write_text("INSTRUCTOR SECRET")
    src = tmp_path / "in"

    def student(name):
        root = src / name / FIXTURE
        root.mkdir(parents=True)
        (root / f"{FIXTURE}.ipynb").write_text("{}")
        return root
    os.symlink(outside / "work", student("ada") / "my_work")                  # a linked my_work/
    (student("bob") / "my_work").mkdir()
    os.symlink(secret, src / "bob" / FIXTURE / "my_work" / "course_work.sqlite")  # a linked db
    (student("cy") / "notes" / "deep").mkdir(parents=True)
    os.symlink(secret, src / "cy" / FIXTURE / "notes" / "deep" / "x.txt")     # nested deep
    (src / "dee").mkdir()
    os.symlink(outside / FIXTURE, src / "dee" / FIXTURE)                      # the folder used
    (src / "eli").mkdir()
    os.symlink(outside, src / "eli" / "inner")                                # the only folder
    os.symlink(outside / FIXTURE, src / "fay")                                # the entry itself
    result = collect.from_folder(folder, FIXTURE, src)
    assert "refused the link my_work" in " ".join(result["ada"])
    assert "refused the link my_work/course_work.sqlite" in " ".join(result["bob"])
    assert "refused the link notes/deep/x.txt" in " ".join(result["cy"])
    assert "refused the link" in " ".join(result["dee"])
    assert "refused the link" in " ".join(result["eli"])
    assert "refused the link fay" in " ".join(result["fay"])
    submitted = folder.root / "submitted"
    copied = [p for p in submitted.rglob("*")]
    assert not any(p.is_symlink() for p in copied)
    assert not any(b"INSTRUCTOR SECRET" in p.read_bytes() for p in copied if p.is_file())
    for name in ("ada", "bob", "cy"):  # their own files still came in
        assert (submitted / name / FIXTURE / f"{FIXTURE}.ipynb").read_text() == "{}"


def test_class_work_ignores_a_linked_workspace(tmp_path):
    db = synthetic._small_workspace(tmp_path / "elsewhere" / "my_work")
    (tmp_path / "subs" / "ada" / FIXTURE / "my_work").mkdir(parents=True)
    os.symlink(db, tmp_path / "subs" / "ada" / FIXTURE / "my_work" / "course_work.sqlite")
    os.symlink(tmp_path / "elsewhere", tmp_path / "subs" / "bob")
    work = read_class(tmp_path / "subs")
    assert work.students == [] and len(work.events) == 0
    assert dict(work.problems)["bob"].startswith("skipped: the submission is a link")
    assert "no saved work" in dict(work.problems)["ada"]
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0] == 4
