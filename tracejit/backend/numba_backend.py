"""Numba backend: a ``Trace`` -> readable Python source -> machine code with a C entry.

The generated function takes the trace's live-in values as C arguments (``abi``:
scalars, and raw pointers with lengths for arrays and strategy lists' storage), the
exit buffers (pointers) and an iteration budget, runs the loop body in ``while
True:`` and returns the number of the exit taken, or -1 at the loop header when the
budget is spent (``len(snapshots)``, the entry exit, before the loop if an entry guard
of the optimized copy fails). Values stay in locals while the loop runs (loop variables
included: the back edge stores nothing); every guard is ``if <failed>: <writes>; ex =
k; break``, whose writes put into their buffer slots exactly the values exit ``k``'s
snapshot restores; the exit tail after the loop writes the iteration and instruction
counts and returns ``ex``. (The counts written by each exit instead: 5-12% more Numba
compile time on fannkuch and nbody, the same steady state. One shared exit path writing
every value was measured slower in steady state and no faster to compile.)

``compile_trace`` finds the machine code for a trace's source: an identical trace
compiled before in this process, the persistent cache (``tracejit.cache``), or Numba
(``numba_compile``). Every trace is called the same way, through its C entry.

Invariants of the generated code: array and list accesses are preceded by a bounds
guard on a normalized index (no access out of bounds is possible), unless the
optimizer proved the index in bounds (``_inbounds``); integer ops that can overflow
int64 (all but the ``_nov`` ones, proved not to), divisions by zero, and math calls
with a non-finite input or result exit instead of computing (the interpreter then
redoes the instruction with Python semantics); values held in variables keep one type
for the whole trace.
"""
from __future__ import annotations

import hashlib
import itertools
import time
import weakref

from ..ir import FLOAT_BUFFER_TYPES, INT_BUFFER_TYPES, ROW_OPS, SCALAR_TYPES, Trace
from . import abi

_ZERO = {"i64": "0", "ni64": "0", "f64": "0.0", "nf64": "0.0", "bool": "False", "nbool": "False"}
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
EXACT_FLOAT_INT = 1 << 53

_compiled_cache = {}   # trace key -> MachineCode: shared by all VMs (release_code drops entries)
_uids = itertools.count(1)
CONTAINER_KINDS = ("arr:", "lst:", "it:", "lol:", "itl:")   # live-ins passed as pointers (abi)


class CompiledTrace:
    """The machine code of one trace and what its exits need."""

    def __init__(self, trace, source, code, int_slots, float_slots, param_layout, compile_seconds,
                 load_seconds=0.0, optimized=None):
        self.trace = trace
        self.optimized = optimized or trace   # what the source was generated from (tracejit.opt)
        self.source = source
        self.code = code                    # MachineCode
        self.key = code.key
        self.int_slots = int_slots          # ref, ('var', reg), ('path', side guard) ... -> int buffer index
        self.float_slots = float_slots
        self.param_layout = param_layout    # [(reg, type)] in argument order
        self.compile_seconds = compile_seconds    # Numba compilation in this call (0: reused or loaded)
        self.load_seconds = load_seconds          # loading from the persistent cache
        self.from_cache = code.from_cache
        self.uid = code.uid
        self.label = f"<{trace.name} #{self.uid}>"
        # the exit buffers after the live-ins: XI, XF, then those of each inner loop call
        self.buffer_kinds = buffer_kinds(trace)
        # int slots holding counts of one call (summed by an outer loop calling this one)
        self.count_slots = [ITERATIONS_SLOT, INSTRUCTIONS_SLOT] + sorted(
            slot for key, slot in int_slots.items()
            if isinstance(key, tuple) and key[0] in ("path", "acc", "accexit", "branch"))

    @property
    def dispatcher(self):
        """The Numba body that compiled outer loops call (``call_loop``)."""
        return self.code.body()

    def __deepcopy__(self, memo):
        return self     # compiled code is shared, never copied (a copied trace keeps its inner loops)


def call_sites(trace) -> list:
    """Refs of the trace's call_loop ops, in order: each passes its inner loop's buffers."""
    return [ref for ref, ins in enumerate(trace.ins) if ins.op == "call_loop"]


def buffer_kinds(trace) -> list:
    """'int'/'float' per exit-buffer argument: XI, XF, then each call site's inner buffers."""
    return ["int", "float"] + [kind for ref in call_sites(trace)
                               for kind in trace.nested[trace.ins[ref].aux[0]].buffer_kinds]


class _Names:
    """Source names of refs: parameters and loop variables ``v<reg>``, temporaries
    ``t<ref>``, constants as literals."""

    def __init__(self, trace: Trace, int_slots=None):
        self.trace = trace
        self.int_slots = int_slots
        self.exits = {}       # exit number -> its statements (``_fail``)
        self.param_reg = {ref: trace.ins[ref].aux[1] for ref in trace.params}

    def __call__(self, ref):
        ins = self.trace.ins[ref]
        if ins.op == "param":
            return f"v{ins.aux[1]}"
        if ins.op == "const":
            value = ins.aux[1]
            if ins.type in ("f64", "nf64"):
                return ("math.nan" if value != value else "math.inf" if value > 0 else "(-math.inf)") \
                    if value != value or value in (float("inf"), float("-inf")) \
                    else repr(float(value))
            if ins.type in ("bool", "nbool"):
                return "True" if value else "False"
            return repr(int(value))
        return f"t{ref}"


ITERATIONS_SLOT = 0       # XI[0]: loop iterations completed in this call
INSTRUCTIONS_SLOT = 1     # XI[1]: bytecode instructions of those iterations (paths differ)
FIRST_FREE_INT_SLOT = 2


def generate_source(trace: Trace, name: str):
    """(source text, argument layout, int slots, float slots) for the trace tree."""
    n = _Names(trace)
    ins = trace.ins
    layout = []
    args = []
    for ref in trace.params:
        type_ = ins[ref].type
        reg = ins[ref].aux[1]
        if type_ in SCALAR_TYPES or type_.startswith(CONTAINER_KINDS):
            layout.append((reg, type_))
            args += abi.argument_names(f"v{reg}", type_)
    buffers = ["XI", "XF"]
    for ref in call_sites(trace):
        inner = trace.nested[ins[ref].aux[0]]
        buffers += [f"B{ref}_{i}" for i in range(len(inner.buffer_kinds))]
    carried = trace.carried_registers()
    scalar_carried = {reg: t for reg, t in carried.items() if t in SCALAR_TYPES}
    live_in = trace.live_in_registers()
    flagged = sorted(reg for reg in carried if reg not in live_in)

    snapshot_refs = []
    rows = set()    # rows of lists of lists an exit restores: from their index, stored with them
    for entry in [e for snap in trace.snapshots for e in snap.entries + [e for f in snap.frames for e in f.entries]] \
            + trace.carried_entries():
        if ins[entry.ref].op in ROW_OPS and ins[entry.ref].type not in SCALAR_TYPES:
            rows.add(entry.ref)
            continue
        if entry.source != "ref":
            continue     # a carried scalar is restored from its loop variable
        # a tuple is restored from its items
        for ref in ins[entry.ref].args if ins[entry.ref].op == "tuple" else (entry.ref,):
            if ins[ref].type in SCALAR_TYPES and ins[ref].op not in ("param", "const") \
                    and ref not in snapshot_refs:
                snapshot_refs.append(ref)
    stored = set(snapshot_refs)

    # every value an exit may need has a buffer slot, written by the exits that need it
    int_slots, float_slots = {}, {}
    n.int_slots = int_slots

    def int_slot(key):
        return int_slots.setdefault(key, len(int_slots) + FIRST_FREE_INT_SLOT)

    def store(key, expr, type_):
        if type_ in INT_BUFFER_TYPES:
            slot = int_slot(key)
            value = f"{expr} * 1" if type_ in ("bool", "nbool") else expr
            return f"XI[{slot}] = {value}"
        slot = float_slots.setdefault(key, len(float_slots))
        return f"XF[{slot}] = {expr}"

    lines = [f"def {name}({', '.join(args + buffers + ['budget'])}):",
             "    it = 0", "    ni = 0", f"    XI[{ITERATIONS_SLOT}] = 0", f"    XI[{INSTRUCTIONS_SLOT}] = 0"]
    for reg in flagged:   # w<reg>: has some path written the register yet?
        lines += [f"    w{reg} = False", "    " + store(("flag", reg), f"w{reg}", "bool")]
    for reg, type_ in sorted(scalar_carried.items()):
        if reg not in live_in:
            lines.append(f"    v{reg} = {_ZERO[type_]}")
        lines.append("    " + store(("var", reg), f"v{reg}", type_))
    for ref in trace.params:
        if ins[ref].type in SCALAR_TYPES and ins[ref].aux[1] not in carried:
            lines.append("    " + store(("param", ref), n(ref), ins[ref].type))
    # counters, zero at entry (consecutive slots: one loop zeroes them)
    counters = [("path", side.guard) for side in trace.sides]   # iterations along a side trace's path
    for call in call_sites(trace):   # ('acc', call, i): the inner loop's count slot i, summed
        counters += [("acc", call, i) for i in range(len(trace.nested[ins[call].aux[0]].count_slots))]
    for ref, instruction in enumerate(ins):   # ('accexit', guard, i): inner runs that left by exit i
        if instruction.op == "guard_loop_exit":
            counters += [("accexit", ref, i) for i in range(len(instruction.aux[0]))]
    counters += [("branch", ref) for ref, instruction in enumerate(ins)   # converted branches run
                 if instruction.op == "count_if"]
    lines += _zero_counters([int_slot(key) for key in counters])
    # each exit writes the values its snapshot restores (they stay in locals while the
    # loop runs): the snapshot's refs, the carried registers' loop variables (and their
    # written flags); then it leaves the loop for the exit tail, which writes the
    # iteration and instruction counts every exit has and returns the exit's number
    # (moving the loop variables' writes there too was measured ~5% slower in steady state)
    var_stores = {reg: ([store(("var", reg), f"v{reg}", type_)] if reg in scalar_carried else []) +
                  ([store(("flag", reg), f"w{reg}", "bool")] if reg in flagged else [])
                  for reg, type_ in sorted(carried.items())}
    counts = [f"XI[{ITERATIONS_SLOT}] = it", f"XI[{INSTRUCTIONS_SLOT}] = ni"]
    n.exits = {}
    for number, snap in enumerate(trace.snapshots):
        writes = []
        for entry in snap.entries + [e for f in snap.frames for e in f.entries]:
            if entry.source == "carried":
                writes += var_stores.get(entry.reg, [])
                continue
            for ref in ins[entry.ref].args if ins[entry.ref].op == "tuple" else (entry.ref,):
                if ins[ref].op == "param":   # restored from its register's loop variable
                    writes += var_stores.get(ins[ref].aux[1], [])
                elif ref in stored:
                    writes.append(store(ref, n(ref), ins[ref].type))
        n.exits[number] = "; ".join(list(dict.fromkeys(writes)) + [f"ex = {number}", "break"])
    budget_exit = "; ".join([w for reg in sorted(carried) for w in var_stores[reg]] + ["ex = -1", "break"])
    lines += _entry_guards(n, trace)
    lines.append("    while True:")
    sides_at = {side.guard: side for side in trace.sides}

    def emit_path(start, end, depth, path_carried, path_instructions, path_slot=None):
        pad = "    " * depth
        for ref in range(start, end):
            instruction = ins[ref]
            side = sides_at.get(ref)
            if side is not None:
                lines.append(f"{pad}if {_failed(n, instruction)}:")
                emit_path(side.start, side.end, depth + 1, side.loop_carried, side.body_instructions,
                          int_slots[("path", side.guard)])
                if instruction.op == "guard_loop_exit" and not _checks_writes_next(ins, ref):
                    lines.extend(pad + line for line in _after_loop_exit(n, ref, instruction))
                continue
            if instruction.op == "guard_loop_exit":   # the exit needs the inner loop's exit number
                key = ("loopexit", instruction.args[0])
                int_slots.setdefault(key, len(int_slots) + FIRST_FREE_INT_SLOT)
            body = _emit(n, ref, instruction)
            if ref in rows and ins[instruction.args[1]].op != "const":
                body.append(store(("row", ref), n(instruction.args[1]), "i64"))
            lines.extend(pad + line for line in body)
        if end > start and ins[end - 1].op == "ret":
            return      # a function trace's path ends at the function's return: no back edge
        # the back edge of this path
        assigned = sorted(reg for reg in path_carried if reg in scalar_carried)
        if assigned:
            lines.append(f"{pad}{', '.join(f'v{reg}' for reg in assigned)} = "
                         f"{', '.join(n(path_carried[reg]) for reg in assigned)}")
        for reg in flagged:
            if reg in path_carried:
                lines.append(f"{pad}w{reg} = True")
        if path_slot is not None:
            lines.append(f"{pad}XI[{path_slot}] += 1")
        lines.extend([f"{pad}it += 1", f"{pad}ni += {path_instructions}",
                      f"{pad}if it >= budget: {budget_exit}"])
        if depth > 2:
            lines.append(f"{pad}continue")

    emit_path(0, trace.main_end, 2, trace.loop_carried, trace.body_instructions)
    # the exit tail
    lines += ["    " + count for count in counts] + ["    return ex"]
    return "\n".join(lines) + "\n", layout, int_slots, float_slots


def _zero_counters(slots) -> list:
    """The statements zeroing the int buffer's counter ``slots`` (consecutive): a loop
    when there are many (fewer statements for Numba to type and lower)."""
    if len(slots) < 4:
        return [f"    XI[{slot}] = 0" for slot in slots]
    first, last = slots[0], slots[-1]
    assert list(slots) == list(range(first, last + 1)), "counter slots are allocated consecutively"
    return [f"    k = {first}", f"    while k <= {last}:", "        XI[k] = 0", "        k += 1"]


def _entry_guards(n, trace) -> list:
    """The optimizer's checks before the first iteration (``Trace.entry_guards``): if one
    fails, return the entry exit (numbered after the snapshots). Each ``a <= b + c`` is
    computed without overflow: the constant moves to the side it cannot overflow."""
    failed = []
    for guard in trace.entry_guards:
        a, b, c = _term(n, guard.a), _term(n, guard.b), guard.c
        if guard.b is None:
            failed.append(f"{a} > {c}")
        elif guard.a is None:
            failed.append(f"{b} < {-c}")
        elif c == 0:
            failed.append(f"{a} > {b}")
        elif c < 0:     # a - c overflows only when a > b + c certainly
            failed.append(f"({a} > {INT64_MAX + c}) | ({_min(a, INT64_MAX + c)} - {c} > {b})")
        else:           # a - c underflows only when a <= b + c certainly
            failed.append(f"({a} >= {INT64_MIN + c}) & ({_max(a, INT64_MIN + c)} - {c} > {b})")
    if not failed:
        return []
    return [f"    if {_any(*failed)}: {_fail(n, len(trace.snapshots))}"]


def _min(a, b) -> str:
    """``min(a, b)`` of two ints as an expression, ``int_min``'s (Numba compiles its
    ``min`` overload, a function of its own, at its first use in a process: 50 ms)."""
    return f"({_SIMPLE['int_min'].format(a, b)})"


def _max(a, b) -> str:
    return f"({_SIMPLE['int_max'].format(a, b)})"


def _term(n, term) -> str:
    if term is None:
        return "0"
    if term[0] == "ref":
        return n(term[1])
    container = n.trace.ins[term[1]].type
    return f"{n(term[1])}_d{term[2]}" if container.startswith("arr:") else f"{n(term[1])}_n"


def _fail(n, snap):
    """The statements of exit ``snap``: write what it restores, return its number."""
    return n.exits.get(snap, f"return {snap}")


def _failed(n, ins) -> str:
    """The condition under which a side-trace guard fails (its side path runs)."""
    if ins.op == "guard_true":
        return f"not {n(ins.args[0])}"
    if ins.op == "guard_false":
        return n(ins.args[0])
    return " & ".join(f"({n(ins.args[0])} != {number})" for number in ins.aux[0])   # left by none of them


def _any(*conditions) -> str:
    """A condition true when any of ``conditions`` is, without short-circuit branches
    (each ``and``/``or``/chained comparison would be a block for Numba to process)."""
    return " | ".join(f"({c})" for c in conditions)


def _not_finite(x) -> str:
    return f"({x} - {x}) != 0.0"     # nan for inf and nan, 0.0 for finite values


def _emit(n, ref, ins):
    """Source lines for one IR instruction (inside the loop body). Guards are
    computed with operators only, and every check precedes the operation it protects:
    LLVM treats signed overflow as undefined (Numba emits nsw arithmetic), so a
    wrapped result cannot be inspected afterwards."""
    op, a = ins.op, [n(x) for x in ins.args]
    t = f"t{ref}"
    k = ins.snap
    simple = _SIMPLE.get(op)
    if simple is not None:
        return [f"{t} = {simple.format(*a)}"]
    if op in ("param", "const", "arr_shape", "tuple", "iter_new", "method", "nop"):
        return []
    if op == "arr_dim":
        return [f"{t} = {a[0]}_d{ins.aux[0]}"]
    fail = _fail(n, k)
    if op in ("int_add", "int_sub") or (op == "int_mul" and _constant(n, ins.args) is not None):
        return [f"if {_overflows(n, op, ins.args)}: {fail}", f"{t} = {a[0]} {_INT_SYMBOL[op]} {a[1]}"]
    if op == "int_mul":
        # a float estimate decides: |result| >= 4.6e18 exits; exact products near the
        # int64 limits also exit (the interpreter redoes them)
        sym = _INT_SYMBOL[op]
        return [f"{t}_f = ({a[0]} * 1.0) {sym} ({a[1]} * 1.0)",
                f"if {_any(f'{t}_f >= 4.6e18', f'{t}_f <= -4.6e18')}: {fail}",
                f"{t} = {a[0]} {sym} {a[1]}"]
    if op == "int_floordiv":
        return [f"if {_any(f'{a[1]} == 0', f'({a[1]} == -1) & ({a[0]} == {INT64_MIN})')}: {fail}",
                f"{t} = {a[0]} // {a[1]}"]
    if op == "int_mod":
        return [f"if {_any(f'{a[1]} == 0', f'{a[1]} == -1')}: {fail}", f"{t} = {a[0]} % {a[1]}"]
    if op == "int_lshift":
        shift = n.trace.ins[ins.args[1]]
        constant = shift.op == "const" and 0 <= shift.aux[1] <= 62
        return ([] if constant else [f"if {_any(f'{a[1]} < 0', f'{a[1]} > 62')}: {fail}"]) + [
                f"{t}_lim = 1 << (62 - {a[1]})",   # conservative by one bit
                f"if {_any(f'{a[0]} >= {t}_lim', f'{a[0]} < -{t}_lim')}: {fail}",
                f"{t} = {a[0]} << {a[1]}"]
    if op == "int_rshift":
        return [f"if {_any(f'{a[1]} < 0', f'{a[1]} > 63')}: {fail}", f"{t} = {a[0]} >> {a[1]}"]
    if op == "int_truediv":
        e = EXACT_FLOAT_INT
        return [f"if {_any(f'{a[1]} == 0', f'{a[0]} < -{e}', f'{a[0]} > {e}', f'{a[1]} < -{e}', f'{a[1]} > {e}')}: {fail}",
                f"{t} = {a[0]} / {a[1]}"]
    if op in ("int_neg", "int_abs"):
        expr = f"-{a[0]}" if op == "int_neg" else f"abs({a[0]})"
        return [f"if {a[0]} == {INT64_MIN}: {fail}", f"{t} = {expr}"]
    if op == "int_to_float_exact":
        e = EXACT_FLOAT_INT
        return [f"if {_any(f'{a[0]} < -{e}', f'{a[0]} > {e}')}: {fail}", f"{t} = {a[0]} * 1.0"]
    if op == "float_to_int":
        return [f"if {_any(f'{a[0]} <= -9.2e18', f'{a[0]} >= 9.2e18', f'{a[0]} != {a[0]}')}: {fail}",
                f"{t} = int({a[0]})"]
    if op in ("float_truediv", "float_floordiv", "float_mod"):
        sym = {"float_truediv": "/", "float_floordiv": "//", "float_mod": "%"}[op]
        return [f"if {a[1]} == 0.0: {fail}", f"{t} = {a[0]} {sym} {a[1]}"]
    if op == "float_pow":
        return [f"if not ({a[0]} > 0.0): {fail}", f"{t} = libm_pow({a[0]}, {a[1]})",
                f"if ({_not_finite(t)}) & ({a[0]} - {a[0]} == 0.0) & ({a[1]} - {a[1]} == 0.0): {fail}"]
    if op == "guard_true":
        return [f"if not {a[0]}: {fail}"]
    if op == "guard_false":
        return [f"if {a[0]}: {fail}"]
    if op == "ret":
        return [fail]
    if op == "count_if":   # a converted branch's instruction ran: an instruction, and its opcode
        return [f"ni += {a[0]} * 1", f"XI[{n.int_slots[('branch', ref)]}] += {a[0]} * 1"]
    if op.startswith(("arr_get", "arr_set", "lst_get", "lst_set")):
        return _emit_access(n, t, ins, a, None if op.endswith(("_inbounds", "_inrange")) else fail)
    if op in ("lol_get", "lol_get_inbounds"):   # a row: its storage, length (and no room to append)
        rows = a[0]
        return _index(f"{t}_i", a[1], f"{rows}_n", None if op.endswith("_inbounds") else fail) + \
            _row(t, rows, f"{t}_i")
    if op == "lol_len":
        return [f"{t} = {a[0]}_n"]
    if op == "lst_append":   # the length variable v<reg>_n is updated in place
        st, length = f"{a[0]}_st", f"{a[0]}_n"
        lines = [f"if {length} >= {a[0]}_cap: {fail}"]
        if n.trace.ins[ins.args[1]].type == "f64":
            lines.append(f"if {a[1]} != {a[1]}: {fail}")
        return lines + [f"{st}[{length}] = {a[1]}", f"{length} += 1", f"{t} = {length}"]
    if op in ("lst_len", "iter_len"):
        return [f"{t} = {_storage(n, ins.args[0])}_n"]
    if op == "iter_get":
        container = n.trace.ins[ins.args[0]].type
        if container.startswith("itl:"):
            return _row(t, _storage(n, ins.args[0]), a[1])
        return [f"{t} = {_load(container, _storage(n, ins.args[0]) + '_st', a[1])}"]
    if op in ("call_math1", "call_math"):
        checks = [_not_finite(x) for x in a] + [_not_finite(t)]
        fn = "libm_pow" if ins.aux[0] == "pow" else f"math.{ins.aux[0]}"
        return [f"{t} = {fn}({', '.join(a)})", f"if {_any(*checks)}: {fail}"]
    if op in ("call_loop", "guard_loop_exit", "guard_loop_wrote", "loop_out", "loop_outf"):
        return _emit_nested(n, ref, ins, a)
    raise NotImplementedError(f"backend: no code for {op}")


_INT_SYMBOL = {"int_add": "+", "int_sub": "-", "int_mul": "*"}
_MIN_LITERAL = f"({-INT64_MAX} - 1)"    # 9223372036854775808 alone is no int64 literal


def _constant(n, args):
    """(index of the operand that is an int constant, its value), or None."""
    for i, ref in enumerate(args):
        ins = n.trace.ins[ref]
        if ins.op == "const":
            return i, int(ins.aux[1])
    return None


def _overflows(n, op, args) -> str:
    """An exact condition, computed without overflowing itself, under which int64
    ``int_add``/``int_sub`` (any operands) or ``int_mul`` (one constant operand)
    overflows. With a constant operand it is a range test of the other one."""
    constant = _constant(n, args)
    if constant is None:
        x, y = n(args[0]), n(args[1])
        if op == "int_add":     # x + y > MAX iff x > MAX - y (y > 0); < MIN iff x < MIN - y (y < 0)
            return _any(f"{x} > {INT64_MAX} - {_max(y, 0)}", f"{x} < {_MIN_LITERAL} - {_min(y, 0)}")
        return _any(f"{x} > {INT64_MAX} + {_min(y, 0)}", f"{x} < {_MIN_LITERAL} + {_max(y, 0)}")
    at, c = constant
    x = n(args[1 - at])
    # the interval [lo, hi] of x for which the result fits in int64
    if op == "int_add":
        lo, hi = INT64_MIN - c, INT64_MAX - c
    elif op == "int_sub" and at == 1:      # x - c
        lo, hi = INT64_MIN + c, INT64_MAX + c
    elif op == "int_sub":                  # c - x
        lo, hi = c - INT64_MAX, c - INT64_MIN
    elif c > 0:                            # x * c
        lo, hi = -(-INT64_MIN // c), INT64_MAX // c
    elif c < 0:
        lo, hi = -(-INT64_MAX // c), INT64_MIN // c
    else:
        lo, hi = INT64_MIN, INT64_MAX
    tests = ([f"{x} < {lo}"] if lo > INT64_MIN else []) + ([f"{x} > {hi}"] if hi < INT64_MAX else [])
    return _any(*tests) if tests else "False"


def _emit_access(n, t, ins, a, fail):
    """An array or list element read or write; ``fail`` None: an ``_inbounds`` variant
    (a dominating access checked this index: only a negative index is normalized) or an
    ``_inrange`` one (the index is known in 0..len-1: used as it is).
    Arrays and list storage are raw pointers (``abi``): a 2-d array is indexed row-major."""
    op = ins.op.removesuffix("_inbounds").removesuffix("_inrange")
    container = n.trace.ins[ins.args[0]].type
    index_of = _index_in_range if ins.op.endswith("_inrange") else _index
    if op == "arr_get1":
        return index_of(f"{t}_i", a[1], f"{a[0]}_d0", fail) + [f"{t} = {_load(container, a[0], f'{t}_i')}"]
    if op == "arr_set1":
        return index_of(f"{t}_i", a[1], f"{a[0]}_d0", fail) + [f"{a[0]}[{t}_i] = {a[2]}"]
    if op in ("arr_get2", "arr_set2"):
        lines = index_of(f"{t}_i", a[1], f"{a[0]}_d0", fail) + \
            index_of(f"{t}_j", a[2], f"{a[0]}_d1", fail)
        at = f"{t}_i * {a[0]}_d1 + {t}_j"
        if op == "arr_get2":
            return lines + [f"{t} = {_load(container, a[0], at)}"]
        return lines + [f"{a[0]}[{at}] = {a[3]}"]
    st, length = f"{a[0]}_st", f"{a[0]}_n"
    lines = index_of(f"{t}_i", a[1], length, fail)
    if op == "lst_get":
        return lines + [f"{t} = {_load(container, st, f'{t}_i')}"]
    if n.trace.ins[ins.args[2]].type in ("f64", "nf64"):
        assert fail is not None, "lst_set_inbounds of a float (it must exit on a nan)"
        lines.append(f"if {a[2]} != {a[2]}: {fail}")
    return lines + [f"{st}[{t}_i] = {a[2]}"]


def _row(t, rows, index) -> list:
    """Row ``index`` of the row table ``rows`` as the list variables ``t_st``, ``t_n``,
    ``t_cap`` (its capacity is its length: nothing appends to a row in a trace)."""
    return [f"{t}_st = {rows}_rows[{index}]", f"{t}_n = {rows}_lens[{index}]", f"{t}_cap = {t}_n"]


def _after_loop_exit(n, ref, ins):
    """The inner loop left through the expected exit: count its instructions (bytecode,
    plus the loop header each completed iteration passed) and add its counts (iterations,
    paths, its own inner loops') to this trace's accumulators."""
    call = ins.args[0]
    inner = n.trace.nested[n.trace.ins[call].aux[0]]
    exits = ins.aux[0]
    done = _select(n(call), exits, [str(inner.trace.snapshots[e].ninstructions) for e in exits])
    lines = [f"ni += B{call}_0[{INSTRUCTIONS_SLOT}] + B{call}_0[{ITERATIONS_SLOT}] + {done}"]
    lines += [f"XI[{n.int_slots[('acc', call, i)]}] += B{call}_0[{slot}]"
              for i, slot in enumerate(inner.count_slots)]
    if len(exits) == 1:
        return lines + [f"XI[{n.int_slots[('accexit', ref, 0)]}] += 1"]
    return lines + [f"XI[{n.int_slots[('accexit', ref, i)]}] += 1 if {n(call)} == {e} else 0"
                    for i, e in enumerate(exits)]


def _select(exit_name, exits, values) -> str:
    """``values[i]`` when the inner loop left through ``exits[i]`` (the last otherwise)."""
    expr = values[-1]
    for number, value in zip(reversed(exits[:-1]), reversed(values[:-1])):
        expr = f"({value} if {exit_name} == {number} else {expr})"
    return expr


def _emit_nested(n, ref, ins, a):
    """A compiled inner loop: call it, check which exit it took, read its values."""
    trace = n.trace
    t = f"t{ref}"
    op = ins.op
    if op == "call_loop":
        inner = trace.nested[ins.aux[0]]
        args = []
        for (_reg, type_), arg, name in zip(inner.param_layout, ins.args, a):
            args += abi.argument_names(_storage(n, arg) if type_.startswith(CONTAINER_KINDS[1:]) else name, type_)
        args += [f"B{ref}_{i}" for i in range(len(inner.buffer_kinds))] + ["budget"]
        return [f"{t} = {inner_name(ins.aux[0])}({', '.join(args)})"]
    call = ins.args[0]
    exits = trace.ins[_guard_of(trace, ref, call)].aux[0] if op != "guard_loop_exit" else ins.aux[0]
    if op == "guard_loop_exit":
        slot = n.int_slots[("loopexit", call)]
        return [f"if {_failed(n, ins)}:", f"    XI[{slot}] = {a[0]}", f"    {_fail(n, ins.snap)}"] + \
            ([] if _checks_writes_next(trace.ins, ref) else _after_loop_exit(n, ref, ins))
    if op == "guard_loop_wrote":   # it follows its guard_loop_exit, whose counts come after it
        slot = n.int_slots[("loopexit", call)]
        unwritten = " | ".join(f"(B{call}_0[{flag}] == 0)" for flag in ins.aux[0])
        return [f"if {unwritten}:", f"    XI[{slot}] = {a[0]}", f"    {_fail(n, ins.snap)}"] + \
            _after_loop_exit(n, ref - 1, trace.ins[ref - 1])
    type_ = ins.aux[0]
    buffer = f"B{call}_1" if type_ in FLOAT_BUFFER_TYPES else f"B{call}_0"
    values = []
    for i, slot in enumerate(ins.aux[1]):
        value = f"{buffer}[{slot}]"
        if type_ in ("bool", "nbool"):
            value = f"({value} != 0)"
        if op == "loop_outf" and ins.aux[2][i] >= 0:
            value = f"({value} if B{call}_0[{ins.aux[2][i]}] else {a[1]})"
        values.append(value)
    return [f"{t} = {_select(a[0], exits, values)}"]


def _storage(n, ref) -> str:
    """The name whose ``_st`` / ``_n`` variables hold the storage and length behind list
    or iterator ``ref`` (an iterator made in the trace reads its list's)."""
    ins = n.trace.ins[ref]
    return n(ins.args[0]) if ins.op == "iter_new" else n(ref)


def _checks_writes_next(ins, ref) -> bool:
    """Whether the guard_loop_exit at ``ref`` is followed by a guard_loop_wrote on the same
    call: the inner loop's counts are added once both passed (an exit counts them itself)."""
    return ref + 1 < len(ins) and ins[ref + 1].op == "guard_loop_wrote" and ins[ref + 1].args == ins[ref].args


def _guard_of(trace, ref, call):
    """The guard_loop_exit on ``call`` that the loop_out at ``ref`` follows."""
    return max(r for r in range(call, ref) if trace.ins[r].op == "guard_loop_exit" and trace.ins[r].args[0] == call)


def _load(container_type, pointer, index) -> str:
    """Element ``index`` of an array's or list's storage: a bool element is a byte."""
    value = f"{pointer}[{index}]"
    return f"({value} != 0)" if container_type.split(":")[1:2] == ["bool"] else value


def _index_in_range(name, index, length, fail):
    """An index the optimizer proved in 0..length-1 (``_inrange``)."""
    return [f"{name} = {index}"]


def _index(name, index, length, fail):
    """Normalize a (possibly negative) index into ``name`` and exit unless it is in bounds
    (``fail`` None: known to be in bounds)."""
    normalized = [f"{name} = {index} + {length} * ({index} < 0)"]
    if fail is None:
        return normalized
    return normalized + [f"if {_any(f'{name} < 0', f'{name} >= {length}')}: {fail}"]


_SIMPLE = {
    "int_and": "{0} & {1}", "int_or": "{0} | {1}", "int_xor": "{0} ^ {1}", "int_invert": "~{0}",
    "int_min": "{1} if {1} < {0} else {0}", "int_max": "{1} if {1} > {0} else {0}",
    "select": "{0} if {2} else {1}",
    "int_add_nov": "{0} + {1}", "int_sub_nov": "{0} - {1}", "int_mul_nov": "{0} * {1}",
    "int_lshift_nov": "{0} << {1}",
    "bool_to_int": "{0} * 1", "int_to_float": "{0} * 1.0",
    "float_neg": "-{0}", "float_abs": "abs({0})", "not": "not {0}",
    "int_truth": "{0} != 0", "float_truth": "{0} != 0.0",
    "float_add": "{0} + {1}", "float_sub": "{0} - {1}", "float_mul": "{0} * {1}",
    "float_min": "{1} if {1} < {0} else {0}", "float_max": "{1} if {1} > {0} else {0}",
    "bool_eq": "{0} == {1}", "bool_ne": "{0} != {1}",
    "int_floordiv_k": "{0} // {1}", "int_mod_k": "{0} % {1}", "int_rshift_k": "{0} >> {1}",
    "float_truediv_k": "{0} / {1}", "float_floordiv_k": "{0} // {1}", "float_mod_k": "{0} % {1}",
}
for _cmp, _sym in (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="), ("eq", "=="), ("ne", "!=")):
    _SIMPLE[f"int_{_cmp}"] = "{0} %s {1}" % _sym
    _SIMPLE[f"float_{_cmp}"] = "{0} %s {1}" % _sym


def inner_name(index) -> str:
    """The name generated source calls inner loop ``trace.nested[index]`` by."""
    return f"loop_{index}"


def trace_key(source, c_types, nested) -> str:
    """What identifies a trace's machine code in this process: its source, C signature
    and the inner loops it calls (the persistent cache adds the toolchain and CPU)."""
    text = "\0".join([source, " ".join(c_types)] + [inner.key for inner in nested])
    return hashlib.sha256(text.encode()).hexdigest()


class MachineCode:
    """One compiled trace function in this process, shared by every trace with its key:
    the C entry, the library or Numba objects keeping it alive, and the Numba body that
    outer traces call (compiled when first needed if the code came from the cache).
    ``users``: the installed traces running it (``tracejit.trace_memory``), weakly.

    ``machine``: whether ``entry`` runs machine code; False while it has none yet
    (made, or running in the Python tier: ``python_tier``, same arguments and results)
    until ``load`` or ``compile`` gives it some (``promote``: either)."""

    def __init__(self, key, source, c_types, nested):
        self.key = key
        self.source = source
        self.c_types = c_types
        self.nested = nested          # the inner loops' CompiledTraces (loop_0, loop_1, ...)
        self.entry = None
        self.keep_alive = None
        self._body = None
        self.from_cache = False
        self.machine = False
        self.uid = next(_uids)
        self.users = weakref.WeakSet()

    @property
    def compiled_here(self) -> bool:
        """Whether Numba compiled this code (or its body, for an outer trace) in this process."""
        return self._body is not None

    def body(self):
        """The Numba dispatcher outer traces call (compiles it if the code was loaded)."""
        if self._body is None:
            self._body = _numba_body(self.source, self.c_types, self.nested)
        return self._body

    def load(self, cache) -> bool:
        """Take the machine code from the persistent ``cache`` (or None) if it holds it."""
        loaded = cache.load(self.key, _entry_symbol(self.key), self.c_types) if cache is not None else None
        if loaded is None:
            return False
        self.entry, self.keep_alive = loaded
        self.from_cache = self.machine = True
        return True

    def compile(self, cache) -> float:
        """Numba's machine code, stored into the persistent ``cache`` (or None); its seconds."""
        from . import numba_compile
        start = time.perf_counter()
        body = self.body()
        library, address = numba_compile.entry_library(body, self.c_types, _entry_symbol(self.key))
        self.entry, self.keep_alive = abi.function_at(address, self.c_types), library
        self.machine = True
        seconds = time.perf_counter() - start
        if cache is not None:
            cache.store_code(self.key, lambda: numba_compile.object_code(library, body, self.c_types))
        return seconds

    def promote(self, cache=None) -> float:
        """Give a Python-tier trace its machine code: from the persistent ``cache`` if it
        holds it, else from Numba (stored into it). Returns Numba's seconds (0 when the
        code was machine code already or loaded)."""
        if self.machine or self.load(cache):
            return 0.0
        return self.compile(cache)


def release_code(code: MachineCode, user) -> None:
    """``user`` (an installed trace, or None) no longer runs ``code``: unless another
    installed trace still does, forget it here, so that it is freed with its last
    reference (Numba's execution engine keeps its own copy of the machine code and LLVM
    module: docs/architecture.md, "Trace memory"). An identical trace compiled later is
    loaded from the persistent cache or compiled again."""
    if user is not None:
        code.users.discard(user)
    if not code.users and _compiled_cache.get(code.key) is code:
        del _compiled_cache[code.key]


def _numba_body(source, c_types, nested):
    import math

    from . import numba_compile
    namespace = {"math": math, "libm_pow": numba_compile.libm_pow(),
                 **{inner_name(i): inner.dispatcher for i, inner in enumerate(nested)}}
    exec(compile(source, "<trace>", "exec"), namespace)
    return numba_compile.compile_body(namespace["trace"], c_types)


def compile_trace(trace: Trace, name: str, optimized: Trace | None = None, cache=None,
                  python_first: bool = False) -> CompiledTrace:
    """Generate the trace's source and return its compiled trace: the machine code of an
    identical trace compiled before in this process, else that of the persistent
    ``cache`` (a ``tracejit.cache.TraceCache`` or None), else Numba's (stored into it).
    With ``python_first`` a trace that neither holds gets no machine code yet: its
    source runs in the Python tier until ``MachineCode.promote`` (its inner loops run
    their own entries: ``python_tier.PythonEntry``).
    The code comes from ``optimized`` when given: the optimizer's copy of ``trace`` (same
    refs, snapshots and side traces; see ``tracejit.opt``); ``trace`` stays the tree that
    exits and later side traces refer to."""
    source, layout, int_slots, float_slots = generate_source(optimized or trace, "trace")
    c_types = abi.c_signature(layout, buffer_kinds(trace))
    key = trace_key(source, c_types, trace.nested)
    code = _compiled_cache.get(key)
    load_seconds = compile_seconds = 0.0
    if code is None:
        code = MachineCode(key, source, c_types, trace.nested)
        start = time.perf_counter()
        if code.load(cache):
            load_seconds = time.perf_counter() - start
        elif python_first:
            from .python_tier import PythonEntry
            code.entry = PythonEntry(source, c_types, trace.nested)
        else:
            compile_seconds = code.compile(cache)
    elif not code.machine and not python_first:
        compile_seconds = code.promote(cache)
    _compiled_cache[key] = code
    return CompiledTrace(trace, source, code, int_slots, float_slots, layout, compile_seconds, load_seconds,
                         optimized=optimized)


def _entry_symbol(key) -> str:
    return f"tracejit_trace_{key[:24]}"
