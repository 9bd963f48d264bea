"""Drive the course the way a learner does: a real Jupyter server and headless Chromium.

Used by the browser tests (``tests/browser``) and by ``benchmarks/bench_browser.py``.

- :func:`find_chromium` finds a system Chromium (Playwright's own browser download does not
  work offline, so the tests never need it).
- :class:`JupyterServer` starts JupyterLab (or Notebook 7, or a Binder-style server) on
  127.0.0.1 with a token, its own config/settings/workspaces/runtime folders and a network guard
  in every Python process it starts (server and kernels): any non-loopback connection raises
  and is written to a log the tests read.
- :class:`NetworkGuard` aborts, and records, every request the page makes to anything but
  loopback (Playwright route interception).
- :class:`NotebookPage` opens a notebook, runs all cells from the menu, restarts the kernel from
  the menu, reloads the page, and reads cells, outputs and plotly figures.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
#: Flags that work for Debian's chromium here (root, no GPU, no network, no first-run noise).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser",
                       "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
HOW_TO_ENABLE = (
    "install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; ./run-tests does it for "
    "you when it runs as root or with passwordless sudo) or point COURSE_CHROMIUM at a "
    "Chrome/Chromium binary, then run ./run-tests again")

# The network guard put into every Python process the test server starts (server and kernels).
_SITECUSTOMIZE = r'''
"""Test network guard: any non-loopback connection raises and is logged (course must be offline)."""
import os as _os
import socket as _socket

_LOG = _os.environ.get("COURSE_NETWORK_LOG")
_connect = _socket.socket.connect
_connect_ex = _socket.socket.connect_ex
_getaddrinfo = _socket.getaddrinfo
_LOCAL_NAMES = {None, "", "localhost", "::1", "0.0.0.0", "::", _socket.gethostname()}


def _allowed(sock, address):
    if sock.family == getattr(_socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1"))


def _check(sock, address):
    if not _allowed(sock, address):
        _log(f"connect {address!r}")
        raise OSError(f"course test guard: network access attempted: {address!r}")


def _log(what):
    if _LOG:
        with open(_LOG, "a") as f:
            f.write(f"pid {_os.getpid()}: {what}\n")


def _guarded_getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOCAL_NAMES and not str(name).startswith("127."):
        _log(f"name lookup {name!r}")
        raise OSError(f"course test guard: network name lookup attempted: {name!r}")
    return _getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self, address):
    _check(self, address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


_socket.socket.connect = _guarded_connect
_socket.socket.connect_ex = _guarded_connect_ex
_socket.getaddrinfo = _guarded_getaddrinfo
'''


def find_chromium():
    """Path of a system Chromium/Chrome, or None. ``$COURSE_CHROMIUM`` wins."""
    explicit = os.environ.get("COURSE_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for cand in CHROMIUM_CANDIDATES:
        if os.access(cand, os.X_OK):
            return cand
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_loopback(url):
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error", "chrome"):
        return True
    return (parts.hostname or "") in ("127.0.0.1", "localhost", "::1") or \
        (parts.hostname or "").startswith("127.")


class JupyterServer:
    """A Jupyter server on 127.0.0.1 with a token, isolated from the user's own Jupyter files.

    Parameters
    ----------
    root_dir : Path
        The folder the server shows (notebooks are copied here by the caller).
    state_dir : Path
        Where config, settings, workspaces, runtime files, the network guard and the log go.
    python : str, default=sys.executable
        The interpreter of the environment to run (a Binder-style venv in the Binder test).
    app : {"lab", "notebook"}, default="lab"
        ``python -m jupyterlab`` or ``python -m notebook`` (what repo2docker starts).
    isolate_settings : bool, default=True
        Give JupyterLab its own settings and workspaces folders with the news and update
        checks switched off. Off for the Binder check, which must see the environment's own
        configuration do that.
    home : Path, optional
        ``$HOME`` for the server (Binder: the repository).
    extra_args : list of str
        More command-line arguments.
    launcher : list of str, optional
        Start the server with this command instead of ``python -m jupyterlab`` (the README's
        ``./start-course``); the other arguments follow it.
    extra_env : dict, optional
        More environment variables for the server.
    """

    def __init__(self, root_dir, state_dir, *, python=None, app="lab", isolate_settings=True,
                 home=None, extra_args=(), launcher=None, extra_env=None):
        self.root_dir = Path(root_dir)
        self.state_dir = Path(state_dir)
        self.python = python or sys.executable
        self.app = app
        self.isolate_settings = isolate_settings
        self.home = home
        self.extra_args = list(extra_args)
        self.launcher = list(launcher) if launcher else None
        self.extra_env = dict(extra_env or {})
        self.token = secrets.token_hex(16)
        self.port = None
        self.proc = None
        self.started_at = None
        self.ready_at = None
        self.log_path = self.state_dir / "server.log"
        self.network_log = self.state_dir / "network-attempts.log"

    # -- life cycle -------------------------------------------------------------------------
    def _env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "JPY_", "COURSE_WORKSPACE", "PYTHONPATH"))}
        guard_dir = self.state_dir / "guard"
        guard_dir.mkdir(parents=True, exist_ok=True)
        (guard_dir / "sitecustomize.py").write_text(_SITECUSTOMIZE)
        env.update({
            "PYTHONPATH": str(guard_dir),
            "COURSE_NETWORK_LOG": str(self.network_log),
            "JUPYTER_CONFIG_DIR": str(self.state_dir / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.state_dir / "runtime"),
            "JUPYTER_DATA_DIR": str(self.state_dir / "data"),
            "IPYTHONDIR": str(self.state_dir / "ipython"),
            "PATH": str(Path(self.python).parent) + os.pathsep + env.get("PATH", ""),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        })
        env.update(self.extra_env)
        if self.home is not None:
            env["HOME"] = str(self.home)
            env.pop("JUPYTER_CONFIG_DIR")  # Binder: ~/.jupyter is the repository's .jupyter
        return env

    def _argv(self):
        module = {"lab": "jupyterlab", "notebook": "notebook"}[self.app]
        argv = (self.launcher or [self.python, "-m", module]) + [
            "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.port_retries=0",
            # lets the tests read the notebook model (window.jupyterapp); changes nothing a
            # learner sees
            "--LabServerApp.expose_app_in_browser=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            argv.append("--ServerApp.allow_root=True")
        if self.isolate_settings:
            settings = self.state_dir / "user-settings"
            write_quiet_settings(settings)
            argv += [f"--LabServerApp.user_settings_dir={settings}",
                     f"--LabServerApp.workspaces_dir={self.state_dir / 'workspaces'}"]
        return argv + self.extra_args

    def start(self, timeout=240):
        """Start the server and wait until ``/api/status`` answers; return self.

        The wait is long because it only costs time when it is needed: on two busy cores a
        server took over 90 s (nbgrader's server extension alone took 30 s to import).
        """
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self._log = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(self._argv(), env=self._env(), cwd=self.home or self.root_dir,
                                     stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = self.started_at + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Jupyter server exited with code {self.proc.returncode}; "
                                   f"log:\n{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.api_url("/api/status"), timeout=5) as r:
                    if r.status == 200:
                        self.ready_at = time.monotonic()
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.15)
        self.stop()   # not left running (and starving the next test) when it was too slow
        raise RuntimeError(f"Jupyter server not ready in {timeout} s; log:\n"
                           f"{self.log_text()[-3000:]}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- addresses and logs ------------------------------------------------------------------
    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    api_url = url

    def api(self, path):
        with urllib.request.urlopen(self.api_url(path), timeout=10) as r:
            return json.loads(r.read().decode())

    def shutdown_kernels(self):
        """Shut down every session's kernel (between tests: two cores are not many)."""
        for session in self.api("/api/sessions"):
            req = urllib.request.Request(self.api_url(f"/api/sessions/{session['id']}"),
                                         method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def network_attempts(self):
        try:
            return self.network_log.read_text().splitlines()
        except FileNotFoundError:
            return []


def write_quiet_settings(settings_dir):
    """User settings for a test server: no news pop-up, no update check (no network)."""
    target = Path(settings_dir) / "@jupyterlab" / "apputils-extension"
    target.mkdir(parents=True, exist_ok=True)
    (target / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))


class NetworkGuard:
    """Abort and record every request the browser makes to anything but loopback."""

    def __init__(self):
        self.blocked = []
        self.requests = []

    def attach(self, context):
        context.route("**/*", self._route)
        if hasattr(context, "route_web_socket"):
            context.route_web_socket("**/*", self._route_ws)
        return self

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        if is_loopback(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def _route_ws(self, ws):
        if is_loopback(ws.url):
            ws.connect_to_server()
        else:
            self.blocked.append(ws.url)
            ws.close()


#: JavaScript errors that come from upstream packages, not from the course, with the reason.
#: Each is matched only in the interface named; anything else fails the test.
KNOWN_UPSTREAM_ERRORS = [
    ("notebook", "Cannot read properties of undefined (reading 'schema')",
     "Notebook 7.6.5's shortcuts plugin reads the schema of a plugin it has not loaded, on "
     "every page load, with no course code involved"),
    ("notebook", "Command 'filebrowser:open-path' not registered",
     "seen now and then in Notebook 7.6.5's single-notebook page (which has no file browser) "
     "around a reload, together with a 403 on one of its own fonts"),
    ("notebook", "(Forbidden) @ .woff",
     "Notebook 7.6.5's page asks for some of its own fonts under /static/notebook/ and the "
     "server answers 403 'not in root static directory' (the files are in notebook/static)"),
] + [
    (ui, "[anywidget] Failed to initialize model.",
     "anywidget 0.11.0 gives a widget model 2 s of wall time to start (AbortSignal.timeout(2000) "
     "in its runtime); with the machine at load 7-8 (a CPU hog and two other jobs beside the "
     "suite) a model created during Run All, while the page renders the figures, missed it "
     "once a run. Not seen on a quiet machine. The test still needs every activity to work "
     "by mouse and keyboard, so a widget that really failed to start fails it")
    for ui in ("lab", "notebook")
]

_PLAYWRIGHT = []


def shared_playwright():
    """The one Playwright of this test process, started on first use.

    Its sync API cannot be started twice in one process (a second ``sync_playwright()`` while
    one runs fails with "using Playwright Sync API inside the asyncio loop"), and with two
    pytest-xdist workers any browser test may share a process with any other: every test that
    drives Chromium gets Playwright here.
    """
    if not _PLAYWRIGHT:
        import atexit

        from playwright.sync_api import sync_playwright
        _PLAYWRIGHT.append(sync_playwright().start())
        atexit.register(stop_shared_playwright)
    return _PLAYWRIGHT[0]


def stop_shared_playwright():
    """Stop the process's Playwright (at the end of the session; safe to call twice)."""
    while _PLAYWRIGHT:
        _PLAYWRIGHT.pop().stop()


#: JavaScript helpers evaluated in the page (JupyterLab and Notebook 7 share the model API).
_JS_PANEL = "(() => { const a = window.jupyterapp; return a && a.shell.currentWidget; })()"
JS_STATE = """() => {
  const w = %s;
  if (!w || !w.content || !w.sessionContext) return null;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.map((c) => ({
    type: c.model.type,
    count: c.model.type === 'code' ? c.model.executionCount : null,
    busy: c.model.type === 'code' &&
          !!(c.node.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.includes('*'),
    outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : [],
    source: c.model.sharedModel.getSource(),
  }));
  return {kernel: k ? k.status : null, cells: cells, dirty: w.context.model.dirty};
}""" % _JS_PANEL


#: Count the kernel's execute_input messages from now on (window.__courseExecuted).
JS_COUNT_EXECUTIONS = """() => { const w = %s; const k = w.sessionContext.session.kernel;
  window.__courseExecuted = 0;
  if (!k.__courseCounted) {
    k.iopubMessage.connect((_k, msg) => {
      if (msg.header.msg_type === 'execute_input') window.__courseExecuted = (window.__courseExecuted || 0) + 1; });
    k.__courseCounted = true;
  } }""" % _JS_PANEL
#: Index of the first cell whose source contains the text given (-1: none), from the model.
JS_CELL_INDEX = """(snippet) => { const w = %s; if (!w || !w.content) return -1;
  return w.content.widgets.findIndex((c) => c.model.sharedModel.getSource().includes(snippet)); }""" % _JS_PANEL
#: Bring cell ``i`` on screen: JupyterLab 4's windowed notebook leaves a cell out of the DOM
#: (a placeholder) until it renders it, in idle time ('contentVisibility', the default, and
#: 'defer') or only while it is near the viewport ('full'). Ask the notebook to scroll there
#: (that renders it in 'full' mode) and, once rendered, centre it (cells above it change height
#: as they render, so this is repeated on every poll). Returns what it saw.
JS_SHOW_CELL = """(i) => { const w = %s; const cell = w && w.content && w.content.widgets[i];
  if (!cell) return 'no cell ' + i;
  const placeholder = typeof cell.isPlaceholder === 'function' && cell.isPlaceholder();
  if (placeholder || !cell.node.isConnected) {
    const p = w.content.scrollToItem(i, 'center'); if (p && p.catch) p.catch(() => {});
    return placeholder ? 'not rendered yet (placeholder)' : 'not in the page';
  }
  cell.node.scrollIntoView({block: 'center'});
  cell.node.dataset.courseTestCell = String(i);  // what the test's locator finds it by
  return 'shown'; }""" % _JS_PANEL
#: Cells the windowed notebook has not rendered yet (indices).
JS_UNRENDERED = """() => { const w = %s; if (!w || !w.content) return null;
  return w.content.widgets.map((c, i) => ((typeof c.isPlaceholder === 'function' && c.isPlaceholder())
    || !c.node.isConnected) ? i : -1).filter((i) => i >= 0); }""" % _JS_PANEL
#: Plotly figures in the page: the data of each drawn one, and how many are not drawn yet.
JS_FIGURES = """() => { const plots = Array.from(document.querySelectorAll('.jp-Notebook .js-plotly-plot'));
  return {data: plots.map((el) => JSON.stringify((el.data || []).map((t) =>
            [t.type, t.name, t.x, t.y, t.z, t.text, t.marker && t.marker.color]))),
          undrawn: plots.filter((el) => !el.querySelector('.main-svg')).length
                   // a saved plotly output is drawn into its own node, or shown as its picture
                   + Array.from(document.querySelectorAll('.jp-Notebook .jp-RenderedPlotly')).filter(
                       (el) => !el.classList.contains('js-plotly-plot')
                               && !(el.querySelector('img.plot-img') || {}).src).length}; }"""

#: How long a check waits for the page to show what it reads before failing (seconds).
SHOW_TIMEOUT = 60


class NotebookPage:
    """A notebook opened in a browser page, in JupyterLab (``ui="lab"``) or Notebook 7.

    Reading the page: the DOM shows a cell only once JupyterLab has rendered it, and a widget
    only once its view has come back from the kernel, both later on a busy machine. So nothing
    here reads the DOM once and concludes: :meth:`cell` scrolls the cell into view and waits
    for it, :meth:`read` re-reads a widget until it shows what the check wants (or fails after
    a bounded time saying what it saw), :meth:`wait_until` is the loop both use, and
    :meth:`figures` waits until every cell is rendered and every figure drawn and unchanged.
    """

    def __init__(self, page, server, path, *, ui="lab"):
        self.page = page
        self.server = server
        self.path = path          # relative to the server root
        self.ui = ui
        self.console_errors = []
        self.known_errors = []
        self.phase = "opening"    # what the test was doing: named in every error caught
        self.http_errors = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("response", lambda r: r.status >= 400 and self.http_errors.append(
            f"{r.status} {r.request.method} {r.url.split('?')[0]}"))

    def _on_console(self, msg):
        where = (msg.location or {}).get("url", "").split("?")[0]
        if msg.type == "error" and not self._known(f"{msg.text} @ {Path(where).suffix}"):
            self.console_errors.append(f"console.error [{self.phase}]: {msg.text} ({where}; "
                                       f"HTTP errors so far: {self.http_errors})")

    def _on_pageerror(self, exc):
        if not self._known(str(exc)):
            stack = (getattr(exc, "stack", "") or "").splitlines()[1:3]
            self.console_errors.append(f"pageerror [{self.phase}]: {exc} "
                                       f"{' '.join(s.strip() for s in stack)}")

    def _known(self, text):
        for ui, needle, reason in KNOWN_UPSTREAM_ERRORS:
            if ui == self.ui and needle in text:
                self.known_errors.append(f"{needle} ({reason})")
                if "anywidget" in needle:   # shown in the run's warnings summary, not hidden
                    import warnings
                    warnings.warn(f"[{self.phase}] {needle} ({self.path})", stacklevel=2)
                return True
        return False

    # -- navigation ---------------------------------------------------------------------------
    @property
    def address(self):
        if self.ui == "lab":
            # a workspace of its own, reset: no tabs restored from an earlier session
            workspace = "".join(ch if ch.isalnum() else "-" for ch in self.path)[-60:]
            return self.server.url(f"lab/workspaces/{workspace}/tree/{self.path}?reset")
        return self.server.url(f"notebooks/{self.path}")

    def open(self, timeout=90_000):
        self.page.goto(self.address)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=90_000):
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", state="attached", timeout=timeout)
        self.page.wait_for_function(
            "() => { const w = %s; return w && w.sessionContext && w.sessionContext.session"
            " && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle'; }" % _JS_PANEL,
            timeout=timeout)

    def reload(self, timeout=90_000):
        self.phase = "reload"
        self.page.reload()
        self.wait_ready(timeout)
        self.phase = "after reload"

    # -- menus (what a learner clicks) ----------------------------------------------------------
    def menu(self, top, item):
        """Click a top-level menu and one of its items, by their visible labels."""
        bar = self.page.locator(".lm-MenuBar-itemLabel", has_text=top).first
        bar.click()
        entry = self.page.locator(".lm-Menu-itemLabel").filter(
            has_text=re.compile("^" + re.escape(item))).first
        entry.click()

    def run_all(self, timeout=120):
        """Run → Run All Cells, then wait until every code cell ran and the kernel is idle."""
        self.__dict__["_runs"] = self.__dict__.get("_runs", 0) + 1
        self.phase = f"run all #{self._runs}"
        self.page.evaluate(JS_COUNT_EXECUTIONS)
        self.menu("Run", "Run All Cells")
        state = self.wait_run_all(timeout, counted=True)
        self.phase = "after run all"
        return state

    def wait_run_all(self, timeout=120, *, counted=False):
        """Wait until every code cell ran (or one failed) and the kernel stayed idle.

        ``counted``: :data:`JS_COUNT_EXECUTIONS` ran before the click, so the kernel's
        ``execute_input`` messages show the run really started and reached the last cell
        (after a restart, the execution counts of the run before are still in the model).
        """
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            state = self.state()
            if state and state["kernel"] == "idle":
                codes = [c for c in state["cells"] if c["type"] == "code"]
                stopped = any(o.get("output_type") == "error" for c in codes for o in c["outputs"])
                done = all(c["count"] is not None for c in codes) or stopped
                if counted:
                    started = self.page.evaluate("() => window.__courseExecuted || 0")
                    to_run = sum(bool(c["source"].strip()) for c in codes)
                    done = done and started >= 1 and (started >= to_run or stopped)
                if done and not any(c["busy"] for c in codes):
                    quiet += 1
                    if quiet >= 3:  # idle three polls in a row: comm messages have settled
                        return state
                else:
                    quiet = 0
            self.page.wait_for_timeout(200)
        raise TimeoutError(f"run all did not finish in {timeout} s: {self.summary()}")

    def restart_kernel(self, timeout=60):
        """Kernel → Restart Kernel…, confirm the dialog, wait until the new kernel is idle."""
        self.page.evaluate("""() => { const w = %s; window.__courseRestarts = 0;
            w.sessionContext.session.kernel.statusChanged.connect((_k, s) => {
              if (s === 'restarting' || s === 'autorestarting') window.__courseRestarts += 1; });
          }""" % _JS_PANEL)
        self.phase = "restart"
        self.menu("Kernel", "Restart Kernel")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.page.wait_for_function("() => window.__courseRestarts > 0", timeout=timeout * 1000)
        self.wait_ready(timeout * 1000)

    def save(self):
        """File → Save Notebook, then wait until the document is clean."""
        self.menu("File", "Save Notebook")
        self.page.wait_for_function("() => { const w = %s; return w && !w.context.model.dirty; }"
                                    % _JS_PANEL)

    # -- waiting for what the page shows (every DOM read goes through these) -------------------
    def wait_until(self, probe, *, what, timeout=SHOW_TIMEOUT, interval_ms=250):
        """Call ``probe()`` (returning ``(ok, seen)``) until ``ok``; return ``seen``.

        After ``timeout`` seconds, fail with an AssertionError naming ``what`` was awaited
        and the last thing seen (never concludes from a single read).
        """
        deadline = time.monotonic() + timeout
        while True:
            ok, seen = probe()
            if ok:
                return seen
            if time.monotonic() >= deadline:
                raise AssertionError(f"waited {timeout:.0f} s for {what}, but the page still "
                                     f"shows: {seen!r} ({self.summary()})")
            self.page.wait_for_timeout(interval_ms)

    def cell_index(self, snippet):
        """Index of the first cell whose source contains ``snippet`` (from the notebook model,
        which has every cell, rendered or not)."""
        i = self.page.evaluate(JS_CELL_INDEX, snippet)
        assert i >= 0, f"no cell of {self.path} contains {snippet!r}"
        return i

    def cell(self, snippet, timeout=SHOW_TIMEOUT):
        """Locator of the cell whose source contains ``snippet``, rendered and scrolled into view.

        Waits (at most ``timeout`` s) for JupyterLab's windowed notebook to render it.
        """
        i = self.cell_index(snippet)

        def probe():
            seen = self.page.evaluate(JS_SHOW_CELL, i)
            return seen == "shown", seen
        self.wait_until(probe, what=f"cell {i} (the one with {snippet!r}) to be rendered",
                        timeout=timeout)
        # marked by JS_SHOW_CELL on the cell widget's own node: the windowed list's own
        # data-windowed-list-index is renumbered as cells are inserted and need not match
        # the model's index (a read by it once found nothing for 60 s after a reload)
        return self.page.locator(f'.jp-Notebook .jp-Cell[data-course-test-cell="{i}"]').first

    def read(self, snippet, selector, check=bool, *, what=None, timeout=SHOW_TIMEOUT):
        """Texts of ``selector`` in the cell with ``snippet``, once ``check(texts)`` holds.

        The cell is scrolled into view and kept there while the widget view (``selector``)
        appears and fills in; the texts are read again every 250 ms until ``check`` passes,
        or an AssertionError after ``timeout`` s says what was awaited and what was shown.
        """
        deadline = time.monotonic() + timeout
        i = self.cell_index(snippet)
        cell = self.cell(snippet, timeout)

        def probe():
            self.page.evaluate(JS_SHOW_CELL, i)
            texts = cell.locator(selector).all_text_contents()
            return bool(texts) and check(texts), texts
        try:
            return self.wait_until(probe, what=what or f"{selector} in the cell with {snippet!r}",
                                   timeout=max(1.0, deadline - time.monotonic()))
        except AssertionError as exc:
            shown = cell.locator(".jp-OutputArea").all_inner_texts()
            raise AssertionError(f"{exc}; the cell's output area shows: {shown!r}") from None

    def wait_rendered(self, timeout=SHOW_TIMEOUT):
        """Wait until the windowed notebook has rendered every cell (scrolling to the first
        one left, which is what renders it in 'full' windowing mode)."""
        def probe():
            left = self.page.evaluate(JS_UNRENDERED)
            if left:
                self.page.evaluate(JS_SHOW_CELL, left[0])
            return left == [], left
        self.wait_until(probe, what="every cell to be rendered", timeout=timeout)

    # -- reading --------------------------------------------------------------------------------
    def state(self):
        return self.page.evaluate(JS_STATE)

    def errors(self, state=None):
        """Error outputs of code cells, as 'cell N: ename: evalue' lines."""
        state = state or self.state()
        return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
                for i, c in enumerate(state["cells"]) for o in c["outputs"]
                if o.get("output_type") == "error"]

    def output_text(self, state=None):
        state = state or self.state()
        parts = []
        for c in state["cells"]:
            for o in c["outputs"]:
                parts.append(o.get("text", "") if isinstance(o.get("text"), str)
                             else "".join(o.get("text", [])))
                data = o.get("data", {})
                for mime in ("text/plain", "text/html", "text/markdown"):
                    v = data.get(mime, "")
                    parts.append(v if isinstance(v, str) else "".join(v))
        return "\n".join(parts)

    def summary(self):
        try:
            s = self.state()
        except Exception as exc:  # noqa: BLE001 - diagnostics only
            return f"(no state: {exc})"
        if not s:
            return "(no notebook panel)"
        return (f"kernel={s['kernel']}, cells ran={sum(c['count'] is not None for c in s['cells'] if c['type'] == 'code')}"
                f"/{sum(c['type'] == 'code' for c in s['cells'])}, errors={self.errors(s)}")

    def cell_shape(self):
        """(type, source) of every cell: a stray key press that reached JupyterLab shows here."""
        return [(c["type"], c["source"]) for c in self.state()["cells"]]

    def figures(self, timeout=SHOW_TIMEOUT, settle_polls=3):
        """Data of every plotly figure, as a list of JSON strings (in page order).

        Read once every cell is rendered, no figure is waiting to be drawn, and the data has
        stayed the same for ``settle_polls`` reads in a row: a figure not drawn yet, or in a
        cell not rendered yet, would otherwise be silently missing from the list.
        """
        self.wait_rendered(timeout)
        last = []

        def probe():
            now = self.page.evaluate(JS_FIGURES)
            same = last and now == last[-1]
            last[:] = (last + [now])[-settle_polls:] if same else [now]
            return now["undrawn"] == 0 and len(last) >= settle_polls, now
        return self.wait_until(probe, what="every plotly figure to be drawn and stay the same",
                               timeout=timeout)["data"]

    def scroll_through(self, step_ms=120):
        """Scroll the notebook from top to bottom (outputs off screen may be drawn lazily)."""
        self.page.evaluate("""async (stepMs) => {
            const outer = document.querySelector('.jp-Notebook .jp-WindowedPanel-outer')
                          || document.querySelector('.jp-Notebook');
            const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
            for (let y = 0; y <= outer.scrollHeight; y += outer.clientHeight * 0.8) {
              outer.scrollTop = y; await sleep(stepMs);
            }
            outer.scrollTop = outer.scrollHeight; await sleep(stepMs);
        }""", step_ms)

    def wait_figures(self, n=1, timeout=60_000):
        self.page.wait_for_function(
            "(n) => document.querySelectorAll('.jp-Notebook .js-plotly-plot .main-svg').length >= n",
            arg=n, timeout=timeout)

    def wait_figure_change(self, before, timeout=20_000):
        """Wait until the drawn figures differ from ``before`` (a list from :meth:`figures`)."""
        self.page.wait_for_function(
            """(before) => { const now = Array.from(document.querySelectorAll(
                 '.jp-Notebook .js-plotly-plot')).map((el) => JSON.stringify(
                 (el.data || []).map((t) => [t.type, t.name, t.x, t.y, t.z, t.text, t.marker && t.marker.color])));
               return JSON.stringify(now) !== JSON.stringify(before); }""",
            arg=before, timeout=timeout)
        return self.figures()

    def screenshot(self, name, locator=None):
        """Save a screenshot (``locator`` centred, if given) under test-artifacts/."""
        out = ARTIFACTS / "screenshots" / f"{name}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        # JupyterLab's windowed notebook corrects the heights of cells above as they render,
        # which moves the target after a scroll: scroll again until it stays put.
        for _ in range(10 if locator is not None else 0):
            top = locator.evaluate(
                "(el) => { el.scrollIntoView({block: 'center'}); return el.getBoundingClientRect().top; }")
            self.page.wait_for_timeout(300)
            if abs(locator.evaluate("(el) => el.getBoundingClientRect().top") - top) < 2:
                break
        self.page.screenshot(path=str(out))
        return out


#: The course's notebooks, in order.
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def copy_notebook(nb_path, workdir):
    """Copy a notebook into a test's own folder (so the repository's my_work is untouched)."""
    shutil.copy(nb_path, workdir / nb_path.name)
    return workdir / nb_path.name
