"""``iter(lst)`` and ``lst.append(v)`` inside traces.

GETITER makes a virtual iterator (``iter_new``: materialized only at exits) so an outer
loop can run an inner ``for x in lst`` loop; ``append`` writes the unboxed storage and
makes the list's length a loop variable (register LENGTH_BASE + r) written back at
exits. Differential tests (CPython vs every VM mode) for appends that fill the storage
(the interpreter grows it), that would switch the list's strategy, lists shared by two
registers, a list appended to while it is iterated, and exits from inside inner loops;
counting tests check the loops compiled.
"""
import pytest

import tracejit
from tracejit.jit import JIT
from differential import assert_same
from jit_checks import check_no_internal_errors, check_trace_for, trace_ops

PRIMES = """
def main(n):
    primes = []
    total = 0
    for c in range(2, n):
        is_prime = True
        for p in primes:
            if p * p > c:
                break
            if c % p == 0:
                is_prime = False
                break
        if is_prime:
            primes.append(c)
            total += c
    return len(primes), total, primes
"""

APPEND_AT = """
def main(n, k, odd):
    out = [0.5]
    ints = [1]
    for i in range(n):
        if i == k:
            out.append(odd)
            ints.append(odd)
        else:
            out.append(i * 0.5)
            ints.append(i)
    return out, ints, len(out)
"""

SHARED = """
def fill(dst, src, n):
    for i in range(n):
        dst.append(src[i % len(src)] + i)
    return len(dst)

def main(n):
    a = [1, 2, 3]
    b = [10, 20]
    x = fill(a, b, n)
    y = fill(b, b, n)
    return x, y, a[-1], b[-1], len(b)
"""

GROW_WHILE_ITERATING = """
def main(n):
    a = [1, 2, 3]
    seen = 0
    for v in a:
        seen += v
        if v < n:
            a.append(v + 3)
    return seen, len(a)
"""

NESTED_FOR_IN = """
def main(n):
    xs = []
    ys = []
    for i in range(n):
        xs.append(i % 17)
        ys.append((i * 3) % 11)
    total = 0
    for x in xs:
        for y in ys:
            if y > x:
                total += y - x
    return total
"""

INNER_EXIT = """
def main(n, stop):
    vals = []
    for i in range(n):
        vals.append(i * 2)
    found = 0
    for r in range(n):
        for v in vals:
            if v == stop + r:
                found += v
                break
            if v > 1000000:
                found = found * 1.5
    return found
"""


@pytest.mark.parametrize("n", [2, 3, 800])
def test_primes_append_while_an_inner_loop_reads(n):
    assert_same(PRIMES, "main", (n,))


@pytest.mark.parametrize("odd", [float("nan"), 7, 2.5, 2 ** 70, True])
@pytest.mark.parametrize("k", [0, 5, 299])
def test_append_of_another_type_at_k(k, odd):
    assert_same(APPEND_AT, "main", (300, k, odd))


def test_append_to_lists_shared_by_two_registers():
    assert_same(SHARED, "main", (500,))


@pytest.mark.parametrize("n", [0, 50, 700])
def test_append_to_the_list_being_iterated(n):
    assert_same(GROW_WHILE_ITERATING, "main", (n,))


def test_nested_for_in_loops():
    assert_same(NESTED_FOR_IN, "main", (120,))


@pytest.mark.parametrize("stop", [0, 31, 10 ** 7])
def test_exit_from_an_inner_for_in_loop(stop):
    assert_same(INNER_EXIT, "main", (150, stop))


def test_loop_nest_with_iter_and_append_compiles():
    vm = tracejit.VM(hot_loop=10)
    result = vm.load_source(PRIMES, "<prog>").call("main", 5000)
    assert result == tracejit.VM(jit=False).load_source(PRIMES, "<prog>").call("main", 5000)
    check_no_internal_errors(vm)
    indices = check_trace_for(vm, "main", min_count=2)
    ops = [trace_ops(vm, i) for i in indices]
    assert any(o["iter_new"] and o["call_loop"] and o["lst_append"] for o in ops), ops
    assert vm.stats()["jit_coverage"] > 0.95


# an inner loop of one iteration per entry that appends, inside an outer loop
# (a wrong result once: the appends were lost when the outer trace ran the inner loop)
ONE_ITERATION_APPENDS = """
def main(n):
    a = n
    lst = [n]
    for i in range(-6, 0, 1):
        if a < a:
            a = a
        for j in range(1):
            lst[((a + j)) % len(lst)] = a
            if len(lst) < 40:
                lst.append(a)
    return (lst, i)
"""


def test_appends_in_a_one_iteration_inner_loop():
    assert_same(ONE_ITERATION_APPENDS, "main", (0,))


INNER_APPENDS = """
def main(n):
    lst = [0]
    t = 0
    for i in range(n):
        for j in range(3):
            lst.append(j)
        t += len(lst)
    return (len(lst), t)
"""


@pytest.mark.parametrize("hot_loop", [1, 2, 3])
def test_no_trace_is_entered_while_a_recording_observes(hot_loop, monkeypatch):
    """The outer loop records the inner one inline (its trace appends, so it cannot be
    called): the interpreter's LOOP must not enter the inner trace behind the
    recorder's back, or the recording misses the instructions it ran."""
    entered_while_recording = []
    enter = JIT.enter

    def checked_enter(jit, *args):
        entered_while_recording.append(jit.recorder is not None)
        return enter(jit, *args)

    monkeypatch.setattr(JIT, "enter", checked_enter)
    with tracejit.VM(hot_loop=hot_loop, cache=False) as vm:
        got = vm.load_source(INNER_APPENDS).call("main", 20)
    assert any(not during for during in entered_while_recording)   # the inner trace ran
    assert not any(entered_while_recording)
    assert set(vm.stats()["abort_reasons"]) <= {"INNER_LOOP", "LEFT_LOOP"}
    namespace = {}
    exec(INNER_APPENDS, namespace)
    assert got == namespace["main"](20)
