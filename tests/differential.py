"""Differential testing against CPython, the oracle.

``run_cpython(source, fn, args)`` runs a program with CPython; ``run_vm(source, fn,
args, mode)`` runs it in a tracejit VM configured by ``mode`` (see ``MODES``). Both
return an ``Outcome``: the result (or the exception type) and everything printed,
including what the module's top level printed. ``assert_same`` compares them exactly:
equal values of equal types (recursively), equal printed text, same exception type.
"""
from __future__ import annotations

import contextlib
import io
import math
from dataclasses import dataclass

import tracejit

# Modes every differential test runs in: interpreter only, the JIT at its default
# thresholds (trees run their first hot_compile iterations in the Python tier), and the
# JIT with thresholds of 1 (every loop that can be traced is, and every tree gets its
# machine code after one iteration in the Python tier).
MODES = {
    "interp": {"jit": False},
    "jit": {"jit": True},
    "jit-hot1": {"jit": True, "hot_loop": 1, "hot_exit": 1, "hot_compile": 1},
}
# Profile mode measures every instruction; results must not change. Not in MODES (it is
# slow): tests of profiling pass these names as ``modes``.
PROFILE_MODES = {
    "profile": {"jit": False, "profile": True},
    "profile-time-jit-hot1": {"jit": True, "hot_loop": 1, "hot_exit": 1, "profile": "time"},
    "profile-jit-hot1": {"jit": True, "hot_loop": 1, "hot_exit": 1, "profile": True},
}

# The optimizer with all passes off and with each pass off in turn (tracejit.opt), at
# threshold 1: tests of the optimizer pass these names as ``modes``.
OPT_MODES = {
    f"opts-{spec}": {"jit": True, "hot_loop": 1, "hot_exit": 1, "opts": spec}
    for spec in ("none", "-fold", "-cse", "-guards", "-ranges", "-dce")
}

# Trace memory bounds that hold a few small trees (tracejit/trace_memory.py): trees are
# evicted and loops recorded again all the time. Tests of eviction pass these as ``modes``.
MEMORY_MODES = {
    "mem-3M-hot1": {"jit": True, "hot_loop": 1, "hot_exit": 1, "max_trace_mem": "3M", "hot_compile": 0},
    "mem-8M": {"jit": True, "hot_loop": 20, "hot_exit": 2, "max_trace_mem": "8M", "hot_compile": 0},
}


# Function traces (tracejit/functrace.py): every function called from interpreted code
# recorded from its entry at its first call, with loops traced at once too, or at the
# default loop threshold (the calling loops stay cold). Tests of function traces pass
# these names as ``modes`` (with functrace.MIN_FUNC_WORK lowered, so that small
# functions compile).
FUNC_MODES = {
    "func-hot1": {"jit": True, "hot_loop": 1, "hot_func": 1, "hot_exit": 1},
    "func-cold-loops": {"jit": True, "hot_func": 2, "hot_exit": 2},
}


@dataclass
class Outcome:
    value: object
    error: type | None
    printed: str

    def describe(self):
        if self.error is not None:
            return f"raised {self.error.__name__}, printed {self.printed!r}"
        return f"returned {self.value!r}, printed {self.printed!r}"


def run_cpython(source: str, fn: str | None = None, args=()) -> Outcome:
    out = io.StringIO()
    namespace = {"__name__": "prog"}
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<prog>", "exec"), namespace)
            value = namespace[fn](*args) if fn else None
    except Exception as exc:
        return Outcome(None, type(exc), out.getvalue())
    return Outcome(value, None, out.getvalue())


_VMS = {}


def vm_for(mode: str) -> tracejit.VM:
    """A fresh VM per call for isolation of globals; the JIT's compiled-code caches
    are process-wide, so fresh VMs stay cheap."""
    return tracejit.VM(**(MODES.get(mode) or PROFILE_MODES.get(mode) or MEMORY_MODES.get(mode)
                          or FUNC_MODES.get(mode) or OPT_MODES[mode]))


def run_vm(source: str, fn: str | None = None, args=(), mode: str = "interp") -> Outcome:
    out = io.StringIO()
    vm = vm_for(mode)
    try:
        with contextlib.redirect_stdout(out):
            module = vm.load_source(source, "<prog>")
            value = module.call(fn, *args) if fn else None
    except tracejit.CompileError:
        raise
    except Exception as exc:
        return Outcome(None, type(exc), out.getvalue())
    return Outcome(value, None, out.getvalue())


def same_value(a, b) -> bool:
    """Exact equality of types and values, recursively; nan equals nan, -0.0 != 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if type(a).__module__ == "numpy":
        import numpy as np
        return np.array_equal(a, b, equal_nan=True) and getattr(a, "dtype", None) == getattr(b, "dtype", None)
    return a == b


def assert_same(source: str, fn: str | None = None, args=(), modes=None) -> Outcome:
    """Run under CPython and under every mode; fail with both outcomes on a difference."""
    expected = run_cpython(source, fn, args)
    for mode in modes or MODES:
        got = run_vm(source, fn, args, mode)
        same = (expected.error is got.error and expected.printed == got.printed
                and (expected.error is not None or same_value(expected.value, got.value)))
        assert same, (f"mode {mode}: CPython {expected.describe()}\n"
                      f"           tracejit {got.describe()}\nsource:\n{source}")
    return expected
