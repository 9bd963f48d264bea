"""Part 5's class-report section on a small synthetic class (untrusted values skipped)."""
import pandas as pd

from course_lib.core.class_pool import ClassPool
from course_lib.part5 import class_section as cs


def test_class_corpus_collapses_and_fresh_writing_holds_it():
    rows = []
    words = "the quick brown fox jumps over a lazy dog while seven wizards quietly hum".split()
    for s, student in enumerate(["ada", "bob", "cy"]):
        for k in range(5):
            text = " ".join(words[(s + k + j) % len(words)] + str(j % 7) for j in range(40))
            rows.append({"student": student, "activity": "part1.writing", "kind": "text",
                         "item": f"p{k}", "value": {"text": text, "prompt": "x"},
                         "uid": f"{student}{k}", "recorded_at": float(k), "session": "s",
                         "elapsed": 10.0})
    rows.append({**rows[0], "item": "bad", "value": {"text": ["<script>"]}, "uid": "bad"})
    pool = ClassPool(events=pd.DataFrame(rows), students=["ada", "bob", "cy"])
    t = cs.collapse_table(pool)
    end = t[t["generation"] == t["generation"].max()].set_index("fresh")["share_of_start"]
    assert end[0.0] < end[0.3] and end[0.0] < 0.9
    [section] = cs.class_sections(pool)
    assert section.key == "collapse" and "collapse" in section.tables
