"""Instruction templates: the one definition of what each opcode does at run time.

``TEMPLATES[opcode](b, pc, *operands)`` writes the instruction's Python source into a
``interp.blocks.BlockBuilder`` ``b``. The builder turns a run of instructions into one
generated function (a basic-block superinstruction) or a single instruction into a
step function (used while the JIT records and while profiling), so both dispatch
modes run the same code. Builder vocabulary:

- ``b.r(x)`` local name holding register x (read), ``b.w(x)`` the same local, marked
  written; ``b.rk(x)`` a register's local or a constant's name;
- ``b.k(value)`` the name of a constant bound in the generated module;
- ``b.line(text)`` emit one line; ``b.indent()`` a nested block;
- ``b.exit(pc)`` leave the block towards instruction ``pc`` (writes back the
  registers written so far and counts the instructions executed);
- ``b.exit_event()`` leave with ``None``: the caller set ``machine.event``.

Templates of instructions that end a basic block (``opcodes.ends_block``) must leave
on every path; the others must fall through.
"""
from __future__ import annotations

from .opcodes import OPCODES

_TEMPLATES = {}


def template(name):
    def register(fn):
        assert name not in _TEMPLATES, name
        _TEMPLATES[name] = fn
        return fn
    return register


def _operator_template(info):
    sym = info.symbol
    family = info.family
    if family in ("binop", "compare"):
        def emit(b, pc, a, x, y):
            left, right = b.rk(x), b.rk(y)
            b.line(f"{b.w(a)} = {left} {sym} {right}")
    elif family == "inplace":
        def emit(b, pc, a, x, y):
            left, right = b.rk(x), b.rk(y)
            b.line(f"_t = {left}")
            b.line(f"_t {sym}= {right}")
            b.line(f"{b.w(a)} = _t")
    elif family == "unop":
        def emit(b, pc, a, x):
            operand = b.rk(x)
            b.line(f"{b.w(a)} = {sym} {operand}")
    elif family in ("cmpjump", "ncmpjump"):
        negate = family == "ncmpjump"

        def emit(b, pc, x, y, target):
            test = f"{b.rk(x)} {sym} {b.rk(y)}"
            b.line(f"if not ({test}):" if negate else f"if {test}:")
            with b.indent():
                b.exit(target)
            b.exit(pc + 1)
    else:
        raise AssertionError(family)
    return emit


@template("MOVE")
def _move(b, pc, a, x):
    src = b.r(x)
    b.line(f"{b.w(a)} = {src}")


@template("LOADK")
def _loadk(b, pc, a, k):
    b.line(f"{b.w(a)} = {b.k(b.consts[k])}")


@template("LOADGLOBAL")
def _loadglobal(b, pc, a, k):
    name = b.k(b.consts[k])
    b.line(f"_t = G.get({name}, MISSING)")
    b.line("if _t is MISSING:")
    with b.indent():
        b.line(f"_t = load_builtin({name})")
    b.line(f"{b.w(a)} = _t")


@template("STOREGLOBAL")
def _storeglobal(b, pc, k, x):
    b.line(f"G[{b.k(b.consts[k])}] = {b.rk(x)}")


@template("CHECKBOUND")
def _checkbound(b, pc, a, k):
    b.line(f"if {b.r(a)} is UNBOUND:")
    with b.indent():
        b.line(f"raise_unbound({b.k(b.consts[k])})")


@template("JUMP")
def _jump(b, pc, target):
    b.exit(target)


def _truth_jump(negate):
    def emit(b, pc, x, target):
        value = b.rk(x)
        b.line(f"if not {value}:" if negate else f"if {value}:")
        with b.indent():
            b.exit(target)
        b.exit(pc + 1)
    return emit


template("JUMPIF")(_truth_jump(False))
template("JUMPIFNOT")(_truth_jump(True))


@template("LOOP")
def _loop(b, pc, loop):
    """Count down the loop's hot counter; at zero hand the loop to the machine's hook
    (which resumes at pc + 1). Without a hook that wants hot loops this emits nothing:
    a LOOP always starts its unit, so its executions are that unit's exit counts."""
    if not b.unit.machine.counts_hot_loops:
        return
    b.line(f"_t = LC[{loop}] - 1")
    b.line(f"LC[{loop}] = _t")
    b.line("if not _t:")
    with b.indent():
        b.line(f"machine.hot_loop = (DC, {loop})")
        b.line("machine.event = on_hot_loop")
        b.exit_event()


@template("FORPREP")
def _forprep(b, pc, base, var, target):
    start, stop, step = b.r(base), b.r(base + 1), b.r(base + 2)
    b.line(f"{b.w(base)}, {b.w(base + 1)}, {b.w(base + 2)} = range_args({start}, {stop}, {step})")
    b.line(f"if ({start} < {stop}) if {step} > 0 else ({start} > {stop}):")
    with b.indent():
        b.line(f"{b.w(var)} = {start}")
        b.exit(pc + 1)
    b.exit(target)


@template("FORLOOP")
def _forloop(b, pc, base, var, target):
    index, stop, step = b.r(base), b.r(base + 1), b.r(base + 2)
    b.line(f"{b.w(base)} = {index} + {step}")
    b.line(f"if ({index} < {stop}) if {step} > 0 else ({index} > {stop}):")
    with b.indent():
        b.line(f"{b.w(var)} = {index}")
        b.exit(target)
    b.exit(pc + 1)


@template("GETITER")
def _getiter(b, pc, a, x):
    src = b.r(x)
    b.line(f"{b.w(a)} = iter({src})")


@template("FORITER")
def _foriter(b, pc, it, var, target):
    b.line(f"_t = next({b.r(it)}, EXHAUSTED)")
    b.line("if _t is not EXHAUSTED:")
    with b.indent():
        b.line(f"{b.w(var)} = _t")
        b.exit(target)
    b.exit(pc + 1)


@template("GETITEM")
def _getitem(b, pc, a, obj, key):
    src = f"{b.r(obj)}[{b.rk(key)}]"
    b.line(f"{b.w(a)} = {src}")


@template("SETITEM")
def _setitem(b, pc, obj, key, value):
    b.line(f"{b.r(obj)}[{b.rk(key)}] = {b.rk(value)}")


@template("GETITEM2")
def _getitem2(b, pc, a, obj, i, j):
    src = f"{b.r(obj)}[{b.rk(i)}, {b.rk(j)}]"
    b.line(f"{b.w(a)} = {src}")


@template("SETITEM2")
def _setitem2(b, pc, obj, i, j, value):
    b.line(f"{b.r(obj)}[{b.rk(i)}, {b.rk(j)}] = {b.rk(value)}")


@template("GETATTR")
def _getattr(b, pc, a, obj, k):
    src = f"get_attribute({b.r(obj)}, {b.k(b.consts[k])})"
    b.line(f"{b.w(a)} = {src}")


def _regs(b, base, count):
    return [b.r(base + i) for i in range(count)]


@template("BUILDTUPLE")
def _buildtuple(b, pc, a, base, count):
    items = _regs(b, base, count)
    b.line(f"{b.w(a)} = ({''.join(item + ', ' for item in items)})")


@template("BUILDLIST")
def _buildlist(b, pc, a, base, count):
    items = _regs(b, base, count)
    b.line(f"{b.w(a)} = list_from(({''.join(item + ', ' for item in items)}))")


@template("BUILDDICT")
def _builddict(b, pc, a, base, count):
    items = _regs(b, base, 2 * count)
    pairs = ", ".join(f"{items[2 * i]}: {items[2 * i + 1]}" for i in range(count))
    b.line(f"{b.w(a)} = {{{pairs}}}")


@template("UNPACK")
def _unpack(b, pc, base, count, x):
    src = b.r(x)
    targets = [b.w(base + i) for i in range(count)]
    if count == 0:
        b.line(f"unpack_values({src}, 0)")
    else:
        b.line(f"{''.join(t + ', ' for t in targets)}= unpack_values({src}, {count})")


@template("MAKEFUNC")
def _makefunc(b, pc, a, k, base, count):
    defaults = _regs(b, base, count)
    b.line(f"{b.w(a)} = Function({b.k(b.consts[k])}, "
           f"({''.join(d + ', ' for d in defaults)}), G)")


@template("CALL")
def _call(b, pc, a, fn, base, count):
    """A guest function gets a new frame (the dispatch loop switches to it and resumes
    this frame at pc + 1); any other callable is a whitelisted host function."""
    callee = b.r(fn)
    args = ", ".join(_regs(b, base, count))
    b.line(f"if type({callee}) is Function:")
    with b.indent():
        b.writeback()
        b.line(f"push_call({callee}, [{args}], {a}, {b.block_name(pc + 1)})")
        b.exit_event()
    b.line(f"{b.w(a)} = {callee}({args})")
    b.exit(pc + 1)


@template("CALLKW")
def _callkw(b, pc, a, fn, base, count, k):
    kwnames = b.consts[k]
    npos = count - len(kwnames)
    regs = _regs(b, base, count)
    kwargs = ", ".join(f"{name}={reg}" for name, reg in zip(kwnames, regs[npos:]))
    callee = b.r(fn)
    b.line(f"if type({callee}) is Function:")
    with b.indent():
        b.line(f"raise_keyword_to_function({callee}, {b.k(kwnames[0])})")
    b.line(f"{b.w(a)} = {callee}({''.join(r + ', ' for r in regs[:npos])}{kwargs})")


@template("GETMETHOD")
def _getmethod(b, pc, a, obj, k):
    src = f"bound_method({b.r(obj)}, {b.k(b.consts[k])})"
    b.line(f"{b.w(a)} = {src}")


@template("CALLMETHOD")
def _callmethod(b, pc, a, method, base, count):
    src = f"{b.r(method)}({', '.join(_regs(b, base, count))})"
    b.line(f"{b.w(a)} = {src}")


@template("RETURN")
def _return(b, pc, x):
    b.line(f"machine.retval = {b.rk(x)}")
    b.line("machine.event = on_return")
    b.exit_event(writeback=False)


for _info in OPCODES:
    if _info.family is not None:
        template(_info.name)(_operator_template(_info))

_missing = [info.name for info in OPCODES if info.name not in _TEMPLATES]
_extra = set(_TEMPLATES) - {info.name for info in OPCODES}
assert not _missing and not _extra, (_missing, _extra)

TEMPLATES = tuple(_TEMPLATES[info.name] for info in OPCODES)
