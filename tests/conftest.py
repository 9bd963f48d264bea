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
