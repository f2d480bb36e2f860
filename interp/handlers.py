"""Handler factories: one per opcode, indexed by opcode number (``HANDLERS``).

Decoding an instruction calls ``HANDLERS[opcode](ctx, pc, *operands)``, which returns a
closure ``h(R) -> next_handler``: the instruction with its operands and constants baked
in (direct-threaded code). ``R`` is the frame's register list. A handler returns the
next handler to run, or ``None`` after setting ``ctx.machine.event`` to ask the dispatch
loop to do something it cannot (switch frames, return, hand a hot loop to the JIT).

Control-flow successors are free variables named ``nxt`` (the next instruction) and
``tgt`` (the jump target); ``link`` fills them once every handler of a code object exists.
Arithmetic, comparison and branch handlers are generated from the opcode table's
operator symbols, one variant per register/constant combination of their operands.
"""
from __future__ import annotations

from .code import Function, GuestModule
from .lists import List
from .opcodes import OPCODES, const_index
from .values import METHODS, get_attribute, type_name

class _Unbound:
    """The value of a local register before the local is first assigned."""

    __slots__ = ()

    def __repr__(self):
        return "<unbound>"


UNBOUND = _Unbound()

_FACTORIES = {}


def handler(name):
    def register(factory):
        assert name not in _FACTORIES, name
        _FACTORIES[name] = factory
        return factory
    return register


# ----- generated operator handlers ---------------------------------------------------
_TEMPLATES = {
    "binop": "R[a] = {B} {sym} {C}\n        return nxt",
    "inplace": "v = {B}\n        v {sym}= {C}\n        R[a] = v\n        return nxt",
    "compare": "R[a] = {B} {sym} {C}\n        return nxt",
    "unop": "R[a] = {sym} {B}\n        return nxt",
    "cmpjump": "return tgt if {B} {sym} {C} else nxt",
    "ncmpjump": "return nxt if {B} {sym} {C} else tgt",
}
_TARGET_OPERANDS = {"binop": "a", "inplace": "a", "compare": "a", "unop": "a",
                    "cmpjump": "", "ncmpjump": ""}


def _operator_factory(info):
    family = info.family
    nrk = 1 if family == "unop" else 2
    names = ("b", "c") if family not in ("cmpjump", "ncmpjump") else ("a", "b")
    variants = {}
    for mask in range(1 << nrk):
        parts = {}
        for i, letter in enumerate(("B", "C")[:nrk]):
            var = names[i]
            parts[letter] = var if mask & (1 << i) else f"R[{var}]"
        body = _TEMPLATES[family].format(sym=info.symbol, **parts)
        params = ", ".join(("a", "b", "c")[: len(info.operands)])
        src = (f"def factory(ctx, pc, {params}):\n"
               f"    nxt = tgt = None\n"
               f"    def {info.name}(R):\n"
               f"        {body}\n"
               f"    return {info.name}\n")
        namespace = {}
        exec(compile(src, f"<handler {info.name}>", "exec"), namespace)
        variants[mask] = namespace["factory"]
    rk_positions = [i for i, kind in enumerate(info.operands) if kind == "rk"]

    def factory(ctx, pc, *operands):
        mask = 0
        operands = list(operands)
        for bit, pos in enumerate(rk_positions):
            if operands[pos] < 0:
                mask |= 1 << bit
                operands[pos] = ctx.consts[const_index(operands[pos])]
        return variants[mask](ctx, pc, *operands)

    return factory


# ----- hand-written handlers -------------------------------------------------------------
def _rk(ctx, operand):
    """(is_const, value_or_register) for an rk operand."""
    if operand < 0:
        return True, ctx.consts[const_index(operand)]
    return False, operand


@handler("MOVE")
def _move(ctx, pc, a, b):
    nxt = None

    def MOVE(R):
        R[a] = R[b]
        return nxt
    return MOVE


@handler("LOADK")
def _loadk(ctx, pc, a, b):
    nxt = None
    k = ctx.consts[b]

    def LOADK(R):
        R[a] = k
        return nxt
    return LOADK


@handler("LOADGLOBAL")
def _loadglobal(ctx, pc, a, b):
    nxt = None
    name = ctx.consts[b]
    G = ctx.globals
    B = ctx.builtins

    def LOADGLOBAL(R):
        try:
            R[a] = G[name]
        except KeyError:
            try:
                R[a] = B[name]
            except KeyError:
                raise NameError(f"name '{name}' is not defined") from None
        return nxt
    return LOADGLOBAL


@handler("STOREGLOBAL")
def _storeglobal(ctx, pc, a, b):
    nxt = None
    name = ctx.consts[a]
    G = ctx.globals
    is_k, v = _rk(ctx, b)
    if is_k:
        def STOREGLOBAL(R):
            G[name] = v
            return nxt
    else:
        def STOREGLOBAL(R):
            G[name] = R[v]
            return nxt
    return STOREGLOBAL


@handler("CHECKBOUND")
def _checkbound(ctx, pc, a, b):
    nxt = None
    name = ctx.consts[b]

    def CHECKBOUND(R):
        if R[a] is UNBOUND:
            raise UnboundLocalError(
                f"cannot access local variable '{name}' where it is not associated with a value")
        return nxt
    return CHECKBOUND


@handler("JUMP")
def _jump(ctx, pc, a):
    tgt = None

    def JUMP(R):
        return tgt
    return JUMP


@handler("JUMPIF")
def _jumpif(ctx, pc, a, b):
    nxt = tgt = None
    is_k, v = _rk(ctx, a)
    if is_k:
        def JUMPIF(R):
            return tgt if v else nxt
    else:
        def JUMPIF(R):
            return tgt if R[v] else nxt
    return JUMPIF


@handler("JUMPIFNOT")
def _jumpifnot(ctx, pc, a, b):
    nxt = tgt = None
    is_k, v = _rk(ctx, a)
    if is_k:
        def JUMPIFNOT(R):
            return nxt if v else tgt
    else:
        def JUMPIFNOT(R):
            return nxt if R[v] else tgt
    return JUMPIFNOT


@handler("LOOP")
def _loop(ctx, pc, a):
    """Count down the loop's hot counter; at zero hand the loop to the machine's hook."""
    nxt = None
    counters = ctx.loop_counters
    machine = ctx.machine
    on_hot_loop = machine.on_hot_loop_event
    dc = ctx

    def LOOP(R):
        c = counters[a] - 1
        counters[a] = c
        if c:
            return nxt
        machine.hot_loop = (dc, a)
        machine.event = on_hot_loop
        return None
    return LOOP


def _to_index(value, what):
    if type(value) is int:
        return value
    try:
        return value.__index__()
    except AttributeError:
        raise TypeError(f"'{type_name(value)}' object cannot be interpreted as an integer") from None


@handler("FORPREP")
def _forprep(ctx, pc, a, b, c):
    nxt = tgt = None
    a1, a2 = a + 1, a + 2

    def FORPREP(R):
        start = _to_index(R[a], "start")
        stop = _to_index(R[a1], "stop")
        step = _to_index(R[a2], "step")
        if step == 0:
            raise ValueError("range() arg 3 must not be zero")
        R[a] = start
        R[a1] = stop
        R[a2] = step
        if (start < stop) if step > 0 else (start > stop):
            R[b] = start
            return nxt
        return tgt
    return FORPREP


@handler("FORLOOP")
def _forloop(ctx, pc, a, b, c):
    nxt = tgt = None
    a1, a2 = a + 1, a + 2

    def FORLOOP(R):
        step = R[a2]
        i = R[a] + step
        R[a] = i
        if (i < R[a1]) if step > 0 else (i > R[a1]):
            R[b] = i
            return tgt
        return nxt
    return FORLOOP


@handler("GETITER")
def _getiter(ctx, pc, a, b):
    nxt = None

    def GETITER(R):
        R[a] = iter(R[b])
        return nxt
    return GETITER


_EXHAUSTED = object()


@handler("FORITER")
def _foriter(ctx, pc, a, b, c):
    nxt = tgt = None

    def FORITER(R):
        v = next(R[a], _EXHAUSTED)
        if v is _EXHAUSTED:
            return nxt
        R[b] = v
        return tgt
    return FORITER


@handler("GETITEM")
def _getitem(ctx, pc, a, b, c):
    nxt = None
    is_k, k = _rk(ctx, c)
    if is_k:
        def GETITEM(R):
            R[a] = R[b][k]
            return nxt
    else:
        def GETITEM(R):
            R[a] = R[b][R[k]]
            return nxt
    return GETITEM


@handler("SETITEM")
def _setitem(ctx, pc, a, b, c):
    nxt = None
    kb, vb = _rk(ctx, b)
    kc, vc = _rk(ctx, c)
    if not kb and not kc:
        def SETITEM(R):
            R[a][R[vb]] = R[vc]
            return nxt
    else:
        def SETITEM(R):
            R[a][vb if kb else R[vb]] = vc if kc else R[vc]
            return nxt
    return SETITEM


@handler("GETITEM2")
def _getitem2(ctx, pc, a, b, c, d):
    nxt = None
    kc, vc = _rk(ctx, c)
    kd, vd = _rk(ctx, d)

    def GETITEM2(R):
        R[a] = R[b][vc if kc else R[vc], vd if kd else R[vd]]
        return nxt
    return GETITEM2


@handler("SETITEM2")
def _setitem2(ctx, pc, a, b, c, d):
    nxt = None
    kb, vb = _rk(ctx, b)
    kc, vc = _rk(ctx, c)
    kd, vd = _rk(ctx, d)

    def SETITEM2(R):
        R[a][vb if kb else R[vb], vc if kc else R[vc]] = vd if kd else R[vd]
        return nxt
    return SETITEM2


@handler("GETATTR")
def _getattr(ctx, pc, a, b, c):
    nxt = None
    name = ctx.consts[c]

    def GETATTR(R):
        obj = R[b]
        if type(obj) is GuestModule:
            attrs = obj.attrs
            if name in attrs:
                R[a] = attrs[name]
                return nxt
        R[a] = get_attribute(obj, name)
        return nxt
    return GETATTR


@handler("BUILDTUPLE")
def _buildtuple(ctx, pc, a, b, c):
    nxt = None
    end = b + c

    def BUILDTUPLE(R):
        R[a] = tuple(R[b:end])
        return nxt
    return BUILDTUPLE


@handler("BUILDLIST")
def _buildlist(ctx, pc, a, b, c):
    nxt = None
    end = b + c
    from_iterable = List.from_iterable

    def BUILDLIST(R):
        R[a] = from_iterable(R[b:end])
        return nxt
    return BUILDLIST


@handler("BUILDDICT")
def _builddict(ctx, pc, a, b, c):
    nxt = None
    end = b + 2 * c

    def BUILDDICT(R):
        items = R[b:end]
        d = {}
        for i in range(0, len(items), 2):
            d[items[i]] = items[i + 1]
        R[a] = d
        return nxt
    return BUILDDICT


def unpack_values(value, n):
    """The n values of ``value`` for ``a, b, ... = value``, with CPython's errors."""
    if type(value) is tuple and len(value) == n:
        return value
    try:
        iterator = iter(value)
    except TypeError:
        raise TypeError(f"cannot unpack non-iterable {type_name(value)} object") from None
    items = []
    for item in iterator:
        items.append(item)
        if len(items) > n:
            raise ValueError(f"too many values to unpack (expected {n})")
    if len(items) < n:
        raise ValueError(f"not enough values to unpack (expected {n}, got {len(items)})")
    return items


@handler("UNPACK")
def _unpack(ctx, pc, a, b, c):
    nxt = None
    end = a + b

    def UNPACK(R):
        R[a:end] = unpack_values(R[c], b)
        return nxt
    return UNPACK


@handler("MAKEFUNC")
def _makefunc(ctx, pc, a, b, c, d):
    nxt = None
    code = ctx.consts[b]
    G = ctx.globals
    end = c + d

    def MAKEFUNC(R):
        R[a] = Function(code, tuple(R[c:end]), G)
        return nxt
    return MAKEFUNC


@handler("CALL")
def _call(ctx, pc, a, b, c, d):
    nxt = None
    machine = ctx.machine
    end = c + d

    on_call = machine.on_call_event

    def CALL(R):
        fn = R[b]
        if type(fn) is Function:
            dc = fn.decoded
            if dc is None or dc.nparams != d or dc.machine is not machine \
                    or machine.depth >= machine.recursion_limit:
                machine.push_call(fn, R[c:end], a, nxt)
                return None
            # fast path of Machine.push_call: exact arity, code already decoded
            pool = dc.pool
            frame = pool.pop() if pool else dc.new_frame()
            frame.regs[:d] = R[c:end]
            frame.parent = machine.frame
            frame.ret_dst = a
            frame.resume = nxt
            machine.frame = frame
            machine.depth += 1
            dc.calls += 1
            machine.event = on_call
            return None
        R[a] = fn(*R[c:end])
        return nxt
    return CALL


@handler("CALLKW")
def _callkw(ctx, pc, a, b, c, d, e):
    nxt = None
    kwnames = ctx.consts[e]
    npos = d - len(kwnames)
    end = c + d
    pos_end = c + npos

    def CALLKW(R):
        fn = R[b]
        if type(fn) is Function:
            raise TypeError(f"{fn.code.name}() got an unexpected keyword argument '{kwnames[0]}'")
        R[a] = fn(*R[c:pos_end], **dict(zip(kwnames, R[pos_end:end])))
        return nxt
    return CALLKW


@handler("CALLMETHOD")
def _callmethod(ctx, pc, a, b, c, d, e):
    nxt = None
    name = ctx.consts[c]
    end = d + e
    methods = METHODS

    def CALLMETHOD(R):
        obj = R[b]
        method = methods.get((type(obj), name))
        if method is None:
            raise AttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")
        R[a] = method(obj, *R[d:end])
        return nxt
    return CALLMETHOD


@handler("RETURN")
def _return(ctx, pc, a):
    machine = ctx.machine
    on_return = machine.on_return_event
    is_k, v = _rk(ctx, a)
    if is_k:
        def RETURN(R):
            machine.retval = v
            machine.event = on_return
            return None
    else:
        def RETURN(R):
            machine.retval = R[v]
            machine.event = on_return
            return None
    return RETURN


for _info in OPCODES:
    if _info.family is not None:
        handler(_info.name)(_operator_factory(_info))

_missing = [info.name for info in OPCODES if info.name not in _FACTORIES]
_extra = set(_FACTORIES) - {info.name for info in OPCODES}
assert not _missing and not _extra, (_missing, _extra)

HANDLERS = tuple(_FACTORIES[info.name] for info in OPCODES)
JUMP_OPERAND = tuple(
    info.operands.index("jump") if "jump" in info.operands else None for info in OPCODES)
FALLS_THROUGH = tuple(info.name not in ("JUMP", "RETURN") for info in OPCODES)
