"""The trace memory estimate (``vm.stats()["trace_mem"]``) against what the process grew by.

    python bench/trace_memory.py                  # every scenario, each in a fresh process
    python bench/trace_memory.py --scenarios flat8 evict

Each scenario compiles traces of many loops in one VM (after a warm-up compile, so
that importing Numba and its first compilation are not counted) and reports, per
compiled tree version: the estimate, the growth of the process's resident set (RSS),
of the bytes glibc's malloc has handed out (Numba's LLVM objects, large Python
objects) and of Python's objects (tracemalloc). Scenarios:

- ``flat1``, ``flat8``, ``flat30``: loops of 1, 8 or 30 statements (about 15, 50 and
  170 IR instructions);
- ``branchy``: loops with an if/else that grow side traces (each recompiles the tree);
- ``nest``: an outer loop calling an inner loop's compiled tree;
- ``cached``: ``flat8`` again, loaded from a persistent cache the first run filled;
- ``evict``: the flat8 loops, 4 rounds, under a bound of about two trees (7M): trees
  are evicted and re-recorded (Numba compiles them again: what it never frees stays);
- ``evict-cached``: the same from the persistent cache, bound 1M (re-recordings load it).

Markdown to stdout.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import subprocess
import sys
import tempfile
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LOOPS = 12


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                      "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloced() -> int:
    """Bytes glibc's malloc has handed out and not got back (0 elsewhere)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return 0
    info = libc.mallinfo2()
    return info.uordblks + info.hblkhd


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def flat(statements: int, tag: int = 0) -> str:
    functions = []
    for j in range(LOOPS):
        body = "\n".join(f"        s{q % 4} += (i * {j * 100 + q + tag} + s{(q + 1) % 4}) % 1000003"
                         for q in range(statements))
        functions.append(f"def f{j}(n):\n    s0 = 0\n    s1 = 1\n    s2 = 2\n    s3 = 3\n"
                         f"    for i in range(n):\n{body}\n    return s0 + s1 + s2 + s3\n")
    return "\n".join(functions)


def branchy(tag: int = 0) -> str:
    return "\n".join(f"def f{j}(n):\n    s = 0\n    t = 0.0\n    for i in range(n):\n"
                     f"        if i % 3 == 0:\n            s += i * {j + tag + 3}\n"
                     f"        elif i % 3 == 1:\n            t += i * {j + 2}.5\n"
                     f"        else:\n            s -= i // {j + 2}\n    return s + int(t)\n"
                     for j in range(LOOPS))


def nest(tag: int = 0) -> str:
    return "\n".join(f"def f{j}(n):\n    s = 0\n    for i in range(n):\n        for k in range(8):\n"
                     f"            s += (i * k + {j + tag}) % 7\n    return s\n"
                     for j in range(LOOPS))


SCENARIOS = {
    "flat1": (lambda tag: flat(1, tag), {}),
    "flat8": (lambda tag: flat(8, tag), {}),
    "flat30": (lambda tag: flat(30, tag), {}),
    "branchy": (branchy, {"hot_exit": 2}),
    "nest": (nest, {}),
    "cached": (lambda tag: flat(8, tag), {"cache": "fill"}),
    "evict": (lambda tag: flat(8, tag), {"max_trace_mem": "7M"}),
    "evict-cached": (lambda tag: flat(8, tag), {"max_trace_mem": "1M", "cache": "fill"}),
}


def run_one(name: str) -> dict:
    """Run scenario ``name`` in this process: its figures as a dict."""
    sys.path.insert(0, ROOT)
    import tracejit
    make, options = SCENARIOS[name]
    options = dict(options)
    cache = False
    if options.pop("cache", None) == "fill":   # by another process: this one must load, not reuse
        cache = tempfile.mkdtemp(prefix="tracejit-bench-mem-")
        subprocess.run([sys.executable, __file__, "--fill", cache, name], check=True,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    rounds = 4 if "max_trace_mem" in options else 1
    warm = tracejit.VM(hot_loop=10, cache=False)
    warm.load_source(make(10**6)).call("f0", 60)
    del warm
    gc.collect()
    tracemalloc.start()
    before = (rss(), malloced(), tracemalloc.get_traced_memory()[0])
    vm = tracejit.VM(hot_loop=10, cache=cache, **options)
    module = vm.load_source(make(0))
    for _ in range(rounds):
        for j in range(LOOPS):
            module.call(f"f{j}", 60)
    gc.collect()
    after = (rss(), malloced(), tracemalloc.get_traced_memory()[0])
    stats = vm.stats()
    from tracejit.trace_memory import versions
    return {"scenario": name, "trees": len(vm.jit.installed),
            "versions": sum(len(versions(t)) for t in vm.jit.installed),
            "compiles": stats["compiles"], "from_cache": stats["traces_from_cache"],
            "evicted": stats["traces_evicted"], "rerecords": stats["trace_rerecords"],
            "trace_mem": stats["trace_mem"], "max_trace_mem": stats["max_trace_mem"],
            "rss": after[0] - before[0], "malloc": after[1] - before[1], "python": after[2] - before[2]}


def fill(cache: str, name: str) -> None:
    """Compile scenario ``name``'s loops into the persistent cache at ``cache``."""
    sys.path.insert(0, ROOT)
    import tracejit
    module = tracejit.VM(hot_loop=10, cache=cache).load_source(SCENARIOS[name][0](0))
    for j in range(LOOPS):
        module.call(f"f{j}", 60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--fill", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        fill(*args.fill)
        return
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    kib = 1024
    print("| scenario | trees (versions) | compiles / from cache | evicted / re-recorded | trace_mem KiB "
          "| RSS growth KiB | malloc growth KiB | Python objects KiB | RSS / trace_mem |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.scenarios:
        out = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True,
                             env=dict(os.environ, PYTHONPATH=ROOT))
        if out.returncode:
            print(f"| {name} | failed: {out.stderr.strip().splitlines()[-1:]} |")
            continue
        r = json.loads(out.stdout.splitlines()[-1])
        print(f"| {name} | {r['trees']} ({r['versions']}) | {r['compiles']} / {r['from_cache']} "
              f"| {r['evicted']} / {r['rerecords']} | {r['trace_mem'] // kib} | {r['rss'] // kib} "
              f"| {r['malloc'] // kib} | {r['python'] // kib} | {r['rss'] / max(r['trace_mem'], 1):.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
