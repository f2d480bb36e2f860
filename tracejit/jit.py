"""The JIT: hot-loop policy, recording, compiled-trace entry and exits (deoptimization).

It is the interpreter ``Machine``'s hook. A loop header whose counter reaches zero
calls ``on_hot_loop``: with a compiled trace whose entry types match, the trace runs
and its exit is turned back into interpreter state; otherwise the loop is recorded
(unless it is blacklisted). Aborted recordings back off (the counter restarts at
``hot_loop << aborts``); after ``max_aborts`` the loop is blacklisted. A recording
that met an inner loop without a trace is not backed off: the inner loop is recorded
at its next iteration (``want_trace``) and the outer one again at its next arrival.

Invariants: an exit restores every register the trace wrote to the value CPython
would have at the guarded instruction, and resumes the interpreter at that
instruction; registers the trace never wrote still hold their entry values.
"""
from __future__ import annotations

import time
import warnings
from collections import Counter

import numpy as np

from interp.interpreter import NEVER
from interp.opcodes import OPCODES, jump_targets
from interp.lists import List, ListIterator
from interp.values import bound_method

from .abort import TraceAbort, TraceAborted
from .backend import abi
from .backend.numba_backend import INSTRUCTIONS_SLOT, ITERATIONS_SLOT
from .ir import (FLOAT_BUFFER_TYPES, LENGTH_BASE, POSITION_BASE, ROW_OPS, SideTrace, SnapEntry, SnapFrame, Snapshot,
                 verify_trace)
from . import logdata
from .backend.numba_backend import call_sites, compile_trace
from .opt import Optimizer
from .opt.rewrite import removed_exits
from .recorder import (INT64_MAX, INT64_MIN, LIST_TYPES, NO_INNER_TRACE, Recorder, SideRecorder,
                       list_of_lists_type, live_slots, loop_end, row_at_position)
from .registers import is_length, position_of, register_value, set_register
from .trace_memory import DEFAULT_MAX_TRACE_MEM, TraceMemory
from .trace_opcodes import NESTED_GUARDS, TracePaths

DEFAULT_HOT_LOOP = 100
DEFAULT_HOT_FUNC = 10000           # calls of a function before it is recorded from its entry (functrace.py)
DEFAULT_HOT_EXIT = 10              # exits through one guard before a side trace is recorded
DEFAULT_HOT_COMPILE = 1000         # iterations a new tree runs in the Python tier before Numba compiles it
MAX_SIDE_TRACES = 16               # per tree
MAX_TREE_OPS = 400                 # IR instructions of a tree (root + sides): each side recompiles it all
MAX_SIDE_ATTEMPTS = 2              # per guard
RETIRE_AFTER_ENTRIES = 64          # judge a trace's exits after this many entries
MIN_ITERATIONS_PER_ENTRY = 8       # ...and retire it below this average
MAX_ABORTS = 4
MAX_TRACES_PER_LOOP = 4
MAX_UNSTABLE_RETRIES = 2           # type-unstable or loop-leaving recordings retried at once, per loop
MAX_INNER_WAITS = 8                # recordings retried while an inner loop has no trace (per loop; sides: per exit)
MAX_ENTRY_RETRIES = 3              # recordings of a loop again because its trace's entry guards failed

_ENTRY_CHECKS = {
    "i64": lambda v: type(v) is int and INT64_MIN <= v <= INT64_MAX,
    "f64": lambda v: type(v) is float,
    "bool": lambda v: type(v) is bool,
    "nf64": lambda v: type(v) is np.float64,
    "ni64": lambda v: type(v) is np.int64,
    "nbool": lambda v: type(v) is np.bool_,
    **{type_: (lambda strategy: lambda v: type(v) is List and v.strategy == strategy)(strategy)
       for strategy, type_ in LIST_TYPES.items()},
    **{"it:" + type_[4:]: (lambda strategy: lambda v: type(v) is ListIterator and v.lst is not None
                           and v.lst.strategy == strategy)(strategy)
       for strategy, type_ in LIST_TYPES.items()},
    **{"lol:" + type_[4:]: (lambda rows: lambda v: type(v) is List and list_of_lists_type(v) == rows)("lol:" + type_[4:])
       for type_ in LIST_TYPES.values()},
    **{"itl:" + type_[4:]: (lambda rows: lambda v: type(v) is ListIterator and v.lst is not None
                            and list_of_lists_type(v.lst) == rows)("lol:" + type_[4:])
       for type_ in LIST_TYPES.values()},
}
_RESTORE = {"i64": int, "bool": bool, "ni64": np.int64, "nbool": np.bool_,
            "f64": float, "nf64": np.float64}


def _array_check(type_):
    _, dtype, ndim = type_.split(":")
    np_dtype = np.dtype({"i64": np.int64, "f64": np.float64, "bool": np.bool_}[dtype])
    ndim = int(ndim)
    return lambda v: (type(v) is np.ndarray and v.dtype == np_dtype and v.ndim == ndim
                      and v.flags.c_contiguous and v.flags.writeable)


def entry_check(type_):
    if type_.startswith("arr:"):
        return _array_check(type_)
    return _ENTRY_CHECKS[type_]


class LoopTraces:
    """Per-loop JIT state: compiled traces, abort count and blacklist flag."""

    __slots__ = ("traces", "retired", "aborts", "blacklisted", "unstable", "entry_states", "inner_waits")

    def __init__(self):
        self.traces = []
        self.retired = []        # no longer entered from the interpreter; outer loops may call them
        self.unstable = 0        # type-unstable recordings retried at the next iteration
        self.entry_states = []   # live-in registers' values where a trace's entry guards failed
        self.inner_waits = 0     # recordings retried once an inner loop they met has compiled
        self.aborts = 0
        self.blacklisted = False


class TraceExit:
    """What one exit of a compiled trace restores: the root frame's registers, then
    one interpreter frame per call inlined at the guard."""

    __slots__ = ("pc", "restores", "frames", "ninstructions", "count", "hot_from", "side_candidate", "nested")

    def __init__(self, pc, restores, frames, ninstructions, nested=None):
        self.pc = pc
        self.restores = restores          # [(reg, kind, where, carried)]
        self.frames = frames              # [(decoded, call_pc, ret_dst, restores)]
        self.ninstructions = ninstructions
        self.count = 0                    # times taken (the opcode counts need them all)
        # ``count`` when the exit last started heating up: a side recording that waited
        # for an inner loop to compile tries again ``hot_exit`` exits later
        self.hot_from = 0
        self.side_candidate = True        # until side_trace_possible says no
        # (int slot of the inner loop's exit number, inner InstalledTrace) when the exit
        # is an inner loop's: that loop's exit is restored after this one
        self.nested = nested


class InstalledTrace:
    """A compiled trace bound to its loop: entry checks, exit table, buffers."""

    def __init__(self, number, recorder, compiled):
        trace = compiled.trace
        self.number = number
        self.compiled = compiled
        self.trace = trace
        self.decoded = recorder.root.decoded
        self.trace_loop = recorder.loop
        self.inlined_codes = list(recorder.inlined_codes)
        self.max_inline_depth = recorder.max_inline_depth
        self.entry = compiled.code.entry
        self.label = compiled.label
        # iterations left to run in the Python tier before promotion (None: machine code)
        self.python_left = None if compiled.code.machine else recorder.jit.hot_compile
        self.python_iterations = 0
        self.nested = list(recorder.nested_installed)   # parallel to trace.nested
        self.xi = np.zeros(len(compiled.int_slots) + 2, dtype=np.int64)
        self.xf = np.zeros(max(len(compiled.float_slots), 1), dtype=np.float64)
        # XI, XF, then the buffers of each inner loop call, as the compiled code takes them
        self.buffers = [self.xi, self.xf] + [buffer for ref in call_sites(trace)
                                             for buffer in self.nested[trace.ins[ref].aux[0]].buffers]
        self.buffer_arguments = abi.buffer_pointers(self.buffers)
        self.args_plan = [(reg, type_, entry_check(type_), abi.marshal(type_)) for reg, type_ in compiled.param_layout]
        # root registers holding lists the trace appends to: no other list or iterator
        # argument may share them (its length would go stale)
        self.appended = [reg - LENGTH_BASE for reg in trace.carried_registers() if is_length(reg)]
        self.obj_params = [(reg, value) for reg, value in recorder.param_values.items()
                           if trace.type_of(recorder.param_regs[reg]) == "obj"]
        self.globals_read = list(recorder.globals_read.values())
        self.globals_read_map = dict(recorder.globals_read)
        self.param_regs = dict(recorder.param_regs)
        self.param_values = dict(recorder.param_values)
        self.derived_rows = dict(recorder.derived_rows)   # var -> (iterator register, ref)
        self.guard_of_snapshot = {ins.snap: ref for ref, ins in enumerate(trace.ins) if ins.snap is not None}
        self.sided_guards = {side.guard for side in trace.sides}
        self.side_attempts = Counter()
        self.tree_full = False           # MAX_SIDE_TRACES or MAX_TREE_OPS reached (logged once)
        self.inner_waits = Counter()     # side recordings that met a not-yet-compiled inner loop
        self.object_regs = tuple(trace.ins[ref].aux[1] for ref in trace.params
                                 if trace.ins[ref].type not in _RESTORE)
        # an exit whose guard the optimizer removed never fires: it restores nothing
        never = removed_exits(trace, compiled.optimized)
        self.exits = [TraceExit(snap.pc, [], [], snap.ninstructions) if number in never
                      else self._exit(snap, number) for number, snap in enumerate(trace.snapshots)]
        # the entry exit (after the snapshots' exits): an optimizer's entry guard failed
        # before the first iteration, which the interpreter runs from after the header
        self.entry_exit = len(trace.snapshots) if compiled.optimized.entry_guards else None
        if self.entry_exit is not None:
            self.exits.append(TraceExit(trace.loop_pc + 1, [], [], 0))
        # exit -1: the iteration budget ran out at the loop header (every written
        # register holds its end-of-iteration value)
        self.exits.append(self._exit(Snapshot(trace.loop_pc, trace.carried_entries(), 0)))
        self.opcode_paths = TracePaths.of(recorder, trace, compiled)
        # per inner loop call: (inner trace, {its count slot: my accumulator slot}, and per
        # guard_loop_exit on it: (the inner exit accepted, my slot counting passes))
        self.nested_sites = []
        for call in call_sites(trace):
            inner = self.nested[trace.ins[call].aux[0]]
            acc = {slot: compiled.int_slots[("acc", call, i)]
                   for i, slot in enumerate(inner.compiled.count_slots)}
            guards = [(number, compiled.int_slots[("accexit", ref, i)])
                      for ref, ins in enumerate(trace.ins) if ins.op == "guard_loop_exit" and ins.args[0] == call
                      for i, number in enumerate(ins.aux[0])]
            self.nested_sites.append((inner, acc, guards))
        self.iterations = 0
        self.instructions = 0      # bytecode instructions of those complete iterations
        self.skipped_headers = 0   # loop headers a recording ran this trace in place of
        self.entries = 0
        self.last_entry = 0        # JIT.trace_entries when last run (trace_memory: which tree is cold)

    def _exit(self, snap, number=None):
        # iterator positions after the iterators (a virtual one is made new at the exit)
        entries = sorted(snap.entries, key=lambda e: position_of(e.reg) is not None)
        restores = [self._restore_plan(entry) for entry in entries]
        frames = [(self.inlined_codes[f.code], f.call_pc, f.ret_dst,
                   [self._restore_plan(entry) for entry in f.entries]) for f in snap.frames]
        nested = None
        guard = self.guard_of_snapshot.get(number)
        if guard is not None and self.trace.ins[guard].op in NESTED_GUARDS:
            call = self.trace.ins[guard].args[0]
            nested = (self.compiled.int_slots[("loopexit", call)], self.nested[self.trace.ins[call].aux[0]])
        return TraceExit(snap.pc, restores, frames, snap.ninstructions, nested)

    def _restore_plan(self, entry):
        """(reg, kind, where, carried) telling ``restore`` where the register's value is."""
        ins = self.trace.ins
        ref = entry.ref
        op, type_ = ins[ref].op, ins[ref].type
        # a carried register is restored unless its written-flag slot says no path
        # has written it yet (live-in registers are always valid: no flag)
        carried = entry.source == "carried"
        flag = self.compiled.int_slots.get(("flag", entry.reg)) if carried else None
        if op == "const" and not (carried and type_ in _RESTORE):
            if carried and flag is None:
                # a live-in register the loop sets to a constant: the constant once an
                # iteration has completed, its value at entry before
                return entry.reg, "carried_const", (ins[ref].aux[1], entry.reg), flag
            return entry.reg, "const", ins[ref].aux[1], flag
        if type_ in _RESTORE:   # (a carried scalar: its loop variable, whatever set it)
            buffer = "float" if type_ in FLOAT_BUFFER_TYPES else "int"
            slots = self.compiled.float_slots if buffer == "float" else self.compiled.int_slots
            if carried:
                key = ("var", entry.reg)
            elif op == "param":
                key = ("var", ins[ref].aux[1])
                if key not in slots:
                    key = ("param", ref)
            else:
                key = ref
            return entry.reg, buffer, (slots[key], _RESTORE[type_], type_), flag
        if op == "param":
            return entry.reg, "entry", ins[ref].aux[1], flag
        if op == "arr_shape":
            return entry.reg, "shape", ins[ins[ref].args[0]].aux[1], flag
        if op == "tuple":   # built from its items' values at the exit
            items = [self._restore_plan(SnapEntry(-1, "ref", item))[1:3] for item in ins[ref].args]
            return entry.reg, "tuple", items, flag
        if op in ("iter_new", "method"):   # a new iterator (its position is restored after it), a bound method
            of = self._restore_plan(SnapEntry(-1, "ref", ins[ref].args[0]))[1:3]
            return entry.reg, "iterator" if op == "iter_new" else "method", (of, ins[ref].aux[0]), flag
        if op in ROW_OPS:   # a row: the item of its list of lists (never changed by the trace)
            of = self._restore_plan(SnapEntry(-1, "ref", ins[ref].args[0]))[1:3]
            index = ins[ins[ref].args[1]]
            index = ("const", index.aux[1]) if index.op == "const" else \
                ("int", (self.compiled.int_slots[("row", ref)], int, "i64"))   # stored with the row
            return entry.reg, "row", (of, index), flag
        raise AssertionError(f"cannot restore {op} of type {type_}")

    def arguments(self, frame, builtins):
        """The argument list for entering in interpreter ``frame``, or None on a type mismatch."""
        R = frame.regs
        for globals_, name, value in self.globals_read:
            current = globals_[name] if name in globals_ else builtins.get(name)
            if current is not value:
                return None
        for reg, value in self.obj_params:
            if R[reg] is not value:
                return None
        args = []
        for reg, _type, check, to_c in self.args_plan:
            value = register_value(frame, reg)
            if not check(value):
                return None
            if to_c is None:
                args.append(value)
            else:
                args += to_c(value)
        if self.appended and self.shares_appended_list(R):
            return None
        for var, (it, _ref) in self.derived_rows.items():
            if not row_at_position(R[it], R[var]):
                return None
        args += self.buffer_arguments
        args.append(0)   # the iteration budget
        return args

    def shares_appended_list(self, R) -> bool:
        lists = [R[reg] if type_.startswith("lst:") else R[reg].lst
                 for reg, type_, _check, _to_c in self.args_plan if type_.startswith(("lst:", "it:"))]
        return any(sum(1 for lst in lists if lst is R[reg]) > 1 for reg in self.appended)

    def restore(self, exit_number, machine, entry_values):
        """Rebuild the interpreter state of exit ``exit_number``: the root frame's
        registers, then a frame per inlined call, then (for an inner loop's exit) the
        inner loop's exit state. Returns (exit, pc to resume at in the top frame,
        iterations, instructions run)."""
        exit_ = self.exits[exit_number]
        xi = self.xi.tolist()
        xf = self.xf.tolist()
        iterations = xi[ITERATIONS_SLOT]
        if self.opcode_paths.counted:
            self.opcode_paths.count_sides(xi)
        if self.nested_sites:
            self.distribute(xi)
        _fill(machine.frame, exit_.restores, xi, xf, entry_values)
        for decoded, call_pc, ret_dst, restores in exit_.frames:
            caller = machine.frame
            frame = decoded.new_frame()
            _fill(frame, restores, xi, xf, entry_values)
            frame.parent = caller
            frame.ret_dst = ret_dst
            frame.resume = caller.decoded.blocks.at(call_pc + 1)
            decoded.calls += 1
            machine.frame = frame
            machine.depth += 1
        exit_.count += 1
        self.iterations += iterations
        self.instructions += xi[INSTRUCTIONS_SLOT]
        # every completed iteration passed the loop header (LOOP) too, except the last
        # one before the budget exit (-1): the interpreter resumes there and runs it
        headers = iterations - (exit_number == -1)
        pc, instructions = exit_.pc, xi[INSTRUCTIONS_SLOT] + exit_.ninstructions + headers
        if exit_.nested is not None:
            slot, inner = exit_.nested
            R = machine.frame.regs
            values = {reg: R[reg] for reg in inner.object_regs} if inner.object_regs else None
            _, pc, _, more = inner.restore(xi[slot], machine, values)
            instructions += more + 1    # and the inner loop's header, where the guard stands
        return exit_, pc, iterations, instructions

    def alike_exits(self, number) -> tuple:
        """Exit ``number`` and the exits an outer trace can accept in its place: same
        instruction to resume at, in this frame, restoring the same registers, each from a
        buffer slot of the same type or by the same plan (a loop whose tree has paths
        through an if/else leaves through one back-edge guard per path)."""
        first = self.exits[number]

        def simple(exit_):
            return not exit_.frames and exit_.nested is None and \
                all(kind not in ("tuple", "iterator", "method") for _reg, kind, _where, _flag in exit_.restores)

        def same(a, b):
            if a[1] in ("int", "float") or b[1] in ("int", "float"):
                return a[1] == b[1] and a[2][2] == b[2][2]
            return a[1:3] == b[1:3]

        if not simple(first):
            return (number,)
        plan = {p[0]: p for p in first.restores}
        alike = [number]
        for other, exit_ in enumerate(self.exits[:-1]):   # not the budget exit
            if other == number or exit_.pc != first.pc or not simple(exit_):
                continue
            theirs = {p[0]: p for p in exit_.restores}
            if theirs.keys() == plan.keys() and all(same(plan[r], theirs[r]) for r in plan):
                alike.append(other)
        return tuple(alike)

    def distribute(self, counts):
        """Credit the inner loops this trace ran (their calls that passed a guard_loop_exit)
        with their iterations, paths and exits; ``counts``: this trace's int buffer."""
        for inner, acc, guards in self.nested_sites:
            inner.absorb({slot: counts[mine] for slot, mine in acc.items()},
                         [(number, counts[mine]) for number, mine in guards])

    def absorb(self, counts, exits):
        """Add counts summed over calls from an outer trace (``counts``: this trace's
        count slot -> sum; ``exits``: (exit number, times taken))."""
        self.iterations += counts[ITERATIONS_SLOT]
        self.instructions += counts[INSTRUCTIONS_SLOT]
        self.opcode_paths.count_sides(counts)
        for number, times in exits:
            self.exits[number].count += times
        self.distribute(counts)


def add_snapshots(trace, recorder):
    """Turn the recorder's pending snapshots into the trace's (their 'carried'
    entries are added for the whole tree by ``Trace.complete_snapshots``)."""
    for guard_ref, pc, slots, inlined, ninstructions in recorder.pending_snaps:
        entries = [SnapEntry(reg, "ref", ref) for reg, ref in slots.items()]
        frames = [SnapFrame(code, call_pc, ret_dst,
                            [SnapEntry(reg, "ref", ref) for reg, ref in frame_slots.items()])
                  for code, call_pc, ret_dst, frame_slots in inlined]
        trace.ins[guard_ref].snap = len(trace.snapshots)
        trace.snapshots.append(Snapshot(pc, entries, ninstructions, frames))


def leaves_loop(code, pc, loop_pc) -> bool:
    """Whether the branch guarded at ``pc`` is one of the loop's exits: one of its ways
    runs straight out of the loop's body (past the back edge, or to a ``return``): the
    back edge not taken, a ``break``, a ``return``. The trace recorded the way that
    stays in the loop, so its exit takes the other, and a side trace from there could
    never come back to the header."""
    instrs = code.instrs
    end = loop_end(code, loop_pc)
    ways = jump_targets(instrs[pc])
    if OPCODES[instrs[pc][0]].name != "JUMP":
        ways.append(pc + 1)
    return any(_runs_out(instrs, way, loop_pc, end) for way in ways)


def _runs_out(instrs, pc, loop_pc, end) -> bool:
    """Whether control at ``pc`` leaves the body ``loop_pc .. end`` before it reaches
    a branch or a loop header (unconditional jumps are followed)."""
    for _ in instrs:      # each instruction at most once: a cycle of jumps stays inside
        if not loop_pc <= pc <= end:
            return True
        info = OPCODES[instrs[pc][0]]
        if info.name == "JUMP":
            pc = instrs[pc][1]
        elif info.effect == "return":
            return True
        elif info.effect in ("branch", "loop"):
            return False
        else:
            pc += 1
    return False


def compiled_size(trace) -> int:
    """The IR instructions a tree compiles: its own and, at each inner loop call, the
    inner tree's (Numba links the inner bodies into the outer function, and compile time
    grows with them: an outer tree with 13 calls of a three-deep nest, 1400 in all,
    took 77 s to recompile)."""
    return len(trace.ins) + sum(compiled_size(trace.nested[ins.aux[0]].trace) for ins in trace.ins
                                if ins.op == "call_loop")


def loop_location(decoded, loop) -> str:
    """``file:line`` of loop ``loop``'s header (None: of the function's ``def``)."""
    code = decoded.code
    return f"{code.filename}:{code.line_of(code.loops[loop]) if loop is not None else code.firstline}"


def set_hot_counter(decoded, loop, value) -> None:
    """Restart the hot counter of loop ``loop`` of ``decoded`` (None: its entry counter)."""
    if loop is None:
        decoded.func_counter = value
    else:
        decoded.loop_counters[loop] = value


def _fill(frame, restores, xi, xf, entry_values):
    for reg, kind, where, flag in restores:
        if flag is None or xi[flag]:
            set_register(frame, reg, _value(kind, where, xi, xf, entry_values))


def _value(kind, where, xi, xf, entry_values):
    """The Python value a restore plan's (kind, where) describes."""
    if kind == "int":
        return where[1](xi[where[0]])
    if kind == "float":
        return where[1](xf[where[0]])
    if kind == "const":
        return where
    if kind == "entry":
        return entry_values[where]
    if kind == "shape":
        return entry_values[where].shape
    if kind == "carried_const":
        return where[0] if xi[ITERATIONS_SLOT] else entry_values[where[1]]
    if kind == "iterator":
        return ListIterator(_value(*where[0], xi, xf, entry_values))
    if kind == "method":
        return bound_method(_value(*where[0], xi, xf, entry_values), where[1])
    if kind == "row":
        rows = _value(*where[0], xi, xf, entry_values)
        return (rows.lst if type(rows) is ListIterator else rows).storage[_value(*where[1], xi, xf, entry_values)]
    return tuple(_value(k, w, xi, xf, entry_values) for k, w in where)   # "tuple"


class JIT:
    """The tracing JIT attached to one interpreter machine."""

    def __init__(self, hot_loop: int = DEFAULT_HOT_LOOP, hot_exit: int = DEFAULT_HOT_EXIT, opts: str | None = None,
                 cache=None, max_trace_mem: int = DEFAULT_MAX_TRACE_MEM, hot_func: int = DEFAULT_HOT_FUNC,
                 hot_compile: int = DEFAULT_HOT_COMPILE):
        from .functrace import FunctionTraces
        for name, value in (("hot_loop", hot_loop), ("hot_exit", hot_exit), ("hot_func", hot_func)):
            if type(value) is not int or value < 1:
                raise ValueError(f"{name} must be a positive int")
        if type(hot_compile) is not int or hot_compile < 0:
            raise ValueError("hot_compile must be an int >= 0")
        # a new tree runs its source in the Python tier (backend/python_tier.py) for this
        # many iterations before Numba compiles it; 0: machine code at once
        self.hot_compile = hot_compile
        self.promotions = 0
        self.optimizer = Optimizer(opts)      # tracejit.opt: the pass chain (opts: parse_opts)
        self.hot_loop = hot_loop
        self.hot_exit = hot_exit
        self.hot_func = hot_func
        self.side_traces = 0
        self.hot_loop_start = hot_loop
        self.hot_func_start = hot_func
        self.loops = {}            # (decoded, loop) -> LoopTraces; loop None: the function's entry
        self.functions = FunctionTraces(self)
        self.recorder = None
        # (id(globals dict), name) of the globals some recording saw assigned: traces hold
        # them in pseudo-registers (tracejit/registers.py), never as constants
        self.assigned_globals = set()
        self.traces_compiled = 0
        self.trace_aborts = 0
        self.abort_reasons = Counter()
        self.side_exits = 0
        self.compile_seconds = 0.0
        self.traced_instructions = 0
        self.trace_entries = 0
        self.installed = []            # live trees (current versions), in compilation order
        self.trees_installed = 0       # root trees ever installed: the last trace number
        self.memory = TraceMemory(max_trace_mem)   # their estimated memory, eviction (trace_memory)
        self.retired_traces = 0
        self.listeners = []        # callables(kind, fields): -jv, the trace log
        self.trace_lookups = 0     # hot-loop events: a compiled trace was looked for
        self.recordings_started = 0
        self.traces_from_cache = 0     # root traces whose machine code the persistent cache held
        self.cache = cache             # the persistent cache (tracejit.cache.TraceCache) or None
        if cache is not None:
            cache.report = self.cache_event

    # ----- hook protocol ---------------------------------------------------------------------
    def on_hot_loop(self, machine, decoded, loop):
        self.trace_lookups += 1
        state = self.loops.get((decoded, loop))
        if state is None:
            state = self.loops[(decoded, loop)] = LoopTraces()
        if self.recorder is not None:
            # a recording observes every instruction: a trace entered here would run
            # instructions it never sees (its rec_LOOP calls inner traces itself)
            decoded.loop_counters[loop] = NEVER if state.blacklisted else 1
            return None
        if state.traces:
            resume = self.enter(machine, decoded, loop, state)
            if resume is not None:
                decoded.loop_counters[loop] = 1   # enter again at the next arrival
                return resume
        if state.blacklisted or len(state.traces) >= MAX_TRACES_PER_LOOP \
                or (state.traces and state.unstable >= MAX_UNSTABLE_RETRIES):
            if state.traces:     # keep trying to enter: the types may settle next iteration
                decoded.loop_counters[loop] = 1
            else:
                decoded.loop_counters[loop] = NEVER if state.blacklisted else self.hot_loop
            return None
        self.start_recording(machine, decoded, loop)
        return decoded.steps.at(decoded.code.loops[loop] + 1)

    def on_hot_func(self, machine, decoded):
        return self.functions.on_hot_func(machine, decoded)

    def on_exception(self, machine, exc):
        if self.recorder is not None:
            self.recorder.aborted(TraceAbort.EXCEPTION, f"{type(exc).__name__}: {exc}")
        machine.observer = None

    # ----- recording -------------------------------------------------------------------------
    def start_recording(self, machine, decoded, loop):
        self.recordings_started += 1
        recorder = self.recorder = Recorder(self, machine, decoded, loop, machine.frame)
        recorder.derive_row(machine.frame.regs)
        machine.observer = self.recorder
        if self.listeners:
            self.emit_event("start", where=loop_location(decoded, loop),
                            details=lambda: logdata.start_details(recorder))

    def want_trace(self, decoded, loop):
        """A recording met the header of inner loop ``loop`` (not blacklisted) before it
        had a compiled trace: record the inner loop at its next iteration instead of
        waiting for its counter (a loop that runs a few iterations, or not in every
        outer iteration, gets hot long after its outer loop)."""
        decoded.loop_counters[loop] = 1

    def emit_event(self, kind, /, **fields):
        """Tell every listener (``-jv``, the trace log) about a JIT decision ``kind`` (its
        fields may hold a ``kind`` of their own). A ``details`` field is a callable
        returning more fields (``tracejit.logdata``): a listener that wants them calls it,
        so they are built only then. Call only when ``listeners``."""
        for listener in list(self.listeners):
            try:
                listener(kind, fields)
            except Exception as exc:   # a broken listener (a full disk...) never stops the program
                self.listeners.remove(listener)
                warnings.warn(f"tracejit: a JIT event listener failed and was detached: {exc!r}",
                              RuntimeWarning, stacklevel=2)

    def recording_aborted(self, recorder, reason, detail):
        self.recorder = None
        recorder.machine.observer = None
        self.trace_aborts += 1
        self.abort_reasons[reason.name] += 1
        decoded = recorder.root.decoded
        state = self.loops[(decoded, recorder.loop)]
        if reason in (TraceAbort.TYPE_UNSTABLE, TraceAbort.LEFT_LOOP) and state.unstable < MAX_UNSTABLE_RETRIES:
            # a loop variable had its first-iteration type (0.0 += numpy.float64), or the
            # recorded iteration was the loop's last: record again from the next arrival
            state.unstable += 1
            set_hot_counter(decoded, recorder.loop, 1)
            return self.aborted_event(recorder, reason, detail, state)
        if reason is TraceAbort.INNER_LOOP and detail == NO_INNER_TRACE and state.inner_waits < MAX_INNER_WAITS:
            # not this loop's failure: the inner loop is recorded at its next iteration
            # (want_trace), so record again from the next arrival
            state.inner_waits += 1
            set_hot_counter(decoded, recorder.loop, 1)
            return self.aborted_event(recorder, reason, detail, state)
        # a tree too big for max_trace_mem would be as big when recorded again
        state.aborts = MAX_ABORTS if reason is TraceAbort.TRACE_MEM else state.aborts + 1
        if state.aborts >= MAX_ABORTS:
            state.blacklisted = True
            set_hot_counter(decoded, recorder.loop, NEVER)
        else:
            set_hot_counter(decoded, recorder.loop, (self.hot_loop if recorder.loop is not None else self.hot_func)
                            << state.aborts)
        self.aborted_event(recorder, reason, detail, state)

    def aborted_event(self, recorder, reason, detail, state):
        if self.listeners:
            decoded = recorder.root.decoded
            top = recorder.top
            where = loop_location(decoded, recorder.loop)
            self.emit_event("abort", where=where, reason=reason.name, message=reason.message,
                            detail=detail, at=f"{top.code.filename}:{top.code.line_of(recorder.last_pc)}",
                            details=lambda: logdata.abort_details(recorder))
            if state.blacklisted:
                self.emit_event("blacklist", where=where, aborts=state.aborts,
                                details=lambda: logdata.loop_details(decoded, recorder.loop))

    def finish_recording(self, recorder, unit):
        """The loop header came round again (or the trace was closed at the back edge,
        ``Recorder.branch``): finish the trace, compile it, enter it at the next arrival."""
        machine = recorder.machine
        machine.observer = None
        self.recorder = None
        trace = recorder.trace
        decoded, loop = recorder.root.decoded, recorder.loop
        resume = machine.unit_at(decoded, recorder.end_pc)
        try:
            self.close_trace(recorder)
            verify_trace(trace)
        except _Unstable as exc:
            self.recording_aborted(recorder, TraceAbort.TYPE_UNSTABLE, str(exc))
            return machine.switch_to(resume)
        try:
            compiled, stages = self.compile(recorder, trace, python_first=True)
        except Exception as exc:  # an optimizer or backend bug must not take the program down
            self.recording_aborted(recorder, TraceAbort.COMPILE_FAILED, f"{type(exc).__name__}: {exc}")
            return machine.switch_to(resume)
        if self.install(recorder, compiled, stages) is not None:
            decoded.loop_counters[loop] = 1
        return machine.switch_to(resume)

    def install(self, recorder, compiled, stages):
        """Count and announce the root trace ``recorder`` finished, compiled as ``compiled``,
        and install it on its loop (or function entry: loop None). None: ``max_trace_mem``
        has no room for it (the recording is aborted)."""
        decoded, loop = recorder.root.decoded, recorder.loop
        self.compile_seconds += compiled.compile_seconds
        if compiled.from_cache:
            self.traces_from_cache += 1
        else:
            self.traces_compiled += 1
        installed = InstalledTrace(self.trees_installed + 1, recorder, compiled)
        refused = self.memory.make_room(self, installed)
        if refused is not None:
            self.memory.refused(compiled)
            self.recording_aborted(recorder, TraceAbort.TRACE_MEM, refused)
            return None
        self.trees_installed += 1
        self.installed.append(installed)
        self.loops[(decoded, loop)].traces.append(installed)
        if self.listeners:
            optimized = compiled.optimized
            self.emit_event("compiled", number=installed.number, kind="loop" if loop is not None else "func",
                            where=loop_location(decoded, loop), ops=optimized.op_count(),
                            guards=len(optimized.guards()), inlined=recorder.max_inline_depth,
                            inner=[inner.number for inner in installed.nested],
                            compile_ms=compiled.compile_seconds * 1000, from_cache=compiled.from_cache,
                            load_ms=compiled.load_seconds * 1000,
                            details=lambda: logdata.trace_details(recorder, compiled, stages))
        return installed

    def compile(self, recorder, trace, python_first=False):
        """Optimize the finished tree ``trace`` (its last recording: ``recorder``) and
        compile it: (CompiledTrace, the optimizer's stages). ``python_first``: the tree
        may start in the Python tier (``hot_compile``, ``promote``); the inner loops it
        calls then get their machine code now (the tree calls them through their entries,
        and its own machine code will hold theirs)."""
        if python_first and self.hot_compile > 0:
            for inner in recorder.nested_installed:
                if inner.python_left is not None:
                    self.promote(inner)
        state = self.loops.get((recorder.root.decoded, recorder.loop))
        samples = [recorder.param_values] + (state.entry_states if state is not None else [])
        optimized, stages = self.optimizer.optimize(trace, recorder.emitter, keep_ir=bool(self.listeners),
                                                    samples=samples)
        return compile_trace(trace, trace.name, optimized, self.cache,
                             python_first=python_first and self.hot_compile > 0), stages

    def cache_event(self, action, key, detail):
        """The persistent cache skipped an entry or a trace (``TraceCache.report``)."""
        if self.listeners:
            self.emit_event("cache", action=action, key=key[:16], detail=detail)

    def close_trace(self, recorder):
        trace = recorder.trace
        trace.body_instructions = recorder.recorded
        root = recorder.root
        for reg, ref in live_slots(root, root.written, recorder.loop_pc).items():
            param = recorder.param_regs.get(reg)
            if _virtual_at_back_edge(trace, root, reg, ref):
                trace.uncarried.add(reg)    # a dead expression temporary: not a loop variable
                continue
            if param is not None and trace.type_of(param) != trace.type_of(ref):
                raise _Unstable(f"r{reg} enters as {trace.type_of(param)} and leaves as {trace.type_of(ref)}")
            _check_keeps_object(trace, reg, param, ref)
            trace.loop_carried[reg] = ref
        trace.main_end = len(trace.ins)
        add_snapshots(trace, recorder)
        trace.complete_snapshots()

    # ----- running compiled traces --------------------------------------------------------
    def enter(self, machine, decoded, loop, state):
        R = machine.frame.regs
        for installed in state.traces:
            args = self.entry_arguments(installed, machine, R)
            if args is None:
                continue
            exit_number, exit_, pc = self.run(installed, machine, args, R)
            if exit_.side_candidate and exit_.count - exit_.hot_from >= self.hot_exit and self.recorder is None:
                try:
                    if not self.side_trace_possible(installed, exit_number):
                        raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "no side trace from this exit")
                    recorder = self.recorder = SideRecorder(self, machine, installed, exit_number, machine.frame)
                    machine.observer = self.recorder
                    if self.listeners:
                        self.emit_event("start", where=loop_location(decoded, loop),
                                        details=lambda: logdata.start_details(recorder))
                except TraceAborted:
                    exit_.side_candidate = False
            if exit_number == installed.entry_exit and exit_.count >= self.hot_exit and \
                    len(state.entry_states) < MAX_ENTRY_RETRIES:
                # what the optimizer assumed of the recorded values does not hold where the
                # loop is entered now: record it again, assuming only what holds here too
                state.entry_states.append({reg: register_value(machine.frame, reg) for reg in installed.param_regs})
                self.retire(state, installed, blacklist=False)
            elif installed.entries >= RETIRE_AFTER_ENTRIES and \
                    installed.iterations < MIN_ITERATIONS_PER_ENTRY * installed.entries:
                self.retire(state, installed)
            return machine.unit_at(machine.frame.decoded, pc)
        return None

    @staticmethod
    def entry_arguments(installed, machine, R):
        """The arguments for running ``installed`` on registers ``R`` now, or None."""
        if machine.depth + installed.max_inline_depth >= machine.recursion_limit:
            return None
        args = installed.arguments(machine.frame, machine.builtins)
        if args is not None:
            args[-1] = machine.trace_budget()
        return args

    def run(self, installed, machine, args, R):
        """Run a compiled trace from the loop header and restore the interpreter state at
        its exit. Returns (exit number, exit, pc to resume at)."""
        # arrays, lists and other objects an exit restores by identity
        entry_values = {reg: R[reg] for reg in installed.object_regs} if installed.object_regs else None
        if installed.python_left is not None and self.recorder is not None:
            # a recording runs an inner loop's trace for the whole loop, however long, and
            # the outer tree will call its machine code: it gets it now
            self.promote(installed)
        if installed.python_left is None:
            exit_number = installed.entry(*args)
        else:
            # the Python tier runs no more iterations than it has left, then leaves at the
            # loop header (exit -1) to switch tiers
            exit_number = installed.entry.capped(args, max(installed.python_left, 1))
        return self.left(installed, machine, exit_number, entry_values)

    def promote(self, installed):
        """``installed`` ran ``hot_compile`` iterations in the Python tier: give it its
        machine code (``MachineCode.promote``). If that fails, it stays in the Python tier."""
        installed.python_left = None
        code = installed.compiled.code
        seconds, error = 0.0, ""
        try:
            seconds = code.promote(self.cache)
        except Exception as exc:  # a backend bug must not take the program down
            error = f"{type(exc).__name__}: {exc}"
        else:
            installed.entry = code.entry
            self.compile_seconds += seconds
            self.promotions += 1
        if self.listeners:
            self.emit_event("promote", number=installed.number, where=loop_location(installed.decoded, installed.trace_loop),
                            iterations=installed.python_iterations, compile_ms=seconds * 1000,
                            from_cache=code.from_cache and not seconds and not error, error=error,
                            details=lambda: logdata.loop_details(installed.decoded, installed.trace_loop))

    def left(self, installed, machine, exit_number, entry_values):
        """``installed`` returned ``exit_number``: restore the interpreter state there and
        count the entry (``run``; ``entry_values``: the registers ``object_regs`` at entry)."""
        installed.last_entry = self.trace_entries
        if exit_number < -1:    # the body reported an error status: generated code never does
            raise AssertionError(f"tracejit: compiled trace {installed.label} failed (result {exit_number})")
        exit_, pc, iterations, instructions = installed.restore(exit_number, machine, entry_values)
        if installed.python_left is not None:
            installed.python_iterations += iterations
            installed.python_left -= iterations
            if installed.python_left <= 0 and self.recorder is None:
                self.promote(installed)
        installed.entries += 1
        self.trace_entries += 1
        self.side_exits += 1
        self.traced_instructions += instructions
        machine.partial_instructions += instructions
        if machine.fuel is not None:
            machine.charge_fuel(iterations, pc)
        return exit_number, exit_, pc

    def count_skipped_header(self, installed, machine):
        """A recording ran ``installed`` for an inner loop instead of its header's unit:
        count that LOOP instruction as run by the trace."""
        installed.skipped_headers += 1
        self.traced_instructions += 1
        machine.partial_instructions += 1

    def side_trace_possible(self, installed, exit_number):
        """Whether exit ``exit_number`` may grow a side trace: a branch guard of the
        root frame (not one of the loop's exits: ``leaves_loop``), or the exit check of
        an inner loop that left through another exit in the same frame; not grown or
        failed too often already, in a tree with room."""
        guard = installed.guard_of_snapshot.get(exit_number)
        if guard is None:
            return False
        ins = installed.trace.ins[guard]
        snapshot = installed.trace.snapshots[exit_number]
        if ins.op == "guard_loop_exit":
            slot, inner = installed.exits[exit_number].nested
            left = inner.exits[installed.xi[slot]] if installed.xi[slot] >= 0 else None
            if left is None or left.frames or left.nested is not None:
                return False
        elif ins.op not in ("guard_true", "guard_false") or \
                leaves_loop(installed.decoded.code, snapshot.pc, installed.trace.loop_pc):
            return False
        if snapshot.frames or guard in installed.sided_guards or \
                installed.side_attempts[exit_number] >= MAX_SIDE_ATTEMPTS:
            return False
        tree = installed.trace
        size = compiled_size(tree)
        no_room = self.memory.can_grow(self, installed)
        if len(tree.sides) >= MAX_SIDE_TRACES or size >= MAX_TREE_OPS or no_room:
            if not installed.tree_full and self.listeners:
                limit = f"{MAX_SIDE_TRACES} side traces" if len(tree.sides) >= MAX_SIDE_TRACES \
                    else f"{size} IR instructions with its inner loops' (MAX_TREE_OPS {MAX_TREE_OPS})" \
                    if size >= MAX_TREE_OPS else no_room
                self.emit_event("tree_full", number=installed.number, sides=len(tree.sides), limit=limit,
                                exit=exit_number, where=loop_location(installed.decoded, installed.trace_loop),
                                details=lambda: logdata.loop_details(installed.decoded, installed.trace_loop))
            installed.tree_full = True
            return False
        return True

    def finish_side_trace(self, recorder):
        """The side path reached the loop header (or its back edge, ``Recorder.branch``):
        add it to the tree and recompile."""
        machine = recorder.machine
        machine.observer = None
        self.recorder = None
        installed = recorder.installed
        tree = installed.trace
        resume = machine.unit_at(installed.decoded, recorder.end_pc)
        root = recorder.root
        carried = live_slots(root, root.written, recorder.loop_pc)
        types = tree.carried_registers()
        tree_values = {entry.reg: entry.ref for entry in tree.carried_entries()}
        for reg, ref in list(carried.items()):
            try:
                if _virtual_at_back_edge(tree, root, reg, ref):
                    del carried[reg]     # a dead expression temporary (see close_trace)
                    continue
            except _Unstable as exc:
                self.side_trace_aborted(recorder, TraceAbort.UNSUPPORTED_TYPE, str(exc))
                return machine.switch_to(resume)
            expected = types.get(reg) or (tree.type_of(recorder.param_regs[reg])
                                          if reg in recorder.param_regs else None)
            if expected is not None and expected != tree.type_of(ref) and \
                    _is_temporary(root.code, reg) and reg not in recorder.param_regs:
                del carried[reg]     # a temporary another path uses for another type: dead here
            elif not _keeps_object(tree, recorder.param_regs.get(reg), ref):
                self.side_trace_aborted(recorder, TraceAbort.TYPE_UNSTABLE, _changes_object(tree, reg, ref))
                return machine.switch_to(resume)
            elif expected is not None and expected not in _RESTORE and reg in tree_values and \
                    _value_of(tree, tree_values[reg]) != _value_of(tree, ref):
                # exits restore a non-scalar register from the tree's one value for it
                self.side_trace_aborted(recorder, TraceAbort.TYPE_UNSTABLE,
                                        f"r{reg} holds another {expected} value on another path")
                return machine.switch_to(resume)
            elif expected is not None and expected != tree.type_of(ref):
                self.side_trace_aborted(recorder, TraceAbort.TYPE_UNSTABLE,
                                        f"r{reg} is {expected} on one path and {tree.type_of(ref)} on another")
                return machine.switch_to(resume)
        tree.sides.append(SideTrace(recorder.guard_ref, recorder.start, len(tree.ins), carried,
                                    recorder.recorded))
        add_snapshots(tree, recorder)
        tree.complete_snapshots()
        try:
            verify_trace(tree)
            compiled, stages = self.compile(recorder, tree, python_first=True)
        except Exception as exc:  # a backend bug must not take the program down
            tree.sides.pop()
            self.side_trace_aborted(recorder, TraceAbort.COMPILE_FAILED, f"{type(exc).__name__}: {exc}")
            return machine.switch_to(resume)
        self.compile_seconds += compiled.compile_seconds
        grown = InstalledTrace(installed.number, recorder, compiled)
        refused = self.memory.make_room(self, grown, replaces=installed)
        if refused is not None:
            tree.sides.pop()
            self.memory.refused(compiled)
            self.side_trace_aborted(recorder, TraceAbort.TRACE_MEM, refused)
            return machine.switch_to(resume)
        self.side_traces += 1
        state = self.loops[(installed.decoded, installed.trace_loop)]
        # (the tree may have been retired while its side trace was being recorded)
        versions = state.traces if installed in state.traces else state.retired
        versions[versions.index(installed)] = grown
        self.installed[self.installed.index(installed)] = grown
        if self.listeners:
            self.emit_event("exits", details=lambda: logdata.exits_details(self, "recompile", [installed]))
            self.emit_event("side", number=installed.number, where=loop_location(installed.decoded, installed.trace_loop),
                            exit=recorder.exit_number, sides=len(tree.sides),
                            inner=[inner.number for inner in grown.nested],
                            compile_ms=compiled.compile_seconds * 1000, from_cache=compiled.from_cache,
                            load_ms=compiled.load_seconds * 1000,
                            details=lambda: logdata.side_details(recorder, compiled, stages))
        installed.decoded.loop_counters[installed.trace_loop] = 1
        return machine.switch_to(resume)

    def side_trace_aborted(self, recorder, reason, detail):
        """Undo a side trace's recording; the guard may try again (MAX_SIDE_ATTEMPTS)."""
        recorder.machine.observer = None
        self.recorder = None
        recorder.rollback()
        installed = recorder.installed
        installed.trace.complete_snapshots()
        number = recorder.exit_number
        if reason is TraceAbort.INNER_LOOP and detail == NO_INNER_TRACE and \
                installed.inner_waits[number] < MAX_INNER_WAITS:
            # the inner loop may compile soon: try again after another hot_exit exits
            installed.inner_waits[number] += 1
            exit_ = installed.exits[number]
            exit_.hot_from = exit_.count     # (its count stays: TracePaths.opcode_counts)
        else:
            installed.side_attempts[number] += 1
        self.trace_aborts += 1
        self.abort_reasons[reason.name] += 1
        if self.listeners:
            self.emit_event("abort", where=loop_location(recorder.installed.decoded, recorder.loop),
                            reason=reason.name, message=reason.message,
                            detail=f"side trace{': ' + detail if detail else ''}",
                            at=f"{recorder.top.code.filename}:{recorder.top.code.line_of(recorder.last_pc)}",
                            details=lambda: logdata.abort_details(recorder))

    def retire(self, state, installed, blacklist=True):
        """Stop entering a trace that leaves after a few iterations on most entries:
        the exit costs more than the compiled iterations save (until side traces
        handle its hot exits). A loop left without traces is blacklisted, unless
        ``blacklist`` is False (it may then be recorded again)."""
        state.traces.remove(installed)
        state.retired.append(installed)
        self.retired_traces += 1
        if not state.traces and blacklist:
            state.blacklisted = True
            set_hot_counter(installed.decoded, installed.trace_loop, NEVER)
        if self.listeners:
            self.emit_event("retire", number=installed.number,
                            where=loop_location(installed.decoded, installed.trace_loop),
                            entries=installed.entries, iterations=installed.iterations,
                            blacklisted=state.blacklisted,
                            details=lambda: logdata.loop_details(installed.decoded, installed.trace_loop))

    def stats(self, machine) -> dict:
        total = machine.instructions
        return {
            "traces_compiled": self.traces_compiled,
            "trace_aborts": self.trace_aborts,
            "abort_reasons": dict(self.abort_reasons),
            "side_exits": self.side_exits,
            "trace_entries": self.trace_entries,
            "compile_seconds": self.compile_seconds,
            "jit_coverage": self.traced_instructions / total if total else 0.0,
            "blacklisted_loops": sum(1 for (_, loop), s in self.loops.items() if s.blacklisted and loop is not None),
            **self.functions.stats(),
            "retired_traces": self.retired_traces,
            "loop_nests": sum(1 for installed in self.installed if installed.nested),
            "side_traces": self.side_traces,
            "compiles": self.traces_compiled + self.side_traces,
            "promotions": self.promotions,
            **self.memory.stats(),
            **self.optimizer.stats(),
            "traces_from_cache": self.traces_from_cache,
            "cache_load_seconds": self.cache.load_seconds if self.cache is not None else 0.0,
            "cache_store_seconds": self.cache.store_seconds if self.cache is not None else 0.0,
            "trace_cache": {"lookups": self.trace_lookups, "hits": self.trace_entries,
                            "misses": self.trace_lookups - self.trace_entries,
                            "recordings": self.recordings_started},
        }


def _value_of(trace, ref):
    """What a non-scalar ref stands for, for comparing two paths' values of a register:
    a constant's identity, else the ref itself."""
    ins = trace.ins[ref]
    return ("const", id(ins.aux[1])) if ins.op == "const" else ("ref", ref)


def _keeps_object(trace, param, ref) -> bool:
    """Whether a register entering as ``param`` (None: not live-in) may leave the iteration
    holding ``ref``: traces take arrays, lists and other objects as arguments fixed for the
    whole run of the trace, so a live-in one must leave holding the same object."""
    return param is None or ref == param or trace.type_of(ref) in _RESTORE


def _changes_object(trace, reg, ref) -> str:
    return f"r{reg} holds another {trace.type_of(ref)} at the back edge (only numbers can change between iterations)"


def _check_keeps_object(trace, reg, param, ref) -> None:
    if not _keeps_object(trace, param, ref):
        raise _Unstable(_changes_object(trace, reg, ref))


VIRTUAL_OPS = ("tuple", "iter_new", "method")   # values with no code, built only at exits


def _virtual_at_back_edge(trace, root, reg, ref) -> bool:
    """Whether register ``reg`` holding ``ref`` at the back edge is a dead temporary
    (a virtual value, or the position of a virtual iterator): never a loop variable."""
    if reg >= POSITION_BASE:
        reg = position_of(reg)
        if reg is None:
            return False
        ref = root.slots.get(reg)
        if ref is None or trace.ins[ref].op != "iter_new":
            return False
    elif trace.ins[ref].op not in VIRTUAL_OPS:
        return False
    if not _is_temporary(root.code, reg):
        raise _Unstable(f"r{reg} holds a {trace.type_of(ref)} built in the loop at the back edge")
    return True


def _is_temporary(code, reg) -> bool:
    """Whether ``reg`` holds expression temporaries (no local variable's name): a tuple
    left in one at the back edge (a call's result before it was unpacked) is dead."""
    return reg < POSITION_BASE and not code.regnames[reg]


class _Unstable(Exception):
    pass
