"""Optimizer tests in the IR's text form: "this trace in, this trace out".

``replay(text, opts)`` parses a trace and emits its instructions again, in order,
through the on-emit passes ``opts`` (fold, cse): the trace the recorder would have
written with those passes on (snapshots of guards answered away are dropped, the
others renumbered in order). ``optimize(text, opts, values)`` runs the trace passes
(guards, ranges, dce) and returns the optimized copy's text. Both verify the result;
``same_text`` compares two traces whatever the spacing of the hand-written one.
"""
from __future__ import annotations

from tracejit.ir import SnapEntry, SnapFrame, Snapshot, Trace, format_trace, parse_trace, verify_trace
from tracejit.opt import Optimizer


def parsed(text: str) -> Trace:
    """The trace of a hand-written text (lines may be indented)."""
    return parse_trace("\n".join(line.strip() for line in text.splitlines()))


def normalized(text: str) -> str:
    return format_trace(parsed(text))


def same_text(got: str, expected: str) -> None:
    assert got == normalized(expected), f"got:\n{got}\nexpected:\n{normalized(expected)}"


def replay(text: str, opts: str = "fold,cse") -> str:
    source = parsed(text)
    out = Trace(source.name, source.loop_pc, body_instructions=source.body_instructions)
    out.emitter = Optimizer(opts, verify=True).emitter(out)
    refs, guards = {}, []
    for old, ins in enumerate(source.ins):
        before = len(out.ins)
        new = out.emit(ins.op, tuple(refs[a] for a in ins.args), ins.aux, snap=ins.snap)
        refs[old] = new
        if ins.op == "param":
            out.params.append(new)
        if new is not None and new >= before and out.ins[new].snap is not None:
            guards.append((new, out.ins[new].snap))
    out.emitter = None

    def entries(items):
        return [SnapEntry(e.reg, e.source, refs[e.ref]) for e in items]

    for new, old_snap in guards:
        snap = source.snapshots[old_snap]
        out.ins[new].snap = len(out.snapshots)
        out.snapshots.append(Snapshot(snap.pc, entries(snap.entries), snap.ninstructions,
                                      [SnapFrame(f.code, f.call_pc, f.ret_dst, entries(f.entries))
                                       for f in snap.frames]))
    out.loop_carried = {reg: refs[ref] for reg, ref in source.loop_carried.items()}
    out.main_end = len(out.ins)
    verify_trace(out)
    return format_trace(out)


def optimize(text: str, opts: str, values=None) -> str:
    """``values``: live-in register -> its value when recorded (what passes may speculate on)."""
    trace = parsed(text)
    verify_trace(trace)
    optimized, _stages = Optimizer(opts, verify=True).optimize(trace, samples=[values] if values else [])
    return format_trace(optimized)
