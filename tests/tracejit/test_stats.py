"""``VM.stats()``: instructions per opcode (interpreted and inside compiled traces,
exactly), trace cache hits and misses, compile counts; the same counts whatever the
JIT does, and with profiling on."""
import os

import pytest

import tracejit
from conftest import PROGRAMS_DIR
from differential import MODES, PROFILE_MODES, assert_same, vm_for

# tracejit dis of main:
#   0 LOADK r1, 0   1 LOADK r3, 0   2 MOVE r4, r0   3 LOADK r5, 1   4 FORPREP -> 8
#   5 LOOP   6 IADD r1, r1, r2   7 FORLOOP -> 5   8 RETURN r1
# and of the module: MAKEFUNC, STOREGLOBAL, RETURN
SUM_LOOP = "def main(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n"
SUM_LOOP_10 = {"FORLOOP": 10, "IADD": 10, "LOOP": 10, "LOADK": 3, "RETURN": 2, "FORPREP": 1,
               "MAKEFUNC": 1, "MOVE": 1, "STOREGLOBAL": 1}
# a branch taken three ways: a side trace from the root, and one from that side trace
THREE_WAYS = ("def main(n):\n    a = 0\n    b = 0\n    c = 0\n    for i in range(n):\n"
              "        k = i % 3\n        if k == 0:\n            a += 1\n        elif k == 1:\n"
              "            b += 2\n        else:\n            c += 3\n    return a + b + c\n")


def stats_of(source, *args, **options):
    vm = tracejit.VM(cache=False, **options)
    vm.load_source(source, "prog.py").call("main", *args)
    return vm.stats()


def test_opcodes_by_hand_interpreter_only():
    stats = stats_of(SUM_LOOP, 10, jit=False)
    assert stats["opcodes"] == SUM_LOOP_10
    assert sum(stats["opcodes"].values()) == stats["instructions"] == 39
    assert "opcodes_compiled" not in stats


def test_opcodes_by_hand_with_a_compiled_trace():
    stats = stats_of(SUM_LOOP, 10, hot_loop=1)
    assert stats["opcodes"] == SUM_LOOP_10
    assert stats["instructions"] == 39
    # iteration 1 is recorded (interpreted); the trace runs iterations 2..9 whole (each
    # passing the header again) and iteration 10 up to its FORLOOP, which exits
    assert stats["opcodes_compiled"] == {"IADD": 9, "FORLOOP": 8, "LOOP": 8}
    assert stats["jit_coverage"] == pytest.approx(25 / 39)
    assert stats["trace_cache"] == {"lookups": 2, "hits": 1, "misses": 1, "recordings": 1}
    assert stats["compiles"] == stats["traces_compiled"] == 1


def test_side_trace_paths_are_attributed_exactly():
    interpreted = stats_of(THREE_WAYS, 100, jit=False)
    compiled = stats_of(THREE_WAYS, 100, hot_loop=1, hot_exit=1)
    assert compiled["side_traces"] == 2
    assert compiled["compiles"] == 3
    assert compiled["opcodes"] == interpreted["opcodes"]
    assert compiled["instructions"] == interpreted["instructions"] == sum(interpreted["opcodes"].values())
    assert compiled["opcodes_compiled"]["JUMP"] > 0          # only the middle path has a JUMP


def test_budget_exit_leaves_the_last_header_to_the_interpreter():
    vm = tracejit.VM(hot_loop=1, fuel=50)
    module = vm.load_source(SUM_LOOP, "prog.py")
    with pytest.raises(tracejit.FuelExhausted):
        module.call("main", 1000)
    stats = vm.stats()
    # the trace ran its budget of 50 iterations and returned at the loop header
    assert stats["opcodes_compiled"] == {"IADD": 50, "FORLOOP": 50, "LOOP": 49}
    assert sum(stats["opcodes"].values()) == stats["instructions"]


def test_trace_cache_counts_lookups_of_an_inner_loop():
    source = ("def main(n):\n    t = 0.0\n    for i in range(n):\n        j = 0\n"
              "        while j < 50:\n            t += j * 0.5\n            j += 1\n    return t\n")
    stats = stats_of(source, 20, hot_loop=10)
    cache = stats["trace_cache"]
    assert cache["hits"] == stats["trace_entries"] > 0
    assert cache["lookups"] == cache["hits"] + cache["misses"]
    assert cache["recordings"] >= stats["traces_compiled"] >= 1


def _program(name):
    path = os.path.join(PROGRAMS_DIR, name + ".py")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    namespace = {"__name__": "prog_" + name}
    exec(compile(source, path, "exec"), namespace)
    return source, namespace["TEST_N"]


def _opcodes(source, n, mode):
    vm = vm_for(mode)
    vm.load_source(source, "<prog>").call("main", n)
    stats = vm.stats()
    assert sum(stats["opcodes"].values()) == stats["instructions"], mode
    return stats["opcodes"]


# programs with side traces, inlined calls, arrays and lists in their traces
@pytest.mark.parametrize("name", ["collatz", "floyd_warshall", "spectral_norm", "histogram", "dot_numpy"])
def test_opcode_counts_do_not_depend_on_the_jit(name):
    source, n = _program(name)
    counts = {mode: _opcodes(source, n, mode) for mode in MODES}
    assert counts["jit"] == counts["jit-hot1"] == counts["interp"]


# an inner loop left through an exit its outer trace does not expect (the k loop's last
# run of the i loop), and a side trace grown from there: each passes the inner header
INNER_EXITS = """
INF = 1000
def main(n):
    dist = [INF] * (n * n)
    for i in range(n):
        dist[i * n + i] = 0
    for k in range(n):
        for i in range(n):
            dik = dist[i * n + k]
            if dik == INF:
                continue
            for j in range(n):
                nd = dik + dist[k * n + j]
                if nd < dist[i * n + j]:
                    dist[i * n + j] = nd
    return dist
"""


@pytest.mark.parametrize("n", [4, 6])
def test_opcode_counts_with_inner_loop_exits(n):
    counts = {mode: _opcodes(INNER_EXITS, n, mode) for mode in MODES}
    assert counts["jit"] == counts["jit-hot1"] == counts["interp"]


# the outer loop's exit into the if grows a side trace; its first recording meets the
# while loop before that has a trace and waits (``JIT.side_trace_aborted``): the exits
# taken while it waits ran instructions too
WAITS_FOR_INNER = """
def main(n):
    total = 0
    for i in range(n):
        if i >= n // 2:
            j = 0
            while j < 3:
                total += j
                j += 1
        total += 1
    return total
"""


@pytest.mark.parametrize("options", [{"hot_loop": 1, "hot_exit": 1}, {"hot_loop": 10, "hot_exit": 2}])
def test_opcode_counts_keep_the_exits_a_side_recording_waited_through(options):
    interpreted = stats_of(WAITS_FOR_INNER, 40, jit=False)
    compiled = stats_of(WAITS_FOR_INNER, 40, **options)
    assert compiled["abort_reasons"] == {"INNER_LOOP": 1}     # the side recording waited
    assert compiled["side_traces"] == 1
    assert compiled["opcodes"] == interpreted["opcodes"]
    assert sum(compiled["opcodes"].values()) == compiled["instructions"] == interpreted["instructions"]


@pytest.mark.parametrize("name", ["nbody", "fib", "histogram", "string_build"])
def test_profile_mode_changes_no_result_and_no_count(name, capsys):
    source, n = _program(name)
    assert_same(source, "main", (n,), modes=list(PROFILE_MODES))
    expected = _opcodes(source, n, "interp")
    for mode in PROFILE_MODES:
        assert _opcodes(source, n, mode) == expected, mode


def test_profile_stats_split_the_run_time():
    vm = tracejit.VM(hot_loop=5, profile=True)
    vm.load_source(THREE_WAYS, "prog.py").call("main", 300)
    stats = vm.stats()
    profile = stats["profile"]
    assert profile["method"] == "counting" and profile["memory"]
    assert set(profile["time"]) == {"instructions", "measurement", "calls_returns", "jit_hot_loops",
                                    "jit_recording", "jit_compiling", "other"}
    assert sum(profile["time"].values()) == pytest.approx(stats["run_seconds"])
    assert profile["time"]["jit_compiling"] == stats["compile_seconds"]
    # the profile times the interpreter's executions: those not run in compiled traces
    compiled = stats["opcodes_compiled"]
    for name, row in profile["opcodes"].items():
        assert row["count"] == stats["opcodes"][name] - compiled.get(name, 0)
        assert row["seconds"] >= 0 and row["allocated_bytes"] >= 0


def test_profile_option_is_checked():
    with pytest.raises(ValueError):
        tracejit.VM(profile="memory")
    assert "profile" not in tracejit.VM(jit=False).stats()


def test_stats_table_flattens_nested_dicts():
    from tracejit.tables import stats_tables
    summary, _ = stats_tables({"jit": False, "instructions": 0, "opcodes": {},
                               "opt_passes": {"fold": {"runs": 3, "seconds": 0.5}}, "plain": 7})
    names = list(summary.columns[0].cells)
    values = list(summary.columns[1].cells)
    rows = {str(name): value for name, value in zip(names, values)}
    assert rows["opt_passes[fold][runs]"] == "3" and rows["opt_passes[fold][seconds]"] == "0.5"
    assert rows["plain"] == "7"
