"""``for x in lst`` over int and float lists (FORITER): the iterator's position is a
loop variable, restored into the iterator at every exit.

Differential tests (CPython vs every VM mode) for whole loops, loops left by ``break``,
by an int64 overflow (the interpreter goes on from the right element with big ints),
and by a list whose strategy the loop cannot compile; counting tests check the loop
compiled.
"""
import pytest

import tracejit
from differential import assert_same
from jit_checks import check_no_internal_errors, check_trace_for, trace_ops

SUMS = """
def main(n):
    ints = [0] * n
    floats = [0.0] * n
    for i in range(n):
        ints[i] = (i * 7919) % 1000 - 500
        floats[i] = i * 0.25
    best = ints[0]
    total = 0.0
    for v in ints:
        if v > best:
            best = v
    for x in floats:
        total += x
    return best, total
"""

BREAK_AT = """
def main(n, stop):
    a = [0] * n
    for i in range(n):
        a[i] = i * 3
    seen = 0
    for v in a:
        if v >= stop:
            break
        seen += 1
    return seen
"""

OVERFLOW_AT = """
def main(n, big):
    a = [3] * n
    a[big] = 4000000000
    p = 1
    count = 0
    for v in a:
        p = p * v % 1000003 + v * v * v
        count += 1
    return p, count
"""

NESTED = """
def main(n):
    a = [0] * 7
    for i in range(7):
        a[i] = i + 1
    total = 0
    for r in range(n):
        for v in a:
            total += v * r
    return total
"""


@pytest.mark.parametrize("n", [1, 5, 400])
def test_for_in_over_int_and_float_lists(n):
    assert_same(SUMS, "main", (n,))


@pytest.mark.parametrize("stop", [0, 3, 299, 10 ** 6])
def test_break_out_of_a_for_in_loop(stop):
    assert_same(BREAK_AT, "main", (200, stop))


@pytest.mark.parametrize("big", [0, 1, 150, 299])
def test_overflow_inside_a_for_in_loop(big):
    assert_same(OVERFLOW_AT, "main", (300, big))


def test_for_in_inside_an_outer_loop():
    assert_same(NESTED, "main", (300,))


def test_for_in_loop_compiles():
    vm = tracejit.VM(hot_loop=10)
    vm.load_source(SUMS, "<prog>").call("main", 2000)
    check_no_internal_errors(vm)
    indices = check_trace_for(vm, "main", min_count=3)
    assert sum(1 for i in indices if trace_ops(vm, i)["iter_get"]) == 2   # both for-in loops
    assert vm.stats()["jit_coverage"] > 0.95


BOOLS = """
def main(n, k, odd):
    flags = [True] * n
    flags[0] = False
    for i in range(2, n):
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
                if j == k:
                    flags[j] = odd
    seen = []
    count = 0
    for f in flags:
        if f:
            count += 1
        seen.append(f)
    return count, flags[-1], len(seen), seen[1], seen[-1]
"""


@pytest.mark.parametrize("odd", [False, 1, 0.0, None])
@pytest.mark.parametrize("k", [-1, 4, 96])
def test_bool_lists_index_store_iterate_and_append(k, odd):
    """Bool lists compile (lst:bool); storing a non-bool switches the list to objects
    at k, and the loop leaves compiled code with every earlier store visible."""
    assert_same(BOOLS, "main", (200, k, odd))


def test_bool_list_loops_compile():
    vm = tracejit.VM(hot_loop=10)
    result = vm.load_source(BOOLS, "<prog>").call("main", 3000, -1, False)
    assert result == tracejit.VM(jit=False).load_source(BOOLS, "<prog>").call("main", 3000, -1, False)
    check_no_internal_errors(vm)
    indices = check_trace_for(vm, "main", min_count=3)
    assert any(trace_ops(vm, i)["lst_set"] for i in indices)
    assert any(trace_ops(vm, i)["iter_get"] and trace_ops(vm, i)["lst_append"] for i in indices)
    assert vm.stats()["jit_coverage"] > 0.95
