"""Learner text is data: nothing a student saved or submitted runs for the instructor.

The static checks look for the hostile marker in anything a browser would execute; the
browser test opens the class report, the report notebook (as HTML) and a hostile student's
feedback in headless Chromium and checks that no injected script ran.
"""
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from course_lib.grading import class_report
from course_lib.grading.synthetic import HOSTILE_TEXTS, PWNED, make_class

from .helpers import FIXTURE, ROOT, live_injections

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_nothing_in_course_lib_evaluates_text():
    offenders = []
    for path in (ROOT / "course_lib").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if re.search(r"(?<![\w.])(eval|exec)\(|pickle\.loads?\(|yaml\.load\(|"
                         r"shell\s*=\s*True|os\.system\(", code):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_escape_helper_in_plotly_labels():
    assert "<" not in class_report.esc(HOSTILE_TEXTS[0])


def test_report_tables_escape_every_cell(tmp_path):
    make_class(tmp_path, n_students=4, n_damaged=0, n_hostile=2, random_state=3)
    report = class_report.ClassReport().fit(tmp_path)
    html = report.to_html()
    assert PWNED in html and live_injections(html) == []


def _browser_checks(pages):
    """Open each page in headless Chromium, in a thread of its own: the browser tests' session
    may hold Playwright's sync API (an event loop) in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true but Chromium is missing", pytrace=False)
        pytest.skip("no chromium: install it (sudo apt-get install chromium) to run this test")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_open_pages, playwright, pages).result()


def _open_pages(playwright, pages):
    ran = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for name, path in pages.items():
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=60_000)
            page.wait_for_timeout(500)
            ran[name] = (page.evaluate(f"typeof window.{PWNED} !== 'undefined'"), dialogs,
                         page.evaluate("document.querySelectorAll('.plot-container').length"))
            page.close()
        browser.close()
    return ran


@pytest.mark.slow
def test_in_a_real_browser_nothing_runs(tmp_path, graded_batch):
    from nbconvert import HTMLExporter

    make_class(tmp_path / "subs", n_students=5, n_damaged=1, n_hostile=2, random_state=4)
    _, html_path, nb_path = class_report.build(tmp_path / "subs", tmp_path / "out")
    body, _ = HTMLExporter().from_notebook_node(nbformat.read(nb_path, as_version=4))
    nb_html = tmp_path / "out" / "class_report_notebook.html"
    nb_html.write_text(body, encoding="utf-8")
    feedback = graded_batch["root"] / "feedback" / "hostile" / FIXTURE / f"{FIXTURE}.html"
    ran = _browser_checks({"report": html_path, "notebook": nb_html, "feedback": feedback})
    for name, (pwned, dialogs, plots) in ran.items():
        assert not pwned and not dialogs, name
        assert plots >= 1, f"{name}: the figures should render offline"
