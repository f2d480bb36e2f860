"""Instructions per opcode read from the exit counters (``interp.opcode_counts``),
checked against counts worked out by hand from the disassembly."""
import pytest

import interp
from interp.code import Function
from interp.opcode_counts import by_name, instruction_counts, opcode_counts

# tracejit dis of main:
#   0 LOADK r1, 0   1 LOADK r3, 0   2 MOVE r4, r0   3 LOADK r5, 1   4 FORPREP -> 8
#   5 LOOP   6 IADD r1, r1, r2   7 FORLOOP -> 5   8 RETURN r1
# and of the module: MAKEFUNC, STOREGLOBAL, RETURN
SUM_LOOP = "def main(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n"


def run(source, *args):
    machine = interp.Machine()
    globals_ = {}
    machine.call_function(Function(interp.compile_source(source, "prog.py"), (), globals_), [])
    if args:
        machine.call_function(globals_["main"], list(args))
    return machine


def expected_sum_loop(n):
    return {"MAKEFUNC": 1, "STOREGLOBAL": 1, "RETURN": 2, "LOADK": 3, "MOVE": 1, "FORPREP": 1,
            "LOOP": n, "IADD": n, "FORLOOP": n}


@pytest.mark.parametrize("n", [0, 1, 10])
def test_counts_by_hand(n):
    machine = run(SUM_LOOP, n)
    counts = by_name(opcode_counts(instruction_counts(machine)))
    assert counts == {name: c for name, c in expected_sum_loop(n).items() if c}
    assert sum(counts.values()) == machine.instructions


def test_counts_per_instruction():
    machine = run(SUM_LOOP, 4)
    main = next(dc for dc in machine.decoded_by_code.values() if dc.code.name == "main")
    per_pc = [instruction_counts(machine).get((main, pc), 0) for pc in range(len(main.code.instrs))]
    assert per_pc == [1, 1, 1, 1, 1, 4, 4, 4, 1]


def test_unit_that_raised_counts_up_to_the_raising_instruction():
    source = "def main(n):\n    a = n + 1\n    b = a // 0\n    return b\n"
    machine = interp.Machine()
    globals_ = {}
    machine.call_function(Function(interp.compile_source(source, "prog.py"), (), globals_), [])
    with pytest.raises(ZeroDivisionError):
        machine.call_function(globals_["main"], [1])
    counts = by_name(opcode_counts(instruction_counts(machine)))
    assert counts == {"MAKEFUNC": 1, "STOREGLOBAL": 1, "RETURN": 1, "ADD": 1, "FLOORDIV": 1}
    assert sum(counts.values()) == machine.instructions


def test_calls_count_callee_instructions():
    source = ("def g(x):\n    return x + 1\n"
              "def main(n):\n    s = 0\n    for i in range(n):\n        s = g(s)\n    return s\n")
    machine = run(source, 5)
    counts = by_name(opcode_counts(instruction_counts(machine)))
    assert counts["CALL"] == 5 and counts["ADD"] == 5 and counts["LOADGLOBAL"] == 5
    assert counts["RETURN"] == 1 + 5 + 1        # module, g five times, main
    assert sum(counts.values()) == machine.instructions
