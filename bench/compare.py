"""Side by side: the suite under CPython, tracejit (JIT off / JIT), hand-written Numba,
PyPy and LuaJIT, with every result checked against CPython's.

    python bench/compare.py                          # all programs, CPython ~1 s each
    python bench/compare.py --programs leibniz_pi nbody --scale 0.5 --repeat 3
    python bench/compare.py --quick                  # TEST_N sizes, one repeat: smoke test
    python bench/compare.py --json > compare.json    # for machines

Each engine runs each program in a fresh process (bench/engines.py). "first" is the
first call of main(n): for tracejit with the JIT it includes recording and Numba
compilation of the traces, for Numba the njit compilation, for PyPy and LuaJIT their
warm-up; interpreter start-up, imports and the module's top level are not timed.
"steady" is the best of --repeat further calls in the same process. Results must equal
CPython's exactly (values and types; LuaJIT, with one number type, by value).
Peers not installed are shown as "skipped". A mismatch or an engine error is printed
in bold (MISMATCH / ERROR) and the exit status is 1.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import suite  # noqa: E402
from engines import all_engines  # noqa: E402
from report import Row, markdown, to_json  # noqa: E402
from suite import same  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", nargs="+", default=[p.name for p in suite.PROGRAMS],
                        choices=[p.name for p in suite.PROGRAMS], metavar="NAME")
    engine_keys = [e.key for e in all_engines()]
    parser.add_argument("--engines", nargs="+", default=engine_keys, choices=engine_keys,
                        help="columns to run (CPython always runs: it is the reference)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply each program's work (not n) by this factor")
    parser.add_argument("--repeat", type=int, default=2, help="steady-state calls after the first")
    parser.add_argument("--quick", action="store_true",
                        help="each program at its TEST_N, --repeat 1: checks, not timings")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per engine run")
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    args = parser.parse_args(argv)
    if args.repeat < 0 or args.scale <= 0:
        parser.error("--repeat must be >= 0 and --scale > 0")
    if args.quick:
        args.repeat = 1
    return args


def measure_row(program, n, engines, args) -> Row:
    row = Row(program.name, n)
    for engine in engines:
        m = engine.run(program, n, args.repeat, args.timeout)
        row.cells[engine.key] = m
        times = " ".join(f"{phase} {t:.4g} s" for phase, t in (("first", m.first), ("steady", m.steady))
                         if t is not None)
        print(f"  {program.name:16s} {engine.label:16s} {m.status:8s} {times} {m.detail}",
              file=sys.stderr, flush=True)
    reference = row.cells["cpython"]
    for engine in engines:
        m = row.cells[engine.key]
        if m.status == "ok" and reference.status == "ok":
            row.agree[engine.key] = same(reference.result, m.result, by_value=engine.by_value)
    return row


def main(argv=None) -> int:
    args = parse_args(argv)
    engines = [e for e in all_engines() if e.key == "cpython" or e.key in args.engines]
    rows = []
    for name in args.programs:
        program = suite.BY_NAME[name]
        n = program.test_n if args.quick else program.n(args.scale)
        rows.append(measure_row(program, n, engines, args))
    failed = any(True for row in rows for _ in row.problems())
    if args.json:
        meta = {"python": sys.version.split()[0], "machine": platform.machine(),
                "cpus": os.cpu_count(), "repeat": args.repeat, "scale": args.scale,
                "quick": args.quick,
                "engines": {e.key: e.label for e in engines}}
        print(json.dumps(to_json(rows, meta), indent=1))
    else:
        print(f"compare.py: repeat {args.repeat}, scale {args.scale:g}{', quick' if args.quick else ''}; "
              f"speedup = CPython time / engine time for the same phase\n")
        print(markdown(rows, engines))
        print("results: " + ("MISMATCH or ERROR (see above)" if failed else "all agree with CPython"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
