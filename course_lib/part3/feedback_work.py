"""Part 3's saved feedback, or simulated feedback in its place, as tables.

:func:`feedback_tables` is what the notebook's later cells call: it reads the learner's
pass/fail and pairwise judgments through :func:`course_lib.work_or_simulated` (which says
whose work is used) and falls back on a :class:`~course_lib.part3.simulated_judge.SimulatedJudge`
when there is none.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> from course_lib.methods.toy_assistant import ToyAssistant
>>> fb = feedback_tables(Workspace(tempfile.mkdtemp()), ToyAssistant(), show=False)
>>> fb.simulated, len(fb.pairs), len(fb.ratings)
(True, 36, 16)
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.simulated import work_or_simulated
from ..methods.judgments import (
    PAIRWISE,
    PASSFAIL,
    pair_plan,
    pair_table,
    passfail_plan,
    rating_table,
)
from .simulated_judge import SimulatedJudge

N_PAIRS, N_REPEATS, N_RATINGS = 30, 6, 16


#: Below this many of the learner's own judgments, simulated ones make up the rest.
MIN_OWN_PAIRS = 12
MIN_OWN_RATINGS = 6


@dataclass
class Feedback:
    """The judgments later cells use."""

    pairs: pd.DataFrame
    ratings: pd.DataFrame
    simulated: bool
    messages: tuple = ()

    @property
    def colour(self):
        """The colour figures use for this work: yours, or the simulated learner's."""
        from ..core.theme import SIMULATED, YOURS
        return SIMULATED if self.simulated else YOURS


def plans(model, seed=2024):
    """``(pairwise plan, pass/fail plan)``: the same items for everyone with the same seed."""
    return (pair_plan(model, n_pairs=N_PAIRS, n_repeats=N_REPEATS, random_state=seed),
            passfail_plan(model, n=N_RATINGS, random_state=seed))


def feedback_tables(workspace, model, *, judge=None, seed=2024, show=True):
    """The learner's pairwise and pass/fail judgments (or simulated ones), as tables."""
    judge = judge if judge is not None else SimulatedJudge(random_state=seed)
    pair_items, pf_items = plans(model, seed)

    def sim_pairs(n, skip):
        return judge.pairwise_events(model, [i for i in pair_items if i not in skip][:n])

    def sim_ratings(n, skip):
        return judge.passfail_events(model, [i for i in pf_items if i not in skip][:n])

    # a handful of judgments cannot carry a reward model: top up until there are a dozen
    pw = work_or_simulated(workspace.activity(PAIRWISE), sim_pairs, expected=len(pair_items),
                           noun="comparisons", min_own=MIN_OWN_PAIRS, show=show)
    pf = work_or_simulated(workspace.activity(PASSFAIL), sim_ratings, expected=len(pf_items),
                           noun="pass/fail judgments", min_own=MIN_OWN_RATINGS, show=show)
    return Feedback(pairs=pair_table(pw.events), ratings=rating_table(pf.events),
                    simulated=pw.is_simulated or pf.is_simulated,
                    messages=(pw.message, pf.message))
