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
>>> fb.is_simulated, len(fb.pairs), len(fb.ratings)
(True, 36, 16)
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.deprecation import renamed_attribute, renamed_keyword
from ..core.session import COURSE_SEED
from ..core.simulated import YoursOrSimulated, work_or_simulated
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
class Feedback(YoursOrSimulated):
    """The judgments later cells use: the learner's, or simulated ones in their place.

    Attributes
    ----------
    pairs, ratings : DataFrame
        Pairwise and pass/fail judgments (:func:`~course_lib.methods.judgments.pair_table`,
        :func:`~course_lib.methods.judgments.rating_table`).
    is_simulated : bool
        True if any of them are simulated.
    messages : tuple of str
        Whose work each table holds; :attr:`message` joins them.
    colour : str
        The colour figures use for this work (from the shared base).
    """

    pairs: pd.DataFrame
    ratings: pd.DataFrame
    is_simulated: bool
    messages: tuple = ()

    @property
    def message(self):
        """Whose work it is, in one or two sentences."""
        return " ".join(self.messages)

    #: Deprecated name of :attr:`is_simulated` (works until the 2027-08 release).
    simulated = renamed_attribute("is_simulated")


def plans(model, random_state=COURSE_SEED, *, seed=None):
    """``(pairwise plan, pass/fail plan)``: the same items for everyone with the same seed.

    Parameters
    ----------
    model : ToyAssistant
    random_state : int or Generator, default=COURSE_SEED
        Seed of the plans: keep the course's seed so a class judges the same items.
    seed : int, optional
        Deprecated name of ``random_state`` (works until the 2027-08 release).
    """
    random_state = renamed_keyword("seed", seed, "random_state", random_state, where="plans()",
                                   default=COURSE_SEED)
    return (pair_plan(model, n_pairs=N_PAIRS, n_repeats=N_REPEATS, random_state=random_state),
            passfail_plan(model, n=N_RATINGS, random_state=random_state))


def feedback_tables(workspace, model, *, judge=None, random_state=COURSE_SEED, show=True,
                    seed=None):
    """The learner's pairwise and pass/fail judgments (or simulated ones), as tables.

    Parameters
    ----------
    workspace : Workspace
    model : ToyAssistant
    judge : SimulatedJudge, optional
        Who judges when the learner has not (default ``SimulatedJudge(random_state=...)``).
    random_state : int, default=COURSE_SEED
        Seed of the plans (:func:`plans`) and of the default judge.
    show : bool, default=True
        Show whose work is used.
    seed : int, optional
        Deprecated name of ``random_state`` (works until the 2027-08 release).

    Returns
    -------
    Feedback
    """
    random_state = renamed_keyword("seed", seed, "random_state", random_state,
                                   where="feedback_tables()", default=COURSE_SEED)
    from ..core.validation import check_has
    check_has("workspace", workspace, ["activity"], what="your workspace, e.g. course.workspace")
    if judge is not None:
        check_has("judge", judge, ["pairwise_events", "passfail_events"],
                  what="a SimulatedJudge")
    judge = judge if judge is not None else SimulatedJudge(random_state=random_state)
    pair_items, pf_items = plans(model, random_state)

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
                    is_simulated=pw.is_simulated or pf.is_simulated,
                    messages=(pw.message, pf.message))
