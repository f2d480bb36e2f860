"""Trace IR: the text form parses back, the verifier accepts recorded traces and
rejects broken ones, every op in the table has backend code."""
import copy

import pytest

import tracejit
from tracejit import ir
from tracejit.backend.numba_backend import generate_source

PROGRAM = """
import math
def helper(x, k):
    return x * k + 1
def main(n, a):
    s = 0.0
    t = 0
    for i in range(n):
        t += helper(i, 2)
        if i % 3 == 0:
            t -= 1
        s += math.sqrt(a[i]) - a[-1] / 2.0
        a[i] = s
    return s, t
"""


@pytest.fixture(scope="module")
def recorded():
    import numpy as np
    vm = tracejit.VM(hot_loop=2)
    mod = vm.load_source(PROGRAM)
    mod.call("main", 50, np.arange(1.0, 51.0))
    assert vm.jit.installed, vm.stats()
    return [t.trace for t in vm.jit.installed]


def test_side_traces_round_trip_and_verify():
    vm = tracejit.VM(hot_loop=2, hot_exit=2)
    mod = vm.load_source("def f(n):\n    s = 0\n    for i in range(n):\n        if i % 3 == 0:\n"
                         "            s += i\n        elif i % 3 == 1:\n            s -= 1\n"
                         "        else:\n            s *= 2\n            s = s % 1000\n    return s\n")
    assert mod.call("f", 300) == _python_f(300)
    (tree,) = [t.trace for t in vm.jit.installed]
    assert len(tree.sides) >= 1
    text = ir.format_trace(tree)
    assert "SIDE guard=" in text
    assert ir.format_trace(ir.parse_trace(text)) == text
    ir.verify_trace(ir.parse_trace(text))


def _python_f(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            s += i
        elif i % 3 == 1:
            s -= 1
        else:
            s *= 2
            s = s % 1000
    return s


def test_text_round_trip(recorded):
    for trace in recorded:
        text = ir.format_trace(trace)
        again = ir.parse_trace(text)
        assert ir.format_trace(again) == text
        ir.verify_trace(again)


def test_text_marks_guards_and_snapshots(recorded):
    text = ir.format_trace(recorded[0])
    guard_lines = [line for line in text.splitlines() if " > " in line]
    assert guard_lines and all("#" in line for line in guard_lines)
    assert "SNAP #0" in text and text.rstrip().splitlines()[-1].startswith("LOOP")


def test_inlined_call_appears_in_snapshots(recorded):
    frames = [snap.frames for trace in recorded for snap in trace.snapshots if snap.frames]
    assert frames, "the helper call was inlined: some guard lies inside it"
    text = ir.format_trace(next(t for t in recorded if any(s.frames for s in t.snapshots)))
    assert "{f0@" in text


def _mutable_copy(trace):
    """A deep copy of ``trace`` sharing the guest objects its constants hold (a guest
    function reaches the VM and its compiled machine code, which cannot be copied)."""
    shared = {id(ins.aux[1]): ins.aux[1] for ins in trace.ins if ins.op == "const"}
    return copy.deepcopy(trace, shared)


def test_verifier_rejects_use_before_definition(recorded):
    trace = _mutable_copy(recorded[0])
    victim = next(i for i, ins in enumerate(trace.ins) if ins.args)
    trace.ins[victim].args = (victim,) + trace.ins[victim].args[1:]
    with pytest.raises(ir.IRError, match="not defined before use"):
        ir.verify_trace(trace)


def test_verifier_rejects_guard_without_snapshot(recorded):
    trace = _mutable_copy(recorded[0])
    guard = trace.guards()[0]
    trace.ins[guard].snap = None
    with pytest.raises(ir.IRError, match="without a snapshot"):
        ir.verify_trace(trace)


def test_verifier_rejects_snapshot_refs_after_the_guard(recorded):
    trace = _mutable_copy(recorded[0])
    guard = trace.guards()[0]
    snap = trace.snapshots[trace.ins[guard].snap]
    snap.entries.append(ir.SnapEntry(999, "ref", len(trace.ins) - 1))
    with pytest.raises(ir.IRError, match="does not precede"):
        ir.verify_trace(trace)


def test_verifier_rejects_wrong_types(recorded):
    trace = _mutable_copy(recorded[0])
    fadd = next(i for i, ins in enumerate(trace.ins) if ins.op == "float_add")
    trace.ins[fadd].type = "i64"
    with pytest.raises(ir.IRError, match="result type"):
        ir.verify_trace(trace)
    trace = ir.Trace("t", 0)
    a = trace.emit("param", aux=("f64", 0))
    b = trace.emit("param", aux=("f64", 1))
    trace.ins.append(ir.Ins("int_add", (a, b), (), "i64", None))
    with pytest.raises(ir.IRError):
        ir.verify_trace(trace)


def test_unknown_op_and_operand_counts():
    trace = ir.Trace("t", 0)
    trace.ins.append(ir.Ins("frobnicate", (), (), "void"))
    with pytest.raises(ir.IRError, match="unknown op"):
        ir.verify_trace(trace)
    trace = ir.Trace("t", 0)
    a = trace.emit("param", aux=("i64", 0))
    trace.ins.append(ir.Ins("int_neg", (a, a), (), "i64", None))
    with pytest.raises(ir.IRError, match="takes 1 refs"):
        ir.verify_trace(trace)


NESTED_OPS = ("call_loop", "guard_loop_exit", "guard_loop_wrote", "loop_out", "loop_outf")


def test_every_op_has_a_documented_row_and_backend_code():
    from tracejit.backend.numba_backend import _emit, _Names
    for name, op in ir.OPS.items():
        assert op.doc and op.flags <= {"pure", "guard", "load", "store", "call"}
    import collections
    trace = ir.Trace("t", 0)
    names = _Names(trace, collections.defaultdict(lambda: 2))   # any op's int buffer slot: 2
    for name, op in ir.OPS.items():
        if name in ("param", "const") or name in NESTED_OPS:   # see test_nested_loops
            continue
        nrefs = op.operands.count("ref")
        fake = ir.Ins(name, tuple(range(nrefs)), ("sqrt",) if "aux" in op.operands else (), "f64", 0)
        trace.ins[:] = [ir.Ins("param", (), ("arr:f64:1" if i == 0 and name.startswith(("arr_",)) else
                                            "lst:f64" if i == 0 and name.startswith("lst_") else
                                            "lol:f64" if i == 0 and name.startswith("lol_") else
                                            "f64", i),
                               "i64" if name in ("lst_set_inbounds", "lst_set_inrange") else "f64")   # (a value with no nan)
                        for i in range(nrefs)]
        assert isinstance(_emit(names, nrefs, fake), list)


def test_values_stay_in_locals_and_each_exit_writes_its_own(recorded):
    import re
    for trace in recorded:
        source = generate_source(trace, "trace")[0]
        lines = source.splitlines()
        exits = [line for line in lines if re.search(r"ex = \d+; break$", line)]
        # a guard with a side trace runs the side path instead of leaving
        assert len(exits) == len(trace.guards()) - len(trace.sides)
        # an exit writes its values and leaves the loop; the tail writes the counts
        assert all(re.search(r": (X[IF]\[\d+\] = [^;]+; )*ex = \d+; break$", line) for line in exits)
        assert lines[-3:] == ["    XI[0] = it", "    XI[1] = ni", "    return ex"]
        # the loop body itself stores nothing but path counts
        body = lines[lines.index("    while True:"):-3]
        stores = [line for line in body if "break" not in line and re.search(r"X[IF]\[\d+\] =", line)]
        assert stores == [], stores
        # no min()/max(): Numba compiles their overloads as functions of their own (50 ms)
        assert not re.search(r"\b(min|max)\(", source)


def test_int_overflow_conditions_are_exact_at_the_int64_limits():
    """The backend's overflow test for int_add/int_sub (any operands) and int_mul by a
    constant is true exactly when the int64 result would overflow (evaluated here with
    Python ints on values around every bound), and never computes past the limits."""
    from tracejit.backend.numba_backend import INT64_MAX, INT64_MIN, _Names, _overflows
    edges = [INT64_MIN, INT64_MIN + 1, -(1 << 62), -3, -1, 0, 1, 2, 3, 7, 1 << 62, INT64_MAX - 1, INT64_MAX]
    constants = edges + [1000000007, -1000000007]
    for op in ("int_add", "int_sub", "int_mul"):
        for c in constants:
            for const_at in (0, 1):
                trace = ir.Trace("t", 0)
                trace.ins[:] = [ir.Ins("param", (), ("i64", 0), "i64"), ir.Ins("const", (), ("i64", c), "i64")]
                args = (1, 0) if const_at == 0 else (0, 1)
                condition = _overflows(_Names(trace), op, args)
                hi = INT64_MAX // abs(c) if op == "int_mul" and c else INT64_MAX
                probes = {v + d for v in edges + [hi, -hi, INT64_MAX - c, INT64_MIN - c, c - INT64_MAX]
                          for d in (-1, 0, 1)}
                for x in probes:
                    if not INT64_MIN <= x <= INT64_MAX:
                        continue
                    a, b = (c, x) if const_at == 0 else (x, c)
                    exact = {"int_add": a + b, "int_sub": a - b, "int_mul": a * b}[op]
                    overflows = not INT64_MIN <= exact <= INT64_MAX
                    assert eval(condition, {"v0": x}) == overflows, (op, a, b, condition)
        if op == "int_mul":
            continue
        trace = ir.Trace("t", 0)
        trace.ins[:] = [ir.Ins("param", (), ("i64", 0), "i64"), ir.Ins("param", (), ("i64", 1), "i64")]
        condition = _overflows(_Names(trace), op, (0, 1))
        for x in edges:
            for y in edges:
                exact = x + y if op == "int_add" else x - y
                assert eval(condition, {"v0": x, "v1": y}) == (not INT64_MIN <= exact <= INT64_MAX), (op, x, y)
                # every intermediate of the condition fits in int64
                assert INT64_MIN <= (INT64_MAX - max(y, 0) if op == "int_add" else INT64_MAX + min(y, 0)) <= INT64_MAX
                assert INT64_MIN <= (INT64_MIN - min(y, 0) if op == "int_add" else INT64_MIN + max(y, 0)) <= INT64_MAX
