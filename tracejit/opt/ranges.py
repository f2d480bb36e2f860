"""ranges: overflow and bounds checks that integer ranges exclude (on the optimized copy).

An ``int_add``/``int_sub``/``int_mul``/``int_lshift`` whose operands' ranges keep the
exact result in int64 (and a shift within 0..63) becomes its ``_nov`` variant (plain
arithmetic); an array or list access (or an ``_inbounds`` one) whose index is known to
lie in ``0 <= i < len`` becomes its ``_inrange`` variant: no check, no negative-index
normalization (PyPy's ``IntBound``, LuaJIT's ``lj_opt_narrow.c`` and invariant bounds
checks). A branch guard comparing an int with a constant that the bounds decide goes
(a ``range`` loop's ``step > 0``, given the entry guard ``step >= 1``: LuaJIT's
invariant guards hoisted out of the loop).

**What is known of an int value** (``Bound``): an interval ``lo <= x <= hi`` and
symbolic bounds ``x <= t + c`` / ``x >= t + c`` against *invariant terms* ``t``:
values that cannot change while the trace runs (a param whose register no path of the
tree writes, an array param's dimension) or only grow (a list param's length: the
trace only appends). The pass walks the tree in dominance order
(``dominance.walk_tree``), computing bounds from constants, ``bool_to_int``, ``x & k``,
``x % k``, lengths and the arithmetic on them, and refining them at every guard that
passed: ``guard_true(i < n)`` gives ``i <= n - 1`` from there on, a side path starts
from its parent's bounds at its guard plus "the guard failed".

**Loop-carried values.** A param is a register's value at the loop header: on the first
iteration what the interpreter left there, later what the previous iteration's back
edge wrote (any path's: the root path's or a side trace's). Nothing in the iteration
dominates a param, so what is known of it is an *assumption* (a fact ``a <= b + c``
between params, dimensions and zero), and an assumption is used only if

1. it is checked once before the first iteration (``Trace.entry_guards``: the backend
   emits them before ``while True:``; one failing leaves through the *entry exit*, after
   the snapshots' exits, and the interpreter runs that iteration itself), and
2. it is re-established by every back edge of the tree (root path and each side path:
   the value a path leaves in the register satisfies it, given the assumptions; a path
   that does not write the register keeps the value, hence the fact);

by induction it then holds at the top of every iteration. The assumptions are found as
a greatest fixpoint: candidates are the bounds the back edges establish (``i < n`` for a
``range`` counter: the FORLOOP's guard dominates the back edge), ``p >= 0``, loop
invariant params within ``+-2**62`` (or ``2**30``, ``2**15``), and what an access
would need (``n <= len(a)`` when its index is below ``n``); candidates are dropped
while some back edge fails to re-establish one. Every bound carries the assumptions it
rests on; the entry guards are exactly those the removed checks rest on (closed under
what re-establishes them), and among those, each one the removals can do without is
dropped, the loosest sufficient one kept.

**Speculation.** An entry guard that fails keeps the trace from running (that entry
runs one interpreted iteration), so candidates are only assumptions true of the values
the live-in registers held when the tree was recorded (LuaJIT's rule for invariant
bounds checks), and of every state where an earlier trace of the loop failed its entry
guards (``Trace.recorded_values``; the JIT records a loop again when its entry exit
gets hot): a ``range(n)`` loop over ``a`` assumes ``n <= len(a)`` only if it held then.

Never removed: the guards side paths grow from, a ``lst_set`` of a float (it also exits
on a nan).
"""
from __future__ import annotations

from ..ir import EntryGuard
from .dominance import walk_tree
from .guards import ACCESSES, unguarded_access
from .rewrite import remove, unguard

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
INT_TYPES = ("i64", "ni64")
# the intervals tried for a loop-invariant int param, loosest first (|p| <= level)
LEVELS = (1 << 62, 1 << 30, 1 << 15)
NO_OVERFLOW = {"int_add": "int_add_nov", "int_sub": "int_sub_nov", "int_mul": "int_mul_nov",
               "int_lshift": "int_lshift_nov"}
_COMPARISONS = {"int_lt", "int_le", "int_gt", "int_ge", "int_eq", "int_ne"}
# comparison -> when true, the facts (x <= y + k) as (left, right, k) over (a, b) operand positions
_TRUE = {"lt": [(0, 1, -1)], "le": [(0, 1, 0)], "gt": [(1, 0, -1)], "ge": [(1, 0, 0)],
         "eq": [(0, 1, 0), (1, 0, 0)], "ne": []}
_NEGATION = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt", "eq": "ne", "ne": "eq"}
NONE = frozenset()
MAX_ROUNDS = 4      # rounds of candidate assumptions (each may enable more)
MAX_TRIES = 24      # past this many, low-risk assumptions are kept without trying to drop them


class Bound:
    """``lo <= x <= hi``; ``x <= t + c`` for ``t: c`` in ``up``, ``x >= t + c`` in ``down``.
    Each part is a pair (value, the assumptions it rests on)."""

    __slots__ = ("lo", "hi", "up", "down", "implied")

    def __init__(self, lo=(INT64_MIN, NONE), hi=(INT64_MAX, NONE), up=None, down=None):
        self.lo, self.hi = lo, hi
        self.up = up or {}
        self.down = down or {}
        self.implied = None     # Analysis.interval's answer (a bound never changes once used)


UNKNOWN = Bound()


def _lower(a, b):
    """The tighter (smaller) of two upper bounds (value, deps); fewer deps on a tie."""
    return a if a[0] < b[0] or (a[0] == b[0] and len(a[1]) <= len(b[1])) else b


def _higher(a, b):
    return a if a[0] > b[0] or (a[0] == b[0] and len(a[1]) <= len(b[1])) else b


def _add(a, b):
    return (a[0] + b[0], a[1] | b[1])


def _neg(a):
    return (-a[0], a[1])


def _merge_up(target, term, c):
    old = target.get(term)
    target[term] = c if old is None else _lower(old, c)


def _merge_down(target, term, c):
    old = target.get(term)
    target[term] = c if old is None else _higher(old, c)


def _clamped(lo, hi):
    """An exact int64 result's interval (a guarded op exits rather than leave int64)."""
    return (lo if lo[0] >= INT64_MIN else (INT64_MIN, NONE)), (hi if hi[0] <= INT64_MAX else (INT64_MAX, NONE))


class Context:
    """What the analyses of one tree share: its carried registers, its terms."""

    def __init__(self, trace):
        self.trace = trace
        ins = trace.ins
        carried = set(trace.carried_registers())
        self.int_params = [r for r in trace.params if ins[r].type in INT_TYPES]
        self.carried = {r for r in self.int_params if ins[r].aux[1] in carried}
        self.invariant = [r for r in self.int_params if r not in self.carried]
        self.appended = {i.args[0] for i in ins if i.op == "lst_append"}
        self.side_guards = {side.guard for side in trace.sides}
        self.paths = [(trace.loop_carried, None)] + [(side.loop_carried, side.guard) for side in trace.sides]
        self.samples = trace.recorded_values
        # invariant terms worth relating values to: dimensions, and params a comparison
        # tests a variable against (a range's stop; not its step, compared to 0)
        self.bounding = {("ref", r) for r in self.invariant
                         if any(i.op in _COMPARISONS and r in i.args and
                                all(ins[a].op != "const" for a in i.args) for i in ins)}

    def bounding_term(self, term) -> bool:
        return term[0] == "dim" or term in self.bounding

    @staticmethod
    def is_carried_fact(fact, carried) -> bool:
        return any(t is not None and t[0] == "ref" and t[1] in carried for t in fact[:2])

    def dim_term(self, container, axis):
        """The term of a container's dimension, if it has one (a param's)."""
        ins = self.trace.ins[container]
        if ins.op != "param" or not ins.type.startswith(("arr:", "lst:")):
            return None
        return ("dim", container, axis)

    def value(self, term, values):
        """A term's value in ``values`` (live-in register -> value), or None if not known."""
        if term is None:
            return 0
        ins = self.trace.ins[term[1]]
        value = values.get(ins.aux[1]) if ins.op == "param" else None
        if value is None:
            return None
        if term[0] == "ref":
            return int(value)
        shape = getattr(value, "shape", None)
        return int(shape[term[2]]) if shape is not None else len(value)

    def held(self, fact) -> bool:
        """Whether the fact was true of the recorded values (not known: no) and of every
        state where an earlier trace's entry guards failed (where known)."""
        for number, values in enumerate(self.samples):
            a, b = self.value(fact[0], values), self.value(fact[1], values)
            if a is None or b is None:
                if number == 0:
                    return False
            elif a > b + fact[2]:
                return False
        return bool(self.samples)


class Analysis:
    """One walk of the tree under the assumptions ``facts``: the checks that can go,
    each with the assumptions it rests on, and what each carried fact's back edges
    rest on (or None where a back edge does not re-establish it)."""

    def __init__(self, context, facts):
        self.context = context
        self.trace = context.trace
        self.facts = sorted(facts, key=repr)     # (sets of tuples of str iterate per process)
        self.terms = self._terms()
        self.headers = {}           # carried param term -> its bound at the header
        self.removals = {}          # ref -> (unguarded op, deps)
        self.wanted = set()         # candidate assumptions some check would need
        self.end_states = {}        # side guard (None: root) -> state at the back edge
        state = {}
        walk_tree(self.trace, self.visit, self.enter_side, state)
        self.end_states[None] = state

    # ----- assumptions -----------------------------------------------------------------------
    def _terms(self):
        """Bounds of the invariant terms under the assumptions (closed: t <= u + c and
        u <= v + d give t <= v + c + d)."""
        ctx = self.context
        terms = {}
        for r in ctx.invariant:
            terms[("ref", r)] = Bound()
        for ref, ins in enumerate(self.trace.ins):
            if ins.op == "param" and ins.type.startswith(("arr:", "lst:")):
                for axis in range(int(ins.type.split(":")[2]) if ins.type.startswith("arr:") else 1):
                    terms[("dim", ref, axis)] = Bound(lo=(0, NONE))
        for term, bound in terms.items():
            bound.up[term] = bound.down[term] = (0, NONE)
        for fact in self.facts:
            if not ctx.is_carried_fact(fact, ctx.carried):
                self._assume(terms, fact)
        for _ in range(2):
            for bound in terms.values():
                for t, c in list(bound.up.items()):
                    for u, d in terms[t].up.items():
                        _merge_up(bound.up, u, _add(c, d))
                    bound.hi = _lower(bound.hi, _add(c, terms[t].hi))
                for t, c in list(bound.down.items()):
                    for u, d in terms[t].down.items():
                        _merge_down(bound.down, u, _add(c, d))
                    bound.lo = _higher(bound.lo, _add(c, terms[t].lo))
        return terms

    @staticmethod
    def _assume(bounds, fact):
        """Record ``a <= b + c`` in the bounds of its terms (``bounds``: term -> Bound)."""
        a, b, c = fact
        deps = frozenset((fact,))
        if a is not None and a in bounds:
            if b is None:
                bounds[a].hi = _lower(bounds[a].hi, (c, deps))
            else:
                _merge_up(bounds[a].up, b, (c, deps))
        if b is not None and b in bounds:
            if a is None:
                bounds[b].lo = _higher(bounds[b].lo, (-c, deps))
            else:
                _merge_down(bounds[b].down, a, (-c, deps))

    def header_bound(self, ref):
        """A param's bound at the top of the iteration."""
        term = ("ref", ref)
        if term in self.terms:
            return self.terms[term]
        if term in self.headers:
            return self.headers[term]
        bound = self.headers[term] = Bound()
        for fact in self.facts:
            if term in fact[:2] and all(t is None or t == term or t in self.terms for t in fact[:2]):
                self._assume({term: bound}, fact)
        self._compose(bound)
        return bound

    def _compose(self, bound):
        for t, c in list(bound.up.items()):
            if t in self.terms:
                for u, d in self.terms[t].up.items():
                    _merge_up(bound.up, u, _add(c, d))
        for t, c in list(bound.down.items()):
            if t in self.terms:
                for u, d in self.terms[t].down.items():
                    _merge_down(bound.down, u, _add(c, d))

    # ----- queries -------------------------------------------------------------------------
    def interval(self, bound):
        """(lo, hi), each (value, deps), with what the symbolic bounds imply."""
        if bound.implied is None:
            lo, hi = bound.lo, bound.hi
            for t, c in bound.up.items():
                hi = _lower(hi, _add(c, self.terms[t].hi))
            for t, c in bound.down.items():
                lo = _higher(lo, _add(c, self.terms[t].lo))
            bound.implied = lo, hi
        return bound.implied

    def at_most(self, bound, term, c):
        """The deps of ``x <= term + c`` (term None: zero), or None if not known: from
        x's interval, or x <= t + d with t <= term + e (t == term: e = 0)."""
        lo, hi = self.interval(bound)
        if term is None:
            return hi[1] if hi[0] <= c else None
        tlo = self.terms[term].lo
        ways = [hi[1] | tlo[1]] if hi[0] - tlo[0] <= c else []
        for t, d in bound.up.items():
            e = self.terms[t].up.get(term)
            if e is not None and d[0] + e[0] <= c:
                ways.append(d[1] | e[1])
        return min(ways, key=len) if ways else None

    def at_least(self, bound, term, c):
        """The deps of ``x >= term + c``, or None (as ``at_most``)."""
        lo, hi = self.interval(bound)
        if term is None:
            return lo[1] if lo[0] >= c else None
        thi = self.terms[term].hi
        ways = [lo[1] | thi[1]] if lo[0] - thi[0] >= c else []
        for t, d in bound.down.items():
            e = self.terms[t].down.get(term)
            if e is not None and d[0] + e[0] >= c:
                ways.append(d[1] | e[1])
        return min(ways, key=len) if ways else None

    # ----- the walk ------------------------------------------------------------------------
    def bound(self, ref, state):
        found = state.get(ref)
        if found is not None:
            return found
        ins = self.trace.ins[ref]
        if ins.op in ("param", "const") and ins.type in INT_TYPES:
            # a side path may use a param (a header value) the root path reads after its guard
            return self.compute(ref, ins, state)
        return UNKNOWN

    def enter_side(self, guard, state):
        side_state = dict(state)
        ins = self.trace.ins[guard]
        if ins.op in ("guard_true", "guard_false"):
            self.learn(ins.args[0], ins.op != "guard_true", side_state)
        self.end_states[guard] = side_state
        return side_state

    def visit(self, ref, state):
        ins = self.trace.ins[ref]
        if ins.op in ("guard_true", "guard_false"):
            self.implied(ref, ins, state)
            self.learn(ins.args[0], ins.op == "guard_true", state)
            return
        access = ACCESSES.get(ins.op.removesuffix("_inbounds"))
        if access is not None:
            self.access(ref, ins, access[0], state)
            return
        if ins.type in INT_TYPES:
            state[ref] = self.compute(ref, ins, state)

    def implied(self, ref, guard, state):
        """A branch guard on an int comparison with a constant that the bounds decide (a
        ``range`` loop's ``step > 0`` given the assumption ``step >= 1``) goes, unless a
        side path grows from it."""
        cond = self.trace.ins[guard.args[0]]
        if cond.op not in _COMPARISONS or ref in self.context.side_guards:
            return
        cmp = cond.op[4:]
        facts = _TRUE[cmp if guard.op == "guard_true" else _NEGATION[cmp]]
        deps = NONE if facts else None      # (x != y states no fact: never decided here)
        for left, right, k in facts:
            x, y = self.trace.ins[cond.args[left]], self.trace.ins[cond.args[right]]
            if y.op == "const":
                known = self.at_most(self.bound(cond.args[left], state), None, y.aux[1] + k)
            elif x.op == "const":
                known = self.at_least(self.bound(cond.args[right], state), None, x.aux[1] - k)
            else:
                known = None
            deps = None if known is None or deps is None else deps | known
        if deps is not None:
            self.removals[ref] = ("nop", deps)

    def learn(self, cond, value, state):
        """The branch guard on ``cond`` passed with ``cond == value``."""
        ins = self.trace.ins[cond]
        if ins.op == "not":
            self.learn(ins.args[0], not value, state)
            return
        if ins.op not in _COMPARISONS:
            return
        cmp = ins.op[4:]
        for left, right, k in _TRUE[cmp if value else _NEGATION[cmp]]:
            self.refine(ins.args[left], ins.args[right], k, state)

    def refine(self, x, y, k, state):
        """From here on ``x <= y + k``."""
        X, Y = self.bound(x, state), self.bound(y, state)
        xlo, xhi = self.interval(X)
        ylo, yhi = self.interval(Y)
        if self.trace.ins[x].op != "const":
            up = dict(X.up)
            for t, c in Y.up.items():
                _merge_up(up, t, (c[0] + k, c[1]))
            state[x] = Bound(X.lo, _lower(X.hi, (yhi[0] + k, yhi[1])), up, X.down)
        if self.trace.ins[y].op != "const":
            down = dict(Y.down)
            for t, c in X.down.items():
                _merge_down(down, t, (c[0] - k, c[1]))
            state[y] = Bound(_higher(Y.lo, (xlo[0] - k, xlo[1])), Y.hi, Y.up, down)

    def access(self, ref, ins, nindices, state):
        """An element access: unguarded if every index is known in bounds; a guarded one
        that passed bounds its index by the dimension from there on."""
        container = ins.args[0]
        deps = NONE
        for axis, index in enumerate(ins.args[1:1 + nindices]):
            term = self.context.dim_term(container, axis)
            if term is None:
                return
            X = self.bound(index, state)
            self.want_in_bounds(X, index, term)
            below, above = self.at_least(X, None, 0), self.at_most(X, term, -1)
            if below is None or above is None:
                deps = None
            elif deps is not None:
                deps = deps | below | above
            # the check passed: in bounds from here on (of a list the trace appends to, in
            # bounds of its length now, which may exceed the term: its length at entry)
            if self.trace.ins[index].op != "const" and container not in self.context.appended:
                up = dict(X.up)
                _merge_up(up, term, (-1, NONE))
                state[index] = Bound(X.lo, X.hi, up, X.down)
        if deps is not None and unguarded_access(self.trace, ins, "_inrange") is not None:
            self.removals[ref] = (unguarded_access(self.trace, ins, "_inrange"), deps)

    def want_in_bounds(self, X, index, term):
        """Candidate assumptions that would put this index in bounds (all of them: the
        fixpoint and the minimization choose)."""
        lo, hi = self.interval(X)
        if hi[0] < INT64_MAX:
            self.wanted.add((None, term, -1 - hi[0]))         # len >= hi + 1
        for t, c in X.up.items():
            if t != term:
                self.wanted.add((t, term, -1 - c[0]))         # t + c <= len - 1
        if self.trace.ins[index].op == "param":    # what the first iteration checks
            self.wanted.add((None, ("ref", index), 0))        # index >= 0
            # index <= len - 1, and likewise for the other loop variables (a range's
            # counter, from which the next index comes)
            for param in {index} | self.context.carried:
                self.wanted.add((("ref", param), term, -1))

    def compute(self, ref, ins, state):
        op = ins.op.removesuffix("_nov")
        if op == "const":
            return Bound((ins.aux[1], NONE), (ins.aux[1], NONE))
        if op == "param":
            return self.header_bound(ref)
        if op == "bool_to_int":
            return Bound((0, NONE), (1, NONE))
        if op == "arr_dim":
            term = self.context.dim_term(ins.args[0], ins.aux[0])
            return self.terms[term] if term is not None else Bound(lo=(0, NONE))
        if op == "lst_len":
            term = self.context.dim_term(ins.args[0], 0)
            if term is None:
                return Bound(lo=(0, NONE))
            if ins.args[0] not in self.context.appended:
                return self.terms[term]
            return Bound(lo=(0, NONE), down=dict(self.terms[term].down))   # only grows
        if op in ("iter_len", "lst_append"):
            return Bound(lo=(0, NONE))
        args = [self.bound(a, state) for a in ins.args]
        rule = _RULES.get(op)
        if rule is None:
            return UNKNOWN
        bound, fits = rule(self, *args)
        if fits is not None and ins.op in NO_OVERFLOW:
            self.removals[ref] = (NO_OVERFLOW[ins.op], fits)
        return bound

    # ----- transfer rules: (result bound, deps of "no overflow" or None) ------------------------
    def rule_add(self, A, B, sign=1):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        if sign < 0:
            blo, bhi = _neg(bhi), _neg(blo)
        lo, hi = _add(alo, blo), _add(ahi, bhi)
        fits = lo[1] | hi[1] if lo[0] >= INT64_MIN and hi[0] <= INT64_MAX else None
        up, down = {}, {}
        for t, c in A.up.items():
            _merge_up(up, t, _add(c, bhi))
        for t, c in A.down.items():
            _merge_down(down, t, _add(c, blo))
        if sign > 0:
            for t, c in B.up.items():
                _merge_up(up, t, _add(c, ahi))
            for t, c in B.down.items():
                _merge_down(down, t, _add(c, alo))
        return Bound(*_clamped(lo, hi), up, down), fits

    def rule_sub(self, A, B):
        return self.rule_add(A, B, -1)

    def rule_mul(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        deps = alo[1] | ahi[1] | blo[1] | bhi[1]
        corners = [x[0] * y[0] for x in (alo, ahi) for y in (blo, bhi)]
        lo, hi = (min(corners), deps), (max(corners), deps)
        fits = deps if lo[0] >= INT64_MIN and hi[0] <= INT64_MAX else None
        return Bound(*_clamped(lo, hi)), fits

    def rule_and(self, A, B):
        result = Bound()
        for X in (A, B):
            lo, hi = self.interval(X)
            if lo[0] >= 0:     # x & y is between 0 and x for x >= 0
                if result.lo[0] < 0:
                    result.lo = (0, lo[1])
                result.hi = _lower(result.hi, (hi[0], hi[1] | lo[1]))
        return result, None

    def rule_or(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        if alo[0] < 0 or blo[0] < 0:
            return UNKNOWN, None
        deps = alo[1] | ahi[1] | blo[1] | bhi[1]
        return Bound((0, alo[1] | blo[1]), ((1 << max(ahi[0], bhi[0]).bit_length()) - 1, deps)), None

    def rule_mod(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        if blo[0] >= 1:      # 0 <= a % b <= b - 1, and <= a for a >= 0
            result = Bound((0, blo[1]), (bhi[0] - 1, bhi[1] | blo[1]))
            for t, c in B.up.items():
                _merge_up(result.up, t, (c[0] - 1, c[1] | blo[1]))
            if alo[0] >= 0:
                result.hi = _lower(result.hi, (ahi[0], ahi[1] | alo[1] | blo[1]))
                for t, c in A.up.items():
                    _merge_up(result.up, t, (c[0], c[1] | alo[1] | blo[1]))
            return result, None
        if bhi[0] <= -1:     # b + 1 <= a % b <= 0
            return Bound((blo[0] + 1, blo[1] | bhi[1]), (0, bhi[1])), None
        return UNKNOWN, None

    def rule_floordiv(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        if blo[0] <= 0 <= bhi[0]:
            return UNKNOWN, None
        deps = alo[1] | ahi[1] | blo[1] | bhi[1]
        corners = [x[0] // y[0] for x in (alo, ahi) for y in (blo, bhi)]
        return Bound(*_clamped((min(corners), deps), (max(corners), deps))), None

    def rule_lshift(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        if blo[0] < 0 or bhi[0] > 63:
            return UNKNOWN, None
        deps = alo[1] | ahi[1] | blo[1] | bhi[1]
        corners = [x[0] << y[0] for x in (alo, ahi) for y in (blo, bhi)]   # x * 2**y: monotonic in each
        lo, hi = (min(corners), deps), (max(corners), deps)
        fits = deps if lo[0] >= INT64_MIN and hi[0] <= INT64_MAX else None
        return Bound(*_clamped(lo, hi)), fits

    def rule_rshift(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        if blo[0] < 0:
            return UNKNOWN, None
        deps = alo[1] | ahi[1] | blo[1] | bhi[1]
        corners = [x[0] >> min(y[0], 63) for x in (alo, ahi) for y in (blo, bhi)]
        return Bound((min(corners), deps), (max(corners), deps)), None

    def rule_min(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        up = dict(A.up)
        for t, c in B.up.items():
            _merge_up(up, t, c)
        down = {t: (min(c[0], B.down[t][0]), c[1] | B.down[t][1]) for t, c in A.down.items() if t in B.down}
        return Bound((min(alo[0], blo[0]), alo[1] | blo[1]), _lower(ahi, bhi), up, down), None

    def rule_max(self, A, B):
        (alo, ahi), (blo, bhi) = self.interval(A), self.interval(B)
        down = dict(A.down)
        for t, c in B.down.items():
            _merge_down(down, t, c)
        up = {t: (max(c[0], B.up[t][0]), c[1] | B.up[t][1]) for t, c in A.up.items() if t in B.up}
        return Bound(_higher(alo, blo), (max(ahi[0], bhi[0]), ahi[1] | bhi[1]), up, down), None

    def rule_neg(self, A):
        lo, hi = self.interval(A)
        return Bound(*_clamped(_neg(hi), _neg(lo))), None

    def rule_abs(self, A):
        lo, hi = self.interval(A)
        if lo[0] >= 0:
            return A, None
        top = max(-lo[0], hi[0])
        return Bound(*_clamped((0, NONE), (top, lo[1] | hi[1]))), None

    def rule_invert(self, A):
        lo, hi = self.interval(A)
        return Bound((-hi[0] - 1, hi[1]), (-lo[0] - 1, lo[1])), None

    # ----- back edges ------------------------------------------------------------------------
    def back_edge_bounds(self, param):
        """[Bound] of the values the paths writing ``param``'s register leave in it."""
        reg = self.trace.ins[param].aux[1]
        result = []
        for carried, guard in self.context.paths:
            ref = carried.get(reg)
            if ref is not None:
                result.append(self.bound(ref, self.end_states[guard]))
        return result

    def support(self, fact):
        """The deps of re-establishing the carried ``fact`` on every back edge, or None."""
        a, b, c = fact
        deps = NONE
        for subject, other, at in ((a, b, "most"), (b, a, "least")):
            if subject is None or subject[0] != "ref" or subject[1] not in self.context.carried:
                continue
            param = subject[1]
            reg = self.trace.ins[param].aux[1]
            for carried, guard in self.context.paths:
                ref = carried.get(reg)
                if ref is None:      # the register keeps its value on this path
                    deps = deps | {fact}
                    continue
                bound = self.bound(ref, self.end_states[guard])
                found = self.at_most(bound, other, c) if at == "most" else self.at_least(bound, other, -c)
                if found is None:
                    return None
                deps = deps | found
            return deps
        return deps


_RULES = {"int_add": Analysis.rule_add, "int_sub": Analysis.rule_sub, "int_mul": Analysis.rule_mul,
          "int_and": Analysis.rule_and, "int_or": Analysis.rule_or, "int_xor": Analysis.rule_or,
          "int_mod": Analysis.rule_mod, "int_floordiv": Analysis.rule_floordiv,
          "int_lshift": Analysis.rule_lshift, "int_rshift": Analysis.rule_rshift, "int_min": Analysis.rule_min, "int_max": Analysis.rule_max,
          "int_mod_k": Analysis.rule_mod, "int_floordiv_k": Analysis.rule_floordiv,
          "int_rshift_k": Analysis.rule_rshift,
          "int_neg": Analysis.rule_neg, "int_abs": Analysis.rule_abs, "int_invert": Analysis.rule_invert}


# ----- the assumptions ---------------------------------------------------------------------------
def _first_candidates(ctx):
    """Int params within each level (both ways), and >= 0; invariant ones also >= 1 (a
    divisor) and >= -1 (the stop of a range counting down to 0)."""
    facts = set()
    for r in ctx.int_params:
        for level in LEVELS:
            facts |= {(("ref", r), None, level), (None, ("ref", r), level)}
        facts |= {(None, ("ref", r), c) for c in ((0,) if r in ctx.carried else (-1, 0, 1))}
    return facts


def _back_edge_candidates(analysis):
    """For each carried int param: what every path writing it leaves in its register."""
    facts = set()
    for param in analysis.context.carried:
        bounds = analysis.back_edge_bounds(param)
        if not bounds:
            continue
        subject = ("ref", param)
        intervals = [analysis.interval(b) for b in bounds]
        hi = max(i[1][0] for i in intervals)
        lo = min(i[0][0] for i in intervals)
        if hi < INT64_MAX:
            facts.add((subject, None, hi))
        if lo > INT64_MIN:
            facts.add((None, subject, -lo))
        for term in set.intersection(*(set(b.up) for b in bounds)):
            if analysis.context.bounding_term(term):
                facts.add((subject, term, max(b.up[term][0] for b in bounds)))
        for term in set.intersection(*(set(b.down) for b in bounds)):
            if analysis.context.bounding_term(term):
                facts.add((term, subject, -min(b.down[term][0] for b in bounds)))
    return facts


def _greatest_fixpoint(ctx, facts):
    """(the largest subset of ``facts`` whose carried facts every back edge re-establishes
    given the subset, its Analysis)."""
    facts = frozenset(facts)
    while True:
        analysis = Analysis(ctx, facts)
        failing = {f for f in facts if ctx.is_carried_fact(f, ctx.carried) and analysis.support(f) is None}
        if not failing:
            return facts, analysis
        facts = facts - failing


def _needed(ctx, analysis):
    """The assumptions the removals rest on, closed under what re-establishes them."""
    needed = set()
    work = [f for _op, deps in analysis.removals.values() for f in deps]
    while work:
        fact = work.pop()
        if fact in needed:
            continue
        needed.add(fact)
        if ctx.is_carried_fact(fact, ctx.carried):
            work.extend(analysis.support(fact))
    return needed


def _order(ctx, fact):
    """The order in which to try doing without an assumption, deterministic: the
    likeliest to fail at a later entry first; among intervals the strongest first
    (``p >= 1`` before ``p >= 0``: dropping the weaker one first would keep the
    stronger); relations between dimensions (the same arrays, mostly) and the loosest
    intervals last (rank >= LOW_RISK)."""
    a, b, c = fact
    if a is None or b is None:
        rank = 4 if c >= LEVELS[0] else 0
    elif ctx.is_carried_fact(fact, ctx.carried):
        rank = 2
    else:
        rank = 3 if a[0] == b[0] == "dim" else 1
    return (rank, c, repr(fact))


LOW_RISK = 3


def assumptions(trace):
    """(the entry guards, the Analysis under them) for a tree."""
    ctx = Context(trace)
    candidates = {f for f in _first_candidates(ctx) if ctx.held(f)}
    for _ in range(MAX_ROUNDS):
        analysis = Analysis(ctx, frozenset(candidates))
        more = {f for f in _back_edge_candidates(analysis) | analysis.wanted
                if f not in candidates and _usable(f) and ctx.held(f)}
        if not more:
            break
        candidates |= more
    facts, analysis = _greatest_fixpoint(ctx, candidates)
    removed = set(analysis.removals)
    tried = set()
    while True:
        untried = sorted(_needed(ctx, analysis) - tried, key=lambda f: _order(ctx, f))
        if not untried or (len(tried) >= MAX_TRIES and _order(ctx, untried[0])[0] >= LOW_RISK):
            break
        fact = untried[0]
        tried.add(fact)
        fewer, without = _greatest_fixpoint(ctx, facts - {fact})
        if set(without.removals) >= removed:
            facts, analysis = fewer, without
    return sorted(_needed(ctx, analysis), key=repr), analysis


def _usable(fact) -> bool:
    """A fact an entry guard can state: a non-trivial constant within int64."""
    return INT64_MIN < fact[2] < INT64_MAX and (fact[0] is not None or fact[1] is not None)


def eliminate_range_checks(trace) -> None:
    if not any(ins.op in NO_OVERFLOW or ins.op.removesuffix("_inbounds") in ACCESSES or ins.op in ("guard_true", "guard_false")
               for ins in trace.ins):
        return
    guards, analysis = assumptions(trace)
    for ref, (op, _deps) in sorted(analysis.removals.items()):
        if op == "nop":
            remove(trace, ref)
        else:
            unguard(trace, ref, op)
    trace.entry_guards = [EntryGuard(*fact) for fact in guards]
