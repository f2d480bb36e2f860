"""``tracejit log show``: the trace log as a LuaJIT ``-jdump``-style text dump.

Events are shown in the order they happened. A compiled trace (and each side trace
grown on it) shows: a header, the bytecode recorded with its source lines (``.`` per
inlined call level), the IR of the chosen pass with ``>`` marking guards and each
guard's snapshot under it (registers by name, ``~`` for values carried from the
previous iteration), the ``LOOP`` marker with the loop-carried registers, and the
generated source. Aborts, blacklisted loops, retired and evicted traces are one line each;
exit counts per trace come last. The IR shown is parsed back with ``parse_trace``
first, so what is shown is what the log holds.
"""
from __future__ import annotations

from rich.text import Text

from ..ir import GLOBAL_BASE, LENGTH_BASE, POSITION_BASE, parse_trace
from ..verbose import format_size, short
from .model import LogModel, TraceRecord, basename

STYLES = {"head": "bold cyan", "src": "green", "guard": "bold red", "snap": "dim", "loop": "bold magenta",
          "abort": "yellow", "side": "bold blue", "exit": "red"}


class ViewError(Exception):
    """A request the log cannot answer (no such trace or pass); one line."""


class _Out:
    def __init__(self):
        self.lines = []

    def __call__(self, text: str, style: str | None = None) -> None:
        self.lines.append(Text(text, style=STYLES.get(style, "")))


def render(model: LogModel, number: int | None = None, pass_name: str | None = None) -> list:
    """The dump as ``rich.text.Text`` lines: every trace, or only trace ``number``; the
    IR of pass ``pass_name`` (default: the last, compiled one; ``all``: every pass)."""
    if number is not None and number not in model.traces:
        raise ViewError(f"no trace {number} in {model.path} "
                        f"(traces: {', '.join(map(str, model.traces)) or 'none'})")
    out = _Out()
    for event in model.events:
        kind = event["event"]
        shown = number is None or event.get("number") == number
        if kind == "compiled" and shown:
            _dump(out, model.trace(event["number"]), event, pass_name)
        elif kind == "side" and shown:
            _dump(out, model.trace(event["number"]), event, pass_name)
        elif kind == "abort" and number is None:
            detail = f": {event['detail']}" if event["detail"] else ""
            out(f"---- TRACE --- abort {short(event['where'])} -- {event['message']}{detail} "
                f"at {short(event['at'])}  [{event['reason']}]", "abort")
        elif kind == "blacklist" and number is None:
            out(f"---- TRACE --- blacklist {short(event['where'])} in {event['func']}() "
                f"after {event['aborts']} aborts", "abort")
        elif kind == "retire" and shown:
            blacklisted = ", loop blacklisted" if event["blacklisted"] else ""
            out(f"---- TRACE {event['number']} retired: {event['entries']} entries ran "
                f"{event['iterations']} iterations{blacklisted}", "abort")
        elif kind == "evict" and shown:
            blacklisted = ", loop blacklisted" if event["blacklisted"] else ""
            out(f"---- TRACE {event['number']} evicted ({format_size(event['bytes'])}): {event['reason']}; "
                f"trace_mem {format_size(event['trace_mem'])} of {format_size(event['max_trace_mem'])}{blacklisted}",
                "abort")
        elif kind == "promote" and shown:
            made = f"failed: {event['error']}" if event["error"] else \
                "from the cache" if event["from_cache"] else f"{event['compile_ms']:.0f} ms to compile"
            out(f"---- TRACE {event['number']} machine code after {event['iterations']} iterations "
                f"in the Python tier: {made}")
        elif kind == "tree_full" and shown:
            out(f"---- TRACE {event['number']} tree full: {event['limit']}; "
                f"exit {event['exit']} and the other exits stay exits", "abort")
    for record in model.traces.values():
        if number in (None, record.number):
            _exits(out, record)
    return out.lines


def _dump(out, record: TraceRecord, event: dict, pass_name):
    n = record.number
    if event["event"] == "compiled":
        out(f"---- TRACE {n} start {short(event['where'])} in {event['func']}() (loop pc {event['loop_pc']})", "head")
    else:
        out(f"---- TRACE {n} side start {short(event['where'])} from exit #{event['exit']} "
            f"(guard {event['guard']:04d}, after {event['prefix']} root instructions); "
            f"tree version {event['sides']}", "side")
    out(f"---- TRACE {n} bytecode ({len(event['bytecode'])} instructions)", "head")
    last = None
    for ins in event["bytecode"]:
        dots = ". " * ins["depth"]
        if (ins["file"], ins["line"]) != last:
            last = (ins["file"], ins["line"])
            out(f"{dots}      ; {basename(ins['file'])}:{ins['line']}: {ins['src']}", "src")
        out(f"{dots}{ins['ins']}")
    for stage in _passes(record, event, pass_name):
        removed = f"{stage['removed_ops']} ops and {stage['removed_guards']} guards removed, " \
            if stage["removed_ops"] or stage["removed_guards"] else ""
        out(f"---- TRACE {n} IR after {stage['name']} ({stage['ops']} ops, {stage['guards']} guards, "
            f"{removed}{stage['ms']:.2f} ms)", "head")
        _ir(out, record, event, stage)
    made = f"loaded from the trace cache in {event['load_ms']:.1f} ms" if event.get("from_cache") \
        else f"{event['compile_ms']:.0f} ms to compile" if event["compile_ms"] \
        else "run in the Python tier first (a `promote` line follows when it gets machine code)"
    out(f"---- TRACE {n} mcode: generated source, {made}", "head")
    for line in event["source"].splitlines():
        out(line)
    out(f"---- TRACE {n} stop -> loop", "head")


def _passes(record, event, pass_name) -> list:
    passes = event["passes"]
    if pass_name is None:
        return passes[-1:]
    if pass_name == "all":
        return passes
    chosen = [p for p in passes if p["name"] == pass_name]
    if not chosen:
        raise ViewError(f"trace {record.number} has no pass {pass_name!r} "
                        f"(passes: {', '.join(p['name'] for p in passes)})")
    return chosen


def _ir(out, record, event, stage):
    try:
        trace = parse_trace(stage["ir"])
    except (ValueError, KeyError, IndexError, SyntaxError) as exc:
        raise ViewError(f"trace {record.number}: the IR of pass {stage['name']!r} does not parse: {exc}") from None
    lines = stage["ir"].splitlines()
    names = {r["reg"]: r["name"] for snap in event["snapshots"] for r in snap["regs"]}
    where = {snap["snap"]: f"{snap['func']}:{snap['line']}" for snap in event["snapshots"]}
    side_starts = {side.start: side for side in trace.sides}
    for ref, text in enumerate(lines[1:1 + len(trace.ins)]):
        side = side_starts.get(ref)
        if side is not None:
            out(f"---- side path where guard {side.guard:04d} fails", "side")
        ins = trace.ins[ref]
        out(text, "guard" if ins.is_guard else None)
        if ins.snap is not None:
            snap = trace.snapshots[ins.snap]
            regs = " ".join(f"{_reg(names, e.reg)}={'~' if e.source == 'carried' else ''}{e.ref:04d}"
                            for e in snap.entries)
            frames = "".join(f" {{in {event['inlined_functions'][f.code]}() returning to r{f.ret_dst}}}"
                             for f in snap.frames)
            out(f"....          SNAP #{ins.snap} {where.get(ins.snap, '')} pc={snap.pc} [{regs}]{frames}", "snap")
    loop = " ".join(f"{_reg(names, reg)}={ref:04d}" for reg, ref in sorted(trace.loop_carried.items()))
    out(f"---- LOOP [{loop}]", "loop")


def _reg(names, reg) -> str:
    """``r3(b)`` for a register; a pseudo-register by what it holds (``tracejit/registers.py``):
    ``pos(r20)``, an iterator's position; ``len(r3(b))``, a list's length; ``r2097152(global
    SEED)``, a global (its name comes with it)."""
    if POSITION_BASE <= reg < GLOBAL_BASE:
        return f"pos({_reg(names, reg - POSITION_BASE)})"
    if reg >= LENGTH_BASE:
        return f"len({_reg(names, reg - LENGTH_BASE)})"
    return f"r{reg}{_name(names, reg)}"


def _name(names, reg) -> str:
    name = names.get(reg)
    return f"({name})" if name else ""


def _exits(out, record: TraceRecord):
    status = ", retired" if record.retire else ""
    out(f"---- TRACE {record.number} exits: {record.entries} entries, {record.iterations} iterations, "
        f"{record.exits_taken} exits taken{status}", "head")
    for item, count in record.exit_totals():
        guard = f"{item['guard']:04d}" if item["guard"] is not None else "----"
        out(f"  exit #{item['exit']:<3} {guard} {item['op']:<14} {basename(item['file'])}:{item['line']} "
            f"in {item['func']}()  taken {count}", "exit")
