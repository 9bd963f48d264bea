"""The labor receipt in headless Chromium: it opens with every network request refused, its
figures are drawn (plotly.js comes from inside the file), learner text stays text, and its
print version lays out the sections. Skipped without Chromium, failed in CI (as tests/browser)."""
import os
import shutil
import sys
from pathlib import Path

import pytest

from course_lib.core.workspace import Workspace
from course_lib.part7 import receipt, valuing

pytestmark = pytest.mark.slow
CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def _chromium():
    explicit = os.environ.get("COURSE_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    found = next((c for c in CANDIDATES if os.access(c, os.X_OK)), None)
    return found or shutil.which("chromium") or shutil.which("google-chrome")


@pytest.fixture
def chromium_page():
    path = _chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and no Chromium/playwright for the receipt's browser test")
        pytest.skip("no Chromium (or playwright) for the receipt's browser test")
    # one Playwright per test process: another browser test may share this one
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
    from harness import shared_playwright
    browser = shared_playwright().chromium.launch(executable_path=path, headless=True,
                                                  args=["--no-sandbox", "--disable-gpu",
                                                        "--disable-dev-shm-usage"])
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    requests = []

    def refuse(route):
        requests.append(route.request.url)
        route.abort("internetdisconnected")
    context.route("**/*", refuse)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, requests, errors
    browser.close()


def test_the_receipt_opens_offline_and_draws_its_figures(tmp_path, chromium_page):
    page, requests, errors = chromium_page
    ws = Workspace(tmp_path / "my_work")
    ws.activity("part1.writing").record(
        "p1", {"text": "<img src=x onerror=\"document.title='pwned'\">mine", "prompt": "p1"},
        kind="text", elapsed=40.0)
    valuing.WageSetter(ws.activity("part7.wage")).set_wage(12, "EUR")
    path = receipt.export_receipt(receipt.personal_report(ws), ws.path)
    ws.close()
    page.set_content(path.read_text(encoding="utf-8"), wait_until="load")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2",
                           timeout=30_000)
    assert page.evaluate("typeof Plotly") == "object"
    assert page.title() != "pwned" and "Labor receipt" in page.title()
    assert page.locator("img[src=x]").count() == 0
    assert "onerror" in page.inner_text("body")        # shown as the text it is
    assert requests == [] and errors == []
    page.emulate_media(media="print")
    assert page.locator("section").count() == 5
    assert len(page.pdf()) > 10_000                     # it prints
