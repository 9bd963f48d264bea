"""What the benchmark scripts share: percentiles, and timing key presses in a labelling widget.

Benchmarks import it as ``timing`` (their folder is on ``sys.path`` whether they run alone or
from ``run.py``).
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The key presses of a labelling widget, as (kind, label) for the printed figures.
KEY_KINDS = (("pick", "number key (pick)"), ("save", "Enter (save + progress)"),
             ("undo", "Backspace (undo)"))


def p95(values):
    """The 95th percentile (nearest rank) of ``values``."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def time_label_keys(folder, make_widget, answer_key, rounds=2):
    """Label every item (answer key, Enter), a Backspace + relabel every 5th; ms per press.

    ``make_widget(workspace)`` builds a fresh labelling widget in a workspace on disk;
    ``answer_key(item)`` is the key for an item. Keys go through the key catcher's message
    handler, the path a browser key press takes. Returns ``{"pick"|"save"|"undo": [ms, ...]}``.
    """
    from course_lib.core.workspace import Workspace
    from course_lib.widgets.keyboard import browser_message

    times = {kind: [] for kind, _ in KEY_KINDS}
    for r in range(rounds):
        ws = Workspace(Path(folder) / f"ws{r}")
        w = make_widget(ws)

        def press(key, kind):
            t = time.perf_counter()
            w.catcher._handle_msg(browser_message(key))      # ipywidgets' entry point
            times[kind].append((time.perf_counter() - t) * 1000)

        n = 0
        while not w.finished:
            press(answer_key(w.current_item), "pick")
            press("Enter", "save")
            n += 1
            if n % 5 == 0 and not w.finished:
                press("Backspace", "undo")
        ws.close()
    return times


def key_figures(times, where=""):
    """Median and p95 of each kind of key press, named for the printed table."""
    suffix = f", {where}" if where else ""
    out = {}
    for kind, label in KEY_KINDS:
        out[f"key press, {label}{suffix}, median (ms)"] = statistics.median(times[kind])
        out[f"key press, {label}{suffix}, p95 (ms)"] = p95(times[kind])
    return out


def notebook_figures(stem):
    """Headless run time and kernel peak memory of ``notebooks/<stem>.ipynb`` (a fresh kernel)."""
    from run import bench_notebook

    seconds, mb = bench_notebook(ROOT / "notebooks" / f"{stem}.ipynb")
    return {f"notebook {stem[:2]} headless run (s)": seconds,
            f"notebook {stem[:2]} kernel peak memory (MB)": mb}


def print_figures(benchmarks):
    """What a bench script does when run on its own: its figures, one a line."""
    import sys

    sys.path.insert(0, str(ROOT))
    for name, value in benchmarks().items():
        print(f"  {name:<78} {value:>9.2f}")
