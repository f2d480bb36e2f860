"""fold: constant folding and algebraic simplification, applied as each op is emitted.

Rules are data (LuaJIT's ``lj_opt_fold.c``): ``RULES`` maps a key
``(op, left, right)`` to the rules tried for it, where ``left``/``right`` is the op
that defines the operand (``const``, ``float_neg``, ``not`` ...) or ``any``. For an
instruction the engine tries, in order, the keys (op, left op, right op),
(op, left op, any), (op, any, right op), (op, any, any) (unary ops: (op, left op),
(op, any)); the first rule that answers wins, a rule answering None passes on to the
next (LuaJIT's NEXTFOLD). A rule answers with one of:

- ``Ref(ref)``: the result is the existing ``ref`` (its type must equal the result
  type the op would have; otherwise the answer is ignored);
- ``Const(type, value)``: the result is that constant (emitted through the chain, so
  cse shares it);
- ``Retry(op, args, aux)``: emit this instruction instead (it is folded in turn; a
  guard keeps its snapshot);
- ``DROP``: a guard known to hold: nothing is emitted and no snapshot is taken;
- ``Fail(detail)``: a guard known to fail on every iteration: the recording aborts
  (``TraceAbort.GUARD_ALWAYS_FAILS``).

Invariants: CPython is the oracle. A fold never changes a value, its type or which
iterations exit: int folds are exact (Python ints; a result outside int64 is not
folded: the guarded op stays and exits at run time), float folds are only those
IEEE-754 gives bit-identical results for (``x * 1.0`` and ``x - 0.0`` are identities;
``x + 0.0`` is not, for ``-0.0``; ``x * 0.0`` is not ``0.0`` for inf, nan and
negatives), constants are folded only for Python-typed values (``i64``, ``f64``,
``bool``: numpy scalars keep their ops).
"""
from __future__ import annotations

import math
from typing import NamedTuple

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
EXACT_FLOAT_INT = 1 << 53
FLOAT_TO_INT_LIMIT = 9.2e18          # the backend's float_to_int exits at or beyond this


class Ref(NamedTuple):
    ref: int


class Const(NamedTuple):
    type: str
    value: object


class Retry(NamedTuple):
    op: str
    args: tuple
    aux: tuple = ()


class Fail(NamedTuple):
    detail: str


DROP = "drop"


class Rule(NamedTuple):
    fn: object       # fn(ins, view) -> an answer or None
    doc: str


class Candidate(NamedTuple):
    """The instruction being emitted."""
    op: str
    args: tuple
    aux: tuple


RULES: dict = {}


def rule(*keys, doc):
    """Register the decorated function under each key (a tuple of op names / 'any')."""
    def register(fn):
        for key in keys:
            RULES.setdefault(key, []).append(Rule(fn, doc))
        return fn
    return register


def lookup_keys(view, cand):
    """The keys tried for ``cand``, most specific first."""
    ops = [view.ins(a).op for a in cand.args]
    if len(ops) == 1:
        return [(cand.op, ops[0]), (cand.op, "any")]
    if len(ops) == 2:
        return [(cand.op, ops[0], ops[1]), (cand.op, ops[0], "any"), (cand.op, "any", ops[1]),
                (cand.op, "any", "any")]
    return []


def fold(view, op, args, aux):
    """The first answer of the rules for this instruction, or None (emit it as is).
    ``view`` reads the trace (``ins``, ``type``, ``value``)."""
    cand = Candidate(op, args, aux)
    for key in lookup_keys(view, cand):
        for entry in RULES.get(key, ()):
            answer = entry.fn(cand, view)
            if answer is not None:
                return answer
    return None


# ----- helpers --------------------------------------------------------------------------------
def _fits(value) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def _int_result(value):
    return Const("i64", value) if _fits(value) else None


def _consts(view, cand, type_):
    """The operands' values if every operand is a constant of ``type_`` (else None)."""
    if all(view.type(a) == type_ for a in cand.args):
        return [view.value(a) for a in cand.args]
    return None


def _is(view, ref, type_, value) -> bool:
    """Whether ``ref`` is the constant ``value`` of type ``type_`` (floats: bit for bit)."""
    ins = view.ins(ref)
    if ins.op != "const" or ins.type != type_:
        return False
    constant = ins.aux[1]
    if type_ == "f64":
        return constant == value and math.copysign(1.0, constant) == math.copysign(1.0, value)
    return constant == value


# ----- integer arithmetic -----------------------------------------------------------------------
# op -> (Python function, operands it is defined for: others raise or exit at run time)
_INT_CONST_OPS = {
    "int_add": (lambda a, b: a + b, None), "int_sub": (lambda a, b: a - b, None),
    "int_mul": (lambda a, b: a * b, None),
    "int_floordiv": (lambda a, b: a // b, lambda a, b: b != 0),
    "int_mod": (lambda a, b: a % b, lambda a, b: b != 0),
    "int_and": (lambda a, b: a & b, None), "int_or": (lambda a, b: a | b, None),
    "int_xor": (lambda a, b: a ^ b, None),
    "int_lshift": (lambda a, b: a << b, lambda a, b: 0 <= b <= 64),
    "int_rshift": (lambda a, b: a >> b, lambda a, b: b >= 0),
    "int_min": (min, None), "int_max": (max, None),
}


@rule(*[(op, "const", "const") for op in _INT_CONST_OPS],
      doc="+ - * // % & | ^ << >> min max of two int constants: the Python result, if the "
          "operation is defined (no division by 0, no negative shift) and the result fits in "
          "int64 (otherwise the guarded op stays and exits)")
def _int_consts(cand, view):
    values = _consts(view, cand, "i64")
    fn, defined = _INT_CONST_OPS[cand.op]
    if values is None or (defined is not None and not defined(*values)):
        return None
    return _int_result(fn(*values))


@rule(("int_floordiv", "any", "const"), ("int_mod", "any", "const"), ("int_truediv", "any", "const"),
      doc="division of anything by the int constant 0: the guard fails on every iteration")
def _int_division_by_zero(cand, view):
    if view.type(cand.args[1]) == "i64" and view.value(cand.args[1]) == 0:
        return Fail(f"{cand.op} by the constant 0")
    return None


@rule(("int_truediv", "const", "const"),
      doc="int / int of constants: float(a) / float(b) when b != 0 and |a|, |b| <= 2**53 "
          "(both exact as floats: the correctly rounded quotient, as Python computes it)")
def _int_truediv_consts(cand, view):
    values = _consts(view, cand, "i64")
    if values is None:
        return None
    a, b = values
    if b == 0 or abs(a) > EXACT_FLOAT_INT or abs(b) > EXACT_FLOAT_INT:
        return None
    return Const("f64", float(a) / float(b))


def _identity(position, value):
    """x op k -> x where the constant k (int ``value``) is operand ``position``."""
    def fold_identity(cand, view):
        if _is(view, cand.args[position], "i64", value):
            return Ref(cand.args[1 - position])
        return None
    return fold_identity


rule(("int_add", "any", "const"), ("int_sub", "any", "const"), ("int_or", "any", "const"),
     ("int_xor", "any", "const"), ("int_lshift", "any", "const"), ("int_rshift", "any", "const"),
     doc="x + 0, x - 0, x | 0, x ^ 0, x << 0, x >> 0 -> x (no guard can fail)")(_identity(1, 0))
rule(("int_add", "const", "any"), ("int_or", "const", "any"), ("int_xor", "const", "any"),
     doc="0 + x, 0 | x, 0 ^ x -> x")(_identity(0, 0))
rule(("int_mul", "any", "const"), ("int_floordiv", "any", "const"),
     doc="x * 1, x // 1 -> x")(_identity(1, 1))
rule(("int_mul", "const", "any"), doc="1 * x -> x")(_identity(0, 1))


@rule(("int_mul", "any", "const"), ("int_mul", "const", "any"), ("int_and", "any", "const"),
      ("int_and", "const", "any"),
      doc="x * 0, 0 * x, x & 0, 0 & x -> 0 for int64 x (ints have no nan or -0)")
def _int_zero_product(cand, view):
    for k, x in ((cand.args[1], cand.args[0]), (cand.args[0], cand.args[1])):
        if _is(view, k, "i64", 0) and view.type(x) == "i64":
            return Const("i64", 0)
    return None


@rule(("int_mod", "any", "const"), doc="x % 1 -> 0 and x % -1 -> 0 for int64 x")
def _int_mod_one(cand, view):
    if view.type(cand.args[0]) == "i64" and view.type(cand.args[1]) == "i64" and view.value(cand.args[1]) in (1, -1):
        return Const("i64", 0)
    return None


@rule(("int_sub", "any", "any"), ("int_xor", "any", "any"),
      doc="x - x, x ^ x -> 0 (the same int64 ref twice)")
def _int_self_cancel(cand, view):
    a, b = cand.args
    if a == b and view.type(a) == "i64":
        return Const("i64", 0)
    return None


@rule(("int_and", "any", "any"), ("int_or", "any", "any"), ("int_min", "any", "any"), ("int_max", "any", "any"),
      ("float_min", "any", "any"), ("float_max", "any", "any"),
      doc="x & x, x | x, min(x, x), max(x, x) -> x (the same ref twice)")
def _idempotent(cand, view):
    a, b = cand.args
    return Ref(a) if a == b else None


@rule(("int_neg", "const"), doc="-k of an int constant, if it fits in int64")
def _int_neg_const(cand, view):
    return _int_result(-view.value(cand.args[0])) if view.type(cand.args[0]) == "i64" else None


@rule(("int_abs", "const"), doc="abs(k) of an int constant, if it fits in int64")
def _int_abs_const(cand, view):
    return _int_result(abs(view.value(cand.args[0]))) if view.type(cand.args[0]) == "i64" else None


@rule(("int_invert", "const"), doc="~k of an int constant")
def _int_invert_const(cand, view):
    return Const("i64", ~view.value(cand.args[0])) if view.type(cand.args[0]) == "i64" else None


@rule(("int_neg", "int_neg"), ("int_invert", "int_invert"), ("float_neg", "float_neg"), ("not", "not"),
      doc="-(-x), ~~x, not not x -> x (the inner int_neg's guard already excludes INT64_MIN, "
          "so the outer one cannot fail; float negation flips the sign bit only)")
def _double_negation(cand, view):
    return Ref(view.ins(cand.args[0]).args[0])


@rule(("int_abs", "int_abs"), ("float_abs", "float_abs"), doc="abs(abs(x)) -> abs(x)")
def _abs_abs(cand, view):
    return Ref(cand.args[0])


@rule(("float_abs", "float_neg"), doc="abs(-x) -> abs(x) (retry; bit for bit: abs clears the sign)")
def _abs_neg(cand, view):
    return Retry("float_abs", (view.ins(cand.args[0]).args[0],))


# ----- conversions and truth -------------------------------------------------------------------
@rule(("bool_to_int", "const"), doc="int(b) of a bool constant")
def _bool_to_int_const(cand, view):
    return Const("i64", int(view.value(cand.args[0])))


@rule(("int_to_float", "const"), doc="float(k) of an int64 constant (correctly rounded, as Python does)")
def _int_to_float_const(cand, view):
    return Const("f64", float(view.value(cand.args[0]))) if view.type(cand.args[0]) == "i64" else None


@rule(("int_to_float_exact", "const"),
      doc="float(k) of an int constant with |k| <= 2**53; larger: the guard fails on every iteration")
def _int_to_float_exact_const(cand, view):
    if view.type(cand.args[0]) != "i64":
        return None
    value = view.value(cand.args[0])
    if abs(value) > EXACT_FLOAT_INT:
        return Fail(f"int_to_float_exact of {value}")
    return Const("f64", float(value))


@rule(("float_to_int", "const"),
      doc="int(x) of a finite float constant inside the backend's range (else the guard stays)")
def _float_to_int_const(cand, view):
    if view.type(cand.args[0]) != "f64":
        return None
    value = view.value(cand.args[0])
    if math.isfinite(value) and -FLOAT_TO_INT_LIMIT < value < FLOAT_TO_INT_LIMIT:
        return Const("i64", int(value))
    return None


@rule(("not", "const"), ("int_truth", "const"), ("float_truth", "const"),
      doc="not k, k != 0, k != 0.0 of a Python-typed constant")
def _truth_const(cand, view):
    ins = view.ins(cand.args[0])
    if ins.type not in ("bool", "i64", "f64"):
        return None
    truth = bool(ins.aux[1])
    return Const("bool", not truth if cand.op == "not" else truth)


# ----- floats ------------------------------------------------------------------------------------
_FLOAT_CONST_OPS = {
    "float_add": lambda a, b: a + b, "float_sub": lambda a, b: a - b, "float_mul": lambda a, b: a * b,
    "float_min": lambda a, b: b if b < a else a, "float_max": lambda a, b: b if b > a else a,
}


@rule(*[(op, "const", "const") for op in _FLOAT_CONST_OPS],
      doc="+, -, *, min, max of two float constants: IEEE-754 double arithmetic, round to "
          "nearest, the same in Python and in the compiled trace")
def _float_consts(cand, view):
    values = _consts(view, cand, "f64")
    return Const("f64", _FLOAT_CONST_OPS[cand.op](*values)) if values is not None else None


@rule(("float_truediv", "const", "const"),
      doc="a / b of float constants with b != 0.0 (IEEE division, correctly rounded)")
def _float_truediv_consts(cand, view):
    values = _consts(view, cand, "f64")
    if values is None or values[1] == 0.0:
        return None
    return Const("f64", values[0] / values[1])


@rule(("float_truediv", "any", "const"), ("float_floordiv", "any", "const"), ("float_mod", "any", "const"),
      doc="float division of anything by the constant 0.0: the guard fails on every iteration")
def _float_division_by_zero(cand, view):
    if view.type(cand.args[1]) == "f64" and view.value(cand.args[1]) == 0.0:
        return Fail(f"{cand.op} by the constant 0.0")
    return None


@rule(("float_mul", "any", "const"), ("float_truediv", "any", "const"),
      doc="x * 1.0, x / 1.0 -> x (exact for every x, -0.0, inf and nan included)")
def _float_times_one(cand, view):
    return Ref(cand.args[0]) if _is(view, cand.args[1], "f64", 1.0) else None


@rule(("float_mul", "const", "any"), doc="1.0 * x -> x")
def _float_one_times(cand, view):
    return Ref(cand.args[1]) if _is(view, cand.args[0], "f64", 1.0) else None


@rule(("float_sub", "any", "const"), doc="x - 0.0 -> x (exact: -0.0 - 0.0 is -0.0)")
def _float_minus_zero(cand, view):
    return Ref(cand.args[0]) if _is(view, cand.args[1], "f64", 0.0) else None


@rule(("float_add", "any", "const"), doc="x + (-0.0) -> x (exact; x + 0.0 is not: -0.0 + 0.0 is 0.0)")
def _float_plus_negative_zero(cand, view):
    return Ref(cand.args[0]) if _is(view, cand.args[1], "f64", -0.0) else None


@rule(("float_add", "const", "any"), doc="(-0.0) + x -> x")
def _float_negative_zero_plus(cand, view):
    return Ref(cand.args[1]) if _is(view, cand.args[0], "f64", -0.0) else None


@rule(("float_neg", "const"), ("float_abs", "const"), doc="-k, abs(k) of a float constant")
def _float_unary_const(cand, view):
    if view.type(cand.args[0]) != "f64":
        return None
    value = view.value(cand.args[0])
    return Const("f64", -value if cand.op == "float_neg" else abs(value))


@rule(("call_math1", "const"),
      doc="math.sqrt(k), math.fabs(k) of a finite float constant (sqrt: k >= 0): both correctly "
          "rounded, in CPython and in the compiled trace; other functions are left to libm")
def _math_const(cand, view):
    name = cand.aux[0]
    if name not in ("sqrt", "fabs") or view.type(cand.args[0]) != "f64":
        return None
    value = view.value(cand.args[0])
    if not math.isfinite(value) or (name == "sqrt" and value < 0.0):
        return None
    return Const("f64", math.sqrt(value) if name == "sqrt" else math.fabs(value))


# ----- comparisons -----------------------------------------------------------------------------
_COMPARE = {"lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
            "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}


@rule(*[(f"{kind}_{cmp}", "const", "const") for kind in ("int", "float") for cmp in _COMPARE],
      doc="a comparison of two constants of the same Python type (floats: IEEE, nan compares unequal)")
def _compare_consts(cand, view):
    type_ = "i64" if cand.op.startswith("int_") else "f64"
    values = _consts(view, cand, type_)
    return Const("bool", _COMPARE[cand.op.split("_")[1]](*values)) if values is not None else None


@rule(*[(f"int_{cmp}", "any", "any") for cmp in _COMPARE],
      doc="x == x, x <= x, x >= x -> True; x != x, x < x, x > x -> False for int64 x "
          "(not floats: nan)")
def _compare_self(cand, view):
    a, b = cand.args
    if a != b or view.type(a) != "i64":
        return None
    return Const("bool", _COMPARE[cand.op.split("_")[1]](0, 0))


@rule(("bool_eq", "const", "const"), ("bool_ne", "const", "const"), doc="== and != of two bool constants")
def _bool_compare_consts(cand, view):
    a, b = (view.value(x) for x in cand.args)
    return Const("bool", (a == b) == (cand.op == "bool_eq"))


@rule(("bool_eq", "any", "const"), ("bool_ne", "any", "const"),
      doc="x == True, x != False -> x; x == False, x != True -> not x (retry)")
def _bool_compare_const(cand, view):
    x, k = cand.args
    same = bool(view.value(k)) == (cand.op == "bool_eq")
    return Ref(x) if same else Retry("not", (x,))


@rule(("bool_eq", "any", "any"), ("bool_ne", "any", "any"), doc="x == x -> True, x != x -> False")
def _bool_compare_self(cand, view):
    return Const("bool", cand.op == "bool_eq") if cand.args[0] == cand.args[1] else None


# ----- guards ------------------------------------------------------------------------------------
@rule(("guard_true", "const"), ("guard_false", "const"),
      doc="a branch guard on a constant: dropped when it holds, a trace abort when it can only fail")
def _guard_const(cand, view):
    holds = bool(view.value(cand.args[0])) == (cand.op == "guard_true")
    return DROP if holds else Fail(f"{cand.op} of the constant {view.value(cand.args[0])!r}")


@rule(("guard_true", "not"), ("guard_false", "not"),
      doc="guard_true(not x) -> guard_false(x) and back (retry, same snapshot)")
def _guard_not(cand, view):
    other = "guard_false" if cand.op == "guard_true" else "guard_true"
    return Retry(other, (view.ins(cand.args[0]).args[0],))


# ----- guards a constant operand decides --------------------------------------------------------
# op -> the constants b for which it cannot exit (int64 floordiv overflows only for b == -1)
_SAFE_CONSTANTS = {
    "int_floordiv": lambda b: b not in (0, -1), "int_mod": lambda b: b not in (0, -1),
    "int_rshift": lambda b: 0 <= b <= 63,
    "float_truediv": lambda b: b != 0.0, "float_floordiv": lambda b: b != 0.0,
    "float_mod": lambda b: b != 0.0,
}


@rule(*[(op, "any", "const") for op in _SAFE_CONSTANTS],
      doc="x // k, x % k (k not 0 or -1), x >> k (0 <= k <= 63), float x / k, x // k, x % k "
          "(k != 0.0) -> the op's unguarded variant `<op>_k` (tried after the rules above)")
def _safe_constant(cand, view):
    b = view.ins(cand.args[1])
    if b.type in ("i64", "ni64", "f64", "nf64") and _SAFE_CONSTANTS[cand.op](b.aux[1]):
        return Retry(cand.op + "_k", cand.args, cand.aux)
    return None


def rules_table() -> list:
    """(key, doc) of every rule, in lookup order per key."""
    return [(key, entry.doc) for key, entries in RULES.items() for entry in entries]


def rules_markdown() -> str:
    """The rule table of docs/optimizer.md: one row per rule with the keys it is under
    (a test keeps the document equal to it)."""
    keys_of = {}
    for key, doc in rules_table():
        keys_of.setdefault(doc, []).append("`(" + ", ".join(key) + ")`")
    rows = ["| keys | rule |", "|---|---|"]
    for doc, keys in keys_of.items():
        shown = " ".join(keys) if len(keys) <= 4 else " ".join(keys[:3]) + f" ... {len(keys)} keys"
        rows.append(f"| {shown} | {doc.replace('|', chr(92) + '|')} |")
    return "\n".join(rows) + "\n"
