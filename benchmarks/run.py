"""The course's benchmark: prints figures against the quality bars. Not a test; asserts nothing.

    .venv/bin/python benchmarks/run.py               # everything
    .venv/bin/python benchmarks/run.py --only core   # skip the notebooks and the parts' benchmarks

Measures, for each notebook, the headless run time (nbclient, fresh kernel, fresh folder so the
simulated learner is used) and the kernel's peak memory (VmHWM of the kernel process); the time
of ``import course_lib``; the kernel-side time to record one learner action; and whatever each
``benchmarks/bench_*.py`` reports through its ``benchmarks()`` function. Machines here are shared
and noisy: read medians and ratios, and run it twice before believing a surprise.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import p95

ROOT = Path(__file__).resolve().parents[1]
BARS = {"notebook (s)": 20.0, "kernel peak memory (MB)": 500.0, "import course_lib (s)": 1.0,
        "record one action, p95 (ms)": 5.0}


def bench_import(repeats=7):
    code = ("import time; t = time.perf_counter(); import course_lib; "
            "a = time.perf_counter() - t; course_lib.setup(part=0, workspace=__import__('tempfile')"
            ".mkdtemp()); print(a, time.perf_counter() - t)")
    runs = [tuple(map(float, subprocess.run([sys.executable, "-c", code], capture_output=True,
                                            text=True, check=True).stdout.split()))
            for _ in range(repeats)]
    return {"import course_lib (s)": statistics.median(r[0] for r in runs),
            "import course_lib + setup() incl. plotly (s)": statistics.median(r[1] for r in runs)}


def bench_record(n=400):
    from course_lib.core.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        act = Workspace(tmp).activity("bench.record")
        times = []
        for i in range(n):
            t = time.perf_counter()
            act.record(f"item-{i}", {"rating": i % 9 - 4}, elapsed=1.0)
            times.append((time.perf_counter() - t) * 1000)
    return {"record one action, median (ms)": statistics.median(times),
            "record one action, p95 (ms)": p95(times)}


#: Appended to the copy of a notebook being measured: the kernel reports its own peak memory.
_PEAK_CELL = ("print('PEAK_MB', [int(l.split()[1]) / 1024 for l in open('/proc/self/status') "
              "if l.startswith('VmHWM:')][0])")


def bench_notebook(path):
    import shutil

    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / path.name
        shutil.copy(path, dest)
        nb = nbformat.read(dest, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(_PEAK_CELL))
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": tmp}})
        t = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - t
        out = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        mb = float(out.split()[1]) if out.startswith("PEAK_MB") else float("nan")
        return seconds, mb


def part_benchmarks():
    out = {}
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        try:
            name = path.stem[len("bench_"):]
            for k, v in module.benchmarks().items():
                plain = k.lower().replace(" ", "")
                out[k if plain.startswith(name) else f"{name}: {k}"] = v
        except Exception as exc:  # noqa: BLE001 - report and go on
            out[f"{path.stem[6:]}: FAILED ({type(exc).__name__}: {exc})"] = float("nan")
    return out


def show(name, value, bar=None):
    verdict = ("" if bar is None else "  (not measured)" if value != value
               else "  ok" if value <= bar else f"  OVER the bar of {bar:g}")
    print(f"  {name:<62} {value:>10.3f}{verdict}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["core", "notebooks", "parts"], default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"Human Labor in ML benchmark · {time.strftime('%Y-%m-%d %H:%M')} · python "
          f"{sys.version.split()[0]}")
    if args.only in (None, "core"):
        print("core")
        for k, v in {**bench_import(), **bench_record()}.items():
            show(k, v, BARS.get(k))
    if args.only in (None, "notebooks"):
        print("notebooks (headless, fresh kernel, simulated learner)")
        total = 0.0
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            seconds, mb = bench_notebook(path)
            total += seconds
            show(f"{path.stem}: run time (s)", seconds, BARS["notebook (s)"])
            show(f"{path.stem}: kernel peak memory (MB)", mb, BARS["kernel peak memory (MB)"])
        show("whole course: run time (s)", total, 90.0)
    if args.only in (None, "parts"):
        print("parts")
        for k, v in part_benchmarks().items():
            show(k, v)


if __name__ == "__main__":
    main()
