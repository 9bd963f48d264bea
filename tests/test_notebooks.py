"""Every notebook runs top to bottom with no person, in a fresh kernel and a fresh folder.

The notebook is copied into a temporary folder, so its workspace starts empty and the run uses
the simulated learner, as CI and nbgrader's autograder do. Its outputs are then checked for
errors and for the simulated-work notice.
"""
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run_notebook(path, workdir, timeout=120):
    """Execute the notebook at ``path`` inside ``workdir``; return the executed notebook."""
    dest = Path(workdir) / path.name
    shutil.copy(path, dest)
    nb = nbformat.read(dest, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_headless(path, tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_WORKSPACE", raising=False)
    nb = run_notebook(path, tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors, errors
    text = "\n".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("text", ""))
                     + str(o.get("data", {}).get("text/plain", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "simulated" in text.lower(), "a headless run must say it uses simulated work"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: clear outputs with tools/clear_outputs.py (cells {dirty})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_skeleton(path):
    """Title, goals and time, one setup call, a summary, exercises and a reflection."""
    nb = nbformat.read(path, as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert nb.cells[0].source.startswith("# "), "first cell must be the title"
    for needle in ("goal", "time", "summary", "exercise", "reflection"):
        assert needle in md, f"{path.name} has no '{needle}' section"
    assert code.count("course_lib.setup(") == 1, "exactly one setup call"


@pytest.mark.notebook
def test_exported_html_carries_plotly_offline(tmp_path):
    """Figures in exported HTML (nbconvert, nbgrader feedback) need no internet: plotly.js is inline."""
    from nbconvert import HTMLExporter
    nb = run_notebook(ROOT / "notebooks" / "00_welcome.ipynb", tmp_path)
    html, _ = HTMLExporter().from_notebook_node(nb)
    import re
    scripts = lambda page: set(re.findall(r'<script[^>]+src="(https?://[^"]+)"', page))
    blank, _ = HTMLExporter().from_notebook_node(nbformat.v4.new_notebook())
    assert scripts(html) == scripts(blank), "figures must not load scripts from the network"
    assert "Plotly.newPlot" in html, "no figure in the exported HTML"
    assert html.count("plotly.js v") == 1, "plotly.js must be embedded exactly once"
