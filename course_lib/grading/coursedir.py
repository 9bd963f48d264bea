"""The nbgrader course folder, made from the course notebooks and usable from anywhere.

nbgrader wants ``source/<assignment>/<notebook>.ipynb`` and reads ``nbgrader_config.py`` only
from the current directory. The course keeps its notebooks once, flat, in
``notebooks/NN_slug.ipynb``: each one is an assignment whose id is its stem. A
:class:`CourseFolder` copies them into ``source/`` (the copies are refreshed before every
release, so they are never stale) and runs every nbgrader command *inside* the folder, so
its ``nbgrader_config.py`` is always the one used, whatever directory the instructor is in.

Examples
--------
>>> import tempfile, pathlib
>>> notebooks = pathlib.Path(tempfile.mkdtemp())
>>> _ = (notebooks / "00_hello.ipynb").write_text("{}")
>>> folder = CourseFolder.create(tempfile.mkdtemp(), notebooks=notebooks)
>>> folder.assignments()
['00_hello']
>>> (folder.root / "nbgrader_config.py").exists()
True
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..core.errors import CourseValueError
from . import config as course_config

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: Student ids become folder names: keep them plain.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")
ENV_COURSE_DIR = "COURSE_DIR"
ENV_NOTEBOOKS = "COURSE_NOTEBOOKS"

_CONFIG_TEMPLATE = '''\
"""nbgrader settings of this course folder, written by `course init`.

nbgrader reads this file only when it runs in this folder; the `course` command always does.
Edit the values below (time and memory limits, exchange folder), not the lines around them.
"""
from pathlib import Path

from course_lib.grading.config import configure

configure(
    get_config(),  # noqa: F821 - provided by nbgrader when it reads this file
    root=Path(__file__).resolve().parent,
    course_id={course_id!r},
    notebooks={notebooks!r},
    timeout={timeout!r},        # seconds one cell may run while autograding
    memory_mb={memory_mb!r},    # address-space cap of a grading kernel, MiB
    no_network={no_network!r},  # True: grading kernels get no network (Linux)
    exchange={exchange!r},      # nbgrader exchange folder (JupyterHub / shared machine)
)
'''


def repository_root():
    """The course repository this ``course_lib`` was installed from, or None."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "notebooks").is_dir() else None


def default_notebooks():
    """``$COURSE_NOTEBOOKS``, else the repository's ``notebooks/``, else ``./notebooks``."""
    if os.environ.get(ENV_NOTEBOOKS):
        return Path(os.environ[ENV_NOTEBOOKS]).resolve()
    repo = repository_root()
    return (repo / "notebooks") if repo else Path.cwd() / "notebooks"


def default_course_dir():
    """``$COURSE_DIR``, else ``course-dir/`` in the repository (ignored by git)."""
    if os.environ.get(ENV_COURSE_DIR):
        return Path(os.environ[ENV_COURSE_DIR]).resolve()
    repo = repository_root()
    return (repo / "course-dir") if repo else Path.cwd() / "course-dir"


def check_student_id(student):
    """Return ``student`` if it is a safe folder name, else raise CourseValueError."""
    if not isinstance(student, str) or not STUDENT_ID.match(student) or student in (".", ".."):
        raise CourseValueError(
            f"A student id must be 1-64 letters, digits or . _ @ + - (starting with a letter or "
            f"digit); got {student!r}.")
    return student


class CourseFolder:
    """An nbgrader course folder (``source/``, ``release/``, ``submitted/``, ...).

    Parameters
    ----------
    root : str or Path
        The folder; it must hold an ``nbgrader_config.py`` (see :meth:`create`).
    """

    def __init__(self, root):
        self.root = Path(root).resolve()
        if not (self.root / "nbgrader_config.py").is_file():
            raise CourseValueError(
                f"{self.root} is not a course folder (it has no nbgrader_config.py). Make one "
                f"with `course init {self.root}`.")
        self.config = course_config.load(self.root)
        grading = self.config.get("CourseGrading", {})
        self.notebooks = Path(grading.get("notebooks") or default_notebooks())
        self.timeout = int(grading.get("timeout") or course_config.DEFAULT_TIMEOUT)
        self.course_id = self.config.CourseDirectory.get("course_id", course_config.COURSE_ID)
        self.exchange = self.config.get("Exchange", {}).get("root")

    def __repr__(self):
        return f"CourseFolder({str(self.root)!r})"

    @classmethod
    def create(cls, root, *, notebooks=None, course_id=course_config.COURSE_ID,
               timeout=course_config.DEFAULT_TIMEOUT,
               memory_mb=course_config.DEFAULT_MEMORY_MB, no_network=False, exchange=None,
               overwrite=False):
        """Make (or reuse) a course folder at ``root`` and return it.

        An existing ``nbgrader_config.py`` is kept unless ``overwrite=True``.
        """
        root = Path(root).resolve()
        root.mkdir(parents=True, exist_ok=True)
        cfg = root / "nbgrader_config.py"
        if overwrite or not cfg.exists():
            notebooks = Path(notebooks or default_notebooks()).resolve()
            cfg.write_text(_CONFIG_TEMPLATE.format(
                course_id=course_id, notebooks=str(notebooks), timeout=int(timeout),
                memory_mb=int(memory_mb), no_network=bool(no_network),
                exchange=str(Path(exchange).resolve()) if exchange else None), encoding="utf-8")
        return cls(root)

    @classmethod
    def open(cls, root=None, *, create=True, **settings):
        """The course folder at ``root`` (default :func:`default_course_dir`), made if needed."""
        root = Path(root).resolve() if root else default_course_dir()
        if create and not (root / "nbgrader_config.py").exists():
            return cls.create(root, **settings)
        return cls(root)

    # -- notebooks and assignments ----------------------------------------------------------
    def source_notebooks(self):
        """``{assignment id: path}`` of the course notebooks (the sources, with solutions)."""
        if not self.notebooks.is_dir():
            raise CourseValueError(f"There is no notebooks folder at {self.notebooks}. Pass "
                                   "--notebooks or set it in the course folder's "
                                   "nbgrader_config.py.")
        return {p.stem: p for p in sorted(self.notebooks.glob(NOTEBOOK_GLOB))}

    def assignments(self, wanted=None):
        """Assignment ids, all or the ``wanted`` ones (ids or unique prefixes like ``00``)."""
        known = list(self.source_notebooks())
        if not wanted:
            return known
        out = []
        for w in wanted:
            hits = [a for a in known if a == w] or [a for a in known if a.startswith(w)]
            if len(hits) != 1:
                raise CourseValueError(f"Unknown or ambiguous assignment {w!r}; the course has "
                                       f"{known}.")
            out.append(hits[0])
        return out

    def sync_sources(self, assignments=None):
        """Copy each notebook to ``source/<id>/<id>.ipynb`` if it changed; return the ids copied."""
        changed = []
        sources = self.source_notebooks()
        for aid in self.assignments(assignments):
            dest = self.root / "source" / aid / f"{aid}.ipynb"
            if dest.exists() and filecmp.cmp(sources[aid], dest, shallow=False):
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sources[aid], dest)
            changed.append(aid)
        return changed

    # -- paths ------------------------------------------------------------------------------
    def path(self, step, student, assignment):
        """``<root>/<step>/<student>/<assignment>`` (nbgrader's layout)."""
        return self.root / step / student / assignment

    def release_notebook(self, assignment):
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    def submitted_students(self, assignment):
        """Student ids with a submission of ``assignment`` in ``submitted/``."""
        base = self.root / "submitted"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir()
                      if (p / assignment).is_dir() and STUDENT_ID.match(p.name))

    @property
    def db_url(self):
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def gradebook(self):
        """nbgrader's ``Gradebook`` of this course (use as a context manager)."""
        from nbgrader.api import Gradebook
        os.environ["PATH"] = _path_with_venv()  # nbgrader runs `alembic` from PATH
        return Gradebook(self.db_url, self.course_id)

    def reports_dir(self, assignment):
        path = self.root / "reports" / assignment
        path.mkdir(parents=True, exist_ok=True)
        return path

    # -- running nbgrader -------------------------------------------------------------------
    def nbgrader(self, *args, env=None, timeout=None, log=None):
        """Run ``nbgrader ARGS`` inside the folder; return ``(returncode, output text)``.

        With ``timeout`` (seconds), nbgrader and every process it started (kernels included)
        are killed when it runs out; the return code is then ``None``.
        """
        cmd = [sys.executable, "-m", "nbgrader", *map(str, args)]
        full_env = {**os.environ, **(env or {}), "PATH": _path_with_venv()}
        with open(log, "w", encoding="utf-8") if log else _Discard() as out:
            proc = subprocess.Popen(cmd, cwd=self.root, env=full_env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, errors="replace")
            try:
                text, _ = proc.communicate(timeout=timeout)
                code = proc.returncode
            except subprocess.TimeoutExpired:
                kill_tree(proc.pid)
                text, _ = proc.communicate()
                code = None
            out.write(text)
        return code, text


def _path_with_venv():
    """PATH with this Python's bin folder first (nbgrader runs the `alembic` script)."""
    here = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join([here] + [p for p in parts if p != here])


class _Discard:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, _):
        pass


def kill_tree(pid):
    """Kill process ``pid`` and all its descendants (kernels start their own sessions)."""
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    procs = parent.children(recursive=True) + [parent]
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=5)
