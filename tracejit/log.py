"""The trace log: JSON lines, one event per line, and the schema every event follows.

``EVENTS`` is the single source of truth for the format: each event kind with the
fields it carries (name, type, meaning). ``validate_event`` checks an event against it,
``schema_markdown`` renders it into ``docs/trace-log.md`` (``python -m tracejit.log``
rewrites that section; a test keeps the two equal) and ``read_log`` reads a file back,
validating every line.

Invariants of a log file written by ``TraceLog``:
- every line is one JSON object with ``v`` (``SCHEMA_VERSION``), ``event`` (a key of
  ``EVENTS``) and ``t`` (seconds since the log was opened, non-decreasing), and exactly
  the fields ``EVENTS`` lists for its kind (``null`` only where the type ends in ``?``);
- the first line is a ``vm_start`` event; a ``source`` event for a file precedes every
  event that names a line of it (the VM writes it when it loads the module);
- a line is written whole and flushed as soon as its event happens.

Types: ``int``, ``number`` (int or float), ``str``, ``bool``, ``dict`` (any object),
``dict[int]`` (an object whose values are ints), ``list[str]``, ``list[NAME]`` (a list
of objects of the item schema ``ITEMS[NAME]``); a trailing ``?`` also allows null.
"""
from __future__ import annotations

import json
import sys
import time
from typing import NamedTuple

SCHEMA_VERSION = 1


class Field(NamedTuple):
    name: str
    type: str
    doc: str


class EventSchema(NamedTuple):
    doc: str
    fields: tuple


def _fields(*rows) -> tuple:
    return tuple(Field(*row) for row in rows)


COMMON = _fields(
    ("v", "int", "schema version (`SCHEMA_VERSION`)"),
    ("event", "str", "the event kind"),
    ("t", "number", "seconds since the VM opened the log"),
)

_LOOP = (
    ("where", "str", "the loop header as `file:line`"),
    ("func", "str", "the function holding the loop"),
    ("file", "str", "its file"),
    ("line", "int", "the line of the loop header"),
)
_INNER = ("inner", "list[int]", "trace numbers of the inner loops' trees this trace (tree) runs as "
          "loops inside its own code (`call_loop`): the whole loop nest is one compiled function")
_TRACE_BODY = (
    ("name", "str", "the trace's name (`function@file:line`)"),
    ("loop_pc", "int", "pc of the loop header"),
    ("bytecode", "list[bytecode]", "the instructions recorded, in order (inlined calls included)"),
    ("passes", "list[pass]", "the IR after each stage, in order; the last is what was compiled"),
    ("snapshots", "list[snapshot]", "every snapshot of the trace (tree), by number"),
    ("inlined_functions", "list[str]", "functions of inlined frames; a snapshot frame's index is into this list"),
    ("source", "str", "the generated Python source compiled by Numba"),
    ("compile_ms", "number", "Numba compilation time (0 when an identical trace was compiled before "
                             "or the machine code came from the persistent cache)"),
    ("from_cache", "bool", "the machine code was loaded from the persistent trace cache (`docs/cache.md`)"),
    ("load_ms", "number", "time to find and load it there (0 when not from the cache)"),
)

# the events whose ``compile_ms`` is Numba's time for a tree: made with machine code
# (a root, a side trace's regrown tree) or promoted from the Python tier
COMPILE_EVENTS = ("compiled", "side", "promote")

EVENTS = {
    "vm_start": EventSchema("The log was opened (always the first line).", _fields(
        ("version", "str", "tracejit version"),
        ("jit", "bool", "whether the JIT is on"),
        ("hot_loop", "int?", "iterations before a loop is recorded (null without JIT)"),
        ("hot_func", "int?", "calls before a function is recorded from its entry (null without JIT)"),
        ("hot_exit", "int?", "exits through a guard before a side trace is recorded (null without JIT)"),
        ("hot_compile", "int?", "iterations a new tree runs in the Python tier before Numba compiles it "
                                "(0: at once; null without JIT)"),
        ("max_trace_mem", "int?", "bytes the compiled trees may hold, estimated (null without JIT)"),
        ("opts", "str", "the optimizer passes enabled, in order (`none`: all off; empty without JIT)"),
        ("pid", "int", "process id"),
    )),
    "source": EventSchema("A program file was loaded: its text, so that views need not read the file.", _fields(
        ("file", "str", "the file name as the VM knows it"),
        ("text", "str", "the whole source text"),
    )),
    "start": EventSchema("Recording of a trace starts: at a hot loop header (`root`) or from a hot "
                         "exit of a compiled trace (`side`).", _fields(
        ("kind", "str", "`root`, `side` or `func` (a function trace, from the function's entry)"),
        *_LOOP,
        ("pc", "int", "pc of the loop header (its LOOP instruction)"),
        ("parent", "int?", "side: the number of the trace the side trace grows on"),
        ("exit", "int?", "side: the exit (snapshot number) it starts from"),
    )),
    "abort": EventSchema("A recording was abandoned (the loop stays interpreted, or the side trace is not added).",
                         _fields(
        ("kind", "str", "`root`, `side` or `func` (a function trace, from the function's entry)"),
        *_LOOP,
        ("reason", "str", "a `tracejit.abort.TraceAbort` member name"),
        ("message", "str", "that reason's message"),
        ("detail", "str", "what exactly was not supported (may be empty)"),
        ("at", "str", "the instruction being recorded, as `file:line`"),
        ("at_file", "str", "its file"),
        ("at_line", "int", "its line"),
        ("pc", "int", "its pc (in the function being recorded, which may be an inlined one)"),
    )),
    "blacklist": EventSchema("A loop aborted too often: it is never recorded again.", _fields(
        *_LOOP,
        ("aborts", "int", "aborted recordings of the loop"),
    )),
    "compiled": EventSchema("A root trace was compiled and installed on its loop (or function).", _fields(
        ("number", "int", "the trace number (1, 2, ... in compilation order)"),
        ("kind", "str", "`loop` or `func` (a function trace: `where` and `line` are the function's `def`)"),
        *_LOOP,
        ("ops", "int", "IR instructions compiled (after the optimizer passes)"),
        ("guards", "int", "IR guards compiled (same)"),
        ("inlined", "int", "deepest inlined call depth"),
        _INNER,
        *_TRACE_BODY,
    )),
    "side": EventSchema("A side trace was added to a trace tree and the whole tree recompiled "
                        "(a tree is only ever recompiled for this: there is no separate recompile event). "
                        "`passes`, `snapshots` and `source` describe the whole tree; `bytecode` the side path.",
                        _fields(
        ("number", "int", "the tree's trace number"),
        *_LOOP,
        ("exit", "int", "the exit (snapshot number) the side path starts from"),
        ("guard", "int", "the IR ref of that exit's guard"),
        ("prefix", "int", "instructions of the root path run before the guard (the side path follows them)"),
        ("start", "int", "first IR ref of the side path"),
        ("end", "int", "IR ref after its last instruction"),
        ("sides", "int", "side traces in the tree now (the tree's version)"),
        ("ops", "int", "IR instructions of the tree compiled (after the optimizer passes)"),
        ("guards", "int", "IR guards of the tree compiled (same)"),
        _INNER,
        *_TRACE_BODY,
    )),
    "promote": EventSchema("A trace tree that ran `hot_compile` iterations in the Python tier (its generated "
                           "source run by CPython, `tracejit/backend/python_tier.py`) got its machine code. Trees "
                           "start there when recorded or grown; `compile_ms` of their "
                           "`compiled` and `side` events is then 0.", _fields(
        ("number", "int", "the tree's trace number"),
        *_LOOP,
        ("iterations", "int", "iterations the tree ran in the Python tier"),
        ("compile_ms", "number", "Numba compilation time (0 when the machine code came from the persistent cache "
                                 "or an identical trace's)"),
        ("from_cache", "bool", "the machine code was loaded from the persistent trace cache"),
        ("error", "str", "why compiling failed (the tree then stays in the Python tier), else empty"),
    )),
    "tree_full": EventSchema("A trace tree reached `MAX_SIDE_TRACES` side traces or `MAX_TREE_OPS` IR "
                             "instructions: it stops growing and its other exits stay exits (logged once "
                             "per tree).", _fields(
        ("number", "int", "the tree's trace number"),
        *_LOOP,
        ("sides", "int", "side traces in the tree"),
        ("limit", "str", "the limit reached"),
        ("exit", "int", "the hot exit that found the tree full"),
    )),
    "cache": EventSchema("The persistent trace cache (`docs/cache.md`) skipped an entry or a trace; the "
                         "trace is compiled by Numba (or just not stored) instead.", _fields(
        ("action", "str", "`rejected`: a corrupt, truncated, foreign or unloadable entry was ignored; "
                          "`not_cacheable`: the machine code needs more than libc/libm, or no C compiler; "
                          "`store_failed`: writing the entry failed"),
        ("key", "str", "the first 16 hex digits of the cache key"),
        ("detail", "str", "why"),
    )),
    "retire": EventSchema("A trace is no longer entered: it left after a few iterations on most entries.", _fields(
        ("number", "int", "the trace number"),
        *_LOOP,
        ("entries", "int", "times it was entered"),
        ("iterations", "int", "iterations those entries ran"),
        ("blacklisted", "bool", "whether that left the loop without traces (blacklisted)"),
    )),
    "evict": EventSchema("A trace tree was dropped to keep the estimated memory of the compiled trees under "
                         "`max_trace_mem`: it is no longer entered; its loop, left without trees, is recorded "
                         "again when it gets hot (after `hot_loop << evictions` iterations) or, evicted "
                         "`MAX_EVICTIONS` times, blacklisted. Its final exit counts precede it (`exits`, `evict`).",
                         _fields(
        ("number", "int", "the tree's trace number"),
        *_LOOP,
        ("bytes", "int", "the tree's estimated memory (every version it kept; `tracejit/trace_memory.py`)"),
        ("reason", "str", "why this tree: the coldest one no installed tree calls, and the room needed"),
        ("trace_mem", "int", "estimated memory of the installed trees after the eviction"),
        ("max_trace_mem", "int", "the bound"),
        ("evictions", "int", "trees of this loop evicted so far (counting only trees the loop entered)"),
        ("blacklisted", "bool", "whether this eviction blacklisted the loop (`MAX_EVICTIONS`)"),
    )),
    "exits": EventSchema("Exit counts per guard: at `close`, on `request` (`vm.write_log_exits()`), for "
                         "the old version of a tree just before a side trace replaces it (`recompile`), and "
                         "for a tree about to be evicted (`evict`). Counts "
                         "are cumulative per (trace, version): the last record of a version holds its totals.",
                         _fields(
        ("reason", "str", "`close`, `request`, `recompile` or `evict`"),
        ("traces", "list[trace_exits]", "one entry per compiled trace (version)"),
    )),
    "lines": EventSchema("Bytecode instructions the interpreter executed, per source line (at close; "
                         "compiled iterations are not included: see the trace events).", _fields(
        ("files", "list[file_lines]", "one entry per file that ran"),
    )),
    "vm_stats": EventSchema("`vm.stats()` at close (the last line of a closed log).", _fields(
        ("stats", "dict", "the statistics, as `vm.stats()` returns them"),
    )),
}

ITEMS = {
    "bytecode": _fields(
        ("depth", "int", "inlined call depth (0: the loop's own function)"),
        ("func", "str", "function"),
        ("file", "str", "file"),
        ("line", "int", "source line"),
        ("pc", "int", "pc in the function"),
        ("ins", "str", "the instruction, as `tracejit dis` prints it"),
        ("src", "str", "the source line's text, stripped"),
    ),
    "pass": _fields(
        ("name", "str", "`record` (the recorder's output), then each optimizer pass"),
        ("ops", "int", "IR instructions after the stage"),
        ("guards", "int", "IR guards after the stage"),
        ("ms", "number", "time the stage took (record: from the first recorded instruction to the back edge; "
                         "fold, cse: their share of it, as they run while each op is emitted)"),
        ("ir", "str", "the IR text after the stage (`tracejit.ir.format_trace`; `parse_trace` reads it back); "
                      "fold and cse show the recorded IR: their work is done when `record` ends"),
        ("removed_ops", "int", "instructions the stage removed (fold, cse: requests answered without a new "
                               "instruction while recording; `ops` of `record` already excludes them)"),
        ("removed_guards", "int", "guards the stage removed (same)"),
    ),
    "snapshot": _fields(
        ("snap", "int", "snapshot number (`#n` in the IR text; also the exit number)"),
        ("guard", "int", "IR ref of its guard"),
        ("pc", "int", "the guarded instruction (re-executed by the interpreter after the exit)"),
        ("func", "str", "function of that instruction (the innermost frame)"),
        ("line", "int", "its source line"),
        ("n", "int", "instructions of the iteration run before it"),
        ("regs", "list[snapreg]", "the loop function's registers the exit restores"),
        ("frames", "list[snapframe]", "frames of inlined calls rebuilt by the exit, outermost first"),
    ),
    "snapreg": _fields(
        ("reg", "int", "register number"),
        ("name", "str", "the variable's name ('' for a temporary)"),
        ("ref", "int", "IR ref of its value"),
        ("carried", "bool", "the value is that of the previous iteration (`~` in the IR text)"),
    ),
    "snapframe": _fields(
        ("func", "str", "the inlined function"),
        ("call_pc", "int", "pc of the CALL in its caller"),
        ("ret_reg", "int", "caller register receiving the return value"),
        ("regs", "list[snapreg]", "its registers"),
    ),
    "trace_exits": _fields(
        ("number", "int", "trace number"),
        ("version", "int", "side traces the compiled tree had (0: the root trace alone)"),
        ("where", "str", "the loop header as `file:line`"),
        ("entries", "int", "times this version was entered"),
        ("iterations", "int", "complete loop iterations it ran"),
        ("instructions", "int", "bytecode instructions of those iterations (each path counts its own length)"),
        ("retired", "bool", "whether it was retired"),
        ("exits", "list[exit]", "exits taken at least once"),
        ("converted", "list[converted]", "the instruction of each branch the recorder converted to a "
                                         "select (in no path's bytecode) and how often it ran"),
    ),
    "converted": _fields(
        ("pc", "int", "the instruction's pc in the loop's code"),
        ("file", "str", "its source file"),
        ("line", "int", "its source line"),
        ("count", "int", "times it ran (its branch's condition held)"),
    ),
    "exit": _fields(
        ("exit", "int", "snapshot number; the number after the last snapshot: an entry guard failed "
                        "before the first iteration (docs/optimizer.md, ranges); or -1: the iteration "
                        "budget ran out at the loop header"),
        ("guard", "int?", "IR ref of the guard (null for the entry exit and -1)"),
        ("op", "str", "the guard's IR op (`entry` for the entry exit, `budget` for -1)"),
        ("pc", "int", "pc the interpreter resumed at"),
        ("func", "str", "its function"),
        ("file", "str", "its file"),
        ("line", "int", "its source line"),
        ("count", "int", "times taken"),
    ),
    "file_lines": _fields(
        ("file", "str", "file name"),
        ("counts", "dict[int]", "line number (as a string) -> instructions executed by the interpreter"),
    ),
}


class LogError(Exception):
    """A file that is not a valid trace log (the message is one line)."""


# ----- validation ----------------------------------------------------------------------------
def _type_ok(value, type_: str) -> bool:
    if type_.endswith("?"):
        return value is None or _type_ok(value, type_[:-1])
    if type_ == "int":
        return type(value) is int
    if type_ == "number":
        return type(value) in (int, float)
    if type_ == "str":
        return type(value) is str
    if type_ == "bool":
        return type(value) is bool
    if type_ == "dict":
        return type(value) is dict
    if type_ == "dict[int]":
        return type(value) is dict and all(type(v) is int for v in value.values())
    if type_ == "list[str]":
        return type(value) is list and all(type(v) is str for v in value)
    if type_ == "list[int]":
        return type(value) is list and all(type(v) is int for v in value)
    raise AssertionError(f"unknown schema type {type_}")


def _check_object(obj, fields, where: str) -> None:
    if type(obj) is not dict:
        raise LogError(f"{where}: not a JSON object")
    names = [f.name for f in fields]
    missing = [n for n in names if n not in obj]
    if missing:
        raise LogError(f"{where}: missing field {', '.join(missing)}")
    unknown = [n for n in obj if n not in names]
    if unknown:
        raise LogError(f"{where}: unknown field {', '.join(unknown)}")
    for f in fields:
        value = obj[f.name]
        if f.type.startswith("list[") and f.type[5:-1] in ITEMS:
            if type(value) is not list:
                raise LogError(f"{where}: {f.name} is not a list")
            for i, item in enumerate(value):
                _check_object(item, ITEMS[f.type[5:-1]], f"{where}.{f.name}[{i}]")
        elif not _type_ok(value, f.type):
            raise LogError(f"{where}: {f.name} is not {f.type}: {json.dumps(value)[:60]}")


def validate_event(event) -> None:
    """Raise ``LogError`` unless ``event`` (a decoded JSON line) follows the schema."""
    if type(event) is not dict or "v" not in event or "event" not in event:
        raise LogError("not a trace log event (no \"v\" and \"event\" fields)")
    kind = event["event"]
    if event["v"] != SCHEMA_VERSION:
        raise LogError(f"schema version {event.get('v')!r}, this tracejit reads version {SCHEMA_VERSION}")
    if kind not in EVENTS:
        raise LogError(f"unknown event {kind!r}")
    _check_object(event, COMMON + EVENTS[kind].fields, kind)


def read_log(path: str) -> list:
    """Every event of the log at ``path``, validated; ``LogError`` (one line, naming the
    file and line) if it cannot be read or is not a trace log."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as exc:
        raise LogError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LogError(f"{path}: not a trace log (not UTF-8 text)") from None
    events = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LogError(f"{path}:{number}: not a trace log line (invalid JSON: {exc.msg})") from None
        try:
            validate_event(event)
        except LogError as exc:
            raise LogError(f"{path}:{number}: {exc}") from None
        events.append(event)
    if not events or events[0]["event"] != "vm_start":
        raise LogError(f"{path}: not a trace log (it does not start with a vm_start event)")
    return events


# ----- writing -------------------------------------------------------------------------------
def _jsonable(value):
    """JSON for values ``json`` does not know (numpy scalars, tuples in stats...)."""
    item = getattr(value, "item", None)
    if item is not None:
        return item()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)


class TraceLog:
    """Writes events to a JSON-lines file. It is a JIT listener (``jit.listeners``): it
    calls an event's ``details`` callable, so heavy fields are built only when logging."""

    def __init__(self, path: str):
        self.path = path
        self.file = open(path, "w", encoding="utf-8")
        self.start = time.perf_counter()

    def __call__(self, kind: str, fields: dict) -> None:
        details = fields.get("details")
        if details is not None:
            fields = {name: value for name, value in fields.items() if name != "details"}
            fields.update(details())
        self.write(kind, fields)

    def write(self, kind: str, fields: dict) -> None:
        if self.file is None:
            return
        event = {"v": SCHEMA_VERSION, "event": kind, "t": round(time.perf_counter() - self.start, 6)}
        event.update(fields)
        self.file.write(json.dumps(event, default=_jsonable, allow_nan=False) + "\n")
        self.file.flush()

    @property
    def closed(self) -> bool:
        return self.file is None

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


# ----- documentation ---------------------------------------------------------------------------
def _table(fields) -> list:
    rows = ["| field | type | meaning |", "|---|---|---|"]
    rows += [f"| `{f.name}` | `{f.type}` | {f.doc} |" for f in fields]
    return rows


def schema_markdown() -> str:
    """The schema section of docs/trace-log.md, generated from ``EVENTS`` and ``ITEMS``."""
    lines = [f"Schema version {SCHEMA_VERSION}. Every event has these fields:", ""]
    lines += _table(COMMON)
    for kind, schema in EVENTS.items():
        lines += ["", f"### `{kind}`", "", schema.doc, ""]
        lines += _table(schema.fields)
    lines += ["", "### Item objects", "", "Lists typed `list[NAME]` hold objects of these shapes."]
    for name, fields in ITEMS.items():
        lines += ["", f"#### `{name}`", ""]
        lines += _table(fields)
    return "\n".join(lines) + "\n"


DOC_BEGIN = "<!-- schema: generated by python -m tracejit.log -->\n"
DOC_END = "<!-- end of schema -->"


def update_doc(path: str) -> None:
    """Replace the text between ``DOC_BEGIN`` and ``DOC_END`` in ``path`` by ``schema_markdown()``."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head, begin, rest = text.partition(DOC_BEGIN)
    _, end, tail = rest.partition(DOC_END)
    if not begin or not end:
        raise SystemExit(f"{path}: no schema markers ({DOC_BEGIN.strip()} ... {DOC_END})")
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + begin + schema_markdown() + end + tail)


if __name__ == "__main__":
    update_doc(sys.argv[1] if len(sys.argv) > 1 else "docs/trace-log.md")
