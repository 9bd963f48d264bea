"""Part 4's class-report section on a small synthetic class (untrusted values skipped)."""
import pandas as pd
import pytest

pytest.importorskip("course_lib.core.class_pool")

from course_lib.core.class_pool import ClassPool  # noqa: E402
from course_lib.part4 import class_section as cs  # noqa: E402
from course_lib.part4.tone_labels import choose_items, load_items  # noqa: E402


def pool():
    ref = load_items()["reference"]
    rows = []
    for s, student in enumerate(["ada", "bob", "cy"]):
        for k, item in enumerate(choose_items()):
            rows.append({"student": student, "activity": "part4.tone", "kind": "label",
                         "item": item, "value": int(ref[item]) if s else 0,
                         "uid": f"{student}{k}", "recorded_at": float(k), "session": "s",
                         "elapsed": 1.0})
        rows.append({"student": student, "activity": "part4.survey", "kind": "label",
                     "item": "clicked_through", "value": "yes" if s else "no",
                     "uid": f"{student}q", "recorded_at": 99.0, "session": "s", "elapsed": 1.0})
    rows.append({**rows[0], "item": "g013", "value": "<script>", "uid": "bad"})
    return ClassPool(events=pd.DataFrame(rows), students=["ada", "bob", "cy"])


def test_agreement_and_sections():
    p = pool()
    [a] = cs.agreement(p)
    assert a.table.shape == (40, 3) and a.level == "nominal" and a.invalid == 1
    t, gaps = cs.by_group(p)
    assert set(t["group"]) == set(load_items()["group"]) and gaps is not None
    assert cs.survey(p)["n"] == 3
    [section] = cs.class_sections(p)
    assert section.key == "bias" and "bias_by_group" in section.tables
