"""The README's first command: ``./start-course`` opens JupyterLab on the welcome notebook.

The script runs from a copy of the files it uses, with ``COURSE_VENV`` pointing at the test
environment (already installed, so nothing is downloaded). The address it prints and the page a
browser lands on must both be the welcome notebook, with its kernel running.
"""
import shutil
import sys
from pathlib import Path

import pytest
from harness import ROOT, JupyterServer

WELCOME = "/lab/tree/00_welcome.ipynb"
FILES = ("start-course", "tools/venv.sh", "requirements.txt", "requirements-test.txt",
         "pyproject.toml")


def _stamp_is_current():
    """tools/venv.sh's test of the install stamp: ``./start-course`` reinstalls otherwise."""
    import hashlib

    def digest(req):
        text = b"".join((ROOT / f).read_bytes() for f in ("requirements.txt", req, "pyproject.toml"))
        return hashlib.sha256(text).hexdigest()[:16]
    stamp = Path(sys.prefix) / ".course-installed"
    have = stamp.read_text().strip() if stamp.exists() else ""
    return have in (digest("requirements.txt"), digest("requirements-test.txt")), have


@pytest.mark.slow
def test_start_course_opens_the_welcome_notebook(context, tmp_path):
    # the copy runs with COURSE_VENV = this (shared) venv: with a stale stamp it would
    # reinstall the course package editable from the temporary copy, which has no course_lib,
    # and every kernel in this venv would then fail with "No module named 'course_lib'"
    current, have = _stamp_is_current()
    if not current:
        pytest.fail(f"the install stamp of {sys.prefix} ({have or 'none'}) is not current for "
                    "requirements.txt/pyproject.toml; run ./run-tests (or tools/venv.sh) to "
                    "reinstall from the repository. Not running ./start-course, which would "
                    "reinstall this venv from a temporary copy.", pytrace=False)
    repo = tmp_path / "course"
    for name in FILES:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(ROOT / "notebooks", repo / "notebooks",
                    ignore=shutil.ignore_patterns("my_work", ".ipynb_checkpoints"))
    server = JupyterServer(repo / "notebooks", tmp_path / "state",
                           launcher=[str(repo / "start-course")],
                           extra_env={"COURSE_VENV": sys.prefix})
    try:
        server.start()
        log = server.log_text()
        assert "Installing the pinned course stack" not in log, "a current install was redone"
        assert f"127.0.0.1:{server.port}{WELCOME}?token=" in log, \
            "the printed address should open the welcome notebook:\n" + log[-2000:]
        page = context.new_page()
        page.goto(server.url("/"))
        page.wait_for_url(f"**{WELCOME}**", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", state="attached", timeout=60_000)
        assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") \
            == Path(WELCOME).name
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session
                      && w.sessionContext.session.kernel;
            return k && k.status === 'idle'; }""", timeout=60_000)
    finally:
        server.stop()
