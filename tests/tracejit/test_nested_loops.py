"""Loop nests: an outer trace calls its inner loops' compiled traces (``call_loop``).

Each program runs under CPython and in every VM mode (``assert_same``); the counting
tests then check, in a VM with a low threshold, that the outer loop's trace really
calls the inner loop as compiled code and that (nearly) everything ran compiled. The
exit tests make an inner loop fail a guard while it runs inside the outer trace, at
an outer iteration chosen by the data, so that deoptimization must rebuild both the
outer trace's and the inner loop's state.
"""
import os

import pytest

import tracejit
from conftest import PROGRAMS_DIR
from differential import assert_same
from interp.lists import from_python
from jit_checks import check_no_internal_errors, installed, trace_indices
from test_jit_guards import run_direct

WHILE_IN_FOR = """
def main(n):
    s = 0
    t = 0.0
    for i in range(n):
        j = 0
        while j < i % 7:
            s += j
            j += 1
        for k in range(3):
            s += k
            t += k * 0.5
    return s, t
"""

BREAK_EXITS = """
def main(n):
    inside = 0
    checksum = 0
    for y in range(n):
        ci = 3.0 * y / n - 1.5
        for x in range(n):
            cr = 3.0 * x / n - 2.0
            zr = 0.0
            zi = 0.0
            it = 0
            while it < 30:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                it += 1
            if it == 30:
                inside += 1
            checksum = (checksum * 31 + it) % 1000000007
    return inside, checksum
"""

INNER_IN_CALLEE = """
def dot(a, b, n):
    s = 0.0
    for i in range(n):
        s += a[i] * b[i]
    return s

def main(n):
    a = [0.0] * n
    b = [0.0] * n
    for i in range(n):
        a[i] = float(i % 5)
        b[i] = 1.0 / (i + 1)
    total = 0.0
    for r in range(n):
        total += dot(a, b, r % 9)
    return total
"""

NUMPY_TRIPLE = """
import numpy as np

def main(n):
    a = np.zeros((n, n))
    b = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            a[i, j] = (i * 7 + j * 3) % 5 - 2.0
            b[i, j] = (i + j * 11) % 7 / 4.0
    c = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for p in range(n):
                s += a[i, p] * b[p, j]
            c[i, j] = s
    total = 0.0
    for i in range(n):
        for j in range(n):
            total += c[i, j] * (i + 1)
    return float(total), float(c[n - 1, 0])
"""

PROGRAMS = {"while_in_for": (WHILE_IN_FOR, 300), "break_exits": (BREAK_EXITS, 24),
            "inner_in_callee": (INNER_IN_CALLEE, 120), "numpy_triple": (NUMPY_TRIPLE, 9)}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_loop_nest_matches_cpython(name):
    source, n = PROGRAMS[name]
    assert_same(source, "main", (n,))


def _run(source, n, **options):
    vm = tracejit.VM(**options)
    result = vm.load_source(source, "<prog>").call("main", n)
    check_no_internal_errors(vm)
    return vm, result


def _calls(vm, index):
    return [ins for ins in installed(vm, index).trace.ins if ins.op == "call_loop"]


@pytest.mark.parametrize("name", ["while_in_for", "break_exits", "numpy_triple"])
def test_outer_trace_calls_the_inner_loop(name):
    source, n = PROGRAMS[name]
    vm, _ = _run(source, n * 4 if name != "numpy_triple" else 14, hot_loop=40 if name != "numpy_triple" else 8)
    callers = [i for i in trace_indices(vm, "main") if _calls(vm, i)]
    assert callers, "no trace calls a compiled inner loop"
    assert vm.stats()["jit_coverage"] > 0.95


def test_the_log_and_stats_show_a_nest_as_one_function(tmp_path):
    import json
    from tracejit.verbose import format_event
    source, n = PROGRAMS["while_in_for"]
    vm, _ = _run(source, n * 4, hot_loop=40, log=str(tmp_path / "nest.jsonl"))
    vm.close()
    callers = {installed(vm, i).number: {inner.number for inner in installed(vm, i).nested}
               for i in trace_indices(vm, "main") if _calls(vm, i)}
    assert callers and vm.stats()["loop_nests"] == len(callers)
    events = [json.loads(line) for line in open(tmp_path / "nest.jsonl")]
    compiled = {e["number"]: e for e in events if e["event"] in ("compiled", "side")}
    for number, inner in callers.items():
        assert set(compiled[number]["inner"]) == inner
        numbers = ", ".join(map(str, sorted(inner)))
        assert f"runs trace{'s' if len(inner) > 1 else ''} {numbers} inside" in \
            format_event(compiled[number]["event"], compiled[number])


def test_nested_trace_text_round_trips_and_verifies():
    from tracejit import ir
    from tracejit.backend.numba_backend import generate_source
    vm, _ = _run(WHILE_IN_FOR, 600, hot_loop=40)
    (outer,) = [installed(vm, i) for i in trace_indices(vm, "main") if _calls(vm, i)]
    text = ir.format_trace(outer.trace)
    assert "NEST #0 <main@<prog>:" in text and "guard_loop_exit" in text
    parsed = ir.parse_trace(text)
    assert ir.format_trace(parsed) == text
    ir.verify_trace(parsed)
    source = generate_source(outer.trace, "trace")[0]
    for site in outer.trace.nested:
        assert f"loop_{outer.trace.nested.index(site)}(" in source
    ops = {ins.op for ins in outer.trace.ins}
    assert {"call_loop", "guard_loop_exit", "loop_out"} <= ops


def test_inner_loop_in_an_inlined_callee_is_called_compiled():
    vm, _ = _run(INNER_IN_CALLEE, 400, hot_loop=40)
    outer = [i for i in trace_indices(vm, "main") if _calls(vm, i)]
    assert outer, "main's loop does not call dot's loop as compiled code"
    assert vm.stats()["jit_coverage"] > 0.9


# ----- exits from inside an inner loop run by an outer trace ------------------------------
# The inner loop overflows int64 (the interpreter continues with big ints), raises
# IndexError, or meets a float in an int list, at the outer iteration given by ``bad``.
INNER_EXITS = """
def main(data, bad, n):
    total = 0
    log = []
    for i in range(n):
        x = data[i % len(data)]
        if i == bad:
            x = KIND
        acc = 1
        for j in range(6):
            acc = acc * x + j
        total += acc
        log.append(total % 1000)
    return total, log
"""

KINDS = {"overflow": "10 ** 4", "float": "2.5", "bigint_in": "10 ** 20"}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("bad", [0, 7, 60])
def test_exit_inside_inner_loop_restores_both_frames_of_state(kind, bad):
    source = INNER_EXITS.replace("KIND", KINDS[kind])
    assert_same(source, "main", ([3, 1, 2, 5], bad, 80))


INNER_INDEX_ERROR = """
def work(out, bad, n):
    rows = 0
    for i in range(n):
        limit = 5 if i != bad else 50
        for j in range(limit):
            out[j] = out[j] + i
        rows += 1
    return rows
"""


@pytest.mark.parametrize("bad", [0, 3, 70])
def test_index_error_in_inner_loop_keeps_earlier_writes(bad):
    assert_same(INNER_INDEX_ERROR + "\ndef main(bad, n):\n    return work([0] * 40, bad, n)\n",
                "main", (bad, 90))
    # the list the loops wrote into, after the IndexError, equals CPython's
    run_direct(INNER_INDEX_ERROR, "work", lambda: ([0] * 40, bad, 90),
               make_vm_args=lambda: (from_python([0] * 40), bad, 90), traced=bad > 0)


# an inner loop with an if/else: its tree leaves through one back-edge guard per path,
# and the outer trace accepts either (guard_loop_exit with several exits)
with open(os.path.join(PROGRAMS_DIR, "bisect_sqrt.py"), encoding="utf-8") as _f:
    IF_ELSE_INNER = _f.read()     # bisect's while loop has an if/else; main's loop calls it


def test_outer_trace_accepts_every_alike_exit_of_the_inner_loop():
    assert_same(IF_ELSE_INNER, "main", (150,))
    vm, _ = _run(IF_ELSE_INNER, 600, hot_loop=40)
    guards = [ins for i in trace_indices(vm, "main") for ins in installed(vm, i).trace.ins
              if ins.op == "guard_loop_exit"]
    assert guards and max(len(ins.aux[0]) for ins in guards) >= 2
    assert vm.stats()["jit_coverage"] > 0.95


def test_side_trace_waits_for_its_inner_loop_and_calls_it():
    """lcg_bits calls popcount (a while loop) on one iteration in 16: the branch's side
    trace waits until popcount's loop has compiled, then calls it; the temporary that
    holds popcount on that path and an int on the root path is not a loop variable."""
    with open(os.path.join(PROGRAMS_DIR, "lcg_bits.py"), encoding="utf-8") as f:
        source = f.read()
    vm, _ = _run(source, 20000, hot_loop=50)
    main = [i for i in trace_indices(vm, "main")]
    assert main and any(_calls(vm, i) for i in main)
    assert vm.stats()["jit_coverage"] > 0.95

