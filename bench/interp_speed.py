"""Interpreter speed (JIT off): instructions per second and wall time vs CPython.

    python bench/interp_speed.py                 # counting loop + every program at BENCH_N
    python bench/interp_speed.py --programs fib sieve --repeat 3

For each program in tests/programs, main(BENCH_N) runs under CPython and in a
tracejit VM with the JIT off, in this process; the best of --repeat runs is kept.
Prints a markdown table and the geometric mean of the ratios.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import runpy
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

import tracejit  # noqa: E402

COUNTING_LOOP = """
def count(n):
    i = 0
    while i < n:
        i += 1
    return i
"""


def best_time(fn, repeat):
    best = math.inf
    for _ in range(repeat):
        out = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(out):
            fn()
        best = min(best, time.perf_counter() - start)
    return best


def counting_loop(n, repeat):
    vm = tracejit.VM(jit=False)
    mod = vm.load_source(COUNTING_LOOP, "<count>")
    before = vm.stats()["instructions"]
    seconds = best_time(lambda: mod.call("count", n), repeat)
    per_call = (vm.stats()["instructions"] - before) // repeat
    return per_call / seconds, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", nargs="*", help="program names (default: all)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--count", type=int, default=10_000_000, help="counting loop iterations")
    args = parser.parse_args()
    rate, seconds = counting_loop(args.count, args.repeat)
    print(f"counting loop: {rate / 1e6:.2f} M bytecode instructions/s "
          f"({args.count} iterations in {seconds:.3f} s)\n")
    progdir = os.path.join(ROOT, "tests", "programs")
    names = args.programs or sorted(f[:-3] for f in os.listdir(progdir) if f.endswith(".py"))
    print("| program | BENCH_N | CPython s | tracejit (JIT off) s | ratio |")
    print("|---|---|---|---|---|")
    ratios = []
    for name in names:
        path = os.path.join(progdir, name + ".py")
        namespace = runpy.run_path(path)
        n = namespace["BENCH_N"]
        cpython = best_time(lambda: namespace["main"](n), args.repeat)
        vm = tracejit.VM(jit=False)
        mod = vm.load_file(path)
        ours = best_time(lambda: mod.call("main", n), args.repeat)
        ratios.append(ours / cpython)
        print(f"| {name} | {n} | {cpython:.3f} | {ours:.3f} | {ours / cpython:.2f}x |", flush=True)
    geomean = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"\ngeomean ratio (tracejit JIT off / CPython): {geomean:.2f}x over {len(ratios)} programs")


if __name__ == "__main__":
    main()
