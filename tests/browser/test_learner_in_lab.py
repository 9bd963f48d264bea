"""Every notebook, used the way a learner uses it, in JupyterLab in headless Chromium.

For each notebook: open it, Run All from the menu, use its activity with the mouse and the
keyboard, check that the figures follow the learner's work, restart the kernel and reload the
page and check the saved work is still there, and that no JavaScript error appeared.
"""
import pytest

from conftest import NOTEBOOKS
from drivers import driver_for, saved_events


def _no_js_errors(nbp):
    assert not nbp.console_errors, "JavaScript errors in the page:\n" + "\n".join(
        nbp.console_errors)


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_learner_uses_notebook_in_lab(nb_path, open_notebook, workdir):
    driver = driver_for(nb_path)
    nbp = open_notebook(nb_path)
    state = nbp.run_all()
    assert not nbp.errors(state), nbp.errors(state)
    assert "simulated" in nbp.output_text(state).lower(), "before any work: simulated, and says so"
    if driver is None:
        _no_js_errors(nbp)
        pytest.fail(f"{nb_path.name} has no browser driver: add one in tests/browser/drivers.py "
                    "(it ran without errors in JupyterLab)")

    shape = nbp.cell_shape()
    nbp.screenshot(f"{nb_path.stem}-first-activity-lab", driver.locate(nbp))
    figures_before = nbp.figures()

    n_saved = driver.use(nbp, workdir)
    assert n_saved > 0
    assert nbp.cell_shape() == shape, "a key press reached JupyterLab and changed the notebook"

    # the kernel restarts: nothing is lost, and a fresh Run All shows the learner's work
    nbp.restart_kernel()
    state = nbp.run_all()
    assert not nbp.errors(state), nbp.errors(state)
    assert len(saved_events(workdir, driver.activity)) >= n_saved
    driver.check_restored(nbp, workdir, n_saved)
    figures_after = nbp.figures()
    assert figures_after and figures_after != figures_before, \
        "the figures did not change after the learner's work"

    # the page is reloaded (saved first, as JupyterLab's autosave would): still there
    nbp.save()
    nbp.reload()
    driver.check_restored(nbp, workdir, n_saved)
    # JupyterLab shows a saved plotly output as the picture saved with it until it is re-run
    nbp.page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-RenderedPlotly').length >= n",
        arg=len(figures_after))
    _no_js_errors(nbp)
