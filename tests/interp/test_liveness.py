"""Register liveness (``interp.liveness``): a register outside ``live_in(code)[pc]`` may
hold anything at ``pc``.

The differential check runs a program twice in the interpreter: as it is, and with an
observer that, before every instruction, overwrites each register dead there with a
poison value (any arithmetic on it raises, comparisons give other answers). The two
results must be equal, for every program of tests/programs and for generated ones.
Unit tests pin what the opcode table's operand kinds mean for reads and writes.
"""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import program_paths
from interp import Function, Machine, compile_source
from interp.lists import from_python, to_python
from interp.liveness import live_in, uses_and_kills
from interp.opcodes import Op
from test_generated_programs import programs


class Poison:
    """A value no program computes with: arithmetic raises, equality is identity."""

    def __repr__(self):
        return "<poison>"


POISON = Poison()


def run(source, fn, args, poison, also=frozenset()):
    """(result or exception type, registers poisoned) of ``fn(*args)`` in a Machine;
    ``also``: registers poisoned as if dead whenever they are live (to see a failure)."""
    machine = Machine()
    globals_ = {"__name__": "prog"}
    machine.call_function(Function(compile_source(source, "<prog>"), (), globals_), ())
    poisoned = 0

    def observer(unit, R):
        nonlocal poisoned
        decoded = machine.frame.decoded
        pc = decoded.steps.start_of.get(unit)
        if pc is not None:
            live = live_in(decoded.code)[pc] - also
            for reg in range(len(R)):
                if reg not in live and R[reg] is not POISON:
                    R[reg] = POISON
                    poisoned += 1
        return unit

    frame = machine.bind_frame(globals_[fn], [from_python(a) for a in args])
    if poison:
        machine.observer = observer
    try:
        result = to_python(machine.run_frame(frame, frame.decoded.steps.at(0)))
    except Exception as exc:
        result = type(exc)
    return result, poisoned


def assert_dead_registers_unread(source, fn, args):
    plain, _ = run(source, fn, args, poison=False)
    poisoned_result, poisoned = run(source, fn, args, poison=True)
    assert repr(poisoned_result) == repr(plain), source
    return poisoned


@pytest.mark.parametrize("path", program_paths(), ids=lambda p: os.path.basename(p)[:-3])
def test_programs_run_the_same_with_dead_registers_poisoned(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    namespace = {}
    exec(compile(source, path, "exec"), namespace)
    assert assert_dead_registers_unread(source, "main", (namespace["TEST_N"],)) > 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 12))
def test_generated_programs_run_the_same_with_dead_registers_poisoned(source, n):
    assert_dead_registers_unread(source, "main", (n,))


def test_poisoning_a_live_register_changes_the_result():
    """The check can fail: poisoning the loop's accumulator where it is live breaks it."""
    source = "def main(n):\n    t = 0\n    for i in range(n):\n        t += i * 2\n    return t\n"
    main = next(c for c in compile_source(source, "<prog>").consts if hasattr(c, "instrs"))
    t = main.regnames.index("t")
    assert run(source, "main", (5,), poison=True) == (20, run(source, "main", (5,), poison=True)[1])
    assert run(source, "main", (5,), poison=True, also={t})[0] is TypeError


def test_reads_and_certain_writes_follow_the_operand_kinds():
    assert uses_and_kills((Op.ADD, 3, 1, -1)) == ({1}, {3})              # rk constant: no read
    assert uses_and_kills((Op.CALL, 5, 6, 7, 2)) == ({6, 7, 8}, {5})
    assert uses_and_kills((Op.BUILDDICT, 0, 2, 2)) == ({2, 3, 4, 5}, {0})
    assert uses_and_kills((Op.UNPACK, 4, 3, 1)) == ({1}, {4, 5, 6})
    # a branch writes its dst on one way only: no kill
    assert uses_and_kills((Op.FORLOOP, 2, 5, 0)) == ({2, 3, 4}, set())
    assert uses_and_kills((Op.FORITER, 2, 5, 0)) == ({2}, set())


def test_a_temporary_is_dead_after_its_statement_and_a_loop_variable_is_live():
    source = "def main(n):\n    t = 0.0\n    for k in range(n):\n        t += 1.0 / (2 * k + 1)\n    return t\n"
    main = next(c for c in compile_source(source, "<prog>").consts if hasattr(c, "instrs"))
    names = {name: reg for reg, name in enumerate(main.regnames) if name}
    header = main.loops[0]
    live = live_in(main)[header]
    assert names["t"] in live and names["k"] in live
    temporaries = {reg for reg in range(main.nregs) if not main.regnames[reg]
                   or reg >= len(main.regnames)}
    written_in_body = {i[1] for i in main.instrs[header:] if len(i) > 1 and i[0] in (Op.MUL, Op.ADD, Op.TRUEDIV)}
    assert written_in_body & temporaries and not (written_in_body & temporaries & live)
