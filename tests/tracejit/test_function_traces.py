"""Function traces (``tracejit/functrace.py``): a function the interpreter calls often is
recorded from its entry to its RETURN, entered at later calls, and every exit (the
return, a guard mid-function, inside an inlined call) leaves CPython's state.

Most tests lower ``MIN_FUNC_WORK`` so that the small functions written here compile;
``test_short_functions_are_not_compiled`` checks the threshold itself."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracejit
from differential import FUNC_MODES, MODES, assert_same, run_cpython, same_value
from jit_checks import check_no_internal_errors
from tracejit import functrace

ALL_MODES = [*MODES, *FUNC_MODES]


@pytest.fixture(autouse=True)
def small_functions_compile(monkeypatch):
    monkeypatch.setattr(functrace, "MIN_FUNC_WORK", 1)


def function_traces(vm, name):
    """The compiled function traces of guest function ``name``."""
    return [t for t in vm.jit.installed if t.trace_loop is None and t.decoded.code.name == name]


def run(source, *args, fn="main", **options):
    vm = tracejit.VM(cache=False, **options)
    result = vm.load_source(source, "prog.py").call(fn, *args)
    if vm.jit is not None:
        check_no_internal_errors(vm)
    return vm, result


# main calls f(i) from a loop whose trace aborts (a dict store): only f can compile
COLD_LOOP_CALLING_F = """
def main(n):
    s = 0
    d = {}
    for i in range(n):
        s += f(i)
        d[i] = s
    return s
"""

# f is called from a loop whose trace aborts (a dict store): only f can compile
LEAF = """
def f(x, y):
    z = x * y + 3
    if z > 100:
        z = z - 100
    return z * 2 + x

def main(n):
    s = 0
    d = {}
    for i in range(n):
        s += f(i, 7)
        d[i % 3] = s
    return s
"""


def test_leaf_function_from_a_cold_loop():
    assert_same(LEAF, "main", (300,), modes=ALL_MODES)


def test_leaf_function_from_the_top_level():
    source = """
def f(x):
    y = x * 3 + 1
    return y * y - x

print(f(1), f(2), f(3), f(4), f(5))
print(f(1.5), f(-2), f(7), f(8))
"""
    assert_same(source, modes=ALL_MODES)


def test_the_function_compiles_and_the_cold_loop_does_not():
    vm, result = run(LEAF, 3000, hot_func=100)
    (trace,) = function_traces(vm, "f")
    assert trace.entries >= 2800
    assert [t.trace_loop for t in vm.jit.installed] == [None]   # no loop trace
    stats = vm.stats()
    assert stats["function_traces"] == 1 and stats["function_entries"] == trace.entries
    assert stats["jit_coverage"] > 0.3
    _, interpreted = run(LEAF, 3000, jit=False)
    assert result == interpreted


def test_coverage_rises_with_function_traces():
    with_traces = run(LEAF, 3000, hot_func=100)[0].stats()
    without = run(LEAF, 3000, hot_func=1 << 40)[0].stats()
    assert without["jit_coverage"] == 0.0 and without["function_traces"] == 0
    assert with_traces["jit_coverage"] > 0.3


@pytest.mark.parametrize("mode", ["func-hot1", "func-cold-loops"])
def test_opcode_counts_equal_the_interpreters(mode):
    source = LEAF + """
def g(a, b):
    if a % 5 == 0:
        return h(b) + 1
    return a - b

def h(x):
    return x * x

def main2(n):
    s = 0
    d = {}
    for i in range(n):
        s += g(i, i % 7) + f(i, 2)
        d[i] = s
    return s
"""
    counts = {}
    for name, options in (("interp", {"jit": False}), (mode, FUNC_MODES[mode])):
        vm = tracejit.VM(cache=False, **options)
        vm.load_source(source, "prog.py").call("main2", 400)
        stats = vm.stats()
        assert sum(stats["opcodes"].values()) == stats["instructions"]
        counts[name] = stats["opcodes"]
        if name != "interp":
            assert stats["function_traces"] >= 1
            assert stats["opcodes_compiled"]
    assert counts[mode] == counts["interp"]


@pytest.mark.parametrize("opts", ["none", "-fold", "-cse", "-guards", "-ranges", "-dce"])
def test_every_optimizer_setting(opts):
    source = LEAF + """
def g(v, w):
    return f(v, w) * 3 - f(w, v) + v * w

def main3(n):
    s = 0
    d = {}
    for i in range(n):
        s += g(i if i != 30 else 2 ** 62, 5)
        d[i] = s
    return s
"""
    expected = run_cpython(source, "main3", (60,))
    for options in FUNC_MODES.values():
        vm, result = run(source, 60, fn="main3", opts=opts, **options)
        assert same_value(result, expected.value), (opts, options)
        assert function_traces(vm, "g")


# the programs of tests/programs in which some function gets a function trace (in one of
# FUNC_MODES at least): results and instructions per opcode as with the JIT off
@pytest.mark.parametrize("name", ["bisect_sqrt", "collatz", "fib", "lcg_bits", "monte_carlo_pi", "nbody",
                                  "nqueens", "spectral_norm", "string_build"])
def test_programs(name):
    import os
    from conftest import PROGRAMS_DIR
    with open(os.path.join(PROGRAMS_DIR, name + ".py"), encoding="utf-8") as f:
        source = f.read()
    namespace = {"__name__": "prog_" + name}
    exec(compile(source, name, "exec"), namespace)
    n = namespace["TEST_N"]
    assert_same(source, "main", (n,), modes=["interp", *FUNC_MODES])
    counts, traces = {}, 0
    for mode, options in (("interp", {"jit": False}), *FUNC_MODES.items()):
        vm = tracejit.VM(cache=False, **options)
        vm.load_source(source, name + ".py").call("main", n)
        stats = vm.stats()
        counts[mode] = stats["opcodes"]
        traces += stats.get("function_traces", 0)
        if vm.jit is not None:
            check_no_internal_errors(vm)
    assert traces
    assert all(counts[mode] == counts["interp"] for mode in FUNC_MODES)


def test_argument_type_changes_at_call_k():
    source = """
def f(x, y):
    return x * y + x - y * 2

def main(n):
    out = []
    for i in range(n):
        x = i if i < n // 2 else i * 0.5
        out.append(f(x, 3))
    out.append(f(2 ** 40, 2 ** 30))
    out.append(f(2 ** 70, 3))
    out.append(f(True, 2))
    return out
"""
    assert_same(source, "main", (100,), modes=ALL_MODES)


def test_int_overflow_inside_the_trace_at_call_k():
    source = """
def cube(x):
    y = x * x
    return y * x + 1

def main(n):
    out = []
    d = {}
    for i in range(n):
        x = 10 if i < n - 3 else 3 ** 25
        out.append(cube(x))
        d[i] = 0
    return out
"""
    assert_same(source, "main", (60,), modes=ALL_MODES)


def test_branch_flips_at_call_k():
    source = """
def f(x, k):
    s = x * 2
    if x < k:
        s = s + 1
    else:
        s = s - 1
    return s * 3

def main(n):
    total = 0
    d = {}
    for i in range(n):
        total += f(i, n // 2)
        d[i] = total
    return total
"""
    assert_same(source, "main", (200,), modes=ALL_MODES)


def test_guard_fails_inside_an_inlined_call():
    source = """
def inner(a, b):
    c = a + b
    if c > 50:
        c = c * 2
    return c

def middle(a):
    return inner(a, 1) + inner(a, 2) - a

def outer(a):
    t = middle(a) * 2
    return t + middle(a + 1)

def main(n):
    s = 0
    d = {}
    for i in range(n):
        s += outer(i % 60)
        d[i] = s
    return s
"""
    assert_same(source, "main", (400,), modes=ALL_MODES)


@pytest.mark.parametrize("error, call", [("ZeroDivisionError", "f(7, i - 40)"), ("IndexError", "g(a, i)")])
def test_exception_inside_the_function(error, call):
    source = f"""
def f(a, b):
    c = a * 3
    return c // b + a

def g(lst, i):
    k = i * 2
    return lst[k] + 1

def main(n):
    a = [1, 2, 3] * 30
    s = 0
    d = {{}}
    for i in range(n):
        s += {call}
        d[i] = s
    return s
"""
    expected = assert_same(source, "main", (100,), modes=ALL_MODES)
    assert expected.error.__name__ == error


def test_recursion_gives_the_right_result():
    source = """
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def main(n):
    return fib(n)
"""
    assert_same(source, "main", (16,), modes=ALL_MODES)
    vm, result = run(source, 18, hot_func=50)
    assert result == 2584
    reasons = vm.stats()["abort_reasons"]
    assert "RECURSION" in reasons or function_traces(vm, "fib")


def test_functions_mutating_a_list_argument():
    source = """
def bump(lst, i, v):
    lst[i] = lst[i] + v
    return lst[i] * 2

def grow(lst, v):
    lst.append(v)
    lst.append(v * 2)
    return len(lst)

def main(n):
    a = [0] * 10
    b = [1.5]
    s = 0
    for i in range(n):
        s += bump(a, i % 10, i)
        if i % 7 == 0:
            s += grow(b, i * 0.5)
        s += len(str(s)) - len(str(s))
    return a, b, s
"""
    assert_same(source, "main", (150,), modes=ALL_MODES)


def test_globals_the_function_assigns_and_reads():
    source = """
import math
count = 0
scale = 2.5

def f(x):
    global count
    count = count + 1
    return math.sqrt(x * scale) + count

def main(n):
    s = 0.0
    for i in range(n):
        s += f(float(i))
        s += len(str(i)) - len(str(i))
    return s, count
"""
    assert_same(source, "main", (120,), modes=ALL_MODES)


def test_function_with_an_inner_loop():
    source = """
def total(lst, k):
    s = 0
    for x in lst:
        s += x * k
    return s + len(lst)

def main(n):
    lst = []
    for i in range(50):
        lst.append(i)
    s = 0
    d = {}
    for i in range(n):
        s += total(lst, i)
        d[i] = s
    return s
"""
    assert_same(source, "main", (200,), modes=ALL_MODES)
    vm, result = run(source, 300, hot_func=20, hot_loop=20)
    (trace,) = function_traces(vm, "total")
    assert any(ins.op == "call_loop" for ins in trace.trace.ins)


def test_returned_values_of_every_kind():
    source = """
def pair(x):
    y = x * 2
    return y, y + 1.5

def flag(x):
    y = x % 3
    return y == 1

def nothing(lst, x):
    lst[0] = x * 2 + 1

def main(n):
    lst = [0]
    out = []
    d = {}
    for i in range(n):
        a, b = pair(i)
        out.append(a + b)
        out.append(flag(i))
        nothing(lst, i)
        out.append(lst[0])
        d[i] = 0
    return out
"""
    assert_same(source, "main", (60,), modes=ALL_MODES)


def test_short_functions_are_not_compiled(monkeypatch):
    monkeypatch.setattr(functrace, "MIN_FUNC_WORK", 120)
    vm, _ = run(LEAF, 500, hot_func=10)
    assert function_traces(vm, "f") == []
    assert vm.stats()["abort_reasons"]["TOO_SHORT"] >= 1


def test_a_trace_most_calls_leave_early_is_retired():
    source = """
def f(x):
    y = x * 3
    if x % 2 == 0:
        y = y + 1
    return y - x

""" + COLD_LOOP_CALLING_F
    vm, result = run(source, 2000, hot_func=10, hot_exit=1 << 30)
    assert vm.stats()["retired_traces"] >= 1
    assert result == run(source, 2000, jit=False)[1]


def test_verbose_line_says_func():
    from tracejit.verbose import format_event
    vm = tracejit.VM(cache=False, hot_func=100)
    lines = []
    vm.jit.listeners.append(lambda kind, fields: lines.append(format_event(kind, fields)))
    vm.load_source(LEAF, "prog.py").call("main", 300)
    assert any(line and line.startswith("[TRACE   1 prog.py:2 func, ") for line in lines), lines


def test_hot_func_is_checked():
    with pytest.raises(ValueError):
        tracejit.VM(hot_func=0)


# ----- generated leaf functions called from a cold loop ---------------------------------
_INT_STMTS = ("a = (a * {c} + b) % 1000003", "a = a - {c}", "b = (b + a) // {c}", "a = a % {c} - b",
              "b = b ^ a", "a = max(a, b) + {c}")
_NUM_STMTS = ("x = x * 0.5 + a", "x = x - y / {c}", "y = abs(x) + {c}", "x = float(a) * 1.5 - y",
              "y = y * y % 97.0")


@st.composite
def leaf_functions(draw):
    """``def f(a, b, x, y)`` of random int and float statements and if/else on them."""
    def stmt(depth):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            cond = f"{draw(st.sampled_from('abxy'))} {draw(st.sampled_from(('<', '>=', '==', '!=')))} " \
                   f"{draw(st.integers(-3, 40))}"
            then, other = draw(st.lists(st.integers(), min_size=1, max_size=3)), draw(st.integers(0, 2))
            return [f"if {cond}:"] + ["    " + s for _ in then for s in stmt(depth + 1)] + \
                (["else:"] + ["    " + s for _ in range(other) for s in stmt(depth + 1)] if other else [])
        return [draw(st.sampled_from(_INT_STMTS + _NUM_STMTS)).format(c=draw(st.sampled_from((1, 3, 7, -2))))]
    body = [s for _ in range(draw(st.integers(1, 8))) for s in stmt(0)]
    return "def f(a, b, x, y):\n" + "".join(f"    {s}\n" for s in body) + "    return a, b, x, y\n"


CALLER = """
def main(n):
    out = []
    cold = {}
    for i in range(n):
        a = i * 7 - 20 if i != 40 else 2 ** 70
        x = i * 0.25 if i != 50 else i
        out.append(f(a, i % 5, x, -1.5))
        cold[i] = i
    return out
"""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(leaf_functions())
def test_generated_leaf_functions(source):
    with pytest.MonkeyPatch.context() as patch:   # (hypothesis: no function-scoped fixture)
        patch.setattr(functrace, "MIN_FUNC_WORK", 1)
        assert_same(source + CALLER, "main", (60,), modes=["interp", *FUNC_MODES])


# work above MIN_FUNC_WORK: three inlined calls
CLI_PROGRAM = """
def sq(v):
    return v * v

def f(x):
    return sq(x) + sq(x + 1) - sq(x - 1)

""" + COLD_LOOP_CALLING_F


@pytest.mark.parametrize("how", ["option", "environment"])
def test_command_line_hot_func(tmp_path, how):
    import os
    import subprocess
    import sys
    path = tmp_path / "prog.py"
    path.write_text(CLI_PROGRAM)
    command = [sys.executable, "-m", "tracejit", "run", str(path), "--call", "main", "500", "-jv", "--no-cache"]
    env = dict(os.environ)
    if how == "option":
        command += ["--hot-func", "50"]
    else:
        env["TRACEJIT_HOT_FUNC"] = "50"
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(sum(i * i + (i + 1) ** 2 - (i - 1) ** 2 for i in range(500)))
    assert any(line.startswith("[TRACE   1 prog.py:5 func, ") for line in result.stderr.splitlines()), result.stderr
    bad = subprocess.run(command[:5] + ["--hot-func", "0"], capture_output=True, text=True, cwd=root, timeout=120)
    assert bad.returncode == 2 and "--hot-func must be a positive int" in bad.stderr


PHASES = LEAF[:LEAF.index("def main")] + """
def g(x):
    w = x * 0.5 + 1.0
    return w * w - x

def main(n):
    s = 0.0
    d = {}
    for phase in range(3):
        for i in range(n):
            if phase == 1:
                s += g(i)
            else:
                s += f(i, 7)
            d[i % 3] = s
    return s
"""


def test_function_traces_are_evicted_and_recorded_again():
    """Under a ``max_trace_mem`` that holds one function trace, g's evicts f's and f's,
    recorded again when f gets hot again, evicts g's; nothing evicted is entered."""
    from tracejit.trace_memory import tree_bytes
    expected = run_cpython(PHASES, "main", (400,))
    vm, result = run(PHASES, 400, hot_func=50)
    assert same_value(result, expected.value)
    room = max(tree_bytes(t) for t in vm.jit.installed)
    vm, result = run(PHASES, 400, hot_func=50, max_trace_mem=room + room // 4)
    assert same_value(result, expected.value)
    stats = vm.stats()
    assert stats["traces_evicted"] >= 2 and stats["trace_rerecords"] >= 1, stats
    assert [t.decoded.code.name for t in vm.jit.installed] == ["f"]
    assert set(vm.jit.functions.fast) <= set(vm.jit.installed)
