"""cse: common-subexpression elimination, applied as each op is emitted.

An instruction equal to an earlier one that dominates it (same op, same operand refs,
same aux literals) reuses the earlier ref. What may be shared:

- pure ops (``tuple`` and ``param`` excepted: a tuple is rebuilt at each exit, a
  param is one live-in each), constants included;
- guarded ops with a value (``int_add``, ``float_truediv``, ``call_math`` ...): the
  earlier op's guard passed with the same operands, so the later one cannot fail and
  computes the same value (void guards are never shared: that is guard elimination);
- loads: ``arr_dim`` and ``loop_out*`` always (no IR op changes a shape, and loop
  outputs are keyed by their call); element loads (``arr_get*``, ``lst_get``,
  ``iter_get``) and list lengths (``lst_len``, ``iter_len``: ``lst_append`` changes
  them) until a store to the same kind of container (any array store kills every
  array load, any list store or append every list load: no alias analysis), and
  ``call_loop`` kills every element load.

Domination: the table of a root recording starts empty; a side recording's table is
filled by replaying the refs that dominate its guard (``dominance.dominating_ranges``:
the root path before the guard, never another side path), stores killing loads as
they did, so a side path reuses only refs computed on its way.
"""
from __future__ import annotations

from ..ir import OPS

NEVER_SHARED = ("param", "tuple", "nop", "call_loop")
_ACCESS_VARIANTS = ("", "_inbounds", "_inrange")    # guarded, and the two unguarded variants
ELEMENT_LOADS = {f"{op}{variant}": kind for op, kind in (("arr_get1", "arr"), ("arr_get2", "arr"), ("lst_get", "lst"))
                 for variant in _ACCESS_VARIANTS} | {"iter_get": "lst", "lst_len": "lst", "iter_len": "lst"}
STORES = {f"{op}{variant}": kind for op, kind in (("arr_set1", "arr"), ("arr_set2", "arr"), ("lst_set", "lst"))
          for variant in _ACCESS_VARIANTS} | {"lst_append": "lst"}


def aux_key(value):
    """A hashable key equal for equal aux literals: by type and repr (so 0.0 and -0.0,
    1 and True differ, and nan equals nan); other objects by identity."""
    if value is None or type(value) in (int, float, bool, str, tuple) or type(value).__module__ == "numpy":
        return (type(value), repr(value))
    return ("id", id(value))


def shareable(op: str, type_: str) -> bool:
    return op not in NEVER_SHARED and type_ != "void" and "store" not in OPS[op].flags


class CSETable:
    """The instructions available for reuse at the end of the refs seen so far."""

    def __init__(self, trace, ranges=()):
        self.trace = trace
        self.available = {}      # key -> ref
        self.loads = {"arr": set(), "lst": set()}   # keys of element loads, by container kind
        for start, end in ranges:
            for ref in range(start, end):
                self.add(ref)

    @staticmethod
    def key(op, args, aux):
        return (op, args, tuple(aux_key(a) for a in aux))

    def lookup(self, op, args, aux):
        return self.available.get(self.key(op, args, aux))

    def add(self, ref: int) -> None:
        """Note the instruction at ``ref`` (just emitted, or replayed): make it available,
        or let it kill the loads it may change."""
        ins = self.trace.ins[ref]
        kind = STORES.get(ins.op)
        if kind is not None:
            self.kill(kind)
            return
        if ins.op == "call_loop":
            self.kill("arr")
            self.kill("lst")
            return
        if not shareable(ins.op, ins.type):
            return
        key = self.key(ins.op, ins.args, ins.aux)
        self.available.setdefault(key, ref)
        kind = ELEMENT_LOADS.get(ins.op)
        if kind is not None:
            self.loads[kind].add(key)

    def kill(self, kind: str) -> None:
        for key in self.loads[kind]:
            self.available.pop(key, None)
        self.loads[kind].clear()
