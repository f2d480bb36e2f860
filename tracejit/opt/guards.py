"""guards: removes branch guards and bounds checks implied by the guards that dominate
them (on the optimized copy).

Walking the tree in dominance order (``dominance.walk_tree``), the pass keeps the
facts the guards passed so far establish: a ``guard_true(c)`` that passed makes ``c``
true from there on, a ``guard_false(c)`` false; a side path starts with the facts of
its parent path before the guard plus the guard's condition *failed* (that is why it
runs). Facts are keyed by the condition's ref and, for comparisons, by the comparison
itself (op and operands, constants by value), so a repeated comparison is found even
when cse did not share it. From ``a < b`` being true or false follow ``b > a``
(swapped) and, for ints, ``a >= b`` (negated); for floats only what nan cannot break
(``a < b`` true makes ``a >= b`` false; ``==`` and ``!=`` are exact negations).
``not c`` is known when ``c`` is.

Bounds: an element access (``arr_get1``/``arr_set1``, ``arr_get2``/``arr_set2``,
``lst_get``/``lst_set``) that passed its bounds check makes the same index (the same
ref, or the same constant) valid for that container from there on: no IR op changes
an array's shape or a list's length. A later read or write of the same element (of
the same container ref) becomes its ``_inbounds`` variant, which has no guard
(a ``lst_set`` of a float keeps its guard: it also exits on a nan).

A guard whose condition is known to hold is removed with its snapshot (the exit keeps
its number and never fires: see ``tracejit.opt``). Never removed: a guard a side
path grows from, ``guard_loop_exit``, and the other guards inside value ops
(overflow, division): those are cse's (identical op) or a later range pass's business.
"""
from __future__ import annotations

from ..ir import COMPARISONS
from .cse import aux_key
from .dominance import walk_tree
from .rewrite import remove, unguard

_SWAPPED = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
_NEGATED = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt", "eq": "ne", "ne": "eq"}
# access -> (index operands, its variant without the bounds guard, or None: keeps a guard)
ACCESSES = {"arr_get1": (1, "arr_get1_inbounds"), "arr_set1": (1, "arr_set1_inbounds"),
             "arr_get2": (2, "arr_get2_inbounds"), "arr_set2": (2, "arr_set2_inbounds"),
             "lst_get": (1, "lst_get_inbounds"), "lst_set": (1, "lst_set_inbounds")}


def unguarded_access(trace, instruction, variant="_inbounds"):
    """The variant (``_inbounds``: the index was checked; ``_inrange``: it is known in
    0..len-1, so not even normalized) of access ``instruction`` (guarded, or
    ``_inbounds``) without its bounds guard, or None: a ``lst_set`` of a float keeps its
    guard (it also exits on a nan)."""
    op = instruction.op.removesuffix("_inbounds")
    if op == "lst_set" and trace.ins[instruction.args[2]].type in ("f64", "nf64"):
        return None
    return op + variant
_COMPARE_OPS = {f"{kind}_{cmp}" for kind in ("int", "float") for cmp in COMPARISONS} | {"bool_eq", "bool_ne"}


def eliminate_guards(trace) -> None:
    side_guards = {side.guard for side in trace.sides}
    ins = trace.ins

    def operand(ref):
        instruction = ins[ref]
        if instruction.op == "const":
            return ("const", instruction.type, aux_key(instruction.aux[1]))
        return ref

    def keys(ref):
        """Keys a fact about the bool ``ref`` is stored under."""
        instruction = ins[ref]
        if instruction.op in _COMPARE_OPS:
            return [(instruction.op, tuple(operand(a) for a in instruction.args))]
        return [("ref", ref)]

    def truth(ref, facts):
        instruction = ins[ref]
        if instruction.op == "const":
            return bool(instruction.aux[1])
        if instruction.op == "not":
            inner = truth(instruction.args[0], facts)
            return None if inner is None else not inner
        for key in keys(ref):
            if key in facts:
                return facts[key]
        return None

    def learn(ref, value, facts):
        instruction = ins[ref]
        if instruction.op == "not":
            learn(instruction.args[0], not value, facts)
            return
        for key in keys(ref):
            facts[key] = value
        if instruction.op not in _COMPARE_OPS or instruction.op.startswith("bool_"):
            return
        kind, cmp = instruction.op.split("_")
        a, b = (operand(x) for x in instruction.args)
        facts[(f"{kind}_{_SWAPPED[cmp]}", (b, a))] = value
        if kind == "int" or value or cmp in ("eq", "ne"):
            facts[(f"{kind}_{_NEGATED[cmp]}", (a, b))] = not value
            facts[(f"{kind}_{_SWAPPED[_NEGATED[cmp]]}", (b, a))] = not value

    def visit(ref, facts):
        instruction = ins[ref]
        access = ACCESSES.get(instruction.op)
        if access is not None:
            indices, unguarded = access
            key = ("in bounds", instruction.args[0], tuple(operand(i) for i in instruction.args[1:1 + indices]))
            if key in facts and unguarded_access(trace, instruction) is not None:
                unguard(trace, ref, unguarded_access(trace, instruction))
            facts[key] = True
            return
        if instruction.op not in ("guard_true", "guard_false"):
            return
        expected = instruction.op == "guard_true"
        cond = instruction.args[0]
        if truth(cond, facts) == expected and ref not in side_guards:
            remove(trace, ref)
        else:
            learn(cond, expected, facts)

    def enter_side(guard, facts):
        side_facts = dict(facts)
        instruction = ins[guard]
        if instruction.op in ("guard_true", "guard_false"):
            learn(instruction.args[0], instruction.op != "guard_true", side_facts)
        return side_facts

    walk_tree(trace, visit, enter_side, {})
