"""The peer-comparison suite: which programs, at what size, and when two results agree.

Used by bench/compare.py, bench/engine_runner.py (also under PyPy 3.9: no numpy, no
tracejit imports here) and the tests in tests/bench.

Invariants:
  - every ``Program.name`` is a file ``tests/programs/NAME.py`` defining ``main(n)``,
    ``TEST_N`` and ``BENCH_N``, and has a hand-written Numba version
    ``bench/numba_versions/NAME.py`` and a LuaJIT version ``bench/lua/NAME.lua`` whose
    ``main(n)`` computes the same result;
  - ``default_n`` makes ``main`` take about 1 s under CPython 3.11 on the reference
    machine (docs/performance.md); ``Program.n(scale)`` scales the *work*, not ``n``,
    by ``exponent`` (work ~ n ** exponent), and never scales a program whose ``n`` is
    not a size (``exponent`` None: fannkuch's n is the permutation length).
"""
from __future__ import annotations

import ast
import math
import os

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
PROGRAMS_DIR = os.path.join(ROOT, "tests", "programs")
NUMBA_DIR = os.path.join(BENCH_DIR, "numba_versions")
LUA_DIR = os.path.join(BENCH_DIR, "lua")


class Program:
    """One benchmark program of tests/programs and its size policy."""

    def __init__(self, name: str, default_n: int, exponent: float | None = 1.0,
                 numpy: bool = False):
        self.name = name
        self.default_n = default_n
        self.exponent = exponent
        self.numpy = numpy          # imports numpy (PyPy here has none)

    @property
    def path(self) -> str:
        return os.path.join(PROGRAMS_DIR, self.name + ".py")

    @property
    def test_n(self) -> int:
        return module_constant(self.path, "TEST_N")

    def n(self, scale: float = 1.0) -> int:
        if self.exponent is None or scale == 1.0:
            return self.default_n
        return max(1, round(self.default_n * scale ** (1.0 / self.exponent)))

    def __repr__(self):
        return f"Program({self.name!r}, n={self.default_n})"


PROGRAMS = [
    Program("leibniz_pi", 10_000_000),
    Program("histogram", 2_200_000),
    Program("prefix_sum", 850_000),
    Program("collatz", 125_000),
    Program("mandelbrot", 640, exponent=2),
    Program("sieve", 3_000_000),
    Program("spectral_norm", 320, exponent=2),
    Program("nbody", 125_000),
    Program("monte_carlo_pi", 2_500_000),
    Program("lcg_bits", 1_000_000),
    Program("bisect_sqrt", 120_000),
    Program("fannkuch", 9, exponent=None),
    Program("primes_trial", 800_000, exponent=1.5),
    Program("floyd_warshall", 250, exponent=3),
    Program("matmul_numpy", 135, exponent=3, numpy=True),
    Program("dot_numpy", 125_000, numpy=True),
]
BY_NAME = {p.name: p for p in PROGRAMS}


def module_constant(path: str, name: str):
    """The literal value of a top-level ``NAME = literal`` in a program, without running it."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path} has no top-level {name} = literal")


def plain(value):
    """A result as plain Python values: numpy scalars and arrays become ints, floats,
    bools and lists; tuples stay tuples. ``repr(plain(v))`` reads back with
    ``ast.literal_eval`` (floats round-trip exactly)."""
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "tolist"):      # numpy scalar or array
        return plain(value.tolist())
    return value


def same(a, b, by_value: bool = False) -> bool:
    """Whether two results agree exactly: equal values of equal types, recursively
    (tuple vs list, int vs float vs bool are different; nan equals nan).

    ``by_value``: for engines with a single number type (LuaJIT), numbers compare by
    value (3 == 3.0), sequences ignore tuple vs list, bools still differ from numbers.
    """
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        if not (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list))):
            return False
        if not by_value and type(a) is not type(b):
            return False
        return len(a) == len(b) and all(same(x, y, by_value) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if by_value and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (isinstance(a, float) and isinstance(b, float)
                          and math.isnan(a) and math.isnan(b))
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b
