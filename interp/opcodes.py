"""The opcode table: the single source of truth for tracejit's register bytecode.

Every opcode is listed once in ``OPCODES`` with its operand kinds, its effect and a
one-line doc. Opcode numbers are positions in this table; the handler table
(``interp.templates.TEMPLATES``), the verifier's operand checks, the disassembler
and ``docs/bytecode.md`` are all derived from it.

An instruction is a tuple ``(opcode, operand0, operand1, ...)`` whose operands match
the opcode's ``operands`` kinds one to one.

Operand kinds and effects are described in ``OPERAND_KINDS`` and ``EFFECTS``.
"""
from __future__ import annotations

import operator
from typing import NamedTuple

# Operand kind -> what it means (what the verifier checks).
OPERAND_KINDS = {
    "dst": "register written by the instruction (by a branch: on one of its ways only)",
    "reg": "register read by the instruction",
    "rk": "register (value >= 0) or constant (value < 0: constant index `-1 - value`)",
    "const": "index into the code object's constant table",
    "name": "index into the constant table of a `str` naming a variable or attribute",
    "jump": "absolute instruction index inside the same code object",
    "base": "first register of a run of registers whose length is the next `count` operand "
            "(2 x count registers for BUILDDICT)",
    "dstbase": "first register of a run of `count` registers written by the instruction",
    "count": "non-negative length of the preceding `base` or `dstbase` run",
    "base3": "first of three consecutive registers (a range loop's index, stop, step)",
    "loop": "loop id: index into the code object's loop table, which holds this LOOP's pc",
}
# Effect -> what an instruction with it may do.
EFFECTS = {
    "pure": "computes a value from its operands (may raise)",
    "load": "reads a container, an iterator or a global",
    "store": "writes a container or a global",
    "branch": "may transfer control inside the code object",
    "call": "may run guest code or a whitelisted builtin",
    "return": "returns from the frame",
    "loop": "a loop header, counted by the hot-loop counters",
}


class OpInfo(NamedTuple):
    """One row of the opcode table."""

    name: str
    operands: tuple
    effect: str
    doc: str
    symbol: str | None = None   # Python operator symbol for generated arithmetic/compare templates
    family: str | None = None   # 'binop', 'inplace', 'compare', 'cmpjump', 'ncmpjump', 'unop'


# Python operator symbols -> opcode suffix. The order fixes opcode numbers.
BINARY_OPERATORS = (
    ("ADD", "+"), ("SUB", "-"), ("MUL", "*"), ("TRUEDIV", "/"), ("FLOORDIV", "//"),
    ("MOD", "%"), ("POW", "**"), ("LSHIFT", "<<"), ("RSHIFT", ">>"),
    ("BITAND", "&"), ("BITOR", "|"), ("BITXOR", "^"),
)
COMPARE_OPERATORS = (
    ("LT", "<"), ("LE", "<="), ("GT", ">"), ("GE", ">="), ("EQ", "=="), ("NE", "!="),
    ("IN", "in"), ("NOTIN", "not in"), ("IS", "is"), ("ISNOT", "is not"),
)
UNARY_OPERATORS = (("NEG", "-"), ("POS", "+"), ("INVERT", "~"), ("NOT", "not "))

# Host functions implementing each operator symbol, for code that evaluates an
# operator outside generated code (the recorder computes branch outcomes with them).
OPERATOR_FUNCTIONS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<<": operator.lshift,
    ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor,
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne, "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b, "is": operator.is_, "is not": operator.is_not,
}


def _build_table() -> tuple:
    ops = [
        OpInfo("MOVE", ("dst", "reg"), "pure", "R[A] = R[B]"),
        OpInfo("LOADK", ("dst", "const"), "pure", "R[A] = K[B]"),
        OpInfo("LOADGLOBAL", ("dst", "name"), "load",
               "R[A] = globals[K[B]], else builtins[K[B]], else NameError"),
        OpInfo("STOREGLOBAL", ("name", "rk"), "store", "globals[K[A]] = RK[B]"),
        OpInfo("CHECKBOUND", ("reg", "name"), "pure",
               "raise UnboundLocalError naming K[B] if local R[A] has no value yet"),
    ]
    for suffix, sym in BINARY_OPERATORS:
        ops.append(OpInfo(suffix, ("dst", "rk", "rk"), "pure", f"R[A] = RK[B] {sym} RK[C]", sym, "binop"))
    for suffix, sym in BINARY_OPERATORS:
        ops.append(OpInfo("I" + suffix, ("dst", "rk", "rk"), "pure",
                          f"R[A] = RK[B] {sym}= RK[C] (in-place: lists extend)", sym, "inplace"))
    for suffix, sym in UNARY_OPERATORS:
        ops.append(OpInfo(suffix, ("dst", "rk"), "pure", f"R[A] = {sym}RK[B]", sym.strip(), "unop"))
    for suffix, sym in COMPARE_OPERATORS:
        ops.append(OpInfo(suffix, ("dst", "rk", "rk"), "pure", f"R[A] = RK[B] {sym} RK[C]", sym, "compare"))
    for suffix, sym in COMPARE_OPERATORS:
        ops.append(OpInfo("J" + suffix, ("rk", "rk", "jump"), "branch",
                          f"if RK[A] {sym} RK[B]: goto C", sym, "cmpjump"))
    for suffix, sym in COMPARE_OPERATORS:
        ops.append(OpInfo("JN" + suffix, ("rk", "rk", "jump"), "branch",
                          f"if not (RK[A] {sym} RK[B]): goto C", sym, "ncmpjump"))
    ops += [
        OpInfo("JUMP", ("jump",), "branch", "goto A"),
        OpInfo("JUMPIF", ("rk", "jump"), "branch", "if RK[A]: goto B"),
        OpInfo("JUMPIFNOT", ("rk", "jump"), "branch", "if not RK[A]: goto B"),
        OpInfo("LOOP", ("loop",), "loop",
               "loop header A: counts one iteration for hot-loop detection"),
        OpInfo("FORPREP", ("base3", "dst", "jump"), "branch",
               "range loop setup: check R[A..A+2] = start, stop, step are ints (step != 0); "
               "if the range is empty goto C, else R[B] = start"),
        OpInfo("FORLOOP", ("base3", "dst", "jump"), "branch",
               "range loop step: R[A] += R[A+2]; if still inside the range, R[B] = R[A] and goto C"),
        OpInfo("GETITER", ("dst", "reg"), "load", "R[A] = iter(R[B]) (lists, tuples, str, dict, range)"),
        OpInfo("FORITER", ("reg", "dst", "jump"), "branch",
               "R[B] = next(R[A]); when the iterator is exhausted goto C"),
        OpInfo("GETITEM", ("dst", "reg", "rk"), "load", "R[A] = R[B][RK[C]]"),
        OpInfo("SETITEM", ("reg", "rk", "rk"), "store", "R[A][RK[B]] = RK[C]"),
        OpInfo("GETITEM2", ("dst", "reg", "rk", "rk"), "load", "R[A] = R[B][RK[C], RK[D]] (2-D arrays)"),
        OpInfo("SETITEM2", ("reg", "rk", "rk", "rk"), "store", "R[A][RK[B], RK[C]] = RK[D]"),
        OpInfo("GETATTR", ("dst", "reg", "name"), "load",
               "R[A] = R[B].K[C] for whitelisted attributes (math.*, np.*, array.shape)"),
        OpInfo("BUILDTUPLE", ("dst", "base", "count"), "pure", "R[A] = (R[B], ..., R[B+C-1])"),
        OpInfo("BUILDLIST", ("dst", "base", "count"), "pure", "R[A] = [R[B], ..., R[B+C-1]] (strategy list)"),
        OpInfo("BUILDDICT", ("dst", "base", "count"), "pure",
               "R[A] = {R[B]: R[B+1], ...} from C key/value register pairs (2*C registers)"),
        OpInfo("UNPACK", ("dstbase", "count", "reg"), "load",
               "R[A], ..., R[A+B-1] = R[C] (ValueError if the length is not B)"),
        OpInfo("MAKEFUNC", ("dst", "const", "base", "count"), "pure",
               "R[A] = function of code K[B] with defaults R[C..C+D-1]"),
        OpInfo("CALL", ("dst", "reg", "base", "count"), "call", "R[A] = R[B](R[C], ..., R[C+D-1])"),
        OpInfo("CALLKW", ("dst", "reg", "base", "count", "const"), "call",
               "R[A] = R[B](positional R[C..], keywords named by tuple K[E] from the last len(K[E]) of the D registers)"),
        OpInfo("GETMETHOD", ("dst", "reg", "name"), "load",
               "R[A] = R[B].K[C] bound, for whitelisted methods (list.append/pop, dict.get/pop); "
               "AttributeError otherwise"),
        OpInfo("CALLMETHOD", ("dst", "reg", "base", "count"), "call",
               "R[A] = R[B](R[C], ..., R[C+D-1]) where R[B] is a method from GETMETHOD"),
        OpInfo("RETURN", ("rk",), "return", "return RK[A] to the caller"),
    ]
    return tuple(ops)


OPCODES: tuple = _build_table()
OPCODE_NUMBERS: dict = {info.name: number for number, info in enumerate(OPCODES)}


class _OpNumbers:
    """Attribute access to opcode numbers: ``Op.ADD``. Read-only; built from OPCODES."""

    __slots__ = ()

    def __getattr__(self, name: str) -> int:
        try:
            return OPCODE_NUMBERS[name]
        except KeyError:
            raise AttributeError(f"no opcode named {name!r}") from None


Op = _OpNumbers()


def ends_block(info: OpInfo) -> bool:
    """Whether an instruction ends a basic block: it may transfer control elsewhere
    than the next instruction (branches, returns, and CALL, which may switch frames)."""
    return info.effect in ("branch", "return") or info.name == "CALL"


def jump_targets(instr) -> list:
    """The pcs instruction ``instr`` (opcode, *operands) may jump to."""
    info = OPCODES[instr[0]]
    return [operand for kind, operand in zip(info.operands, instr[1:]) if kind == "jump"]


def rk_const(index: int) -> int:
    """Encode constant-table index ``index`` as an ``rk`` operand."""
    return -1 - index


def const_index(rk: int) -> int:
    return -1 - rk
