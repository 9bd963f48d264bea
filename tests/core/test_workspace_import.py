"""Imports cannot hide, take back or distort work (issue 16): every refused file changes nothing.

Each test makes a workspace with some work of its own, tries to import a doctored export file,
and checks that the file is refused with a message naming what is wrong and that the
workspace is exactly as before (events, their content, and the file's bytes).
"""
import json
import math
import time

import pytest

from course_lib.core import workspace as W
from course_lib.core.errors import CourseValueError, WorkspaceError
from course_lib.core.workspace import FORMAT, FORMAT_VERSION, Workspace, read_export

DAY = 86_400


@pytest.fixture
def mine(tmp_path):
    """A workspace with the learner's own answers (the one imports must not harm)."""
    ws = Workspace(tmp_path / "mine")
    act = ws.activity("part2.words")
    act.record("happy", 3, elapsed=1.0)
    act.record("sad", -2, elapsed=2.0)
    yield ws
    ws.close()


@pytest.fixture
def other(tmp_path):
    """Another workspace (another machine), whose export is doctored by the tests."""
    ws = Workspace(tmp_path / "other")
    act = ws.activity("part2.words")
    act.record("good", 2, elapsed=1.5)
    act.record("bad", -3, elapsed=0.5)
    act.record("ok", 0, elapsed=0.7)
    yield ws
    ws.close()


def snapshot(ws):
    return ws.count(), [e.to_json() for e in ws.events()], ws.db_path.read_bytes()


def export_doc(ws, tmp_path):
    return json.loads(ws.export(tmp_path / "clean.json").read_text(encoding="utf-8"))


def write(tmp_path, doc, name="doctored.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def refused(ws, path, *match):
    """Import ``path``; assert it is refused with every text in ``match``, changing nothing."""
    before = snapshot(ws)
    with pytest.raises(WorkspaceError) as info:
        ws.import_file(path)
    for text in match:
        assert text in str(info.value), str(info.value)
    assert snapshot(ws) == before
    return str(info.value)


# -- 1. dates ------------------------------------------------------------------------------
@pytest.mark.parametrize("recorded_at, says", [
    (time.time() + 30 * DAY, "in the future"),
    (time.time() + 1.5 * DAY, "in the future"),
    (1e12, "in the future"),
    (1e300, "in the future"),
    (1_500_000_000, "before 2020-01-01"),
    (0, "before 2020-01-01"),
    (-1e9, "before 2020-01-01"),
    ("2026-12-01", "must be a time"),
    (True, "must be a time"),
    (None, "must be a time"),
], ids=["now+30d", "now+1.5d", "1e12", "1e300", "2017", "0", "-1e9", "text", "True", "None"])
def test_import_refuses_an_event_dated_out_of_range(mine, other, tmp_path, recorded_at, says):
    doc = export_doc(other, tmp_path)
    doc["events"][1]["recorded_at"] = recorded_at
    uid = doc["events"][1]["uid"]
    refused(mine, write(tmp_path, doc), "Event 1", uid, says, "Nothing was imported")


def test_a_future_dated_answer_can_no_longer_mask_the_learners_later_answer(mine, tmp_path):
    """The probe: an imported answer dated next year became the 'current' answer for ever."""
    doc = export_doc(mine, tmp_path)
    fake = dict(doc["events"][0], uid="f" * 32, value=-4, recorded_at=time.time() + 365 * DAY)
    doc["events"].append(fake)
    refused(mine, write(tmp_path, doc), "in the future")
    act = mine.activity("part2.words")
    act.record("happy", 4)
    assert act.current()["happy"].value == 4


def test_infinite_time_in_the_file_is_refused(mine, other, tmp_path):
    text = json.dumps(export_doc(other, tmp_path))
    t = json.loads(text)["events"][0]["recorded_at"]
    path = tmp_path / "inf.json"
    path.write_text(text.replace(repr(t), "1e400", 1), encoding="utf-8")  # JSON reads inf
    refused(mine, path, "Event 0", "must be a time")


def test_nan_and_infinity_literals_are_not_json(mine, other, tmp_path):
    text = json.dumps(export_doc(other, tmp_path))
    t = json.loads(text)["events"][0]["recorded_at"]
    for literal in ("NaN", "Infinity", "-Infinity"):
        path = tmp_path / f"{literal}.json"
        path.write_text(text.replace(repr(t), literal, 1), encoding="utf-8")
        refused(mine, path, "not a readable export", literal)


def test_clocks_a_little_apart_are_fine(mine, other, tmp_path):
    doc = export_doc(other, tmp_path)
    doc["events"][0]["recorded_at"] = time.time() + 3600  # the other machine is an hour ahead
    assert mine.import_file(write(tmp_path, doc))["added"] == 3


def test_read_export_checks_dates_against_the_time_given(other, tmp_path):
    path = other.export(tmp_path / "e.json")
    read_export(path)
    with pytest.raises(WorkspaceError, match="in the future"):
        read_export(path, now=time.time() - 3 * DAY)  # as if imported three days earlier


# -- 2. undo events ------------------------------------------------------------------------
def test_an_imported_undo_cannot_take_back_an_answer_that_is_not_in_the_file(mine, other,
                                                                           tmp_path):
    """The probe: an export carrying undo events aimed at this workspace's own answers."""
    target = mine.activity("part2.words").current()["happy"]
    doc = export_doc(other, tmp_path)
    last = doc["events"][-1]
    doc["events"].append(dict(last, uid="a" * 32, kind="undo", item="happy", value=target.uid,
                              recorded_at=last["recorded_at"] + 1))
    message = refused(mine, write(tmp_path, doc), "Event 3", "not in this file",
                      "only take back its own work")
    assert "a" * 32 in message
    assert mine.activity("part2.words").current()["happy"].value == 3


@pytest.mark.parametrize("change, says", [
    ({"activity": "part2.digits"}, "same activity"),
    ({"item": "bad"}, "same activity and item"),
])
def test_an_undo_must_match_its_own_event(mine, other, tmp_path, change, says):
    doc = export_doc(other, tmp_path)
    good = doc["events"][0]
    undo = dict(good, uid="b" * 32, kind="undo", value=good["uid"],
                recorded_at=good["recorded_at"] + 1, **change)
    doc["events"].append(undo)
    refused(mine, write(tmp_path, doc), "Event 3", says)


def test_an_undo_before_its_event_in_time_and_in_the_file_is_refused(mine, other, tmp_path):
    doc = export_doc(other, tmp_path)
    good = doc["events"][1]
    doc["events"].insert(0, dict(good, uid="b" * 32, kind="undo", value=good["uid"],
                                 recorded_at=good["recorded_at"] - 100, session="s" * 32))
    refused(mine, write(tmp_path, doc), "Event 0", "not an earlier event")
    doc["events"][0]["session"] = good["session"]  # the same session: a clock stepped back
    assert mine.import_file(write(tmp_path, doc))["added"] == 4
    assert "bad" not in mine.activity("part2.words").current()


def test_an_undo_of_an_undo_is_refused(mine, other, tmp_path):
    other.activity("part2.words").undo()
    doc = export_doc(other, tmp_path)
    undo = doc["events"][-1]
    doc["events"].append(dict(undo, uid="c" * 32, value=undo["uid"],
                              recorded_at=undo["recorded_at"] + 1))
    refused(mine, write(tmp_path, doc), "Event 4", "not an earlier event")


def test_an_undo_must_name_an_event_id(mine, other, tmp_path):
    doc = export_doc(other, tmp_path)
    doc["events"].append(dict(doc["events"][0], uid="d" * 32, kind="undo", value=["x"]))
    refused(mine, write(tmp_path, doc), "Event 3", "not the id of an event")


def test_undo_done_on_the_other_machine_is_imported_and_applies(mine, other, tmp_path):
    act = other.activity("part2.words")
    act.undo()  # takes back "ok"
    report = mine.import_file(other.export(tmp_path / "e.json"))
    assert report["added"] == 4
    current = mine.activity("part2.words").current()
    assert {k: e.value for k, e in current.items()} == {"happy": 3, "sad": -2, "good": 2,
                                                          "bad": -3}


def test_undo_of_imported_work_travels_on_to_a_third_workspace(mine, other, tmp_path):
    """other -> mine; mine undoes other's answer; mine's export -> a third workspace."""
    mine.import_file(other.export(tmp_path / "e1.json"))
    act = mine.activity("part2.words")
    taken = act.undo()
    assert taken.item == "ok"
    third = Workspace(tmp_path / "third")
    third.import_file(mine.export(tmp_path / "e2.json"))
    assert "ok" not in third.activity("part2.words").current()
    assert set(third.activity("part2.words").current()) == {"happy", "sad", "good", "bad"}


def test_the_learner_can_undo_an_imported_answer_dated_a_little_ahead(mine, other, tmp_path):
    """The other computer's clock was an hour fast: its answer is still the learner's to undo."""
    doc = export_doc(other, tmp_path)
    doc["events"][2]["recorded_at"] = time.time() + 3600
    mine.import_file(write(tmp_path, doc))
    act = mine.activity("part2.words")
    assert act.undo().item == "ok"
    assert "ok" not in act.current()
    assert act.undo().item == "bad"  # and undo goes on to the next one


def test_a_reset_backup_with_undo_events_imports(mine):
    act = mine.activity("part2.words")
    act.undo()
    backup = act.reset(confirm=True)
    assert mine.import_file(backup)["added"] == 3
    assert set(act.current()) == {"happy"}


def test_duplicate_uids_with_different_content_are_refused(mine, other, tmp_path):
    doc = export_doc(other, tmp_path)
    doc["events"].append(dict(doc["events"][0], value=4))
    refused(mine, write(tmp_path, doc), "Event 3", "used by another, different event")


# -- 3. elapsed ----------------------------------------------------------------------------
@pytest.mark.parametrize("elapsed, says", [
    (-3590, "seconds >= 0"),
    (-0.001, "seconds >= 0"),
    ("3 s", "seconds >= 0"),
    (True, "seconds >= 0"),
    ([1], "seconds >= 0"),
])
def test_import_refuses_an_elapsed_record_would_refuse(mine, other, tmp_path, elapsed, says):
    doc = export_doc(other, tmp_path)
    doc["events"][2]["elapsed"] = elapsed
    refused(mine, write(tmp_path, doc), "Event 2", "`elapsed`", says)


def test_infinite_elapsed_in_the_file_is_refused(mine, other, tmp_path):
    path = other.export(tmp_path / "e.json")
    text = path.read_text(encoding="utf-8")
    assert '"elapsed": 0.7' in text
    path.write_text(text.replace('"elapsed": 0.7', '"elapsed": -1e999'), encoding="utf-8")
    refused(mine, path, "Event 2", "`elapsed`")


def test_an_elapsed_over_a_day_is_imported_as_record_keeps_it(mine, other, tmp_path):
    """An export made before the one-day rule may carry an idle widget's elapsed: the answer
    is imported, its idle time is kept in meta, as record() does now; nothing is lost."""
    doc = export_doc(other, tmp_path)
    doc["events"][2]["elapsed"] = 1e9
    assert mine.import_file(write(tmp_path, doc))["added"] == 3
    idle = mine.events()[-1]
    assert idle.elapsed is None and idle.meta["elapsed_over_a_day"] == 1e9
    assert mine.import_file(write(tmp_path, doc))["added"] == 0  # the same file again adds nothing


def test_elapsed_up_to_a_day_and_none_are_fine(mine, other, tmp_path):
    doc = export_doc(other, tmp_path)
    doc["events"][0]["elapsed"] = DAY
    doc["events"][1]["elapsed"] = None
    doc["events"][2]["elapsed"] = 0
    assert mine.import_file(write(tmp_path, doc))["added"] == 3
    assert [e.elapsed for e in mine.events()[-3:]] == [DAY, None, 0]


# -- 4. format versions --------------------------------------------------------------------
@pytest.mark.parametrize("version", [1.9, 1.0, -5, 0, True, False, "1", None, [1], 2.0])
def test_only_exact_known_format_versions_are_read(mine, other, tmp_path, version):
    doc = export_doc(other, tmp_path)
    doc["format_version"] = version
    refused(mine, write(tmp_path, doc), "not a course export", "Nothing was changed")


@pytest.mark.parametrize("version", [FORMAT_VERSION + 1, 99, 10**30])
def test_a_newer_format_says_update_the_course(mine, other, tmp_path, version):
    doc = export_doc(other, tmp_path)
    doc["format_version"] = version
    refused(mine, write(tmp_path, doc), "newer version of the course", "update the course")


def test_the_known_version_is_read(mine, other, tmp_path):
    doc = export_doc(other, tmp_path)
    assert doc["format_version"] == FORMAT_VERSION and type(doc["format_version"]) is int
    assert mine.import_file(write(tmp_path, doc))["added"] == 3


@pytest.mark.parametrize("stored, says", [
    ("1.9", "not a course workspace"), ("-5", "not a course workspace"),
    ("true", "not a course workspace"), ("01", "not a course workspace"),
    (" 1", "not a course workspace"), ("2", "newer version"), ("99", "newer version")])
def test_workspace_file_versions_are_exact_too(tmp_path, stored, says):
    import sqlite3
    Workspace(tmp_path).close()
    con = sqlite3.connect(tmp_path / "course_work.sqlite")
    con.execute("UPDATE meta SET value=? WHERE key='format_version'", (stored,))
    con.commit()
    con.close()
    before = (tmp_path / "course_work.sqlite").read_bytes()
    with pytest.raises(WorkspaceError, match=says):
        Workspace(tmp_path)
    assert (tmp_path / "course_work.sqlite").read_bytes() == before


# -- 5. size limits ------------------------------------------------------------------------
def test_a_huge_file_is_refused_without_being_read(mine, tmp_path, monkeypatch):
    path = tmp_path / "huge.course-export.json"
    with open(path, "wb") as fh:
        fh.truncate(200 * 2**20)  # 200 MB, sparse: costs no disk
    opened = []

    def spy(*args, **kwargs):
        opened.append(args)
        return open(*args, **kwargs)

    monkeypatch.setattr(W, "open", spy, raising=False)
    started = time.perf_counter()
    refused(mine, path, "larger than 20 MB", "Nothing was imported")
    assert not opened, "the file was opened although its size alone refuses it"
    assert time.perf_counter() - started < 2


def test_a_file_just_over_the_limit_is_refused_and_one_under_it_is_read(mine, other,
                                                                       tmp_path, monkeypatch):
    path = other.export(tmp_path / "e.json")
    size = path.stat().st_size
    monkeypatch.setattr(W, "MAX_IMPORT_BYTES", size - 1)
    refused(mine, path, "larger than")
    monkeypatch.setattr(W, "MAX_IMPORT_BYTES", size)
    assert mine.import_file(path)["added"] == 3


def test_too_many_events_are_refused(mine, other, tmp_path, monkeypatch):
    monkeypatch.setattr(W, "MAX_EVENTS", 2)
    refused(mine, other.export(tmp_path / "e.json"), "holds 3 events", "more than the 2")


@pytest.mark.parametrize("field, value, says", [
    ("value", {"text": "x" * (W.MAX_VALUE_CHARS + 1)}, "too large"),
    ("meta", {"note": "x" * (W.MAX_VALUE_CHARS + 1)}, "too large"),
    ("item", "x" * (W.MAX_ITEM_CHARS + 1), "too long"),
    ("value", 2**60, "too large to save exactly"),
    ("value", {"a": [1.5, {"b": "\ud800"}]}, "broken character"),
    ("item", "half \udfff", "broken character"),
    ("uid", "", "not an event id"),
    ("uid", "x" * 65, "not an event id"),
    ("uid", "../../etc", "not an event id"),
    ("session", "a b", "not a session id"),
    ("activity", "part2.words\n", "not an activity name"),
    ("kind", "vote", "not one of"),
    ("kind", ["label"], "not one of"),
    ("meta", [], "not a dict"),
])
def test_texts_values_and_ids_are_checked(mine, other, tmp_path, field, value, says):
    doc = export_doc(other, tmp_path)
    doc["events"][1][field] = value
    refused(mine, write(tmp_path, doc), "Event 1", says)


def test_nesting_depth_is_limited(mine, other, tmp_path):
    deep = 0
    for _ in range(W.MAX_DEPTH + 1):
        deep = [deep]
    doc = export_doc(other, tmp_path)
    doc["events"][0]["value"] = deep
    refused(mine, write(tmp_path, doc), "Event 0", "nested too deeply")


def test_absurdly_deep_json_is_refused_not_a_crash(mine, tmp_path):
    path = tmp_path / "deep.json"
    nested = "[" * 200_000 + "]" * 200_000
    path.write_text(f'{{"format": "{FORMAT}", "format_version": 1, "workspace_id": "x", '
                    f'"events": [{nested}]}}', encoding="utf-8")
    refused(mine, path, "not a readable export", "nested too deeply")


@pytest.mark.slow
def test_a_whole_course_is_far_inside_the_limits(tmp_path):
    """The size caps are justified by a full synthetic learner (see the module docstring)."""
    from course_lib.grading.synthetic import make_class
    make_class(tmp_path / "class", n_students=2, n_damaged=0, n_hostile=1)
    for student in ("student01", "student02"):  # a hostile one, then an ordinary one
        ws = Workspace(tmp_path / "class" / student / "00_welcome" / "my_work")
        path = ws.export(tmp_path / f"{student}.json")
        assert ws.count() > 100
        assert path.stat().st_size < W.MAX_IMPORT_BYTES / 500  # ~35 KB of 20 MB
        assert ws.count() < W.MAX_EVENTS / 500
        fresh = Workspace(tmp_path / f"fresh-{student}")
        assert fresh.import_file(path)["added"] == ws.count()  # whatever record() wrote imports
        assert [e.to_json() for e in fresh.events()] == [e.to_json() for e in ws.events()]
    odd = Workspace(tmp_path / "class" / "student01" / "00_welcome" / "my_work")
    (idle,) = odd.events("part9.anything")  # recorded with elapsed=1e9: kept, time unknown
    assert idle.elapsed is None and idle.meta["elapsed_over_a_day"] == 1e9


# -- the good path still works ---------------------------------------------------------------
def test_a_clean_export_still_round_trips_exactly(mine, other, tmp_path):
    other.activity("part1.writing").record("p1", {"text": "ünï 🙂 <b>", "n": [1, 2.5, None]},
                                           kind="text", elapsed=12.5, meta={"words": 3})
    path = other.export(tmp_path / "e.json")
    assert mine.import_file(path)["added"] == 4
    assert mine.import_file(path)["added"] == 0
    mine_events = {e.uid: e.to_json() for e in mine.events()}
    for e in other.events():
        assert mine_events[e.uid] == e.to_json()


def test_check_helpers_are_public_for_other_readers(other, tmp_path):
    event = export_doc(other, tmp_path)["events"][0]
    assert W.check_event_fields(event) is None
    with pytest.raises(CourseValueError, match="in the future"):
        W.check_event_fields(dict(event, recorded_at=time.time() + 9 * DAY))
    with pytest.raises(CourseValueError, match="elapsed"):
        W.check_elapsed(math.nan)
    assert W.check_elapsed(3) == 3.0 and W.check_elapsed(None) is None
    assert W.check_recorded_at(1.7e9, now=1.7e9) == 1.7e9
    assert W.check_plain_data({"b": 1, "a": [True]}) == '{"a": [true], "b": 1}'
    with pytest.raises(CourseValueError, match="not in this file"):
        W.check_undos([dict(event, kind="undo", value="z" * 32)])
