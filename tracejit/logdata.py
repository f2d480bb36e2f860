"""The fields of trace-log events, built from the JIT's own objects.

The JIT passes these builders to ``emit_event`` as ``details`` callables, so they run
only when a listener (the trace log) asks: nothing here runs while logging is off.
Every function returns plain JSON data shaped as ``tracejit.log.EVENTS`` /
``tracejit.log.ITEMS`` say.
"""
from __future__ import annotations

from interp.disasm import format_instruction

from .ir import format_trace
from .recorder import SideRecorder
from .registers import global_name, is_global


def loop_details(decoded, loop) -> dict:
    """``func``, ``file``, ``line`` of loop ``loop`` of ``decoded`` (None: of its ``def``)."""
    code = decoded.code
    return {"func": code.name, "file": code.filename,
            "line": code.line_of(code.loops[loop]) if loop is not None else code.firstline}


def _side_fields(recorder) -> dict:
    side = isinstance(recorder, SideRecorder)
    return {"kind": recorder.kind,
            "parent": recorder.installed.number if side else None,
            "exit": recorder.exit_number if side else None}


def start_details(recorder) -> dict:
    return {**loop_details(recorder.root.decoded, recorder.loop), **_side_fields(recorder),
            "pc": recorder.loop_pc}


def abort_details(recorder) -> dict:
    code = recorder.top.code
    return {**loop_details(recorder.root.decoded, recorder.loop), "kind": _side_fields(recorder)["kind"],
            "at_file": code.filename, "at_line": code.line_of(recorder.last_pc), "pc": recorder.last_pc}


def _register_name(code, reg) -> str:
    if is_global(reg):
        return f"global {global_name(reg)}"
    return code.regnames[reg] if reg < len(code.regnames) else ""


def bytecode_entries(recorded) -> list:
    """``recorded``: the recorder's ``(code, pc, depth)`` per recorded instruction."""
    entries = []
    for code, pc, depth in recorded:
        line = code.line_of(pc)
        entries.append({"depth": depth, "func": code.name, "file": code.filename, "line": line, "pc": pc,
                        "ins": format_instruction(code, pc).rstrip(), "src": code.source.line(line).strip()})
    return entries


def pass_entry(name: str, trace, seconds: float) -> dict:
    """One stage of the ``passes`` list: the trace's IR as it is now."""
    return {"name": name, "ops": trace.op_count(), "guards": len(trace.guards()),
            "ms": seconds * 1000, "ir": format_trace(trace), "removed_ops": 0, "removed_guards": 0}


def stage_entry(stage) -> dict:
    """The ``passes`` item of an optimizer stage (``tracejit.opt.passes.Stage``)."""
    return {"name": stage.name, "ops": stage.ops_after, "guards": stage.guards_after,
            "ms": stage.seconds * 1000, "ir": stage.ir,
            "removed_ops": stage.ops_before - stage.ops_after,
            "removed_guards": stage.guards_before - stage.guards_after}


def _snap_regs(code, entries) -> list:
    return [{"reg": e.reg, "name": _register_name(code, e.reg), "ref": e.ref, "carried": e.source == "carried"}
            for e in entries]


def snapshot_entries(trace, root_code, inlined_codes) -> list:
    """The snapshot maps of ``trace``; ``inlined_codes`` are the decoded codes snapshot
    frames index."""
    guard_of = {ins.snap: ref for ref, ins in enumerate(trace.ins) if ins.snap is not None}
    result = []
    for number, snap in enumerate(trace.snapshots):
        codes = [inlined_codes[f.code].code for f in snap.frames]
        innermost = codes[-1] if codes else root_code
        result.append({
            "snap": number, "guard": guard_of[number], "pc": snap.pc, "func": innermost.name,
            "line": innermost.line_of(snap.pc), "n": snap.ninstructions,
            "regs": _snap_regs(root_code, snap.entries),
            "frames": [{"func": code.name, "call_pc": f.call_pc, "ret_reg": f.ret_dst,
                        "regs": _snap_regs(code, f.entries)} for code, f in zip(codes, snap.frames)],
        })
    return result


def trace_details(recorder, compiled, stages=()) -> dict:
    """The heavy fields of a ``compiled`` event (and of a ``side`` event, with
    ``side_details``); ``stages``: what the optimizer passes did (``Optimizer.optimize``)."""
    trace = compiled.trace
    root_code = recorder.root.decoded.code
    return {
        **loop_details(recorder.root.decoded, recorder.loop),
        "name": trace.name, "loop_pc": trace.loop_pc,
        "bytecode": bytecode_entries(recorder.bytecode or ()),
        "passes": [pass_entry("record", trace, recorder.record_seconds)] + [stage_entry(s) for s in stages],
        "snapshots": snapshot_entries(trace, root_code, recorder.inlined_codes),
        "inlined_functions": [decoded.code.name for decoded in recorder.inlined_codes],
        "source": compiled.source,
    }


def side_details(recorder, compiled, stages=()) -> dict:
    tree = compiled.trace
    side = tree.sides[-1]
    return {**trace_details(recorder, compiled, stages), "guard": recorder.guard_ref,
            "prefix": tree.snapshots[recorder.exit_number].ninstructions,
            "start": side.start, "end": side.end, "ops": compiled.optimized.op_count(),
            "guards": len(compiled.optimized.guards())}


def trace_exits(installed, retired: bool) -> dict:
    """The exit counts of one compiled trace version (a ``trace_exits`` item)."""
    exits = []
    last = len(installed.exits) - 1       # the budget exit, numbered -1
    for number, exit_ in enumerate(installed.exits):
        if not exit_.count:
            continue
        code = exit_.frames[-1][0].code if exit_.frames else installed.decoded.code
        guard = installed.guard_of_snapshot.get(number) if number < last else None
        exits.append({"exit": number if number < last else -1, "guard": guard,
                      "op": installed.trace.ins[guard].op if guard is not None else
                      "budget" if number == last else "entry",
                      "pc": exit_.pc, "func": code.name, "file": code.filename, "line": code.line_of(exit_.pc),
                      "count": exit_.count})
    code = installed.decoded.code
    paths = installed.opcode_paths
    converted = [{"pc": pc, "file": code.filename, "line": code.line_of(pc), "count": runs}
                 for pc, runs in zip(paths.branch_pcs, paths.branch_runs)]
    return {"number": installed.number, "version": len(installed.sided_guards),
            "where": f"{code.filename}:{code.line_of(installed.trace.loop_pc)}",
            "entries": installed.entries, "iterations": installed.iterations,
            "instructions": installed.instructions, "retired": retired,
            "exits": exits, "converted": converted}


def exits_details(jit, reason: str, traces=None) -> dict:
    """An ``exits`` event for ``traces`` (default: every compiled trace of ``jit``). A
    trace is retired if its loop no longer enters it, except at ``recompile``, where
    the tree being replaced is reported."""
    if traces is None:
        traces = jit.installed
    entries = []
    for installed in traces:
        live = jit.loops[(installed.decoded, installed.trace_loop)].traces
        entries.append(trace_exits(installed, retired=reason != "recompile" and installed not in live))
    return {"reason": reason, "traces": entries}


def interpreted_lines(machine) -> dict:
    """A ``lines`` event: instructions the interpreter ran per source line. Every unit
    of generated interpreter code runs a straight run of pcs, so an exit counter of
    weight w taken c times ran each of the unit's first w instructions c times."""
    files = {}
    for count, weight, (decoded, start) in zip(machine.exit_counts, machine.exit_weights, machine.exit_units):
        if not count:
            continue
        code = decoded.code
        counts = files.setdefault(code.filename, {})
        for pc in range(start, start + weight):
            line = code.line_of(pc)
            counts[line] = counts.get(line, 0) + count
    return {"files": [{"file": name, "counts": {str(line): n for line, n in sorted(counts.items())}}
                      for name, counts in files.items()]}
