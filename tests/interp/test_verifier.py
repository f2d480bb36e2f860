"""Bytecode verifier: every code object the compiler produces verifies; malformed code
objects raise ``VerifyError`` and nothing else, whatever they contain; mutants that do
verify decode and run without anything worse than an ordinary guest exception.

Run as a script (``python test_verifier.py --run-mutants SEED COUNT``) this module is
also the child process that executes verified mutants under resource limits."""

import contextlib
import dataclasses
import glob
import io
import json
import os
import random
import subprocess
import sys

import pytest

from interp.values import GUEST_MODULES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import interp
import tracejit
from interp.code import Code, Function, GuestModule, SourceFile
from interp.errors import VerifyError
from interp.interpreter import DecodedCode, Machine
from interp.opcodes import OPCODES, Op, rk_const
from interp.verifier import MAX_REGISTERS

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS_DIR = os.path.join(os.path.dirname(HERE), "programs")
PROGRAM_PATHS = sorted(glob.glob(os.path.join(PROGRAMS_DIR, "*.py")))


def code_objects(code):
    """``code`` and every code object nested in its constants, depth first."""
    out, stack = [], [code]
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(k for k in c.consts if type(k) is Code)
    return out


def compile_program(path):
    with open(path, encoding="utf-8") as f:
        return interp.compile_source(f.read(), path)


def all_program_codes():
    return [c for path in PROGRAM_PATHS for c in code_objects(compile_program(path))]


# ----- every compiled code object verifies ----------------------------------------------------
def test_programs_exist():
    assert len(PROGRAM_PATHS) >= 10


@pytest.mark.parametrize("path", PROGRAM_PATHS, ids=[os.path.basename(p) for p in PROGRAM_PATHS])
def test_compiled_programs_verify(path):
    codes = code_objects(compile_program(path))
    assert len(codes) >= 2                   # the module and at least one function
    for code in codes:
        interp.verify(code)
        DecodedCode(Machine(), code, {})     # verified code always decodes


EXTRA_VALID_SOURCES = [
    # constructs the programs may not cover: every branch/loop/call form of the compiler
    """
import math
import numpy as np
from math import sqrt

def f(a, b=2, c=3.5):
    x = [a, b, c]
    d = {'k': a, 1: b}
    t = (a, b)
    p, q = t
    p, q = q, p
    x[0] += 1
    m = np.zeros((2, 2), dtype=np.float64)
    m[0, 1] = 1.0
    m[1, 0] += m[0, 1]
    s = m.shape
    y = d.get('k')
    x.append(y)
    z = x.pop()
    for i in range(3):
        if i == 1:
            continue
        if i > 5:
            break
    else:
        pass
    for k in d:
        pass
    n = 0
    while n < 3 and not (n == 7 or n == 8):
        n += 1
    while True:
        break
    r = 1 if a else 2
    ok = 1 < a <= 3
    print(a, b, sep=',', end='\\n')
    g = sqrt(4.0) + math.pi - abs(-a) ** 2 // 3 % 5
    if a in x and b not in x or a is None or b is not None:
        pass
    return (r, ok, g, s, z, -a, +a, ~1, a << 1, a >> 1, a & 1, a | 1, a ^ 1, a / 2)

def h():
    global G
    G = 1
    return G

G = 0
result = f(1)
""",
]


@pytest.mark.parametrize("src", EXTRA_VALID_SOURCES)
def test_extra_sources_verify_and_run(src):
    code = interp.compile_source(src, "extra.py")
    codes = code_objects(code)
    assert len(codes) == 3
    for c in codes:
        interp.verify(c)
    vm = tracejit.VM()
    with contextlib.redirect_stdout(io.StringIO()):
        mod = vm.load_source(src, "extra.py")
    assert mod.call("h") == 1


# ----- targeted malformed code objects ----------------------------------------------------------
SOURCE = SourceFile("hand.py", "x = 1\n")


def mk(instrs, consts=(0, 1, "name", 2.5), nregs=4, nparams=0, loops=(), positions=None, **kw):
    """A hand-made code object; the defaults make a valid one."""
    if positions is None and type(instrs) is tuple:
        positions = tuple((1, 0) for _ in instrs)
    fields = dict(name="hand", source=SOURCE, instrs=instrs, consts=consts, nregs=nregs,
                  nparams=nparams, argnames=tuple(f"a{i}" for i in range(nparams)) if type(nparams) is int
                  and 0 <= nparams < 100 else (), regnames=("",) * 4, positions=positions, loops=loops)
    fields.update(kw)
    return Code(**fields)


RET = (Op.RETURN, 0)
LOOP_CODE = dict(instrs=((Op.LOADK, 0, 0), (Op.LOOP, 0), (Op.JUMP, 1)), loops=(1,))
FUNC = mk((RET,))


VALID = [
    pytest.param(mk((RET,)), id="return-register"),
    pytest.param(mk(((Op.RETURN, rk_const(3)),)), id="return-last-constant"),
    pytest.param(mk(((Op.MOVE, 3, 0), RET)), id="highest-register"),
    pytest.param(mk(((Op.ADD, 0, rk_const(0), rk_const(1)), RET)), id="rk-constants"),
    pytest.param(mk(((Op.LOADGLOBAL, 0, 2), (Op.STOREGLOBAL, 2, 0), RET)), id="names"),
    pytest.param(mk(((Op.BUILDLIST, 0, 0, 4), RET)), id="run-to-last-register"),
    pytest.param(mk(((Op.BUILDTUPLE, 0, 4, 0), RET)), id="empty-run-at-end"),
    pytest.param(mk(((Op.BUILDDICT, 0, 0, 2), RET)), id="dict-run"),
    pytest.param(mk(((Op.FORPREP, 1, 0, 3), (Op.LOOP, 0), (Op.FORLOOP, 1, 0, 1), RET), loops=(1,)),
                 id="range-loop"),
    pytest.param(mk(**LOOP_CODE), id="infinite-loop"),
    pytest.param(mk(((Op.MAKEFUNC, 0, 4, 1, 2), RET), consts=(0, 1, "name", 2.5, FUNC)), id="makefunc"),
    pytest.param(mk(((Op.CALLKW, 0, 1, 2, 2, 4), RET), consts=(0, 1, "name", 2.5, ("sep",))), id="callkw"),
    pytest.param(mk((RET,), nregs=4, nparams=4), id="all-registers-parameters"),
    pytest.param(mk((RET,), nregs=MAX_REGISTERS), id="max-registers"),
    pytest.param(mk(((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, GUEST_MODULES["math"])), id="loadk-module"),
    pytest.param(mk(((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, None)), id="loadk-none"),
]


@pytest.mark.parametrize("code", VALID)
def test_hand_made_valid_code_verifies(code):
    interp.verify(code)
    DecodedCode(Machine(), code, {})


def bad(id_, **fields):
    instrs = fields.pop("instrs", (RET,))
    return pytest.param(instrs, fields, id=id_)


N_OPCODES = len(OPCODES)

MALFORMED = [
    # opcodes
    bad("unknown-opcode", instrs=((N_OPCODES, 0), RET)),
    bad("unknown-opcode-last", instrs=((N_OPCODES,),)),
    bad("negative-opcode", instrs=((-1, 0), RET)),
    bad("huge-opcode", instrs=((10 ** 30, 0), RET)),
    bad("float-opcode", instrs=((float(Op.MOVE), 0, 0), RET)),
    bad("bool-opcode", instrs=((True, 0, 0), RET)),
    bad("none-opcode", instrs=((None, 0, 0), RET)),
    bad("empty-instruction", instrs=((), RET)),
    bad("instruction-is-list", instrs=([Op.MOVE, 0, 0], RET)),
    bad("instruction-is-int", instrs=(Op.RETURN,)),
    # operand counts
    bad("too-few-operands", instrs=((Op.MOVE, 0), RET)),
    bad("too-many-operands", instrs=((Op.MOVE, 0, 0, 0), RET)),
    bad("return-without-operand", instrs=((Op.RETURN,),)),
    bad("jump-extra-operand", instrs=((Op.JUMP, 0, 0),)),
    bad("call-missing-count", instrs=((Op.CALL, 0, 1, 2), RET)),
    # registers
    bad("dst-equals-nregs", instrs=((Op.MOVE, 4, 0), RET)),
    bad("reg-equals-nregs", instrs=((Op.MOVE, 0, 4), RET)),
    bad("rk-register-out-of-range", instrs=((Op.ADD, 0, 4, 0), RET)),
    bad("return-register-out-of-range", instrs=((Op.RETURN, 4),)),
    bad("negative-dst", instrs=((Op.MOVE, -1, 0), RET)),
    bad("negative-dst-loadk", instrs=((Op.LOADK, -1, 0), RET)),
    bad("negative-reg", instrs=((Op.MOVE, 0, -1), RET)),
    bad("negative-foriter-dst", instrs=((Op.FORITER, 0, -2, 1), RET)),
    bad("huge-register", instrs=((Op.MOVE, 0, 2 ** 70), RET)),
    # constants
    bad("rk-constant-out-of-range", instrs=((Op.ADD, 0, rk_const(4), 0), RET)),
    bad("rk-constant-far-out-of-range", instrs=((Op.RETURN, -(10 ** 20)),)),
    bad("rk-constant-with-no-constants", instrs=((Op.RETURN, -1),), consts=()),
    bad("const-out-of-range", instrs=((Op.LOADK, 0, 4), RET)),
    bad("const-negative", instrs=((Op.LOADK, 0, -1), RET)),
    bad("name-is-int", instrs=((Op.LOADGLOBAL, 0, 0), RET)),
    bad("name-is-float", instrs=((Op.STOREGLOBAL, 3, 0), RET)),
    bad("name-is-none", instrs=((Op.GETATTR, 0, 1, 4), RET), consts=(0, 1, "name", 2.5, None)),
    bad("name-is-tuple", instrs=((Op.CALLMETHOD, 0, 1, 4, 2, 0), RET), consts=(0, 1, "name", 2.5, ("x",))),
    bad("checkbound-name-out-of-range", instrs=((Op.CHECKBOUND, 0, 4), RET)),
    bad("loadk-list-constant", instrs=((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, [1])),
    bad("loadk-dict-constant", instrs=((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, {})),
    bad("loadk-host-function", instrs=((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, os.getcwd)),
    bad("loadk-object", instrs=((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, object())),
    bad("makefunc-constant-not-code", instrs=((Op.MAKEFUNC, 0, 2, 0, 0), RET)),
    bad("makefunc-constant-is-function", instrs=((Op.MAKEFUNC, 0, 4, 0, 0), RET),
        consts=(0, 1, "name", 2.5, Function(FUNC, (), {}))),
    bad("callkw-names-not-tuple", instrs=((Op.CALLKW, 0, 1, 2, 1, 2), RET)),
    bad("callkw-names-not-str", instrs=((Op.CALLKW, 0, 1, 2, 1, 4), RET), consts=(0, 1, "name", 2.5, (1,))),
    bad("callkw-more-names-than-args", instrs=((Op.CALLKW, 0, 1, 2, 1, 4), RET),
        consts=(0, 1, "name", 2.5, ("a", "b"))),
    bad("consts-not-tuple", consts=[0, 1]),
    # jumps
    bad("jump-past-end", instrs=((Op.JUMP, 1),)),
    bad("jump-negative", instrs=((Op.JUMP, -1),)),
    bad("jumpif-out-of-range", instrs=((Op.JUMPIF, 0, 100), RET)),
    bad("cmpjump-out-of-range", instrs=((Op.JLT, 0, 1, 2), RET)),
    bad("forprep-target-out-of-range", instrs=((Op.FORPREP, 1, 0, 9), RET)),
    bad("foriter-target-negative", instrs=((Op.FORITER, 0, 1, -1), RET)),
    # register runs
    bad("buildlist-run-past-end", instrs=((Op.BUILDLIST, 0, 3, 2), RET)),
    bad("buildtuple-count-too-big", instrs=((Op.BUILDTUPLE, 0, 0, 5), RET)),
    bad("builddict-pairs-past-end", instrs=((Op.BUILDDICT, 0, 1, 2), RET)),
    bad("builddict-count-counts-pairs", instrs=((Op.BUILDDICT, 0, 0, 3), RET)),
    bad("call-args-past-end", instrs=((Op.CALL, 0, 1, 2, 3), RET)),
    bad("unpack-past-end", instrs=((Op.UNPACK, 2, 3, 0), RET)),
    bad("makefunc-defaults-past-end", instrs=((Op.MAKEFUNC, 0, 4, 3, 2), RET),
        consts=(0, 1, "name", 2.5, FUNC)),
    bad("negative-count", instrs=((Op.BUILDLIST, 0, 2, -1), RET)),
    bad("negative-base", instrs=((Op.BUILDLIST, 0, -1, 1), RET)),
    bad("count-not-int", instrs=((Op.BUILDLIST, 0, 0, 1.0), RET)),
    bad("base3-past-end", instrs=((Op.FORPREP, 2, 0, 1), RET)),
    bad("base3-negative", instrs=((Op.FORLOOP, -1, 0, 0), RET)),
    # loops
    bad("loop-id-without-table-entry", instrs=((Op.LOOP, 0), (Op.JUMP, 0)), loops=()),
    bad("loop-id-names-other-pc", instrs=((Op.LOADK, 0, 0), (Op.LOOP, 0), (Op.JUMP, 1)), loops=(0,)),
    bad("loop-table-entry-not-a-loop", instrs=((Op.LOADK, 0, 0), RET), loops=(0,)),
    bad("loop-table-entry-out-of-range", instrs=(RET,), loops=(5,)),
    bad("loop-table-entry-not-int", instrs=((Op.LOOP, 0), (Op.JUMP, 0)), loops=(0.0,)),
    bad("loop-ids-swapped", instrs=((Op.LOOP, 1), (Op.LOOP, 0), (Op.JUMP, 0)), loops=(0, 1)),
    bad("loop-table-not-tuple", instrs=((Op.LOOP, 0), (Op.JUMP, 0)), loops=[0]),
    bad("loop-table-extra-entry", instrs=((Op.LOOP, 0), (Op.JUMP, 0)), loops=(0, 0)),
    # falling off the end
    bad("last-move-falls-through", instrs=(RET, (Op.MOVE, 0, 0))),
    bad("last-loop-falls-through", instrs=((Op.LOOP, 0),), loops=(0,)),
    bad("last-jumpif-falls-through", instrs=((Op.JUMPIF, 0, 0),)),
    bad("last-forloop-falls-through", instrs=((Op.FORLOOP, 0, 0, 0),)),
    bad("last-call-falls-through", instrs=((Op.CALL, 0, 1, 2, 0),)),
    # operand types
    bad("float-operand", instrs=((Op.MOVE, 0, 1.0), RET)),
    bad("none-operand", instrs=((Op.MOVE, None, 0), RET)),
    bad("bool-operand", instrs=((Op.MOVE, 0, True), RET)),
    bad("bool-rk-operand", instrs=((Op.RETURN, False),)),
    bad("str-operand", instrs=((Op.JUMP, "0"),)),
    bad("tuple-operand", instrs=((Op.RETURN, (0,)),)),
    bad("int-subclass-operand", instrs=((Op.RETURN, type("MyInt", (int,), {})(0)),)),
    # structure
    bad("instrs-is-list", instrs=[RET], positions=((1, 0),)),
    bad("instrs-is-generator", instrs=(i for i in (RET,)), positions=((1, 0),)),
    bad("instrs-empty", instrs=(), positions=()),
    bad("instrs-none", instrs=None, positions=()),
    bad("positions-too-short", instrs=((Op.MOVE, 0, 0), RET), positions=((1, 0),)),
    bad("positions-too-long", positions=((1, 0), (1, 0))),
    bad("positions-is-list", positions=[(1, 0)]),
    bad("nparams-exceeds-nregs", nregs=2, nparams=3, argnames=("a", "b", "c")),
    bad("nparams-negative", nparams=-1),
    bad("nparams-float", nparams=1.0, argnames=("a",)),
    bad("argnames-mismatch", nparams=2, argnames=("a",)),
    bad("nregs-zero", nregs=0),
    bad("nregs-negative", nregs=-4),
    bad("nregs-too-large", nregs=MAX_REGISTERS + 1),
    bad("nregs-float", nregs=4.0),
    bad("nregs-bool", nregs=True),
    bad("nregs-none", nregs=None),
]


@pytest.mark.parametrize("instrs, fields", MALFORMED)
def test_malformed_code_raises_verify_error(instrs, fields):
    code = mk(instrs, **fields)
    with pytest.raises(VerifyError):
        interp.verify(code)


@pytest.mark.parametrize("instrs, fields", MALFORMED[::6])
def test_malformed_code_is_never_run(instrs, fields):
    # the interpreter verifies before decoding: a malformed function cannot be called
    code = mk(instrs, **fields)
    vm = tracejit.VM(fuel=1000)
    with pytest.raises(VerifyError):
        vm.machine.call_function(Function(code, (), {}), [None] * code.nparams
                                 if type(code.nparams) is int and 0 <= code.nparams < 100 else [])


@pytest.mark.parametrize("thing", [None, 42, "code", {}, object(), FUNC.__dict__],
                         ids=["none", "int", "str", "dict", "object", "field-dict"])
def test_non_code_objects_raise_verify_error(thing):
    with pytest.raises(VerifyError):
        interp.verify(thing)


def test_verify_error_message_names_the_code_and_pc():
    with pytest.raises(VerifyError) as info:
        interp.verify(mk(((Op.MOVE, 0, 0), (Op.MOVE, 9, 0), RET)))
    assert "hand" in str(info.value) and "pc 1" in str(info.value)


def test_unverified_nested_function_is_rejected_when_called():
    # MAKEFUNC's code constant is verified when the function is first called
    inner = mk(((Op.MOVE, 0, 9), RET))
    outer = mk(((Op.MAKEFUNC, 0, 4, 0, 0), (Op.CALL, 1, 0, 0, 0), (Op.RETURN, 1)),
               consts=(0, 1, "name", 2.5, inner))
    interp.verify(outer)
    vm = tracejit.VM(fuel=1000)
    with pytest.raises(VerifyError):
        vm.machine.call_function(Function(outer, (), {}), [])


# ----- known verifier gaps (correct behaviour asserted, marked xfail) ---------------------------
def test_rk_constant_of_host_type_is_rejected():
    escape = mk(((Op.STOREGLOBAL, 2, rk_const(4)), (Op.LOADGLOBAL, 0, 2), (Op.CALL, 0, 0, 0, 0), RET),
                consts=(0, 1, "name", 2.5, os.getcwd))
    with pytest.raises(VerifyError):
        interp.verify(escape)


def test_loadk_constant_of_subclass_type_is_rejected():
    import enum

    class Color(enum.IntEnum):
        RED = 1

    with pytest.raises(VerifyError):
        interp.verify(mk(((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, Color.RED)))


def test_positions_entries_are_checked():
    code = mk(((Op.TRUEDIV, 0, rk_const(1), rk_const(0)), RET), positions=(None, None))
    with pytest.raises(VerifyError):
        interp.verify(code)


def test_source_field_is_checked():
    with pytest.raises(VerifyError):
        interp.verify(mk((RET,), source=None))


def callkw_code(kwnames):
    """print('x', <kw>='x') with keyword names ``kwnames`` (a hand-made CALLKW)."""
    return mk(((Op.LOADGLOBAL, 0, 0), (Op.LOADK, 1, 1), (Op.LOADK, 2, 1), (Op.CALLKW, 3, 0, 1, 2, 2),
               (Op.RETURN, 3)), consts=("print", "x", kwnames))


def test_callkw_with_valid_keyword_runs():
    code = callkw_code(("end",))
    interp.verify(code)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tracejit.VM(fuel=100).machine.call_function(Function(code, (), {}), [])
    assert out.getvalue() == "xx"


@pytest.mark.parametrize("kwnames", [
    ("not an identifier",), ("if",), ("sep", "sep"),
    ("end=load_builtin('print')('INJECTED') or '\\n', sep",),
], ids=["space", "keyword", "duplicate", "code-injection"])
def test_callkw_keyword_names_must_be_distinct_identifiers(kwnames):
    code = callkw_code(kwnames)
    with pytest.raises(VerifyError):
        interp.verify(code)


def test_verified_callkw_without_keywords_decodes():
    code = callkw_code(())
    try:
        interp.verify(code)
    except VerifyError:
        return                               # rejecting it is fine too
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tracejit.VM(fuel=100).machine.call_function(Function(code, (), {}), [])
    assert out.getvalue() == "x x\n"


def test_verified_huge_int_constant_decodes_and_runs():
    big = 16 ** 4000
    code = mk(((Op.LOADK, 0, 4), RET), consts=(0, 1, "name", 2.5, big))
    interp.verify(code)
    assert tracejit.VM(fuel=100).machine.call_function(Function(code, (), {}), []) == big


# ----- mutation fuzzing ------------------------------------------------------------------------------
CODES = all_program_codes()
WIDE = 1 << 40


def random_operand(rng, code):
    r = rng.random()
    if r < 0.45:
        return rng.randint(-len(code.consts) - 3, code.nregs + 3)
    if r < 0.6:
        return rng.choice([0, -1, code.nregs, code.nregs - 1, -len(code.consts), -len(code.consts) - 1,
                           len(code.instrs), len(code.instrs) - 1, len(code.loops), len(code.consts)])
    if r < 0.9:
        return rng.randint(-WIDE, WIDE)
    return rng.choice([1.0, None, True, False, "0", (0,), -0.0, 2 ** 70, -(2 ** 70)])


def with_instr(code, pc, instr):
    instrs = list(code.instrs)
    instrs[pc] = instr
    return dataclasses.replace(code, instrs=tuple(instrs))


def mutate(code, rng):
    """One random mutation of ``code`` (a new code object; ``code`` is untouched)."""
    n = len(code.instrs)
    pc = rng.randrange(n)
    instr = code.instrs[pc]
    kind = rng.randrange(14)
    if kind == 0:    # change an opcode to any valid one
        return with_instr(code, pc, (rng.randrange(len(OPCODES)),) + instr[1:])
    if kind == 1:    # change an opcode to any int
        return with_instr(code, pc, (rng.choice([rng.randint(-WIDE, WIDE), -1, len(OPCODES)]),) + instr[1:])
    if kind in (2, 3, 4) and len(instr) > 1:   # change an operand
        i = rng.randrange(1, len(instr))
        return with_instr(code, pc, instr[:i] + (random_operand(rng, code),) + instr[i + 1:])
    if kind == 5 and len(instr) > 1:           # drop an operand
        i = rng.randrange(1, len(instr))
        return with_instr(code, pc, instr[:i] + instr[i + 1:])
    if kind == 6:                              # duplicate an operand (or the opcode)
        i = rng.randrange(len(instr))
        return with_instr(code, pc, instr[:i + 1] + instr[i:])
    if kind == 7:                              # truncate instrs (with or without the line table)
        k = rng.randrange(n)
        positions = code.positions[:k] if rng.random() < 0.7 else code.positions
        return dataclasses.replace(code, instrs=code.instrs[:k], positions=positions)
    if kind == 8 and len(code.consts) > 1:     # swap two constants
        consts = list(code.consts)
        i, j = rng.sample(range(len(consts)), 2)
        consts[i], consts[j] = consts[j], consts[i]
        return dataclasses.replace(code, consts=tuple(consts))
    if kind == 9:                              # fewer registers
        return dataclasses.replace(code, nregs=rng.randint(-1, max(code.nregs - 1, 0)))
    if kind == 10:                             # swap two instructions
        i, j = rng.randrange(n), rng.randrange(n)
        instrs = list(code.instrs)
        instrs[i], instrs[j] = instrs[j], instrs[i]
        return dataclasses.replace(code, instrs=tuple(instrs))
    if kind == 11:                             # replace an instruction by a random one
        op = rng.randrange(len(OPCODES))
        operands = tuple(random_operand(rng, code) for _ in OPCODES[op].operands)
        return with_instr(code, pc, (op,) + operands)
    if kind == 12:                             # perturb the loop table
        loops = list(code.loops) or [0]
        loops[rng.randrange(len(loops))] = random_operand(rng, code)
        if rng.random() < 0.3:
            loops.append(rng.randrange(n))
        return dataclasses.replace(code, loops=tuple(loops))
    if kind == 13:                             # parameter count / constant table shape
        choice = rng.randrange(3)
        if choice == 0:
            nparams = rng.randint(-1, code.nregs + 1)
            names = tuple(f"p{i}" for i in range(max(nparams, 0)))
            return dataclasses.replace(code, nparams=nparams, argnames=names)
        if choice == 1:
            return dataclasses.replace(code, consts=code.consts[:rng.randrange(len(code.consts) + 1)])
        return dataclasses.replace(code, consts=code.consts + (rng.choice([[1], {}, object(), 1.5, "s"]),))
    return with_instr(code, pc, instr + (0,))  # fallback: an extra operand


def random_mutant(rng):
    code = rng.choice(CODES)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if not code.instrs:
            break
        code = mutate(code, rng)
    return code


def verifies(code):
    """True/False for pass/VerifyError; any other exception fails the calling test."""
    try:
        interp.verify(code)
    except VerifyError:
        return False
    return True


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_seeded_mutations_raise_only_verify_error():
    rng = random.Random(20240611)
    passed = rejected = 0
    for _ in range(4000):
        mutant = random_mutant(rng)
        if verifies(mutant):
            passed += 1
            DecodedCode(Machine(), mutant, {})   # whatever verifies must decode
        else:
            rejected += 1
    # both outcomes are exercised in bulk
    assert passed > 200 and rejected > 1000, (passed, rejected)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(CODES) - 1), st.lists(st.integers(0, 2 ** 32 - 1), min_size=1, max_size=3))
def test_hypothesis_mutations_raise_only_verify_error(index, seeds):
    code = CODES[index]
    for seed in seeds:
        if not code.instrs:
            break
        code = mutate(code, random.Random(seed))
    if verifies(code):
        DecodedCode(Machine(), code, {})


operand_values = st.one_of(st.integers(-2 ** 66, 2 ** 66), st.integers(-8, 40), st.none(), st.booleans(),
                           st.floats(allow_nan=True), st.text(max_size=2))


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(0, len(CODES) - 1), st.data())
def test_hypothesis_arbitrary_instruction_raises_only_verify_error(index, data):
    code = CODES[index]
    pc = data.draw(st.integers(0, len(code.instrs) - 1))
    opcode = data.draw(st.one_of(st.integers(0, len(OPCODES) - 1), st.integers(-5, len(OPCODES) + 5)))
    operands = data.draw(st.lists(operand_values, max_size=6))
    mutant = with_instr(code, pc, (opcode, *operands))
    if verifies(mutant):
        DecodedCode(Machine(), mutant, {})


# ----- running verified mutants ----------------------------------------------------------------------
# Executed in a child process: a mutant may legitimately build huge values in a few
# instructions (x = x * x), so the child runs under an address-space limit and a per-mutant
# timer; the parent checks that the child survived and saw only ordinary exceptions.
UNSAFE_NAMES = frozenset({"pow", "sum", "min", "max", "round"})   # single host calls that can run unbounded
UNSAFE_OPS = frozenset({Op.POW, Op.IPOW})


def runnable(code):
    return not any(type(k) is GuestModule or (type(k) is str and k in UNSAFE_NAMES) for k in code.consts) \
        and not any(instr[0] in UNSAFE_OPS for instr in code.instrs)


class MutantTimeout(BaseException):
    pass


def run_mutants(seed, count):
    """Child process: run ``count`` verified mutants; print a JSON summary."""
    import resource
    import signal

    from interp.lists import from_python

    try:
        with open("/proc/self/status") as f:
            vm_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = vm_kb * 1024 + (1 << 30)
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, StopIteration, ValueError):
        pass

    def on_alarm(signum, frame):
        raise MutantTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    rng = random.Random(seed)
    pool = [c for c in CODES if runnable(c)]
    arg_pool = [lambda: 3, lambda: 0, lambda: -2, lambda: 2.5, lambda: "ab",
                lambda: from_python([1, 2, 3]), lambda: from_python([0.5, 1.5])]
    summary = {"executed": 0, "returned": 0, "timeouts": 0, "errors": {}}
    attempts = 0
    while summary["executed"] < count and attempts < 100 * count:
        attempts += 1
        code = pool[rng.randrange(len(pool))]
        for _ in range(rng.choice((1, 1, 2))):
            if code.instrs:
                code = mutate(code, rng)
        if not verifies(code) or not runnable(code):
            continue
        args = [rng.choice(arg_pool)() for _ in range(code.nparams)]
        vm = tracejit.VM(fuel=10000)
        summary["executed"] += 1
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                vm.machine.call_function(Function(code, (), {}), args)
            summary["returned"] += 1
        except MutantTimeout:
            summary["timeouts"] += 1
        except Exception as exc:          # an ordinary guest error: fine
            name = type(exc).__name__
            summary["errors"][name] = summary["errors"].get(name, 0) + 1
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    print(json.dumps(summary))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses RLIMIT_AS and SIGALRM")
def test_verified_mutants_run_without_crashing():
    root = os.path.dirname(os.path.dirname(HERE))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.path.dirname(HERE), HERE,
                                                       os.environ.get("PYTHONPATH", "")]),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--run-mutants", "7", "300"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, f"child died (rc {proc.returncode}):\n{proc.stderr[-4000:]}"
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["executed"] == 300, summary
    assert summary["returned"] + summary["timeouts"] + sum(summary["errors"].values()) == 300
    assert summary["timeouts"] == 0, summary
    assert summary["errors"], summary         # mutants do fail, with ordinary exceptions


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_verified_mutants_in_process_sample():
    # a small, cheap in-process sample: straight-line mutants of non-looping code only
    rng = random.Random(99)
    pool = [c for c in CODES if runnable(c) and not c.loops]
    executed = 0
    for _ in range(2000):
        code = mutate(rng.choice(pool), rng)
        if executed >= 60:
            break
        if not verifies(code) or not runnable(code) or code.loops:
            continue
        if any("jump" in OPCODES[instr[0]].operands
               or instr[0] in (Op.CALL, Op.CALLKW, Op.MUL, Op.IMUL, Op.LSHIFT, Op.ILSHIFT)
               for instr in code.instrs):
            continue
        executed += 1
        vm = tracejit.VM(fuel=10000)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                vm.machine.call_function(Function(code, (), {}), [3] * code.nparams)
        except Exception:
            pass
        assert vm.machine.depth == 0 and vm.machine.frame is None
    assert executed > 0


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--run-mutants":
    run_mutants(int(sys.argv[2]), int(sys.argv[3]))
