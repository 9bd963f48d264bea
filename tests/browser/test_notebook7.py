"""Notebook 7 (the classic-looking interface): /tree lists the course, and the widget-heavy
notebooks open there and work with the mouse and the keyboard."""
import pytest
from drivers import driver_for, saved_events, use_activities
from harness import NOTEBOOKS, copy_notebook

#: Notebooks whose activities are keyboard-first widgets with live figures.
WIDGET_HEAVY = [p for p in NOTEBOOKS if p.name.startswith(("02_", "03_", "04_", "06_"))]

def test_tree_lists_the_course(page, lab_server, workdir):
    for nb in NOTEBOOKS:
        copy_notebook(nb, workdir)
    page.goto(lab_server.url(f"tree/{workdir.name}"))
    for nb in NOTEBOOKS:
        page.locator(".jp-DirListing-item", has_text=nb.name).wait_for(timeout=60_000)


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", WIDGET_HEAVY,
                         ids=[(p.values[0] if hasattr(p, "values") else p).stem
                              for p in WIDGET_HEAVY])
def test_widget_notebook_in_notebook7(nb_path, open_notebook, workdir):
    driver = driver_for(nb_path)
    nbp = open_notebook(nb_path, ui="notebook")
    state = nbp.run_all()
    assert not nbp.errors(state), nbp.errors(state)
    shape = nbp.cell_shape()
    nbp.screenshot(f"{nb_path.stem}-first-activity-notebook7", driver.locate(nbp))
    use_activities(driver, nbp, workdir)
    assert all(saved_events(workdir, a) for a in driver.activities)
    assert nbp.cell_shape() == shape, "a key press reached Notebook 7 and changed the notebook"
    nbp.save()
    nbp.reload()
    driver.check_restored(nbp, workdir)
    assert not nbp.console_errors, nbp.console_errors
