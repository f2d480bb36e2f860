"""The optimized copy of a trace tree, and the one edit post-recording passes make.

``optimized_copy(trace)`` is a new ``Trace`` sharing everything with ``trace`` except
its instruction list and its snapshot list (both fresh lists), so passes edit the copy
without touching the recorded tree. ``remove(copy, ref)`` replaces instruction ``ref``
by a ``nop`` (``unguard`` by its unguarded variant) and, for a guard, its snapshot by
an empty one: refs, snapshot numbers (exit numbers) and side-trace ranges stay exactly
those of the recorded tree.
"""
from __future__ import annotations

from ..ir import Ins, Snapshot, Trace


def optimized_copy(trace: Trace) -> Trace:
    return Trace(trace.name, trace.loop_pc, ins=list(trace.ins), snapshots=list(trace.snapshots),
                 loop_carried=trace.loop_carried, params=trace.params,
                 body_instructions=trace.body_instructions, sides=trace.sides, main_end=trace.main_end,
                 nested=trace.nested, uncarried=trace.uncarried)


def remove(trace: Trace, ref: int) -> None:
    """Instruction ``ref`` goes: a ``nop`` takes its place, its snapshot is emptied."""
    _drop_snapshot(trace, trace.ins[ref].snap)
    trace.ins[ref] = Ins("nop", (), (), "void")


def unguard(trace: Trace, ref: int, op: str) -> None:
    """Instruction ``ref`` becomes ``op``, its variant without a guard (same operands
    and result); its snapshot is emptied."""
    old = trace.ins[ref]
    _drop_snapshot(trace, old.snap)
    trace.ins[ref] = Ins(op, old.args, old.aux, old.type)


def _drop_snapshot(trace: Trace, snap) -> None:
    if snap is not None:
        old = trace.snapshots[snap]
        trace.snapshots[snap] = Snapshot(old.pc, [], old.ninstructions)


def removed_exits(recorded: Trace, optimized: Trace) -> set:
    """Numbers of the exits whose guards ``optimized`` no longer has: they never fire."""
    kept = {ins.snap for ins in optimized.ins if ins.snap is not None}
    return {ins.snap for ins in recorded.ins if ins.snap is not None} - kept
