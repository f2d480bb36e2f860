"""The JIT: hot-loop policy, recording, compiled-trace entry and exits (deoptimization).

It is the interpreter ``Machine``'s hook. A loop header whose counter reaches zero
calls ``on_hot_loop``: with a compiled trace whose entry types match, the trace runs
and its exit is turned back into interpreter state; otherwise the loop is recorded
(unless it is blacklisted). Aborted recordings back off (the counter restarts at
``hot_loop << aborts``); after ``max_aborts`` the loop is blacklisted.

Invariants: an exit restores every register the trace wrote to the value CPython
would have at the guarded instruction, and resumes the interpreter at that
instruction; registers the trace never wrote still hold their entry values.
"""
from __future__ import annotations

import time
from collections import Counter

import numpy as np

from interp.interpreter import NEVER
from interp.lists import FLOAT as LIST_FLOAT, INT as LIST_INT, List

from .abort import TraceAbort
from .ir import FLOAT_BUFFER_TYPES, SnapEntry, SnapFrame, Snapshot, verify_trace
from .recorder import INT64_MAX, INT64_MIN, Recorder

DEFAULT_HOT_LOOP = 1000
RETIRE_AFTER_ENTRIES = 64          # judge a trace's exits after this many entries
MIN_ITERATIONS_PER_ENTRY = 8       # ...and retire it below this average
MAX_ABORTS = 4
MAX_TRACES_PER_LOOP = 4

_ENTRY_CHECKS = {
    "i64": lambda v: type(v) is int and INT64_MIN <= v <= INT64_MAX,
    "f64": lambda v: type(v) is float,
    "bool": lambda v: type(v) is bool,
    "nf64": lambda v: type(v) is np.float64,
    "ni64": lambda v: type(v) is np.int64,
    "nbool": lambda v: type(v) is np.bool_,
    "lst:i64": lambda v: type(v) is List and v.strategy == LIST_INT,
    "lst:f64": lambda v: type(v) is List and v.strategy == LIST_FLOAT,
}
_RESTORE = {"i64": int, "bool": bool, "ni64": np.int64, "nbool": np.bool_,
            "f64": float, "nf64": np.float64}


def _array_check(type_):
    _, dtype, ndim = type_.split(":")
    np_dtype = np.dtype({"i64": np.int64, "f64": np.float64, "bool": np.bool_}[dtype])
    ndim = int(ndim)
    return lambda v: (type(v) is np.ndarray and v.dtype == np_dtype and v.ndim == ndim
                      and v.flags.c_contiguous)


def entry_check(type_):
    if type_.startswith("arr:"):
        return _array_check(type_)
    return _ENTRY_CHECKS[type_]


class LoopTraces:
    """Per-loop JIT state: compiled traces, abort count and blacklist flag."""

    __slots__ = ("traces", "aborts", "blacklisted")

    def __init__(self):
        self.traces = []
        self.aborts = 0
        self.blacklisted = False


class TraceExit:
    """What one exit of a compiled trace restores: the root frame's registers, then
    one interpreter frame per call inlined at the guard."""

    __slots__ = ("pc", "restores", "frames", "ninstructions", "count")

    def __init__(self, pc, restores, frames, ninstructions):
        self.pc = pc
        self.restores = restores          # [(reg, kind, where, carried)]
        self.frames = frames              # [(decoded, call_pc, ret_dst, restores)]
        self.ninstructions = ninstructions
        self.count = 0


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
        self.entry = compiled.entry
        self.xi = np.zeros(len(compiled.int_slots) + 1, dtype=np.int64)
        self.xf = np.zeros(max(len(compiled.float_slots), 1), dtype=np.float64)
        self.args_plan = [(reg, type_, entry_check(type_)) for reg, type_ in compiled.param_layout]
        self.obj_params = [(reg, value) for reg, value in recorder.param_values.items()
                           if trace.type_of(recorder.param_regs[reg]) == "obj"]
        self.globals_read = list(recorder.globals_read.values())
        self.param_values_regs = {ref: trace.ins[ref].aux[1] for ref in trace.params}
        self.exits = [self._exit(snap) for snap in trace.snapshots]
        # exit -1: the iteration budget ran out at the loop header (every written
        # register holds its end-of-iteration value)
        self.exits.append(self._exit(Snapshot(
            trace.loop_pc, [SnapEntry(reg, "carried", ref) for reg, ref in trace.loop_carried.items()], 0)))
        self.iterations = 0
        self.last_iterations = 0
        self.entries = 0

    def _exit(self, snap):
        restores = [self._restore_plan(entry) for entry in snap.entries]
        frames = [(self.inlined_codes[f.code], f.call_pc, f.ret_dst,
                   [self._restore_plan(entry) for entry in f.entries]) for f in snap.frames]
        return TraceExit(snap.pc, restores, frames, snap.ninstructions)

    def _restore_plan(self, entry):
        """(reg, kind, where, carried) telling ``restore`` where the register's value is."""
        ins = self.trace.ins
        ref = entry.ref
        op, type_ = ins[ref].op, ins[ref].type
        carried = entry.source == "carried"
        if op == "const":
            return entry.reg, "const", ins[ref].aux[1], carried
        if type_ in _RESTORE:
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
            return entry.reg, buffer, (slots[key], _RESTORE[type_]), carried
        if op == "param":
            return entry.reg, "entry", ins[ref].aux[1], carried
        if op == "arr_shape":
            return entry.reg, "shape", ins[ins[ref].args[0]].aux[1], carried
        raise AssertionError(f"cannot restore {op} of type {type_}")

    def arguments(self, R, builtins):
        """The argument list for entering with registers ``R``, or None on a type mismatch."""
        for globals_, name, value in self.globals_read:
            current = globals_[name] if name in globals_ else builtins.get(name)
            if current is not value:
                return None
        for reg, value in self.obj_params:
            if R[reg] is not value:
                return None
        args = []
        for reg, type_, check in self.args_plan:
            value = R[reg]
            if not check(value):
                return None
            if type_.startswith("lst:"):
                args += (value.storage, value.length)
            else:
                args.append(value)
        args += (self.xi, self.xf, 0)
        return args

    def restore(self, exit_number, machine, entry_values):
        """Rebuild the interpreter state of exit ``exit_number``: the root frame's
        registers, then a frame per inlined call. Returns (exit, instructions run)."""
        exit_ = self.exits[exit_number]
        xi = self.xi.tolist()
        xf = self.xf.tolist()
        iterations = xi[0]
        _fill(machine.frame.regs, exit_.restores, xi, xf, entry_values, iterations)
        for decoded, call_pc, ret_dst, restores in exit_.frames:
            caller = machine.frame
            frame = decoded.new_frame()
            _fill(frame.regs, restores, xi, xf, entry_values, iterations)
            frame.parent = caller
            frame.ret_dst = ret_dst
            frame.resume = caller.decoded.blocks.at(call_pc + 1)
            decoded.calls += 1
            machine.frame = frame
            machine.depth += 1
        exit_.count += 1
        self.iterations += iterations
        self.last_iterations = iterations
        return exit_, iterations * self.trace.body_instructions + exit_.ninstructions


def loop_location(decoded, loop) -> str:
    code = decoded.code
    return f"{code.filename}:{code.line_of(code.loops[loop])}"


def _fill(R, restores, xi, xf, entry_values, iterations):
    for reg, kind, where, carried in restores:
        if carried and iterations == 0:
            continue
        if kind == "int":
            R[reg] = where[1](xi[where[0]])
        elif kind == "float":
            R[reg] = where[1](xf[where[0]])
        elif kind == "const":
            R[reg] = where
        elif kind == "entry":
            R[reg] = entry_values[where]
        elif kind == "shape":
            R[reg] = entry_values[where].shape


class JIT:
    """The tracing JIT attached to one interpreter machine."""

    def __init__(self, hot_loop: int = DEFAULT_HOT_LOOP):
        if type(hot_loop) is not int or hot_loop < 1:
            raise ValueError("hot_loop must be a positive int")
        self.hot_loop = hot_loop
        self.hot_loop_start = hot_loop
        self.loops = {}
        self.recorder = None
        self.traces_compiled = 0
        self.trace_aborts = 0
        self.abort_reasons = Counter()
        self.side_exits = 0
        self.compile_seconds = 0.0
        self.traced_instructions = 0
        self.trace_entries = 0
        self.installed = []
        self.retired_traces = 0
        self.listeners = []        # callables(kind, fields): -jv, the trace log

    # ----- hook protocol ---------------------------------------------------------------------
    def on_hot_loop(self, machine, decoded, loop):
        state = self.loops.get((decoded, loop))
        if state is None:
            state = self.loops[(decoded, loop)] = LoopTraces()
        if state.traces:
            resume = self.enter(machine, decoded, loop, state)
            if resume is not None:
                decoded.loop_counters[loop] = 1   # enter again at the next arrival
                return resume
        if state.blacklisted or len(state.traces) >= MAX_TRACES_PER_LOOP or self.recorder is not None:
            decoded.loop_counters[loop] = NEVER if state.blacklisted else self.hot_loop
            return None
        self.start_recording(machine, decoded, loop)
        return decoded.steps.at(decoded.code.loops[loop] + 1)

    def on_exception(self, machine, exc):
        if self.recorder is not None:
            self.recording_aborted(self.recorder, TraceAbort.EXCEPTION, f"{type(exc).__name__}: {exc}")
        machine.observer = None

    # ----- recording -------------------------------------------------------------------------
    def start_recording(self, machine, decoded, loop):
        self.recorder = Recorder(self, machine, decoded, loop, machine.frame)
        machine.observer = self.recorder
        if self.listeners:
            self.emit_event("start", where=loop_location(decoded, loop))

    def emit_event(self, kind, **fields):
        """Tell every listener (``-jv``, the trace log) about a JIT decision."""
        for listener in self.listeners:
            listener(kind, fields)

    def recording_aborted(self, recorder, reason, detail):
        self.recorder = None
        recorder.machine.observer = None
        self.trace_aborts += 1
        self.abort_reasons[reason.name] += 1
        decoded = recorder.root.decoded
        state = self.loops[(decoded, recorder.loop)]
        state.aborts += 1
        if state.aborts >= MAX_ABORTS:
            state.blacklisted = True
            decoded.loop_counters[recorder.loop] = NEVER
        else:
            decoded.loop_counters[recorder.loop] = self.hot_loop << state.aborts
        if self.listeners:
            top = recorder.top
            where = loop_location(decoded, recorder.loop)
            self.emit_event("abort", where=where, reason=reason.name, message=reason.message,
                            detail=detail, at=f"{top.code.filename}:{top.code.line_of(recorder.last_pc)}")
            if state.blacklisted:
                self.emit_event("blacklist", where=where, aborts=state.aborts)

    def finish_recording(self, recorder, unit):
        """The loop header came round again: finish the trace, compile it, enter it."""
        machine = recorder.machine
        machine.observer = None
        self.recorder = None
        trace = recorder.trace
        decoded, loop = recorder.root.decoded, recorder.loop
        header = machine.unit_at(decoded, recorder.loop_pc)
        try:
            self.close_trace(recorder)
            verify_trace(trace)
        except _Unstable as exc:
            self.recording_aborted(recorder, TraceAbort.TYPE_UNSTABLE, str(exc))
            return machine.switch_to(header)
        from .backend.numba_backend import compile_trace
        try:
            compiled = compile_trace(trace, trace.name)
        except Exception as exc:  # a backend bug must not take the program down
            self.recording_aborted(recorder, TraceAbort.COMPILE_FAILED, f"{type(exc).__name__}: {exc}")
            return machine.switch_to(header)
        self.compile_seconds += compiled.compile_seconds
        self.traces_compiled += 1
        if self.listeners:
            self.emit_event("compiled", number=len(self.installed) + 1,
                            where=loop_location(decoded, loop), ops=len(trace.ins),
                            guards=len(trace.guards()), inlined=recorder.max_inline_depth,
                            compile_ms=compiled.compile_seconds * 1000)
        installed = InstalledTrace(len(self.installed) + 1, recorder, compiled)
        self.installed.append(installed)
        self.loops[(decoded, loop)].traces.append(installed)
        decoded.loop_counters[loop] = 1
        return machine.switch_to(header)

    def close_trace(self, recorder):
        trace = recorder.trace
        trace.body_instructions = recorder.recorded
        root = recorder.root
        written = root.written
        for reg in written:
            ref = root.slots[reg]
            param = recorder.param_regs.get(reg)
            if param is not None and trace.type_of(param) != trace.type_of(ref):
                raise _Unstable(f"r{reg} enters as {trace.type_of(param)} and leaves as {trace.type_of(ref)}")
            trace.loop_carried[reg] = ref
        for guard_ref, pc, slots, inlined, ninstructions in recorder.pending_snaps:
            entries = [SnapEntry(reg, "ref", ref) for reg, ref in slots.items()]
            entries += [SnapEntry(reg, "carried", trace.loop_carried[reg])
                        for reg in written if reg not in slots]
            frames = [SnapFrame(code, call_pc, ret_dst,
                                [SnapEntry(reg, "ref", ref) for reg, ref in frame_slots.items()])
                      for code, call_pc, ret_dst, frame_slots in inlined]
            trace.snapshots.append(Snapshot(pc, entries, ninstructions, frames))

    # ----- running compiled traces --------------------------------------------------------
    def enter(self, machine, decoded, loop, state):
        frame = machine.frame
        R = frame.regs
        for installed in state.traces:
            if machine.depth + installed.max_inline_depth >= machine.recursion_limit:
                continue
            args = installed.arguments(R, machine.builtins)
            if args is None:
                continue
            entry_values = {reg: R[reg] for reg in installed.param_values_regs.values()}
            args[-1] = machine.trace_budget()
            exit_number = installed.entry(*args)
            exit_, instructions = installed.restore(exit_number, machine, entry_values)
            installed.entries += 1
            if installed.entries >= RETIRE_AFTER_ENTRIES and \
                    installed.iterations < MIN_ITERATIONS_PER_ENTRY * installed.entries:
                self.retire(state, installed)
            self.trace_entries += 1
            self.side_exits += 1
            self.traced_instructions += instructions
            machine.partial_instructions += instructions
            machine.charge_fuel(installed.last_iterations)
            return machine.unit_at(machine.frame.decoded, exit_.pc)
        return None

    def retire(self, state, installed):
        """Stop entering a trace that leaves after a few iterations on most entries:
        the exit costs more than the compiled iterations save (until side traces
        handle its hot exits). A loop left without traces is blacklisted."""
        state.traces.remove(installed)
        self.retired_traces += 1
        if not state.traces:
            state.blacklisted = True
            installed.decoded.loop_counters[installed.trace_loop] = NEVER
        if self.listeners:
            self.emit_event("retire", number=installed.number,
                            where=loop_location(installed.decoded, installed.trace_loop),
                            entries=installed.entries, iterations=installed.iterations)

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
            "blacklisted_loops": sum(1 for s in self.loops.values() if s.blacklisted),
            "retired_traces": self.retired_traces,
        }


class _Unstable(Exception):
    pass
