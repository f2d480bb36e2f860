"""The first tier: a trace's generated source run by CPython until Numba compiles it.

A new tree (a root trace, or a tree that just grew a side trace) first runs as the
very function Numba would compile, executed by CPython: same source,
same C arguments (scalars, and cffi pointers cast here to typed pointers), same exit
buffers and exit numbers, so the JIT cannot tell the tiers apart but by speed. Side
traces found in a tree's first iterations and trees that retire after a few entries
then cost no Numba compilation; ``JIT`` promotes a tree to machine code once it has run
``hot_compile`` iterations here (``tracejit/jit.py``).

Invariants the generated source keeps that make CPython's run equal Numba's:
  - every int operation that could leave int64 is preceded by a guard that exits, so
    Python's unbounded ints never hold what int64 could not;
  - float division, ``pow`` and ``math`` calls are guarded or their results checked for
    non-finite values, which exit: where libm returns inf or nan CPython raises, so the
    functions called here return nan instead (the same check then exits);
  - a float nan or infinity constant is written ``math.nan``, ``math.inf``: plain floats.
"""
from __future__ import annotations

import math

_TYPED_POINTERS = {}


def _typed_pointer(c_type: str):
    """The cffi pointer type for an ``abi`` pointer C type (``ptr:int64``, ``ptr:ptr:double``)."""
    import _cffi_backend as backend
    if c_type not in _TYPED_POINTERS:
        element = c_type[4:]
        target = _typed_pointer(element) if element.startswith("ptr:") else \
            backend.new_primitive_type({"int64": "int64_t", "double": "double", "uint8": "uint8_t"}[element])
        _TYPED_POINTERS[c_type] = backend.new_pointer_type(target)
    return _TYPED_POINTERS[c_type]


def _total(function):
    """``function`` returning nan where CPython's math module raises (libm: inf or nan)."""
    def total(*args):
        try:
            return function(*args)
        except (ValueError, OverflowError):
            return math.nan
    return total


class _Math:
    """What generated source calls as ``math.<name>``."""

    def __getattr__(self, name):
        value = getattr(math, name)
        value = _total(value) if callable(value) else value    # a function, or nan, inf
        setattr(self, name, value)
        return value


NAMESPACE = {"math": _Math(), "libm_pow": _total(math.pow)}


class PythonEntry:
    """A Python callable taking the C arguments ``c_types`` (``abi``) that runs the trace
    function defined by ``source`` and returns its result, like a C entry.

    An inner loop the trace calls (``loop_<i>``, ``nested[i]``) runs through that inner
    trace's own entry (its machine code, normally), given the budget this entry was
    given: ``capped`` lets the trace itself run fewer iterations (the tier's allowance)
    without its inner loops leaving early."""

    def __init__(self, source: str, c_types, nested=()):
        from .numba_backend import inner_name
        namespace = dict(NAMESPACE)
        namespace.update({inner_name(i): self._inner_call(inner) for i, inner in enumerate(nested)})
        exec(compile(source, "<trace: python tier>", "exec"), namespace)
        self.function = namespace["trace"]
        self.pointers = [(i, _typed_pointer(c)) for i, c in enumerate(c_types) if c.startswith("ptr:")]
        self.inner_budget = 0
        import _cffi_backend as backend
        self.cast = backend.cast

    def _inner_call(self, inner):
        def call(*args):
            return inner.code.entry(*args[:-1], self.inner_budget)
        return call

    def __call__(self, *args):
        return self.capped(args, args[-1])

    def capped(self, args, iterations):
        """Run with the C arguments ``args`` (the budget last) for at most ``iterations``
        iterations of the trace's own loop."""
        cast = self.cast
        args = list(args)
        for i, pointer in self.pointers:
            args[i] = cast(pointer, args[i])
        self.inner_budget = args[-1]
        args[-1] = min(args[-1], iterations)
        return self.function(*args)
