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
        result = getattr(report, "reproduces", None)
        if result:
            _REPRODUCED.setdefault(result, []).append(report.outcome)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    marker = item.get_closest_marker("reproduces")
    if marker and marker.args:
        outcome.get_result().reproduces = marker.args[0]


def pytest_terminal_summary(terminalreporter):
    """One line per published result the run checked, with how its tests came out."""
    if not _REPRODUCED:
        return
    terminalreporter.section("published results checked (pytest -m reproduces)")
    for result, outcomes in _REPRODUCED.items():
        ok = all(o == "passed" for o in outcomes)
        terminalreporter.write_line(f"{'ok  ' if ok else 'FAIL'} {result} "
                                    f"({outcomes.count('passed')}/{len(outcomes)} passed)")
