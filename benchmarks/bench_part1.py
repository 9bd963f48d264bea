"""Part 1: fit the n-gram model on the whole shipped corpus, sample 20 sentences, move a slider.

Fitting is measured cold (the tokenizer's cache cleared, so splitting the text counts) and
warm. A slider move is timed kernel-side through the real path (slider value -> record ->
assemble -> refit -> sample -> measure -> redraw). Prints medians and p95s; asserts nothing.
Bars: fit <= 1 s, 20 sentences <= 100 ms, slider update p95 <= 50 ms.

    .venv/bin/python benchmarks/bench_part1.py
"""
from __future__ import annotations

import statistics
import tempfile
import time

from timing import p95


def benchmarks(repeats=7, moves=40):
    import numpy as np

    from course_lib.core.workspace import Workspace
    from course_lib.methods import tokens
    from course_lib.methods.corpus import load_sources
    from course_lib.methods.ngram import NGramLanguageModel
    from course_lib.part1.mix import MixExplorer
    from course_lib.part1.writing import simulated_texts

    sources = load_sources(writing=simulated_texts(5))
    shipped = list(sources["jargon_file"].texts) + list(sources["devils_dictionary"].texts)
    cold, warm = [], []
    for _ in range(repeats):
        tokens._sentences_cached.cache_clear()
        t = time.perf_counter()
        model = NGramLanguageModel(n=3).fit(shipped)
        cold.append(time.perf_counter() - t)
        t = time.perf_counter()
        NGramLanguageModel(n=3).fit(shipped)
        warm.append(time.perf_counter() - t)
    sample = []
    for seed in range(repeats * 3):
        t = time.perf_counter()
        model.sample(20, random_state=seed)
        sample.append((time.perf_counter() - t) * 1000)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp)
        explorer = MixExplorer(sources, activity=ws.activity("part1.mix"))
        names = list(explorer.sliders)
        updates, cpu = [], []
        for _ in range(moves):
            name = names[int(rng.integers(len(names)))]
            c = time.process_time()
            explorer.sliders[name].value = float(np.round(rng.uniform(0.05, 1.0), 2))
            cpu.append((time.process_time() - c) * 1000)
            updates.append(explorer.timings_ms[-1])
        ws.close()
    return {
        f"part 1: fit trigram model on both shipped corpora ({model.n_tokens_:,} tokens), "
        "cold, median (s)": statistics.median(cold),
        "part 1: fit trigram model on both shipped corpora, warm tokenizer, median (s)":
            statistics.median(warm),
        "part 1: sample 20 sentences, median (ms)": statistics.median(sample),
        "part 1: sample 20 sentences, p95 (ms)": p95(sample),
        "part 1: mix slider move -> refit, sample, measure, redraw, median (ms)":
            statistics.median(updates),
        "part 1: mix slider move -> refit, sample, measure, redraw, p95 (ms)": p95(updates),
        "part 1: mix slider move, CPU time of this process, p95 (ms)": p95(cpu),
    }


if __name__ == "__main__":
    for what, value in benchmarks().items():
        print(f"{value:10.3f}  {what}")
