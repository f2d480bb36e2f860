"""Every guard kind of a compiled trace, failing at an arbitrary iteration k.

Each test runs a small program with ``assert_same`` (CPython versus the VM in every
mode) and once more in ``tracejit.VM(hot_loop=1)`` (``run_direct``), where it also
checks what the JIT did: the loop under test (always in a guest function named
``work``) has a compiled trace, the trace was left through an exit (for most tests:
through a guard of the expected kind), and no recording hit a tracejit bug.

The failing iteration is chosen by the data (an element of a list or array), not by
a ``k`` baked into the source, so that the traces of different parametrizations are
identical and Numba compiles each once per process. ``CASES`` are (loop length, k,
warm): with ``warm`` the program first runs ``work`` once on good data, so its trace
is compiled and the second call enters it at iteration 0 (the failure at k happens
inside compiled code for every k, also k = 0); without it, iteration 0 is the one
being recorded and iteration 1 is the trace's first.
"""
import contextlib
import io
import math
import traceback

import numpy as np
import pytest

import tracejit
from differential import assert_same, run_cpython, same_value
from interp.lists import List, to_python
from jit_checks import (check_exits, check_guard_exit, check_no_internal_errors, check_ops,
                        check_trace_for, check_traces, guard_exits, trace_indices, trace_ops)

INT64_MAX = (1 << 63) - 1
INT64_MIN = -(1 << 63)

# (n, k, warm): loop length, failing iteration (37 of 38: the last), run the loop once on
# good data first
CASES = [(6, 0, False), (6, 0, True), (6, 1, False), (9, 5, True), (38, 37, False)]
CASE_IDS = [f"n{n}-k{k}{'-warm' if warm else ''}" for n, k, warm in CASES]
cases = pytest.mark.parametrize("n, k, warm", CASES, ids=CASE_IDS)


def in_trace(k, warm):
    """Whether iteration k of ``work``'s loop runs in compiled code."""
    return warm or k >= 1


# ----- running a program directly in a hot_loop=1 VM -----------------------------------
def _same_arg(expected, got):
    """A mutable argument after the call: CPython's copy versus the VM's."""
    if isinstance(expected, np.ndarray):
        return (type(got) is np.ndarray and expected.dtype == got.dtype
                and expected.tobytes() == got.tobytes())
    if type(got) is List:
        got = to_python(got)
    return same_value(expected, got)


def run_direct(source, fn, make_args, loop="work", guards=(), traced=True, make_vm_args=None):
    """Run ``fn(*make_args())`` under CPython and in ``VM(hot_loop=1)`` (fresh arguments
    each; ``make_vm_args`` makes the VM's if they differ, e.g. a guest ``List`` the host
    keeps to look at afterwards); compare the result, the exception type, the printed
    text and the arguments afterwards (arrays bit for bit). Then check the JIT: no bug
    aborts; when ``traced``, a trace of ``loop``'s function was compiled and left
    through an exit, through a guard in ``guards`` if given.
    Returns (vm, the exception the VM raised or None)."""
    cargs = make_args()
    expected = run_cpython(source, fn, cargs)
    vargs = (make_vm_args or make_args)()
    vm = tracejit.VM(hot_loop=1)
    out = io.StringIO()
    exc = value = None
    try:
        with contextlib.redirect_stdout(out):
            value = vm.load_source(source, "<prog>").call(fn, *vargs)
    except tracejit.CompileError:
        raise
    except Exception as e:  # the guest's exception, compared with CPython's below
        exc = e
    got_error = type(exc) if exc is not None else None
    assert got_error is expected.error, (
        f"CPython {expected.describe()}, VM raised {exc!r} / returned {value!r}\n{source}")
    assert out.getvalue() == expected.printed
    if exc is None:
        assert same_value(expected.value, value), f"CPython {expected.value!r}, VM {value!r}"
    for i, (c, v) in enumerate(zip(cargs, vargs)):
        assert _same_arg(c, v), f"argument {i} after the call: CPython {c!r}, VM {v!r}"
    check_no_internal_errors(vm)
    if traced:
        check_trace_for(vm, loop)
        check_traces(vm, min_count=1)
        check_exits(vm, function=loop)
        if guards:
            check_guard_exit(vm, *guards, function=loop)
    return vm, exc


# ----- type changes ------------------------------------------------------------------
TYPE_TO_FLOAT = """
def work(n, k):
    x = 1
    for i in range(n):
        if i == k:
            x = x + 0.5
        x = x + i
    return x

def main(n, k, warm):
    if warm:
        print(work(n, -1))
    return work(n, k)
"""


@cases
def test_loop_variable_becomes_float_at_k(n, k, warm):
    assert_same(TYPE_TO_FLOAT, "main", (n, k, warm))
    # the branch guard is left at k; afterwards x is a float (a new trace may follow)
    vm, _ = run_direct(TYPE_TO_FLOAT, "main", lambda: (n, k, warm),
                       guards=("guard_true", "guard_false") if in_trace(k, warm) else (),
                       traced=in_trace(k, warm))
    if in_trace(k, warm):
        first = trace_indices(vm, "work")[0]
        check_ops(vm, first, int_add=2, float_add=0)


TYPE_TO_BIGINT = """
def work(n, x):
    for i in range(n):
        x = x * 3
    return x

def main(n, k, warm):
    if warm:
        print(work(4, 1))
    x = work(n, 3 ** (39 - k))
    return x, x % 1000003, x > 2 ** 63
"""


@cases
def test_loop_variable_becomes_bigint_by_overflow_at_k(n, k, warm):
    # x = 3**(39-k) * 3**k = 3**39 < 2**63 before iteration k, 3**40 > 2**63 after it
    assert_same(TYPE_TO_BIGINT, "main", (n, k, warm))
    vm, _ = run_direct(TYPE_TO_BIGINT, "main", lambda: (n, k, warm),
                       guards=("int_mul",) if in_trace(k, warm) else (), traced=in_trace(k, warm))
    if in_trace(k, warm):
        check_ops(vm, trace_indices(vm, "work")[0], int_mul=1, int_add=1)


# ----- int64 overflow ----------------------------------------------------------------
OVERFLOW_TEMPLATE = """
def work(xs):
    s = 0
    last = 0
    for i in range(len(xs)):
        y = EXPR
        s = s + (y & 1023)
        last = y
    return s, last

def main(n, k, warm, bad):
    xs = [0] * n
    for i in range(n):
        xs[i] = 3 + i
    if warm:
        print(work(xs))
    if k >= 0:
        xs[k] = bad
    return work(xs)
"""
OVERFLOWS = {
    # op: (expression, element at k that overflows it, guard op)
    "add": ("xs[i] + 1", INT64_MAX, "int_add"),
    "sub": ("xs[i] - 1", INT64_MIN, "int_sub"),
    "sub-rev": ("-2 - xs[i]", INT64_MAX, "int_sub"),
    "mul": ("xs[i] * 2", 1 << 62, "int_mul"),
    "neg": ("-xs[i]", INT64_MIN, "int_neg"),
    "lshift": ("xs[i] << 1", 1 << 62, "int_lshift"),
    "lshift-count": ("1 << xs[i]", 64, "int_lshift"),
    "abs": ("abs(xs[i])", INT64_MIN, "int_abs"),
    "floordiv": ("xs[i] // -1", INT64_MIN, "int_floordiv"),
}


@pytest.mark.parametrize("op", list(OVERFLOWS))
@cases
def test_int64_overflow_at_k(op, n, k, warm):
    expr, bad, guard = OVERFLOWS[op]
    source = OVERFLOW_TEMPLATE.replace("EXPR", expr)
    assert_same(source, "main", (n, k, warm, bad))
    vm, _ = run_direct(source, "main", lambda: (n, k, warm, bad),
                       guards=(guard,) if in_trace(k, warm) else (), traced=in_trace(k, warm))
    if in_trace(k, warm):
        assert trace_ops(vm, trace_indices(vm, "work")[0])[guard] >= 1


# ----- division by zero ----------------------------------------------------------------
DIVISION_TEMPLATE = """
import numpy as np

def work(xs, out):
    s = ZERO
    for i in range(len(xs)):
        s = s + EXPR
        out[i] = s
    return s

def main(n, k, warm):
    print("start", n, k)
    xs = [ONE] * n
    for i in range(n):
        xs[i] = xs[i] + i % 3
    if warm:
        print("warm", work(xs, np.zeros(n)))
    if k >= 0:
        xs[k] = ZERO
    out = np.zeros(n)
    s = work(xs, out)
    print("unreachable", s, out)
    return s
"""
DIVISIONS = {
    # op: (expression, int or float data, guard op)
    "int-floordiv": ("100 // xs[i]", "int", "int_floordiv"),
    "int-mod": ("100 % xs[i]", "int", "int_mod"),
    "int-truediv": ("100 / xs[i]", "int", "int_truediv"),
    "float-truediv": ("7.5 / xs[i]", "float", "float_truediv"),
    "float-floordiv": ("-7.5 // xs[i]", "float", "float_floordiv"),
    "float-mod": ("-7.5 % xs[i]", "float", "float_mod"),
    "float-by-int": ("2.5 / xs[i]", "int", "float_truediv"),
    "float-pow-zero": ("xs[i] ** -1.5", "float", "float_pow"),
}


def _division_source(op):
    expr, kind, _ = DIVISIONS[op]
    zero, one = ("0", "1") if kind == "int" else ("0.0", "1.0")
    if op in ("int-truediv", "float-by-int"):
        start = "0.0"
    else:
        start = zero
    return (DIVISION_TEMPLATE.replace("EXPR", expr).replace("s = ZERO", f"s = {start}")
            .replace("ZERO", zero).replace("ONE", one))


@pytest.mark.parametrize("op", list(DIVISIONS))
@cases
def test_division_by_zero_at_k(op, n, k, warm):
    source = _division_source(op)
    expected = assert_same(source, "main", (n, k, warm))
    assert expected.error is ZeroDivisionError and expected.printed.startswith("start")
    guard = DIVISIONS[op][2]
    run_direct(source, "main", lambda: (n, k, warm), guards=(guard,) if in_trace(k, warm) else (),
               traced=in_trace(k, warm))

    # the writes of iterations 0..k-1 are visible after the error, and nothing else
    kind = DIVISIONS[op][1]
    def make_args():
        xs = [(1 + i % 3) if kind == "int" else float(1 + i % 3) for i in range(n)]
        xs[k] = 0 if kind == "int" else 0.0
        return xs, np.full(n, -1.0)
    _, exc = run_direct(source, "work", make_args, guards=(guard,) if k >= 1 else (), traced=k >= 1)
    assert type(exc) is ZeroDivisionError


# ----- array bounds ----------------------------------------------------------------------
ARRAY1 = """
import numpy as np

def work(a, ridx, widx):
    c = 0
    for i in range(len(ridx)):
        x = a[ridx[i]]
        a[widx[i]] = x * 0.5 + i
        c = c + 1
    return c

def main(n, k, warm, which, bad):
    ridx = [0] * n
    widx = [0] * n
    for i in range(n):
        ridx[i] = i % 7
        widx[i] = -1 - i % 5
    a = np.zeros(8)
    if warm:
        print("warm", work(a, ridx, widx), a[7])
    if which == 0:
        ridx[k] = bad
    else:
        widx[k] = bad
    print("before", a[0], a[7])
    return work(a, ridx, widx)
"""
# (read or write index bad, the bad index) for an array of length 8
ARRAY1_BAD = {"read-high": (0, 8), "read-low": (0, -9), "write-high": (1, 8), "write-low": (1, -9),
              "read-huge": (0, 1 << 40)}


@pytest.mark.parametrize("bad_kind", list(ARRAY1_BAD))
@cases
def test_array_index_out_of_range_at_k(bad_kind, n, k, warm):
    which, bad = ARRAY1_BAD[bad_kind]
    assert assert_same(ARRAY1, "main", (n, k, warm, which, bad)).error is IndexError
    guard = "arr_get1" if which == 0 else "arr_set1"
    run_direct(ARRAY1, "main", lambda: (n, k, warm, which, bad),
               guards=(guard,) if in_trace(k, warm) else (), traced=in_trace(k, warm))

    # called from the host with a host array: every write before the error is visible
    def make_args():
        ridx = [i % 7 for i in range(n)]
        widx = [-1 - i % 5 for i in range(n)]
        (ridx if which == 0 else widx)[k] = bad
        return np.arange(8.0) + 0.25, ridx, widx
    _, exc = run_direct(ARRAY1, "work", make_args, guards=(guard,) if k >= 1 else (), traced=k >= 1)
    assert type(exc) is IndexError


ARRAY2 = """
import numpy as np

def work(a, rows, cols):
    c = 0
    for i in range(len(rows)):
        r = rows[i]
        q = cols[i]
        x = a[r, q]
        a[r, -1 - q] = x * 2.0 + i
        a[-1 - r, q] = x - 1.0
        c = c + 1
    return c
"""
# a is 4 x 5: (row, col) at iteration k
ARRAY2_BAD = {"row-high": (4, 0), "col-high": (0, 5), "row-low": (-5, 1), "col-low": (2, -6),
              "both-negative-ok": (-4, -5)}


@pytest.mark.parametrize("bad_kind", list(ARRAY2_BAD))
@cases
def test_2d_array_index_out_of_range_at_k(bad_kind, n, k, warm):
    row, col = ARRAY2_BAD[bad_kind]

    def make_args():
        rows = [i % 4 for i in range(n)]
        cols = [(i * 3) % 5 for i in range(n)]
        rows[k], cols[k] = row, col
        return np.arange(20.0).reshape(4, 5), rows, cols
    _, exc = run_direct(ARRAY2, "work", make_args,
                        guards=("arr_get2",) if k >= 1 and bad_kind != "both-negative-ok" else (),
                        traced=k >= 1 or bad_kind == "both-negative-ok")
    assert (exc is None) == (bad_kind == "both-negative-ok")
    main = ARRAY2 + f"""
def main(n, k, warm):
    a = np.zeros((4, 5))
    for r in range(4):
        for q in range(5):
            a[r, q] = r * 5 + q
    rows = [0] * n
    cols = [0] * n
    for i in range(n):
        rows[i] = i % 4
        cols[i] = (i * 3) % 5
    if warm:
        print(work(a, rows, cols), a[3, 4], a[0, 0])
    rows[k] = {row}
    cols[k] = {col}
    return work(a, rows, cols), a[1, 1], a[0, 4]
"""
    assert_same(main, "main", (n, k, warm))


# ----- strategy lists --------------------------------------------------------------------
LIST_INDEX = """
def work(xs, idx):
    s = 0
    for i in range(len(idx)):
        j = idx[i]
        s = s + xs[j]
        xs[-1 - j] = s
    return s

def main(n, k, warm, bad):
    xs = [0] * n
    idx = [0] * n
    for i in range(n):
        xs[i] = i * 2
        idx[i] = i // 2
    if warm:
        print(work(xs, idx), xs)
    idx[k] = bad
    print(xs)
    return work(xs, idx)
"""


@pytest.mark.parametrize("sign", ["high", "low"])
@cases
def test_list_index_out_of_range_at_k(sign, n, k, warm):
    bad = n if sign == "high" else -n - 1
    assert assert_same(LIST_INDEX, "main", (n, k, warm, bad)).error is IndexError
    run_direct(LIST_INDEX, "main", lambda: (n, k, warm, bad),
               guards=("lst_get",) if in_trace(k, warm) else (), traced=in_trace(k, warm))

    # a guest list owned by the host: the stores before the error are visible
    def make_args():
        idx = [i // 2 for i in range(n)]
        idx[k] = bad
        return [i * 2 for i in range(n)], idx
    def make_vm_args():
        xs, idx = make_args()
        return List.from_iterable(xs), idx
    _, exc = run_direct(LIST_INDEX, "work", make_args, make_vm_args=make_vm_args,
                        guards=("lst_get",) if k >= 1 else (), traced=k >= 1)
    assert type(exc) is IndexError


LIST_STRATEGY = """
def work(xs, ys, k, v):
    for i in range(len(xs)):
        if i == k:
            xs[i] = v
        else:
            xs[i] = xs[i] + ys[i]
    return xs

def total(xs):
    t = 0.0
    for i in range(len(xs)):
        t = t + xs[i]
    return t

def main(n, k, warm, base, v):
    xs = [base] * n
    ys = [base] * n
    if warm:
        work(xs, ys, -1, v)
    work(xs, ys, k, v)
    t = total(xs)
    xs[0] = xs[0] * 2
    xs.append(v)
    return xs, t, len(xs), xs[k], xs[-1]
"""


@pytest.mark.parametrize("base, v", [(1, 0.5), (1, 2 ** 70), (0.25, float("nan")), (0.25, 3),
                                     (0.25, float("-inf"))],
                         ids=["int-list-gets-float", "int-list-gets-bigint", "float-list-gets-nan",
                              "float-list-gets-int", "float-list-gets-inf"])
@cases
def test_list_strategy_change_at_k(base, v, n, k, warm):
    assert_same(LIST_STRATEGY, "main", (n, k, warm, base, v))
    run_direct(LIST_STRATEGY, "main", lambda: (n, k, warm, base, v),
               guards=("guard_true", "guard_false") if in_trace(k, warm) else (), traced=in_trace(k, warm))


LIST_NAN_STORE = """
def work(xs, ys, scale):
    for i in range(len(xs)):
        y = ys[i] * scale
        xs[i] = y - y
    return xs

def main(n, k, warm):
    xs = [0.5] * n
    ys = [1.25] * n
    if warm:
        work(xs, ys, 10.0)
    ys[k] = 1e308
    work(xs, ys, 10.0)
    t = 0.0
    for i in range(n):
        t = t + xs[i]
    xs[0] = xs[0] + 1
    return xs, t, xs[k] != xs[k]
"""


@cases
def test_float_list_nan_store_at_k(n, k, warm):
    # ys[k] * 10 overflows to inf, inf - inf is a nan: the list must leave FLOAT storage
    assert_same(LIST_NAN_STORE, "main", (n, k, warm))
    run_direct(LIST_NAN_STORE, "main", lambda: (n, k, warm),
               guards=("lst_set",) if in_trace(k, warm) else (), traced=in_trace(k, warm))


LIST_BIGINT_STORE = """
def work(xs, ys):
    for i in range(len(xs)):
        xs[i] = ys[i] * 3
    return xs

def main(n, k, warm):
    xs = [0] * n
    ys = [1] * n
    if warm:
        work(xs, ys)
    ys[k] = 2 ** 62
    work(xs, ys)
    t = 0
    for i in range(n):
        t = t + xs[i]
    xs[0] = xs[0] + 1
    return xs, t
"""


@cases
def test_int_list_bigint_store_at_k(n, k, warm):
    assert_same(LIST_BIGINT_STORE, "main", (n, k, warm))
    run_direct(LIST_BIGINT_STORE, "main", lambda: (n, k, warm),
               guards=("int_mul",) if in_trace(k, warm) else (), traced=in_trace(k, warm))


# ----- branches --------------------------------------------------------------------------
BRANCHES = """
def work(xs, lo, hi):
    a = 0
    b = 0
    c = 0
    d = 0
    for i in range(len(xs)):
        x = xs[i]
        if x < 10:
            a = a + x
        else:
            a = a - 1
        if lo <= x < hi:
            b = b + 1
        if x == 0 or (x > 20 and not x > 100):
            c = c + i
        if x != 3 and (i < 1000 or x > 5):
            d = d + 1
    return a, b, c, d

def main(n, k, warm, base, flip):
    xs = [base] * n
    if warm:
        print(work(xs, 1, 10))
    xs[k] = flip
    return work(xs, 1, 10), work(xs, 2, 60)
"""


@pytest.mark.parametrize("base, flip", [(3, 50), (50, 3), (0, 150)],
                         ids=["true-to-false", "false-to-true", "to-large"])
@cases
def test_branch_flips_at_k(base, flip, n, k, warm):
    assert_same(BRANCHES, "main", (n, k, warm, base, flip))
    run_direct(BRANCHES, "main", lambda: (n, k, warm, base, flip),
               guards=("guard_true", "guard_false") if in_trace(k, warm) else (), traced=in_trace(k, warm))


WHILE = """
def work(xs, lim):
    i = 0
    s = 0
    while i < len(xs) and xs[i] >= lim:
        s = s + xs[i]
        i = i + 1
    return i, s

def count(limit, step):
    i = 0
    s = 0.0
    while s < limit:
        s = s + step
        i = i + 1
    return i, s

def main(n, k, warm):
    xs = [5] * n
    if warm:
        print(work(xs, 0))
    xs[k] = -1
    return work(xs, 0), count(k * 0.1 + 0.05, 0.1), count(k * 1.0, 1.0)
"""


@cases
def test_while_condition_flips_at_k(n, k, warm):
    assert_same(WHILE, "main", (n, k, warm))
    run_direct(WHILE, "main", lambda: (n, k, warm),
               guards=("guard_true", "guard_false") if warm or k >= 2 else (),
               traced=warm or k >= 2)


RESTORED_KINDS = """
import numpy as np

def g(x):
    return x * 2

def work(a, idx):
    sh = a.shape
    fn = g
    v = 1
    b = a
    r = 0
    c = 0
    y = 0
    x = 0.0
    t = 0
    for i in range(len(idx)):
        sh = a.shape
        fn = g
        v = None
        b = a
        r, c = a.shape
        y = a.shape[1]
        t = fn(t) - t + 1
        j = idx[i]
        if j > 2:
            j = 0
        x = a[j, 0] + x
    return sh, fn(1), v, b.shape, r, c, y, x, t

def main(n, k, warm):
    a = np.ones((3, 4))
    idx = [0] * n
    for i in range(n):
        idx[i] = i % 3
    if warm:
        print(work(a, idx))
    idx[k] = 3
    return work(a, idx)
"""


@cases
def test_exit_restores_every_kind_of_register(n, k, warm):
    # an exit at k restores a shape tuple, a function, None, an array alias, array
    # dimensions, ints and numpy floats written by the trace
    assert_same(RESTORED_KINDS, "main", (n, k, warm))
    run_direct(RESTORED_KINDS, "main", lambda: (n, k, warm), traced=in_trace(k, warm),
               guards=("guard_false", "guard_true") if in_trace(k, warm) else ())


# ----- math ----------------------------------------------------------------------------
MATH = """
import math
import numpy as np

def work(a):
    s = 0.0
    for i in range(len(a)):
        s = s + math.FN(a[i])
    return s

def main(n, k, warm, bad):
    a = np.ones(n) * 0.5
    if warm:
        print(work(a))
    a[k] = bad
    return work(a)
"""


@pytest.mark.parametrize("fn, bad, error", [
    ("sqrt", -1.0, ValueError), ("exp", 1000.0, OverflowError), ("log", 0.0, ValueError),
    ("acos", 1.5, ValueError), ("cosh", -800.0, OverflowError),
    ("sqrt", float("inf"), None), ("exp", float("-inf"), None), ("sqrt", float("nan"), None),
    ("exp", -1000.0, None), ("sqrt", -0.0, None),
], ids=lambda v: str(v) if not isinstance(v, type) else v.__name__)
@cases
def test_math_domain_and_non_finite_at_k(fn, bad, error, n, k, warm):
    source = MATH.replace("FN", fn)
    expected = assert_same(source, "main", (n, k, warm, bad))
    assert expected.error is error
    exits = error is not None or not math.isfinite(bad)   # a finite input and result stay in the trace
    run_direct(source, "main", lambda: (n, k, warm, bad),
               guards=("call_math1",) if in_trace(k, warm) and exits else (), traced=in_trace(k, warm))


NAN_INF = """
import math
import numpy as np

def work(a):
    s = 0.0
    big = 0.0
    nans = 0
    pos = 0
    for i in range(len(a)):
        x = math.fabs(a[i])
        if x != x:
            nans = nans + 1
        if a[i] > 0.0:
            pos = pos + 1
        big = max(big, x)
        s = s + x * 0.5
    return s, big, nans, pos

def main(n, k, warm, bad):
    a = np.ones(n) * 0.5
    if warm:
        print(work(a))
    a[k] = bad
    return work(a)
"""


@pytest.mark.parametrize("bad", [float("nan"), float("-inf"), -0.0])
@cases
def test_nan_and_inf_at_k(bad, n, k, warm):
    assert_same(NAN_INF, "main", (n, k, warm, bad))
    run_direct(NAN_INF, "main", lambda: (n, k, warm, bad), traced=in_trace(k, warm))


HYPOT = """
import math

def work(xs, ys):
    out = [0.0] * len(xs)
    for i in range(len(xs)):
        out[i] = math.hypot(xs[i], ys[i])
    return out
"""


def test_math_hypot_in_traces_is_exact():
    # formerly a bug (libm's hypot differs from CPython's by 1 ulp): hypot no longer compiles
    xs = [-1.485851386320988, 3.0, 0.1, 1e-300, 2.5] * 4
    ys = [0.6238951733502676, 4.0, 0.2, 1e-300, -7.25] * 4
    assert_same(HYPOT, "work", (xs, ys))


# ----- guard inside a call inlined three frames deep ----------------------------------
INLINED = """
def h(x, ds, i, scale=1):
    return x // ds[i] * scale

def g(x, ds, i):
    y = h(x + 1, ds, i)
    return y * 2

def f(x, ds, i):
    z = g(x, ds, i) + 1
    return z

def work(ds):
    s = 0
    for i in range(len(ds)):
        s = s + f(i, ds, i)
    return s

def main(n, k, warm, bad):
    ds = [3] * n
    if warm:
        print(work(ds))
    ds[k] = bad
    return work(ds)
"""


def _guest_frames(entries):
    return [(line, name) for _, line, name, _ in entries]


@cases
def test_exit_from_call_inlined_three_deep_raises_with_guest_traceback(n, k, warm):
    assert assert_same(INLINED, "main", (n, k, warm, 0)).error is ZeroDivisionError
    vm, exc = run_direct(INLINED, "main", lambda: (n, k, warm, 0),
                         guards=("int_floordiv",) if in_trace(k, warm) else (), traced=in_trace(k, warm))
    assert type(exc) is ZeroDivisionError
    if in_trace(k, warm):
        assert vm.jit.installed[trace_indices(vm, "work")[0]].max_inline_depth == 3
    # CPython's frames of the guest code, outermost first
    namespace = {}
    exec(compile(INLINED, "<prog>", "exec"), namespace)
    with pytest.raises(ZeroDivisionError) as info:
        namespace["main"](n, k, warm, 0)
    cpython = [(fr.lineno, fr.name) for fr in traceback.extract_tb(info.value.__traceback__)
               if fr.filename == "<prog>"]
    assert cpython[-4:] == [(16, "work"), (10, "f"), (6, "g"), (3, "h")]
    assert _guest_frames(exc.tracejit_traceback) == cpython

    # the loop's function called from the host: exactly the 4 frames of CPython
    def make_args():
        ds = [3] * n
        ds[k] = 0
        return (ds,)
    _, exc = run_direct(INLINED, "work", make_args, guards=("int_floordiv",) if k >= 1 else (),
                        traced=k >= 1)
    with pytest.raises(ZeroDivisionError) as info:
        namespace["work"](*make_args())
    cpython = [(fr.lineno, fr.name) for fr in traceback.extract_tb(info.value.__traceback__)
               if fr.filename == "<prog>"]
    assert cpython == [(16, "work"), (10, "f"), (6, "g"), (3, "h")]
    assert _guest_frames(exc.tracejit_traceback) == cpython
    assert [entry[0] for entry in exc.tracejit_traceback] == ["<prog>"] * 4
    assert exc.tracejit_traceback[-1][3].strip() == "return x // ds[i] * scale"


INLINED_CONTINUES = INLINED.replace("""    return x // ds[i] * scale
""", """    if ds[i] < 0:
        return -x
    return (x * ds[i]) // 2 * scale
""")


@pytest.mark.parametrize("bad, guard", [(-7, "guard_false"), (1 << 62, "int_mul"), (0, None)],
                         ids=["branch-in-h", "overflow-in-h", "no-exit"])
@cases
def test_exit_from_call_inlined_three_deep_continues(bad, guard, n, k, warm):
    # the failing guard is in h; the interpreter rebuilds the frames of f, g and h,
    # finishes them and the iteration, and the loop goes on
    assert INLINED_CONTINUES.count("return -x") == 1
    assert_same(INLINED_CONTINUES, "main", (n, k, warm, bad))
    vm, _ = run_direct(INLINED_CONTINUES, "main", lambda: (n, k, warm, bad), traced=in_trace(k, warm),
                       guards=(guard,) if in_trace(k, warm) and guard else ())
    if in_trace(k, warm) and guard:
        trace = vm.jit.installed[trace_indices(vm, "work")[0]]
        # the exit taken through the guard in h rebuilt three inlined frames
        depths = [len(trace.trace.snapshots[ins.snap].frames) for ins in trace.trace.ins
                  if ins.op == guard and ins.snap is not None and trace.exits[ins.snap].count]
        assert depths == [3], depths


# ----- float precision ----------------------------------------------------------------
FLOATS = [7.5, -7.5, 2.0, -2.0, 0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, 3.0, -3.0, 0.1, -0.1,
          1e308, float("inf"), float("-inf"), 5e-324, 0.7, -0.7, 2.0 ** 53, 1.5, 1e16, -1e16, 0.3]
PAIRWISE = """
def work(xs, ys):
    out = [0.0] * len(xs)
    for i in range(len(xs)):
        out[i] = xs[i] OP ys[i]
    return out
"""


def _pairs(op, left=FLOATS, right=FLOATS):
    pairs = []
    for a in left:
        for b in right:
            try:
                r = eval(f"a {op} b")
            except (ZeroDivisionError, OverflowError, ValueError):
                continue
            if type(r) is float and r == r:
                pairs.append((a, b))
    return [a for a, _ in pairs], [b for _, b in pairs]


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%", "**"])
def test_float_binary_ops_exact(op):
    xs, ys = _pairs(op)
    assert len(xs) > 100
    source = PAIRWISE.replace("OP", op)
    assert_same(source, "work", (xs, ys))
    vm, _ = run_direct(source, "work", lambda: (list(xs), list(ys)))
    name = {"+": "float_add", "-": "float_sub", "*": "float_mul", "/": "float_truediv",
            "//": "float_floordiv", "%": "float_mod", "**": "float_pow"}[op]
    check_ops(vm, 0, **{name: 1})


def test_float_pow_with_negative_base():
    xs, ys = _pairs("**", [-2.5, -0.5, -1.0, -0.0, -3.0, 2.0], [3.0, -2.0, 0.0, 4.0, -3.0, 1.0])
    source = PAIRWISE.replace("OP", "**")
    assert_same(source, "work", (xs, ys))
    run_direct(source, "work", lambda: (list(xs), list(ys)), guards=("float_pow",))


def test_float_reductions_exact():
    source = """
def work(xs, ys):
    s = 0.0
    p = 1.0
    q = 0.0
    m = 0.0
    for i in range(len(xs)):
        s = s + xs[i] * ys[i]
        p = p * (1.0 + xs[i] / 1000.0)
        q = q + xs[i] / ys[i] - xs[i] // ys[i]
        m = m + (xs[i] % ys[i]) * 0.1
    return s, p, q, m
"""
    xs = [((i * 7919) % 1013) / 7.0 - 70.0 for i in range(300)]
    ys = [((i * 104729) % 997) / 13.0 - 38.0 for i in range(300)]
    ys = [y if y != 0.0 else 0.5 for y in ys]
    assert_same(source, "work", (xs, ys))
    run_direct(source, "work", lambda: (list(xs), list(ys)))


POW_CONSTANT = """
import math

def work(xs):
    out = [0.0] * len(xs)
    for i in range(len(xs)):
        out[i] = EXPR
    return out
"""


# formerly a bug: LLVM rewrote pow with a constant operand (x*x, 1/x, exp2); traces now
# call the C library's pow as an external function, as CPython does
@pytest.mark.parametrize("expr, x", [
    ("xs[i] ** 2", 1.432626392113975e-12),
    ("xs[i] ** -1.0", 1429594.4681790688),
    ("2.0 ** xs[i]", -4.448070198686654),
    ("math.pow(xs[i], 2.0)", 1.432626392113975e-12),
])
def test_float_pow_with_constant_operand_matches_libm(expr, x):
    source = POW_CONSTANT.replace("EXPR", expr)
    assert_same(source, "work", ([x] * 5,))
    vm = tracejit.VM(hot_loop=1)
    vm.load_source(source).call("work", [x] * 5)
    ops = {ins.op for t in vm.jit.installed for ins in t.trace.ins}
    assert ops & {"float_pow", "call_math"}, "the pow must run compiled for this test to mean anything"


def test_float_pow_with_other_constant_exponents():
    xs = [1.432626392113975e-12, 9.927687606888892e-71, 1429594.4681790688, 0.3, 7.25, 1e-5]
    # (LLVM leaves these pow calls alone: they stay libm's pow, as in CPython)
    for expr in ("xs[i] ** 3.0", "10.0 ** xs[i]", "xs[i] ** xs[0]"):
        source = POW_CONSTANT.replace("EXPR", expr)
        assert_same(source, "work", (xs,))


INTS = [7, -7, 2, -2, 1, -1, 3, -3, 2 ** 53, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 62, INT64_MIN,
        INT64_MAX, 10 ** 18, -(10 ** 18) + 7, 0, 12345678901234567]


@pytest.mark.parametrize("op", ["//", "%", "/"])
def test_int_division_ops_exact(op):
    pairs = [(a, b) for a in INTS for b in INTS if b != 0]
    xs, ys = [a for a, _ in pairs], [b for _, b in pairs]
    source = PAIRWISE.replace("out = [0.0]", "out = [0]" if op != "/" else "out = [0.0]").replace("OP", op)
    assert_same(source, "work", (xs, ys))
    run_direct(source, "work", lambda: (list(xs), list(ys)))


def test_int_float_comparisons_near_2_53():
    source = """
def work(xs, ys):
    out = [0] * len(xs)
    for i in range(len(xs)):
        r = 0
        if xs[i] < ys[i]:
            r = r + 1
        if xs[i] == ys[i]:
            r = r + 2
        if ys[i] >= xs[i]:
            r = r + 4
        out[i] = r
    return out
"""
    floats = [2.0 ** 53, 2.0 ** 53 + 2, -(2.0 ** 53), 2.0 ** 63, -(2.0 ** 63), 0.5, -0.0, 7.0, 1e18,
              float("inf"), float("-inf")]
    pairs = [(a, b) for a in INTS for b in floats]
    xs, ys = [a for a, _ in pairs], [b for _, b in pairs]
    assert_same(source, "work", (xs, ys))
    run_direct(source, "work", lambda: (list(xs), list(ys)))


def test_mixed_int_float_arithmetic_exact():
    source = """
def work(xs, ys):
    out = [0.0] * (3 * len(xs))
    for i in range(len(xs)):
        out[3 * i] = xs[i] + ys[i]
        out[3 * i + 1] = xs[i] * ys[i]
        out[3 * i + 2] = ys[i] - xs[i]
    return out
"""
    floats = [0.5, -0.0, 1.0, 1e-10, -3.25, 2.0 ** 60]
    pairs = [(a, b) for a in INTS for b in floats]
    xs, ys = [a for a, _ in pairs], [b for _, b in pairs]
    assert_same(source, "work", (xs, ys))
    run_direct(source, "work", lambda: (list(xs), list(ys)))


# ----- numpy scalars -----------------------------------------------------------------
NUMPY_SCALARS = """
import math
import numpy as np

def work(a, b, n):
    s = a[0]
    t = 0
    p = 1.0
    last_b = b[0]
    ax = 0.0
    ix = 0
    m = 0.0
    neg = 0.0
    q = 0.0
    for i in range(n):
        x = a[i]
        s = s + x * 2
        t = t + i
        p = p * 1.0 + x / 4.0
        last_b = b[i]
        ax = abs(x)
        ix = int(x)
        m = math.sqrt(ax)
        neg = -x
        q = (x + 1) // 0.75 + x % 1.25 + 2 ** 0.5 * x
    return s, t, p, last_b, ax, ix, m, neg, q, b[1] + 1, b[2] * 2.5

def main(n):
    a = np.zeros(n)
    b = np.zeros(n, dtype=np.int64)
    for i in range(n):
        a[i] = i * 0.75 - 3.0
        b[i] = i * 3 - 7
    return work(a, b, n)
"""


@pytest.mark.parametrize("n", [6, 40])
def test_numpy_scalar_types_mixed_with_python_numbers(n):
    assert_same(NUMPY_SCALARS, "main", (n,))
    run_direct(NUMPY_SCALARS, "main", lambda: (n,))


NUMPY_COMPARE = """
import numpy as np

def work(a, b):
    c = a[0] > 1.0
    d = b[0] <= 3
    e = False
    f = 0.0
    for i in range(len(a)):
        c = a[i] > 1.0
        d = b[i] <= 3
        e = not (a[i] > 2.0)
        f = b[i] * 0.5
    return c, d, e, f

def main(n):
    a = np.zeros(n)
    b = np.zeros(n, dtype=np.int64)
    for i in range(n):
        a[i] = i * 0.75 - 3.0
        b[i] = 7 - i
    return work(a, b)
"""


@pytest.mark.parametrize("n", [6, 30])
def test_numpy_comparison_results_stay_numpy_bools(n):
    # np.float64 / np.int64 comparisons give np.bool_ (fixed in 7aa9550: the trace used
    # to type them bool and its exits restored Python bools)
    assert_same(NUMPY_COMPARE, "main", (n,))
    vm, _ = run_direct(NUMPY_COMPARE, "main", lambda: (n,))
    assert "nbool" in {ins.type for ins in vm.jit.installed[trace_indices(vm, "work")[0]].trace.ins}


NUMPY_INT64 = """
import numpy as np

def work(b, c):
    s = b[0] * 0
    q = s
    r = s
    w = 0.0
    t = 0
    cmp = b[0] < 0
    for i in range(len(b)):
        s = s + b[i]
        q = b[i] // c[i]
        r = b[i] % c[i]
        t = t + 1
        cmp = b[i] < c[i]
        u = b[i] * 3
        v = -b[i]
        w = b[i] / c[i]
        x = b[i] + 0.5
        y = abs(b[i])
        z = b[i] - c[i]
    return s, q, r, t, cmp, u, v, w, x, y, z

def main(n, k, warm, bv, cv):
    b = np.zeros(n, dtype=np.int64)
    c = np.zeros(n, dtype=np.int64)
    for i in range(n):
        b[i] = i * 3 - 7
        c[i] = i % 4 + 1
    if warm:
        print(work(b, c))
    b[k] = bv
    c[k] = cv
    return work(b, c)
"""
# np.int64 wraps on overflow and gives 0 for // and % by zero (with a RuntimeWarning):
# the trace's guards exit and the interpreter applies numpy's rules
NUMPY_INT64_BAD = {"add-wraps": (INT64_MAX, 1), "floordiv-min-by-minus-one": (INT64_MIN, -1),
                   "by-zero": (5, 0), "neg-min": (INT64_MIN, 1), "truediv-inexact": (2 ** 53 + 1, 3)}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("bad", list(NUMPY_INT64_BAD))
@cases
def test_numpy_int64_arithmetic_at_k(bad, n, k, warm):
    bv, cv = NUMPY_INT64_BAD[bad]
    assert_same(NUMPY_INT64, "main", (n, k, warm, bv, cv))
    run_direct(NUMPY_INT64, "main", lambda: (n, k, warm, bv, cv), traced=in_trace(k, warm),
               guards=("int_add", "int_sub", "int_mul", "int_neg", "int_abs", "int_floordiv", "int_mod",
                       "int_truediv") if in_trace(k, warm) else ())


# ----- globals and argument types across calls -----------------------------------------
GLOBALS = """
SCALE = 3
OFF = 0.5

def add(a, b):
    return a + b

def sub(a, b):
    return a - b

OP = add

def setg(scale, off, which):
    global SCALE, OFF, OP
    SCALE = scale
    OFF = off
    if which == 0:
        OP = add
    else:
        OP = sub
    return 0

def work(n):
    s = 0
    t = 0.0
    u = 0
    for i in range(n):
        s = s + i * SCALE
        t = t + OFF
        u = OP(u, i)
    return s, t, u

def main(n):
    r1 = work(n)
    setg(7, 1.5, 1)
    r2 = work(n)
    setg(2.5, 2, 0)
    r3 = work(n)
    setg(-1, 0.25, 1)
    return r1, r2, r3, work(n)
"""


def test_globals_changed_between_calls():
    assert_same(GLOBALS, "main", (20,))
    run_direct(GLOBALS, "main", lambda: (20,))
    # through the API: the trace of the first call must not run with stale globals
    namespace = {}
    exec(GLOBALS, namespace)
    vm = tracejit.VM(hot_loop=1)
    mod = vm.load_source(GLOBALS, "<prog>")
    # (at most MAX_TRACES_PER_LOOP = 4 different global sets, each needs its own trace)
    for scale, off, which in [(3, 0.5, 0), (7, 1.5, 1), (2.5, 2, 0), (-1, 0.25, 1)]:
        namespace["setg"](scale, off, which)
        mod.call("setg", scale, off, which)
        entries = vm.stats()["trace_entries"]
        assert same_value(mod.call("work", 25), namespace["work"](25))
        assert vm.stats()["trace_entries"] > entries, "work's loop ran without entering a trace"
    check_traces(vm, min_count=2)
    check_no_internal_errors(vm)


GLOBAL_IN_LOOP = """
G = 2

def bump(v):
    global G
    G = v
    return 0

def work(n, k):
    s = 0
    for i in range(n):
        if i == k:
            bump(G + 5)
        s = s + G * i
    return s

def main(n, k, warm):
    if warm:
        print(work(n, -1))
    return work(n, k), G
"""


@cases
def test_global_rebound_inside_the_loop_at_k(n, k, warm):
    assert_same(GLOBAL_IN_LOOP, "main", (n, k, warm))
    run_direct(GLOBAL_IN_LOOP, "main", lambda: (n, k, warm),
               guards=("guard_true", "guard_false") if in_trace(k, warm) else (), traced=in_trace(k, warm))


ARG_TYPES = """
def work(x, n):
    s = x * 0
    for i in range(n):
        s = s + x
    return s

def main(n):
    return work(3, n), work(2.5, n), work([1, 2], n), work(2 ** 62, n), work(True, n), work(3, n), work(-0.0, n)
"""


def test_function_called_with_different_argument_types():
    assert_same(ARG_TYPES, "main", (12,))
    run_direct(ARG_TYPES, "main", lambda: (12,))
    namespace = {}
    exec(ARG_TYPES, namespace)
    vm = tracejit.VM(hot_loop=1)
    mod = vm.load_source(ARG_TYPES, "<prog>")
    for x in (3, 2.5, [1, 2], 2 ** 62, True, 3, 2.5, -0.0, [0.5], 7):
        assert same_value(mod.call("work", x, 9), namespace["work"](x, 9)), x
    check_trace_for(vm, "work", min_count=2)
    check_no_internal_errors(vm)
    assert guard_exits(vm, "work")


# ----- the jit_checks helpers themselves ------------------------------------------------
def test_jit_checks_helpers_detect_mismatches():
    source = """
def work(xs):
    s = 0
    for i in range(len(xs)):
        s = s + xs[i] * 2
    return s
"""
    vm = tracejit.VM(hot_loop=1)
    assert vm.load_source(source, "<prog>").call("work", [1, 2, 3, 1 << 62]) == 12 + (1 << 63)
    assert check_traces(vm, count=1, min_count=1) == 1
    ops = check_ops(vm, 0, int_mul=1, int_add=2, lst_get=1, float_add=0)
    assert ops == trace_ops(vm) and ops["param"] >= 1
    check_guard_exit(vm, "int_mul", function="work")
    check_no_internal_errors(vm)
    for wrong in (lambda: check_traces(vm, count=2), lambda: check_traces(vm, min_count=2),
                  lambda: check_ops(vm, 0, int_mul=2), lambda: check_ops(vm, 0, int_sub=1),
                  lambda: check_guard_exit(vm, "int_add", function="work"),
                  lambda: check_trace_for(vm, "main"), lambda: trace_ops(vm, 1),
                  lambda: check_exits(vm, min_count=2)):
        with pytest.raises(AssertionError):
            wrong()
    vm.jit.abort_reasons["INTERNAL_ERROR"] += 1
    with pytest.raises(AssertionError, match="INTERNAL_ERROR"):
        check_no_internal_errors(vm)


# a live-in register the loop sets to a constant: an exit before the entry's first
# iteration completes restores the value it entered with, not the constant
LIVE_IN_CONSTANT = """
def main(n, k):
    b = 25
    seen = 0
    for i in range(n):
        if i >= k:
            b = b ** 2 % 1000003 + 7   # int ** does not compile: this path exits
        else:
            seen += b % 7
            b = 9223372036854775807
    return b, seen
"""


@pytest.mark.parametrize("k", [0, 1, 5, 30])
def test_exit_restores_a_live_in_register_set_to_a_constant(k):
    assert_same(LIVE_IN_CONSTANT, "main", (40, k))
