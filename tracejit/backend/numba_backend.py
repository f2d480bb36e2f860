"""Numba backend: a ``Trace`` -> readable Python source -> one ``numba.njit`` function.

The generated function takes the trace's live-in values (scalars, arrays, and for
each strategy list its storage array and length), two exit buffers and an iteration
budget, runs the loop body in ``while True:`` and returns the number of the exit
taken, or -1 at the loop header when the budget is spent. Every guard is
``if <failed>: ex = k; break``; one shared exit block after the loop writes the
iteration count and every value any snapshot needs into the buffers, so a guard
costs one branch, not an exit block of its own.

Invariants of the generated code: array and list accesses are preceded by a bounds
guard on a normalized index (no access out of bounds is possible); integer ops that
can overflow int64, divisions by zero, and math calls with a non-finite input or
result exit instead of computing (the interpreter then redoes the instruction with
Python semantics); values held in variables keep one type for the whole trace.
"""
from __future__ import annotations

import time

from ..ir import FLOAT_BUFFER_TYPES, INT_BUFFER_TYPES, SCALAR_TYPES, Trace

_NUMBA_SCALARS = {"i64": "int64", "ni64": "int64", "f64": "float64", "nf64": "float64",
                  "bool": "boolean", "nbool": "boolean"}
_ZERO = {"i64": "0", "ni64": "0", "f64": "0.0", "nf64": "0.0", "bool": "False", "nbool": "False"}
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
EXACT_FLOAT_INT = 1 << 53

_compiled_cache = {}   # (source, signature) -> (dispatcher, entry point): shared by all VMs


class CompiledTrace:
    """The machine code of one trace and what its exits need."""

    def __init__(self, trace, source, entry, int_slots, float_slots, param_layout, compile_seconds):
        self.trace = trace
        self.source = source
        self.entry = entry
        self.int_slots = int_slots          # ref or ('var', reg) -> index in the int buffer
        self.float_slots = float_slots
        self.param_layout = param_layout    # [(reg, type)] in argument order
        self.compile_seconds = compile_seconds


class _Names:
    def __init__(self, trace: Trace):
        self.trace = trace
        self.param_reg = {ref: trace.ins[ref].aux[1] for ref in trace.params}

    def __call__(self, ref):
        ins = self.trace.ins[ref]
        if ins.op == "param":
            return f"v{ins.aux[1]}"
        if ins.op == "const":
            value = ins.aux[1]
            if ins.type in ("f64", "nf64"):
                return f"np.float64({float(value)!r})" if value != value or value in (float("inf"), float("-inf")) \
                    else repr(float(value))
            if ins.type in ("bool", "nbool"):
                return "True" if value else "False"
            return repr(int(value))
        return f"t{ref}"


def generate_source(trace: Trace, name: str):
    """(source text, argument layout, int slots, float slots) for ``trace``."""
    n = _Names(trace)
    ins = trace.ins
    layout = []
    args = []
    for ref in trace.params:
        type_ = ins[ref].type
        reg = ins[ref].aux[1]
        if type_ in SCALAR_TYPES or type_.startswith("arr:"):
            layout.append((reg, type_))
            args.append(f"v{reg}")
        elif type_.startswith("lst:"):
            layout.append((reg, type_))
            args += [f"v{reg}_st", f"v{reg}_n"]
    carried = {reg: ref for reg, ref in trace.loop_carried.items() if ins[ref].type in SCALAR_TYPES}
    live_in = {ins[ref].aux[1] for ref in trace.params}

    snapshot_refs = []
    for snap in trace.snapshots:
        for entry in snap.entries + [e for f in snap.frames for e in f.entries]:
            if entry.source == "ref" and ins[entry.ref].type in SCALAR_TYPES and ins[entry.ref].op not in ("param", "const"):
                if entry.ref not in snapshot_refs:
                    snapshot_refs.append(entry.ref)

    lines = [f"def {name}({', '.join(args + ['XI', 'XF', 'budget'])}):", "    ex = -1", "    it = 0"]
    for reg, ref in sorted(carried.items()):
        if reg not in live_in:
            lines.append(f"    v{reg} = {_ZERO[ins[ref].type]}")
    for ref in snapshot_refs:
        lines.append(f"    t{ref} = {_ZERO[ins[ref].type]}")
    lines.append("    while True:")
    body = []
    for ref, instruction in enumerate(ins):
        body += _emit(n, ref, instruction)
    lines += ["        " + line for line in body]
    if carried:
        targets = ", ".join(f"v{reg}" for reg in sorted(carried))
        values = ", ".join(n(ref) for _, ref in sorted(carried.items()))
        lines.append(f"        {targets} = {values}")
    lines.append("        it += 1")
    lines.append("        if it >= budget: break")
    # shared exit
    int_slots, float_slots = {}, {}
    lines.append("    XI[0] = it")
    exits = [(ref, n(ref), ins[ref].type) for ref in snapshot_refs]
    exits += [(("var", reg), f"v{reg}", ins[ref].type) for reg, ref in sorted(carried.items())]
    exits += [(("param", ref), n(ref), ins[ref].type) for ref in trace.params
              if ins[ref].type in SCALAR_TYPES and ins[ref].aux[1] not in carried]
    for key, expr, type_ in exits:
        if type_ in INT_BUFFER_TYPES:
            int_slots[key] = len(int_slots) + 1
            value = f"(1 if {expr} else 0)" if type_ in ("bool", "nbool") else expr
            lines.append(f"    XI[{int_slots[key]}] = {value}")
        elif type_ in FLOAT_BUFFER_TYPES:
            float_slots[key] = len(float_slots)
            lines.append(f"    XF[{float_slots[key]}] = {expr}")
    lines.append("    return ex")
    return "\n".join(lines) + "\n", layout, int_slots, float_slots


def _fail(snap):
    return f"ex = {snap}; break"


def _emit(n, ref, ins):
    """Source lines for one IR instruction (inside the loop body)."""
    op, a = ins.op, [n(x) for x in ins.args]
    t = f"t{ref}"
    k = ins.snap
    simple = _SIMPLE.get(op)
    if simple is not None:
        return [f"{t} = {simple.format(*a)}"]
    if op in ("param", "const", "arr_shape"):
        return []
    if op == "arr_dim":
        return [f"{t} = {a[0]}.shape[{ins.aux[0]}]"]
    # Overflow is tested before computing: LLVM treats signed overflow as undefined
    # (Numba emits nsw arithmetic), so a wrapped result cannot be inspected afterwards.
    if op == "int_add":
        return [f"if ({a[1]} > 0 and {a[0]} > {INT64_MAX} - {a[1]}) or "
                f"({a[1]} < 0 and {a[0]} < {INT64_MIN} - {a[1]}): {_fail(k)}",
                f"{t} = {a[0]} + {a[1]}"]
    if op == "int_sub":
        return [f"if ({a[1]} < 0 and {a[0]} > {INT64_MAX} + {a[1]}) or "
                f"({a[1]} > 0 and {a[0]} < {INT64_MIN} + {a[1]}): {_fail(k)}",
                f"{t} = {a[0]} - {a[1]}"]
    if op == "int_mul":
        # conservative: products of magnitude >= 2**62 (by float estimate) exit
        return [f"if abs(float({a[0]}) * float({a[1]})) >= 4.6e18: {_fail(k)}",
                f"{t} = {a[0]} * {a[1]}"]
    if op == "int_floordiv":
        return [f"if {a[1]} == 0 or ({a[1]} == -1 and {a[0]} == {INT64_MIN}): {_fail(k)}",
                f"{t} = {a[0]} // {a[1]}"]
    if op == "int_mod":
        return [f"if {a[1]} == 0: {_fail(k)}", f"{t} = 0 if {a[1]} == -1 else {a[0]} % {a[1]}"]
    if op == "int_lshift":
        return [f"if {a[1]} < 0 or {a[1]} > 62: {_fail(k)}",
                f"{t}_lim = 1 << (62 - {a[1]})",   # conservative by one bit
                f"if {a[0]} >= {t}_lim or {a[0]} < -{t}_lim: {_fail(k)}",
                f"{t} = {a[0]} << {a[1]}"]
    if op == "int_rshift":
        return [f"if {a[1]} < 0: {_fail(k)}",
                f"{t} = {a[0]} >> {a[1]} if {a[1]} < 64 else (-1 if {a[0]} < 0 else 0)"]
    if op == "int_truediv":
        return [f"if {a[1]} == 0 or not (-{EXACT_FLOAT_INT} <= {a[0]} <= {EXACT_FLOAT_INT}) or "
                f"not (-{EXACT_FLOAT_INT} <= {a[1]} <= {EXACT_FLOAT_INT}): {_fail(k)}",
                f"{t} = {a[0]} / {a[1]}"]
    if op in ("int_neg", "int_abs"):
        expr = f"-{a[0]}" if op == "int_neg" else f"abs({a[0]})"
        return [f"if {a[0]} == {INT64_MIN}: {_fail(k)}", f"{t} = {expr}"]
    if op == "int_to_float_exact":
        return [f"if not (-{EXACT_FLOAT_INT} <= {a[0]} <= {EXACT_FLOAT_INT}): {_fail(k)}",
                f"{t} = float({a[0]})"]
    if op == "float_to_int":
        return [f"if not (-9.2e18 < {a[0]} < 9.2e18): {_fail(k)}", f"{t} = int({a[0]})"]
    if op in ("float_truediv", "float_floordiv", "float_mod"):
        sym = {"float_truediv": "/", "float_floordiv": "//", "float_mod": "%"}[op]
        return [f"if {a[1]} == 0.0: {_fail(k)}", f"{t} = {a[0]} {sym} {a[1]}"]
    if op == "float_pow":
        return [f"if not ({a[0]} > 0.0): {_fail(k)}", f"{t} = {a[0]} ** {a[1]}",
                f"if not math.isfinite({t}) and math.isfinite({a[0]}) and math.isfinite({a[1]}): {_fail(k)}"]
    if op == "guard_true":
        return [f"if not {a[0]}: {_fail(k)}"]
    if op == "guard_false":
        return [f"if {a[0]}: {_fail(k)}"]
    if op == "arr_get1":
        return _index1(t, a, k) + [f"{t} = {a[0]}[{t}_i]"]
    if op == "arr_set1":
        return _index1(t, a, k) + [f"{a[0]}[{t}_i] = {a[2]}"]
    if op in ("arr_get2", "arr_set2"):
        lines = [f"{t}_i = {a[1]} + {a[0]}.shape[0] if {a[1]} < 0 else {a[1]}",
                 f"{t}_j = {a[2]} + {a[0]}.shape[1] if {a[2]} < 0 else {a[2]}",
                 f"if {t}_i < 0 or {t}_i >= {a[0]}.shape[0] or {t}_j < 0 or {t}_j >= {a[0]}.shape[1]: {_fail(k)}"]
        if op == "arr_get2":
            return lines + [f"{t} = {a[0]}[{t}_i, {t}_j]"]
        return lines + [f"{a[0]}[{t}_i, {t}_j] = {a[3]}"]
    if op in ("lst_get", "lst_set"):
        st, length = f"{a[0]}_st", f"{a[0]}_n"
        lines = [f"{t}_i = {a[1]} + {length} if {a[1]} < 0 else {a[1]}",
                 f"if {t}_i < 0 or {t}_i >= {length}: {_fail(k)}"]
        if op == "lst_get":
            return lines + [f"{t} = {st}[{t}_i]"]
        if ins.type == "void" and n.trace.ins[ins.args[2]].type in ("f64", "nf64"):
            lines.append(f"if {a[2]} != {a[2]}: {_fail(k)}")
        return lines + [f"{st}[{t}_i] = {a[2]}"]
    if op == "lst_len":
        return [f"{t} = {a[0]}_n"]
    if op == "call_math1":
        fn = ins.aux[0]
        return [f"{t} = math.{fn}({a[0]})",
                f"if not (math.isfinite({a[0]}) and math.isfinite({t})): {_fail(k)}"]
    if op == "call_math":
        fn = ins.aux[0]
        return [f"{t} = math.{fn}({a[0]}, {a[1]})",
                f"if not (math.isfinite({a[0]}) and math.isfinite({a[1]}) and math.isfinite({t})): {_fail(k)}"]
    raise NotImplementedError(f"backend: no code for {op}")


def _index1(t, a, k):
    return [f"{t}_i = {a[1]} + {a[0]}.shape[0] if {a[1]} < 0 else {a[1]}",
            f"if {t}_i < 0 or {t}_i >= {a[0]}.shape[0]: {_fail(k)}"]


_SIMPLE = {
    "int_and": "{0} & {1}", "int_or": "{0} | {1}", "int_xor": "{0} ^ {1}", "int_invert": "~{0}",
    "int_min": "{1} if {1} < {0} else {0}", "int_max": "{1} if {1} > {0} else {0}",
    "bool_to_int": "1 if {0} else 0", "int_to_float": "float({0})",
    "float_neg": "-{0}", "float_abs": "abs({0})", "not": "not {0}",
    "int_truth": "{0} != 0", "float_truth": "{0} != 0.0",
    "float_add": "{0} + {1}", "float_sub": "{0} - {1}", "float_mul": "{0} * {1}",
    "float_min": "{1} if {1} < {0} else {0}", "float_max": "{1} if {1} > {0} else {0}",
    "bool_eq": "{0} == {1}", "bool_ne": "{0} != {1}",
}
for _cmp, _sym in (("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="), ("eq", "=="), ("ne", "!=")):
    _SIMPLE[f"int_{_cmp}"] = "{0} %s {1}" % _sym
    _SIMPLE[f"float_{_cmp}"] = "{0} %s {1}" % _sym


def _signature(layout):
    from numba import types
    parts = []
    for _reg, type_ in layout:
        if type_ in _NUMBA_SCALARS:
            parts.append(getattr(types, _NUMBA_SCALARS[type_]))
        elif type_.startswith("arr:"):
            _, dtype, ndim = type_.split(":")
            parts.append(types.Array(getattr(types, _NUMBA_SCALARS[dtype]), int(ndim), "C"))
        elif type_.startswith("lst:"):
            dtype = type_.split(":")[1]
            parts += [types.Array(getattr(types, _NUMBA_SCALARS[dtype]), 1, "C"), types.int64]
    parts += [types.Array(types.int64, 1, "C"), types.Array(types.float64, 1, "C"), types.int64]
    return types.int64(*parts)


def compile_trace(trace: Trace, name: str) -> CompiledTrace:
    """Generate, compile (or reuse an identical compiled trace) and return it."""
    source, layout, int_slots, float_slots = generate_source(trace, "trace")
    signature_key = tuple(layout)
    key = (source, signature_key)
    start = time.perf_counter()
    cached = _compiled_cache.get(key)
    if cached is None:
        import math

        import numba
        import numpy as np
        namespace = {"math": math, "np": np}
        exec(compile(source, f"<trace {name}>", "exec"), namespace)
        signature = _signature(layout)
        dispatcher = numba.njit(signature, error_model="numpy", boundscheck=False, nogil=True)(namespace["trace"])
        entry = dispatcher.overloads[signature.args].entry_point
        cached = _compiled_cache[key] = (dispatcher, entry)
    seconds = time.perf_counter() - start
    return CompiledTrace(trace, source, cached[1], int_slots, float_slots, layout, seconds)
