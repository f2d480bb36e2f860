"""The recorder: watches the interpreter run one loop iteration and writes its trace.

It is the machine's ``observer`` while recording: it sees each step unit before it
runs, reads the instruction and the current register values, and emits IR specialized
on the observed types, with a guard (and a snapshot) for every assumption: branch
direction, int64 overflow, division by zero, array bounds, nan stores into float
lists, math domain. The interpreter keeps executing normally; the recorder never
changes guest state.

Invariants:
- ``slots[reg]`` is the ref holding the root frame's register ``reg`` now; a register
  read before any write becomes a ``param`` (a live-in) typed by its value;
- ``written`` lists, in order, the registers the iteration wrote so far;
- each guard's snapshot is taken before the guarded instruction: exits re-execute it;
- recording ends when the loop's own header is reached again in the same frame, or
  at the loop's back edge when the loop ends in the recorded iteration (``branch``).
"""
from __future__ import annotations

import math
import operator
import time
from collections import Counter

import numpy as np

from interp.code import Function, GuestModule
from interp.lists import BOOL as LIST_BOOL, FLOAT as LIST_FLOAT, INT as LIST_INT, OBJECT as LIST_OBJECT, List, \
    ListIterator
from interp.liveness import live_in
from interp.opcodes import OPCODES, OPERATOR_FUNCTIONS, Op, const_index, jump_targets

from .abort import TraceAbort, TraceAborted
from .ir import GLOBAL_BASE, LENGTH_BASE, OPS, POSITION_BASE, SCALAR_TYPES, Trace
from .registers import (global_register, is_length, length_register, of_root_frame, position_of, position_register,
                        register_value)

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
MAX_TRACE_OPS = 3000

_ARRAY_DTYPES = {np.dtype(np.int64): "i64", np.dtype(np.float64): "f64", np.dtype(np.bool_): "bool"}
_NUMPY_SCALARS = {np.float64: "nf64", np.int64: "ni64", np.bool_: "nbool"}
LIST_TYPES = {LIST_INT: "lst:i64", LIST_FLOAT: "lst:f64", LIST_BOOL: "lst:bool"}   # unboxed strategies

# math functions compiled in traces: name -> arity (all float -> float)
MATH_FUNCTIONS = {
    "sqrt": 1, "exp": 1, "log": 1, "log10": 1, "log2": 1, "sin": 1, "cos": 1, "tan": 1,
    "asin": 1, "acos": 1, "atan": 1, "sinh": 1, "cosh": 1, "tanh": 1, "fabs": 1,
    "atan2": 2, "copysign": 2, "pow": 2,   # not hypot: CPython's own algorithm differs from libm
}
MATH_CALLABLES = {name: getattr(math, name) for name in MATH_FUNCTIONS}


def value_type(value) -> str | None:
    """The IR type a value is specialized to, or None if traces cannot hold it."""
    t = type(value)
    if t is int:
        return "i64" if INT64_MIN <= value <= INT64_MAX else None
    if t is float:
        return "f64"
    if t is bool:
        return "bool"
    scalar = _NUMPY_SCALARS.get(t)
    if scalar is not None:
        return scalar
    if t is np.ndarray:
        dtype = _ARRAY_DTYPES.get(value.dtype)
        if dtype is not None and value.ndim in (1, 2) and value.flags.c_contiguous:
            return f"arr:{dtype}:{value.ndim}"
        return None
    if t is List:
        return LIST_TYPES.get(value.strategy) or list_of_lists_type(value) or "obj"
    if t is ListIterator and value.lst is not None:
        element = LIST_TYPES.get(value.lst.strategy)
        if element:
            return "it:" + element[4:]
        rows = list_of_lists_type(value.lst)
        return "itl:" + rows[4:] if rows else "obj"
    return "obj"


def row_at_position(iterator, row) -> bool:
    """Whether ``row`` is the item before ``iterator``'s position (the one it gave last)."""
    lst = iterator.lst
    return lst is not None and 0 < iterator.index <= lst.length and lst.storage[iterator.index - 1] is row


_LIST_ONLY = {List}
_strategy_of = operator.attrgetter("strategy")


def list_of_lists_type(value: List) -> str | None:
    """``lol:<elem>`` when ``value`` is an OBJECT list of at least one item whose items are
    all lists of the one unboxed strategy ``lst:<elem>``, else None."""
    if value.strategy != LIST_OBJECT or not value.length:
        return None
    items = value.storage
    if set(map(type, items)) != _LIST_ONLY:      # (C loops: checked at every entry)
        return None
    strategies = set(map(_strategy_of, items))
    row = LIST_TYPES.get(items[0].strategy) if len(strategies) == 1 else None
    return None if row is None else "lol:" + row[4:]


MAX_INLINE_DEPTH = 6
FUNCTION_ENTRY = -1    # the "header" of a function trace: before the function's first instruction
NO_INNER_TRACE = "it has no compiled trace yet"     # an INNER_LOOP detail: worth waiting for
MAX_PEELED_ITERATIONS = 2    # inner-loop iterations recorded inline before its trace fits
_SELECT_SYMBOLS = ("+", "-", "*", "&", "|", "^")   # ops a converted branch may hold (convert_branch)


def describe(type_, value) -> str:
    """A type for abort messages: IR types as written, other values by their Python type."""
    if type_ == "obj" and value is not None:
        name = type(value).__name__
        if name == "list":
            return "a list of mixed or non-numeric values (only int, float or bool lists, and lists of " \
                "such lists of one kind, compile)"
        return f"a {name}"
    return type_


class InlineFrame:
    """The recorder's view of one interpreter frame: the loop's own (the root) or a
    call inlined into the trace. ``slots``/``written`` as in the module docstring."""

    __slots__ = ("decoded", "code", "consts", "frame", "slots", "written", "ret_dst", "call_pc")

    def __init__(self, decoded, frame, ret_dst=None, call_pc=None):
        self.decoded = decoded
        self.code = decoded.code
        self.consts = decoded.code.consts
        self.frame = frame
        self.slots = {}
        self.written = []
        self.ret_dst = ret_dst      # register of the caller receiving the return value
        self.call_pc = call_pc      # pc of the CALL in the caller


class Recorder:
    """Records one iteration of the loop ``loop`` of ``decoded`` in ``frame`` (loop None:
    a function trace, ``tracejit.functrace``)."""

    kind = "root"      # the trace log's name for what is recorded

    def __init__(self, jit, machine, decoded, loop, frame):
        self.jit = jit
        self.machine = machine
        self.root = InlineFrame(decoded, frame)
        self.frames = [self.root]
        self.loop = loop
        self.loop_pc = decoded.code.loops[loop] if loop is not None else FUNCTION_ENTRY
        code = decoded.code
        self.trace = Trace(f"{code.name}@{code.filename}:{code.line_of(self.loop_pc)}", self.loop_pc,
                           keeps=SnapshotLiveness(code))
        self.emitter = self.trace.emitter = jit.optimizer.emitter(self.trace)   # fold, cse on emit
        self.param_regs = {}       # reg -> param ref (root frame)
        self.param_values = {}     # reg -> the value at entry (identity checks for obj)
        self.pending_snaps = []    # (guard ref, pc, {reg: ref}, inlined frame states, ninstructions)
        self.pending_call = None   # (callee decoded, ret_dst, call_pc, arg refs) until the frame appears
        self.const_refs = {}
        self.globals_read = {}     # (id(globals), name) -> (globals, name, value) the trace assumed
        self.recorded = 0          # bytecode instructions recorded in this iteration
        self.recorded_opcodes = []  # their opcodes, in order (a side recorder: from its guard on)
        self.inlined_codes = []    # decoded code objects of inlined frames (snapshot frame ids)
        self.last_pc = self.loop_pc  # the instruction being recorded (where an abort happened)
        self.max_inline_depth = 0
        self.nested_installed = []   # installed inner loop traces called, parallel to trace.nested
        self.resume_pc = None        # set while an inner loop has run: where an abort resumes
        self.end_pc = None           # where the interpreter goes on once recording is over: the
        #                              header, or the back edge the trace was closed at (``branch``)
        self.peeled = Counter()      # (frame, loop) -> inner iterations recorded inline
        self.skip_pc = None          # the instruction of a converted branch, not recorded when run
        self.called = set()          # (frame, loop) of the inner loops called in this iteration
        self.tree_carried = set()    # registers other paths of the tree carry (side traces)
        self.started = time.perf_counter()
        self.record_seconds = 0.0  # from the first recorded instruction to the back edge
        # (code, pc, inline depth) of each recorded instruction, kept only for the trace log
        self.bytecode = [] if jit.listeners else None
        # var register -> (iterator register, ref): the row a rotated ``for row in rows``
        # loop over a list of lists holds at the header, read from its iterator
        self.derived_rows = {}

    def derive_row(self, R):
        """If the loop is ``for var in rows`` over a list of lists, its variable holds at
        the header the row before the iterator's position: read it from the iterator (a
        new list each iteration cannot be a live-in). Entries check the relation
        (``InstalledTrace.arguments``)."""
        instr = self.root.code.instrs[self.loop_end()]
        if OPCODES[instr[0]].name != "FORITER":
            return
        _, it, var, _target = instr
        iterator = R[it]
        if type(iterator) is not ListIterator or not value_type(iterator).startswith("itl:") \
                or not row_at_position(iterator, R[var]):
            return
        iterator_ref = self.read(it, R)
        index = self.guard("int_sub", (self.read(position_register(it), R), self.const(1)), self.loop_pc)
        ref = self.trace.emit("iter_get", (iterator_ref, index))
        self.root.slots[var] = ref
        self.derived_rows[var] = (it, ref)

    # the frame being recorded now
    @property
    def top(self):
        return self.frames[-1]

    @property
    def decoded(self):
        return self.frames[-1].decoded

    @property
    def code(self):
        return self.frames[-1].code

    @property
    def consts(self):
        return self.frames[-1].consts

    @property
    def slots(self):
        return self.frames[-1].slots

    @property
    def written(self):
        return self.frames[-1].written

    # ----- observer protocol -------------------------------------------------------------
    def __call__(self, unit, R):
        machine = self.machine
        try:
            if self.pending_call is not None:
                self.enter_inlined_call(machine.frame)
            if machine.frame is not self.top.frame:
                raise TraceAborted(TraceAbort.LEFT_LOOP, "an unexpected frame is running")
            pc = self.decoded.steps.start_of[unit]
            if pc == self.loop_pc and len(self.frames) == 1:
                self.end_pc = pc
            redirect = self.record(pc, R) if self.end_pc is None else None
            if self.end_pc is not None:     # the header came round, or the back edge closed the trace
                self.record_seconds = time.perf_counter() - self.started
                return self.finish(unit)
            if redirect is not None:    # an inner loop ran: go on from where it left
                return self(redirect, R)
        except TraceAborted as exc:
            return self.abort(exc.reason, exc.detail, unit)
        except Exception as exc:  # a recorder bug: give up the trace, never the program
            return self.abort(TraceAbort.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}", unit)
        return unit

    def finish(self, unit):
        self.detach()
        return self.jit.finish_recording(self, unit)

    def aborted(self, reason, detail):
        self.detach()
        self.jit.recording_aborted(self, reason, detail)

    def detach(self):
        """Recording is over: later emits into the trace are not the on-emit passes' business."""
        self.trace.emitter = None

    def abort(self, reason, detail, unit):
        """Stop recording; continue running ``unit``'s instruction as a block."""
        machine = self.machine
        machine.observer = None
        self.aborted(reason, detail)
        decoded = machine.frame.decoded
        pc = decoded.start_pc(unit) if self.resume_pc is None else self.resume_pc
        return machine.switch_to(machine.unit_at(decoded, pc))

    # ----- values ------------------------------------------------------------------------
    def frame_of(self, reg):
        """The recorder frame holding ``reg``: globals and list lengths belong to the root frame."""
        return self.root if of_root_frame(reg) else self.frames[-1]

    def read(self, reg, R):
        frame = self.frame_of(reg)
        ref = frame.slots.get(reg)
        if ref is None:
            if frame is not self.root:
                raise TraceAborted(TraceAbort.UNSUPPORTED_OP,
                                   f"read of unassigned r{reg} in inlined {self.code.name}()")
            value = register_value(frame.frame, reg)
            type_ = value_type(value)
            if type_ is None:
                raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE,
                                   f"register r{reg} holds a {type(value).__name__} the trace cannot hold")
            ref = self.trace.emit("param", aux=(type_, reg))
            self.trace.params.append(ref)
            self.param_regs[reg] = ref
            self.param_values[reg] = value
            frame.slots[reg] = ref
            if type_.startswith(("lst:", "it:", "lol:", "itl:")):
                for appended in self.appended_lists():
                    self.check_unshared(appended)
        return ref

    def appended_lists(self):
        """Root registers holding lists some path of the tree appends to."""
        return {reg - LENGTH_BASE for reg in (*self.root.slots, *self.tree_carried) if is_length(reg)}

    def value(self, x, R):
        """The current Python value of an rk operand."""
        return self.consts[const_index(x)] if x < 0 else R[x]

    def rk(self, x, R):
        if x < 0:
            return self.const(self.consts[const_index(x)])
        return self.read(x, R)

    def const(self, value):
        type_ = value_type(value)
        if type_ is None or type_ not in SCALAR_TYPES:
            type_ = "obj"
        key = (type(value), repr(value)) if type_ != "obj" else (id(value),)
        ref = self.const_refs.get(key)
        if ref is None:
            ref = self.trace.emit("const", aux=(type_, value))
            self.const_refs[key] = ref
        return ref

    def write(self, reg, ref):
        frame = self.frame_of(reg)
        if reg < POSITION_BASE:
            if frame is self.root and self.appends_to(reg):
                raise TraceAborted(TraceAbort.UNSUPPORTED_OP,
                                   f"r{reg} holds a list the loop appends to and is assigned in the loop")
            position = position_register(reg)   # an iterator's position goes with the iterator
            if position in frame.slots:
                del frame.slots[position]
                frame.written.remove(position)
        frame.slots[reg] = ref
        if reg not in frame.written:
            frame.written.append(reg)

    def type_of(self, ref):
        return self.trace.type_of(ref)

    def check_unshared(self, reg):
        """Abort unless the list in root register ``reg``, which the trace appends to, is
        the only list or iterator argument of the trace over that list (another one's
        length would go stale)."""
        target = self.param_values[reg]
        if any(self.type_of(self.param_regs[r]).startswith(("lol:", "itl:")) for r in self.param_values):
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "append in a loop that reads a list of lists")
        if any(r != reg and (v is target or type(v) is ListIterator and v.lst is target)
               for r, v in self.param_values.items()):
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "append to a list another register of the loop holds too")

    def appends_to(self, reg) -> bool:
        """Whether some path of the tree appends to the list in root register ``reg``."""
        length = length_register(reg)
        return length in self.root.slots or length in self.tree_carried

    def guard(self, op, args, pc, aux=()):
        """Emit guard ``op`` with a snapshot taken now; unless fold or cse answered it
        (then the result is an earlier ref, or None for a guard known to hold)."""
        number, before = len(self.pending_snaps), len(self.trace.ins)
        ref = self.trace.emit(op, args, aux, snap=number)
        if ref is None or ref < before or self.trace.ins[ref].snap != number:
            return ref
        # each frame resumes after the call into the next one, which writes its result
        # register first; the innermost resumes at the guard
        resumes = [(f.call_pc + 1, f.ret_dst) for f in self.frames[1:]] + [(pc, None)]
        inlined = [(self.inlined_codes.index(f.decoded), f.call_pc, f.ret_dst, live_slots(f, f.slots, *at))
                   for f, at in zip(self.frames[1:], resumes[1:])]
        root = self.root
        self.pending_snaps.append((ref, pc, live_slots(root, root.written, *resumes[0]), inlined,
                                   self.recorded))
        return ref

    def expect(self, ref, truth, pc):
        """Guard that bool ``ref`` stays ``truth``."""
        self.guard("guard_true" if truth else "guard_false", (ref,), pc)

    def branch(self, cond, truth, jumps_if, target, pc) -> bool:
        """Guard the conditional branch at ``pc``, which goes to ``target`` when bool
        ``cond`` (now ``truth``) is ``jumps_if``; returns whether the trace takes it.
        The loop's back edge not taken now means the loop ends in the recorded
        iteration (a loop that runs a few iterations per entry): the trace is closed at
        the back edge as if it went round. Its guard checks that it does, its exit
        leaves the loop as the interpreter is about to, and everything recorded ran."""
        closes = truth != jumps_if and target == self.loop_pc and len(self.frames) == 1
        if closes:
            truth = jumps_if
        elif self.convert_branch(cond, jumps_if, target, pc):
            return truth == jumps_if
        self.expect(cond, truth, pc)
        if closes:
            self.end_pc = pc
        return truth == jumps_if

    def peek_type(self, x):
        """The type rk operand ``x`` of the root frame would have in the trace (None: one it
        cannot hold), without making it a param."""
        if x < 0:
            return value_type(self.consts[const_index(x)])
        ref = self.root.slots.get(x)
        return self.type_of(ref) if ref is not None else value_type(register_value(self.root.frame, x))

    def convert_branch(self, cond, jumps_if, target, pc) -> bool:
        """A branch over one instruction that computes an int or float into a register
        of the same type (``if c: x += y``): record that instruction whichever way the
        branch goes, and the register as ``select`` of its new and old value. No guard and
        no side trace: a branch that goes both ways at random costs a misprediction per
        iteration, a select nothing. Returns whether the branch was converted.

        The instruction's guards (an int overflow) exit at the branch with the state
        before it: the interpreter then takes the branch itself. The instruction, run
        or not, is not counted as recorded (nor listed in the trace log's bytecode):
        ``count_if`` counts it where the condition holds (instructions run, the opcode's
        count: tracejit/trace_opcodes.py; its line's: the ``exits`` log event); when the
        interpreter runs it now, ``record`` skips it (``skip_pc``). Loop traces only (a
        function trace's counts are its own: tracejit/functrace.py)."""
        if target != pc + 2 or len(self.frames) != 1 or pc + 1 >= len(self.code.instrs) \
                or self.loop_pc == FUNCTION_ENTRY:
            return False
        opcode, *operands = self.code.instrs[pc + 1]
        info = OPCODES[opcode]
        if info.family not in ("binop", "inplace") or info.symbol not in _SELECT_SYMBOLS:
            return False
        dst, x, y = operands
        types = {self.peek_type(x), self.peek_type(y)}
        kind = "i64" if types == {"i64"} else "f64" if types == {"f64"} else None
        if kind is None or self.peek_type(dst) != kind or (kind == "f64" and info.symbol in ("&", "|", "^")):
            return False
        R = self.machine.frame.regs
        a, b, old = self.rk(x, R), self.rk(y, R), self.read(dst, R)   # a register not read yet: a param
        new = self.binary(info.symbol, a, b, pc)     # its guard exits at the branch
        runs = cond if not jumps_if else self.trace.emit("not", (cond,))
        self.write(dst, self.trace.emit("select", (new, old, runs)))
        self.trace.emit("count_if", (runs,), (opcode, pc + 1))
        self.skip_pc = pc + 1
        return True

    # ----- dispatch --------------------------------------------------------------------------
    def record(self, pc, R):
        if self.skip_pc is not None:
            skip, self.skip_pc = pc == self.skip_pc, None
            if skip:
                return None     # the instruction of a converted branch (convert_branch)
        if len(self.trace.ins) > MAX_TRACE_OPS:
            raise TraceAborted(TraceAbort.TOO_LONG, f"more than {MAX_TRACE_OPS} IR instructions")
        self.last_pc = pc
        if self.bytecode is not None:
            self.bytecode.append((self.code, pc, len(self.frames) - 1))
        opcode, *operands = self.code.instrs[pc]
        info = OPCODES[opcode]
        handler = RECORD_HANDLERS[opcode]
        if handler is None:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, info.name)
        redirect = handler(self, pc, R, info, *operands)
        self.recorded += 1
        self.recorded_opcodes.append(opcode)
        return redirect

    # ----- numbers ---------------------------------------------------------------------------
    def as_int(self, ref):
        t = self.type_of(ref)
        if t == "bool":
            return self.trace.emit("bool_to_int", (ref,))
        if t in ("i64", "ni64"):
            return ref
        raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"{t} used as an int")

    def as_float(self, ref, pc, exact=False):
        t = self.type_of(ref)
        if t in ("f64", "nf64"):
            return ref
        ins = self.trace.ins[ref]
        if ins.op == "const" and t in ("i64", "bool"):
            return self.const(float(ins.aux[1]))   # float() of the constant, as Python does
        ref = self.as_int(ref)
        if exact:
            return self.guard("int_to_float_exact", (ref,), pc)
        return self.trace.emit("int_to_float", (ref,))

    def numeric_kind(self, *refs):
        types = {self.type_of(r) for r in refs}
        if not types <= {"i64", "bool", "f64", "nf64", "ni64"} or ("ni64" in types and "bool" in types):
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"operation on {', '.join(sorted(types))}")
        return "float" if types & {"f64", "nf64"} else "int"

    def binary(self, sym, a, b, pc):
        kind = self.numeric_kind(a, b)
        if kind == "int" and "ni64" in (self.type_of(a), self.type_of(b)) and sym in ("<<", ">>", "**"):
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"numpy.int64 {sym}")
        if kind == "int":
            if sym in ("&", "|", "^") and self.type_of(a) == "bool" and self.type_of(b) == "bool":
                raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"bool {sym} bool")
            if sym == "/":
                return self.guard("int_truediv", (self.as_int(a), self.as_int(b)), pc)
            name = _INT_OPS.get(sym)
            if name is None:
                raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"int {sym}")
            args = (self.as_int(a), self.as_int(b))
            if "guard" in _op_flags(name):
                return self.guard(name, args, pc)
            return self.trace.emit(name, args)
        name = _FLOAT_OPS.get(sym)
        if name is None:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"float {sym}")
        args = (self.as_float(a, pc), self.as_float(b, pc))
        if "guard" in _op_flags(name):
            return self.guard(name, args, pc)
        return self.trace.emit(name, args)

    def compare(self, sym, a, b, pc):
        name = _CMP_NAMES.get(sym)
        if name is None:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"comparison {sym}")
        ta, tb = self.type_of(a), self.type_of(b)
        if ta == tb == "bool" and name in ("eq", "ne"):
            return self.trace.emit(f"bool_{name}", (a, b))
        if "bool" in (ta, tb) and {ta, tb} & {"nf64", "ni64"}:
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"comparing {ta} with {tb}")
        kind = self.numeric_kind(a, b)
        if kind == "int":
            return self.trace.emit(f"int_{name}", (self.as_int(a), self.as_int(b)))
        return self.trace.emit(f"float_{name}", (self.as_float(a, pc, exact=True),
                                                  self.as_float(b, pc, exact=True)))

    def truth(self, ref):
        t = self.type_of(ref)
        if t in ("bool", "nbool"):
            return ref
        if t in ("i64", "ni64"):
            return self.trace.emit("int_truth", (ref,))
        if t in ("f64", "nf64"):
            return self.trace.emit("float_truth", (ref,))
        raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"truth value of {t}")

    # ----- instruction handlers (rec_<OPNAME>) ------------------------------------------------
    def rec_MOVE(self, pc, R, info, a, b):
        self.write(a, self.read(b, R))

    def rec_LOADK(self, pc, R, info, a, k):
        self.write(a, self.const(self.consts[k]))

    def rec_LOADGLOBAL(self, pc, R, info, a, k):
        name = self.consts[k]
        globals_ = self.decoded.globals
        if (id(globals_), name) in self.jit.assigned_globals:
            self.write(a, self.read(self.global_register(globals_, name), R))
            return
        value = globals_[name] if name in globals_ else self.machine.builtins.get(name)
        self.globals_read[(id(globals_), name)] = (globals_, name, value)
        self.write(a, self.const(value))

    def rec_STOREGLOBAL(self, pc, R, info, k, x):
        """A global the loop assigns is a loop variable (a pseudo-register): read at
        entry, written back at every exit. A global read earlier in this recording was
        taken as a constant: the loop is recorded again (TYPE_UNSTABLE retries)."""
        name = self.consts[k]
        globals_ = self.decoded.globals
        key = (id(globals_), name)
        if key not in self.jit.assigned_globals:
            self.jit.assigned_globals.add(key)
            if key in self.globals_read:
                raise TraceAborted(TraceAbort.TYPE_UNSTABLE, f"global {name} is assigned in the loop: "
                                   "recorded again with it as a loop variable")
        reg = self.global_register(globals_, name)
        ref = self.rk(x, R)
        if self.type_of(ref) not in SCALAR_TYPES:
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE,
                               f"global {name} assigned a {describe(self.type_of(ref), self.value(x, R))}")
        self.write(reg, ref)

    def global_register(self, globals_, name):
        if globals_ is not self.root.decoded.globals:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"global {name} of another module is assigned in the loop")
        if name not in globals_:
            raise TraceAborted(TraceAbort.EXCEPTION, f"global {name} is not defined")
        return global_register(name)

    def rec_CHECKBOUND(self, pc, R, info, a, k):
        self.read(a, R)   # a typed ref is always bound; an unbound value aborts as obj use

    def rec_JUMP(self, pc, R, info, target):
        pass

    def rec_binop(self, pc, R, info, a, x, y):
        self.write(a, self.binary(info.symbol, self.rk(x, R), self.rk(y, R), pc))

    def rec_unop(self, pc, R, info, a, x):
        ref = self.rk(x, R)
        t = self.type_of(ref)
        sym = info.symbol
        if sym == "not":
            result = self.trace.emit("not", (self.truth(ref),))
        elif sym == "-" and t in ("i64", "bool", "ni64"):
            result = self.guard("int_neg", (self.as_int(ref),), pc)
        elif sym == "-" and t in ("f64", "nf64"):
            result = self.trace.emit("float_neg", (ref,))
        elif sym == "+" and t in ("i64", "f64", "nf64", "ni64"):
            result = ref
        elif sym == "~" and t in ("i64", "bool", "ni64"):
            result = self.trace.emit("int_invert", (self.as_int(ref),))
        else:
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"unary {sym} on {t}")
        self.write(a, result)

    def rec_compare(self, pc, R, info, a, x, y):
        self.write(a, self.compare(info.symbol, self.rk(x, R), self.rk(y, R), pc))

    def rec_cmpjump(self, pc, R, info, x, y, target):
        """J<cmp> and JN<cmp>: guard that the comparison keeps the truth value it has now
        (whichever way that sends the branch)."""
        cond = self.compare(info.symbol, self.rk(x, R), self.rk(y, R), pc)
        outcome = bool(OPERATOR_FUNCTIONS[info.symbol](self.value(x, R), self.value(y, R)))
        self.branch(cond, outcome, info.family == "cmpjump", target, pc)

    def rec_JUMPIF(self, pc, R, info, x, target):
        self.branch(self.truth(self.rk(x, R)), bool(self.value(x, R)), info.name == "JUMPIF", target, pc)

    rec_JUMPIFNOT = rec_JUMPIF

    def rec_LOOP(self, pc, R, info, loop):
        """An inner loop: run its compiled trace now and record the call (the outer trace
        then runs the inner loop as compiled code, specialized on the exit it took)."""
        if len(self.frames) == 1 and not self.loop_pc <= pc <= self.loop_end():
            raise TraceAborted(TraceAbort.LEFT_LOOP, "the path reaches the header of an enclosing loop")
        state = self.jit.loops.get((self.decoded, loop))
        candidates = (state.traces + state.retired) if state is not None else []
        if not candidates:
            if state is not None and state.blacklisted:
                raise TraceAborted(TraceAbort.INNER_LOOP, "it is blacklisted")
            self.jit.want_trace(self.decoded, loop)
            raise TraceAborted(TraceAbort.INNER_LOOP, NO_INNER_TRACE)
        for installed in candidates:
            args = self.jit.entry_arguments(installed, self.machine, R)
            refs = self.nested_arguments(installed, R) if args is not None else None
            if refs is not None:
                break
        else:
            # the first iterations may still change the loop's types (0.0 += numpy.float64):
            # record them inline, then try again at the header
            key = (id(self.machine.frame), loop)
            if self.peeled[key] < MAX_PEELED_ITERATIONS:
                self.peeled[key] += 1
                return None
            raise TraceAborted(TraceAbort.INNER_LOOP, "none of its traces fits the state it starts in")
        frame = self.machine.frame
        if (id(frame), loop) in self.called:
            raise TraceAborted(TraceAbort.INNER_LOOP, "its trace exits inside the loop (it needs a side trace)")
        self.called.add((id(frame), loop))
        before = list(R)
        exit_number, exit_, resume_pc = self.jit.run(installed, self.machine, args, R)
        self.jit.count_skipped_header(installed, self.machine)   # the LOOP never ran as a unit
        self.resume_pc = resume_pc
        if exit_number < 0 or exit_.frames or exit_.nested is not None or self.machine.frame is not frame:
            raise TraceAborted(TraceAbort.INNER_LOOP, "it left its trace inside a call or another loop")
        call = self.call_loop(installed, refs)
        exits = installed.alike_exits(exit_number)
        self.guard("guard_loop_exit", (call,), pc, aux=(exits,))
        self.loop_results(call, installed, exits, before, pc)
        self.resume_pc = None
        return self.decoded.steps.at(resume_pc)

    def loop_end(self) -> int:
        """The last pc of the recorded loop's body: its last back edge (a jump to the header)."""
        return loop_end(self.root.code, self.loop_pc)

    def nested_arguments(self, installed, R):
        """Refs for the inner trace's arguments, or None if the outer trace cannot pass
        them on every iteration (a type differs, or an object is not always the same)."""
        if any(key in self.jit.assigned_globals for key in installed.globals_read_map):
            return None     # it took a global this loop assigns for a constant
        if installed.appended:
            return None     # its list lengths would have to come back into this trace
        refs = []
        for reg, type_, *_ in installed.args_plan:
            ref = self.read(reg, R)
            if self.type_of(ref) != type_:
                return None
            refs.append(ref)
        for var, (it, _ref) in installed.derived_rows.items():
            # the inner loop reads its variable from its iterator: it must hold that row here
            row, position = self.frame_of(var).slots.get(var), self.slots.get(position_register(it))
            if row is None or position is None or self.trace.ins[row].op != "iter_get":
                return None
            iterator, index = self.trace.ins[row].args
            if iterator != self.slots.get(it) or not self.is_successor(position, index):
                return None
        for reg, value in installed.obj_params:
            ins = self.trace.ins[self.read(reg, R)]
            same = ins.aux[1] is value if ins.op == "const" else \
                ins.op == "param" and self.param_values.get(ins.aux[1]) is value
            if not same:
                return None
        return refs

    def is_successor(self, ref, of) -> bool:
        """Whether int ``ref`` is ``of + 1`` (as FORITER computes an iterator's next position)."""
        ins, before = self.trace.ins[ref], self.trace.ins[of]
        if ins.op == "const" and before.op == "const":
            return ins.aux[1] == before.aux[1] + 1
        return ins.op == "int_add" and ins.args[0] == of and self.trace.ins[ins.args[1]].op == "const" \
            and self.trace.ins[ins.args[1]].aux[1] == 1

    def call_loop(self, installed, refs):
        site = len(self.trace.nested)
        self.trace.nested.append(installed.compiled)
        self.nested_installed.append(installed)
        self.max_inline_depth = max(self.max_inline_depth, len(self.frames) - 1 + installed.max_inline_depth)
        self.globals_read.update(installed.globals_read_map)
        return self.trace.emit("call_loop", refs, (site,))

    def loop_results(self, call, installed, exits, before, pc):
        """Write the registers the inner loop's exits ``exits`` (alike: see
        ``InstalledTrace.alike_exits``) restore; a register no iteration may have written
        keeps its value from ``before`` the loop (a row of a list of lists must have been
        written: guarded)."""
        plans = [{plan[0]: plan for plan in installed.exits[number].restores} for number in exits]
        flags = sorted({plan[reg][3] for plan in plans for reg, kind, _where, _flag in installed.exits[exits[0]].restores
                        if kind == "row" and plan[reg][3] is not None})
        if flags:
            self.guard("guard_loop_wrote", (call,), pc, aux=(tuple(flags),))
        for reg, kind, where, flag in installed.exits[exits[0]].restores:
            if kind in ("int", "float"):
                type_ = where[2]
                slots = tuple(plan[reg][2][0] for plan in plans)
                flags = tuple(-1 if plan[reg][3] is None else plan[reg][3] for plan in plans)
                if flag is None and all(f == -1 for f in flags):
                    ref = self.trace.emit("loop_out", (call,), (type_, slots))
                else:
                    fallback = self.frame_of(reg).slots.get(reg)
                    if fallback is None:
                        fallback = self.read(reg, before)
                    if self.type_of(fallback) != type_:
                        raise TraceAborted(TraceAbort.TYPE_UNSTABLE,
                                           f"r{reg} is {self.type_of(fallback)} before the inner loop and {type_} in it")
                    ref = self.trace.emit("loop_outf", (call, fallback), (type_, slots, flags))
            elif kind == "const":
                ref = self.const(where)
            elif kind == "entry":      # the inner trace's live-in register ``where``
                ref = self.read(where, before)
            elif kind == "shape":
                ref = self.trace.emit("arr_shape", (self.read(where, before),))
            elif kind == "row" and where[0][0] == "entry" and where[1][0] in ("int", "const"):
                rows = self.read(where[0][1], before)
                if where[1][0] == "const":
                    index = self.const(where[1][1])
                else:
                    index = self.trace.emit("loop_out", (call,), ("i64", tuple(plan[reg][2][1][1][0] for plan in plans)))
                row = ("lol_get_inbounds" if self.type_of(rows).startswith("lol:") else "iter_get")
                ref = self.trace.emit(row, (rows, index))
            else:
                raise TraceAborted(TraceAbort.INNER_LOOP, f"it leaves a {kind} in r{reg}")
            self.write(reg, ref)

    def rec_FORITER(self, pc, R, info, it, var, target):
        """``for x in lst`` over an int or float list: the iterator's position is a loop
        variable (register POSITION_BASE + it), the list's storage a live-in."""
        iterator = self.read(it, R)
        if not self.type_of(iterator).startswith(("it:", "itl:")):
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE,
                               f"iterating {describe(self.type_of(iterator), R[it])}")
        if len(self.frames) > 1:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "a for-in loop inside an inlined call")
        position = self.read(position_register(it), R)
        inside = R[it].index < R[it].lst.length
        self.expect(self.trace.emit("int_lt", (position, self.trace.emit("iter_len", (iterator,)))), inside, pc)
        if not inside:
            if target == self.loop_pc:
                raise TraceAborted(TraceAbort.LEFT_LOOP, "the for-in loop ended while recording")
            return      # an inner for-in loop ended: the trace goes on after it
        self.write(var, self.trace.emit("iter_get", (iterator, position)))
        self.write(position_register(it), self.guard("int_add", (position, self.const(1)), pc))

    def rec_GETITER(self, pc, R, info, a, x):
        """``iter(lst)`` of an unboxed list or a list of lists: a virtual iterator
        (``iter_new``) whose position register starts at 0."""
        lst = self.read(x, R)
        t = self.type_of(lst)
        if not t.startswith(("lst:", "lol:")):
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"iterating {describe(t, R[x])}")
        kind = "it:" if t.startswith("lst:") else "itl:"
        self.write(a, self.trace.emit("iter_new", (lst,), (kind + t[4:],)))
        self.write(position_register(a), self.const(0))

    def rec_GETMETHOD(self, pc, R, info, a, obj, k):
        name = self.consts[k]
        ref = self.read(obj, R)
        if name != "append" or not self.type_of(ref).startswith("lst:"):
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"method .{name} of {describe(self.type_of(ref), R[obj])}")
        self.write(a, self.trace.emit("method", (ref,), (name,)))

    def rec_CALLMETHOD(self, pc, R, info, a, method, base, count):
        ref = self.read(method, R)
        if self.trace.ins[ref].op != "method" or count != 1:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "call of a method the trace did not look up")
        self.append(self.trace.ins[ref].args[0], self.read(base, R), pc)
        self.write(a, self.const(None))

    def append(self, lst, value, pc):
        """``lst.append(value)`` into the unboxed storage; the list's length becomes a loop
        variable (register LENGTH_BASE + r) written back at exits."""
        ins = self.trace.ins[lst]
        reg = ins.aux[1] if ins.op == "param" else None
        if reg is None or self.root.slots.get(reg) != lst or reg in self.tree_carried:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "append to a list the loop does not keep in one register")
        self.check_unshared(reg)
        elem = self.type_of(lst)[4:]
        if self.type_of(value) != elem:   # the interpreter would switch the list's strategy
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE,
                               f"appending {self.type_of(value)} to {self.type_of(lst)}")
        self.write(length_register(reg), self.guard("lst_append", (lst, value), pc))

    def rec_FORPREP(self, pc, R, info, base, var, target):
        start, stop, step = (self.read(base + i, R) for i in range(3))
        if any(self.type_of(ref) != "i64" for ref in (start, stop, step)):
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, "range() of non-int64 bounds")
        step_value = R[base + 2]
        if step_value == 0:
            raise TraceAborted(TraceAbort.EXCEPTION, "range() arg 3 must not be zero")
        zero = self.const(0)
        self.expect(self.trace.emit("int_gt" if step_value > 0 else "int_lt", (step, zero)), True, pc)
        inside = R[base] < R[base + 1] if step_value > 0 else R[base] > R[base + 1]
        self.expect(self.trace.emit("int_lt" if step_value > 0 else "int_gt", (start, stop)), inside, pc)
        for i, ref in enumerate((start, stop, step)):
            self.write(base + i, ref)
        if inside:
            self.write(var, start)

    def rec_FORLOOP(self, pc, R, info, base, var, target):
        index, stop, step = (self.read(base + i, R) for i in range(3))
        step_value = R[base + 2]
        if self.type_of(step) != "i64" or self.type_of(index) != "i64" or self.type_of(stop) != "i64":
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, "range loop over non-int64 bounds")
        zero = self.const(0)
        self.expect(self.trace.emit("int_gt", (step, zero)), step_value > 0, pc)
        new_index = self.guard("int_add", (index, step), pc)
        test = self.trace.emit("int_lt" if step_value > 0 else "int_gt", (new_index, stop))
        index_value = R[base] + step_value
        inside = (index_value < R[base + 1]) if step_value > 0 else (index_value > R[base + 1])
        inside = self.branch(test, inside, True, target, pc)
        self.write(base, new_index)
        if inside:
            self.write(var, new_index)

    def rec_GETITEM(self, pc, R, info, a, obj, key):
        container = self.read(obj, R)
        t = self.type_of(container)
        index = self.rk(key, R)
        if self.type_of(index) == "bool":
            index = self.as_int(index)
        if t.startswith("arr:") and t.endswith(":1") and self.type_of(index) == "i64":
            self.write(a, self.guard("arr_get1", (container, index), pc))
        elif t.startswith("lst:") and self.type_of(index) == "i64":
            self.write(a, self.guard("lst_get", (container, index), pc))
        elif t.startswith("lol:") and self.type_of(index) == "i64":
            self.write(a, self.guard("lol_get", (container, index), pc))
        elif t == "shape" and key < 0 and type(self.value(key, R)) is int:
            axis = self.value(key, R)
            array = self.trace.ins[container].args[0]
            ndim = int(self.type_of(array).split(":")[2])
            if not -ndim <= axis < ndim:
                raise TraceAborted(TraceAbort.EXCEPTION, "shape index out of range")
            self.write(a, self.trace.emit("arr_dim", (array,), (axis % ndim,)))
        else:
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"indexing {describe(t, R[obj])} "
                                                            f"with {describe(self.type_of(index), None)}")

    def store_value(self, container_type, value_ref, value, pc):
        """The ref to store into an array/list of ``container_type`` (numpy/list rules)."""
        elem = container_type.split(":")[1]
        vt = self.type_of(value_ref)
        if elem == "f64" and vt in ("f64", "nf64"):
            return value_ref
        if elem == "f64" and vt in ("i64", "bool") and container_type.startswith("arr:"):
            return self.as_float(value_ref, pc)
        if elem == "i64" and (vt == "i64" or vt == "ni64" and container_type.startswith("arr:")):
            return value_ref
        if elem == "bool" and (vt == "bool" or vt == "nbool" and container_type.startswith("arr:")):
            return value_ref
        raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"storing {vt} into {container_type}")

    def rec_SETITEM(self, pc, R, info, obj, key, val):
        container = self.read(obj, R)
        t = self.type_of(container)
        index = self.rk(key, R)
        if self.type_of(index) == "bool":
            index = self.as_int(index)
        if t.startswith("lol:"):   # rows are read in place: the trace never changes the outer list
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "item assignment on a list of lists")
        if self.type_of(index) != "i64" or not (t.startswith("lst:") or t.endswith(":1")):
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"item assignment on {describe(t, R[obj])}")
        value = self.store_value(t, self.rk(val, R), self.value(val, R), pc)
        self.guard("arr_set1" if t.startswith("arr:") else "lst_set", (container, index, value), pc)

    def rec_GETITEM2(self, pc, R, info, a, obj, i, j):
        container = self.read(obj, R)
        t = self.type_of(container)
        ri, rj = self.rk(i, R), self.rk(j, R)
        if not t.endswith(":2") or self.type_of(ri) != "i64" or self.type_of(rj) != "i64":
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"2-D indexing of {t}")
        self.write(a, self.guard("arr_get2", (container, ri, rj), pc))

    def rec_SETITEM2(self, pc, R, info, obj, i, j, val):
        container = self.read(obj, R)
        t = self.type_of(container)
        ri, rj = self.rk(i, R), self.rk(j, R)
        if not t.endswith(":2") or self.type_of(ri) != "i64" or self.type_of(rj) != "i64":
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"2-D item assignment on {t}")
        value = self.store_value(t, self.rk(val, R), self.value(val, R), pc)
        self.guard("arr_set2", (container, ri, rj, value), pc)

    def rec_GETATTR(self, pc, R, info, a, obj, k):
        name = self.consts[k]
        target = self.value(obj, R)
        ref = self.read(obj, R)
        if type(target) is GuestModule and self.trace.ins[ref].op == "const":
            self.write(a, self.const(target.attrs[name]))
        elif name == "shape" and self.type_of(ref).startswith("arr:"):
            self.write(a, self.trace.emit("arr_shape", (ref,)))
        else:
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"attribute .{name}")

    def rec_BUILDTUPLE(self, pc, R, info, a, base, count):
        self.write(a, self.trace.emit("tuple", [self.read(base + i, R) for i in range(count)]))

    def rec_UNPACK(self, pc, R, info, base, count, x):
        ref = self.read(x, R)
        if self.type_of(ref) == "tuple":
            items = self.trace.ins[ref].args
            if len(items) != count:
                raise TraceAborted(TraceAbort.EXCEPTION, "tuple unpacked into the wrong number of names")
            for i, item in enumerate(items):
                self.write(base + i, item)
            return
        if self.type_of(ref) != "shape":
            raise TraceAborted(TraceAbort.UNSUPPORTED_TYPE, f"unpacking {self.type_of(ref)}")
        array = self.trace.ins[ref].args[0]
        if count != int(self.type_of(array).split(":")[2]):
            raise TraceAborted(TraceAbort.EXCEPTION, "shape unpacked into the wrong number of names")
        for axis in range(count):
            self.write(base + axis, self.trace.emit("arr_dim", (array,), (axis,)))

    def rec_CALL(self, pc, R, info, a, fn, base, count):
        callee = R[fn]
        args = [self.read(base + i, R) for i in range(count)]
        callee_ref = self.read(fn, R)
        if self.trace.ins[callee_ref].op != "const" and not (
                self.trace.ins[callee_ref].op == "param" and self.type_of(callee_ref) == "obj"):
            raise TraceAborted(TraceAbort.UNSUPPORTED_OP, "call of a computed function")
        if type(callee) is Function:
            self.inline_call(callee, args, a, pc)
            return
        self.write(a, self.call_builtin(callee, args, [R[base + i] for i in range(count)], pc))

    def inline_call(self, callee, args, ret_dst, pc):
        """The interpreter is about to push ``callee``'s frame: record its body inline."""
        code = callee.code
        if any(f.code is code for f in self.frames):
            raise TraceAborted(TraceAbort.RECURSION, f"{code.name}() calls itself")
        if len(self.frames) > MAX_INLINE_DEPTH:
            raise TraceAborted(TraceAbort.TOO_DEEP, f"more than {MAX_INLINE_DEPTH} inlined calls")
        nparams, nargs = code.nparams, len(args)
        if not nparams - len(callee.defaults) <= nargs <= nparams:
            raise TraceAborted(TraceAbort.EXCEPTION, f"{code.name}() called with {nargs} arguments")
        params = list(args) + [self.const(d) for d in callee.defaults[nargs - nparams:]] \
            if nargs < nparams else list(args)
        decoded = self.machine.decoded_for(callee)
        self.pending_call = (decoded, ret_dst, pc, params)

    def enter_inlined_call(self, frame):
        decoded, ret_dst, call_pc, params = self.pending_call
        self.pending_call = None
        if frame.parent is not self.top.frame or frame.decoded is not decoded:
            raise TraceAborted(TraceAbort.LEFT_LOOP, "the call did not push the expected frame")
        inline = InlineFrame(decoded, frame, ret_dst, call_pc)
        for reg, ref in enumerate(params):
            inline.slots[reg] = ref
            inline.written.append(reg)
        if decoded not in self.inlined_codes:
            self.inlined_codes.append(decoded)
        self.frames.append(inline)
        self.max_inline_depth = max(self.max_inline_depth, len(self.frames) - 1)

    def root_return(self, pc):
        """The root frame returns (``tracejit.functrace``: a function trace ends here)."""
        raise TraceAborted(TraceAbort.LEFT_LOOP, "return inside the loop")

    def call_builtin(self, callee, args, values, pc):
        name = getattr(callee, "__name__", "")
        if callee is MATH_CALLABLES.get(name) and MATH_FUNCTIONS.get(name) == len(args):
            floats = tuple(self.as_float(arg, pc) for arg in args)
            op = "call_math1" if len(args) == 1 else "call_math"
            return self.guard(op, floats, pc, aux=(name,))
        builtins = self.machine.builtins
        if callee is builtins["len"] and len(args) == 1:
            t = self.type_of(args[0])
            if t.startswith("arr:"):
                return self.trace.emit("arr_dim", (args[0],), (0,))
            if t.startswith("lst:"):
                return self.trace.emit("lst_len", (args[0],))
            if t.startswith("lol:"):
                return self.trace.emit("lol_len", (args[0],))
        elif callee is builtins["abs"] and len(args) == 1:
            t = self.type_of(args[0])
            if t in ("i64", "ni64"):
                return self.guard("int_abs", (args[0],), pc)
            if t in ("f64", "nf64"):
                return self.trace.emit("float_abs", (args[0],))
        elif callee is builtins["float"] and len(args) == 1 and self.type_of(args[0]) in ("i64", "f64", "bool"):
            return self.as_float(args[0], pc)
        elif callee is builtins["int"] and len(args) == 1:
            t = self.type_of(args[0])
            if t == "i64":
                return args[0]
            if t == "bool":
                return self.as_int(args[0])
            if t in ("f64", "nf64"):
                return self.guard("float_to_int", (args[0],), pc)
        elif callee in (builtins["min"], builtins["max"]) and len(args) == 2:
            types = {self.type_of(arg) for arg in args}
            kind = "min" if callee is builtins["min"] else "max"
            if types == {"i64"}:
                return self.trace.emit(f"int_{kind}", tuple(args))
            if types in ({"f64"}, {"nf64"}):
                return self.trace.emit(f"float_{kind}", tuple(args))
        raise TraceAborted(TraceAbort.UNSUPPORTED_OP, f"call of {name or callee!r}")

    def rec_RETURN(self, pc, R, info, x):
        if len(self.frames) == 1:
            return self.root_return(pc)
        value = self.rk(x, R)
        callee = self.frames.pop()
        self.called = {key for key in self.called if key[0] != id(callee.frame)}   # frames are pooled
        self.write(callee.ret_dst, value)


def live_slots(frame, registers, pc, returned=None) -> dict:
    """``frame``'s slots for those of ``registers`` the interpreter may read when it
    resumes ``frame`` at ``pc`` (``interp.liveness``): an exit restores only these, a
    loop carries only these. Pseudo-registers go with their register: an iterator's
    position with the iterator; a global, and an appended list's length (the list may
    be shared), always, with the list's register. ``returned``: the register a returning
    call writes before ``pc`` runs (its old value is dead)."""
    live = live_in(frame.code)[pc] - {returned}
    return {reg: frame.slots[reg] for reg in registers if keeps_register(reg, live, frame.slots)}


def keeps_register(reg, live, held) -> bool:
    """Whether (pseudo-)register ``reg`` matters where registers ``live`` are live
    (``held``: the registers at hand, for a list whose length goes with it)."""
    if reg < POSITION_BASE:
        return reg in live or length_register(reg) in held
    if reg < GLOBAL_BASE:
        return position_of(reg) in live
    return True


class SnapshotLiveness:
    """``Trace.keeps`` for a tree recorded in code ``code``: whether an exit at a snapshot
    restores root register ``reg``, live where the root frame resumes (the guard's pc,
    or after the call into the first inlined frame)."""

    def __init__(self, code):
        self.live = live_in(code)

    def __call__(self, snap, reg, held) -> bool:
        if not snap.frames:
            return keeps_register(reg, self.live[snap.pc], held)
        return reg != snap.frames[0].ret_dst and keeps_register(reg, self.live[snap.frames[0].call_pc + 1], held)


def loop_end(code, loop_pc) -> int:
    """The last pc of the body of the loop whose header is at ``loop_pc``: its last back
    edge (a jump to the header). The body is ``loop_pc .. loop_end``."""
    return max(pc for pc, instr in enumerate(code.instrs) if loop_pc in jump_targets(instr))


def _op_flags(name):
    return OPS[name].flags


_INT_OPS = {"+": "int_add", "-": "int_sub", "*": "int_mul", "//": "int_floordiv", "%": "int_mod",
            "&": "int_and", "|": "int_or", "^": "int_xor", "<<": "int_lshift", ">>": "int_rshift"}
_FLOAT_OPS = {"+": "float_add", "-": "float_sub", "*": "float_mul", "/": "float_truediv",
              "//": "float_floordiv", "%": "float_mod", "**": "float_pow"}
_CMP_NAMES = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}


def _handler_for(info):
    family_handlers = {"binop": Recorder.rec_binop, "inplace": Recorder.rec_binop,
                       "unop": Recorder.rec_unop, "compare": Recorder.rec_compare,
                       "cmpjump": Recorder.rec_cmpjump, "ncmpjump": Recorder.rec_cmpjump}
    if info.family is not None:
        return family_handlers[info.family]
    return getattr(Recorder, f"rec_{info.name}", None)


RECORD_HANDLERS = tuple(_handler_for(info) for info in OPCODES)


class SideRecorder(Recorder):
    """Records a side trace: the path from a guard's exit back to the loop header,
    appended to the tree's trace (``rollback`` removes it if recording aborts).

    It starts from the exit's snapshot: registers the iteration wrote before the guard
    hold their refs; live-in registers their params. A register the tree carries from
    the previous iteration but that is not live-in cannot be read (its value is not
    known on every path), which aborts the side trace."""

    kind = "side"

    def __init__(self, jit, machine, installed, exit_number, frame):
        super().__init__(jit, machine, installed.decoded, installed.trace_loop, frame)
        tree = installed.trace
        self.trace = tree
        self.installed = installed
        self.exit_number = exit_number
        snapshot = tree.snapshots[exit_number]
        self.guard_ref = installed.guard_of_snapshot[exit_number]
        self.start = len(tree.ins)
        self.snapshots_start = len(tree.snapshots)
        self.params_start = len(tree.params)
        self.param_regs.update(installed.param_regs)
        self.param_values.update(installed.param_values)
        self.globals_read.update(installed.globals_read_map)
        self.inlined_codes = list(installed.inlined_codes)
        self.max_inline_depth = installed.max_inline_depth
        self.tree_carried = set(tree.carried_registers())
        self.derived_rows = dict(installed.derived_rows)
        for var, (_it, ref) in self.derived_rows.items():   # computed at the top of the root path
            self.root.slots[var] = ref
        self.nested_start = len(tree.nested)
        self.nested_installed = list(installed.nested)
        for entry in snapshot.entries:
            if entry.source == "ref":
                self.root.slots[entry.reg] = entry.ref
                self.root.written.append(entry.reg)
        self.recorded = snapshot.ninstructions
        self.emitter = tree.emitter = jit.optimizer.emitter(tree, self.guard_ref)
        guard = tree.ins[self.guard_ref]
        if guard.op == "guard_loop_exit":   # the path starts where the inner loop left
            slot, inner = installed.exits[exit_number].nested
            exits = inner.alike_exits(int(installed.xi[slot]))
            try:
                self.guard("guard_loop_exit", guard.args, snapshot.pc, aux=(exits,))
                self.loop_results(guard.args[0], inner, exits, frame.regs, snapshot.pc)
            except TraceAborted:
                self.rollback()
                raise
            self.recorded += 1      # the inner loop's header ran (as rec_LOOP records it)
            self.recorded_opcodes.append(Op.LOOP)

    def read(self, reg, R):
        if self.frame_of(reg) is self.root and reg not in self.root.slots:
            param = self.param_regs.get(reg)
            if param is not None:
                self.root.slots[reg] = param
                return param
            if reg in self.tree_carried or reg in self.trace.uncarried:
                raise TraceAborted(TraceAbort.UNSUPPORTED_OP,
                                   f"r{reg} is carried from the previous iteration on another path")
        return super().read(reg, R)

    def finish(self, unit):
        self.detach()
        return self.jit.finish_side_trace(self)

    def aborted(self, reason, detail):
        self.detach()
        self.jit.side_trace_aborted(self, reason, detail)

    def rollback(self):
        self.detach()
        tree = self.trace
        del tree.ins[self.start:]
        del tree.snapshots[self.snapshots_start:]
        del tree.params[self.params_start:]
        del tree.nested[self.nested_start:]
