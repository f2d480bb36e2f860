"""Trace IR: SSA instructions, the op table, snapshots, text form and verifier.

A ``Trace`` is the record of one loop iteration: ``ins[i]`` defines ref ``i`` (SSA;
every operand ref is smaller than the ref it defines). ``param`` ops are the loop's
live-in registers, read at the loop header; ``loop_carried`` maps each register the
body writes to the ref holding its value at the end of the iteration (the back edge).

The op table ``OPS`` is the single source of truth for each op: operand kinds
(``ref`` operands are IR refs, ``aux`` operands are literal data), result type and
effect flags (``pure``, ``guard``, ``load``, ``store``, ``call``). Every ``guard`` op
has a snapshot; a snapshot's refs all precede its guard.

Value types: ``i64`` (a Python int held as int64), ``f64`` (Python float), ``bool``,
``nf64`` (numpy.float64 scalar), ``ni64`` (numpy.int64), ``nbool`` (numpy.bool_),
``arr:<dtype>:<ndim>`` (a numpy array), ``lst:i64`` / ``lst:f64`` (a strategy list's
unboxed storage), ``it:i64`` / ``it:f64`` (an iterator over such a list: its list's
storage; its position is the register ``POSITION_BASE + reg``), ``lol:<elem>`` (a list
of lists: an OBJECT-strategy list whose items are all lists of the unboxed strategy
``lst:<elem>``; the trace reads its rows but never changes the outer list),
``itl:<elem>`` (an iterator over such a list), ``shape`` (an array's
shape tuple), ``tuple`` (a tuple built in the trace), ``method`` (a bound method of a
list, ``lst.append``), ``obj`` (any other value: only moved, compared by identity at
entry), ``void``. Tuples, iterators made by ``iter_new`` and methods are virtual: they
have no code, are materialized only at exits, and are never carried round the loop.
A row of a list of lists (``lol_get``, or ``iter_get`` of an ``itl:``) is a ``lst:<elem>``
value restored at exits as the outer list's item at its index.

An optimized copy may hold *entry guards* (``EntryGuard``: ``a <= b + c`` over params,
an array param's dimensions and zero), checked once before the first iteration; one
failing leaves through the entry exit, numbered ``len(snapshots)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

POSITION_BASE = 1 << 20    # register POSITION_BASE + r: the position of the list iterator in r
GLOBAL_BASE = 1 << 21      # GLOBAL_BASE + k: a module global (tracejit/registers.py)
LENGTH_BASE = 1 << 22      # LENGTH_BASE + r: the length of the list in r, once the trace appends to it
SIDE_GUARDS = ("guard_true", "guard_false", "guard_loop_exit")   # guards side traces grow from
SCALAR_TYPES = ("i64", "f64", "bool", "nf64", "ni64", "nbool")
ROW_OPS = ("lol_get", "lol_get_inbounds", "iter_get")   # with a lst: result, a row of a list of lists
INT_BUFFER_TYPES = ("i64", "bool", "ni64", "nbool")      # exit buffer: int64 slots
FLOAT_BUFFER_TYPES = ("f64", "nf64")                    # exit buffer: float64 slots


class OpDef(NamedTuple):
    name: str
    operands: tuple     # 'ref' or 'aux' per operand, in order; 'refs': any number of refs (last)
    result: str         # a type, or a rule: 'aux0' (type in the first aux), 'arg0', 'elem',
    #                     'float'/'int'/'cmp' (the numpy scalar type if an operand is one)
    flags: frozenset
    doc: str


def _op(name, operands, result, flags, doc):
    return OpDef(name, tuple(operands.split()) if operands else (), result,
                 frozenset(flags.split()), doc)


_INT_BINARY = [
    ("int_add", "guard", "a + b, exit on int64 overflow"),
    ("int_sub", "guard", "a - b, exit on int64 overflow"),
    ("int_mul", "guard", "a * b, exit on int64 overflow"),
    ("int_floordiv", "guard", "a // b, exit when b == 0 or on overflow"),
    ("int_mod", "guard", "a % b, exit when b == 0"),
    ("int_and", "pure", "a & b"), ("int_or", "pure", "a | b"), ("int_xor", "pure", "a ^ b"),
    ("int_lshift", "guard", "a << b, exit when b < 0 or on overflow"),
    ("int_rshift", "guard", "a >> b, exit when b < 0"),
    ("int_min", "pure", "b if b < a else a"), ("int_max", "pure", "b if b > a else a"),
]
_FLOAT_BINARY = [
    ("float_add", "pure", "a + b"), ("float_sub", "pure", "a - b"), ("float_mul", "pure", "a * b"),
    ("float_truediv", "guard", "a / b, exit when b == 0"),
    ("float_floordiv", "guard", "a // b, exit when b == 0"),
    ("float_mod", "guard", "a % b, exit when b == 0"),
    ("float_pow", "guard", "a ** b, exit unless a > 0 and the result is finite"),
    ("float_min", "pure", "b if b < a else a"), ("float_max", "pure", "b if b > a else a"),
]
COMPARISONS = ("lt", "le", "gt", "ge", "eq", "ne")
# guarded ops whose only exits depend on b: each has a pure variant ``<op>_k`` for a
# constant b outside those exits (result kind of the op)
SAFE_CONSTANT_OPS = {"int_floordiv": "int", "int_mod": "int", "int_rshift": "int",
                     "float_truediv": "float", "float_floordiv": "float", "float_mod": "float"}


def _build_ops():
    ops = [
        _op("param", "aux aux", "aux0", "pure", "live-in register aux1 of the loop header, of type aux0"),
        _op("const", "aux aux", "aux0", "pure", "the constant aux1 of type aux0"),
        _op("nop", "", "void", "pure",
            "an instruction an optimizer pass removed (optimized copies keep every ref where "
            "the recorded trace has it: tracejit/opt)"),
    ]
    for name, flags, doc in _INT_BINARY:
        ops.append(_op(name, "ref ref", "int", flags, doc))
    ops += [
        _op("int_add_nov", "ref ref", "int", "pure",
            "int_add whose operands' ranges exclude overflow (tracejit/opt/ranges.py)"),
        _op("int_sub_nov", "ref ref", "int", "pure", "int_sub likewise"),
        _op("int_mul_nov", "ref ref", "int", "pure", "int_mul likewise"),
        _op("int_lshift_nov", "ref ref", "int", "pure", "int_lshift likewise (and 0 <= b <= 63)"),
        _op("int_truediv", "ref ref", "float", "guard", "a / b, exit when b == 0 or |a|, |b| > 2**53"),
        _op("int_neg", "ref", "int", "guard", "-a, exit on overflow"),
        _op("int_invert", "ref", "int", "pure", "~a"),
        _op("int_abs", "ref", "int", "guard", "abs(a), exit on overflow"),
        _op("bool_to_int", "ref", "i64", "pure", "int(a) of a bool"),
        _op("int_to_float", "ref", "float", "pure", "float(a) (numpy.float64 for a numpy.int64)"),
        _op("int_to_float_exact", "ref", "float", "guard", "float(a), exit unless |a| <= 2**53"),
        _op("float_to_int", "ref", "i64", "guard", "int(a) (truncation), exit unless finite and in int64"),
        _op("float_neg", "ref", "arg0", "pure", "-a"),
        _op("float_abs", "ref", "arg0", "pure", "abs(a)"),
        _op("not", "ref", "bool", "pure", "not a (a bool)"),
        _op("int_truth", "ref", "bool", "pure", "a != 0"),
        _op("float_truth", "ref", "bool", "pure", "a != 0.0"),
    ]
    for name, flags, doc in _FLOAT_BINARY:
        ops.append(_op(name, "ref ref", "float", flags, doc))
    for name, result in SAFE_CONSTANT_OPS.items():
        ops.append(_op(f"{name}_k", "ref ref", result, "pure",
                       f"{name} whose b is a constant that cannot make it exit (tracejit/opt/fold.py)"))
    for cmp in COMPARISONS:
        ops.append(_op(f"int_{cmp}", "ref ref", "cmp", "pure", f"int comparison {cmp}"))
        ops.append(_op(f"float_{cmp}", "ref ref", "cmp", "pure", f"float comparison {cmp}"))
    ops += [
        _op("bool_eq", "ref ref", "bool", "pure", "a == b of bools"),
        _op("bool_ne", "ref ref", "bool", "pure", "a != b of bools"),
        _op("select", "ref ref ref", "arg0", "pure",
            "a if c else b (a, b of one numeric type; c a bool): the register written by a "
            "branch over one instruction, recorded whichever way it goes (recorder.convert_branch)"),
        _op("count_if", "ref aux aux", "void", "store",
            "count the passes where bool a holds: the converted branch's instruction (opcode "
            "aux0, at pc aux1 of the root code) ran (tracejit/trace_opcodes.py)"),
        _op("guard_true", "ref", "void", "guard", "exit unless a"),
        _op("guard_false", "ref", "void", "guard", "exit if a"),
        _op("ret", "", "void", "guard",
            "the end of a function trace, at its function's RETURN: always exits (its snapshot holds "
            "the returned register; the interpreter runs the RETURN)"),
        _op("arr_dim", "ref aux", "i64", "load", "a.shape[aux0]"),
        _op("arr_shape", "ref", "shape", "pure", "a.shape, only indexed by constants or unpacked"),
        _op("arr_get1", "ref ref", "elem", "load guard", "a[i] (negative i from the end), exit when out of bounds"),
        _op("arr_get2", "ref ref ref", "elem", "load guard", "a[i, j], exit when out of bounds"),
        _op("arr_set1", "ref ref ref", "void", "store guard", "a[i] = v, exit when out of bounds"),
        _op("arr_set2", "ref ref ref ref", "void", "store guard", "a[i, j] = v, exit when out of bounds"),
        _op("arr_get1_inbounds", "ref ref", "elem", "load",
            "arr_get1 whose index a dominating access of the same array checked (tracejit/opt/guards.py)"),
        _op("arr_get2_inbounds", "ref ref ref", "elem", "load", "arr_get2 likewise"),
        _op("arr_set1_inbounds", "ref ref ref", "void", "store", "arr_set1 likewise"),
        _op("arr_set2_inbounds", "ref ref ref ref", "void", "store", "arr_set2 likewise"),
        _op("lst_len", "ref", "i64", "load", "len(list)"),
        _op("lol_get", "ref ref", "elem", "load guard",
            "row i of a list of lists (negative i from the end), exit when out of bounds"),
        _op("lol_get_inbounds", "ref ref", "elem", "load",
            "lol_get whose index is known to be in bounds (tracejit/opt/guards.py, or an inner "
            "loop's exit)"),
        _op("lol_len", "ref", "i64", "load", "len(list of lists)"),
        _op("iter_len", "ref", "i64", "load", "the length of a list iterator's list"),
        _op("iter_get", "ref ref", "elem", "load",
            "the element at position b (0 <= b < iter_len, guarded before) of iterator a's list"),
        _op("lst_get", "ref ref", "elem", "load guard", "list[i] (negative i from the end), exit when out of bounds"),
        _op("lst_get_inbounds", "ref ref", "elem", "load",
            "lst_get whose index a dominating access of the same list checked (tracejit/opt/guards.py)"),
        _op("lst_set", "ref ref ref", "void", "store guard",
            "list[i] = v, exit when out of bounds or v is a nan (the list must switch strategy)"),
        _op("lst_set_inbounds", "ref ref ref", "void", "store",
            "lst_set of a value that cannot be a nan (not a float) at an index known in bounds "
            "(tracejit/opt/guards.py, ranges.py)"),
        _op("lst_append", "ref ref", "i64", "store guard",
            "list.append(v), the new length; exit when the storage is full (the interpreter "
            "grows it) or v is a nan"),
        _op("iter_new", "ref aux", "aux0", "pure",
            "iter(list) of type aux0 (it:<elem>, itl:<elem> for a list of lists): no code, its position register starts at 0; "
            "restored at exits as a new iterator"),
        _op("method", "ref aux", "method", "pure",
            "the bound method a.<aux0>: no code; called by the next call or restored at exits"),
        _op("call_math", "aux ref ref", "f64", "call guard",
            "math.<aux0>(args), exit when a finite input gives a non-finite or nan result"),
        _op("call_math1", "aux ref", "f64", "call guard",
            "math.<aux0>(a), exit when a finite input gives a non-finite or nan result"),
        _op("tuple", "refs", "tuple", "pure",
            "the tuple (a, b, ...): no code; only unpacked or restored at exits"),
        _op("call_loop", "aux refs", "i64", "call",
            "run the compiled inner loop trace.nested[aux0] on the args (its live-ins, in its "
            "argument order) until it exits; the result is its exit number"),
        _op("guard_loop_exit", "ref aux", "void", "guard",
            "exit unless the inner loop call a left through one of the exits aux0 (a tuple of "
            "exits that resume at the same instruction with the same registers; the exit "
            "restores this snapshot, then the inner loop's exit)"),
        _op("guard_loop_wrote", "ref aux", "void", "guard",
            "after a guard_loop_exit on inner loop call a: exit unless the call wrote the registers "
            "whose written-flag int slots are aux0 (the exit restores as guard_loop_exit's does)"),
        _op("loop_out", "ref aux aux", "aux0", "load",
            "after inner loop call a: the value of type aux0 its exit left in buffer slot "
            "aux1[i] (i: the exit's place in the guard's tuple)"),
        _op("loop_outf", "ref ref aux aux aux", "aux0", "load",
            "as loop_out, but b (the value before the loop) when int slot aux2[i] says no "
            "iteration of the inner loop wrote the register (-1: always written)"),
    ]
    # each bounds-checked access has a variant for an index proved in 0..len-1
    ops += [OpDef(f"{op.name}_inrange", op.operands, op.result, op.flags - {"guard"},
                  f"{op.name} whose index ranges proved in 0..len-1: no check, no negative-index "
                  "normalization (tracejit/opt/ranges.py; a lst_set only of a value that cannot be a nan)")
            for op in ops if op.name in ("arr_get1", "arr_get2", "arr_set1", "arr_set2", "lst_get", "lst_set")]
    return {op.name: op for op in ops}


OPS: dict = _build_ops()


@dataclass
class Ins:
    op: str
    args: tuple
    aux: tuple
    type: str
    snap: int | None = None

    @property
    def opdef(self) -> OpDef:
        return OPS[self.op]

    @property
    def is_guard(self) -> bool:
        return "guard" in OPS[self.op].flags


@dataclass
class SnapEntry:
    """How one register of the root frame is restored at an exit.

    ``source`` is ``'ref'`` (the value of IR ref ``ref``), ``'carried'`` (the value the
    register had at the end of the previous iteration, ``ref`` being that value's ref;
    nothing to restore on the first iteration)."""

    reg: int
    source: str
    ref: int


@dataclass
class SnapFrame:
    """A frame of an inlined call live at a guard: code ``code`` (an index into the
    trace's inlined code list), called from ``call_pc`` of its caller, returning into
    the caller's register ``ret_dst``; ``entries`` are its assigned registers."""

    code: int
    call_pc: int
    ret_dst: int
    entries: list


@dataclass
class Snapshot:
    pc: int                     # the guarded instruction (in the innermost frame): re-executed
    entries: list               # root frame: SnapEntry per register written by the trace
    ninstructions: int          # bytecode instructions of this iteration run before pc
    frames: list = field(default_factory=list)   # SnapFrame, outermost inlined call first


class EntryGuard(NamedTuple):
    """``a <= b + c``, checked once before the first iteration (an optimizer pass's
    assumption about the loop header, ``tracejit/opt/ranges.py``). ``a`` and ``b`` are
    terms: None (zero), ``('ref', r)`` (int param ``r``) or ``('dim', r, k)`` (axis ``k``
    of array param ``r``, the length of list param ``r`` for k == 0)."""

    a: tuple | None
    b: tuple | None
    c: int


@dataclass
class SideTrace:
    """A path recorded from a guard's exit back to the loop header. Its instructions are
    ``ins[start:end]`` of the tree's trace; it runs where guard ``guard`` fails.
    ``loop_carried`` maps the registers this path wrote in the iteration to their refs
    at its back edge; ``body_instructions`` counts the bytecode instructions of a whole
    iteration along this path."""

    guard: int
    start: int
    end: int
    loop_carried: dict
    body_instructions: int


@dataclass
class Trace:
    """One recorded loop iteration (the root path) and the side traces grown on it: a
    trace tree. ``ins[:main_end]`` is the root path; side traces follow."""

    name: str
    loop_pc: int
    ins: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    loop_carried: dict = field(default_factory=dict)   # reg -> ref at the end of the root path
    params: list = field(default_factory=list)         # refs of the param ops, in order
    body_instructions: int = 0                         # bytecode instructions per root iteration
    sides: list = field(default_factory=list)          # SideTrace, in the order recorded
    main_end: int = 0
    nested: list = field(default_factory=list)         # compiled inner loops called (call_loop aux0)
    uncarried: set = field(default_factory=set)        # temporaries left holding a tuple: never loop variables
    # (snapshot, root register, registers at hand) -> whether an exit there restores it (the
    # recorder's liveness; None: every register); not part of the text form
    keeps: object = field(default=None, repr=False, compare=False)
    # an optimized copy's checks before the first iteration (a failed one leaves through
    # the entry exit, numbered len(snapshots): the interpreter runs the iteration)
    entry_guards: list = field(default_factory=list)
    # an optimized copy: [{live-in register: value}], the values when the tree was recorded,
    # then where earlier traces' entry guards failed (what passes may speculate on: what
    # holds of all of them; not part of the text form)
    recorded_values: list = field(default_factory=list, repr=False, compare=False)
    # while a recorder writes the trace: the optimizer's on-emit passes (tracejit.opt.Emitter)
    emitter: object = field(default=None, repr=False, compare=False)

    def carried_registers(self) -> dict:
        """reg -> type of every register some path of the tree writes (its loop variable)."""
        result = {reg: self.type_of(ref) for reg, ref in self.loop_carried.items()}
        for side in self.sides:
            for reg, ref in side.loop_carried.items():
                result.setdefault(reg, self.type_of(ref))
        return result

    def live_in_registers(self) -> set:
        return {self.ins[ref].aux[1] for ref in self.params}

    def carried_entries(self, held=()) -> list:
        """'carried' snapshot entries for every tree register not in ``held``: the
        register keeps the value of its loop variable (the ref names its type)."""
        final = dict(self.loop_carried)
        for side in self.sides:
            for reg, ref in side.loop_carried.items():
                final.setdefault(reg, ref)
        return [SnapEntry(reg, "carried", ref) for reg, ref in final.items() if reg not in held]

    def complete_snapshots(self) -> None:
        """Give every snapshot a 'carried' entry for each tree register it does not hold."""
        for snap in self.snapshots:
            refs = [e for e in snap.entries if e.source == "ref"]
            carried = self.carried_entries({e.reg for e in refs})
            if self.keeps is not None:
                held = {e.reg for e in refs + carried}
                carried = [e for e in carried if self.keeps(snap, e.reg, held)]
            snap.entries = refs + carried

    def emit(self, op: str, args=(), aux=(), type_: str | None = None, snap=None) -> int | None:
        """Add an instruction through the on-emit passes (fold, cse) if an ``emitter`` is
        attached: the result may then be an earlier ref, or None for a guard known to hold."""
        if self.emitter is not None:
            return self.emitter.emit(op, tuple(args), tuple(aux), type_, snap)
        return self.append(op, args, aux, type_, snap)

    def append(self, op: str, args=(), aux=(), type_: str | None = None, snap=None) -> int:
        """Add an instruction as it is; its ref."""
        ref = len(self.ins)
        self.ins.append(Ins(op, tuple(args), tuple(aux), type_ or result_type(self, op, args, aux), snap))
        return ref

    def type_of(self, ref: int) -> str:
        return self.ins[ref].type

    def guards(self):
        return [i for i, ins in enumerate(self.ins) if ins.is_guard]

    def op_count(self) -> int:
        """Instructions, not counting the ``nop`` left where a pass removed one."""
        return sum(1 for ins in self.ins if ins.op != "nop")


def element_type(container_type: str) -> str:
    """Type of an element read from an array or list type."""
    if container_type.startswith("arr:"):
        dtype = container_type.split(":")[1]
        return {"i64": "ni64", "f64": "nf64", "bool": "nbool"}[dtype]
    if container_type.startswith(("lst:", "it:")):
        return container_type.split(":")[1]
    if container_type.startswith(("lol:", "itl:")):   # a row
        return "lst:" + container_type.split(":")[1]
    raise ValueError(f"not a container type: {container_type}")


def result_type(trace: Trace, op: str, args, aux) -> str:
    rule = OPS[op].result
    if rule == "aux0":
        return aux[0]
    if rule == "arg0":
        return trace.type_of(args[0])
    if rule == "float":
        return "nf64" if any(trace.type_of(a) in ("nf64", "ni64") for a in args) else "f64"
    if rule == "int":
        return "ni64" if any(trace.type_of(a) == "ni64" for a in args) else "i64"
    if rule == "cmp":   # numpy scalars compare to numpy.bool_
        return "nbool" if any(trace.type_of(a) in ("nf64", "ni64") for a in args) else "bool"
    if rule == "elem":
        return element_type(trace.type_of(args[0]))
    return rule


# ----- text form ---------------------------------------------------------------------------
def format_trace(trace: Trace) -> str:
    """The trace as text: one line per instruction (``>`` marks guards), SNAP lines,
    the LOOP marker and the back edge. ``parse_trace`` reads it back."""
    lines = [f"TRACE {trace.name} loop_pc={trace.loop_pc} body={trace.body_instructions} "
             f"main_end={trace.main_end}"]
    for ref, ins in enumerate(trace.ins):
        marker = ">" if ins.is_guard else " "
        parts = [f"{ref:04d}", marker, f"{ins.type:<10}", ins.op]
        kinds = iter(OPS[ins.op].operands)
        args, aux = iter(ins.args), iter(ins.aux)
        for kind in kinds:
            if kind == "refs":
                parts += [f"{arg:04d}" for arg in args]
            else:
                parts.append(f"{next(args):04d}" if kind == "ref" else format_aux(next(aux)))
        if ins.snap is not None:
            parts.append(f"#{ins.snap}")
        lines.append(" ".join(parts))
    for number, snap in enumerate(trace.snapshots):
        frames = "".join(f" {{f{f.code}@{f.call_pc}->r{f.ret_dst} {_entries(f.entries)}}}"
                         for f in snap.frames)
        lines.append(f"SNAP #{number} pc={snap.pc} n={snap.ninstructions} [{_entries(snap.entries)}]{frames}")
    for site, inner in enumerate(trace.nested):
        lines.append(f"NEST #{site} {inner.text if isinstance(inner, Opaque) else inner.label}")
    for guard in trace.entry_guards:
        lines.append(f"ENTRY {format_term(guard.a)} <= {format_term(guard.b)} + {guard.c}")
    for side in trace.sides:
        carried = " ".join(f"r{reg}={ref:04d}" for reg, ref in sorted(side.loop_carried.items()))
        lines.append(f"SIDE guard={side.guard:04d} start={side.start} end={side.end} "
                     f"body={side.body_instructions} [{carried}]")
    carried = " ".join(f"r{reg}={ref:04d}" for reg, ref in sorted(trace.loop_carried.items()))
    lines.append(f"LOOP [{carried}]")
    return "\n".join(lines) + "\n"


def format_term(term) -> str:
    if term is None:
        return "0"
    if term[0] == "ref":
        return f"{term[1]:04d}"
    return f"dim({term[1]:04d},{term[2]})"


def parse_term(token: str):
    if token == "0":
        return None
    if token.startswith("dim("):
        ref, axis = token[4:-1].split(",")
        return ("dim", int(ref), int(axis))
    return ("ref", int(token))


class Opaque:
    """A constant the text form cannot spell (a function, a module...): parsed back as
    this placeholder, which prints as the same text."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return self.text

    def __eq__(self, other):
        return isinstance(other, Opaque) and other.text == self.text

    def __hash__(self):
        return hash(self.text)


_SPECIAL_FLOATS = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


def format_aux(value) -> str:
    """One aux operand as a token: a Python literal, nan/inf, or ``<...>`` (opaque)."""
    import math
    if type(value) is float and not math.isfinite(value):
        return repr(value)
    if value is None or type(value) in (int, float, str, bool):
        return repr(value)
    if isinstance(value, Opaque):
        return value.text
    if type(value) is tuple and all(type(item) is int for item in value):
        return "(" + ",".join(map(str, value)) + ",)"      # one token: no spaces
    return "<" + "_".join(repr(value).strip("<>").split()) + ">"


def parse_aux(token: str):
    import ast
    if token in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[token]
    if token.startswith("<"):
        return Opaque(token)
    return ast.literal_eval(token)


def _entries(entries) -> str:
    return " ".join(f"r{e.reg}={'~' if e.source == 'carried' else ''}{e.ref:04d}" for e in entries)


def _parse_entries(text: str) -> list:
    entries = []
    for item in text.split():
        reg, value = item.split("=")
        carried = value.startswith("~")
        entries.append(SnapEntry(int(reg[1:]), "carried" if carried else "ref", int(value.lstrip("~"))))
    return entries


def parse_trace(text: str) -> Trace:
    """Inverse of ``format_trace``."""
    import ast
    lines = [line for line in text.splitlines() if line.strip()]
    head = lines[0].split()
    if head[0] != "TRACE":
        raise ValueError("trace text must start with TRACE")
    fields = dict(part.split("=", 1) for part in head[2:])
    trace = Trace(head[1], int(fields["loop_pc"]))
    trace.body_instructions = int(fields["body"])
    trace.main_end = int(fields["main_end"])
    for line in lines[1:]:
        if line.startswith("SNAP"):
            head, _, rest = line.partition("[")
            body, _, frames_text = rest.partition("]")
            words = head.split()
            info = dict(w.split("=") for w in words[2:])
            frames = []
            for chunk in frames_text.split("{")[1:]:
                header, _, entries_text = chunk.rstrip().rstrip("}").partition(" ")
                code, _, where = header[1:].partition("@")
                call_pc, _, ret = where.partition("->r")
                frames.append(SnapFrame(int(code), int(call_pc), int(ret), _parse_entries(entries_text)))
            trace.snapshots.append(Snapshot(int(info["pc"]), _parse_entries(body), int(info["n"]), frames))
        elif line.startswith("ENTRY"):
            _entry, a, _le, b, _plus, c = line.split()
            trace.entry_guards.append(EntryGuard(parse_term(a), parse_term(b), int(c)))
        elif line.startswith("NEST"):
            trace.nested.append(Opaque(line.split(None, 2)[2]))
        elif line.startswith(("LOOP", "SIDE")):
            body = line[line.index("[") + 1:line.rindex("]")]
            carried = {}
            for item in body.split():
                reg, ref = item.split("=")
                carried[int(reg[1:])] = int(ref)
            if line.startswith("LOOP"):
                trace.loop_carried = carried
            else:
                info = dict(w.split("=") for w in line[:line.index("[")].split()[1:])
                trace.sides.append(SideTrace(int(info["guard"]), int(info["start"]), int(info["end"]),
                                             carried, int(info["body"])))
        else:
            tokens = _tokens(line)
            ref, _marker, type_, op = int(tokens[0]), tokens[1], tokens[2], tokens[3]
            rest = tokens[4:]
            snap = None
            if rest and rest[-1].startswith("#"):
                snap = int(rest.pop()[1:])
            args, aux = [], []
            kinds = OPS[op].operands
            if kinds and kinds[-1] == "refs":
                kinds = kinds[:-1] + ("ref",) * (len(rest) - len(kinds) + 1)
            for kind, token in zip(kinds, rest):
                (args if kind == "ref" else aux).append(int(token) if kind == "ref" else parse_aux(token))
            if ref != len(trace.ins):
                raise ValueError(f"ref {ref} out of order")
            trace.ins.append(Ins(op, tuple(args), tuple(aux), type_, snap))
            if op == "param":
                trace.params.append(ref)
    return trace


def _tokens(line: str) -> list:
    """Split an instruction line; aux literals may contain spaces (quoted strings)."""
    import shlex
    lexer = shlex.shlex(line, posix=False)
    lexer.whitespace_split = True
    lexer.commenters = ""
    tokens = list(lexer)
    # the guard marker column is a space for non-guards: restore it
    if tokens[1] != ">":
        tokens.insert(1, " ")
    return tokens


# ----- verifier ------------------------------------------------------------------------------
class IRError(Exception):
    """A trace that violates the IR invariants."""


def verify_trace(trace: Trace) -> None:
    """Refs defined before use, operand kinds and types agree with the op table, every
    guard has a snapshot, snapshot refs dominate (precede) their guard."""
    for ref, ins in enumerate(trace.ins):
        opdef = OPS.get(ins.op)
        if opdef is None:
            raise IRError(f"{ref:04d}: unknown op {ins.op}")
        nrefs = sum(1 for k in opdef.operands if k == "ref")
        naux = sum(1 for k in opdef.operands if k == "aux")
        variadic = "refs" in opdef.operands
        if (len(ins.args) < nrefs if variadic else len(ins.args) != nrefs) or len(ins.aux) != naux:
            raise IRError(f"{ref:04d}: {ins.op} takes {nrefs} refs and {naux} aux operands")
        for arg in ins.args:
            if not 0 <= arg < ref:
                raise IRError(f"{ref:04d}: operand {arg:04d} not defined before use")
            if trace.ins[arg].type == "void":
                raise IRError(f"{ref:04d}: operand {arg:04d} has no value")
        expected = result_type(trace, ins.op, ins.args, ins.aux)
        if expected != ins.type:
            raise IRError(f"{ref:04d}: {ins.op} result type {ins.type}, expected {expected}")
        _check_operand_types(trace, ref, ins)
        if ins.is_guard:
            if ins.snap is None or not 0 <= ins.snap < len(trace.snapshots):
                raise IRError(f"{ref:04d}: guard {ins.op} without a snapshot")
            snap = trace.snapshots[ins.snap]
            for entry in snap.entries + [e for f in snap.frames for e in f.entries]:
                if entry.source == "ref" and not entry.ref < ref:
                    raise IRError(f"{ref:04d}: snapshot #{ins.snap} uses {entry.ref:04d} "
                                  "which does not precede the guard")
                if not 0 <= entry.ref < len(trace.ins) or trace.ins[entry.ref].type == "void":
                    raise IRError(f"{ref:04d}: snapshot #{ins.snap} uses {entry.ref:04d} which has no value")
    for side in trace.sides:
        _check_carried(trace, side.loop_carried, f"side trace at {side.guard:04d}: ")
    _check_carried(trace, trace.loop_carried, "")
    for guard in trace.entry_guards:
        for term in (guard.a, guard.b):
            if term is not None and not _entry_term(trace, term):
                raise IRError(f"entry guard {format_term(term)}: not an int param or a container param's dimension")
    for side in trace.sides:
        guard = trace.ins[side.guard] if 0 <= side.guard < len(trace.ins) else None
        if guard is None or guard.op not in SIDE_GUARDS:
            raise IRError(f"side trace at {side.guard:04d}: not a branch guard")
        if not side.guard < side.start <= side.end <= len(trace.ins):
            raise IRError(f"side trace at {side.guard:04d}: bad range {side.start}..{side.end}")


def _entry_term(trace, term) -> bool:
    """Whether an entry guard's term has a value before the first iteration."""
    ref = term[1]
    if not 0 <= ref < len(trace.ins) or trace.ins[ref].op != "param":
        return False
    type_ = trace.ins[ref].type
    if term[0] == "ref":
        return len(term) == 2 and type_ in _INT_LIKE
    if type_.startswith("arr:"):
        return term[0] == "dim" and 0 <= term[2] < int(type_.split(":")[2])
    return term[0] == "dim" and type_.startswith("lst:") and term[2] == 0


def _check_carried(trace, carried, where):
    for reg, ref in carried.items():
        if not 0 <= ref < len(trace.ins) or trace.ins[ref].type == "void":
            raise IRError(f"{where}loop-carried r{reg} refers to undefined {ref:04d}")


_INT_LIKE = ("i64", "ni64")
_FLOAT_LIKE = ("f64", "nf64")


def _check_operand_types(trace, ref, ins):
    types = [trace.ins[a].type for a in ins.args]
    op = ins.op
    if op.startswith("int_") and op not in ("int_to_float", "int_to_float_exact", "int_truth"):
        ok = all(t in _INT_LIKE for t in types)
    elif op in ("int_to_float", "int_to_float_exact", "int_truth"):
        ok = types[0] in _INT_LIKE
    elif op.startswith("float_"):
        ok = all(t in _FLOAT_LIKE for t in types)
    elif op in ("guard_true", "guard_false", "not"):
        ok = all(t in ("bool", "nbool") for t in types)
    elif op in ("bool_eq", "bool_ne", "bool_to_int"):
        ok = all(t == "bool" for t in types)
    elif op.startswith("arr_"):
        ok = types[0].startswith("arr:") and all(t in _INT_LIKE for t in types[1:3 if op[:8] in ("arr_get2", "arr_set2") else 2])
    elif op == "lst_append":
        ok = types[0].startswith("lst:") and types[1] == element_type(types[0])
    elif op.startswith("lst_"):
        ok = types[0].startswith("lst:") and all(t in _INT_LIKE for t in types[1:2])
    elif op.startswith("lol_"):
        ok = types[0].startswith("lol:") and all(t in _INT_LIKE for t in types[1:2])
    elif op == "iter_new":
        ok = types[0].startswith(("lst:", "lol:")) and \
            ins.aux[0] == ("it:" if types[0].startswith("lst:") else "itl:") + types[0].split(":")[1]
    elif op in ("iter_get", "iter_len"):
        ok = types[0].startswith(("it:", "itl:")) and all(t in _INT_LIKE for t in types[1:2])
    elif op in ("guard_loop_exit", "guard_loop_wrote", "loop_out", "loop_outf"):
        ok = trace.ins[ins.args[0]].op == "call_loop" and 0 <= trace.ins[ins.args[0]].aux[0] < len(trace.nested) \
            and (op != "loop_outf" or types[1] == ins.aux[0])
    elif op == "call_loop":
        ok = 0 <= ins.aux[0] < len(trace.nested)
    elif op.startswith("call_math"):
        ok = all(t in _FLOAT_LIKE for t in types)
    else:
        ok = True
    if not ok:
        raise IRError(f"{ref:04d}: {op} applied to {', '.join(types)}")
