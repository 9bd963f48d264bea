"""Binder: the set-up script works in a fresh environment, and a server started the way Binder
starts it opens JupyterLab on the welcome notebook, student versions, student-side nbgrader
only, no news pop-up.

The environment is built, once, when the first of these tests needs it, by
``binder_prep.py``: a copy of the repository as ``$HOME``, a fresh venv with the pinned stack
installed offline from the wheelhouse, then ``postBuild``. (``tests/test_pins.py`` checks that
``environment.yml`` lists exactly the pins of ``requirements.txt``.)
"""
import json
import subprocess
import urllib.error
import urllib.request

import nbformat
import pytest
from harness import NOTEBOOKS, JupyterServer

WELCOME = "/lab/tree/notebooks/00_welcome.ipynb"
#: The first of these tests waits for the Binder-like build (conftest.BINDER_BUILD_TIMEOUT),
#: which on a busy machine takes longer than pytest's default 600 s per test.
pytestmark = pytest.mark.timeout(1800)
NBGRADER_TEACHER_SIDE = ("formgrader", "create-assignment", "course-list")


def _prefix(python):
    return python.parent.parent


def test_postbuild_makes_a_student_environment(binder_build):
    repo, python, log = binder_build
    prefix = _prefix(python)
    # the course package is installed (import from outside the repository, as a kernel would)
    out = subprocess.run([str(python), "-c", "import course_lib, sys; print(course_lib.__file__)"],
                         cwd="/", capture_output=True, text=True, check=True).stdout
    assert str(repo) in out, "course_lib should be the repository's own (editable) package"
    # student versions replaced every notebook: same cells, no solutions, no hidden tests
    for source in NOTEBOOKS:
        student = repo / "notebooks" / source.name
        text = student.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, student.name
        assert len(nbformat.read(student, 4).cells) == len(nbformat.read(source, 4).cells)
    # the teacher side of nbgrader is disabled and locked
    page_config = json.loads((prefix / "etc/jupyter/labconfig/page_config.json").read_text())
    for plugin in NBGRADER_TEACHER_SIDE:
        name = f"@jupyter/nbgrader:{plugin}"
        assert page_config["disabledExtensions"].get(name) is True, name
        assert page_config["lockedExtensions"].get(name) is True, name
    # no news pop-up, no update check
    overrides = json.loads((prefix / "share/jupyter/lab/settings/overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert "postBuild: done" in log


@pytest.mark.slow
def test_binder_style_server_picks_up_the_configuration(binder_build, context, tmp_path):
    """``jupyter notebook`` from the repository as $HOME (repo2docker's default command)."""
    repo, python, _log = binder_build
    server = JupyterServer(repo, tmp_path / "binder-state", python=str(python), app="notebook",
                           isolate_settings=False, home=repo)
    try:
        server.start()
        # the server side of the formgrader is off: its page is not there
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.url("formgrader"), timeout=10)
        assert err.value.code == 404

        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(server.url("/"))          # no urlpath: the configured default
        page.wait_for_url(f"**{WELCOME}**", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", state="attached", timeout=60_000)
        assert page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") \
            == WELCOME.removeprefix("/lab/tree/")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                               ".kernel && window.jupyterapp.shell.currentWidget.sessionContext"
                               ".session.kernel.status === 'idle'", timeout=60_000)
        # JupyterLab (not Notebook 7's single-document page), on the student version
        assert page.locator("#jp-main-dock-panel").count() == 1
        source = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model"
                               ".sharedModel.cells.map((c) => c.getSource()).join('\\n')")
        assert "YOUR CODE HERE" in source or "NotImplementedError" in source
        assert "BEGIN SOLUTION" not in source
        # nbgrader: the student side is on, the teacher side is off and locked
        plugins = page.evaluate("""() => { const a = window.jupyterapp;
            const ids = ['assignment-list', 'validate-assignment', 'formgrader',
                         'create-assignment', 'course-list'];
            const cfg = JSON.parse(document.getElementById('jupyter-config-data').textContent);
            return {active: ids.filter((p) => a.isPluginActivated('@jupyter/nbgrader:' + p)),
                    locked: [].concat(cfg.lockedExtensions || [])}; }""")
        assert "assignment-list" in plugins["active"]
        for plugin in NBGRADER_TEACHER_SIDE:
            assert plugin not in plugins["active"], plugins
            assert f"@jupyter/nbgrader:{plugin}" in plugins["locked"], plugins
        # no news pop-up: the overrides are in force and no toast asks about news
        news = page.evaluate("""async () => {   // the server applies overrides.json to defaults
            const s = await window.jupyterapp.serviceManager.settings.fetch(
                '@jupyterlab/apputils-extension:notification');
            const p = s.schema.properties;
            return {fetchNews: p.fetchNews.default, checkForUpdates: p.checkForUpdates.default}; }""")
        assert news["fetchNews"] == "false" and news["checkForUpdates"] is False, news
        page.wait_for_timeout(1500)
        assert page.locator(".Toastify__toast", has_text="news").count() == 0
        # the course works there: run the set-up cell and the first activity
        page.locator(".jp-CodeCell").first.click()
        for _ in range(3):
            page.keyboard.press("Shift+Enter")
        page.locator(".course-first-sentence-text textarea").wait_for(timeout=60_000)
        page.screenshot(path=str(_screenshot("binder-welcome")))
        assert not errors, errors
    finally:
        server.stop()
    assert not server.network_attempts(), server.network_attempts()


def _screenshot(name):
    from harness import ARTIFACTS
    out = ARTIFACTS / "screenshots" / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    return out
