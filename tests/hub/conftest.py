"""A real JupyterHub for the class tests: one instructor and four students, each a system
user with their own home, spawned by JupyterHub's LocalProcessSpawner behind
configurable-http-proxy, sharing an nbgrader exchange folder.

What it needs: root (it creates the users ``hub-instructor``, ``hub-s1`` ... ``hub-s4`` with
``useradd`` and removes them afterwards; the spawner switches to each user), the pinned
``jupyterhub`` (requirements-test.txt) and configurable-http-proxy from npm, which
``./run-tests`` installs into ``~/.cache/human-labor-in-ml/chp-<version>`` (or point
``COURSE_CHP`` at the ``configurable-http-proxy`` script). Outside CI a missing piece skips
the tests with a message; with ``CI=true`` a missing proxy or JupyterHub fails them.

Everything a user does goes through the hub: the test holds one API token (a hub service
with admin scopes) that starts the servers and issues each user a token for their own
server; then every step is a request to that user's server — its REST API (contents,
sessions, nbgrader's Assignments-tab handlers) or code run in a kernel of that server (so it
runs as that user, with that user's rights).
"""
from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Pinned here and in ./run-tests (npm install configurable-http-proxy@CHP_VERSION).
CHP_VERSION = "5.3.0"
INSTRUCTOR = "hub-instructor"
STUDENTS = ("hub-s1", "hub-s2", "hub-s3", "hub-s4")
COURSE_ID = "hlml-hub"
HOW_TO_ENABLE = ("./run-tests installs it (npm install configurable-http-proxy@"
                 f"{CHP_VERSION} into ~/.cache/human-labor-in-ml/chp-{CHP_VERSION}); or set "
                 "COURSE_CHP to a configurable-http-proxy script")


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def find_chp():
    """The configurable-http-proxy script: $COURSE_CHP, the run-tests cache, or PATH."""
    env = os.environ.get("COURSE_CHP")
    if env and os.access(env, os.X_OK):
        return env
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    script = cache / "human-labor-in-ml" / f"chp-{CHP_VERSION}" / "node_modules" / ".bin" / \
        "configurable-http-proxy"
    if os.access(script, os.X_OK):
        return str(script)
    return shutil.which("configurable-http-proxy")


def _unavailable(reason, must_run):
    if must_run and in_ci():
        pytest.fail(f"CI=true but the JupyterHub test cannot run: {reason}", pytrace=False)
    pytest.skip(f"JupyterHub test skipped: {reason}")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url, timeout, proc=None, log=None):
    import requests
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited ({proc.returncode}):\n{_tail(log)}")
        try:
            if requests.get(url, timeout=2).status_code == 200:  # the proxy routes to the hub
                return
        except requests.ConnectionError:
            pass
        else:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout} s:\n{_tail(log)}")


def _tail(path, n=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-n:])
    except (OSError, TypeError):
        return ""


def _make_user(name):
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name],
                   check=True, capture_output=True)
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)  # as nbgrader on a shared machine needs: homes are private
    return home


def _remove_user(name):
    import psutil
    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    procs = [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and
             p.info["uids"].real == uid]
    for p in procs:   # the servers and kernels the hub started for this test's users
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


HUB_CONFIG = '''
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/cookie_secret"
c.JupyterHub.cleanup_servers = True
# PAM-free: a shared password, and only the class may log in
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allowed_users = {users!r}
c.Authenticator.admin_users = {{{instructor!r}}}
# each user's server runs as that system user, in their home
import os
from jupyterhub.spawner import LocalProcessSpawner
from course_lib.grading import sandbox

REVEAL = {reveal!r}


def reveal_python():
    """In a mount namespace of the server's own: cover each folder the user cannot enter
    (e.g. /root, 0700, when Python is installed under it) with an empty tmpfs and bind the
    Python installation back at its own path, read-only. Nothing else of it becomes visible."""
    sandbox._unshare(sandbox.CLONE_NEWNS, "give the server its own mount namespace")
    sandbox._mount(None, "/", None, sandbox.MS_REC | sandbox.MS_PRIVATE)
    held = {{p: os.open(p, os.O_PATH) for p in REVEAL["need"]}}  # before covering
    for folder in REVEAL["cover"]:
        sandbox._mount("tmpfs", folder, "tmpfs", sandbox.MS_NOSUID | sandbox.MS_NODEV,
                       "size=64k,mode=755")
    bound = []
    for path, fd in sorted(held.items()):
        if any(sandbox._under(path, f) for f in REVEAL["cover"]) and \
                not any(sandbox._under(path, b) for b in bound):
            os.makedirs(path, exist_ok=True)
            sandbox._mount(f"/proc/self/fd/{{fd}}", path, None, sandbox.MS_BIND | sandbox.MS_REC)
            sandbox._mount(None, path, None, sandbox.MS_REMOUNT | sandbox.MS_BIND |
                           sandbox.MS_RDONLY | sandbox._locked_flags(path))
            bound.append(path)
        os.close(fd)


class ClassSpawner(LocalProcessSpawner):
    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)

        def preexec():
            if REVEAL["cover"]:
                reveal_python()
            become_user()
        return preexec


c.JupyterHub.spawner_class = ClassSpawner
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.default_url = "/lab"
# lets the browser test read the notebook model (window.jupyterapp); changes nothing a user sees
c.Spawner.args = ["--LabServerApp.expose_app_in_browser=True"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {{"JUPYTER_CONFIG_PATH": {shared_config!r}}}
# the test's own handle on the hub
c.JupyterHub.services = [{{"name": "class-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "class-test", "services": ["class-test"],
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"]}}]
'''

#: What every user's nbgrader reads (like /etc/jupyter/nbgrader_config.py on a real hub).
SHARED_NBGRADER_CONFIG = '''
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = {exchange!r}
'''


def _reveal():
    """The Python installation the servers need, and the folders above it that other users
    cannot enter (here: a pyenv Python under /root, 0700). A real hub installs Python where
    every user can read it; the test servers get it bound into their own mount namespace."""
    from course_lib.grading import sandbox
    need = sandbox._needed_paths()
    return {"need": need, "cover": sandbox._unreachable_ancestors(need)}


class Hub:
    """A running hub and the test's handle on it (hub API, per-user server API, kernels)."""

    def __init__(self, url, token, exchange, log, password):
        import requests
        self.url, self.exchange, self.log = url, Path(exchange), log
        self.password = password   # DummyAuthenticator's: every user logs in with it
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"token {token}"
        self.user_tokens, self.sessions, self.kernels = {}, {}, {}

    # -- the hub's REST API ----------------------------------------------------------------
    def hub_api(self, method, path, **kw):
        r = self.api.request(method, f"{self.url}/hub/api{path}", timeout=60, **kw)
        assert r.status_code < 400, f"{method} {path}: {r.status_code} {r.text[:500]}"
        return r.json() if r.text else None

    def start_servers(self, users, timeout=240):
        known = {u["name"] for u in self.hub_api("GET", "/users")}
        missing = [u for u in users if u not in known]
        if missing:
            self.hub_api("POST", "/users", json={"usernames": missing})
        for user in users:
            self.hub_api("POST", f"/users/{user}/server")
        end = time.monotonic() + timeout
        waiting = set(users)
        while waiting and time.monotonic() < end:
            for user in sorted(waiting):
                model = self.hub_api("GET", f"/users/{user}")
                if model["servers"].get("", {}).get("ready"):
                    waiting.discard(user)
            time.sleep(0.5)
        assert not waiting, f"servers not ready in {timeout} s: {waiting}\n{_tail(self.log)}"
        for user in users:
            token = self.hub_api("POST", f"/users/{user}/tokens", json={
                "note": "class test", "expires_in": 3600,
                "scopes": [f"access:servers!user={user}"]})["token"]
            import requests
            s = requests.Session()
            s.headers["Authorization"] = f"token {token}"
            self.user_tokens[user], self.sessions[user] = token, s

    # -- a user's own server ---------------------------------------------------------------
    def server(self, user, method, path, expect=200, **kw):
        r = self.sessions[user].request(method, f"{self.url}/user/{user}{path}", timeout=120,
                                        **kw)
        assert r.status_code == expect, f"{user} {method} {path}: {r.status_code} {r.text[:800]}"
        return r.json() if r.text else None

    def kernel(self, user, path):
        """A kernel of ``user``'s server for the notebook ``path`` (its cwd: the folder)."""
        if (user, path) not in self.kernels:
            model = self.server(user, "POST", "/api/sessions", expect=201, json={
                "path": path, "type": "notebook", "name": Path(path).name,
                "kernel": {"name": "python3"}})
            self.kernels[user, path] = model["kernel"]["id"]
        return self.kernels[user, path]

    def run(self, user, code, path="run.ipynb", timeout=300):
        """Run ``code`` in ``user``'s kernel; return its stdout (raise on an error)."""
        import websocket
        kid = self.kernel(user, path)
        ws = websocket.create_connection(
            f"{self.url.replace('http', 'ws', 1)}/user/{user}/api/kernels/{kid}/channels",
            header=[f"Authorization: token {self.user_tokens[user]}"], timeout=timeout,
            suppress_origin=True)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False,
                            "stop_on_error": True}}))
            out, error = [], None
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = "\n".join(msg["content"]["traceback"])
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
        finally:
            ws.close()
        if error:
            raise AssertionError(f"{user}'s kernel raised:\n{error}\nstdout: {''.join(out)}")
        return "".join(out)

    def sh(self, user, *args, ok=True):
        """Run a command as ``user`` (in a kernel of their server); return (code, output)."""
        out = self.run(user, (
            "import json, subprocess\n"
            f"_p = subprocess.run({list(map(str, args))!r}, capture_output=True, text=True)\n"
            "print('\\nRESULT' + json.dumps([_p.returncode, _p.stdout + _p.stderr]))\n"))
        code, text = json.loads(out.rsplit("\nRESULT", 1)[1])
        if ok:
            assert code == 0, f"{user}: {' '.join(map(str, args))} exited {code}:\n{text}"
        return code, text


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """JupyterHub on loopback with the class's accounts and a shared exchange; the users are
    removed afterwards."""
    if os.geteuid() != 0:
        _unavailable("it must run as root (it creates system users and the spawner switches "
                     "to them)", must_run=False)
    try:
        import jupyterhub  # noqa: F401
        import websocket  # noqa: F401
    except ImportError as exc:
        _unavailable(f"{exc.name} is not installed (pip install -r requirements-test.txt)",
                     must_run=True)
    chp = find_chp()
    if not chp:
        _unavailable(f"configurable-http-proxy is not installed: {HOW_TO_ENABLE}",
                     must_run=True)
    if not shutil.which("useradd"):
        _unavailable("useradd is missing", must_run=False)
    for user in (INSTRUCTOR, *STUDENTS):
        _remove_user(user)   # left over from an interrupted run
    state = tmp_path_factory.mktemp("hub")
    # shared with every user: the exchange (world-writable, as nbgrader documents) and the
    # students' nbgrader config
    shared = Path(tempfile.mkdtemp(prefix="hub-class-", dir="/tmp"))
    shared.chmod(0o755)
    exchange = shared / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    config_dir = shared / "jupyter"
    config_dir.mkdir()
    (config_dir / "nbgrader_config.py").write_text(SHARED_NBGRADER_CONFIG.format(
        course_id=COURSE_ID, exchange=str(exchange)))
    config_dir.chmod(0o755)
    token, password = secrets.token_hex(32), secrets.token_hex(8)
    port = _free_port()
    (state / "jupyterhub_config.py").write_text(HUB_CONFIG.format(
        port=port, hub_port=_free_port(), proxy_api_port=_free_port(), chp=chp,
        state=state, password=password, users={INSTRUCTOR, *STUDENTS},
        instructor=INSTRUCTOR, singleuser=str(Path(sys.executable).parent /
                                              "jupyterhub-singleuser"),
        shared_config=str(config_dir), token=token, reveal=_reveal()))
    log = state / "jupyterhub.log"
    proc = None
    try:
        for user in (INSTRUCTOR, *STUDENTS):
            _make_user(user)
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
               "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(16)}
        with open(log, "w") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f",
                                     str(state / "jupyterhub_config.py")], cwd=state, env=env,
                                    stdout=fh, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        _wait_http(f"{url}/hub/api/", 90, proc, log)
        yield Hub(url, token, exchange, log, password)
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)   # the hub stops the servers and the proxy
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for user in (INSTRUCTOR, *STUDENTS):
            _remove_user(user)
        shutil.rmtree(shared, ignore_errors=True)
