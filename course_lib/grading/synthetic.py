"""Synthetic submissions and a synthetic class, to try the grading tools without students.

* :func:`submission_variants` turns any assignment (its source and its released student
  version) into the notebooks a real class hands in: a correct one, a blank one, and the
  troublemakers — one that raises, loops in Python, loops in C where Ctrl-C cannot stop it,
  kills its kernel, exhausts memory, edits a test cell, switches kernel, or carries
  script injections.
* :func:`make_class` writes a class of students' saved work (``my_work/``) made by seeded
  :class:`~course_lib.core.simulated.SimulatedLearner` s through the real
  :class:`~course_lib.core.workspace.Workspace` API — plus damaged and hostile students;
* :func:`write_hostile_work` writes saved work made to stop or corrupt a class report (see
  :data:`HOSTILE_WORK`: an endlessly recursive view, a time stored as text, JSON nested
  45,000 deep, ...), which ``make_class(hostile_work=...)`` adds to a class.

Both are used by the tests, the benchmark and ``course demo``.
"""
from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np

from ..core.activities import (
    PART0_FIRST_SENTENCE,
    PART1_WRITING,
    PART2_DIGITS,
    PART2_WORDS,
    PART3_PAIRWISE,
    PART3_PASSFAIL,
)
from ..core.validation import check_int, check_random_state

#: Marker placed in every piece of hostile text: it must never appear where it could run.
PWNED = "PWNED_BY_STUDENT"
HOSTILE_TEXTS = (
    f"<script>window.{PWNED}=1</script>",
    f"<img src=x onerror=\"window.{PWNED}=1\">",
    f"</script><script>window.{PWNED}=1</script>",
    f"<a href=\"javascript:window.{PWNED}=1\">click</a>",
    f"{{{{7*7}}}} ${{{PWNED}}} <svg onload=window.{PWNED}=1>",
    f"<style>body{{display:none}}</style><iframe srcdoc='<script>{PWNED}</script>'></iframe>",
)
#: What the troublemaking submissions put into the first exercise's answer cell.
BAD_CODE = {
    "raises": 'raise ValueError("something went wrong in my answer")',
    "python_loop": "while True:\n    pass",
    "c_loop": "import itertools\nsum(itertools.repeat(1))  # a loop in C: Ctrl-C cannot stop it",
    "kernel_exit": "import os\nos._exit(1)",
    "memory": "blocks = []\nwhile True:\n    blocks.append(bytearray(50_000_000))",
}
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[^\n]*\n?", re.M)


def _meta(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _solution_cells(nb):
    return [i for i, c in enumerate(nb.cells) if _meta(c).get("solution")]


def _answered(source_nb, released_nb):
    """The released notebook with the source's solutions filled in (delimiters removed)."""
    nb = copy.deepcopy(released_nb)
    answers = {_meta(c).get("grade_id"): c.source for c in source_nb.cells
               if _meta(c).get("solution")}
    for i in _solution_cells(nb):
        gid = _meta(nb.cells[i]).get("grade_id")
        if gid in answers:
            nb.cells[i].source = _SOLUTION.sub("", answers[gid])
    return nb


def submission_variants(source_nb, released_nb):
    """``{name: notebook}``: the batch of submissions a grading test needs.

    The troublemakers put their bad code in the first code answer cell and answer the other
    exercises correctly, so the rest of the notebook must still earn its points.
    """
    correct = _answered(source_nb, released_nb)
    code_answers = [i for i in _solution_cells(correct) if correct.cells[i].cell_type == "code"]
    tests = [i for i, c in enumerate(correct.cells)
             if _meta(c).get("grade") and not _meta(c).get("solution") and c.cell_type == "code"]
    out = {"correct": correct, "blank": copy.deepcopy(released_nb)}
    for name, code in BAD_CODE.items():
        nb = copy.deepcopy(correct)
        if code_answers:
            nb.cells[code_answers[0]].source = code
        out[name] = nb
    nb = copy.deepcopy(released_nb)  # blank answers, but every test cell made to pass
    for i in tests:
        nb.cells[i].source = "# I edited this test so that it passes\npass"
    out["edits_test_cell"] = nb
    nb = copy.deepcopy(correct)
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    out["switches_kernel"] = nb
    out["hostile"] = hostile_notebook(correct)
    return out


def hostile_notebook(nb):
    """``nb`` with script injections: in a written answer, in a fake output, in a new cell."""
    nb = copy.deepcopy(nb)
    for i in _solution_cells(nb):
        if nb.cells[i].cell_type == "markdown":
            nb.cells[i].source = "My answer. " + " ".join(HOSTILE_TEXTS)
    code = [c for c in nb.cells if c.cell_type == "code"]
    if code:
        code[0].outputs = [nbformat.v4.new_output(
            "display_data", data={"text/html": HOSTILE_TEXTS[0],
                                  "application/javascript": f"window.{PWNED}=1"})]
        code[0].execution_count = 1
    nb.cells.append(nbformat.v4.new_markdown_cell(HOSTILE_TEXTS[1]))
    nb.cells.append(nbformat.v4.new_raw_cell(HOSTILE_TEXTS[2],
                                             metadata={"raw_mimetype": "text/html"}))
    return nb


def write_submission(dest, nb, assignment, *, work=None):
    """Write ``nb`` as ``dest/<assignment>.ipynb`` (plus a copy of the folder ``work`` as
    ``dest/my_work``); ``nb=None`` writes no notebook, ``nb="text"`` writes that text."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, str):
        (dest / f"{assignment}.ipynb").write_text(nb, encoding="utf-8")
    elif nb is not None:
        nbformat.write(nb, dest / f"{assignment}.ipynb")
    if work is not None:
        shutil.copytree(work, dest / "my_work", dirs_exist_ok=True)
    return dest


# -- a synthetic class of saved work -----------------------------------------------------------
def _words(n, rng):
    from ..core.data import load_vader
    vader = load_vader().drop_duplicates("token").reset_index(drop=True)
    pick = rng.choice(len(vader), size=n, replace=False)
    return vader.iloc[np.sort(pick)]


def _fill_workspace(ws, sim, *, words, digits, pairs, outputs, style, hostile):
    """Record one student's work through the real Workspace API."""
    from ..core.simulated import SimulatedLearner
    from ..methods.judgments import pair_value

    rng = sim.rng
    first = ws.activity(PART0_FIRST_SENTENCE)
    sentence = hostile[0] if hostile else f"I wrote this sentence about {style} on a quiet day."
    first.record("first_sentence", {"text": sentence, "chars": len(sentence),
                                    "words": len(sentence.split())},
                 kind="text", elapsed=sim.typing_time(sentence))
    writing = ws.activity(PART1_WRITING)
    prompts = ["Describe your morning.", "Explain a hobby to a friend.", "Write a tiny story."]
    for k, prompt in enumerate(prompts):
        text = (hostile[k % len(hostile)] if hostile and k < 2 else
                f"{style.capitalize()} answer {k + 1}: " + " ".join(
                    rng.choice(["the", "quiet", "data", "people", "label", "work", "hands",
                                "time", "model", "learns", "from", "us"], size=12)))
        writing.record(f"prompt_{k}", {"text": text, "prompt": prompt}, kind="text",
                       elapsed=sim.typing_time(text))
    labels = ws.activity(PART2_WORDS)
    for row in words.itertuples():
        if rng.random() < 0.05:
            labels.record(row.token, None, kind="skip", elapsed=sim.action_time())
            continue
        labels.record(row.token, sim.rate(row.mean, low=-4, high=4), elapsed=sim.action_time())
    if rng.random() < 0.5:
        labels.undo()
    dig = ws.activity(PART2_DIGITS)
    careful = SimulatedLearner(noise=float(rng.uniform(0.02, 0.25)), random_state=rng)
    for index, truth in digits:
        dig.record(index, careful.choose(truth, range(10)), elapsed=sim.action_time())
    pair_act = ws.activity(PART3_PAIRWISE)
    length_taste = rng.normal(0.0, 0.6)
    for a, b in pairs:
        left, right = (a, b) if rng.random() < 0.5 else (b, a)
        fl, fr = outputs.loc[left], outputs.loc[right]
        u_left = fl["gold"] + length_taste * fl["words"] / 10 + 0.3   # a little position bias
        u_right = fr["gold"] + length_taste * fr["words"] / 10
        choice = "left" if sim.prefer(u_left, u_right) == "A" else "right"
        pair_act.record("|".join(sorted((a, b))), pair_value(choice, left=left, right=right),
                        kind="preference", elapsed=sim.action_time())
    passfail = ws.activity(PART3_PASSFAIL)
    for oid in outputs.index[:12]:
        verdict = "pass" if outputs.loc[oid, "gold"] + rng.normal(0, 0.5) > 0 else "fail"
        passfail.record(oid, verdict, kind="rating", elapsed=sim.action_time())
    if hostile:  # values and items a careless or hostile student could produce
        labels.record(hostile[3], 99, elapsed=1.0)
        labels.record(words.iloc[0].token, "four", elapsed=1.0)
        labels.record(words.iloc[1].token, {"nested": [1, 2]}, elapsed=1.0)
        dig.record(10_000_000, 3, elapsed=1.0)
        pair_act.record("not|a|pair|id", {"chosen": hostile[4]}, kind="preference", elapsed=1.0)
        ws.activity("part9.anything").record(hostile[5], hostile[5], kind="text", elapsed=1e9)


def make_class(root, *, n_students=30, n_damaged=6, n_hostile=3, n_words=40, n_digits=30,
               n_pairs=24, assignment="00_welcome", hostile_work=(), random_state=0):
    """Write a synthetic class into ``root/<student>/<assignment>/my_work/``; return the ids.

    The first ``n_damaged`` students have missing, damaged or foreign work (one each of:
    no ``my_work``, random bytes, someone else's SQLite database, a workspace from a newer
    course version, and a cut-short export file), the next ``n_hostile`` have script
    injections and nonsense values in their saved work, the rest are ordinary. Each kind in
    ``hostile_work`` (see :data:`HOSTILE_WORK`) adds one more student after them, whose saved
    work is made to stop or corrupt the class report.
    """
    import sqlite3

    from ..core.simulated import SimulatedLearner
    from ..core.workspace import Workspace
    from ..methods.judgments import pair_item  # noqa: F401 - the pair id format used below
    from ..methods.toy_assistant import ToyAssistant

    n_students = check_int("n_students", n_students, minimum=1)
    rng = check_random_state(random_state)
    root = Path(root)
    words = _words(n_words, rng)
    from ..core.data import load_digits
    target = load_digits().target
    digit_idx = rng.choice(len(target), size=n_digits, replace=False)
    digits = [(int(i), int(target[i])) for i in digit_idx]
    outputs = ToyAssistant().outputs
    ids = outputs.index.to_numpy()
    pairs = []
    while len(pairs) < n_pairs:
        a, b = rng.choice(ids, size=2, replace=False)
        if outputs.loc[a, "prompt_id"] == outputs.loc[b, "prompt_id"]:
            pairs.append((a, b))
    styles = ["cats", "trains", "rain", "coffee", "football", "gardens", "code", "music"]
    students = [f"student{n:02d}" for n in range(1, n_students + 1)]
    damage = ["missing", "random_bytes", "foreign_sqlite", "newer_version", "bad_export",
              "empty_file"]
    for k, sid in enumerate(students):
        work = root / sid / assignment / "my_work"
        if k < n_damaged:
            kind = damage[k % len(damage)]
            (root / sid / assignment).mkdir(parents=True, exist_ok=True)
            if kind == "missing":
                continue
            work.mkdir(parents=True, exist_ok=True)
            db = work / "course_work.sqlite"
            if kind == "random_bytes":
                db.write_bytes(rng.bytes(4096))
            elif kind == "foreign_sqlite":
                with sqlite3.connect(db) as conn:
                    conn.execute("CREATE TABLE grades (name TEXT, score REAL)")
            elif kind == "newer_version":
                Workspace(work).close()
                with sqlite3.connect(db) as conn:
                    conn.execute("UPDATE meta SET value = '99' WHERE key = 'format_version'")
            elif kind == "bad_export":
                (root / sid / assignment / "my_course_work.course-export.json").write_text(
                    '{"format": "human-labor-in-ml/workspace", "events": [', encoding="utf-8")
            else:
                db.write_bytes(b"")
            continue
        hostile = HOSTILE_TEXTS if k < n_damaged + n_hostile else ()
        sim = SimulatedLearner(noise=float(rng.uniform(0.4, 1.4)),
                               bias=float(rng.normal(0, 0.4)),
                               seconds_per_action=float(rng.uniform(1.5, 5.0)),
                               random_state=int(rng.integers(2**31)))
        ws = Workspace(work)
        try:
            _fill_workspace(ws, sim, words=words, digits=digits, pairs=pairs, outputs=outputs,
                            style=styles[k % len(styles)], hostile=hostile)
        finally:
            ws.close()
    for k, kind in enumerate(hostile_work):
        sid = f"student{n_students + k + 1:02d}"
        write_hostile_work(root / sid / assignment, kind)
        students.append(sid)
    return students


# -- hostile saved work -------------------------------------------------------------------------
#: Saved work made to stop or corrupt a class report: ``{kind: what it does}``. Each is a
#: course workspace (or export) written through the real API, then changed in one way.
HOSTILE_WORK = {
    "recursive_view": "its events are an endless recursive view (a loop in SQLite's C code, "
                      "which Ctrl-C cannot stop)",
    "view_meta": "its meta table is an endless recursive view",
    "computed_column": "its events table has a computed column (code run on every read)",
    "text_time": "one event's recorded_at is stored as text",
    "huge_time": "one event's recorded_at is 1e300 (no calendar has that date)",
    "infinite_elapsed": "one event's elapsed is infinite",
    "negative_elapsed": "one event's elapsed is negative",
    "deep_value": "one event's value is JSON nested 45,000 levels deep",
    "blob_value": "one event's value is a binary blob, not JSON text",
    "deep_export": "an export file nested 45,000 levels deep",
    "huge_time_export": "an export file whose recorded_at is 1e300",
    "text_time_export": "an export file whose recorded_at is text",
    "lone_surrogate_export": "an export file whose text has a lone surrogate (\\ud800: no "
                             "UTF-8 can write it)",
    "hostile_file_name": "a damaged export file whose name is a script injection",
}
_RECURSIVE = ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) ")


def _small_workspace(work):
    """A genuine course workspace with a few events; returns its database path."""
    from ..core.activities import PART0_FIRST_SENTENCE, PART2_WORDS
    from ..core.workspace import Workspace

    ws = Workspace(work)
    try:
        text = "A sentence from a student who means trouble."
        ws.activity(PART0_FIRST_SENTENCE).record(
            "first_sentence", {"text": text, "chars": len(text), "words": len(text.split())},
            kind="text", elapsed=4.0)
        words = ws.activity(PART2_WORDS)
        for word, rating in (("happy", 3), ("sad", -2), ("okay", 1)):
            words.record(word, rating, elapsed=2.0)
        ws.export()
    finally:
        ws.close()
    return Path(work) / "course_work.sqlite"


def write_hostile_work(dest, kind):
    """Write the hostile saved work ``kind`` (one of :data:`HOSTILE_WORK`) into the submission
    folder ``dest`` (``dest/my_work/`` and maybe an export file); return ``dest``."""
    import json
    import sqlite3

    if kind not in HOSTILE_WORK:
        raise ValueError(f"unknown hostile work {kind!r}; one of {sorted(HOSTILE_WORK)}")
    dest = Path(dest)
    db = _small_workspace(dest / "my_work")
    export = dest / "my_course_work.course-export.json"
    deep = "[" * 45_000 + "]" * 45_000
    if not kind.endswith("_export") and kind != "hostile_file_name":
        export.unlink()
    sql = {
        "recursive_view": ["DROP TABLE events",
                           "CREATE VIEW events AS " + _RECURSIVE + "SELECT n AS seq, "
                           "hex(n) AS uid, 'part2.words' AS activity, 'label' AS kind, "
                           "'happy' AS item, '1' AS value, 1.0 AS elapsed, "
                           "1.7e9 AS recorded_at, 's' AS session, '{}' AS meta FROM r"],
        "view_meta": ["DROP TABLE meta", "CREATE VIEW meta AS " + _RECURSIVE +
                      "SELECT 'k' || n AS key, 'v' AS value FROM r"],
        "computed_column": ["ALTER TABLE events ADD COLUMN extra TEXT GENERATED ALWAYS AS "
                            "(hex(zeroblob(1000000))) VIRTUAL"],
        "text_time": ["UPDATE events SET recorded_at = 'yesterday' WHERE seq = 2"],
        "huge_time": ["UPDATE events SET recorded_at = 1e300 WHERE seq = 1"],
        "infinite_elapsed": ["UPDATE events SET elapsed = 9e999 WHERE seq = 2"],
        "negative_elapsed": ["UPDATE events SET elapsed = -5 WHERE seq = 2"],
        "deep_value": [("UPDATE events SET value = ? WHERE seq = 2", (deep,))],
        "blob_value": [("UPDATE events SET value = ? WHERE seq = 2", (b"\x00\x01",))],
    }.get(kind, [])
    if sql:
        conn = sqlite3.connect(db)
        try:
            for stmt in sql:
                conn.execute(*stmt) if isinstance(stmt, tuple) else conn.execute(stmt)
            conn.commit()
        finally:
            conn.close()
    if kind.endswith("_export"):  # the export is the only saved work handed in
        doc = json.loads(export.read_text(encoding="utf-8"))
        for path in (dest / "my_work").iterdir():
            path.unlink()
        (dest / "my_work").rmdir()
        if kind == "deep_export":
            doc["events"][1]["value"] = "__DEEP__"
            text = json.dumps(doc).replace('"__DEEP__"', deep)
        elif kind == "lone_surrogate_export":
            doc["events"][0]["value"]["text"] = "__SURROGATE__"
            text = json.dumps(doc).replace("__SURROGATE__", "\\ud800")
        else:
            doc["events"][0]["recorded_at"] = (1e300 if kind == "huge_time_export"
                                               else "2026-12-01")
            text = json.dumps(doc)
        export.write_text(text, encoding="utf-8")
    if kind == "hostile_file_name":
        export.rename(dest / f"{HOSTILE_TEXTS[1]}.course-export.json")
        (dest / f"{HOSTILE_TEXTS[1]}.course-export.json").write_text(
            '{"format": "human-labor-in-ml/workspace", "events": [', encoding="utf-8")
    return dest
