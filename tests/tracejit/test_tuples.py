"""Tuples built inside a trace (``BUILDTUPLE``): unpacked without code, rebuilt at exits.

A tuple returned by an inlined helper and unpacked by its caller compiles; a tuple
live at a guard is rebuilt from its items' values when that guard exits; a tuple
carried round the loop is refused cleanly (the loop stays interpreted, results equal).
"""
import pytest

import tracejit
from differential import assert_same
from jit_checks import check_no_internal_errors, check_trace_for, trace_indices, trace_ops

RETURNED = """
def halves(x):
    lo = x // 2
    return lo, x - lo

def main(n):
    total = 0
    for i in range(n):
        a, b = halves(i)
        total += a * 3 + b
    return total
"""

LIVE_AT_GUARD = """
def main(n, k):
    total = 0
    for i in range(n):
        t = (i, i * 2, 0.5 * i)
        if i == k:
            total += 1000
        a, b, c = t
        total += a - b + int(c)
    return total, t
"""

CARRIED = """
def main(n):
    t = (0, 1)
    for i in range(n):
        a, b = t
        t = (b, (a + b) % 1000)
    return t
"""


def test_returned_tuple_is_unpacked_in_the_trace():
    assert_same(RETURNED, "main", (200,))
    vm = tracejit.VM(hot_loop=5)
    vm.load_source(RETURNED, "<prog>").call("main", 200)
    check_no_internal_errors(vm)
    (index,) = check_trace_for(vm, "main")
    assert trace_ops(vm, index)["tuple"] == 1
    assert vm.stats()["jit_coverage"] > 0.9


@pytest.mark.parametrize("k", [0, 3, 40, 99])
def test_tuple_live_at_a_failing_guard_is_rebuilt(k):
    assert_same(LIVE_AT_GUARD, "main", (100, k))


def test_tuple_carried_round_the_loop_is_refused_cleanly():
    assert_same(CARRIED, "main", (300,))
    vm = tracejit.VM(hot_loop=3)
    vm.load_source(CARRIED, "<prog>").call("main", 300)
    check_no_internal_errors(vm)
    assert not trace_indices(vm, "main")


SIDE_READS = """
def pair(i):
    return i, i + 1

def main(n):
    t = (0, 0)
    s = 0
    for i in range(n):
        if i % 3 == 0:
            a, b = t
            s += a * 2 + b
        t = pair(i)
        c, d = pair(i * 2)
        s += c - d
    return s, t
"""


def test_tuple_read_on_another_path_keeps_its_value():
    assert_same(SIDE_READS, "main", (200,))


SWAPPED = """
import numpy as np

def main(n, k):
    a = [0, 0, 0, 0]
    b = [1, 1, 1, 1]
    u = np.zeros(3)
    v = np.ones(3)
    s = 0.0
    for i in range(n):
        a[i % 4] += i
        s += a[(i + 1) % 4] + u[i % 3]
        if i >= k:
            a, b = b, a
            u, v = v, u
    return s, a, b, u, v
"""


@pytest.mark.parametrize("k", [0, 7, 10 ** 6])
def test_arrays_and_lists_swapped_in_the_loop(k):
    """Traces take arrays and lists as arguments fixed for a run: a register that leaves
    an iteration holding another one must not compile as if it kept its value."""
    assert_same(SWAPPED, "main", (60, k))
