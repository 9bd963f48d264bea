"""A learner's first minutes in a real browser: time from starting the server to the first figure.

Each repeat starts a fresh JupyterLab (127.0.0.1, token, isolated settings) and a fresh Chromium
profile, opens the welcome notebook, runs all cells, writes and saves a first sentence and waits
for the first plotly figure — the same steps as tests/browser/test_first_five_minutes.py.
Needs Chromium (see README); reports nothing if it is missing. Asserts nothing.

    .venv/bin/python benchmarks/bench_browser.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3


def benchmarks(repeats=REPEATS):
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from harness import find_chromium
    from test_first_five_minutes import first_five_minutes

    chromium = find_chromium()
    welcome = sorted((ROOT / "notebooks").glob("00_*.ipynb"))
    if chromium is None or not welcome:
        print("bench_browser: no Chromium or no welcome notebook; skipped", file=sys.stderr)
        return {}
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as pw:
        for _ in range(repeats):
            with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
                runs.append(first_five_minutes(pw, chromium, welcome[0], Path(tmp)))
    out = {}
    for step in runs[0]:
        values = sorted(r[step] for r in runs)
        out[f"browser: server start -> {step}, median (s)"] = statistics.median(values)
    out["browser: server start -> first figure drawn, worst (s)"] = max(
        r["first figure drawn"] for r in runs)
    return out


if __name__ == "__main__":
    for name, value in benchmarks().items():
        print(f"{value:8.2f}  {name}")
