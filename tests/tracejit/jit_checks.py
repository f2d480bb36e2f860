"""Assertions about what the JIT did, in the spirit of PyPy's ``check_trace_count``
and ``check_resops``: how many traces were compiled, which IR ops a trace holds,
which guards were left through an exit, and that the recorder never hit a bug.

Every helper takes a ``tracejit.VM`` built with the JIT on; ``index`` picks one of
``vm.jit.installed`` (compiled traces, in compilation order).
"""
from __future__ import annotations

from collections import Counter

from tracejit import ir

# abort reasons that are tracejit bugs, never a property of the guest program
BUG_REASONS = ("INTERNAL_ERROR", "COMPILE_FAILED")


def _describe(vm) -> str:
    stats = vm.stats()
    lines = [f"traces_compiled={stats['traces_compiled']} trace_aborts={stats['trace_aborts']} "
             f"abort_reasons={stats['abort_reasons']} side_exits={stats['side_exits']}"]
    for installed in vm.jit.installed:
        lines.append(ir.format_trace(installed.trace))
    return "\n".join(lines)


def installed(vm, index: int = 0):
    """The ``index``-th compiled trace (an ``InstalledTrace``)."""
    traces = vm.jit.installed
    assert -len(traces) <= index < len(traces), (
        f"no compiled trace #{index}: {len(traces)} compiled\n{_describe(vm)}")
    return traces[index]


def check_traces(vm, count: int | None = None, min_count: int | None = None) -> int:
    """Assert the number of compiled traces (by Numba, or loaded from the persistent
    cache): exactly ``count`` and/or at least ``min_count``. Returns the number."""
    assert count is not None or min_count is not None, "give count or min_count"
    stats = vm.stats()
    compiled = stats["traces_compiled"] + stats["traces_from_cache"]
    assert compiled == len(vm.jit.installed)
    if count is not None:
        assert compiled == count, f"expected {count} compiled traces, got {compiled}\n{_describe(vm)}"
    if min_count is not None:
        assert compiled >= min_count, (
            f"expected at least {min_count} compiled traces, got {compiled}\n{_describe(vm)}")
    return compiled


def trace_ops(vm, index: int = 0) -> Counter:
    """Counter of the IR op names of compiled trace ``index`` (params and consts included)."""
    return Counter(ins.op for ins in installed(vm, index).trace.ins)


def check_ops(vm, index: int = 0, **expected) -> Counter:
    """Assert exact counts of the given op names in trace ``index``
    (``check_ops(vm, int_add=1, guard_true=2)``; a count of 0 asserts absence)."""
    for name in expected:
        assert name in ir.OPS, f"{name} is not an IR op"
    ops = trace_ops(vm, index)
    got = {name: ops.get(name, 0) for name in expected}
    assert got == expected, (f"op counts differ: expected {expected}, got {got}\n"
                             f"{ir.format_trace(installed(vm, index).trace)}")
    return ops


def check_no_internal_errors(vm) -> None:
    """Assert that no recording aborted because of a tracejit bug."""
    reasons = vm.stats()["abort_reasons"]
    bugs = {reason: reasons[reason] for reason in BUG_REASONS if reason in reasons}
    assert not bugs, f"tracejit bug aborts: {bugs}\n{_describe(vm)}"


def trace_indices(vm, function: str | None = None) -> list:
    """Indices of the compiled traces of loops in guest function ``function`` (all: None)."""
    return [i for i, t in enumerate(vm.jit.installed)
            if function is None or t.trace.name.split("@")[0] == function]


def check_trace_for(vm, function: str, min_count: int = 1) -> list:
    """Assert that at least ``min_count`` traces of loops in ``function`` were compiled;
    returns their indices."""
    found = trace_indices(vm, function)
    assert len(found) >= min_count, (
        f"expected at least {min_count} traces of {function}(), got {len(found)}\n{_describe(vm)}")
    return found


def exits_taken(vm, function: str | None = None) -> int:
    """Total exits taken by the compiled traces (of ``function``'s loops), the
    iteration-budget exit included."""
    return sum(exit_.count for i in trace_indices(vm, function) for exit_ in vm.jit.installed[i].exits)


def check_exits(vm, min_count: int = 1, function: str | None = None) -> int:
    """Assert that compiled traces (of ``function``'s loops) were left through exits at
    least ``min_count`` times."""
    taken = exits_taken(vm, function)
    assert taken >= min_count, f"expected at least {min_count} trace exits, got {taken}\n{_describe(vm)}"
    return taken


def guard_exits(vm, function: str | None = None) -> Counter:
    """Counter of guard op name -> exits taken through guards of that op, over the
    compiled traces (of ``function``'s loops); the iteration-budget exit, which has no
    guard, is not counted."""
    counts = Counter()
    for i in trace_indices(vm, function):
        trace = vm.jit.installed[i]
        ops = {ins.snap: ins.op for ins in trace.trace.ins if ins.snap is not None}
        for number, exit_ in enumerate(trace.exits):
            if exit_.count and number in ops:
                counts[ops[number]] += exit_.count
    return counts


def check_guard_exit(vm, *ops: str, function: str | None = None) -> Counter:
    """Assert that a compiled trace (of ``function``'s loops) was left through a guard
    of one of ``ops``."""
    for op in ops:
        assert op in ir.OPS and "guard" in ir.OPS[op].flags, f"{op} is not a guard op"
    counts = guard_exits(vm, function)
    assert any(counts[op] for op in ops), (
        f"expected an exit through {' or '.join(ops)}; exits by guard: {dict(counts)}\n{_describe(vm)}")
    return counts
