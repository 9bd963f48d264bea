"""Fixtures for the real-browser tests: one JupyterLab server, headless Chromium, a fresh
folder per test, a network guard on the page and on every server/kernel process.

Outside CI, tests that cannot run (no Chromium, no Playwright) are skipped with a message saying
how to enable them; with ``CI=true`` they fail instead, so CI never skips them silently.
On failure, a screenshot and the server log are kept under ``test-artifacts/failures/``.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from harness import (  # noqa: E402
    ARTIFACTS,
    CHROMIUM_ARGS,
    HOW_TO_ENABLE,
    JupyterServer,
    NetworkGuard,
    NotebookPage,
    copy_notebook,
    find_chromium,
    shared_playwright,
    stop_shared_playwright,
)

_UNAVAILABLE = []          # why browser tests could not run in this session (for the summary)


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless Chromium")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


_BINDER_BUILD = {}
#: Seconds the Binder-like build may take. It is a fresh venv filled with the whole pinned
#: stack: on two cores busy with other work it took more than 600 s (pytest's own per-test
#: limit, so test_binder.py gives its tests more).
BINDER_BUILD_TIMEOUT = 1500


def _start_binder_build():
    """Build the Binder-like environment (binder_prep.py): ~1 GB of wheels and postBuild.

    It runs when the first Binder test needs it, not beside the other browser tests: on two
    cores it would starve JupyterLab, and anywidget gives a widget only 2 s to initialise.
    """
    import subprocess
    import tempfile

    import binder_prep
    if not binder_prep.wheelhouse_ready():
        _BINDER_BUILD["missing"] = str(binder_prep.wheelhouse_dir())
        return
    dest = Path(tempfile.mkdtemp(prefix="course-binder-"))
    _BINDER_BUILD.update(dest=dest, started=time.monotonic(), proc=subprocess.Popen(
        [sys.executable, str(Path(binder_prep.__file__)), "--prepare", str(dest)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))


def pytest_sessionfinish(session):
    proc = _BINDER_BUILD.get("proc")
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    if _BINDER_BUILD.get("dest"):
        shutil.rmtree(_BINDER_BUILD["dest"], ignore_errors=True)


@pytest.fixture(scope="session")
def binder_build():
    """``(repo, python, log)`` of the Binder-like environment (see binder_prep.py)."""
    _start_binder_build()
    if "missing" in _BINDER_BUILD:
        reason = (f"the wheelhouse of pinned wheels is missing ({_BINDER_BUILD['missing']}); "
                  "./run-tests fills it (online, once)")
        if in_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    proc, dest = _BINDER_BUILD["proc"], _BINDER_BUILD["dest"]
    try:
        proc.wait(timeout=BINDER_BUILD_TIMEOUT)
    except Exception:
        proc.kill()
        raise
    log = (dest / "binder-build.log").read_text(errors="replace") \
        if (dest / "binder-build.log").exists() else ""
    if proc.returncode != 0:
        out = ARTIFACTS / "failures" / "binder-build.log"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(log)
        pytest.fail(f"the Binder set-up failed (log kept in {out}):\n{log[-3000:]}")
    print(f"Binder-like environment built in {time.monotonic() - _BINDER_BUILD['started']:.0f} s")
    return dest / "repo", dest / "env" / "bin" / "python", log


def pytest_terminal_summary(terminalreporter):
    if _UNAVAILABLE:
        terminalreporter.write_sep("=", "browser tests skipped", yellow=True, bold=True)
        terminalreporter.write_line(f"The real-browser tests did not run: {_UNAVAILABLE[0]}")
        terminalreporter.write_line(f"To enable them: {HOW_TO_ENABLE}.")


def _unavailable(reason):
    _UNAVAILABLE.append(reason)
    if in_ci():
        pytest.fail(f"CI=true, and the browser tests cannot run: {reason}. "
                    f"They must run in CI: {HOW_TO_ENABLE}.", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}. To enable: {HOW_TO_ENABLE}")


@pytest.fixture(scope="session")
def chromium_path():
    if _UNAVAILABLE:
        _unavailable(_UNAVAILABLE[0])
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed "
                     "(it is in requirements-test.txt)")
    path = find_chromium()
    if path is None:
        _unavailable("no Chromium found (looked for /usr/bin/chromium and $COURSE_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def playwright_instance(chromium_path):
    yield shared_playwright()
    stop_shared_playwright()


@pytest.fixture(scope="session")
def browser(playwright_instance, chromium_path):
    try:
        b = playwright_instance.chromium.launch(executable_path=chromium_path, headless=True,
                                                args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - a broken browser install is reported, not hidden
        _unavailable(f"Chromium at {chromium_path} did not start ({str(exc).splitlines()[0]})")
    yield b
    b.close()


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, chromium_path):
    """One JupyterLab for the session; each test works in its own sub-folder of its root."""
    base = tmp_path_factory.mktemp("lab")
    server = JupyterServer(base / "root", base / "state")
    (base / "root").mkdir()
    server.start()
    yield server
    server.stop()
    attempts = server.network_attempts()
    assert not attempts, f"the server or a kernel tried to reach the network: {attempts}"


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:100]


@pytest.fixture
def workdir(lab_server, request):
    """A fresh folder under the server root for this test (so ``my_work`` starts empty)."""
    d = lab_server.root_dir / _safe(request.node.name)
    if d.exists():
        shutil.rmtree(d)
    d.mkdir()
    return d


@pytest.fixture
def context(browser, request):
    """A browser context (fresh profile state) whose non-loopback requests are blocked."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(30_000)
    guard = NetworkGuard().attach(ctx)
    ctx.network_guard = guard
    yield ctx
    _keep_artifacts_on_failure(request, ctx)
    ctx.close()
    assert not guard.blocked, f"the page tried to reach the network: {guard.blocked}"


def _keep_artifacts_on_failure(request, ctx):
    rep = getattr(request.node, "rep_call", None)
    if rep is None or not rep.failed:
        return
    out = ARTIFACTS / "failures" / _safe(request.node.name)
    out.mkdir(parents=True, exist_ok=True)
    for i, page in enumerate(ctx.pages):
        try:
            page.screenshot(path=str(out / f"page{i}.png"), full_page=False)
        except Exception:  # noqa: BLE001 - best effort
            pass
    for fixture in ("lab_server", "binder_server"):
        server = request.node.funcargs.get(fixture)
        if server is not None:
            shutil.copy(server.log_path, out / f"{fixture}.log")
    print(f"\nkept a screenshot and the server log in {out}")


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def open_notebook(page, lab_server, workdir):
    """Open a notebook (copied into this test's folder) in JupyterLab or Notebook 7."""
    opened = []

    def _open(nb_path, ui="lab"):
        copy_notebook(nb_path, workdir)
        rel = f"{workdir.name}/{nb_path.name}"
        nbp = NotebookPage(page, lab_server, rel, ui=ui).open()
        opened.append(nbp)
        return nbp

    yield _open
    lab_server.shutdown_kernels()
