"""Shared test fixtures. Every test runs with no network: a socket connection fails loudly."""
import socket

import pytest


class NetworkUsed(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch, request):
    """Fail any test that opens a non-loopback connection (the course must run offline)."""
    if request.node.get_closest_marker("allow_network"):
        return
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")
                                      or self.family == socket.AF_UNIX):
            return real_connect(self, address)
        raise NetworkUsed(f"test tried to reach the network: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def workspace(tmp_path):
    from course_lib.core.workspace import Workspace
    ws = Workspace(tmp_path / "my_work")
    yield ws
    ws.close()


_REPRODUCED = {}


def pytest_runtest_logreport(report):
    """Remember the outcome of every published-result check (``@pytest.mark.reproduces``)."""
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        result = dict(report.user_properties).get("reproduces")
        if result:
            _REPRODUCED.setdefault(result, []).append(report.outcome)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    marker = item.get_closest_marker("reproduces")
    if marker and marker.args:
        # user_properties travel from a pytest-xdist worker to the summary in the controller
        outcome.get_result().user_properties.append(("reproduces", marker.args[0]))


#: Expensive fixtures shared beyond one module: every test that uses one runs in one worker.
SHARED_FIXTURE_GROUPS = {"graded_batch": "graded_batch", "binder_build": "binder"}


def pytest_itemcollected(item):
    """Keep what shares an expensive fixture in one pytest-xdist worker (``--dist loadgroup``).

    A test using a shared session fixture (one graded batch, the Binder build) joins that
    fixture's group; the tests of a module with a module-scoped fixture share a group named for
    the module. Everything else is handed out test by test. (Marked as each test is collected:
    pytest-xdist turns the groups into test ids in its own collection_modifyitems.)
    """
    group = next((g for name, g in SHARED_FIXTURE_GROUPS.items()
                  if name in getattr(item, "fixturenames", ())), None)
    if group is None:
        defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        if any(d.scope == "module" for fixturedefs in defs.values() for d in fixturedefs):
            group = item.module.__name__
    if group is not None:
        item.add_marker(pytest.mark.xdist_group(group))
