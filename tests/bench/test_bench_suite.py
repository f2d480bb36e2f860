"""bench/suite.py: the result comparison is strict, sizes scale work, and every program
has its Numba and LuaJIT versions."""
import math
import os

import pytest

import bench_paths  # noqa: F401  (bench/ on sys.path)

import suite


@pytest.mark.parametrize("a, b", [
    ((1, 2.0), (1, 2.0)),
    ([1, [2, 3]], [1, [2, 3]]),
    (float("nan"), float("nan")),
    ((True, 0.5), (True, 0.5)),
])
def test_same_accepts_equal_results(a, b):
    assert suite.same(a, b)


@pytest.mark.parametrize("a, b", [
    ((1, 2), [1, 2]),          # tuple vs list
    (1, 1.0),                  # int vs float
    (True, 1),                 # bool vs int
    (0.1 + 0.2, 0.3),          # last bit
    ((1, 2), (1, 2, 3)),
    ((1, (2, 3)), (1, (2, 4))),
    (1.0, float("nan")),
])
def test_same_rejects_different_results(a, b):
    assert not suite.same(a, b)


def test_by_value_ignores_number_and_sequence_types_only():
    assert suite.same((3.0, [1, 2]), [3, (1, 2)], by_value=True)
    assert not suite.same((True,), [1], by_value=True)
    assert not suite.same((3.0,), [3.0000000000000004], by_value=True)


def test_plain_turns_numpy_values_into_python_values():
    np = pytest.importorskip("numpy")
    value = suite.plain((np.float64(0.5), np.arange(3), [np.int64(7), np.bool_(True)]))
    assert suite.same(value, (0.5, [0, 1, 2], [7, True]))


def test_scale_multiplies_work_not_n():
    mandelbrot, fannkuch = suite.BY_NAME["mandelbrot"], suite.BY_NAME["fannkuch"]
    assert mandelbrot.n(4.0) == 2 * mandelbrot.default_n          # work ~ n**2
    assert suite.BY_NAME["leibniz_pi"].n(0.5) == suite.BY_NAME["leibniz_pi"].default_n // 2
    assert fannkuch.n(10.0) == fannkuch.default_n                # n is not a size


def test_every_program_has_numba_and_lua_versions_and_nothing_else():
    names = {p.name for p in suite.PROGRAMS}
    numba = {f[:-3] for f in os.listdir(suite.NUMBA_DIR) if f.endswith(".py") and f != "__init__.py"}
    lua = {f[:-4] for f in os.listdir(suite.LUA_DIR) if f.endswith(".lua") and f != "run.lua"}
    assert numba == names and lua == names
    for program in suite.PROGRAMS:
        assert os.path.exists(program.path)
        assert isinstance(program.test_n, int) and program.test_n > 0
        assert math.isfinite(program.default_n)
