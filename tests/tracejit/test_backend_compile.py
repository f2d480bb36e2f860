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
