"""nbgrader settings of the course, for nbgrader run from the repository root.

The settings themselves live in course_lib.grading.config (one code stub, the autograder's
time and memory limits, feedback without hidden tests); every course folder made by
`course init` calls the same function. Run from here, nbgrader (and JupyterLab's formgrader)
uses the course folder course-dir/ (or $COURSE_DIR) with the notebooks in notebooks/.
Instructors normally use the `course` command, which works from any directory.
"""
import os
from pathlib import Path

from course_lib.grading.config import configure

HERE = Path(__file__).resolve().parent
configure(
    get_config(),  # noqa: F821 - provided by nbgrader when it reads this file
    root=os.environ.get("COURSE_DIR") or HERE / "course-dir",
    notebooks=HERE / "notebooks",
)
