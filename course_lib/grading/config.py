"""The course's nbgrader settings, in one place.

Every ``nbgrader_config.py`` of the course (the repository's, and the one ``course init``
writes into each course folder) is two lines that call :func:`configure`. So the code stub,
the autograder's limits and the feedback's safety rules are the same everywhere.

nbgrader reads ``nbgrader_config.py`` only from the *current* directory; the ``course``
command therefore always runs nbgrader inside the course folder.

Examples
--------
>>> from traitlets.config import Config
>>> c = configure(Config(), root="/tmp/course", timeout=20)
>>> c.CourseDirectory.root, c.RobustExecute.timeout
('/tmp/course', 20)
>>> "raise NotImplementedError" in c.ClearSolutions.code_stub["python"]
True
"""
from __future__ import annotations

from pathlib import Path

from .sandbox import DEFAULT_MEMORY_MB

COURSE_ID = "human-labor-in-ml"
#: The one code stub of the whole course: what replaces a solution in the student version.
CODE_STUB = ('# YOUR CODE HERE: replace this line and the next with your answer.\n'
             'raise NotImplementedError("Exercise not answered yet: write your code here, '
             'run this cell, then run the check below.")')
#: What replaces a model answer to a written reflection.
TEXT_STUB = "YOUR ANSWER HERE"
#: Seconds one cell may run during autograding before it is interrupted.
DEFAULT_TIMEOUT = 60
EXECUTE = "course_lib.grading.execute.RobustExecute"
FEEDBACK_PREPROCESSORS = [
    "nbgrader.preprocessors.GetGrades",
    "course_lib.grading.feedback.HideTestTracebacks",
    "course_lib.grading.feedback.UntrustedOutputs",
    "nbgrader.preprocessors.ClearHiddenTests",
    "course_lib.grading.feedback.EscapeLearnerMarkdown",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]


def configure(c, *, root=None, course_id=COURSE_ID, notebooks=None, timeout=DEFAULT_TIMEOUT,
              memory_mb=DEFAULT_MEMORY_MB, no_network=False, exchange=None,
              isolation="auto"):
    """Put the course's nbgrader settings into the traitlets config ``c`` and return it.

    Parameters
    ----------
    c : traitlets.config.Config
        ``get_config()`` inside an ``nbgrader_config.py``.
    root : str or Path, optional
        The nbgrader course folder (``source/``, ``release/``, ``submitted/``, ...).
    course_id : str, default=COURSE_ID
        The course id used by nbgrader's exchange (JupyterHub).
    notebooks : str or Path, optional
        The folder of the course notebooks (the sources, with solutions).
    timeout : int, default=DEFAULT_TIMEOUT
        Seconds a cell may run while autograding.
    memory_mb : int, default=DEFAULT_MEMORY_MB
        Address-space cap of a grading kernel, MiB (0: none).
    no_network : bool, default=False
        Run grading kernels with no network (Linux network namespace).
    exchange : str or Path, optional
        nbgrader's exchange folder (shared by instructor and students on one machine or hub).
    isolation : {"auto", "user", "namespace", "none"}, default="auto"
        How grading kernels are kept away from the gradebook, the sources and the installed
        packages (see :mod:`course_lib.grading.sandbox`); "auto" picks the strongest.
    """
    if root is not None:
        c.CourseDirectory.root = str(Path(root).resolve())
    c.CourseDirectory.course_id = course_id
    # one code stub and one text stub for the whole course
    c.ClearSolutions.code_stub = {"python": CODE_STUB}
    c.ClearSolutions.text_stub = TEXT_STUB
    # autograding: a dead or stuck kernel fails a cell, never the whole submission
    c.Autograde.autograde_preprocessors = [
        EXECUTE,
        "nbgrader.preprocessors.IgnorePattern",
        "nbconvert.preprocessors.ClearMetadataPreprocessor",
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.RobustExecute.timeout = int(timeout)
    c.RobustExecute.shutdown_kernel = "immediate"  # a graceful shutdown costs ~3 s each
    c.LimitedKernelManager.memory_limit_mb = int(memory_mb)
    c.LimitedKernelManager.no_network = bool(no_network)
    # the kernel runs student code: it must not see the course folder (gradebook, sources
    # with hidden tests, other students), the notebooks or the exchange
    c.LimitedKernelManager.isolation = str(isolation)
    repo_notebooks = Path(__file__).resolve().parents[2] / "notebooks"
    c.LimitedKernelManager.hide_paths = [str(Path(p).resolve()) for p in
                                         (root, notebooks, exchange, repo_notebooks) if p]
    # a deleted test cell comes back (and runs) instead of silently costing its points
    c.OverwriteCells.add_missing_cells = True
    # feedback: per-cell scores, no hidden tests, every output untrusted, learner text as text
    c.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)
    if exchange is not None:
        c.Exchange.root = str(Path(exchange).resolve())
    # our own settings (ignored by nbgrader): where the sources are, grading limits
    c.CourseGrading.notebooks = str(Path(notebooks).resolve()) if notebooks else ""
    c.CourseGrading.timeout = int(timeout)
    return c


def load(course_dir):
    """The traitlets ``Config`` of the course folder (its ``nbgrader_config.py``)."""
    from traitlets.config.loader import PyFileConfigLoader

    loader = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir))
    return loader.load_config()
