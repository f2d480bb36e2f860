"""Two tight range loops with and without the ``ranges`` pass (docs/optimizer.md):
``a[i] * b[i] + (i & 7)`` over int64 arrays (range(len(a))) and ``x[i] + i * 3`` over
an int list (range(n)). Both configurations run in this process, interleaved, with
the persistent cache off; best and median of ``--repeat`` calls after a warm-up call.

    PYTHONPATH=. python bench/ranges_loops.py --n 2000000 --repeat 15
"""
from __future__ import annotations

import argparse
import statistics
import time

SOURCE = """
def dot_idx(a, b):
    s = 0
    for i in range(len(a)):
        s += a[i] * b[i] + (i & 7)
    return s

def lst_sum(x, n):
    t = 0
    for i in range(n):
        t += x[i] + i * 3
    return t
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    import numpy as np

    import tracejit
    from interp.lists import List
    a = np.arange(args.n, dtype=np.int64) % 1000
    b = np.arange(args.n, dtype=np.int64) * 7 % 1000
    x = List.from_iterable(range(args.n))
    calls = {"dot_idx": (a, b), "lst_sum": (x, args.n)}
    configs = {"default": None, "-ranges": "-ranges"}
    vms = {name: tracejit.VM(opts=opts, cache=False) for name, opts in configs.items()}
    modules = {name: vm.load_source(SOURCE, "ranges_loops.py") for name, vm in vms.items()}
    times = {(name, fn): [] for name in configs for fn in calls}
    results = {fn: set() for fn in calls}
    for repeat in range(args.repeat + 1):     # the first call records and compiles
        for name, module in modules.items():
            for fn, fn_args in calls.items():
                start = time.perf_counter()
                results[fn].add(module.call(fn, *fn_args))
                if repeat:
                    times[(name, fn)].append(time.perf_counter() - start)
    assert all(len(r) == 1 for r in results.values()), results
    for fn in calls:
        on, off = times[("default", fn)], times[("-ranges", fn)]
        guards = [sum(1 for t in vms[name].jit.installed if t.trace.name.startswith(fn + "@")
                      for i in t.compiled.optimized.ins if i.is_guard) for name in configs]
        print(f"{fn}: guards {guards[0]} / {guards[1]}; best {min(on) * 1e3:.2f} / {min(off) * 1e3:.2f} ms "
              f"(off/on {min(off) / min(on):.2f}); median {statistics.median(on) * 1e3:.2f} / "
              f"{statistics.median(off) * 1e3:.2f} ms (ranges on / off)")


if __name__ == "__main__":
    main()
