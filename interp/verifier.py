"""Bytecode verifier: every code object is checked before it is decoded or run.

A code object passes when its constants are of the allowed kinds (int, float, str,
bool, None, tuples of these, code objects, the interpreter's own guest modules; exact
types, no subclasses), its line table is well formed, and every instruction matches its opcode's operand kinds
(``interp.opcodes``) and every operand is in range: registers < ``nregs``, register
runs inside the frame, constants and names inside the constant table (names are
``str``), jump targets inside the code, loop ids naming their own ``LOOP``
instruction, and no instruction that falls through is last. Anything else is a
``VerifyError``; the verifier raises nothing else, whatever it is given.
"""
from __future__ import annotations

import keyword

from .code import Code, GuestModule, SourceFile
from .errors import VerifyError
from .opcodes import OPCODES, Op
from .values import GUEST_MODULES

MAX_REGISTERS = 1 << 16
_TERMINATORS = frozenset({Op.JUMP, Op.RETURN})
_SCALAR_CONST_TYPES = (int, float, str, bool, type(None))


def verify(code: Code) -> None:
    try:
        _verify(code)
    except VerifyError:
        raise
    except Exception as exc:  # malformed structure: wrong types, missing fields
        raise VerifyError(f"malformed code object: {type(exc).__name__}: {exc}") from None


def _fail(code, pc, message):
    name = getattr(code, "name", "?")
    where = f"{name}" if pc is None else f"{name} pc {pc}"
    raise VerifyError(f"{where}: {message}")


def _is_int(value):
    return type(value) is int


def _verify(code: Code) -> None:
    instrs, consts, nregs = code.instrs, code.consts, code.nregs
    if type(instrs) is not tuple or not instrs:
        _fail(code, None, "instructions must be a non-empty tuple")
    if type(consts) is not tuple:
        _fail(code, None, "constants must be a tuple")
    if not _is_int(nregs) or not 1 <= nregs <= MAX_REGISTERS:
        _fail(code, None, f"register count {nregs!r} out of range")
    if not _is_int(code.nparams) or not 0 <= code.nparams <= nregs:
        _fail(code, None, f"parameter count {code.nparams!r} out of range")
    if len(code.argnames) != code.nparams:
        _fail(code, None, "argnames do not match the parameter count")
    if type(code.positions) is not tuple or len(code.positions) != len(instrs):
        _fail(code, None, "line table length differs from the instruction count")
    if type(code.loops) is not tuple:
        _fail(code, None, "loop table must be a tuple")
    _check_code_fields(code)
    nconsts, ninstrs = len(consts), len(instrs)
    for pc, instr in enumerate(instrs):
        if type(instr) is not tuple or not instr or not _is_int(instr[0]):
            _fail(code, pc, f"malformed instruction {instr!r}")
        opcode = instr[0]
        if not 0 <= opcode < len(OPCODES):
            _fail(code, pc, f"unknown opcode {opcode}")
        info = OPCODES[opcode]
        operands = instr[1:]
        if len(operands) != len(info.operands):
            _fail(code, pc, f"{info.name} takes {len(info.operands)} operands, got {len(operands)}")
        for i, (kind, value) in enumerate(zip(info.operands, operands)):
            if not _is_int(value):
                _fail(code, pc, f"{info.name} operand {i} is not an int: {value!r}")
            if kind in ("dst", "reg"):
                ok = 0 <= value < nregs
            elif kind == "rk":
                ok = -nconsts <= value < nregs
            elif kind == "const":
                ok = 0 <= value < nconsts
            elif kind == "name":
                ok = 0 <= value < nconsts and type(consts[value]) is str
            elif kind == "jump":
                ok = 0 <= value < ninstrs
            elif kind in ("base", "dstbase"):
                count = operands[i + 1]
                width = 2 * count if info.name == "BUILDDICT" else count
                ok = _is_int(count) and count >= 0 and 0 <= value and value + width <= nregs
            elif kind == "count":
                ok = value >= 0
            elif kind == "base3":
                ok = 0 <= value and value + 3 <= nregs
            elif kind == "loop":
                ok = 0 <= value < len(code.loops) and code.loops[value] == pc
            else:
                ok = False
            if not ok:
                _fail(code, pc, f"{info.name} operand {i} ({kind}) out of range: {value}")
        _check_constants(code, pc, info, operands)
        if opcode not in _TERMINATORS and pc == ninstrs - 1:
            _fail(code, pc, f"{info.name} falls through past the end of the code")
    for loop_id, header in enumerate(code.loops):
        if not _is_int(header) or not 0 <= header < ninstrs or instrs[header][0] != Op.LOOP \
                or instrs[header][1] != loop_id:
            _fail(code, None, f"loop {loop_id} does not name its LOOP instruction")


def _allowed_constant(value) -> bool:
    kind = type(value)
    if kind in _SCALAR_CONST_TYPES or kind is Code:
        return True
    if kind is tuple:
        return all(_allowed_constant(v) for v in value)
    # only the interpreter's own module objects, never a look-alike
    return kind is GuestModule and any(value is m for m in GUEST_MODULES.values())


def _check_code_fields(code):
    if type(code.source) is not SourceFile:
        _fail(code, None, "source must be a SourceFile")
    for pc, position in enumerate(code.positions):
        if type(position) is not tuple or len(position) != 2 or not all(_is_int(p) for p in position):
            _fail(code, pc, f"malformed line table entry {position!r}")
    for index, value in enumerate(code.consts):
        if not _allowed_constant(value):
            _fail(code, None, f"constant {index} of type {type(value).__name__} not allowed")


def _check_constants(code, pc, info, operands):
    consts = code.consts
    if info.name == "MAKEFUNC" and type(consts[operands[1]]) is not Code:
        _fail(code, pc, "MAKEFUNC constant is not a code object")
    elif info.name == "CALLKW":
        names = consts[operands[4]]
        if type(names) is not tuple or not names or len(names) > operands[3] \
                or len(set(names)) != len(names) \
                or not all(type(n) is str and n.isidentifier() and not keyword.iskeyword(n)
                           for n in names):
            _fail(code, pc, "CALLKW keyword names must be distinct identifiers, one per keyword value")
