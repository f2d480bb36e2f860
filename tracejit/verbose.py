"""``tracejit run -jv``: one short line per JIT event on stderr, in the spirit of
LuaJIT's ``-jv``:

    [TRACE   1 nbody.py:50 loop, 84 ops, 12 guards, 310 ms]
    [TRACE   2 nbody.py:12 func, 40 ops, 3 guards, 150 ms]
    [TRACE --- nbody.py:49 -- an inner loop cannot run as compiled code inside this trace: it has no compiled trace yet at nbody.py:50]
    [TRACE --- nbody.py:49 blacklisted after 4 aborts]
    [TRACE   2 collatz.py:12 retired: 64 entries ran 70 iterations]
    [TRACE   1 flat8.py:7 evicted (3.3 MiB): coldest: last entered 2 trace entries ago (1 entry, 49 iterations); room for a tree of 3.5 MiB; trace_mem 3.5 MiB of 7.0 MiB]
"""
from __future__ import annotations

import sys


def short(where: str) -> str:
    filename, _, line = where.rpartition(":")
    return f"{filename.rsplit('/', 1)[-1]}:{line}"


def format_size(nbytes: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes} B"


def _inner(fields) -> str:
    """', runs trace 1 inside' for a trace whose code runs inner loops' trees."""
    numbers = sorted(set(fields.get("inner") or ()))
    if not numbers:
        return ""
    return f", runs trace{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))} inside"


def format_event(kind: str, fields: dict) -> str | None:
    if kind == "compiled":
        inlined = f", {fields['inlined']} inlined" if fields["inlined"] else ""
        return (f"[TRACE {fields['number']:3d} {short(fields['where'])} {fields['kind']}, {fields['ops']} ops, "
                f"{fields['guards']} guards{inlined}{_inner(fields)}, {_made(fields)}]")
    if kind == "abort":
        detail = f": {fields['detail']}" if fields["detail"] else ""
        return f"[TRACE --- {short(fields['where'])} -- {fields['message']}{detail} at {short(fields['at'])}]"
    if kind == "blacklist":
        return f"[TRACE --- {short(fields['where'])} blacklisted after {fields['aborts']} aborts]"
    if kind == "side":
        return (f"[TRACE {fields['number']:3d} {short(fields['where'])} side trace from exit "
                f"{fields['exit']} ({fields['sides']} in the tree){_inner(fields)}, {_made(fields)}]")
    if kind == "retire":
        blacklisted = ", loop blacklisted" if fields["blacklisted"] else ""
        return (f"[TRACE {fields['number']:3d} {short(fields['where'])} retired: {fields['entries']} "
                f"entries ran {fields['iterations']} iterations{blacklisted}]")
    if kind == "promote":
        made = f"failed: {fields['error']}" if fields["error"] else \
            "from cache" if fields["from_cache"] else f"{fields['compile_ms']:.0f} ms"
        return (f"[TRACE {fields['number']:3d} {short(fields['where'])} machine code after "
                f"{fields['iterations']} iterations in Python, {made}]")
    if kind == "tree_full":
        return (f"[TRACE {fields['number']:3d} {short(fields['where'])} tree full: {fields['limit']}; "
                f"exit {fields['exit']} and the other exits stay exits]")
    if kind == "evict":
        blacklisted = f", loop blacklisted after {fields['evictions']} evictions" if fields["blacklisted"] else ""
        return (f"[TRACE {fields['number']:3d} {short(fields['where'])} evicted ({format_size(fields['bytes'])}): "
                f"{fields['reason']}; trace_mem {format_size(fields['trace_mem'])} of "
                f"{format_size(fields['max_trace_mem'])}{blacklisted}]")
    if kind == "cache":
        return f"[TRACE --- cache {fields['action']} {fields['key']}: {fields['detail']}]"
    return None


def _made(fields) -> str:
    if fields["from_cache"]:
        return f"from cache, {fields['load_ms']:.1f} ms"
    return f"{fields['compile_ms']:.0f} ms"


def stderr_printer(stream=None):
    def listener(kind, fields):
        line = format_event(kind, fields)
        if line is not None:
            print(line, file=stream or sys.stderr, flush=True)
    return listener
