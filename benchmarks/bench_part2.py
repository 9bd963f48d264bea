"""Part 2: one key press in the labelling widget -> recorded (durably) + progress redrawn.

Drives the real digits widget through the key catcher's message handler (the path a browser
key press takes) in a workspace on disk, and times each key kernel-side. Done twice: in this
process, and inside a real Jupyter kernel, where every widget change is also serialised and
sent over its comm. Also times the heavier part-2 computations. Prints medians and p95s;
asserts nothing. Bar: a key press p95 <= 50 ms.

    .venv/bin/python benchmarks/bench_part2.py
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from timing import key_figures, print_figures, time_label_keys

ROOT = Path(__file__).resolve().parents[1]


def time_keys(folder, rounds=2):
    """Label every digit (key, Enter), with a Backspace + relabel every 5th; times in ms."""
    from course_lib.part2.digit_labels import _digits, digits_widget

    target = _digits().target
    return time_label_keys(folder, lambda ws: digits_widget(ws.activity("part2.digits")),
                           lambda item: str(target[int(item)]), rounds=rounds)


_KERNEL_CELL = """
import json, sys, tempfile
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
import ipywidgets
from IPython.display import display
from bench_part2 import time_keys
from course_lib.part2.digit_labels import digits_widget
display(ipywidgets.Label("benchmark"))
print("TIMES" + json.dumps(time_keys(tempfile.mkdtemp())))
"""


def time_keys_in_kernel():
    """The same measurement inside a Jupyter kernel (comms live), via nbclient."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        _KERNEL_CELL.format(root=str(ROOT), bench=str(Path(__file__).parent)))])
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": tmp}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.get("name") == "stdout")
    return json.loads(out.split("TIMES", 1)[1])


def benchmarks():

    from course_lib.methods.aggregation import DawidSkene, annotator_confusion, simulate_crowd
    from course_lib.part2.digit_labels import _digits, choose_digits
    from course_lib.part2.noise_and_crowds import noise_with_your_labels

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        local = time_keys(tmp)
    for where, times in (("in process", local), ("in a Jupyter kernel", time_keys_in_kernel())):
        out.update(key_figures(times, where))

    with tempfile.TemporaryDirectory() as tmp:
        from course_lib.core.workspace import Workspace
        from course_lib.part2.digit_labels import digits_widget
        ws = Workspace(tmp)
        t = time.perf_counter()
        for i in range(5):
            digits_widget(ws.activity(f"bench.w{i}"))
        out["build the digits widget, mean (ms)"] = (time.perf_counter() - t) / 5 * 1000
        ws.close()

    conf = [annotator_confusion(0.95, 10)] * 2 + [annotator_confusion(0.45, 10)] * 7
    _, labels = simulate_crowd(1000, conf, random_state=0)
    fits = []
    for _ in range(5):
        t = time.perf_counter()
        DawidSkene(n_classes=10).fit(labels)
        fits.append((time.perf_counter() - t) * 1000)
    out["Dawid–Skene fit, 1000 items × 9 annotators × 10 classes, median (ms)"] = \
        statistics.median(fits)

    answers = {i: int(_digits().target[i]) for i in choose_digits()}
    t = time.perf_counter()
    noise_with_your_labels(answers)
    out["noise curve, 6 rates × 100 draws, 1-NN on 40 digits (ms)"] = \
        (time.perf_counter() - t) * 1000
    return out


if __name__ == "__main__":
    print_figures(benchmarks)
