"""Part 6's class-report section on a small synthetic class (untrusted values skipped)."""
import pandas as pd

from course_lib.core.class_pool import ClassPool
from course_lib.part6 import class_section as cs


def pool():
    rows = []
    same = "The program is a list of steps that the computer follows one by one."
    for s, student in enumerate(["ada", "bob", "cy"]):
        for k, cond in enumerate(["none", "base", "tuned"]):
            text = same if cond == "tuned" else f"{student} writes about desk number {s} and {k}."
            rows.append({"student": student, "activity": "part6.writing", "kind": "text",
                         "item": cond, "value": {"text": text, "prompt": "tool", "condition": cond,
                                                 "share_from_suggestions": 0.5},
                         "uid": f"{student}{k}", "recorded_at": float(k), "session": "s",
                         "elapsed": 30.0})
        rows.append({"student": student, "activity": "part6.suggestions", "kind": "choice",
                     "item": "base/s001", "value": {"outcome": "accepted", "model": "base"},
                     "uid": f"{student}s", "recorded_at": 9.0, "session": "s", "elapsed": 1.0})
    rows.append({**rows[0], "student": "eve", "item": "base", "value": "<script>", "uid": "bad"})
    rows.append({**rows[0], "student": "eve", "item": "tuned",
                 "value": {"text": 42, "share_from_suggestions": "all"}, "uid": "bad2"})
    return ClassPool(events=pd.DataFrame(rows), students=["ada", "bob", "cy", "eve"])


def test_sections_measure_how_alike_the_class_is():
    p = pool()
    t = cs.texts(p)
    assert len(t) == 9 and set(t["student"]) == {"ada", "bob", "cy"}
    h = cs.homogenisation(p).set_index("round")
    col = "mean pairwise ROUGE-L (same prompt)"
    assert h.loc["tuned model (low β)", col] == 1.0          # identical texts
    assert h.loc["no suggestions", col] < 1.0 and h.loc["no suggestions", "pairs"] == 3
    s = cs.suggestions(p).set_index("model")
    assert s.loc["n-gram model", "taken"] == 3
    [section] = cs.class_sections(p)
    assert section.key == "homogenisation" and "homogenisation" in section.tables
    assert cs.TEXT_ACTIVITIES == {"part6.writing": "writing with and without suggestions (part 6)"}


def test_empty_class():
    p = ClassPool(events=pd.DataFrame(columns=["student", "activity", "kind", "item", "value",
                                               "elapsed", "recorded_at", "uid", "session"]),
                  students=[])
    [section] = cs.class_sections(p)
    assert section.tables["homogenisation"]["texts"].sum() == 0
