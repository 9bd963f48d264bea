"""A live view beside the feedback widgets: after every judgment, the reward model is refitted,
the toy model re-tilted toward it, and the figure updated in place.

Examples
--------
>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> from course_lib.methods.toy_assistant import ToyAssistant
>>> ws = Workspace(tempfile.mkdtemp())
>>> live = LiveTuning(ToyAssistant(), ws.activity("part3.pairwise"), ws.activity("part3.passfail"))
>>> live.update()
False
>>> "no judgments yet" in live.summary.value.lower()
True
"""
from __future__ import annotations

import ipywidgets as widgets

from ..core import theme
from ..core.display import escape, notice
from ..core.errors import CourseValueError
from ..core.live_figure import LiveFigure
from ..methods.judgments import pair_table, rating_table
from ..methods.reward_model import BradleyTerryRewardModel
from ..methods.toy_assistant import FEATURE_LABELS
from ..methods.tuning import check_beta, tilted_policy


class LiveTuning:
    """Refit, re-tilt and redraw after each judgment.

    Parameters
    ----------
    model : ToyAssistant
    pairwise, passfail : Activity
        Where the learner's judgments are saved.
    beta : float, default=0.5
        How hard the shown policy is tuned.
    prompt_id : str, default="moon"
        The question whose tuned answer is shown.
    l2 : float, default=1.0
        Ridge penalty of the reward model.
    """

    def __init__(self, model, pairwise, passfail, *, beta=0.5, prompt_id="moon", l2=1.0):
        self.model = model
        self.pairwise = pairwise
        self.passfail = passfail
        self.beta = check_beta(beta)
        self.prompt_id = prompt_id
        self.reward_model = BradleyTerryRewardModel(l2=l2)
        names = [FEATURE_LABELS[f] for f in model.features().columns] + ["shown on the left"]
        figure = theme.figure(
            "What your judgments reward so far", "reward per standard deviation", "feature")
        figure.add_bar(x=[0.0] * len(names), y=names, orientation="h", marker_color=theme.YOURS)
        figure.update_layout(height=300, yaxis=dict(autorange="reversed", title=None),
                             xaxis=dict(range=[-2, 2]))
        self.live = LiveFigure(figure)
        self.figure = self.live.figure
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([self.live.widget, self.summary])
        self.policy_ = None

    def attach(self, *feedback_widgets):
        """Update after every judgment (and undo) made in ``feedback_widgets``."""
        for w in feedback_widgets:
            w.on_judgment(self.update)
        self.update()
        return self

    def update(self, _event=None):
        """Refit, re-tilt, redraw. Returns True if a reward model could be fitted."""
        pairs = pair_table(self.pairwise.effective())
        ratings = rating_table(self.passfail.effective())
        try:
            self.reward_model.fit(self.model.features(), pairs, ratings)
        except CourseValueError as exc:
            self.summary.value = notice(f"No model yet: {exc}")
            return False
        rm = self.reward_model
        self.policy_ = tilted_policy(self.model.reference_policy, rm.reward(), self.beta,
                                     self.model.groups)
        weights = list(rm.weights_) + [rm.position_bias_]
        top = max(2.0, max(abs(w) for w in weights) * 1.1)
        with self.live.batch_update():
            self.figure.data[0].x = weights
            self.figure.layout.xaxis.range = [-top, top]
            self.figure.layout.title.text = (f"What your judgments reward so far "
                                             f"({rm.n_comparisons_ + rm.n_ratings_} judgments)")
        rows = self.model.outputs["prompt_id"] == self.prompt_id
        best = self.policy_[rows].idxmax()
        self.summary.value = (
            f"<div style='margin:4px'>Tuned toward this (β = {self.beta:g}), the model's most "
            f"likely answer to <i>{escape(self.model.prompts[self.prompt_id])}</i> is now "
            f"({self.policy_[best]:.0%}): <b>{escape(self.model.outputs.loc[best, 'text'])}</b>"
            "</div>")
        return True
