"""Offline: the page loads nothing but loopback (plotly.js comes from the installed package),
and the guards that make any network use fail loudly do work (a test that can fail)."""
import re

import pytest
from harness import NOTEBOOKS, NotebookPage


def test_page_guard_blocks_and_records_the_network(context, lab_server):
    page = context.new_page()          # about:blank: no server CSP in the way
    failed = page.evaluate("""async () => {
        try { await fetch('https://cdn.plot.ly/plotly-latest.min.js'); return false; }
        catch (e) { return true; } }""")
    assert failed, "the request should have been aborted"
    assert context.network_guard.blocked == ["https://cdn.plot.ly/plotly-latest.min.js"]
    context.network_guard.blocked.clear()   # seen: do not fail the fixture's own check


def test_kernel_guard_fails_loudly(page, lab_server, workdir):
    """A kernel started by the test server cannot reach the network, and the attempt is logged."""
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(
        "import socket\n"
        "for where in [('example.org', 80), ('192.0.2.1', 80)]:\n"
        "    try:\n"
        "        socket.create_connection(where, timeout=5)\n"
        "    except OSError as exc:\n"
        "        print(type(exc).__name__, exc)\n")]
    nbformat.write(nb, workdir / "net.ipynb")
    nbp = NotebookPage(page, lab_server, f"{workdir.name}/net.ipynb").open()
    state = nbp.run_all()
    out = nbp.output_text(state)
    assert out.count("course test guard") == 2, out   # the name lookup and the connection
    attempts = lab_server.network_attempts()
    assert any("example.org" in a for a in attempts) and any("192.0.2.1" in a for a in attempts), \
        attempts
    lab_server.network_log.unlink()          # seen: do not fail the server's own check


@pytest.mark.parametrize("nb_path", [p for p in NOTEBOOKS if p.name.startswith("00_")],
                         ids=lambda p: p.stem)
def test_plotly_js_comes_from_the_installed_package(nb_path, open_notebook, context):
    nbp = open_notebook(nb_path)
    state = nbp.run_all()
    nbp.wait_figures(1)
    requests = context.network_guard.requests
    assert any("/lab/extensions/jupyterlab-plotly/static/" in r for r in requests), \
        "plotly.js should be loaded from the jupyterlab-plotly extension served by the server"
    assert not any("cdn" in r.lower() for r in requests), [r for r in requests if "cdn" in r]
    # an output may embed plotly.js (whose source mentions its CDN), but never load a script
    # from elsewhere
    html = nbp.output_text(state)
    remote = re.findall(r"<script[^>]+src=[\"']?(?:https?:)?//[^\"' >]+", html)
    assert not remote, remote
