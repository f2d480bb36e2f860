"""What each optimizer pass does on the benchmark programs: ops and guards removed,
and the effect on Numba compile time and steady-state time (docs/optimizer.md).

    python bench/opt_passes.py                          # every suite program, scale 0.1
    python bench/opt_passes.py --programs lcg_bits spectral_norm --scale 0.05 --repeat 5

Each (program, opts) pair runs in a fresh process (no compiled trace is shared
between configurations) that first compiles an unrelated loop (Numba's start-up is not
charged to the program), then runs ``main(n)`` once (recording at the default
thresholds; every tree gets machine code at once, ``hot_compile=0``, so that each pass's
effect on Numba's work is measured on every tree, not only on those the Python tier
promotes), then ``--repeat`` more calls, the best of which is the steady state.
Configurations: every pass on (the default), all off (``none``), and each pass off
in turn (``-name``). Results must be equal in every configuration.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
sys.path.insert(0, BENCH_DIR)

import suite  # noqa: E402

CONFIGS = ["default", "none", "-fold", "-cse", "-guards", "-ranges", "-dce"]
WARM_UP = "def warm_up(n):\n    s = 0.0\n    for i in range(n):\n        s += i * 0.5\n    return s\n"


def child(name, opts, n, repeat) -> dict:
    sys.path.insert(0, ROOT)
    import tracejit
    # Numba's one-time start-up (LLVM, typing tables) is paid by an unrelated loop first
    tracejit.VM(hot_loop=2, hot_compile=0).load_source(WARM_UP).call("warm_up", 10)
    vm = tracejit.VM(opts=None if opts == "default" else opts, hot_compile=0)
    module = vm.load_file(suite.BY_NAME[name].path)
    start = time.perf_counter()
    result = module.call("main", n)
    first = time.perf_counter() - start
    steady = []
    for _ in range(repeat):
        start = time.perf_counter()
        module.call("main", n)
        steady.append(time.perf_counter() - start)
    stats = vm.stats()
    trees = [t.compiled.optimized for t in vm.jit.installed]
    return {"result": repr(result), "first": first, "steady": min(steady) if steady else None,
            "compile": stats["compile_seconds"], "compiles": stats["compiles"],
            "ops": sum(t.op_count() for t in trees), "guards": sum(len(t.guards()) for t in trees),
            "passes": stats["opt_passes"]}


def measure(name, opts, n, repeat, timeout) -> dict:
    run = subprocess.run([sys.executable, __file__, "--child", name, opts, str(n), str(repeat)],
                         capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"{name} {opts}: {run.stderr.strip().splitlines()[-1:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _ms(seconds):
    return f"{seconds * 1000:.1f}" if seconds is not None else "-"


def report(rows) -> str:
    lines = ["### Compiled IR and times per configuration", "",
             "ops/guards: summed over the last version of every compiled tree; compile: Numba "
             "seconds over all compilations; steady: best call after the first.", "",
             "| program | opts | ops | guards | compiles | compile ms | first ms | steady ms |",
             "|---|---|---|---|---|---|---|---|"]
    for name, by_opts in rows.items():
        for opts, m in by_opts.items():
            lines.append(f"| {name} | {opts} | {m['ops']} | {m['guards']} | {m['compiles']} | "
                         f"{_ms(m['compile'])} | {_ms(m['first'])} | {_ms(m['steady'])} |")
    lines += ["", "### Per pass: removed with every pass on, and the cost of turning it off", "",
              "ops/guards removed: the pass's own count in the default run (fold and cse: while "
              "recording; guards and dce: on the optimized copy, per compilation of a tree). "
              "compile and steady: the run with the pass off relative to the default run "
              "(> 1.00: slower without the pass).", "",
              "| pass | program | ops removed | guards removed | compile (off/on) | steady (off/on) |",
              "|---|---|---|---|---|---|"]
    for opts in CONFIGS[2:]:
        pass_name = opts[1:]
        for name, by_opts in rows.items():
            on, off = by_opts["default"], by_opts[opts]
            removed = on["passes"].get(pass_name, {"ops_removed": 0, "guards_removed": 0})
            compile_ratio = f"{off['compile'] / on['compile']:.2f}" if on["compile"] else "-"
            steady_ratio = f"{off['steady'] / on['steady']:.2f}" if on["steady"] else "-"
            lines.append(f"| {pass_name} | {name} | {removed['ops_removed']} | {removed['guards_removed']} | "
                         f"{compile_ratio} | {steady_ratio} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    if argv is None and sys.argv[1:2] == ["--child"]:
        name, opts, n, repeat = sys.argv[2:6]
        print(json.dumps(child(name, opts, int(n), int(repeat))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", nargs="+", default=[p.name for p in suite.PROGRAMS],
                        choices=[p.name for p in suite.PROGRAMS], metavar="NAME")
    parser.add_argument("--scale", type=float, default=0.1, help="work per call relative to the suite's n")
    parser.add_argument("--repeat", type=int, default=5, help="steady-state calls after the first")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    rows = {}
    status = 0
    for name in args.programs:
        n = suite.BY_NAME[name].n(args.scale)
        rows[name] = {}
        for opts in CONFIGS:
            m = rows[name][opts] = measure(name, opts, n, args.repeat, args.timeout)
            print(f"  {name:16s} {opts:8s} ops {m['ops']:5d} guards {m['guards']:4d} "
                  f"compile {_ms(m['compile'])} ms steady {_ms(m['steady'])} ms", file=sys.stderr, flush=True)
        if len({m["result"] for m in rows[name].values()}) != 1:
            print(f"MISMATCH: {name}: {[(o, m['result']) for o, m in rows[name].items()]}", file=sys.stderr)
            status = 1
    print(report(rows))
    return status


if __name__ == "__main__":
    sys.exit(main())
