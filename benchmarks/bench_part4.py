"""Part 4: key presses in the tone widget, the threshold sliders, the retrain, and the notebook.

* a key press in the approve/reject widget (through the key catcher's message handler, the
  path a browser key takes), recorded durably in a workspace on disk;
* a threshold slider move: record the setting + recompute the per-group rates + redraw the
  LiveFigure and the table (the part's live figure);
* retraining the model on 40 decisions and measuring it with fairlearn (what re-running the
  section-2 cell costs), and the annotator-mix experiment;
* the notebook headless (fresh kernel, simulated learner): run time and kernel peak memory.

Prints medians and p95s; asserts nothing. Bars: a response p95 <= 50 ms; the notebook
<= 20 s and <= 500 MB.

    .venv/bin/python benchmarks/bench_part4.py
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from timing import key_figures, notebook_figures, p95, print_figures, time_label_keys



def time_keys(folder, rounds=2):
    """Approve/reject every item (key, Enter), a Backspace + redo every 5th; times in ms."""
    from course_lib.part4.tone_labels import load_items, tone_widget

    ref = load_items()["reference"]
    return time_label_keys(folder, lambda ws: tone_widget(ws.activity("part4.tone")),
                           lambda item: "1" if ref[item] else "2", rounds=rounds)


def time_sliders(folder, moves=60):
    """Move the two threshold sliders back and forth; ms per move (record + recompute + redraw)."""
    from course_lib.core.workspace import Workspace
    from course_lib.part4.fairness_choice import ThresholdExplorer
    from course_lib.part4.tone_labels import choose_items, load_items
    from course_lib.part4.your_model import train_and_measure

    ref = load_items()["reference"]
    report = train_and_measure({i: int(ref[i]) for i in choose_items()})
    ws = Workspace(Path(folder) / "sliders")
    ex = ThresholdExplorer(report, activity=ws.activity("part4.thresholds"))
    groups = list(ex.sliders)
    values = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]
    times = [ex.set_threshold(groups[i % 2], values[i % len(values)]) for i in range(moves)]
    ws.close()
    return times


def benchmarks():
    from course_lib.part4 import annotator_mix
    from course_lib.part4.tone_labels import choose_items, load_items
    from course_lib.part4.your_model import train_and_measure

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        keys = time_keys(tmp)
        sliders = time_sliders(tmp)
    out.update(key_figures(keys))
    out["threshold slider: record + recompute + redraw, median (ms)"] = \
        statistics.median(sliders)
    out["threshold slider: record + recompute + redraw, p95 (ms)"] = p95(sliders)

    ref = load_items()["reference"]
    answers = {i: int(ref[i]) for i in choose_items()}
    train_and_measure(answers)                                  # warm (imports)
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        r = train_and_measure(answers)
        r.by_group()
        runs.append((time.perf_counter() - t) * 1000)
    out["retrain on 40 decisions + fairlearn MetricFrames, median (ms)"] = \
        statistics.median(runs)
    t = time.perf_counter()
    r.gaps()
    out["bootstrap intervals, 3 × 300 resamples (ms)"] = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    annotator_mix.pool_experiment(n_seeds=3)
    out["annotator-mix experiment, 3 seeds × 4 pools × 2 methods (ms)"] = \
        (time.perf_counter() - t) * 1000

    out.update(notebook_figures("04_bias"))
    return out


if __name__ == "__main__":
    print_figures(benchmarks)
