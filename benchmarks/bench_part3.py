"""Part 3: one judgment -> recorded, reward model refitted, policy re-tilted, figure updated.

Drives the real pairwise widget from code (the same path as a key press) with the live
tuning view attached, and times each judgment kernel-side. Prints medians and p95s; asserts
nothing. Bar: p95 <= 100 ms.

    .venv/bin/python benchmarks/bench_part3.py
"""
from __future__ import annotations

import statistics
import tempfile
import time

from timing import p95


def benchmarks(n_judgments=36):
    from course_lib.core.workspace import Workspace
    from course_lib.methods.judgments import PAIRWISE, PASSFAIL, pair_table, rating_table
    from course_lib.methods.reward_model import BradleyTerryRewardModel
    from course_lib.methods.toy_assistant import ToyAssistant
    from course_lib.methods.tuning import beta_sweep
    from course_lib.part3.feedback_widgets import PairwiseFeedback
    from course_lib.part3.feedback_work import plans
    from course_lib.part3.live_tuning import LiveTuning
    from course_lib.part3.simulated_judge import SimulatedJudge

    model = ToyAssistant()
    pair_items, pf_items = plans(model)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp)
        live = LiveTuning(model, ws.activity(PAIRWISE), ws.activity(PASSFAIL))
        widget = PairwiseFeedback(ws.activity(PAIRWISE), model, pair_items[:n_judgments])
        live.attach(widget)
        keys = ["ArrowLeft", "ArrowRight", "ArrowLeft", "ArrowDown", "ArrowRight"]
        times = []
        for i in range(n_judgments):
            t = time.perf_counter()
            widget.press(keys[i % len(keys)])
            times.append((time.perf_counter() - t) * 1000)
        ws.close()
    what = "part3: judgment -> saved + refit + re-tilt + redraw"
    out[f"{what}, median (ms)"] = statistics.median(times)
    out[f"{what}, p95 (ms)"] = p95(times)

    judge = SimulatedJudge(random_state=0)
    pairs = pair_table(judge.pairwise_events(model, pair_items))
    ratings = rating_table(judge.passfail_events(model, pf_items))
    fits = []
    for _ in range(30):
        t = time.perf_counter()
        rm = BradleyTerryRewardModel().fit(model.features(), pairs, ratings)
        fits.append((time.perf_counter() - t) * 1000)
    out["part3: reward-model fit on 52 judgments, median (ms)"] = statistics.median(fits)
    t = time.perf_counter()
    beta_sweep(model, rm.reward())
    out["part3: 25-step beta sweep with diversity (ms)"] = (time.perf_counter() - t) * 1000
    return out


if __name__ == "__main__":
    for name, value in benchmarks().items():
        print(f"{name:70s} {value:8.1f}")
