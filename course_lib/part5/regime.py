"""Part 5, section 2: the learner's choice — replace, accumulate, and how much fresh human data.

:class:`RegimeChooser` runs a model retrained on its own output one generation at a time. Before
each generation the learner chooses **replace** (train only on the newest data) or
**accumulate** (keep everything so far), and the **share of fresh human data** mixed into the
new data. Every generation run is saved at once to activity ``part5.regime`` (item ``g01``,
``g02`` ..., value ``{"mode", "fresh"}``); Backspace or *Undo* takes the last one back.

The live figure follows two models of the learner's own data under their choices, next to
pure replacement: a Gaussian fitted to their part-2 ratings (its variance) and the words of their
part-1 corpus resampled (how many distinct words are left). The later sections read the saved
choices with :func:`your_schedule` and run the bigger models under them.

Keys (click the dashed box first): **r** replace, **a** accumulate, **0**–**9** fresh share
0–90 % (**f** for 100 %), **↑**/**↓** ±10 %, **Enter** runs the next generation, **Backspace**
undoes the last one.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> act = Workspace(tempfile.mkdtemp()).activity("part5.regime")
>>> w = RegimeChooser(act, numbers=[0.0, 1.0, 2.0, 3.0], words=["a", "b", "b", "c"])
>>> _ = w.press("a"), w.press("2"), w.press("Enter")
>>> [s.label for s in w.steps]
['accumulate, 20% fresh']
>>> act.current()["g01"].value == {"mode": "accumulate", "fresh": 0.2}
True
"""
from __future__ import annotations

import time

import numpy as np

from ..core.activities import PART5_REGIME
from ..core.errors import CourseValueError
from ..core.session import COURSE_SEED
from ..core.validation import (
    check_array,
    check_choice,
    check_flag,
    check_has,
    check_int,
    check_list,
)
from ..methods.collapse import (
    MAX_GENERATIONS,
    MODES,
    GaussianModel,
    Step,
    WordResampler,
    check_fraction,
    replace_schedule,
    retrain,
)
from ..widgets.base import ActivityPanel
from .learner_data import LearnerData

ACTIVITY = PART5_REGIME
#: Generations the learner chooses for.
GENERATIONS = 10
KEYS = ["r", "a", "f", "Enter", "Backspace", "ArrowUp", "ArrowDown"] + [str(d) for d in range(10)]
#: What the simulated learner chooses when nobody has: replace, with 20% fresh human data.
SIMULATED_STEP = Step("replace", 0.2)


def _item(t):
    return f"g{t:02d}"


def saved_steps(activity):
    """The learner's saved choices, generation 1, 2, ... while they run without a gap."""
    check_has("activity", activity, ["current"], what="course.activity('part5.regime')")
    current = activity.current()
    steps = []
    for t in range(1, GENERATIONS + 1):
        e = current.get(_item(t))
        v = getattr(e, "value", None)
        if not isinstance(v, dict) or v.get("mode") not in MODES:
            break
        try:
            steps.append(Step(v["mode"], v.get("fresh", 0.0)))
        except (TypeError, ValueError):
            break
    return steps


def your_schedule(activity, *, generations=GENERATIONS, show=True):
    """The schedule later sections use: the learner's choices, or a simulated learner's.

    A learner who chose for fewer than ``generations`` generations has their last choice
    carried on for the rest (the message says so).

    Returns
    -------
    LearnerData
        ``values`` is a list of :class:`~course_lib.methods.collapse.Step`.
    """
    generations = check_int("generations", generations, minimum=1, maximum=100)
    show = check_flag("show", show)
    own = saved_steps(activity)
    if own:
        steps = (own + [own[-1]] * generations)[:generations]
        more = ("" if len(own) >= generations else
                f"; your last choice ({own[-1].label}) carries on for generations "
                f"{len(own) + 1}–{generations}")
        data = LearnerData(steps, False, f"Using your choices for {min(len(own), generations)} "
                           f"generation(s){more}.")
    else:
        data = LearnerData([SIMULATED_STEP] * generations, True,
                           f"Using a simulated learner's choices ({SIMULATED_STEP.label}, every "
                           f"generation): you have chosen for 0 of {generations} generations — "
                           "use the chooser above and re-run to use yours.")
    if show:
        from ..core.simulated import _show
        _show(data)
    return data


def _curves(numbers, word_ids, steps, random_state):
    """Variance share and distinct-word share, generation 0..len(steps)."""
    g = retrain(GaussianModel(), numbers, steps, n_samples=len(numbers),
                measure=lambda m, d: {"v": m.var_}, random_state=random_state).table["v"]
    w = retrain(WordResampler(), word_ids, steps, n_samples=len(word_ids),
                measure=lambda m, d: {"k": len(m.counts_)}, random_state=random_state).table["k"]
    v0 = g.iloc[0] or 1.0
    return (g / v0).tolist(), (w / w.iloc[0]).tolist()


def _check_curves(name, curves):
    """``(variance shares, word shares)``: two lists of numbers, one number per generation."""
    what = "(variance shares, word shares): two lists of numbers, one per generation"
    curves = check_list(name, curves, what=what)
    if len(curves) != 2:
        raise CourseValueError(f"`{name}` must be {what}; got {len(curves)} part(s).")
    return [check_array(f"{name}[{i}]", c).tolist() for i, c in enumerate(curves)]


def regime_figure(yours, replace, *, generations=GENERATIONS, simulated=False):
    """Variance and distinct words (shares of generation 0): your choices against pure replacement.

    ``yours`` and ``replace`` are ``(variance shares, word shares)`` per generation.
    """
    import plotly.graph_objects as go

    from ..core import theme

    yours, replace = _check_curves("yours", yours), _check_curves("replace", replace)
    generations = check_int("generations", generations, minimum=1, maximum=MAX_GENERATIONS)
    simulated = check_flag("simulated", simulated)
    fig = theme.figure("What your choices keep: spread of your numbers, words of your corpus",
                       "generation", "share of generation 0", height=420)
    colour = theme.SIMULATED if simulated else theme.YOURS
    names = ("simulated choices" if simulated else "your choices")
    for (label, dash), ys, yr in zip((("variance of the Gaussian", "solid"),
                                      ("distinct words", "dot")), yours, replace):
        fig.add_trace(go.Scatter(x=list(range(len(yr))), y=yr, mode="lines",
                                 name=f"{label}: pure replacement", line=dict(
                                     color=theme.PALETTE[7], dash=dash)))
        fig.add_trace(go.Scatter(x=list(range(len(ys))), y=ys, mode="lines+markers",
                                 name=f"{label}: {names}", line=dict(color=colour, dash=dash)))
    fig.update_xaxes(range=[-0.3, generations + 0.3], dtick=1)
    fig.update_yaxes(rangemode="tozero")
    return fig


class RegimeChooser(ActivityPanel):
    """Choose replace/accumulate and a fresh-data share, then run the next generation.

    Parameters
    ----------
    activity : Activity
        ``course.activity("part5.regime")``: every generation run is saved there.
    numbers : array of float
        The learner's numbers (their part-2 ratings) for the Gaussian.
    words : list of str
        The words of their part-1 corpus, resampled.
    generations : int, default=10
    random_state : int, default=COURSE_SEED

    Attributes
    ----------
    steps : list of Step
        The generations run so far (restored from the workspace).
    mode : str
    fresh : float
        The choice for the next generation.
    timings_ms : list of float
        How long each action took (record + rerun + redraw).
    """

    EVENTS = ("generation",)

    def __init__(self, activity, *, numbers, words, generations=GENERATIONS,
                 random_state=COURSE_SEED, simulated=False):
        import ipywidgets as widgets

        from ..core.live_figure import LiveFigure
        from ..widgets.keyboard import KeyCatcher

        self.activity = check_has("activity", activity, ["record", "current", "undo"],
                                  what="course.activity('part5.regime')")
        self.numbers = check_array("numbers", getattr(numbers, "values", numbers), min_len=2)
        words = check_list("words", getattr(words, "values", words), what="a list of words")
        if not words:
            raise CourseValueError("`words` is empty: the chooser needs the words of a corpus.")
        _, self.word_ids = np.unique(np.asarray(words, dtype=object).astype(str),
                                     return_inverse=True)
        self.word_ids = [int(i) for i in self.word_ids]
        self.generations = check_int("generations", generations, minimum=1, maximum=50)
        self.random_state = random_state
        self.simulated = simulated
        self.steps = saved_steps(activity)[: self.generations]
        last = self.steps[-1] if self.steps else Step()
        self.mode, self.fresh = last.mode, last.fresh
        self.timings_ms = []
        self._quiet = False
        self.replace = _curves(self.numbers, self.word_ids, replace_schedule(self.generations),
                               random_state)

        self.mode_buttons = widgets.ToggleButtons(options=[("replace [r]", "replace"),
                                                           ("accumulate [a]", "accumulate")],
                                                  value=self.mode, description="Train on")
        self.fresh_slider = widgets.IntSlider(value=int(round(self.fresh * 100)), min=0, max=100,
                                              step=10, description="fresh human %",
                                              continuous_update=False,
                                              style={"description_width": "8em"})
        self.run_button = widgets.Button(description="Run next generation [Enter]",
                                         button_style="primary",
                                         layout=widgets.Layout(width="16em"))
        self.undo_button = widgets.Button(description="Undo last [Backspace]",
                                          layout=widgets.Layout(width="14em"))
        self.keys = KeyCatcher(catch_keys=KEYS, prompt="⌨ Click here to choose with the keyboard",
                               active_prompt="⌨ r/a · 0–9 fresh % · Enter runs · Backspace undoes")
        self.mode_buttons.add_class("course-regime-mode")
        self.fresh_slider.add_class("course-regime-fresh")
        self.run_button.add_class("course-regime-run")
        self.undo_button.add_class("course-regime-undo")
        self.status = widgets.HTML()
        self.status.add_class("course-regime-status")
        self.mode_buttons.observe(lambda c: self._from_page(lambda: self._set_mode(c["new"])),
                                  names="value")
        self.fresh_slider.observe(lambda c: self._from_page(
            lambda: self._set_fresh(c["new"] / 100)), names="value")
        self.run_button.on_click(lambda _b: self._from_page(self._run_and_refocus))
        self.undo_button.on_click(lambda _b: self._from_page(self._undo_and_refocus))
        self.keys.on_key(lambda key: self._from_page(lambda: self._key(key)))
        self.live = LiveFigure(self._figure())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Generation by generation: what does the next model train on?</b>"),
            self.mode_buttons, self.fresh_slider,
            widgets.HBox([self.run_button, self.undo_button]), self.keys, self.live.widget,
            self.status])
        self._draw_status()

    # -- the actions (buttons, keys and code all come here) ------------------------------------
    def on_generation(self, callback):
        """Call ``callback(event)`` after each generation is run (``None`` after an undo)."""
        self._add_listener("generation", callback)

    def press(self, key):
        """Act as if ``key`` was pressed in the keyboard box; returns whether it was caught."""
        with self._driven_from_code():
            return self.keys.press(key)

    def choose(self, mode=None, fresh=None):
        """Set the choice for the next generation (what the toggle and the slider do)."""
        with self._driven_from_code():
            if mode is not None:
                self._set_mode(check_choice("mode", mode, MODES))
            if fresh is not None:
                self._set_fresh(check_fraction("fresh", fresh))

    def run_generation(self):
        """Run the next generation with the current choice and save it; returns its time in ms."""
        with self._driven_from_code():
            return self._run()

    def undo(self):
        """Take the last generation back (saved as an undo); returns the time in ms."""
        with self._driven_from_code():
            return self._undo()

    # -- internals ---------------------------------------------------------------------------
    def _key(self, key):
        if key in ("r", "a"):
            self._set_mode("replace" if key == "r" else "accumulate")
        elif key.isdigit():
            self._set_fresh(int(key) / 10)
        elif key == "f":
            self._set_fresh(1.0)
        elif key in ("ArrowUp", "ArrowDown"):
            self._set_fresh(min(1.0, max(0.0, self.fresh + (0.1 if key == "ArrowUp" else -0.1))))
        elif key == "Enter":
            self._run()
        elif key == "Backspace":
            self._undo()

    def _set_mode(self, mode):
        self.mode = mode
        if self.mode_buttons.value != mode:
            self.mode_buttons.value = mode
        self._draw_status()

    def _set_fresh(self, fresh):
        self.fresh = round(float(fresh), 2)
        if self.fresh_slider.value != int(round(self.fresh * 100)):
            self.fresh_slider.value = int(round(self.fresh * 100))
        self._draw_status()

    def _run_and_refocus(self):
        self._run()
        self.keys.focus()

    def _undo_and_refocus(self):
        self._undo()
        self.keys.focus()

    def _run(self):
        start = time.perf_counter()
        if len(self.steps) >= self.generations:
            raise CourseValueError(f"All {self.generations} generations are run. Undo the last "
                                   "one (Backspace) to choose it again.")
        step = Step(self.mode, self.fresh)
        event = self.activity.record(_item(len(self.steps) + 1),
                                     {"mode": step.mode, "fresh": step.fresh}, kind="choice")
        self.steps.append(step)
        self._redraw()
        self.timings_ms.append((time.perf_counter() - start) * 1000)
        self._emit("generation", event)
        return self.timings_ms[-1]

    def _undo(self):
        start = time.perf_counter()
        if not self.steps:
            raise CourseValueError("There is no generation to undo yet.")
        self.activity.undo()
        self.steps = saved_steps(self.activity)[: self.generations]
        self._redraw()
        self.timings_ms.append((time.perf_counter() - start) * 1000)
        self._emit("generation", None)
        return self.timings_ms[-1]

    def curves(self):
        """``(variance shares, word shares)`` under the generations run so far."""
        if not self.steps:
            return [1.0], [1.0]
        return _curves(self.numbers, self.word_ids, self.steps, self.random_state)

    def _figure(self):
        return regime_figure(self.curves(), self.replace, generations=self.generations,
                             simulated=self.simulated)

    def _redraw(self):
        yours = self.curves()
        with self.live.batch_update() as fig:
            for i, ys in enumerate(yours):
                fig.data[2 * i + 1].x = list(range(len(ys)))
                fig.data[2 * i + 1].y = ys
        self._draw_status()

    def _draw_status(self):
        from ..core.display import escape

        n = len(self.steps)
        done = ("" if not n else
                f" · last run: {escape(self.steps[-1].label)} · variance now "
                f"{self.live_values()[0]:.0%} of the start, distinct words "
                f"{self.live_values()[1]:.0%}" if hasattr(self, "live") else "")
        nxt = ("all generations run" if n >= self.generations else
               f"next: generation {n + 1} — {escape(Step(self.mode, self.fresh).label)}")
        self.status.value = f"Saved {n} of {self.generations} generations · {nxt}{done}"

    def live_values(self):
        """The last point of the two curves drawn for your choices."""
        data = self.live.figure.data
        return data[1].y[-1], data[3].y[-1]
