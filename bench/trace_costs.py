"""Costs of the JIT machinery itself: Numba compile time by trace shape, and the
round trip of entering a compiled trace from the interpreter and leaving it.

    python bench/trace_costs.py

Compile: synthetic loops with k float ops (no guards) and with k guarded int ops,
for several k; each trace is compiled once (fresh source, no cache hit).
Round trip: a loop whose trace exits after one iteration on every entry, timed per
entry (the Python-side argument checks, the call through the compiled entry point,
and restoring the exit's state).
"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tracejit  # noqa: E402


def float_body(k, salt):
    lines = [f"        x = x * 1.0000001 + {salt + i}.5" for i in range(k)]
    return "def f(n):\n    x = 0.0\n    for i in range(n):\n" + "\n".join(lines) + "\n    return x\n"


def int_body(k, salt):
    lines = [f"        x = (x + i * {salt + j + 2}) % 1000003" for j in range(k)]
    return "def f(n):\n    x = 1\n    for i in range(n):\n" + "\n".join(lines) + "\n    return x\n"


def compile_seconds(source):
    vm = tracejit.VM(hot_loop=2, hot_compile=0, cache=False)   # machine code at once
    vm.load_source(source).call("f", 5)
    (trace,) = vm.jit.installed
    return trace.compiled.compile_seconds, len(trace.trace.ins), len(trace.trace.guards())


def main():
    print("| body | ops in body | IR ins | guards | compile ms |")
    print("|---|---|---|---|---|")
    salt = int(time.time()) % 1000 * 1000
    for maker, label in ((float_body, "float ops"), (int_body, "guarded int ops")):
        for k in (1, 8, 32, 64):
            seconds, nins, nguards = compile_seconds(maker(k, salt))
            salt += 100
            print(f"| {label} | {k} | {nins} | {nguards} | {seconds * 1000:.0f} |", flush=True)
    # round trip: the branch flips every iteration, so every entry runs at most one
    # iteration and exits; the per-entry time includes the interpreter's work back to
    # the loop header (about 6 bytecode instructions)
    import tracejit.jit as jit_module
    jit_module.RETIRE_AFTER_ENTRIES = 1 << 62      # keep the trace entered while timing
    source = ("def g(n):\n    s = 0\n    for i in range(n):\n        if i % 2 == 0:\n"
              "            s += 1\n        else:\n            s += 2\n    return s\n")
    per_entry = []
    for n in (20000, 200000):
        vm = tracejit.VM(hot_loop=2, hot_exit=1 << 62, hot_compile=0, cache=False)   # no side trace: every entry exits
        mod = vm.load_source(source)
        mod.call("g", 10)
        before = vm.stats()["trace_entries"]
        start = time.perf_counter()
        mod.call("g", n)
        elapsed = time.perf_counter() - start
        per_entry.append(elapsed / (vm.stats()["trace_entries"] - before))
    interp = tracejit.VM(jit=False).load_source(source)
    start = time.perf_counter()
    interp.call("g", 200000)
    per_iteration = (time.perf_counter() - start) / 200000
    print(f"\nround trip per entry (enter, <= 1 iteration, exit, interpreter back to the header): "
          f"{statistics.median(per_entry) * 1e6:.1f} us; the same loop interpreted: "
          f"{per_iteration * 1e6:.2f} us per iteration")


if __name__ == "__main__":
    main()
