"""ranges: overflow and bounds checks that integer ranges exclude, with the entry guards
they rest on; what must stay guarded; the entry exit; the code the backend makes of it."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracejit
from differential import MODES, assert_same
from opt_text import optimize, parsed, same_text
from tracejit.ir import EntryGuard, format_trace, parse_trace

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def _snaps(count):
    return "".join(f"SNAP #{k} pc={k + 1} n={k} []\n" for k in range(count))


# for i in range(len(a)): a[i] = a[i] + a[i]   (r1: i, r2..r4: the range's counter, stop, step)
RANGE_LOOP = """TRACE t loop_pc=0 body=5 main_end=14
    0000   arr:f64:1  param 'arr:f64:1' 0
    0001   i64        param 'i64' 1
    0002 > nf64       arr_get1 0000 0001 #0
    0003   nf64       float_add 0002 0002
    0004 > void       arr_set1 0000 0001 0003 #1
    0005   i64        param 'i64' 2
    0006   i64        param 'i64' 3
    0007   i64        param 'i64' 4
    0008   i64        const 'i64' 0
    0009   bool       int_gt 0007 0008
    0010 > void       guard_true 0009 #2
    0011 > i64        int_add 0005 0007 #3
    0012   bool       int_lt 0011 0006
    0013 > void       guard_true 0012 #4
    """ + _snaps(5) + """LOOP [r1=0011 r2=0011]
    """
# the values the live-in registers held when it was recorded: a range(100) loop over 100 elements
RECORDED = {0: np.zeros(100), 1: 7, 2: 7, 3: 100, 4: 1}


def test_a_range_loop_over_its_array_needs_no_bounds_or_overflow_check():
    got = optimize(RANGE_LOOP, "ranges", RECORDED)
    # at the top of every iteration 0 <= i <= stop - 1 (checked at entry; every back edge
    # writes i = counter + step after guarding counter + step < stop, with step > 0 and
    # counter >= 0), stop <= len(a) (checked at entry; neither changes), and stop and step
    # are at most 2**62: so a[i] is in bounds and counter + step < 2**63; step >= 1
    # (checked at entry; it never changes) decides the guard step > 0
    same_text(got, """TRACE t loop_pc=0 body=5 main_end=14
        0000   arr:f64:1  param 'arr:f64:1' 0
        0001   i64        param 'i64' 1
        0002   nf64       arr_get1_inrange 0000 0001
        0003   nf64       float_add 0002 0002
        0004   void       arr_set1_inrange 0000 0001 0003
        0005   i64        param 'i64' 2
        0006   i64        param 'i64' 3
        0007   i64        param 'i64' 4
        0008   i64        const 'i64' 0
        0009   bool       int_gt 0007 0008
        0010   void       nop
        0011   i64        int_add_nov 0005 0007
        0012   bool       int_lt 0011 0006
        0013 > void       guard_true 0012 #4
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        SNAP #3 pc=4 n=3 []
        SNAP #4 pc=5 n=4 []
        ENTRY 0001 <= 0006 + -1
        ENTRY 0005 <= 0006 + -1
        ENTRY 0006 <= dim(0000,0) + 0
        ENTRY 0006 <= 0 + 4611686018427387904
        ENTRY 0007 <= 0 + 4611686018427387904
        ENTRY 0 <= 0001 + 0
        ENTRY 0 <= 0005 + 0
        ENTRY 0 <= 0007 + -1
        LOOP [r1=0011 r2=0011]
        """)


def test_only_what_held_when_recorded_is_assumed():
    # range(101) over 100 elements (the loop breaks out before, or raises IndexError):
    # stop <= len(a) is not assumed, the first access keeps its check; the counter's
    # overflow check still goes (it rests on i < stop only)
    got = optimize(RANGE_LOOP, "ranges", {**RECORDED, 3: 101})
    assert "0002 > nf64       arr_get1 0000 0001 #0" in got
    assert "0011   i64        int_add_nov 0005 0007" in got
    assert "dim(" not in got
    # started below 0 (range(-5, 100)): i >= 0 is not assumed, nor is any bounds check gone
    got = optimize(RANGE_LOOP, "ranges", {**RECORDED, 1: -5, 2: -5})
    assert "inbounds" not in got and "inrange" not in got and "int_add_nov" in got and "ENTRY 0 <= 0001" not in got


def test_the_recorded_trace_is_left_alone_and_the_log_text_round_trips():
    trace = parsed(RANGE_LOOP)
    before = format_trace(trace)
    from tracejit.opt import Optimizer
    optimized, stages = Optimizer("ranges", verify=True).optimize(trace, samples=[RECORDED])
    assert format_trace(trace) == before and trace.entry_guards == []
    assert stages[0].guards_before - stages[0].guards_after == 4
    text = format_trace(optimized)
    assert format_trace(parse_trace(text)) == text
    assert EntryGuard(("ref", 6), ("dim", 0, 0), 0) in parse_trace(text).entry_guards


SMALL = """TRACE t loop_pc=0 body=1 main_end=13
    0000   i64        param 'i64' 0
    0001   i64        const 'i64' 7
    0002   i64        int_and 0000 0001
    0003   i64        const 'i64' 5
    0004 > i64        int_mod 0000 0003 #0
    0005 > i64        int_add 0002 0004 #1
    0006   bool       param 'bool' 1
    0007   i64        bool_to_int 0006
    0008 > i64        int_mul 0005 0007 #2
    0009   i64        const 'i64' 100
    0010 > i64        int_sub 0004 0009 #3
    0011 > i64        int_mul 0000 0001 #4
    0012 > i64        int_add 0000 0000 #5
    """ + _snaps(6) + """LOOP [r2=0010]
    """


def test_small_ranges_need_no_entry_guard():
    got = optimize(SMALL, "ranges")
    lines = got.splitlines()
    # i & 7 in [0, 7], i % 5 in [0, 4], int(b) in [0, 1]: sums, products, differences fit
    assert lines[6] == "0005   i64        int_add_nov 0002 0004"
    assert lines[9] == "0008   i64        int_mul_nov 0005 0007"
    assert lines[11] == "0010   i64        int_sub_nov 0004 0009"
    # i is anything: i * 7 and i + i keep their checks; nothing was assumed
    assert lines[12] == "0011 > i64        int_mul 0000 0001 #4"
    assert lines[13] == "0012 > i64        int_add 0000 0000 #5"
    assert "ENTRY" not in got


# while True: k = k + 1; if k == n: break      (no guard bounds k from above)
UNBOUNDED = """TRACE t loop_pc=0 body=3 main_end=6
    0000   i64        param 'i64' 0
    0001   i64        const 'i64' 1
    0002 > i64        int_add 0000 0001 #0
    0003   i64        param 'i64' 1
    0004   bool       int_eq 0002 0003
    0005 > void       guard_false 0004 #1
    """ + _snaps(2) + """LOOP [r0=0002]
    """


def test_an_unbounded_counter_keeps_its_overflow_check():
    got = optimize(UNBOUNDED, "ranges", {0: 0, 1: 10})
    assert "0002 > i64        int_add 0000 0001 #0" in got and "ENTRY" not in got


# s = s + a[i] * i, i a range counter below n (as RANGE_LOOP, without the array)
ACCUMULATE = """TRACE t loop_pc=0 body=4 main_end=14
    0000   lst:i64    param 'lst:i64' 0
    0001   i64        param 'i64' 1
    0002 > i64        lst_get 0000 0001 #0
    0003 > i64        int_mul 0002 0001 #1
    0004   i64        param 'i64' 5
    0005 > i64        int_add 0004 0003 #2
    0006 > i64        int_mul 0001 0001 #3
    0007   i64        param 'i64' 3
    0008   i64        param 'i64' 4
    0009   i64        const 'i64' 1
    0010 > i64        int_add 0001 0009 #4
    0011   bool       int_lt 0010 0007
    0012 > void       guard_true 0011 #5
    0013 > i64        int_add 0008 0001 #6
    """ + _snaps(7) + """LOOP [r1=0010 r5=0005 r4=0013]
    """


def test_values_that_can_overflow_keep_their_checks():
    recorded = {0: tracejit_list([1, 2, 3]), 1: 0, 3: 3, 4: 0, 5: 0}
    got = optimize(ACCUMULATE, "ranges", recorded)
    assert "0003 > i64        int_mul 0002 0001 #1" in got      # an element: anything
    assert "0005 > i64        int_add 0004 0003 #2" in got      # the sum grows without bound
    assert "0013 > i64        int_add 0008 0001 #6" in got      # so does r4 += i
    assert "0010   i64        int_add_nov 0001 0009" in got     # i + 1 <= n
    assert "0002   i64        lst_get_inrange 0000 0001" in got
    # i * i fits while n <= 2**30 (assumed: n was 3 when recorded), not for n up to 2**62
    assert "0006   i64        int_mul_nov 0001 0001" in got and "ENTRY 0007 <= 0 + 1073741824" in got
    got = optimize(ACCUMULATE, "ranges", {**recorded, 3: 1 << 40})
    assert "0006 > i64        int_mul 0001 0001 #3" in got


def tracejit_list(items):
    from interp.lists import List
    return List.from_iterable(items)


# a[j] with j an element of another array, then checked: 0 <= j < len(a)
CHECKED = """TRACE t loop_pc=0 body=4 main_end=14
    0000   arr:i64:1  param 'arr:i64:1' 0
    0001   i64        param 'i64' 1
    0002 > ni64       arr_get1 0000 0001 #0
    0003   arr:f64:1  param 'arr:f64:1' 2
    0004 > nf64       arr_get1 0003 0002 #1
    0005   i64        const 'i64' 0
    0006   nbool      int_ge 0002 0005
    0007 > void       guard_true 0006 #2
    0008   i64        arr_dim 0003 0
    0009   nbool      int_lt 0002 0008
    0010 > void       guard_true 0009 #3
    0011   i64        const 'i64' 1
    0012 > nf64       arr_get1 0003 0002 #4
    0013 > ni64       int_add 0002 0011 #5
    """ + _snaps(6) + """LOOP []
    """


def test_an_index_is_in_bounds_only_after_the_guards_that_prove_it():
    got = optimize(CHECKED, "ranges", {0: np.zeros(3, dtype=np.int64), 1: 0, 2: np.zeros(5)})
    assert "0004 > nf64       arr_get1 0003 0002 #1" in got     # j not proven yet
    assert "0012   nf64       arr_get1_inrange 0003 0002" in got
    assert "0013   ni64       int_add_nov 0002 0011" in got     # j < len(a) <= 2**63 - 1
    # r1 does not change in the loop: its index is checked once, before the first iteration
    assert "0002   ni64       arr_get1_inrange 0000 0001" in got
    assert got.count("ENTRY") == 2 and "ENTRY 0001 <= dim(0000,0) + -1" in got and "ENTRY 0 <= 0001 + 0" in got
    # nothing is assumed of a value not recorded: r1 keeps its check
    got = optimize(CHECKED, "ranges", {0: np.zeros(3, dtype=np.int64), 2: np.zeros(5)})
    assert "0002 > ni64       arr_get1 0000 0001 #0" in got and "ENTRY" not in got


# the root path reads a[i] and steps i by 1 below n; a side path (where j < 0 failed)
# sets i to an element instead: i < n holds at no header, nothing about i can be assumed
TREE = """TRACE t loop_pc=0 body=4 main_end=13
    0000   arr:i64:1  param 'arr:i64:1' 0
    0001   i64        param 'i64' 1
    0002 > ni64       arr_get1 0000 0001 #0
    0003   i64        const 'i64' 0
    0004   nbool      int_lt 0002 0003
    0005 > void       guard_true 0004 #1
    0006   i64        const 'i64' 1
    0007 > i64        int_add 0001 0006 #2
    0008   i64        param 'i64' 2
    0009   bool       int_lt 0007 0008
    0010 > void       guard_true 0009 #3
    0011   void       nop
    0012   void       nop
    0013   i64        const 'i64' 2
    0014 > ni64       int_add 0002 0013 #4
    SNAP #0 pc=1 n=0 []
    SNAP #1 pc=2 n=1 []
    SNAP #2 pc=3 n=2 []
    SNAP #3 pc=4 n=3 []
    SNAP #4 pc=3 n=2 []
    SIDE guard=0005 start=13 end=15 body=4 [r1=0014]
    LOOP [r1=0007]
    """


def test_every_back_edge_must_re_establish_what_the_header_assumes():
    recorded = {0: np.zeros(10, dtype=np.int64), 1: 0, 2: 10}
    got = optimize(TREE.replace("SIDE guard=0005 start=13 end=15 body=4 [r1=0014]",
                                "SIDE guard=0005 start=13 end=15 body=4 []"), "ranges", recorded)
    assert "0002   ni64       arr_get1_inrange 0000 0001" in got   # the side path keeps i
    assert "0007   i64        int_add_nov 0001 0006" in got
    got = optimize(TREE, "ranges", recorded)                      # the side path sets i = a[i] + 2
    assert "0002 > ni64       arr_get1 0000 0001 #0" in got
    assert "0014 > ni64       int_add 0002 0013 #4" in got
    assert "ENTRY" not in got
    # i + 1 still cannot overflow: a[i] passed its check, so i < len(a) there
    assert "0007   i64        int_add_nov 0001 0006" in got


def test_a_side_path_knows_its_guard_failed():
    # root: guard j >= 0 then guard j >= len(a) (the side path runs where it failed:
    # 0 <= j < len(a) there, so its a[j] needs no check; the root path's would)
    text = """TRACE t loop_pc=0 body=3 main_end=10
        0000   arr:f64:1  param 'arr:f64:1' 0
        0001   lst:i64    param 'lst:i64' 1
        0002   i64        param 'i64' 2
        0003 > i64        lst_get 0001 0002 #0
        0004   i64        const 'i64' 0
        0005   bool       int_ge 0003 0004
        0006 > void       guard_true 0005 #1
        0007   i64        arr_dim 0000 0
        0008   bool       int_ge 0003 0007
        0009 > void       guard_true 0008 #2
        0010 > nf64       arr_get1 0000 0003 #3
        """ + _snaps(4) + """SIDE guard=0009 start=10 end=11 body=3 []
        LOOP []
        """
    got = optimize(text, "ranges", {0: np.zeros(4), 1: tracejit_list([9]), 2: 0})
    assert "0010   nf64       arr_get1_inrange 0000 0003" in got
    assert "0009 > void       guard_true 0008 #2" in got        # a side trace grows from it


def test_a_list_the_trace_appends_to_bounds_an_index_by_its_length_at_entry_only():
    # L.append(i); L[i]; a[i]; i += 1: L[i] passing says i < len(L) *now*; it says nothing
    # of len(a), even though len(L) <= len(a) held when recorded
    text = """TRACE t loop_pc=0 body=4 main_end=9
        0000   lst:i64    param 'lst:i64' 0
        0001   i64        param 'i64' 1
        0002 > i64        lst_append 0000 0001 #0
        0003 > i64        lst_get 0000 0001 #1
        0004   arr:f64:1  param 'arr:f64:1' 2
        0005 > nf64       arr_get1 0004 0001 #2
        0006   i64        const 'i64' 1
        0007 > i64        int_add 0001 0006 #3
        0008   void       nop
        """ + _snaps(4) + """LOOP [r1=0007]
        """
    got = optimize(text, "ranges", {0: tracejit_list([5, 6, 7]), 1: 0, 2: np.zeros(3)})
    assert "0005 > nf64       arr_get1 0004 0001 #2" in got


NESTED = """TRACE t loop_pc=0 body=5 main_end=6
    0000   i64        param 'i64' 0
    0001   i64        call_loop 0 0000
    0002 > void       guard_loop_exit 0001 (1,) #0
    0003   i64        loop_out 0001 'i64' (2,)
    0004   i64        const 'i64' 1
    0005 > i64        int_add 0003 0004 #1
    """ + _snaps(2) + """NEST #0 <inner>
    LOOP [r0=0005]
    """


def test_an_inner_loop_leaves_values_nothing_is_known_of():
    got = optimize(NESTED, "ranges", {0: 0})
    assert "0005 > i64        int_add 0003 0004 #1" in got and "ENTRY" not in got


@given(st.integers(INT64_MIN, INT64_MAX), st.integers(INT64_MIN, INT64_MAX),
       st.one_of(st.integers(INT64_MIN + 1, INT64_MAX - 1), st.integers(-3, 3)))
def test_entry_guards_compute_without_overflow(a, b, c):
    """``a <= b + c`` as the backend emits it, run on int64 values that raise on overflow."""
    from tracejit.backend.numba_backend import _Names, _entry_guards
    trace = parsed("""TRACE t loop_pc=0 body=1 main_end=2
        0000   i64        param 'i64' 0
        0001   i64        param 'i64' 1
        LOOP []
        """)
    for guard in (EntryGuard(("ref", 0), ("ref", 1), c), EntryGuard(("ref", 0), None, c),
                  EntryGuard(None, ("ref", 1), c)):
        trace.entry_guards = [guard]
        line = _entry_guards(_Names(trace), trace)[0]
        condition = line.strip()[len("if "):line.strip().rindex(":")]
        with np.errstate(over="raise"):
            failed = eval(condition, {"min": min, "max": max}, {"v0": np.int64(a), "v1": np.int64(b)})
        va = 0 if guard.a is None else a
        vb = 0 if guard.b is None else b
        assert bool(failed) == (va > vb + c)
        assert line.endswith("return 0")        # the entry exit: after the (no) snapshots


COUNT_DOWN = """
import numpy as np
def main(n):
    a = np.zeros(n)
    s = 0.0
    for i in range(len(a) - 1, -1, -1):
        a[i] = i * 0.5
        s += a[i]
    return s
"""


def test_a_range_counting_down_indexes_without_checks(same):
    same(COUNT_DOWN, "main", (100,))
    vm = tracejit.VM(hot_loop=3)
    vm.load_source(COUNT_DOWN, "down.py").call("main", 100)
    (installed,) = vm.jit.installed
    ops = {i.op for i in installed.compiled.optimized.ins}
    assert {"arr_set1_inrange", "arr_get1_inrange", "int_add_nov"} <= ops
    assert not {"arr_set1", "arr_get1", "int_add"} & ops
    # i >= stop + 1 and stop >= -1: i >= 0; i <= len(a) - 1 at entry, and i only decreases
    assert EntryGuard(None, ("ref", 10), 1) in installed.compiled.optimized.entry_guards


# a loop that runs whole in one call, then is entered by calls that leave it early
SCAN = """
def scan(a, n):
    s = 0
    for i in range(n):
        if a[i] < 0:
            break
        s += a[i]
    return s

def main(m):
    a = [1] * 200 + [-1] + [2] * 50
    r = scan(a, len(a) - 60)          # recorded here: n <= len(a)
    for k in range(m):
        r += scan(a, 10 ** 6)        # n > len(a): the loop breaks at the -1
    return r
"""


def test_an_entry_guard_that_fails_sends_the_loop_to_be_recorded_again():
    vm = tracejit.VM(hot_loop=50)
    assert vm.load_source(SCAN, "scan.py").call("main", 30) == 6191
    first, second = vm.jit.installed
    assert ("dim", 0, 0) in {g.b for g in first.compiled.optimized.entry_guards}
    entry = first.exits[len(first.trace.snapshots)]
    assert entry.count == vm.jit.hot_exit and entry.pc == first.trace.loop_pc + 1
    # recorded again, remembering the state the guard failed in: it assumes nothing of
    # len(a) (true when first recorded, false there), and runs
    state = vm.jit.loops[(first.decoded, first.trace_loop)]
    assert len(state.entry_states) == 1 and state.entry_states[0][first.trace.ins[9].aux[1]] == 10 ** 6
    assert all(g.b is None or g.b[0] != "dim" for g in second.compiled.optimized.entry_guards)
    assert second.iterations > 5000 and second.exits[len(second.trace.snapshots)].count == 0
    # the exits counted every instruction exactly
    interpreted = tracejit.VM(jit=False)
    interpreted.load_source(SCAN, "scan.py").call("main", 30)
    assert vm.stats()["opcodes"] == interpreted.stats()["opcodes"]


NEGATIVE_STARTS = """
def main(n):
    a = [0] * 40
    for k in range(40):
        a[k] = k * 3
    s = 0
    for k in range(n):
        start = -5 if k % 9 == 8 else 0      # a[-5:] of Python's negative indices now and then
        for i in range(start, 30):
            s += a[i] + i * i
    return s
"""


def test_an_inner_loop_whose_entry_guard_fails_inside_an_outer_trace(same):
    same(NEGATIVE_STARTS, "main", (200,))
    vm = tracejit.VM(hot_loop=3, hot_exit=3)
    vm.load_source(NEGATIVE_STARTS, "neg.py").call("main", 200)
    entry_exits = sum(t.exits[t.entry_exit].count for t in vm.jit.installed if t.entry_exit is not None)
    assert entry_exits > 0


@pytest.mark.parametrize("source, n", [(SCAN, 12), (NEGATIVE_STARTS, 40), (SCAN.replace("10 ** 6", "k"), 300)])
def test_results_with_and_without_the_pass(source, n):
    assert_same(source, "main", (n,), modes=[*MODES, "opts--ranges"])


INDEXES = ("i", "i + {c}", "i - {c}", "i % {m}", "(i * {c}) % {m}", "-i - 1", "{c} - i", "i // 2", "i & {m}")


@st.composite
def range_programs(draw):
    """``for i in range(lo, hi, step)`` over a list or array with a random index
    expression, run by an outer loop that moves the range: the recorded values differ
    from later entries, indexes go negative or out of bounds (IndexError), loops break;
    the step is a variable that may change sign between runs of the loop, and the loop
    may store into the list (an int or a bool) or array."""
    size = draw(st.integers(1, 60))
    c, m = draw(st.integers(1, 50)), draw(st.integers(1, 60))
    index = draw(st.sampled_from(INDEXES)).format(c=c, m=m)
    lo, length, shift = draw(st.integers(-30, 50)), draw(st.integers(3, 50)), draw(st.integers(-15, 15))
    step = draw(st.sampled_from([1, 1, 2, 3, -1, -2]))
    hi = lo + length if step > 0 else lo - length
    stop_at = draw(st.integers(-60, 100))
    other_step = draw(st.sampled_from([step, step, 1, -1, 3]))
    store = draw(st.sampled_from(["", f"a[{index}] = i * {c}", f"a[{index}] = i > {c}"]))
    numpy = draw(st.booleans())
    make = f"np.arange({size}) * 3 - 7" if numpy else f"[0] * {size}"
    return f"""
import numpy as np
def main(n):
    a = {make}
    for k in range({size}):
        a[k] = k * 3 - 7
    s = 0
    for rep in range(n):
        step = {step} if rep % 3 != 2 else {other_step}
        for i in range({lo} + rep * {shift}, {hi} + rep * {shift}, step):
            if i == {stop_at}:
                break
            s += a[{index}] + i * {c}
            {store}
    return int(s)
"""


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(range_programs(), st.integers(2, 8))
def test_random_range_loops_against_cpython(source, n):
    assert_same(source, "main", (n,), modes=["jit-hot1"])


def test_a_shift_of_a_masked_value_cannot_overflow():
    # (x & 0xFFFFFFFF) << 13 stays below 2**45; a shift of the unmasked x, or by an
    # unknown amount, keeps its check
    got = optimize("""TRACE t loop_pc=0 body=3 main_end=9
        0000   i64        param 'i64' 0
        0001   i64        const 'i64' 4294967295
        0002   i64        int_and 0000 0001
        0003   i64        const 'i64' 13
        0004 > i64        int_lshift 0002 0003 #0
        0005 > i64        int_lshift 0000 0003 #1
        0006   i64        param 'i64' 1
        0007 > i64        int_lshift 0002 0006 #2
        0008   i64        int_xor 0004 0005
        """ + _snaps(3) + """LOOP [r0=0008]
        """, "ranges", {0: 12345, 1: 3})
    assert "0004   i64        int_lshift_nov 0002 0003" in got
    assert "0005 > i64        int_lshift 0000 0003 #1" in got
    assert "0007 > i64        int_lshift 0002 0006 #2" in got


def test_only_guards_the_assumptions_decide_go():
    # p >= 1 held when recorded: the guard p > 0 goes (entry guard 0 <= p - 1); q <= 0
    # is no candidate assumption and x != 3 states no fact: both guards stay
    got = optimize("""TRACE t loop_pc=0 body=2 main_end=10
        0000   i64        param 'i64' 0
        0001   i64        const 'i64' 0
        0002   bool       int_gt 0000 0001
        0003 > void       guard_true 0002 #0
        0004   i64        param 'i64' 1
        0005   bool       int_gt 0004 0001
        0006 > void       guard_false 0005 #1
        0007   i64        const 'i64' 3
        0008   bool       int_ne 0000 0007
        0009 > void       guard_true 0008 #2
        """ + _snaps(3) + """LOOP []
        """, "ranges", {0: 5, 1: -2})
    assert "0003   void       nop" in got and "ENTRY 0 <= 0000 + -1" in got
    assert "0006 > void       guard_false 0005 #1" in got
    assert "0009 > void       guard_true 0008 #2" in got
