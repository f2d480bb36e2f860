"""Module globals a loop assigns: held in pseudo-registers (tracejit/registers.py), read
at entry and written back into the module at every exit.

Differential tests (CPython vs every VM mode): a global updated in an inlined call, a
global that overflows int64 or changes type at iteration k, a global assigned by an
inner loop of a nest, a global an inner trace took for a constant and the outer loop
assigns, and a global assigned a value no trace can hold. Counting tests check the loop
compiled with the global as a loop variable.
"""
import pytest

import tracejit
from differential import assert_same
from jit_checks import check_no_internal_errors, check_trace_for, installed
from tracejit.registers import global_name, is_global

LCG = """
STATE = 7
M = 2147483647

def step():
    global STATE
    STATE = (STATE * 16807) % M
    return STATE

def main(n):
    global STATE
    STATE = 12345
    hits = 0
    for i in range(n):
        if step() % 3 == 0:
            hits += 1
    return hits, STATE
"""

GROW_AT = """
ACC = 1

def main(n, k, mult):
    global ACC
    ACC = 1
    for i in range(n):
        if i == k:
            ACC = ACC * mult
        else:
            ACC = ACC + i
    return ACC
"""

STOP_AT = """
COUNT = 0
TOTAL = 0.0

def main(n, k):
    global COUNT, TOTAL
    COUNT = 0
    TOTAL = 0.0
    for i in range(n):
        if i == k:
            break
        COUNT += 1
        TOTAL = TOTAL + i * 0.5
    return COUNT, TOTAL
"""

NEST = """
ROWS = 0
LIMIT = 5

def main(n):
    global ROWS
    ROWS = 0
    s = 0
    for r in range(n):
        for c in range(LIMIT + r % 3):
            ROWS += 1
            s += c
    return s, ROWS
"""

CONST_THEN_ASSIGNED = """
SCALE = 2

def inner(m):
    s = 0
    for j in range(m):
        s += j * SCALE
    return s

def main(n):
    global SCALE
    SCALE = 2
    total = 0
    for r in range(n):
        total += inner(20)
        if r % 7 == 6:
            SCALE = SCALE + 1
    return total, SCALE
"""

NOT_A_NUMBER = """
LAST = 0

def main(n):
    global LAST
    for i in range(n):
        if i < n - 3:
            LAST = i
        else:
            LAST = [i]
    return LAST
"""


@pytest.mark.parametrize("n", [0, 3, 2000])
def test_global_assigned_in_an_inlined_call(n):
    assert_same(LCG, "main", (n,))


@pytest.mark.parametrize("mult", [2 ** 62, 2.5])
@pytest.mark.parametrize("k", [0, 1, 500])
def test_global_overflows_or_changes_type_at_k(k, mult):
    assert_same(GROW_AT, "main", (600, k, mult))


@pytest.mark.parametrize("k", [0, 2, 999])
def test_globals_hold_their_values_when_the_loop_is_left(k):
    assert_same(STOP_AT, "main", (1000, k))


def test_global_assigned_by_an_inner_loop():
    assert_same(NEST, "main", (400,))


def test_global_an_inner_trace_took_for_a_constant():
    assert_same(CONST_THEN_ASSIGNED, "main", (300,))


def test_global_assigned_a_list():
    assert_same(NOT_A_NUMBER, "main", (500,))


def test_loop_assigning_a_global_compiles():
    vm = tracejit.VM(hot_loop=10)
    assert vm.load_source(LCG, "<prog>").call("main", 3000) == \
        tracejit.VM(jit=False).load_source(LCG, "<prog>").call("main", 3000)
    check_no_internal_errors(vm)
    index = check_trace_for(vm, "main")[0]
    trace = installed(vm, index).trace
    carried = [global_name(reg) for reg in trace.loop_carried if is_global(reg)]
    assert carried == ["STATE"]
    assert vm.stats()["jit_coverage"] > 0.95
