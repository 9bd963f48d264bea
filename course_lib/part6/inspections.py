"""Part 6, section 1: where to send the inspectors — the learner inside a feedback loop.

A city has two neighbourhoods, A and B. In truth an inspection in A finds an incident with
probability 0.2 and in B with 0.1 (the learner is not told): A has 2/3 of the incidents there
are to find. Each round the learner sends :data:`PER_ROUND` inspectors, split between A and B
as they choose, guided only by what earlier inspections *found* (the record starts from last
year's: one incident in each). What is found depends on where they looked — the loop of
Ensign et al. (2018), with the learner as the department.

Each round is saved through ``course.activity(PART6_INSPECTIONS).record(...)`` the moment it
is sent: ``{"to_a", "found_a", "found_b"}``. The incidents found are drawn from a generator
seeded by the round, so re-running the notebook shows the same record.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> act = Workspace(tempfile.mkdtemp()).activity("part6.inspections")
>>> w = InspectionWidget(act, random_state=0)
>>> w.press("ArrowRight"), w.press("Enter")      # 6 of 10 to A, sent
(True, True)
>>> [(e.item, e.value["to_a"]) for e in act.effective()]
[('round-01', 6)]
"""
from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np

from ..core.activities import PART6_INSPECTIONS
from ..core.display import escape
from ..core.errors import CourseTypeError, CourseValueError
from ..core.session import COURSE_SEED
from ..core.simulated import SimulatedLearner, work_or_simulated
from ..core.validation import check_callable, check_int, check_random_state
from ..core.workspace import Event
from ..methods.feedback_loops import RATES, attention_estimates, run_urn
from ..widgets.base import ActivityPanel
from ..widgets.keyboard import KeyCatcher

ACTIVITY = PART6_INSPECTIONS
N_ROUNDS = 15
PER_ROUND = 10
#: Last year's record, the urn's prior: one incident found in each neighbourhood.
PRIOR = (1, 1)
KEYS = ["ArrowLeft", "ArrowRight", "Enter"]


def round_item(k):
    """The saved item of round ``k`` (1-based): ``round-01`` ..."""
    return f"round-{check_int('k', k, minimum=1, maximum=999):02d}"


def found_in_round(k, to_a, *, rates=RATES, per_round=PER_ROUND, random_state=COURSE_SEED):
    """The incidents ``(found in A, found in B)`` when round ``k`` sends ``to_a`` inspectors to A.

    Drawn from a generator seeded by ``random_state`` and the round, so the same choice in the
    same round always finds the same.
    """
    k = check_int("k", k, minimum=1, maximum=999)
    per_round = check_int("per_round", per_round, minimum=1, maximum=1000)
    to_a = check_int("to_a", to_a, minimum=0, maximum=per_round)
    from ..methods.feedback_loops import check_rates
    rates = check_rates(rates)
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)):
        raise CourseTypeError("`random_state` must be a whole number here (the record must "
                              f"replay the same); got {type(random_state).__name__}.")
    rng = np.random.default_rng([int(random_state), k])
    found = rng.random(per_round) < np.r_[np.full(to_a, rates[0]),
                                          np.full(per_round - to_a, rates[1])]
    return int(found[:to_a].sum()), int(found[to_a:].sum())


def _check_record(rounds):
    if isinstance(rounds, (str, bytes, dict)) or not hasattr(rounds, "__iter__"):
        raise CourseTypeError("`rounds` must be a list of rounds, each a dict with to_a, "
                              "found_a and found_b (e.g. inspection_session(...).rounds).")
    out = []
    for i, r in enumerate(rounds):
        if not isinstance(r, dict) or not all(k in r for k in ("to_a", "found_a", "found_b")):
            raise CourseValueError(f"`rounds[{i}]` must be a dict with to_a, found_a and "
                                   f"found_b; got {r!r}"[:160] + ".")
        out.append(r)
    return out


class InspectionWidget(ActivityPanel):
    """Send :data:`PER_ROUND` inspectors a round, split between A and B.

    ← / → (or the buttons) move one inspector between the neighbourhoods; Enter (or *send*)
    sends them and shows what they found. Click the dashed box first so the keys go to it.

    Parameters
    ----------
    activity : Activity
        ``course.activity("part6.inspections")``.
    n_rounds : int, default=N_ROUNDS
    random_state : int, default=COURSE_SEED
        Seeds what each round finds (keep the default: the class shares one city).
    clock : callable, default=time.monotonic
    """

    EVENTS = ("round",)

    def __init__(self, activity, *, n_rounds=N_ROUNDS, random_state=COURSE_SEED,
                 clock=time.monotonic):
        from ..core.validation import check_has
        self.activity = check_has("activity", activity, ["record", "current"],
                                  what="an activity, e.g. course.activity('part6.inspections')")
        self.n_rounds = check_int("n_rounds", n_rounds, minimum=1, maximum=200)
        found_in_round(1, 0, random_state=random_state)       # checks random_state
        self.random_state = int(random_state)
        self.clock = check_callable("clock", clock)
        self.rounds = [e.value for _, e in sorted(activity.current().items())
                       if _valid_round(e.value)][: self.n_rounds]
        self.to_a = PER_ROUND // 2
        self._since = self.clock()
        self.record_html = widgets.HTML()
        self.split_html = widgets.HTML()
        auto = {"width": "auto"}
        self.fewer = widgets.Button(description="◀ one fewer to A", layout=auto)
        self.more = widgets.Button(description="one more to A ▶", layout=auto)
        self.send_button = widgets.Button(description="send the inspectors",
                                          button_style="primary", layout=auto)
        self.fewer.on_click(lambda _b: self._from_page(lambda: self._button("ArrowLeft")))
        self.more.on_click(lambda _b: self._from_page(lambda: self._button("ArrowRight")))
        self.send_button.on_click(lambda _b: self._from_page(lambda: self._button("Enter")))
        self.catcher = KeyCatcher(catch_keys=KEYS,
                                  prompt="⌨ Click here, then ← → to split, Enter to send",
                                  active_prompt="⌨ Keys on: ← → split the inspectors, Enter sends")
        self.catcher.add_class("course-inspections-keys")
        self.catcher.on_key(lambda key: self._from_page(lambda: self._act(key, "key")))
        self.status = widgets.HTML()
        self.widget = widgets.VBox([self.record_html, self.split_html,
                                    widgets.HBox([self.fewer, self.more, self.send_button]),
                                    self.catcher, self.status])
        self.widget.add_class("course-inspections")
        self._draw()

    @property
    def finished(self):
        """True once every round is sent."""
        return len(self.rounds) >= self.n_rounds

    def on_round(self, callback):
        """Call ``callback(event)`` after each round is saved."""
        return self._add_listener("round", callback)

    def press(self, key):
        """Act as if ``key`` (← → Enter) was pressed in the keys box."""
        with self._driven_from_code():
            return self.catcher.press(key)

    def _button(self, key):
        self.catcher.focus()
        return self._act(key, "button")

    def set_split(self, to_a):
        """Send ``to_a`` of the :data:`PER_ROUND` inspectors to A in the next round."""
        self.to_a = check_int("to_a", to_a, minimum=0, maximum=PER_ROUND)
        self._draw()

    def _act(self, key, via):
        if self.finished:
            self.status.value = "All rounds are sent. Run the cells below."
            return None
        if key == "ArrowLeft":
            self.set_split(max(self.to_a - 1, 0))
        elif key == "ArrowRight":
            self.set_split(min(self.to_a + 1, PER_ROUND))
        elif key == "Enter":
            return self.send(via=via)
        return None

    def send(self, *, via="code"):
        """Send this round's inspectors; save and return the round's event."""
        if self.finished:
            raise CourseValueError(f"All {self.n_rounds} rounds are sent already.")
        k = len(self.rounds) + 1
        fa, fb = found_in_round(k, self.to_a, random_state=self.random_state)
        now = self.clock()
        value = {"to_a": self.to_a, "found_a": fa, "found_b": fb}
        event = self.activity.record(round_item(k), value, kind="choice",
                                     elapsed=max(now - self._since, 0.0),
                                     meta={"via": via, "per_round": PER_ROUND})
        self._since = now
        self.rounds.append(value)
        self.status.value = (f"Saved round {k}: {self.to_a} to A found {fa}, "
                             f"{PER_ROUND - self.to_a} to B found {fb}.")
        self._draw()
        self._emit("round", event)
        return event

    def _draw(self):
        fa = PRIOR[0] + sum(r["found_a"] for r in self.rounds)
        fb = PRIOR[1] + sum(r["found_b"] for r in self.rounds)
        done = len(self.rounds)
        head = (f"<b>Round {min(done + 1, self.n_rounds)} of {self.n_rounds}</b>"
                if not self.finished else f"<b>All {self.n_rounds} rounds sent</b>")
        last = ""
        if self.rounds:
            r = self.rounds[-1]
            last = (f"<br>Last round: {r['to_a']} inspectors in A found {r['found_a']}, "
                    f"{PER_ROUND - r['to_a']} in B found {r['found_b']}.")
        self.record_html.value = (
            f"<div>{head} · {done} round(s) done.<br>Incidents on record so far (last year's "
            f"1 + 1 included): <b>A: {fa}</b> · <b>B: {fb}</b> — A has {fa / (fa + fb):.0%} of "
            f"the record.{last}</div>")
        bar = "".join("<span style='display:inline-block;width:1.6em;text-align:center;"
                      f"background:{'#0072B2' if i < self.to_a else '#E69F00'};color:white;"
                      f"margin:1px'>{'A' if i < self.to_a else 'B'}</span>"
                      for i in range(PER_ROUND))
        self.split_html.value = (f"<div class='course-inspections-split'>Next round: "
                                 f"<b>{self.to_a} to A</b>, <b>{PER_ROUND - self.to_a} to B</b> "
                                 f"{bar}</div>")


def _valid_round(v):
    return (isinstance(v, dict) and all(isinstance(v.get(k), int) and not isinstance(v.get(k), bool)
                                        for k in ("to_a", "found_a", "found_b"))
            and 0 <= v["to_a"] <= PER_ROUND and 0 <= v["found_a"] <= v["to_a"]
            and 0 <= v["found_b"] <= PER_ROUND - v["to_a"])


def simulated_rounds(n, *, random_state=COURSE_SEED, learner=None):
    """A simulated department that follows the data: A's share of the record, plus noise.

    Returns ``n`` simulated :class:`Event` objects (never saved)."""
    n = check_int("n", n, minimum=0, maximum=200)
    found_in_round(1, 0, random_state=random_state)     # checks random_state
    if learner is not None and not isinstance(learner, SimulatedLearner):
        raise CourseTypeError(f"`learner` must be a SimulatedLearner or None; got "
                              f"{type(learner).__name__}.")
    learner = learner or SimulatedLearner(noise=0.1, seconds_per_action=5.0,
                                          random_state=random_state)
    rng = learner.rng
    fa, fb = PRIOR
    events = []
    for k in range(1, n + 1):
        share = fa / (fa + fb)
        to_a = int(np.clip(rng.binomial(PER_ROUND, share), 0, PER_ROUND))
        a, b = found_in_round(k, to_a, random_state=random_state)
        fa, fb = fa + a, fb + b
        events.append(Event(activity=ACTIVITY, kind="choice", item=round_item(k),
                            value={"to_a": to_a, "found_a": a, "found_b": b},
                            elapsed=learner.action_time(), simulated=True))
    return events


class InspectionSession:
    """The rounds later cells use: the learner's own, or a simulated department's."""

    def __init__(self, work):
        from ..core.validation import check_has
        self.work = check_has("work", work, ["events", "is_simulated"],
                              what="what work_or_simulated(...) returns (use inspection_session)")
        self.rounds = [e.value for e in sorted(work.events, key=lambda e: e.item)
                       if _valid_round(e.value)]

    @property
    def is_simulated(self):
        """True when the rounds are simulated."""
        return self.work.is_simulated

    def shares(self):
        """A's share of the inspections, round by round."""
        return [r["to_a"] / PER_ROUND for r in self.rounds]

    def estimates(self):
        """What the record says: see :func:`course_lib.methods.feedback_loops.attention_estimates`."""
        return attention_estimates([r["to_a"] for r in self.rounds],
                                   [r["found_a"] for r in self.rounds],
                                   [r["found_b"] for r in self.rounds], PER_ROUND)


def inspection_session(activity, *, random_state=COURSE_SEED, show=True):
    """The learner's rounds, or a simulated department's if they sent none (says which)."""
    def simulate(n, _skip):
        return simulated_rounds(n, random_state=random_state)
    return InspectionSession(work_or_simulated(activity, simulate, expected=N_ROUNDS,
                                               noun="rounds", show=show))


def loop_runs(*, n_runs=400, n_rounds=N_ROUNDS, random_state=COURSE_SEED):
    """The same loop run many times: the urn, uncorrected and corrected, 10 inspections a round."""
    n_rounds = check_int("n_rounds", n_rounds, minimum=1, maximum=2000)
    kw = dict(n_rounds=n_rounds, n_runs=n_runs, per_round=PER_ROUND, prior=PRIOR)
    rng = check_random_state(random_state)
    return {"uncorrected": run_urn(RATES, random_state=rng, **kw),
            "corrected": run_urn(RATES, corrected=True, random_state=rng, **kw)}


def urn_figure(runs, session=None, *, title="Where the attention goes"):
    """The share of inspections sent to A, round by round: many runs of the loop, uncorrected
    and corrected (median and 10–90 % band), the true share 2/3, and the learner's own rounds."""
    import plotly.graph_objects as go

    from ..core import theme
    from ..methods.feedback_loops import corrected_limit, urn_summary

    if not isinstance(runs, dict) or not {"uncorrected", "corrected"} <= set(runs):
        raise CourseTypeError("`runs` must be what loop_runs() returns.")
    fig = theme.figure(title, "round", "share of inspections sent to A")
    colours = {"uncorrected": theme.PALETTE[5], "corrected": theme.PALETTE[2]}
    for name, shares in runs.items():
        s = urn_summary(shares)
        x = list(s["round"] + 1)
        fig.add_trace(go.Scatter(x=x + x[::-1], y=list(s["q90"]) + list(s["q10"])[::-1],
                                 fill="toself", line={"width": 0}, opacity=0.2,
                                 fillcolor=colours[name], hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=x, y=s["q50"], name=f"the loop, {name} (median of "
                                 f"{shares.shape[0]} runs)", line={"color": colours[name]}))
    truth = corrected_limit(*RATES)
    fig.add_hline(y=truth, line_dash="dot", line_color=theme.PALETTE[7],
                  annotation_text=f"A's true share of incidents: {truth:.0%}")
    if session is not None:
        shares = session.shares()
        who = "simulated department" if session.is_simulated else "you"
        fig.add_trace(go.Scatter(x=list(range(1, len(shares) + 1)), y=shares, mode="lines+markers",
                                 name=who, line={"color": theme.SIMULATED if session.is_simulated
                                                 else theme.YOURS, "width": 3}))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return fig


def long_run_figure(*, n_rounds=2000, n_runs=300, random_state=COURSE_SEED):
    """Ensign et al.'s urn, one inspection a round, for many rounds: the runaway and its cure."""
    runs = {"uncorrected": run_urn(RATES, n_rounds=n_rounds, n_runs=n_runs,
                                   random_state=random_state),
            "corrected": run_urn(RATES, n_rounds=n_rounds, n_runs=n_runs, corrected=True,
                                 random_state=random_state)}
    fig = urn_figure(runs, title=f"The same loop for {n_rounds:,} rounds (one inspection a round)")
    fig.update_xaxes(type="log", title_text="round (log scale)")
    return fig


def describe(session):
    """In words: where the learner's attention went, and what the record says, naive and corrected."""
    from ..core.display import HTML

    if not isinstance(session, InspectionSession):
        raise CourseTypeError("`session` must be what inspection_session(...) returns.")
    if not session.rounds:
        return HTML("<p>No rounds yet.</p>")
    est = session.estimates()
    who = "The simulated department" if session.is_simulated else "You"
    last = session.shares()[-1]
    naive = est["naive_share"]
    corr = est["corrected_share"]
    corr_text = (f"{corr:.0%}" if corr is not None else
                 "impossible to say: one neighbourhood was never inspected")
    return HTML(
        f"<p>{escape(who)} sent {est['attention_a']:.0%} of all inspections to A, and "
        f"{last:.0%} in the last round. The record found {est['found_a']} incidents in A and "
        f"{est['found_b']} in B, so A has <b>{naive:.0%}</b> of the incidents found — the "
        "share a department reading its own records would believe. Corrected for where the "
        f"inspectors were sent (incidents found <i>per inspection</i>: A "
        f"{_rate(est['rate_a'])}, B {_rate(est['rate_b'])}), A's share is <b>{corr_text}</b>. "
        "The truth is 67%.</p>")


def _rate(r):
    return "—" if r is None else f"{r:.2f}"
