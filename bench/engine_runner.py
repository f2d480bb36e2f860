"""Runs one program under one engine in this (fresh) process and reports one JSON line.

    python bench/engine_runner.py ENGINE PROGRAM N REPEAT
    pypy3  bench/engine_runner.py python PROGRAM N REPEAT

ENGINE is one of ``ENGINES``. The program is loaded first (imports, module top level,
not timed); then ``main(N)`` is called once ("first": for tracejit with the JIT this
includes recording and Numba compilation, for Numba the njit compilation) and REPEAT
more times ("steady": the best of those; null when REPEAT is 0). Wall-clock
``time.perf_counter``. Whatever the program prints is discarded.

The last line of stdout is ``RESULT-JSON {"first": s, "steady": s|null, "result":
repr(plain(result)), "stats": {...}}``; ``stats`` holds tracejit's ``vm.stats()``
figures (coverage, traces, aborts) and is empty for other engines.
Must run under PyPy 3.9: imports numpy, numba or tracejit only for engines that need them.
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import runpy
import sys
import time

import suite

ENGINES = ("python", "tracejit-interp", "tracejit-jit", "numba")
MARKER = "RESULT-JSON "
STATS_KEYS = ("traces_compiled", "trace_aborts", "abort_reasons", "jit_coverage",
              "compile_seconds", "side_traces", "retired_traces", "blacklisted_loops")


def load(engine: str, program: suite.Program):
    """Returns (main, stats): ``main(n)`` runs the program; ``stats()`` its engine figures."""
    if engine == "python":
        return runpy.run_path(program.path, run_name="bench_" + program.name)["main"], dict
    if engine == "numba":
        path = os.path.join(suite.NUMBA_DIR, program.name + ".py")
        spec = importlib.util.spec_from_file_location("numba_" + program.name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.main, dict
    if engine in ("tracejit-interp", "tracejit-jit"):
        import tracejit
        # "first" includes Numba compilation: the persistent trace cache stays off
        vm = tracejit.VM(jit=engine == "tracejit-jit", cache=False)
        module = vm.load_file(program.path)

        def stats():
            figures = vm.stats()
            return {key: figures[key] for key in STATS_KEYS if key in figures}
        return (lambda n: module.call("main", n)), stats
    raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")


def timed(fn, n):
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        start = time.perf_counter()
        result = fn(n)
        return time.perf_counter() - start, result


def run(engine: str, name: str, n: int, repeat: int) -> dict:
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        main, stats = load(engine, suite.BY_NAME[name])
    first, result = timed(main, n)
    steady = min((timed(main, n)[0] for _ in range(repeat)), default=None)
    return {"first": first, "steady": steady, "result": repr(suite.plain(result)), "stats": stats()}


def main(argv):
    engine, name, n, repeat = argv[1], argv[2], int(argv[3]), int(argv[4])
    print(MARKER + json.dumps(run(engine, name, n, repeat)), flush=True)


if __name__ == "__main__":
    main(sys.argv)
