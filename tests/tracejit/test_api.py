"""Public API: VM, load_source/load_file, Module.call, stats, @tracejit.jit."""
import pytest

import tracejit


@tracejit.jit
def triangle(n):
    s = 0
    for i in range(n + 1):
        s += i
    return s


@tracejit.jit
def failing(n):
    return 10 // n


def test_jit_decorator_runs_in_the_vm_and_matches_python():
    assert triangle(100) == triangle.__wrapped__(100) == 5050
    assert tracejit.decorator.default_vm().stats()["instructions"] > 100


def test_jit_decorator_traceback_uses_host_lines():
    with pytest.raises(ZeroDivisionError) as info:
        failing(0)
    (filename, line, function, text), = info.value.tracejit_traceback
    assert filename == __file__ and function == "failing"
    assert text.strip() == "return 10 // n"
    lines, first = __import__("inspect").getsourcelines(failing.__wrapped__)
    assert line == first + [l.strip() for l in lines].index("return 10 // n")


def test_load_file_and_call(tmp_path):
    path = tmp_path / "p.py"
    path.write_text("K = 7\ndef main(a, b=2):\n    return [a * K, b]\n")
    vm = tracejit.VM(jit=False)
    mod = vm.load_file(str(path))
    assert mod.call("main", 3) == [21, 2]
    assert type(mod.call("main", 3)) is list
    assert mod.filename == str(path)


def test_lists_cross_the_boundary_as_plain_lists():
    vm = tracejit.VM(jit=False)
    mod = vm.load_source("def f(xs):\n    xs.append(len(xs))\n    return (xs, {1: [xs[0]]})\n")
    xs, d = mod.call("f", [5, 6])
    assert xs == [5, 6, 2] and type(xs) is list and d == {1: [5]} and type(d[1]) is list


def test_call_unknown_or_non_function_names():
    mod = tracejit.VM(jit=False).load_source("x = 1\n")
    with pytest.raises(NameError):
        mod.call("nope")
    with pytest.raises(TypeError):
        mod.call("x")


def test_stats_count_instructions_and_calls():
    vm = tracejit.VM(jit=False)
    mod = vm.load_source("def g(x):\n    return x + 1\ndef f(n):\n    s = 0\n"
                         "    for i in range(n):\n        s = g(s)\n    return s\n")
    before = vm.stats()
    assert mod.call("f", 10) == 10
    after = vm.stats()
    assert after["calls"] - before["calls"] == 11
    # 10 iterations of (LOOP, MOVE, CALL, ...) cannot take fewer than 30 instructions
    assert after["instructions"] - before["instructions"] >= 30


def test_bad_fuel_is_rejected():
    with pytest.raises(ValueError):
        tracejit.VM(fuel=0)
