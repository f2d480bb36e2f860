"""Branches over one instruction (``if c: x += y``) recorded as a select
(``Recorder.convert_branch``): CPython's results in every mode, including an int
overflow inside the converted instruction on iterations where it runs and where it does
not; no guard and no side trace for the branch; exact instruction and opcode counts
(the instruction runs only where the condition holds), also when an outer trace calls
the loop; the line counts of the trace log add up."""
import pytest

import tracejit
from differential import MODES, assert_same
from jit_checks import check_traces

# a random-looking 50/50 condition, each symbol a converted branch may hold, both branch
# polarities (``if c`` and ``if not c``), ints and floats
MIXED = """
def main(n):
    x = 12345
    odd = 0
    evens = 0
    bits = 0
    mask = 1
    f = 0.0
    g = 1.0
    step = 0.25
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        if (x >> 16) % 2 == 1:
            odd += 1
        if not (x >> 17) % 2 == 1:
            evens -= 3
        if x % 5 == 0:
            bits ^= i
        if x % 7 < 3:
            mask |= i
        if x % 3 == 1:
            mask &= 1023
        if x % 11 > 4:
            f += step
        if x % 13 > 6:
            g *= 1.0001
        if x % 17 > 8:
            f += step * i       # two instructions: stays a branch
    return odd, evens, bits, mask, f, g
"""

# the converted instruction overflows int64 whenever the compiled code computes it: on
# the iterations where its branch does not run (nothing may change: the exit is at the
# branch) and at iteration k, where it runs (Python's result is a big int)
OVERFLOW = """
def main(n, k):
    s = 9223372036854775800
    t = 0
    for i in range(n):
        t += i
        if i == k:
            s += 10
    return s, t
"""

NESTED = """
def main(n):
    total = 0
    for i in range(n):
        j = 0
        while j < 40:
            if (i * 31 + j * 17) % 3 == 1:
                total += j
            j += 1
    return total
"""


def _vm(**options):
    return tracejit.VM(cache=False, **options)


def test_converted_branches_give_cpythons_results_in_every_mode():
    assert_same(MIXED, "main", (3000,))
    assert_same(NESTED, "main", (60,))


@pytest.mark.parametrize("k", [0, 7, 150, 10 ** 6])
def test_an_overflow_in_the_converted_instruction_exits_at_the_branch(k):
    assert_same(OVERFLOW, "main", (400, k), modes=["interp", "jit", "jit-hot1"])


def test_the_branch_becomes_a_select_not_a_side_trace():
    vm = _vm(hot_loop=10, hot_exit=10 ** 6, hot_compile=0)
    vm.load_source(MIXED, "mixed.py").call("main", 2000)
    check_traces(vm, count=1)
    (installed,) = vm.jit.installed
    ops = [ins.op for ins in installed.compiled.optimized.ins]
    assert ops.count("select") == 7 and ops.count("count_if") == 7
    # no guard at a converted branch; the two-instruction branch keeps its guard
    branch_pcs = {ins.aux[1] - 1 for ins in installed.trace.ins if ins.op == "count_if"}
    guard_pcs = [installed.trace.snapshots[ins.snap].pc for ins in installed.trace.ins
                 if ins.op in ("guard_true", "guard_false")]
    assert len(branch_pcs) == 7 and not branch_pcs & set(guard_pcs)
    assert any(pc > max(branch_pcs) for pc in guard_pcs)


FUNCTION_TRACES = {"jit": True, "hot_loop": 1, "hot_func": 1, "hot_exit": 1}   # (their branches stay guards)


@pytest.mark.parametrize("mode", ["jit", "jit-hot1", "functions"])
@pytest.mark.parametrize("source, args", [(MIXED, (2000,)), (NESTED, (50,)), (OVERFLOW, (300, 120))])
def test_instruction_and_opcode_counts_stay_exact(mode, source, args):
    interpreted = _vm(jit=False)
    interpreted.load_source(source, "prog.py").call("main", *args)
    compiled = _vm(**(FUNCTION_TRACES if mode == "functions" else MODES[mode]))
    compiled.load_source(source, "prog.py").call("main", *args)
    expected, got = interpreted.stats(), compiled.stats()
    assert got["instructions"] == expected["instructions"]
    assert got["opcodes"] == expected["opcodes"]
    assert sum(got["opcodes_compiled"].values()) == round(got["jit_coverage"] * got["instructions"])


def test_the_trace_log_counts_the_converted_instruction_on_its_line(tmp_path):
    from tracejit.logview import model as logmodel
    path = tmp_path / "mixed.jsonl"
    vm = tracejit.VM(cache=False, hot_loop=10, hot_compile=0, log=str(path))
    vm.load_source(MIXED, "mixed.py").call("main", 2000)
    stats = vm.stats()
    vm.close()
    counts = logmodel.line_counts(logmodel.load(str(path)))
    assert sum(c[0] + c[1] for c in counts.values()) == stats["instructions"]
    odd_line = MIXED.splitlines().index("            odd += 1") + 1
    interpreted, compiled = counts[("mixed.py", odd_line)]
    assert 0 < compiled < 2000      # the instruction ran on some compiled iterations only
