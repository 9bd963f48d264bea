"""Part 5: the regime chooser's key presses, the longer simulations, and the notebook.

* a generation run from the chooser (Enter through the key catcher's message handler, the path a
  browser key takes): record durably + rerun the Gaussian and the word model under the choices
  + redraw the LiveFigure; an undo (Backspace); a choice key (no rerun);
* the simulations the notebook runs (chains, regression, digits, n-gram corpus, detector);
* the notebook headless (fresh kernel, simulated learner): run time and kernel peak memory.

Prints medians and p95s; asserts nothing. Bars: a response p95 <= 50 ms; the notebook
<= 20 s and <= 500 MB.

    .venv/bin/python benchmarks/bench_part5.py
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from timing import notebook_figures, p95, print_figures



def time_chooser(folder, rounds=3):
    from course_lib.core.workspace import Workspace
    from course_lib.part5 import learner_data, regime
    from course_lib.part5.your_corpus import words_of
    from course_lib.widgets.keyboard import browser_message

    ws = Workspace(Path(folder) / "ws")
    ratings = learner_data.your_ratings(ws, show=False)
    corpus = learner_data.your_corpus(ws, show=False)
    times = {"run": [], "undo": [], "choice": []}
    for r in range(rounds):
        act = ws.activity("part5.regime")
        w = regime.RegimeChooser(act, numbers=ratings, words=words_of(corpus.values[0]))

        def press(key, kind):
            t = time.perf_counter()
            w.keys._handle_msg(browser_message(key))
            times[kind].append((time.perf_counter() - t) * 1000)

        for g in range(10):
            press("a" if g % 2 else "r", "choice")
            press(str(g % 5), "choice")
            press("Enter", "run")
            if g % 3 == 2:
                press("Backspace", "undo")
                press("Enter", "run")
        act.reset(confirm=True)
    ws.close()
    return times


def benchmarks():
    from course_lib.core.workspace import Workspace
    from course_lib.part5 import accumulate, digits, learner_data, your_corpus, your_numbers

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        times = time_chooser(tmp)
        ws = Workspace(Path(tmp) / "sims")
        ratings = learner_data.your_ratings(ws, show=False)
        corpus = learner_data.your_corpus(ws, show=False)
        mine = learner_data.your_digits(ws, show=False)
        ws.close()
    for kind, label in (("run", "Enter (record + rerun + redraw)"), ("undo", "Backspace (undo)"),
                        ("choice", "choice key (r/a/0-9)")):
        out[f"chooser key, {label}, median (ms)"] = statistics.median(times[kind])
        out[f"chooser key, {label}, p95 (ms)"] = p95(times[kind])

    def timed(name, f):
        t = time.perf_counter()
        result = f()
        out[f"{name} (ms)"] = (time.perf_counter() - t) * 1000
        return result

    timed("Gaussian chains, 2 estimators x 4000 chains x 60 generations",
          lambda: your_numbers.average_and_typical(ratings))
    timed("regression, 2 regimes x 300 repeats x 10 generations",
          lambda: accumulate.regression_curves())
    timed("fresh-share chains, 4 shares x 2000 chains x 100 generations",
          lambda: accumulate.fresh_curves(ratings))
    timed("digit models, 2 regimes x 10 generations", lambda: digits.digit_runs(mine))
    text = timed("n-gram corpus, 3 regimes x 10 generations",
                 lambda: your_corpus.text_runs(corpus))
    timed("detector, 6 generations' text", lambda: your_corpus.contamination(corpus, text))

    out.update(notebook_figures("05_model_collapse"))
    return out


if __name__ == "__main__":
    print_figures(benchmarks)
