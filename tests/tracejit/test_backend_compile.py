"""The Numba side of the backend: the trimmed compiler pipeline and the typing memo
(``tracejit.backend.numba_compile``) compile traces Numba would type the same way."""
from __future__ import annotations

import tracejit
from tracejit.backend import numba_compile

from jit_checks import check_traces

# int, float, bool and pointer (array, list) values, operators and item access of each
PROGRAM = """
import math

def f(n, a, xs):
    s = 0
    t = 0.5
    ok = True
    for i in range(n):
        s = (s * 31 + i) % 1000003
        t = t * 0.5 + math.sqrt(i) - a[i % 4]
        ok = ok != (s > 500000)
        xs[i % 3] = s & 255
    return s, t, ok, xs
"""


def _run(vm, n):
    import numpy as np
    module = vm.load_source(PROGRAM, "memo.py")
    return module.call("f", n, np.arange(4.0), [1, 2, 3])


def test_traces_compiled_through_the_trimmed_pipeline_give_cpython_results():
    import numpy as np
    namespace = {}
    exec(PROGRAM, namespace)
    expected = namespace["f"](200, np.arange(4.0), [1, 2, 3])
    vm = tracejit.VM(hot_loop=2, cache=False)
    assert _run(vm, 200) == expected
    check_traces(vm, count=1)
    body = vm.jit.installed[0].compiled.code.body()
    (overload,) = body.overloads.values()
    passes = {name.split("_", 1)[1] for times in overload.metadata["pipeline_times"].values() for name in times}
    assert "nopython_type_inference" in passes and "native_lowering" in passes
    assert "reconstruct_ssa" not in passes and "inline_closure_likes" not in passes


def test_typing_memo_answers_what_numba_answers():
    from numba.core.registry import cpu_target
    vm = tracejit.VM(hot_loop=2, cache=False)
    _run(vm, 50)
    check_traces(vm, min_count=1)
    context = cpu_target.typing_context
    assert "resolve_function_type" not in vars(context)     # only while a trace compiles
    memo, _scalar = numba_compile._state["typing"]
    functions = {func for func, _args in memo}
    assert len(memo) >= 10 and len(functions) >= 5
    for (func, args), signature in memo.items():
        assert context.resolve_function_type(func, args, {}) == signature, (func, args)
    calls = numba_compile._state["calls"]     # function types' call types: typing and lowering
    assert len(calls) >= 10 and any("setitem" in str(function) for function, _args in calls)
    for (function, args), signature in calls.items():
        assert function.get_call_type(context, args, {}) == signature, (function, args)


def test_typing_memo_nests_and_leaves_numba_as_it_was():
    from numba.core.registry import cpu_target
    from numba.core.types.functions import BaseFunction
    context = cpu_target.typing_context
    get_call_type = BaseFunction.get_call_type
    with numba_compile._typing_memo():
        with numba_compile._typing_memo():      # a compilation inside a compilation
            assert "resolve_function_type" in vars(context)
        assert "resolve_function_type" in vars(context)
        assert BaseFunction.get_call_type is not get_call_type
    assert "resolve_function_type" not in vars(context)
    assert BaseFunction.get_call_type is get_call_type


# what generated source can use: math calls, ** (libm pow), min/max/abs, int() of a
# float, nan and infinity constants, swaps of 4 values (a tuple), array and list items,
# an inner loop called from an outer trace
REGISTRIES_PROGRAM = """
import math
import numpy as np

def f(n):
    a = np.zeros(8)
    xs = [0.0] * 8
    p, q, r, s = 1, 2, 3, 4
    best = math.inf
    worst = -math.inf
    total = 0.0
    for i in range(n):
        x = math.sin(i) + math.exp(-i % 5) + math.log(i + 1) + math.fabs(2.5 - i)
        y = (i % 7 + 1.5) ** 1.5 + abs(-x) + min(x, 3.0) + max(i, 2) + abs(i - 9)
        a[i % 8] += x
        xs[i % 8] = y
        p, q, r, s = q, r, s, p
        best = min(best, y)
        worst = max(worst, x)
        for j in range(i % 4):
            total += int(y) + j * 0.5
    return float(a[0]), float(a[7]), xs, p, q, r, s, best, worst, total
"""

REGISTRIES_SCRIPT = """
import sys, json
import numpy as np
import numba
import tracejit
vm = tracejit.VM(hot_loop=3, hot_compile=0, cache=False)
got = vm.load_source(sys.argv[1], "registries.py").call("f", 300)
stats = vm.stats()
trimmed = [m for m in ("numba.np.linalg", "numba.np.arraymath", "numba.np.npdatetime") if m not in sys.modules]

@numba.njit
def user_code(a):      # a program's own Numba code in the same process: NumPy's registries
    return np.sum(a * 2.0)

print(json.dumps({"got": repr(got), "traces": stats["traces_compiled"], "aborts": stats["abort_reasons"],
                  "trimmed": trimmed, "user": float(user_code(np.arange(4.0)))}))
"""


def test_trace_compilation_loads_only_the_registries_generated_source_uses():
    """In a fresh process (no earlier compilation loaded anything): every trace of a
    program using each construct generated source has compiles (no COMPILE_FAILED) with
    NumPy's registries left unloaded, and the program's
    own Numba code compiled afterwards in the same process still finds them."""
    import json
    import subprocess
    import sys
    namespace = {}
    exec(REGISTRIES_PROGRAM, namespace)
    expected = namespace["f"](300)
    result = subprocess.run([sys.executable, "-c", REGISTRIES_SCRIPT, REGISTRIES_PROGRAM],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["got"] == repr(expected)
    assert report["traces"] >= 2 and "COMPILE_FAILED" not in report["aborts"], report
    assert report["trimmed"] == ["numba.np.linalg", "numba.np.arraymath", "numba.np.npdatetime"]
    assert report["user"] == 12.0


def test_numba_is_patched_only_under_its_compiler_lock(monkeypatch):
    """The typing memo and the trimmed registries replace Numba's methods process-wide:
    they are in place only while this thread holds Numba's compiler lock."""
    from numba.core.compiler_lock import global_compiler_lock
    held = []
    original = numba_compile._trace_registries

    def checked():
        held.append(global_compiler_lock.is_locked())
        return original()
    monkeypatch.setattr(numba_compile, "_trace_registries", checked)
    from tracejit.backend import numba_backend
    monkeypatch.setattr(numba_backend, "_compiled_cache", {})     # compiled here, not reused
    vm = tracejit.VM(hot_loop=2, hot_compile=0, cache=False)
    vm.load_source("def f(n):\n    s = 0\n    for i in range(n):\n        s += i * 3\n    return s\n",
                   "lock.py").call("f", 50)
    check_traces(vm, min_count=1)
    assert held and all(held)
    assert not global_compiler_lock.is_locked()
