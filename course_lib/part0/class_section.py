"""Part 0's share of the class report: the first sentences, in the class's own corpus.

Read by :mod:`course_lib.grading.class_report` (see :mod:`course_lib.core.class_pool`).
"""
from __future__ import annotations

from ..core.activities import PART0_FIRST_SENTENCE

#: Texts the learners of part 0 write: pooled into the class's corpus and its labor ledger.
TEXT_ACTIVITIES = {PART0_FIRST_SENTENCE: "first sentence (part 0)"}
