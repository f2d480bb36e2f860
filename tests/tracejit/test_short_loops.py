"""Loops that run a few iterations per entry, inner loops that get hot after their
outer loop, and loop exits that are a ``break`` or a ``return`` (issue #6: fannkuch).

- A loop that ends in the iteration being recorded is closed at its back edge as if it
  went round (``Recorder.branch``): a loop of one or two iterations per entry compiles.
- A recording that meets an inner loop without a trace makes that loop hot at once
  (``JIT.want_trace``) and is retried at the next arrival without backing off.
- A branch guard whose other way leaves the loop (``leaves_loop``: a ``break``, a
  ``return``, the back edge) grows no side trace.
- A tree stops growing when its instructions and its inner loops' together reach
  ``MAX_TREE_OPS`` (``compiled_size``): compile time grows with both.

Each program runs under CPython and in every VM mode (``assert_same``); the counting
tests then check, in a VM with given thresholds, what compiled and how much ran compiled.
"""
import os

import pytest

import tracejit
from conftest import PROGRAMS_DIR
from differential import assert_same, run_cpython
from interp.compiler import compile_source
from interp.opcodes import OPCODES
from jit_checks import check_no_internal_errors, installed, trace_indices
from tracejit.jit import MAX_TREE_OPS, compiled_size, leaves_loop

# inner loops of one iteration per entry (two on some): a while loop on a comparison, a
# range loop with a branch, a downward range, a while loop on a truth value. Each gets
# hot with its outer loop, not before it.
ONCE_PER_ENTRY = """
def main(n):
    s = 0
    t = 0
    for i in range(n):
        j = i % 3
        while j < 3 + (i % 5 == 0):
            s += j
            j += 3
        for m in range(i % 7, i % 7 + 1 + i % 2):
            if m % 2 == 0:
                s -= m
            else:
                t += 1
        for k in range(i % 2 + 1, i % 2, -1):
            t += k
        q = i % 4 + 1
        going = True
        while going:
            q -= 1
            s ^= q
            going = q > i % 4
    return s, t
"""

# an inner loop that runs in one outer iteration in eight, zero to two iterations: it
# gets hot long after the outer loop, whose side trace needs it compiled
RARE_INNER = """
def main(n):
    s = 0
    for i in range(n):
        s += i % 7
        if i % 8 == 0:
            j = i % 3
            while j > 0:
                s += j
                j -= 1
    return s
"""

# a loop whose condition is the constant False at its back edge: closing the trace
# there folds to a guard that always fails (the recording aborts; nothing else changes)
CONSTANT_BACK_EDGE = """
def main(n):
    t = 0
    for i in range(n):
        going = i % 4 == 1
        while going:
            t += i
            going = False
    return t
"""

# a three-deep nest of short loops with branches (a generated program that found the
# need for compiled_size: its outer tree grew to 13 calls, 1400 instructions in all,
# and took 77 s to recompile)
DEEP_NEST = """
def main(n):
    s = 0
    t = 1
    r = 0
    lst = [0] * 8
    for i in range(n):
        s += (i + s) % 11
        for k35 in range((abs(s) + i) % 3, 0, -1):
            m26 = 0
            while True:
                m26 += 1
                r += 1
                if r % 3 == 0 or m26 > 2:
                    break
                s += (k35 + s) % 11
            m21 = 0
            while True:
                m21 += 1
                r += 1
                if r % 2 == 0 or m21 > 1:
                    break
                if ((m21 + s)) % 5 == 0:
                    t += 1
                else:
                    s -= 1
                r += k35 % 5
                lst[m21 % 8] += 1
            s += k35 % 11
        if i % 4 == 0:
            for k98 in range((i + s) % 2, 0, -1):
                s += (i + s) % 11
                m23 = 0
                while True:
                    m23 += 1
                    r += 1
                    if r % 2 == 0 or m23 > 1:
                        break
                    s += (m23 + s) % 11
                s += (abs(s) + k98) % 11
        for k1 in range((i + s) % 5):
            m12 = (i * 1 + 3) % 4
            while m12 < 3:
                r += i % 5
                lst[k1 % 8] += 1
                if (i) % 7 == 0:
                    break
                m12 += 1
        for k7 in range((abs(s) + i) % 5):
            for m67 in range((abs(s) + i) % 2, 0, -1):
                r += m67 % 5
            lst[k7 % 8] += 1
            if ((abs(s) + k7)) % 3 == 0:
                t += 1
            else:
                s -= 1
    return s, t, r, lst
"""

# (fannkuch itself runs in every mode in tests/test_programs.py)
with open(os.path.join(PROGRAMS_DIR, "fannkuch.py"), encoding="utf-8") as _f:
    FANNKUCH = _f.read()

PROGRAMS = {"once_per_entry": (ONCE_PER_ENTRY, 400), "rare_inner": (RARE_INNER, 3000),
            "constant_back_edge": (CONSTANT_BACK_EDGE, 300), "deep_nest": (DEEP_NEST, 104)}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_short_loops_match_cpython(name):
    source, n = PROGRAMS[name]
    assert_same(source, "main", (n,))


def _run(source, n, **options):
    """Run main(n) in a VM with ``options``; assert CPython's result; return the VM."""
    vm = tracejit.VM(**options)
    result = vm.load_source(source, "<prog>").call("main", n)
    assert result == run_cpython(source, "main", (n,)).value
    check_no_internal_errors(vm)
    return vm


def _callers(vm):
    return [i for i in trace_indices(vm, "main") if any(ins.op == "call_loop" for ins in installed(vm, i).trace.ins)]


def test_loops_of_one_iteration_per_entry_compile_and_are_called():
    vm = _run(ONCE_PER_ENTRY, 6000)      # default thresholds
    lines = {int(t.trace.name.rsplit(":", 1)[1]) for t in vm.jit.installed}
    assert {5, 7, 10, 15, 19} <= lines, f"loops compiled at lines {sorted(lines)}"
    (outer,) = [installed(vm, i) for i in _callers(vm)]
    assert len(outer.trace.nested) == 4
    assert "LEFT_LOOP" not in vm.stats()["abort_reasons"]
    assert vm.stats()["jit_coverage"] > 0.8      # its first 1000 iterations are interpreted


def test_a_side_trace_makes_its_late_inner_loop_hot_and_calls_it():
    vm = _run(RARE_INNER, 20000)      # default thresholds
    (outer,) = [installed(vm, i) for i in trace_indices(vm, "main") if installed(vm, i).trace.name.endswith(":4")]
    assert outer.trace.sides and _callers(vm)
    assert outer in vm.jit.loops[(outer.decoded, outer.trace_loop)].traces, "the outer trace was retired"
    assert vm.stats()["jit_coverage"] > 0.93     # its first 1000 iterations are interpreted


@pytest.mark.slow          # about 8 s of Numba compilation (11 compiles)
def test_fannkuch_runs_compiled():
    """Issue #6: fannkuch's loop nest (a `while True` around six inner loops of a few
    iterations, with branches, a break and a return) runs as machine code."""
    vm = _run(FANNKUCH, 7, hot_loop=40)
    (outer,) = [installed(vm, i) for i in trace_indices(vm, "fannkuch") if installed(vm, i).trace.name.endswith(":17")]
    assert outer.trace.sides and outer in vm.jit.loops[(outer.decoded, outer.trace_loop)].traces
    assert vm.stats()["jit_coverage"] >= 0.99


@pytest.mark.slow          # about 12 s of Numba compilation
def test_a_tree_that_calls_a_deep_nest_stays_small_enough_to_compile():
    vm = _run(DEEP_NEST, 104, hot_loop=2, hot_exit=2)
    sizes = [compiled_size(t.trace) for t in vm.jit.installed]
    assert max(sizes) < MAX_TREE_OPS + MAX_TREE_OPS // 2, sizes


LOOP_EXITS = """
def f(n):
    r = 0
    while True:
        if r == n:
            return r
        r += 1
        if r % 3 == 0:
            r += 1
        if r > 5:
            break
        while r < 2:
            r += 1
    return r
"""


def test_branches_that_leave_the_loop_are_its_exits():
    code = next(c for c in compile_source(LOOP_EXITS).consts if getattr(c, "name", None) == "f")
    outer = code.loops[0]
    branches = {code.line_of(pc): pc for pc, (opcode, *_) in enumerate(code.instrs)
                if pc > outer and OPCODES[opcode].effect == "branch" and OPCODES[opcode].name != "JUMP"}
    assert leaves_loop(code, branches[5], outer)          # if r == n: return
    assert not leaves_loop(code, branches[8], outer)      # if r % 3 == 0
    assert leaves_loop(code, branches[10], outer)         # if r > 5: break
    assert not leaves_loop(code, branches[12], outer)     # the inner loop's back edge
    inner = code.loops[1]
    assert leaves_loop(code, branches[12], inner)


BREAK_SIDE_READS_LIVE_IN = """
def main(n):
    a = n
    b = n
    k = n
    x = 0.0
    fl = [0.0] * 3
    for i in range(0, 29, 1):
        a, k = k, a
        a = ((a + (a + a)) + a)
        for j in range(3):
            if x > fl[(a) % len(fl)]:
                if j < (j + a):
                    break
                k = a
            else:
                a, b = b, a + b
    return (a, b, k, i)
"""


def test_a_side_trace_from_an_inner_loop_exit_reads_the_inner_live_ins():
    """A side trace starting at an inner loop's exit rebuilds the registers that exit
    restores from the inner trace's live-ins (restore kind 'entry'); the side recording
    has not read them yet (it raised KeyError; a generated program found it)."""
    assert_same(BREAK_SIDE_READS_LIVE_IN, "main", (16,))
