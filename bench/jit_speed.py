"""JIT speed: steady state and whole-process time against CPython.

    python bench/jit_speed.py                      # every program of bench/suite.py
    python bench/jit_speed.py --programs leibniz_pi histogram --scale 10
    python bench/jit_speed.py --numba              # whole processes against Numba's too

For each program, main(n) with n = BENCH_N scaled so the work grows ``--scale`` times
(``suite.Program.exponent``; fannkuch's n is not scaled) runs:
  - under CPython, in this process (best of --repeat);
  - in a tracejit VM: the first call (tracing + Numba compilation included) and the
    steady state (the same call again: traces already compiled), best of --repeat;
  - end to end: a fresh `python -m tracejit run --no-cache` process vs a fresh `python`
    process (imports, tracing, compilation, run), best of --repeat;
  - with --numba, end to end too: a fresh process importing the hand-written
    ``bench/numba_versions/NAME.py`` and calling its main(n) (imports, njit compilation:
    the versions do not use Numba's cache, run).
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
from tracejit.log import COMPILE_EVENTS  # noqa: E402
from suite import BY_NAME, NUMBA_DIR, PROGRAMS  # noqa: E402

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


def _scaled(program, bench_n, scale):
    """BENCH_N with the work scaled ``scale`` times (n ** exponent is the work)."""
    if scale == 1.0 or program.exponent is None:
        return bench_n
    return max(1, round(bench_n * scale ** (1.0 / program.exponent)))


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", nargs="*", default=LOOP_PROGRAMS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-process", action="store_true", help="skip the whole-process runs")
    parser.add_argument("--scale", type=float, default=1.0, help="work relative to BENCH_N's")
    parser.add_argument("--numba", action="store_true",
                        help="also time a whole process of the hand-written Numba version")
    args = parser.parse_args()
    numba_columns = " process Numba s | tracejit vs Numba |" if args.numba else ""
    print("| program | n | CPython s | first call s | steady s | steady speedup | "
          f"process CPython s | process tracejit s | process speedup |{numba_columns} traces | coverage |")
    print("|---" * (11 + 2 * args.numba) + "|")
    steady_ratios, process_ratios, compile_times, numba_ratios = [], [], [], []
    for name in args.programs:
        path = os.path.join(ROOT, "tests", "programs", name + ".py")
        namespace = runpy.run_path(path)
        n = _scaled(BY_NAME[name], namespace["BENCH_N"], args.scale)
        cpython = best(lambda: namespace["main"](n), args.repeat)
        vm = tracejit.VM(cache=False)
        vm.jit.listeners.append(lambda kind, fields: compile_times.append(fields["compile_ms"] / 1000)
                                if kind in COMPILE_EVENTS and fields["compile_ms"] > 0 else None)
        mod = quiet(lambda: vm.load_file(path))
        start = time.perf_counter()
        quiet(lambda: mod.call("main", n))
        first = time.perf_counter() - start
        steady = best(lambda: mod.call("main", n), args.repeat)
        stats = vm.stats()
        steady_ratios.append(cpython / steady)
        row = f"| {name} | {n} | {cpython:.3f} | {first:.3f} | {steady:.4f} | {cpython / steady:.1f}x |"
        if not args.no_process:
            call = f"import runpy; g = runpy.run_path({path!r}); g['main']({n})"
            cp = process_time([sys.executable, "-c", call], args.repeat)
            tj = process_time([sys.executable, "-m", "tracejit", "run", "--no-cache", path, "--call", "main", str(n)],
                              args.repeat)
            process_ratios.append(cp / tj)
            row += f" {cp:.3f} | {tj:.3f} | {cp / tj:.2f}x |"
            if args.numba:
                call = (f"import sys; sys.path.insert(0, {NUMBA_DIR!r}); import {name}; {name}.main({n})")
                nb = process_time([sys.executable, "-c", call], args.repeat)
                numba_ratios.append(tj / nb)
                row += f" {nb:.3f} | {tj / nb:.2f}x |"
        else:
            row += " - | - | - |" + " - | - |" * args.numba
        row += f" {stats['traces_compiled']} | {stats['jit_coverage']:.3f} |"
        print(row, flush=True)
    print(f"\nsteady-state speedup over CPython, geomean: {geomean(steady_ratios):.2f}x")
    if process_ratios:
        print(f"whole-process speedup over CPython, geomean: {geomean(process_ratios):.2f}x")
    if numba_ratios:
        print(f"whole-process time against Numba's, geomean: {geomean(numba_ratios):.2f}x; "
              f"tracejit faster on {sum(r < 1 for r in numba_ratios)} of {len(numba_ratios)}")
    if compile_times:
        print(f"Numba compile per tree: median {statistics.median(compile_times) * 1000:.0f} ms, "
              f"max {max(compile_times) * 1000:.0f} ms over {len(compile_times)} compilations (trees "
              "compiled when made or promoted from the Python tier; code found in this process not counted)")


if __name__ == "__main__":
    main()
