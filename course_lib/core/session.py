"""``course_lib.setup``: the one call at the top of every notebook.

It registers the course's figure template, picks plotly renderers that work offline in
JupyterLab, Notebook 7 and exported HTML (plotly.js is embedded from the installed package,
never loaded from a CDN), fixes the course seed and opens the learner's workspace.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .validation import check_int

#: The course-wide seed: simulated learners and shuffles start from it.
COURSE_SEED = 2024
#: Renderers: JupyterLab / Notebook 7 draw the plotly mimetype; nbconvert and nbgrader's
#: feedback HTML use the text/html copy, which carries plotly.js inline (no internet needed).
RENDERERS = "plotly_mimetype+course_offline_html"
PARTS = {
    0: "Welcome: the labor ledger",
    1: "Generating data",
    2: "Labeling data",
    3: "Teaching models",
    4: "Why it matters: bias",
    5: "Is data renewable? Model collapse",
    6: "Your model changes the world",
    7: "They're just us",
}


@dataclass
class Course:
    """What :func:`setup` returns: the part, the seed and the learner's workspace."""

    part: int
    seed: int
    workspace: object

    def activity(self, name):
        """The learner's saved work for activity ``name`` (one of :data:`~course_lib.core.activities.ACTIVITIES`).

        Unlike :meth:`Workspace.activity <course_lib.core.workspace.Workspace.activity>`, an id
        the course does not know is refused, with the closest known id suggested: a typo would
        otherwise open an empty activity and show simulated work forever.
        """
        from .activities import check_activity_id
        return self.workspace.activity(check_activity_id(name))

    def _repr_html_(self):
        from .display import escape
        saved = self.workspace.count()
        return (f"<div style='font-size:0.95em'><b>Human Labor in ML</b> · part {self.part}: "
                f"{escape(PARTS.get(self.part, ''))}<br>Your work is saved as you go in "
                f"<code>{escape(self.workspace.path)}</code> ({saved} action(s) so far). "
                "Nothing you do here is lost if the kernel stops.</div>")

    def __repr__(self):
        return (f"Course(part={self.part}, seed={self.seed}, "
                f"workspace={str(self.workspace.path)!r})")


def setup(part, *, seed=COURSE_SEED, workspace=None, renderers=RENDERERS):
    """Prepare a notebook of the course and return a :class:`Course`.

    Parameters
    ----------
    part : int
        Which part of the course (0–7) this notebook is.
    seed : int, default=COURSE_SEED
        The notebook's one seed, kept as ``course.seed``; cells pass it on as
        ``random_state=course.seed``. It stays called ``seed`` (not ``random_state``) because
        ``setup`` is not an estimator: it takes no Generator and draws nothing itself, it
        *fixes* the course's seed (and seeds numpy's legacy global generator for third-party
        code that ignores ``random_state``). Every function or model that draws random numbers
        takes ``random_state``.
    workspace : str, Path or Workspace, optional
        Where the learner's work is saved; default ``my_work`` next to the notebook.
    renderers : str, default=RENDERERS
        plotly renderers to use.

    Examples
    --------
    >>> import tempfile
    >>> course = setup(part=0, workspace=tempfile.mkdtemp())
    >>> course.part, course.seed
    (0, 2024)
    """
    import numpy as np
    import plotly.io as pio

    from . import theme
    from .errors import WorkspaceError
    from .workspace import Workspace

    check_int("part", part, minimum=0, maximum=max(PARTS))
    seed = check_int("seed", seed, minimum=0)
    theme.register()
    register_offline_renderer()
    from .errors import CourseValueError
    from .validation import check_text
    check_text("renderers", renderers)
    try:
        pio.renderers.default = renderers
    except ValueError as exc:
        raise CourseValueError(f"`renderers` must be plotly renderer names joined by '+', e.g. "
                               f"{RENDERERS!r}; got {renderers[:60]!r} ({exc}).") from None
    np.random.seed(seed)  # only for third-party code that ignores random_state
    try:
        ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    except WorkspaceError as exc:
        if not os.environ.get("NBGRADER_EXECUTION"):
            raise
        # nbgrader is grading: a damaged workspace must not zero every exercise. Grade with an
        # empty one (simulated work) and say so; the damaged file is left as it was.
        import tempfile
        import warnings
        warnings.warn(f"Grading with an empty workspace because the saved one is unusable: {exc}")
        ws = Workspace(tempfile.mkdtemp(prefix="course-grading-"))
    return Course(part=part, seed=seed, workspace=ws)


def register_offline_renderer():
    """Register ``course_offline_html``: plotly's ``notebook`` renderer, minus the MathJax ``<script>`` it loads from a CDN."""
    import re

    import plotly.io as pio
    from plotly.io._base_renderers import NotebookRenderer

    if "course_offline_html" in pio.renderers:
        return

    class OfflineNotebookRenderer(NotebookRenderer):
        _CDN_SCRIPT = re.compile(r'<script src="https?://[^"]*mathjax[^"]*"></script>')

        def to_mimebundle(self, fig_dict):
            bundle = super().to_mimebundle(fig_dict)
            bundle["text/html"] = self._CDN_SCRIPT.sub("", bundle["text/html"])
            return bundle

    pio.renderers["course_offline_html"] = OfflineNotebookRenderer(connected=False)
