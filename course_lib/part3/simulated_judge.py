"""A simulated feedback-giver for part 3, with a hidden preference you can set.

It judges the toy model's answers by a hidden utility::

    u(y) = gold_weight * gold(y) + sum_k preference[k] * z_k(y)

where ``gold`` is how helpful the answer really is and ``z_k`` is feature ``k`` standardised
over the pool (so ``preference={"words": 0.8}`` is a liking for long answers). Pairs are
judged the Bradley–Terry way, P(left) = sigmoid((u_left − u_right + position_bias) / T), with
ties for near-equal pairs; pass/fail is P(pass) = sigmoid((u − threshold) / T). As the session
goes on a ``fatigue`` > 0 makes the judge faster and sloppier.

Its work is made as :class:`~course_lib.core.workspace.Event` objects with ``simulated=True`` and is
never saved.

Examples
--------
>>> from course_lib.methods.toy_assistant import ToyAssistant
>>> model = ToyAssistant()
>>> judge = SimulatedJudge(random_state=0)
>>> events = judge.pairwise_events(model, ["egg:short|egg:wrong"] * 20)
>>> sum(e.value["chosen"] == "egg:short" for e in events), events[0].simulated
(18, True)
"""
from __future__ import annotations

import time

import numpy as np

from ..core.simulated import SimulatedLearner
from ..core.validation import check_choice, check_number
from ..core.workspace import Event
from ..methods.judgments import PAIRWISE, PASSFAIL, pair_value, parse_pair_item


def _known_items(items, u, *, pairs):
    """``items`` as a list, each a pair id (``pairs``) or an output id of the model."""
    from ..core.errors import CourseValueError
    from ..core.validation import check_list
    what = "pair ids, e.g. pair_plan(model)" if pairs else "output ids, e.g. passfail_plan(model)"
    items = check_list("items", items, what=f"a list of {what}")
    for item in items:
        ids = parse_pair_item(item)[:2] if pairs else (item,)
        if not all(isinstance(i, str) and i in u.index for i in ids):
            raise CourseValueError(f"`items` has {item!r}, which is not one of the model's "
                                   f"{what}.")
    return items


class SimulatedJudge(SimulatedLearner):
    """A simulated learner giving pass/fail and A-versus-B feedback.

    Parameters
    ----------
    preference : dict, default={"words": 0.8, "positivity": 0.6}
        Hidden liking for each feature, in utility points per standard deviation.
    gold_weight : float, default=1.0
        How much the real helpfulness (gold reward) counts.
    position_bias : float, default=0.3
        Utility bonus for the answer shown on the left (negative: for the right).
    temperature : float, default=0.5
        Noise of the judgments (0 would be a perfectly consistent judge).
    tie_margin : float, default=0.1
        Pairs closer than this in utility are called a tie.
    threshold : float, default=0.0
        Utility above which an answer tends to pass.
    cant_tell_rate, skip_rate : float, default=0.03, 0.02
        Chance of answering "can't tell" or skipping.
    fatigue : float, default=0.3
        Per 50 judgments, time per judgment shrinks by a factor exp(-fatigue) and the
        temperature grows by (1 + fatigue).
    seconds_per_action : float, default=4.0
        Median seconds for the first judgments.
    random_state : int, Generator or None, default=0
        Seed.
    """

    def __init__(self, *, preference=None, gold_weight=1.0, position_bias=0.3, temperature=0.5,
                 tie_margin=0.1, threshold=0.0, cant_tell_rate=0.03, skip_rate=0.02,
                 fatigue=0.3, seconds_per_action=4.0, random_state=0):
        super().__init__(noise=0.0, seconds_per_action=seconds_per_action,
                         random_state=random_state)
        self.preference = preference
        self.gold_weight = gold_weight
        self.position_bias = position_bias
        self.temperature = temperature
        self.tie_margin = tie_margin
        self.threshold = threshold
        self.cant_tell_rate = cant_tell_rate
        self.skip_rate = skip_rate
        self.fatigue = fatigue

    def __repr__(self):
        return (f"SimulatedJudge(preference={self._preference()}, gold_weight={self.gold_weight},"
                f" position_bias={self.position_bias}, random_state={self.random_state})")

    def _preference(self):
        return {"words": 0.8, "positivity": 0.6} if self.preference is None else self.preference

    def utility(self, model):
        """The hidden utility of every output of ``model`` (a pandas Series)."""
        from ..core.validation import check_has
        check_has("model", model, ["features", "gold_reward"],
                  what="the course's toy assistant, e.g. ToyAssistant()")
        feats = model.features()
        pref = self._preference()
        for name, weight in pref.items():
            check_choice("preference key", name, list(feats.columns))
            check_number(f"preference[{name!r}]", weight)
        z = (feats - feats.mean()) / feats.std(ddof=0).replace(0, 1)
        u = check_number("gold_weight", self.gold_weight) * model.gold_reward
        for name, weight in pref.items():
            u = u + weight * z[name]
        return u

    def _state(self, k):
        from ..core.validation import check_int
        k = check_int("k", k, minimum=0)
        check_number("fatigue", self.fatigue, minimum=0)
        temp = check_number("temperature", self.temperature, minimum=0, strict_minimum=True)
        return temp * (1 + self.fatigue * k / 50), np.exp(-self.fatigue * k / 50)

    def _seconds(self, k):
        return self.action_time() * self._state(k)[1]

    def judge_pair(self, u_left, u_right, k=0):
        """One of ``left``, ``right``, ``tie``, ``cant_tell``, ``skip`` for utilities shown."""
        rng = self.rng
        check_number("u_left", u_left), check_number("u_right", u_right)
        temp, _ = self._state(k)
        r = rng.random()
        if r < self.skip_rate:
            return "skip"
        if r < self.skip_rate + self.cant_tell_rate:
            return "cant_tell"
        d = u_left - u_right + self.position_bias
        if abs(d) < self.tie_margin:
            return "tie"
        return "left" if rng.random() < 1 / (1 + np.exp(-d / temp)) else "right"

    def judge_output(self, u, k=0):
        """``pass``, ``fail`` or ``skip`` for an answer of utility ``u``."""
        rng = self.rng
        check_number("u", u)
        temp, _ = self._state(k)
        if rng.random() < self.skip_rate:
            return "skip"
        return "pass" if rng.random() < 1 / (1 + np.exp(-(u - self.threshold) / temp)) else "fail"

    def pairwise_events(self, model, items, *, start=None):
        """Simulated pairwise :class:`Event` objects for pair ids ``items`` (in order)."""
        u = self.utility(model)
        items = _known_items(items, u, pairs=True)
        clock = time.time() if start is None else start
        events = []
        for k, item in enumerate(items):
            a, b, _ = parse_pair_item(item)
            left, right = (a, b) if self.rng.random() < 0.5 else (b, a)
            choice = self.judge_pair(u[left], u[right], k)
            seconds = self._seconds(k)
            clock += seconds
            events.append(Event(activity=PAIRWISE, kind="skip" if choice == "skip" else
                                "preference", item=item,
                                value=pair_value(choice, left=left, right=right),
                                elapsed=round(seconds, 3), recorded_at=clock,
                                uid=f"sim-{self.random_state}-pair-{k}", simulated=True))
        return events

    def passfail_events(self, model, items, *, start=None):
        """Simulated pass/fail :class:`Event` objects for output ids ``items`` (in order)."""
        u = self.utility(model)
        items = _known_items(items, u, pairs=False)
        clock = time.time() if start is None else start
        events = []
        for k, item in enumerate(items):
            rating = self.judge_output(u[item], k)
            seconds = self._seconds(k)
            clock += seconds
            events.append(Event(activity=PASSFAIL, kind="skip" if rating == "skip" else "rating",
                                item=item, value=None if rating == "skip" else rating,
                                elapsed=round(seconds, 3), recorded_at=clock,
                                uid=f"sim-{self.random_state}-pf-{k}", simulated=True))
        return events
