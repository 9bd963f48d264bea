"""Part 1's share of the class report: the texts written to prompts, in the class's corpus.

Read by :mod:`course_lib.grading.class_report` (see :mod:`course_lib.core.class_pool`).
"""
from __future__ import annotations

from ..core.activities import PART1_WRITING

#: Texts the learners of part 1 write: pooled into the class's corpus and its labor ledger.
TEXT_ACTIVITIES = {PART1_WRITING: "writing (part 1)"}
