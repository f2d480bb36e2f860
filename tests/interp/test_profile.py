"""Profile mode of the interpreter (``interp.profile``): same results and counts as
normal mode, memory attributed to the instruction that allocated, time per instruction."""
import sys
import tracemalloc

import pytest

import interp
from interp.code import Function
from interp.opcode_counts import by_name, instruction_counts, opcode_counts
from interp.profile import Profiler, ProfilingMachine

STRING_BUILD = ("def main(n):\n    s = ''\n    for i in range(n):\n        s = s + 'ab'\n"
                "    return len(s)\n")
BIG_POWERS = "def main(n):\n    x = 1\n    for i in range(n):\n        x = x * 1000003\n    return x % 97\n"


def run(machine, source, *args, filename="prog.py"):
    """Run ``source``'s top level, then ``main(*args)``, inside the profiler's session."""
    session = machine.profiler.session() if machine.profiler else tracemalloc_untouched()
    with session:
        globals_ = {}
        machine.call_function(Function(interp.compile_source(source, filename), (), globals_), [])
        return machine.call_function(globals_["main"], list(args))


class tracemalloc_untouched:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def profiled(source, *args, memory=True):
    machine = ProfilingMachine(Profiler(memory=memory))
    result = run(machine, source, *args)
    return machine, result, machine.profiler.report(machine)


@pytest.mark.parametrize("memory", [True, False], ids=["memory", "time"])
def test_same_result_and_counts_as_normal_mode(memory):
    source = ("def g(x):\n    return x * 2 + 1\n"
              "def main(n):\n    s = 0\n    xs = []\n    for i in range(n):\n"
              "        if i % 3:\n            s = g(s) % 1000\n        else:\n            xs.append(s)\n"
              "    return s, len(xs)\n")
    normal = interp.Machine()
    expected = run(normal, source, 50)
    machine, result, report = profiled(source, 50, memory=memory)
    assert result == expected
    assert machine.instructions == normal.instructions
    counts = by_name(opcode_counts(instruction_counts(machine)))
    assert counts == by_name(opcode_counts(instruction_counts(normal)))
    assert {name: row["count"] for name, row in report["opcodes"].items()} == counts
    assert all(row["seconds"] >= 0 for row in report["opcodes"].values())
    assert ("allocated_bytes" in report["opcodes"]["ADD"]) is memory


def test_calibration_finds_no_memory_bias():
    # the probes are built so that nothing they do is traced inside a measurement
    profiler = Profiler(memory=True)
    with profiler.session():
        assert (profiler.allocated_bias, profiler.net_bias) == (0, 0)
        assert 0 < profiler.floor < profiler.overhead + 1e-3


def test_session_restores_tracemalloc_state():
    assert not tracemalloc.is_tracing()
    machine, _, _ = profiled(STRING_BUILD, 10, memory=True)
    assert not tracemalloc.is_tracing()
    machine, _, _ = profiled(STRING_BUILD, 10, memory=False)
    assert not tracemalloc.is_tracing()


def test_string_concatenation_allocates_each_new_string():
    n = 300
    _, result, report = profiled(STRING_BUILD, n)
    assert result == 2 * n
    add = report["opcodes"]["ADD"]
    # '' + 'ab' returns 'ab' itself; every later ADD makes a new string
    assert add["allocated_bytes"] == sum(sys.getsizeof("ab" * k) for k in range(2, n + 1))


def test_big_int_products_allocate_their_results():
    n = 200
    _, _, report = profiled(BIG_POWERS, n)
    sizes = [sys.getsizeof(1000003 ** k) for k in range(1, n + 1)]
    mul = report["opcodes"]["MUL"]
    # CPython allocates a product with len(a) + len(b) digits and may use one less
    assert sum(sizes) <= mul["allocated_bytes"] <= sum(sizes) + 4 * n
    # the old value of x is released when the unit writes its registers back, at the
    # loop's branch: MUL keeps every result it made
    assert mul["net_bytes"] == mul["allocated_bytes"]
    assert report["opcodes"]["FORLOOP"]["net_bytes"] < 0


def test_expensive_instruction_takes_the_time():
    source = "def main(n):\n    t = 0\n    for i in range(n):\n        t = (t + 7 ** 20000) % 1000\n    return t\n"
    _, _, report = profiled(source, 20, memory=False)
    seconds = {name: row["seconds"] for name, row in report["opcodes"].items()}
    assert max(seconds, key=seconds.get) == "POW"
    assert seconds["POW"] > sum(seconds.values()) / 2


def test_traceback_lines_are_the_same_in_profile_mode():
    source = ("def f(x):\n    y = x + 1\n    return y // (x - 3)\n"
              "def main(n):\n    t = 0\n    for i in range(n):\n        t += f(i)\n    return t\n")
    tracebacks = []
    for machine in (interp.Machine(), ProfilingMachine(Profiler(memory=True))):
        with pytest.raises(ZeroDivisionError) as info:
            run(machine, source, 10)
        tracebacks.append(info.value.tracejit_traceback)
        assert sum(opcode_counts(instruction_counts(machine)).values()) == machine.instructions
    assert tracebacks[0] == tracebacks[1]
    assert [line for _, line, _, _ in tracebacks[0]] == [7, 3]


def test_events_are_timed_by_kind():
    source = "def g(x):\n    return x\ndef main(n):\n    for i in range(n):\n        g(i)\n    return 0\n"
    _, _, report = profiled(source, 100, memory=False)
    assert report["event_seconds"]["call"] > 0 and report["event_seconds"]["return"] > 0
    assert report["event_seconds"]["hot_loop"] == report["event_seconds"]["observer"] == 0


def test_observer_runs_with_tracemalloc_paused():
    # the JIT records and compiles in the observer: Numba's allocations are not traced
    machine = ProfilingMachine(Profiler(memory=True))
    seen = []

    def observer(unit, R):
        seen.append(tracemalloc.is_tracing())
        return unit

    with machine.profiler.session():
        machine.observer = observer
        machine.observer(None, None)
        assert tracemalloc.is_tracing()
    assert seen == [False] and not tracemalloc.is_tracing()
