"""Differential tests on hypothesis-generated programs.

The strategy ``programs()`` builds random but valid programs of the subset as source
text: ``def main(n):`` with a few int and number locals, an int list, a float list and
a dict, one bounded loop (``for`` over a range or over the int list, or a ``while``
with a counter) whose body holds random assignments, augmented assignments, list and
dict updates and ``if``/``elif``/``else`` statements with ``break``/``continue``;
``main`` returns a tuple of its locals. Each program runs under CPython and in the VM
(every mode) through ``assert_same`` with a random ``n``; errors such as
ZeroDivisionError are fine, they are compared as exception types.

Growth is kept in check so that CPython always finishes quickly: every expression
that can grow a value faster than additively (``*``, ``**``, ``<<``) is reduced
``% 1000003`` (or converted with ``float()``) before it is stored, ``**`` exponents
and shift counts are small constants, loops run at most a few dozen iterations and
list appends are guarded by a length bound.

Typing discipline: the int locals (``a``, ``b``, ``k``) and the int list only ever
receive int (or bool) values, so bitwise operators on them are valid; the number
locals (``x``, ``y``) and the float list receive ints or floats.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from differential import assert_same

M = 1000003
INT_VARS = ("a", "b", "k")
NUM_VARS = ("x", "y")
INT_CONSTS = (0, 1, 2, 3, 5, 7, 10, 100, -1, -2, -7, 255, 1000003,
              9223372036854775807, -9223372036854775808, 18446744073709551616, 2 ** 40)
FLOAT_CONSTS = ("0.0", "-0.0", "0.5", "1.5", "-2.25", "3.0", "1e10", "1e-10",
                "3.141592653589793", "1e300", "-7.75", "0.1")
CMP_OPS = ("<", "<=", ">", ">=", "==", "!=")


class Gen:
    """Draws one program; ``in_loop`` tells whether break/continue and the loop
    variable are available."""

    def __init__(self, draw):
        self.draw = draw
        self.loop_var = None
        self.in_loop = False

    def d(self, strategy):
        return self.draw(strategy)

    def choice(self, options):
        return self.d(st.sampled_from(options))

    def chance(self, p):
        return self.d(st.integers(0, 99)) < p * 100

    # ----- expressions: each returns (text, risky) -------------------------------------
    def int_leaf(self):
        kinds = ["var", "var", "const", "len", "item"]
        if self.loop_var:
            kinds += ["loopvar", "loopvar"]
        kind = self.choice(kinds)
        if kind == "var":
            return self.choice(INT_VARS), False
        if kind == "const":
            c = self.choice(INT_CONSTS)
            return (f"({c})" if c < 0 else str(c)), False
        if kind == "len":
            return self.choice(("len(lst)", "len(fl)", "len(d)")), False
        if kind == "item":
            idx, risky = self.int_expr(0)
            return f"lst[({idx}) % len(lst)]", risky
        return self.loop_var, False

    def int_expr(self, depth):
        if depth <= 0 or self.chance(0.25):
            return self.int_leaf()
        kind = self.choice(("binop", "binop", "divmod", "shift", "pow", "unary", "call", "ifexp",
                            "boolop", "compare", "convert", "item", "powmod"))
        sub = lambda: self.int_expr(depth - 1)  # noqa: E731
        if kind == "binop":
            (l, rl), (r, rr) = sub(), sub()
            op = self.choice(("+", "-", "*", "&", "|", "^", "+", "-"))
            return f"({l} {op} {r})", rl or rr or op == "*"
        if kind == "divmod":
            (l, rl), (r, rr) = sub(), sub()
            op = self.choice(("//", "%"))
            if self.chance(0.85):
                r = f"({r} or 1)"
            return f"({l} {op} {r})", rl or rr
        if kind == "shift":
            l, rl = sub()
            if self.chance(0.3):
                r, rr = sub()
                return f"({l} >> (({r}) % 64))", rl or rr
            op = self.choice(("<<", ">>"))
            count = self.d(st.integers(-1 if self.chance(0.05) else 0, 12))
            return f"({l} {op} {count})", rl or op == "<<"
        if kind == "pow":
            l, _ = sub()
            return f"({l} ** {self.d(st.integers(0, 3))})", True
        if kind == "powmod":
            l, rl = sub()
            return f"pow({l}, {self.d(st.integers(0, 5))}, {M})", rl
        if kind == "unary":
            l, rl = sub()
            return f"({self.choice(('-', '~', '+'))}{l})", rl
        if kind == "call":
            (l, rl), (r, rr) = sub(), sub()
            fn = self.choice(("abs", "min", "max", "divmod"))
            if fn == "abs":
                return f"abs({l})", rl
            if fn == "divmod":
                return f"divmod({l}, ({r} or 3))[{self.d(st.integers(0, 1))}]", rl or rr
            return f"{fn}({l}, {r})", rl or rr
        if kind == "ifexp":
            c, rc = self.cond(depth - 1)
            (l, rl), (r, rr) = sub(), sub()
            return f"({l} if {c} else {r})", rl or rr or rc
        if kind == "boolop":
            (l, rl), (r, rr) = sub(), sub()
            return f"({l} {self.choice(('and', 'or'))} {r})", rl or rr
        if kind == "compare":
            c, rc = self.compare(depth - 1)
            return f"({c})", rc
        if kind == "convert":
            f, rf = self.num_expr(depth - 1)
            fn = self.choice(("int", "round", "int"))
            return f"{fn}({f})", rf
        # item
        idx, ri = sub()
        return f"lst[({idx}) % len(lst)]", ri

    def num_leaf(self):
        kind = self.choice(("var", "var", "const", "int", "item"))
        if kind == "var":
            return self.choice(NUM_VARS), False
        if kind == "const":
            return self.choice(FLOAT_CONSTS), False
        if kind == "int":
            return self.int_leaf()
        idx, risky = self.int_expr(0)
        return f"fl[({idx}) % len(fl)]", risky

    def num_expr(self, depth):
        if depth <= 0 or self.chance(0.25):
            return self.num_leaf()
        kind = self.choice(("binop", "binop", "div", "pow", "unary", "call", "ifexp", "boolop",
                            "int", "math"))
        sub = lambda: self.num_expr(depth - 1)  # noqa: E731
        if kind == "binop":
            (l, rl), (r, rr) = sub(), sub()
            op = self.choice(("+", "-", "*"))
            return f"({l} {op} {r})", rl or rr or op == "*"
        if kind == "div":
            (l, rl), (r, rr) = sub(), sub()
            op = self.choice(("/", "//", "%", "/"))
            if self.chance(0.85):
                r = f"({r} or 1.0)"
            return f"({l} {op} {r})", rl or rr
        if kind == "pow":
            l, _ = sub()
            return f"({l} ** {self.choice((0, 1, 2, 3, -1, 2))})", True
        if kind == "unary":
            l, rl = sub()
            return f"({self.choice(('-', '+'))}{l})", rl
        if kind == "call":
            (l, rl), (r, rr) = sub(), sub()
            fn = self.choice(("abs", "min", "max", "round2", "float"))
            if fn == "abs":
                return f"abs({l})", rl
            if fn == "float":
                return f"float({l})", rl
            if fn == "round2":
                return f"round({l}, {self.d(st.integers(-1, 3))})", rl
            return f"{fn}({l}, {r})", rl or rr
        if kind == "ifexp":
            c, rc = self.cond(depth - 1)
            (l, rl), (r, rr) = sub(), sub()
            return f"({l} if {c} else {r})", rl or rr or rc
        if kind == "boolop":
            (l, rl), (r, rr) = sub(), sub()
            return f"({l} {self.choice(('and', 'or'))} {r})", rl or rr
        if kind == "math":
            l, rl = sub()
            fn = self.choice(("math.sqrt(abs({}))", "math.floor({})", "math.fabs({})",
                              "math.copysign(1.5, {})"))
            return fn.format(l), rl
        return self.int_expr(depth - 1)

    def compare(self, depth):
        pick = self.int_expr if self.chance(0.5) else self.num_expr
        (l, rl), (r, rr) = pick(depth), pick(depth)
        text = f"{l} {self.choice(CMP_OPS)} {r}"
        risky = rl or rr
        if self.chance(0.2):
            m, rm = pick(depth)
            text += f" {self.choice(CMP_OPS)} {m}"
            risky = risky or rm
        return text, risky

    def cond(self, depth):
        kind = self.choice(("compare", "compare", "compare", "not", "boolop", "in", "truth"))
        if depth <= 0 and kind in ("not", "boolop"):
            kind = "compare"
        if kind == "compare":
            return self.compare(depth)
        if kind == "not":
            c, r = self.cond(depth - 1)
            return f"not ({c})", r
        if kind == "boolop":
            (l, rl), (r, rr) = self.cond(depth - 1), self.cond(depth - 1)
            return f"({l}) {self.choice(('and', 'or'))} ({r})", rl or rr
        if kind == "in":
            e, r = self.int_expr(max(depth, 0))
            return f"{e} {self.choice(('in', 'not in'))} {self.choice(('lst', 'fl', 'd'))}", r
        e, r = self.num_expr(max(depth, 0))
        return e, r

    # ----- statements: each returns a list of lines (without indentation) ------------
    def store_int(self, target, depth=None):
        e, risky = self.int_expr(self.d(st.integers(0, 3)) if depth is None else depth)
        return f"{target} = ({e}) % {M}" if risky else f"{target} = {e}"

    def store_num(self, target):
        e, risky = self.num_expr(self.d(st.integers(0, 3)))
        if risky:
            return self.choice((f"{target} = ({e}) % {M}", f"{target} = float({e})"))
        return f"{target} = {e}"

    def simple_stmt(self):
        kind = self.choice(("int_assign", "int_assign", "num_assign", "num_assign", "int_aug",
                            "num_aug", "append", "setitem", "item_aug", "pop", "dict", "swap",
                            "print"))
        if kind == "int_assign":
            return [self.store_int(self.choice(INT_VARS))]
        if kind == "num_assign":
            return [self.store_num(self.choice(NUM_VARS))]
        if kind == "int_aug":
            v = self.choice(INT_VARS)
            e, risky = self.int_expr(self.d(st.integers(0, 2)))
            if risky:
                e = f"(({e}) % {M})"
            op = self.choice(("+=", "-=", "|=", "^=", "&=", "*=", "//=", "%=", "<<=", ">>=", "**="))
            if op in ("//=", "%="):
                return [f"{v} {op} ({e} or 1)"]
            if op in ("<<=", ">>="):
                return [f"{v} {op} {self.d(st.integers(0, 9))}", f"{v} %= {M}"]
            if op == "**=":
                return [f"{v} **= {self.d(st.integers(0, 3))}", f"{v} %= {M}"]
            if op == "*=":
                return [f"{v} *= {e}", f"{v} %= {M}"]
            return [f"{v} {op} {e}"]
        if kind == "num_aug":
            v = self.choice(NUM_VARS)
            e, risky = self.num_expr(self.d(st.integers(0, 2)))
            if risky:
                e = f"(({e}) % {M})"
            op = self.choice(("+=", "-=", "*=", "/=", "//=", "%="))
            if op in ("/=", "//=", "%="):
                return [f"{v} {op} ({e} or 1.0)" if self.chance(0.9) else f"{v} {op} {e}"]
            if op == "*=":
                return [f"{v} *= {e}", self.choice((f"{v} %= {M}", f"{v} = float({v})"))]
            return [f"{v} {op} {e}"]
        if kind == "append":
            if self.chance(0.5):
                e, risky = self.int_expr(self.d(st.integers(0, 2)))
                target = "lst"
            else:
                e, risky = self.num_expr(self.d(st.integers(0, 2)))
                target = "fl"
            if risky:
                e = f"({e}) % {M}"
            return [f"if len({target}) < 40:", f"    {target}.append({e})"]
        if kind == "setitem":
            idx, ri = self.int_expr(1)
            if self.chance(0.5):
                return [self.store_int(f"lst[({idx}) % len(lst)]", depth=self.d(st.integers(0, 2)))]
            e, risky = self.num_expr(self.d(st.integers(0, 2)))
            if risky or ri:
                e = f"({e}) % {M}"
            return [f"fl[({idx}) % len(fl)] = {e}"]
        if kind == "item_aug":
            idx, _ = self.int_expr(0)
            e, risky = self.int_expr(1)
            if risky:
                e = f"(({e}) % {M})"
            op = self.choice(("+=", "-=", "^=", "|="))
            return [f"lst[({idx}) % len(lst)] {op} {e}"]
        if kind == "pop":
            lst, var = self.choice((("lst", "a"), ("lst", "b"), ("fl", "x"), ("fl", "y")))
            arg = self.choice(("", "0", "-1"))
            return [f"if len({lst}) > 1:", f"    {var} = {lst}.pop({arg})"]
        if kind == "dict":
            key, _ = self.int_expr(1)
            e, risky = self.int_expr(1)
            if risky:
                e = f"(({e}) % {M})"
            key = f"(({key}) % 7)"
            return [f"d[{key}] = d.get({key}, 0) + {e}"]
        if kind == "swap":
            pair = self.choice((("a", "b"), ("b", "k"), ("x", "y"), ("a", "k")))
            if self.chance(0.5):
                return [f"{pair[0]}, {pair[1]} = {pair[1]}, {pair[0]}"]
            return [f"{pair[0]}, {pair[1]} = {pair[1]}, {pair[0]} + {pair[1]}"]
        return [f"print({', '.join(self.d(st.lists(st.sampled_from(INT_VARS + NUM_VARS), min_size=1, max_size=3)))})"]

    def stmt(self, depth):
        kinds = ["simple"] * 5
        if depth > 0:
            kinds += ["if", "if"]
        if self.in_loop:
            kinds += ["jump"]
        kind = self.choice(kinds)
        if kind == "simple":
            return self.simple_stmt()
        if kind == "jump":
            c, _ = self.cond(1)
            return [f"if {c}:", f"    {self.choice(('break', 'continue'))}"]
        c, _ = self.cond(self.d(st.integers(0, 2)))
        lines = [f"if {c}:"] + indent(self.block(depth - 1))
        for _ in range(self.d(st.integers(0, 2))):
            c, _ = self.cond(1)
            lines += [f"elif {c}:"] + indent(self.block(depth - 1))
        if self.chance(0.5):
            lines += ["else:"] + indent(self.block(depth - 1))
        return lines

    def block(self, depth, min_size=1, max_size=4):
        lines = []
        for _ in range(self.d(st.integers(min_size, max_size))):
            lines += self.stmt(depth)
        return lines

    # ----- the program ---------------------------------------------------------------
    def init(self):
        int_inits = ("n", "-n", "n * 3 - 7", "n // 2", "n % 5", "n * n", "0", "1", "13",
                     "9223372036854775807", "-9223372036854775808", "2 ** 64", "n << 3")
        num_inits = ("0.0", "1.5", "n / 4", "n * 0.5", "-0.0", "n", "2.5 - n", "1e10", "1e-3 * n")
        lines = [f"{v} = {self.choice(int_inits)}" for v in INT_VARS]
        lines += [f"{v} = {self.choice(num_inits)}" for v in NUM_VARS]
        items = self.d(st.lists(st.sampled_from(("n", "0", "1", "-3", "7", "2 ** 62", "n * 2")),
                                min_size=1, max_size=5))
        lines.append(f"lst = [{', '.join(items)}]")
        fitems = self.d(st.lists(st.sampled_from(("0.5", "-0.0", "n * 1.0", "2.25", "1e100")),
                                 min_size=1, max_size=4))
        lines.append(f"fl = [{', '.join(fitems)}]")
        if self.chance(0.3):
            lines.append("fl = [0.0] * 3")
        lines.append(self.choice(("d = {}", "d = {0: 1, 3: -2}")))
        return lines

    def loop(self):
        kind = self.choice(("range", "range", "range_n", "list", "while"))
        self.in_loop = True
        returns_loop_var = False
        if kind == "range":
            start = self.d(st.integers(-10, 10))
            stop = self.d(st.integers(-10, 45))
            step = self.choice((1, 1, 2, 3, -1, -2))
            if step < 0:
                start, stop = stop, start
            header = [f"for i in range({start}, {stop}, {step}):"]
            self.loop_var = "i"
            returns_loop_var = self.chance(0.3)
        elif kind == "range_n":
            header = [f"for i in range({self.choice(('n', 'n % 40', '3, n', 'n, 0, -1', '0, n, 2'))}):"]
            self.loop_var = "i"
            returns_loop_var = self.chance(0.3)
        elif kind == "list":
            header = ["for i in lst:"]
            self.loop_var = "i"
            returns_loop_var = self.chance(0.3)
        else:
            limit = self.d(st.integers(0, 40))
            header = ["c = 0", f"while c < {limit}:"]
            self.loop_var = "c"
        body = self.block(2, 1, 6)
        if kind == "while":
            body = ["c += 1"] + body
        if self.chance(0.25):
            inner = Gen(self.draw)
            inner.in_loop, inner.loop_var = True, "j"
            body += [f"for j in range({self.d(st.integers(0, 4))}):"] + indent(inner.block(1, 1, 3))
        lines = header + indent(body)
        self.in_loop = False
        if self.chance(0.3):
            lines += ["else:"] + indent(self.simple_stmt() if self.chance(0.5) else ["a += 1"])
        self.loop_var = None
        return lines, returns_loop_var

    def program(self):
        body = self.init()
        loop, returns_loop_var = self.loop()
        body += loop
        if self.chance(0.3):
            body += self.block(1, 1, 2)
        result = "a, b, k, x, y, lst, fl, d" + (", i" if returns_loop_var else "")
        body.append(f"return ({result})")
        return "import math\n\n\ndef main(n):\n" + "\n".join(indent(body)) + "\n"


def indent(lines):
    return ["    " + line for line in lines]


@st.composite
def programs(draw):
    return Gen(draw).program()


def check(source, n):
    assert_same(source, "main", (n,))


SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.data_too_large,
                                                      HealthCheck.large_base_example])


@settings(max_examples=200, **SETTINGS)
@given(programs(), st.integers(-5, 45))
def test_generated_program(source, n):
    check(source, n)


@pytest.mark.slow
@settings(max_examples=2000, **SETTINGS)
@given(programs(), st.integers(-5, 45))
def test_generated_program_many(source, n):
    check(source, n)

