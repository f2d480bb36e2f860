"""dce: dead-code elimination on the optimized copy.

An instruction is live if it has an effect (a guard, a store, a call), is a ``param``
(the compiled function's argument list is the params'), or something live uses its
value: an operand of a live instruction, an entry (root frame or inlined frame) of
the snapshot of a guard still in the copy, a loop-carried value of the root path or
of a side path. Everything else becomes a ``nop`` (refs never move: see
``tracejit.opt``). Operands always precede their users (SSA, side paths after the
root path), so one backward sweep finds every live ref.
"""
from __future__ import annotations

from ..ir import OPS
from .rewrite import remove

EFFECTS = frozenset(("guard", "store", "call"))


def eliminate_dead_code(trace) -> None:
    ins = trace.ins
    live = [False] * len(ins)
    for carried in [trace.loop_carried] + [side.loop_carried for side in trace.sides]:
        for ref in carried.values():
            live[ref] = True
    for ref in range(len(ins) - 1, -1, -1):
        instruction = ins[ref]
        if instruction.op == "nop":
            continue
        if not live[ref] and (instruction.op == "param" or OPS[instruction.op].flags & EFFECTS):
            live[ref] = True
        if not live[ref]:
            remove(trace, ref)
            continue
        for arg in instruction.args:
            live[arg] = True
        if instruction.snap is not None:
            snap = trace.snapshots[instruction.snap]
            for entry in snap.entries + [e for frame in snap.frames for e in frame.entries]:
                if entry.source == "ref":    # ('carried' entries name loop-carried refs: live)
                    live[entry.ref] = True
