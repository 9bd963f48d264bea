"""Part 4, section 1: approve or reject definitions by their tone — without being told who wrote them.

The items are 40 one-sentence definitions from ``data/glossary_tone`` (its card says how they
were derived): half by Ambrose Bierce (*The Devil's Dictionary*, 1911), half by the hackers of
the Jargon File (1975–2003). The learner is the moderator of a friendly glossary for newcomers:
**approve** (key 1) a definition worded positively or neutrally, **reject** (key 2) one worded
negatively. Who wrote each sentence is the *hidden attribute*: it is never shown, but it rides
along in proxies — vocabulary (computers or clergy), capitalised headwords, era, irony.

Each item has a *reference* decision from VADER's raters: the mean rating (10 people per word)
of its rated words, positive or negative. It is a reference, not the truth (it misses irony).

Examples
--------
>>> items = choose_items()
>>> len(items), items == choose_items()
(40, True)
>>> sorted(load_items().loc[items, "group"].value_counts().tolist())
[20, 20]
"""
from __future__ import annotations

import functools
import numbers

import numpy as np
import pandas as pd

from ..core.activities import PART4_TONE
from ..core.errors import CourseTypeError, CourseValueError
from ..core.session import COURSE_SEED
from ..core.simulated import SimulatedLearner
from ..core.validation import (
    _show,
    check_callable,
    check_flag,
    check_frame,
    check_has,
    check_int,
    check_list,
    check_number,
    check_random_state,
)
from ..widgets.label_sessions import labels_or_simulated
from ..widgets.labeling import LabelingWidget

ACTIVITY = PART4_TONE
_ACTIVITY = "an activity, e.g. course.activity('part4.tone')"
_REVEALED = "the table from reveal(decisions)"
APPROVE, REJECT = 1, 0
CHOICES = [APPROVE, REJECT]
CHOICE_NAMES = ["approve", "reject"]
KEYS = ["1", "2"]
#: The hidden attribute: which community wrote the sentence.
GROUPS = {"devils_dictionary": "Bierce (1911)", "jargon_file": "hackers (1975-2003)"}
INSTRUCTIONS = ("You moderate a friendly glossary for newcomers. Approve (1) a definition "
                "worded positively or neutrally; reject (2) one worded negatively. Enter saves.")
#: The simulated learner's lean: it rejects this share of the positive hacker definitions
#: (slang read as rude). It is part of the simulation, and the notebook says so.
SIMULATED_LEAN = 0.5


@functools.lru_cache(maxsize=1)
def _items():
    from ..core.data import load_glossary_tone

    df = pd.DataFrame(load_glossary_tone()).set_index("id")
    df["group"] = df["source"].map(GROUPS)
    return df


def load_items():
    """All 240 definitions: ``headword, text, source, group, tone, reference`` by item id."""
    return _items().copy()


def choose_items(n=40, *, random_state=COURSE_SEED):
    """The items to label: ``n // 2`` from each group, the same for the whole class.

    Parameters
    ----------
    n : int, default=40
        An even number between 4 and 240.
    random_state : int, default=COURSE_SEED
        Keep the default so the whole class labels the same items.

    Returns
    -------
    list of str
        Item ids (``g001`` ...), which do not reveal the group.
    """
    n = check_int("n", n, minimum=4, maximum=240)
    if n % 2:
        raise CourseValueError(f"`n` must be even (half from each group of writers); got {n}.")
    check_random_state(random_state)   # a friendly error before the cache sees it
    return list(_choose(n, random_state))


@functools.lru_cache(maxsize=8)
def _choose(n, random_state):
    df = _items()
    rng = check_random_state(random_state)
    chosen = []
    for source in GROUPS:
        ids = df.index[df.source == source]
        chosen += list(ids[np.sort(rng.choice(len(ids), n // 2, replace=False))])
    return tuple(sorted(chosen))


def check_item(name, item):
    """``item`` if it is the id of a part-4 item (``'g012'``), with a clear message otherwise."""
    if not isinstance(item, str) or item not in _items().index:
        raise CourseValueError(f"`{name}` must be an item id from `choose_items()`, e.g. "
                               f"'g012'; got {_show(item)}.")
    return item


def check_items(items, *, name="items", min_count=1):
    """``items`` as a list of part-4 item ids (at least ``min_count``), e.g. ``choose_items()``."""
    what = "item ids from `choose_items()`, e.g. ['g012', 'g047']"
    items = check_list(name, items, what=what)
    if len(items) < check_int("min_count", min_count, minimum=0):
        raise CourseValueError(f"`{name}` must be {what}; got an empty list.")
    known = _items().index
    for k, item in enumerate(items):
        if not isinstance(item, str) or item not in known:
            raise CourseValueError(f"`{name}` must be {what}; got {_show(item)} at position "
                                   f"{k}.")
    return items


def item_text(item_id):
    """What the learner sees for one item: ``headword — definition`` (no author, no source)."""
    row = _items().loc[check_item("item_id", item_id)]
    return f"{row['headword']} — {row['text']}"


def tone_widget(activity, *, items=None, clock=None, random_state=COURSE_SEED):
    """The labelling widget: approve [1] / reject [2], Enter saves, two hidden repeats."""
    check_has("activity", activity, ["effective", "current", "record"], what=_ACTIVITY)
    items = check_items(items) if items is not None else choose_items()
    if clock is not None:
        check_callable("clock", clock)
    check_random_state(random_state)
    return LabelingWidget(activity, {i: item_text(i) for i in items}, choices=CHOICES,
                          choice_names=CHOICE_NAMES, keys=KEYS, kind="label", n_repeats=2,
                          random_state=random_state, instructions=INSTRUCTIONS, clock=clock)


def simulated_decision(item, learner, *, lean=SIMULATED_LEAN):
    """How the simulated learner decides: the reference, a little noise, and a lean.

    It follows the VADER reference, flips it with probability ``learner.noise``, and rejects
    a positive *hacker* definition with extra probability ``lean`` — the kind of habit
    (unfamiliar slang read as rude) that Sap et al. (2019) found in real annotators.
    """
    row = _items().loc[check_item("item", item)]
    check_has("learner", learner, ["rng", "choose"], what="a SimulatedLearner")
    lean = check_number("lean", lean, minimum=0, maximum=1)
    decision = learner.choose(int(row["reference"]), CHOICES)
    if decision == APPROVE and row["source"] == "jargon_file" and learner.rng.random() < lean:
        decision = REJECT
    return decision


#: Fewer of the learner's own decisions than this are topped up with simulated ones, so that the
#: model and the fairness measures below have both groups and both decisions to work with.
MIN_OWN_DECISIONS = 20


def tone_session(activity, *, items=None, random_state=COURSE_SEED, show=True):
    """The learner's decisions, or a simulated learner's if they made none (says which).

    With fewer than :data:`MIN_OWN_DECISIONS` of their own, the rest are simulated (and the
    message says how many are whose), so that Run All after a few decisions still runs."""
    check_has("activity", activity, ["effective", "current", "record", "name"], what=_ACTIVITY)
    items = check_items(items) if items is not None else choose_items()
    check_random_state(random_state)
    learner = SimulatedLearner(noise=0.1, seconds_per_action=4.0, random_state=random_state)
    return labels_or_simulated(
        activity, lambda act, clock=None: tone_widget(act, items=items, clock=clock,
                                                      random_state=random_state),
        simulated_decision, expected=len(items), learner=learner, noun="decisions",
        min_own=MIN_OWN_DECISIONS, show=show)


def check_answers(answers):
    """``answers`` as ``{item id: 0/1}`` for known items, with a clear message otherwise."""
    if not isinstance(answers, dict):
        raise CourseTypeError("`answers` must be a dict {item id: 1 (approve) or 0 (reject)}, "
                               f"e.g. `session.answers()`; got {type(answers).__name__}.")
    df = _items()
    out = {}
    for item, value in answers.items():
        if item not in df.index:
            continue
        if not _is_zero_or_one(value):
            raise CourseValueError(f"The decision for {_show(item)} must be 1 (approve) or 0 "
                                   f"(reject); got {_show(value)}.")
        out[item] = int(value)
    if len(out) < 4 or len({df.loc[i, "group"] for i in out}) < 2:
        raise CourseValueError(f"Only {len(out)} of your decisions are on part-4 items (or all "
                               "in one group); label a few more above and re-run.")
    return out


def _is_zero_or_one(value):
    return isinstance(value, (numbers.Real, np.bool_)) and value in (0, 1)


def reveal(answers):
    """Your decisions next to the hidden attribute and the reference, one row per item.

    Returns
    -------
    pandas.DataFrame
        ``item, headword, text, group, tone, reference, yours``.
    """
    answers = check_answers(answers)
    df = _items().loc[list(answers)]
    out = df[["headword", "text", "group", "tone", "reference"]].copy()
    out["yours"] = [answers[i] for i in out.index]
    return out.rename_axis("item").reset_index().sort_values(["group", "item"],
                                                             ignore_index=True)


def reveal_figure(table, *, simulated=False):
    """Approval rate per group: your decisions and the reference, side by side."""
    import plotly.graph_objects as go

    from ..core import theme

    check_frame("table", table, ["group", "yours", "reference"], what=_REVEALED)
    who = "simulated learner" if check_flag("simulated", simulated) else "you"
    fig = theme.figure("Who wrote what you approved", "writers (hidden while you labelled)",
                       "share approved")
    rates = table.groupby("group")[["yours", "reference"]].mean()
    counts = table.groupby("group").size()
    fig.add_trace(go.Bar(x=rates.index, y=rates["reference"], name="reference (VADER raters)",
                         marker_color=theme.PALETTE[7],
                         hovertemplate="%{x}: reference approves %{y:.0%}<extra></extra>"))
    fig.add_trace(go.Bar(x=rates.index, y=rates["yours"], name=who,
                         marker_color=theme.SIMULATED if simulated else theme.YOURS,
                         customdata=counts.reindex(rates.index),
                         hovertemplate=f"%{{x}}: {who} approved %{{y:.0%}} of "
                                       "%{customdata}<extra></extra>"))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    fig.update_layout(barmode="group")
    return fig
