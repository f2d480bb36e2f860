"""JIT speed: steady state and whole-process time against CPython.

    python bench/jit_speed.py                      # every program in tests/programs
    python bench/jit_speed.py --programs leibniz_pi histogram --scale 10

For each program, main(BENCH_N * scale) [BENCH_N for programs whose size is not a
loop count: see SCALE_FREE] runs:
  - under CPython, in this process (best of --repeat);
  - in a tracejit VM: the first call (tracing + Numba compilation included) and the
    steady state (the same call again: traces already compiled), best of --repeat;
  - end to end: a fresh `python -m tracejit run` process vs a fresh `python` process
    (imports, tracing, compilation, run), best of --repeat.
Also prints per-trace Numba compile times (median, max). Markdown to stdout.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import runpy
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

import tracejit  # noqa: E402
from suite import PROGRAMS  # noqa: E402

LOOP_PROGRAMS = [p.name for p in PROGRAMS]


def quiet(fn):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn()


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        quiet(fn)
        times.append(time.perf_counter() - start)
    return min(times)


def process_time(argv, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", nargs="*", default=LOOP_PROGRAMS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-process", action="store_true", help="skip the whole-process runs")
    args = parser.parse_args()
    print("| program | n | CPython s | first call s | steady s | steady speedup | "
          "process CPython s | process tracejit s | process speedup | traces | coverage |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    steady_ratios, process_ratios, compile_times = [], [], []
    for name in args.programs:
        path = os.path.join(ROOT, "tests", "programs", name + ".py")
        namespace = runpy.run_path(path)
        n = namespace["BENCH_N"]
        cpython = best(lambda: namespace["main"](n), args.repeat)
        vm = tracejit.VM(cache=False)
        mod = quiet(lambda: vm.load_file(path))
        start = time.perf_counter()
        quiet(lambda: mod.call("main", n))
        first = time.perf_counter() - start
        steady = best(lambda: mod.call("main", n), args.repeat)
        stats = vm.stats()
        compile_times += [t.compiled.compile_seconds for t in vm.jit.installed]
        steady_ratios.append(cpython / steady)
        row = f"| {name} | {n} | {cpython:.3f} | {first:.3f} | {steady:.4f} | {cpython / steady:.1f}x |"
        if not args.no_process:
            call = f"import runpy; g = runpy.run_path({path!r}); g['main'](g['BENCH_N'])"
            cp = process_time([sys.executable, "-c", call], args.repeat)
            tj = process_time([sys.executable, "-m", "tracejit", "run", "--no-cache", path, "--call", "main", str(n)],
                              args.repeat)
            process_ratios.append(cp / tj)
            row += f" {cp:.3f} | {tj:.3f} | {cp / tj:.2f}x |"
        else:
            row += " - | - | - |"
        row += f" {stats['traces_compiled']} | {stats['jit_coverage']:.3f} |"
        print(row, flush=True)
    print(f"\nsteady-state speedup over CPython, geomean: {geomean(steady_ratios):.2f}x")
    if process_ratios:
        print(f"whole-process speedup over CPython, geomean: {geomean(process_ratios):.2f}x")
    if compile_times:
        print(f"Numba compile per trace: median {statistics.median(compile_times) * 1000:.0f} ms, "
              f"max {max(compile_times) * 1000:.0f} ms over {len(compile_times)} traces "
              "(0 ms: an identical trace was already compiled in this process)")


if __name__ == "__main__":
    main()
