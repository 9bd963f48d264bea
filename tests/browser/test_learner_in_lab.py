"""Every notebook, used the way a learner uses it, in JupyterLab in headless Chromium.

For each notebook: open it, Run All from the menu, use its activity with the mouse and the
keyboard, check that the figures follow the learner's work, restart the kernel and reload the
page and check the saved work is still there, and that no JavaScript error appeared.
"""
import pytest
from drivers import driver_for, saved_events, use_activities
from harness import NOTEBOOKS


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

    use_activities(driver, nbp, workdir)
    n_saved = {a: len(saved_events(workdir, a)) for a in driver.activities}
    assert all(n_saved.values()), f"an activity saved nothing: {n_saved}"
    assert nbp.cell_shape() == shape, "a key press reached JupyterLab and changed the notebook"

    # the kernel restarts: nothing is lost, and a fresh Run All shows the learner's work
    nbp.restart_kernel()
    state = nbp.run_all()
    assert not nbp.errors(state), nbp.errors(state)
    assert {a: len(saved_events(workdir, a)) for a in driver.activities} == n_saved, \
        "saved work changed across a kernel restart"
    driver.check_restored(nbp, workdir)
    driver.check_own_work_used(nbp, workdir)
    figures_after = nbp.figures()
    assert figures_after and figures_after != figures_before, \
        "the figures did not change after the learner's work"

    # the page is reloaded (saved first, as JupyterLab's autosave would): still there
    nbp.save()
    nbp.reload()
    driver.check_restored(nbp, workdir)
    # every figure is back: a saved plotly output as the picture saved with it, a live
    # one (a LiveFigure's Output widget) redrawn from the widget state the kernel holds
    nbp.wait_rendered()
    nbp.scroll_through()

    def figures_back():
        seen = nbp.page.evaluate("""() => ({
            saved: document.querySelectorAll('.jp-RenderedPlotly').length,
            live: Array.from(document.querySelectorAll('.jp-OutputArea-output .js-plotly-plot'))
                  .filter((el) => !el.closest('.jp-RenderedPlotly')).length})""")
        return seen["saved"] + seen["live"] >= len(figures_after), seen
    nbp.wait_until(figures_back, what=f"the {len(figures_after)} figures to be back after the "
                                      "reload (saved plotly outputs + live figures)")
    nbp.screenshot(f"{nb_path.stem}-after-reload-lab", driver.locate_live(nbp))
    _no_js_errors(nbp)


@pytest.mark.parametrize("nb_path", [p for p in NOTEBOOKS if p.name.startswith("00_")],
                         ids=lambda p: p.stem)
def test_fast_save_keeps_every_character(nb_path, open_notebook, workdir):
    """A fast typist presses Tab, Enter right after the last key: nothing may be lost."""
    nbp = open_notebook(nb_path)
    nbp.run_all()
    box = nbp.page.locator(".course-first-sentence-text textarea").first
    box.click()
    sentence = "Typed quickly and saved at once, to the very last letter."
    nbp.page.keyboard.type(sentence, delay=5)
    nbp.page.keyboard.press("Tab")
    nbp.page.keyboard.press("Enter")
    nbp.page.locator(".course-first-sentence-status", has_text="Saved 1").wait_for()
    saved = [r[3] for r in saved_events(workdir, "part0.first_sentence")]
    assert len(saved) == 1 and sentence in saved[0], saved
