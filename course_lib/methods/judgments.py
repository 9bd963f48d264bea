"""How part 3's feedback is recorded, and read back as tables.

Two activities, with plain values so an instructor can pool a whole class:

* ``part3.passfail`` — item: an output id (``"moon:detail+oc"``); value ``"pass"`` or ``"fail"``
  (kind ``rating``), or ``None`` for a skip (kind ``skip``).
* ``part3.pairwise`` — item: a pair id, the two output ids sorted and joined by ``|``
  (``"egg:short|egg:wrong+o"``; a pair shown a second time, to measure self-agreement, ends in
  ``|again``); value ``{"chosen": <output id> or "tie" or "cant_tell", "left": <id>,
  "right": <id>}`` (kind ``preference``), or with ``"chosen": None`` for a skip (kind ``skip``).
  ``left``/``right`` record where each answer was shown.

Every event's ``elapsed`` is the seconds from showing the item to the answer.

Examples
--------
>>> pair_item("egg:wrong+o", "egg:short")
'egg:short|egg:wrong+o'
>>> parse_pair_item("egg:short|egg:wrong+o|again")
('egg:short', 'egg:wrong+o', True)
>>> pair_value("left", left="egg:wrong+o", right="egg:short")
{'chosen': 'egg:wrong+o', 'left': 'egg:wrong+o', 'right': 'egg:short'}
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.activities import PART3_PAIRWISE, PART3_PASSFAIL
from ..core.errors import CourseValueError
from ..core.validation import check_choice, check_has, check_int, check_list, check_random_state
from ..core.validation import check_text

_MODEL = "the course's toy assistant, e.g. ToyAssistant()"
_EVENT_FIELDS = ["item", "kind", "value", "elapsed", "recorded_at", "simulated"]


def _events(events):
    events = check_list("events", events, what="a list of events, e.g. activity.events()")
    for k, e in enumerate(events):
        check_has(f"events[{k}]", e, _EVENT_FIELDS, what="a recorded event (from .events())")
    return events

PASSFAIL = PART3_PASSFAIL
PAIRWISE = PART3_PAIRWISE
#: What a learner can answer about a pair (``left``/``right`` name the side they clicked).
PAIR_CHOICES = ("left", "right", "tie", "cant_tell", "skip")
RATING_CHOICES = ("pass", "fail", "skip")
_AGAIN = "again"


def pair_item(a, b, *, repeat=False):
    """The stable id of the pair {a, b} (order does not matter)."""
    check_text("a", a), check_text("b", b)
    if a == b:
        raise CourseValueError(f"A pair needs two different outputs; got {a!r} twice.")
    return "|".join(sorted((a, b)) + ([_AGAIN] if repeat else []))


def parse_pair_item(item):
    """``(a, b, repeat)`` from a pair id made by :func:`pair_item`."""
    parts = str(item).split("|")
    if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != _AGAIN):
        raise CourseValueError(f"{item!r} is not a pair id such as 'egg:short|egg:wrong'.")
    return parts[0], parts[1], len(parts) == 3


def pair_value(choice, *, left, right):
    """The saved value of one pairwise judgment (``choice`` is one of :data:`PAIR_CHOICES`)."""
    check_choice("choice", choice, PAIR_CHOICES)
    chosen = {"left": left, "right": right, "skip": None}.get(choice, choice)
    return {"chosen": chosen, "left": left, "right": right}


def pair_plan(model, *, n_pairs=30, n_repeats=6, random_state=0):
    """The pairs to judge, in order: ``n_pairs`` new pairs, then ``n_repeats`` shown again.

    Each pair is two different answers to the same question (questions taken in turn);
    the repeats are spread through the second half, so the learner meets them unawares.
    """
    check_has("model", model, ["prompts", "outputs"], what=_MODEL)
    n_pairs = check_int("n_pairs", n_pairs, minimum=1, maximum=10_000)
    n_repeats = check_int("n_repeats", n_repeats, minimum=0, maximum=n_pairs)
    rng = check_random_state(random_state)
    prompts = list(model.prompts.index)
    by_prompt = model.outputs.groupby("prompt_id").groups
    n_distinct = sum(len(by_prompt[p]) * (len(by_prompt[p]) - 1) // 2 for p in prompts)
    check_int("n_pairs", n_pairs, maximum=n_distinct)   # more would never finish
    items, seen = [], set()
    while len(items) < n_pairs:
        pid = prompts[len(items) % len(prompts)]
        a, b = rng.choice(np.asarray(by_prompt[pid]), size=2, replace=False)
        item = pair_item(str(a), str(b))
        if item not in seen:
            seen.add(item)
            items.append(item)
    repeats = [pair_item(*parse_pair_item(i)[:2], repeat=True)
               for i in rng.choice(items[: max(1, n_pairs // 2)], size=n_repeats,
                                   replace=n_repeats > max(1, n_pairs // 2))]
    repeats = list(dict.fromkeys(repeats))
    plan = list(items)
    for k, item in enumerate(repeats):
        pos = n_pairs // 2 + 1 + int(rng.integers(0, n_pairs // 2 + k + 1))
        plan.insert(min(pos, len(plan)), item)
    return plan


def passfail_plan(model, *, n=16, random_state=0):
    """``n`` output ids to judge pass/fail, spread over the questions."""
    check_has("model", model, ["outputs"], what=_MODEL)
    n = check_int("n", n, minimum=1, maximum=len(model.outputs))
    rng = check_random_state(random_state)
    order = rng.permutation(len(model.outputs))
    ids = model.outputs.index[order]
    prompt = model.outputs["prompt_id"].to_numpy()[order]
    rank = pd.Series(prompt).groupby(prompt).cumcount().to_numpy()
    return [str(i) for i in ids[np.argsort(rank, kind="stable")][:n]]


_PAIR_COLUMNS = ["item", "a", "b", "repeat", "left", "right", "chosen", "choice", "outcome",
                 "elapsed", "recorded_at", "order", "simulated"]


def pair_table(events):
    """One row per pairwise event (skips included), oldest first.

    Columns: ``item``, ``a``/``b`` (the pair, sorted), ``repeat``, ``left``/``right`` (as
    shown), ``chosen``, ``choice`` (``left``, ``right``, ``tie``, ``cant_tell`` or ``skip``),
    ``outcome`` (1 = left better, 0 = right better, 0.5 = tie, NaN = no information),
    ``elapsed``, ``recorded_at``, ``order`` and ``simulated``.
    """
    rows = []
    for k, e in enumerate(_events(events)):
        a, b, repeat = parse_pair_item(e.item)
        v = e.value if isinstance(e.value, dict) else {}
        left, right, chosen = v.get("left", a), v.get("right", b), v.get("chosen")
        if e.kind == "skip" or chosen is None:
            choice = "skip"
        elif chosen in ("tie", "cant_tell"):
            choice = chosen
        elif chosen == left:
            choice = "left"
        elif chosen == right:
            choice = "right"
        else:
            raise CourseValueError(f"Judgment of {e.item!r} chose {chosen!r}, which is "
                                   "neither of the two answers shown.")
        outcome = {"left": 1.0, "right": 0.0, "tie": 0.5}.get(choice, np.nan)
        rows.append((e.item, a, b, repeat, left, right, chosen, choice, outcome, e.elapsed,
                     e.recorded_at, k, bool(e.simulated)))
    return pd.DataFrame(rows, columns=_PAIR_COLUMNS)


def rating_table(events):
    """One row per pass/fail event: ``output``, ``rating``, ``passed`` (1/0/NaN), ``elapsed``,
    ``recorded_at``, ``order``, ``simulated``."""
    rows = []
    for k, e in enumerate(_events(events)):
        rating = "skip" if e.kind == "skip" or e.value is None else e.value
        check_choice("rating", rating, RATING_CHOICES)
        passed = {"pass": 1.0, "fail": 0.0}.get(rating, np.nan)
        rows.append((e.item, rating, passed, e.elapsed, e.recorded_at, k, bool(e.simulated)))
    return pd.DataFrame(rows, columns=["output", "rating", "passed", "elapsed", "recorded_at",
                                       "order", "simulated"])
