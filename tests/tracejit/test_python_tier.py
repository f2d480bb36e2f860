"""The Python tier (``tracejit/backend/python_tier.py``): a new tree's generated source run
by CPython for its first ``hot_compile`` iterations, then promoted to machine code.

The tier must be indistinguishable from machine code but by speed: the same results as
CPython, the same exits (so the same side traces) and counts; guards that exit where
libm returns inf or nan (where CPython's math module raises) exit here too. A tree's
inner loops run their machine code, with the whole budget; a failed promotion leaves a
tree in the tier."""
import subprocess
import sys

import pytest

import tracejit
from tracejit.backend import numba_backend
from differential import assert_same, run_cpython, same_value

# ints with overflow guards, floats, list reads and writes, a branch that flips (a side
# trace), math calls and ** whose domain errors and overflows exit at iteration k
PROGRAM = """
import math

def main(n, k):
    xs = [1, 2, 3, 4]
    fs = [0.5, 1.5, 2.5]
    acc = 0
    t = 0.0
    big = 3037000490
    for i in range(n):
        acc = (acc * 7 + xs[i % 4]) % 1000003
        if i % 5 == 2:
            xs[i % 4] = acc & 255
        else:
            t += fs[i % 3] * 0.25
        t = t + math.sqrt(i + 1.0) - math.sqrt(i * 1.0)
        if i == k:
            t += math.sqrt(-1.0 + i - i) if t != t else math.log(0.0 + i - i + 1.0)
            big = big * big
        fs[i % 3] = fs[i % 3] * 0.5 + 1.0
    return acc, t, xs, fs, big, 1.5 ** (k % 7)
"""

DOMAIN = """
import math

def main(n, k):
    s = 0.0
    for i in range(n):
        x = 1.0 if i != k else -1.0
        s += math.sqrt(x) + 2.0 ** (i % 3)
    return s
"""

OVERFLOW = """
def main(n, k):
    s = 0.0
    for i in range(n):
        s += 10.0 ** (3 if i != k else 400)
    return s
"""

NESTED = """
def main(n):
    total = 0
    for i in range(n):
        j = 0
        while j < 50:
            total += i ^ j
            j += 1
    return total
"""


@pytest.fixture(autouse=True)
def fresh_code(monkeypatch):
    """No machine code of another test's: identical trees in this process would share it."""
    monkeypatch.setattr(numba_backend, "_compiled_cache", {})


def _run(source, args, **options):
    numba_backend._compiled_cache.clear()    # each run makes its own code
    vm = tracejit.VM(cache=False, **options)
    return vm, vm.load_source(source, "<prog>").call("main", *args)


@pytest.mark.parametrize("k", [0, 37, 450, 10 ** 6])
def test_python_tier_and_machine_code_give_cpythons_results_and_the_same_exits(k):
    expected = run_cpython(PROGRAM, "main", (600, k))
    runs = {}
    for hot_compile in (0, 10 ** 9):       # machine code at once; never
        vm, value = _run(PROGRAM, (600, k), hot_loop=3, hot_exit=2, hot_compile=hot_compile)
        assert same_value(expected.value, value), hot_compile
        runs[hot_compile] = vm.stats()
    machine, python = runs[0], runs[10 ** 9]
    assert python["promotions"] == 0 and python["compile_seconds"] == 0 and machine["compile_seconds"] > 0
    for key in ("side_traces", "side_exits", "trace_entries", "jit_coverage", "traces_compiled"):
        assert python[key] == machine[key], key


def _outcome(source, args, **options):
    """(value, exception type) of main(*args) in a VM with ``options``, and the VM."""
    vm = tracejit.VM(cache=False, **options)
    module = vm.load_source(source, "<prog>")
    try:
        return (module.call("main", *args), None), vm
    except Exception as exc:  # the program's own error, as CPython raises it
        return (None, type(exc)), vm


@pytest.mark.parametrize("k", [0, 5, 999, -1])
@pytest.mark.parametrize("source", [DOMAIN, OVERFLOW])
def test_math_domain_errors_and_overflows_exit_in_the_python_tier(source, k):
    # libm gives nan or inf where CPython raises: the tier's guard exits and the
    # interpreter raises CPython's error, at iteration k
    expected = run_cpython(source, "main", (1000, k))
    assert (expected.error is None) == (k == -1)
    (value, error), vm = _outcome(source, (1000, k), hot_loop=2, hot_compile=10 ** 9)
    assert error is expected.error and (error is not None or same_value(expected.value, value))
    assert vm.stats()["promotions"] == 0 and (k == 0 or vm.stats()["trace_entries"] >= 1)
    if k in (-1, 999):
        assert vm.stats()["jit_coverage"] > 0.9


@pytest.mark.parametrize("source,args", [(PROGRAM, (3000, 1234)), (DOMAIN, (3000, 2000)), (DOMAIN, (3000, -1)),
                                         (NESTED, (400,))])
def test_differential_at_small_promotion_thresholds(source, args):
    expected = run_cpython(source, "main", args)
    for hot_compile in (1, 7, 100):
        for mode_args in ({"hot_loop": 1, "hot_exit": 1}, {"hot_loop": 40, "hot_exit": 3}):
            (value, error), _vm = _outcome(source, args, hot_compile=hot_compile, **mode_args)
            assert error is expected.error, (hot_compile, mode_args)
            assert error is not None or same_value(expected.value, value), (hot_compile, mode_args)


def test_a_tree_is_promoted_after_hot_compile_iterations_and_then_runs_machine_code():
    events = []
    vm = tracejit.VM(cache=False, hot_loop=10, hot_exit=5, hot_compile=300)
    vm.jit.listeners.append(lambda kind, fields: events.append((kind, fields)))
    assert vm.load_source(PROGRAM, "<prog>").call("main", 5000, 10 ** 6) == \
        run_cpython(PROGRAM, "main", (5000, 10 ** 6)).value
    (installed,) = vm.jit.installed
    assert installed.compiled.code.machine and installed.python_left is None
    promoted = [fields for kind, fields in events if kind == "promote"]
    assert len(promoted) == vm.stats()["promotions"] >= 1
    assert all(p["iterations"] == 300 and p["compile_ms"] > 0 and not p["error"] for p in promoted)
    # every tree version started in the Python tier: nothing compiled when it was made
    made = [fields for kind, fields in events if kind in ("compiled", "side")]
    assert made and all(fields["compile_ms"] == 0 for fields in made)
    assert vm.stats()["compile_seconds"] == pytest.approx(sum(p["compile_ms"] for p in promoted) / 1000)


def test_a_tree_with_inner_loops_calls_their_machine_code_from_the_python_tier():
    # the inner loop (50 iterations a call) runs whole, as machine code, while the outer
    # loop's tree runs 20 iterations in the Python tier: its exits are machine code's,
    # and the switch of tiers at the loop header (exit -1)
    taken = {}
    for hot_compile in (0, 20, 10 ** 9):
        vm, value = _run(NESTED, (600,), hot_loop=5, hot_compile=hot_compile)
        assert value == run_cpython(NESTED, "main", (600,)).value
        (outer,) = [t for t in vm.jit.installed if t.nested]
        assert all(inner.compiled.code.machine for inner in outer.nested)
        assert outer.compiled.code.machine == (hot_compile < 10 ** 9)
        assert vm.stats()["side_traces"] == 0 and vm.stats()["trace_aborts"] == 0
        taken[hot_compile] = {number for number, exit_ in enumerate(outer.exits) if exit_.count}
        budget_exit = len(outer.exits) - 1
    assert taken[10 ** 9] == taken[0] and budget_exit not in taken[0]
    assert taken[20] == taken[0] | {budget_exit}


def test_a_failed_promotion_leaves_the_tree_in_the_python_tier(monkeypatch):
    def broken(self, cache=None):
        raise RuntimeError("no machine code today")
    monkeypatch.setattr(numba_backend.MachineCode, "promote", broken)
    events = []
    vm = tracejit.VM(cache=False, hot_loop=5, hot_compile=50)
    vm.jit.listeners.append(lambda kind, fields: events.append((kind, fields)))
    assert vm.load_source(DOMAIN, "<prog>").call("main", 2000, -1) == run_cpython(DOMAIN, "main", (2000, -1)).value
    failed = [fields for kind, fields in events if kind == "promote"]
    assert failed and all(f["error"] == "RuntimeError: no machine code today" for f in failed)
    assert vm.stats()["promotions"] == 0 and vm.stats()["jit_coverage"] > 0.9
    assert not any(t.compiled.code.machine for t in vm.jit.installed)


def test_every_vm_mode_agrees_on_the_tier_programs():
    assert_same(PROGRAM, "main", (2500, 1500))
    assert_same(DOMAIN, "main", (2500, 1200))
    assert_same(OVERFLOW, "main", (2500, -1))


def test_hot_compile_must_be_a_non_negative_int(tmp_path):
    for bad in (-1, 1.5, "10"):
        with pytest.raises(ValueError, match="hot_compile"):
            tracejit.VM(hot_compile=bad)
    program = tmp_path / "p.py"
    program.write_text("x = 1\n")
    result = subprocess.run([sys.executable, "-m", "tracejit", "run", str(program), "--hot-compile", "-1"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "--hot-compile must be an int >= 0" in result.stderr


def test_a_recording_promotes_the_inner_trees_it_runs():
    # a recording runs an inner loop's trace for the whole loop: as machine code, so a
    # long inner loop never runs whole in the Python tier
    source = NESTED.replace("while j < 50", "while j < 4000").replace("i ^ j", "(i ^ j) & 7")
    seen = []
    vm = tracejit.VM(cache=False, hot_loop=2, hot_compile=10 ** 9)
    vm.jit.listeners.append(lambda kind, fields: seen.append((kind, vm.jit.recorder is not None, fields))
                            if kind == "promote" else None)
    assert vm.load_source(source, "<prog>").call("main", 5) == run_cpython(source, "main", (5,)).value
    assert [(recording, fields["error"]) for _kind, recording, fields in seen] == [(True, "")]
    (inner,) = [t for t in vm.jit.installed if not t.nested]
    assert inner.compiled.code.machine and seen[0][2]["number"] == inner.number


def test_promotion_keeps_the_trace_memory_estimates():
    # a tree's estimate counts the machine code it will get: a promotion changes no size
    from tracejit.trace_memory import tree_bytes
    vm, _ = _run(PROGRAM, (5000, 10 ** 6), hot_loop=10, hot_exit=5, hot_compile=300)
    assert vm.stats()["promotions"] >= 1
    assert vm.jit.memory.sizes == {t.number: tree_bytes(t) for t in vm.jit.installed}
