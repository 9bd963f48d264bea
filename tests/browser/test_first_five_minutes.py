"""A learner's first five minutes: a fresh browser profile opens the welcome notebook, runs it,
writes a first sentence and reaches the first figure. Prints the times (a benchmark, never an
assertion on time)."""
import time

import pytest
from harness import CHROMIUM_ARGS, NOTEBOOKS, JupyterServer, NetworkGuard, NotebookPage

WELCOME = [p for p in NOTEBOOKS if p.name.startswith("00_")]


def first_five_minutes(playwright, chromium, nb_path, base, *, screenshot=None):
    """Start a server, open the notebook in a fresh profile, Run All, write and save a sentence,
    wait for the first figure. Returns ``{step: seconds since server start}``."""
    import shutil
    root = base / "root"
    root.mkdir(parents=True)
    shutil.copy(nb_path, root / nb_path.name)
    server = JupyterServer(root, base / "state")
    marks = {}
    ctx = None
    try:
        server.start()
        t0 = server.started_at
        marks["server ready"] = server.ready_at - t0
        ctx = playwright.chromium.launch_persistent_context(
            str(base / "fresh-profile"), executable_path=chromium, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        guard = NetworkGuard().attach(ctx)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        nbp = NotebookPage(page, server, nb_path.name)
        nbp.open()
        marks["notebook open, kernel ready"] = time.monotonic() - t0
        nbp.menu("Run", "Run All Cells")
        box = page.locator(".course-first-sentence-text textarea").first
        box.wait_for(timeout=90_000)
        marks["first activity on screen"] = time.monotonic() - t0
        box.click()
        page.keyboard.type("I want to know who did the work.", delay=20)
        page.wait_for_timeout(250)
        page.locator(".course-first-sentence-save").first.click()
        page.locator(".course-first-sentence-status", has_text="Saved 1").wait_for()
        marks["first sentence saved"] = time.monotonic() - t0
        page.locator(".jp-Notebook .js-plotly-plot .main-svg").first.wait_for(
            state="attached", timeout=90_000)
        marks["first figure drawn"] = time.monotonic() - t0
        nbp.wait_run_all()
        if screenshot:
            page.locator(".jp-Notebook .js-plotly-plot").first.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot))
        assert not nbp.errors(), nbp.errors()
        assert not nbp.console_errors, nbp.console_errors
        assert not guard.blocked, guard.blocked
    finally:
        if ctx is not None:
            ctx.close()
        server.stop()
    assert not server.network_attempts(), server.network_attempts()
    return marks


@pytest.mark.slow
@pytest.mark.parametrize("nb_path", WELCOME, ids=[p.stem for p in WELCOME])
def test_first_five_minutes(nb_path, playwright_instance, chromium_path, tmp_path):
    from harness import ARTIFACTS
    shot = ARTIFACTS / "screenshots" / "first-five-minutes-first-figure.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    marks = first_five_minutes(playwright_instance, chromium_path, nb_path, tmp_path,
                               screenshot=shot)
    print("\nA learner's first five minutes (seconds since the server started):")
    for step, seconds in marks.items():
        print(f"  {seconds:6.1f}  {step}")
    assert list(marks) == sorted(marks, key=marks.get), "steps happen in order"
