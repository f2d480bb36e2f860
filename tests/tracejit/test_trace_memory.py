"""Bounded trace memory (tracejit/trace_memory.py): trees are evicted under
``max_trace_mem``, coldest first and callers before the inner trees they call; evicted
loops are recorded again (backing off, then blacklisted); nothing evicted is kept
alive; results never change (CPython is the oracle)."""
import contextlib
import gc
import io
import os
import subprocess
import sys
import weakref

import pytest

import tracejit
from conftest import program_paths
from differential import MEMORY_MODES, assert_same, run_cpython, same_value
from tracejit import log
from tracejit.backend import numba_backend
from tracejit.cli import build_parser
from tracejit.trace_memory import DEFAULT_MAX_TRACE_MEM, MAX_EVICTIONS, parse_size, tree_bytes, versions

LOOPS = """
def a(n):
    s = 0
    for i in range(n):
        s += i * 3 % 7
    return s

def b(n):
    t = 0.0
    for i in range(n):
        t += i * 0.25
    return t

def c(xs):
    m = -1
    for x in xs:
        if x > m:
            m = x
        else:
            m -= 0
    return m

def nest(n, k):
    s = 0
    for i in range(n):
        for j in range(k):
            s += (i * j) % 5
    return s

def branchy(n):
    s = 0
    t = 0.0
    for i in range(n):
        if i % 3 == 0:
            s += i
        elif i % 3 == 1:
            t += i * 0.5
        else:
            s -= 1
    return s + int(t)

def main(rounds):
    xs = []
    for i in range(60):
        xs.append(i * 7 % 13)
    out = []
    for r in range(rounds):
        out.append(a(40 + r))
        out.append(b(30 + r))
        out.append(c(xs))
        out.append(nest(6, 9 + r % 3))
        out.append(branchy(50 + r))
    return out
"""

# The counting tests' program: LOOPS with other constants, run only with the persistent
# cache off, so that every tree is Numba's and estimated as such (a tree whose code a
# test with the cache on loaded into this process is estimated far smaller).
COUNTED = (LOOPS.replace("i * 3 % 7", "i * 5 % 9").replace("i * 0.25", "i * 0.75")
           .replace("(i * j) % 5", "(i * j) % 6").replace("t += i * 0.5", "t += i * 1.5"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(tracejit.__file__)))
ONE_TREE = "2M"       # holds one small tree (about 1.6 MiB compiled by Numba), not two
TWO_LOOPS = """
def p(n):
    s = 0
    for i in range(n):
        s += i * %d %% 11
    return s

def q(n):
    t = 0.0
    for i in range(n):
        t += i * %d.5
    return t
"""


def run_checked(source, fn, args, seen=None, **options):
    """Run ``fn(*args)`` in a VM with ``options`` and assert CPython's result; the VM.
    ``seen``: a list to collect the JIT's events in, checking the invariants meanwhile."""
    expected = run_cpython(source, fn, args)
    vm = tracejit.VM(**{"hot_compile": 0, **options})    # (Numba's code is what fills memory)
    if seen is not None:
        vm.jit.listeners.append(checking_listener(vm, seen))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        value = vm.load_source(source, "<prog>").call(fn, *args)
    assert expected.error is None and same_value(expected.value, value) and out.getvalue() == expected.printed
    return vm


def check_memory(vm):
    """The invariants the JIT keeps after every install: within the bound, the total is
    the sum of the live trees' estimates, every tree an installed tree calls is live."""
    memory = vm.jit.memory
    assert memory.total <= memory.max_bytes
    assert memory.sizes == {t.number: tree_bytes(t) for t in vm.jit.installed}
    live = {t.number for t in vm.jit.installed}
    assert all(inner.number in live for t in vm.jit.installed for v in versions(t) for inner in v.nested)


def checking_listener(vm, seen):
    """A JIT listener appending (kind, fields) to ``seen`` and checking ``check_memory``
    at each install; evictions happen only while no recording observes. A failed check
    is appended as ("broken", message): the JIT detaches a listener that raises."""
    def listener(kind, fields):
        seen.append((kind, fields))
        try:
            if kind in ("compiled", "side"):
                check_memory(vm)
            if kind == "evict":
                assert vm.jit.recorder is None, "evicted while recording"
        except AssertionError as exc:
            seen.append(("broken", str(exc)))
    return listener


def events(seen, kind) -> list:
    """The fields of the events of ``kind`` in ``seen``, after checking none broke an invariant."""
    assert [f for k, f in seen if k == "broken"] == []
    return [f for k, f in seen if k == kind]


def bounded_vm(seen, **options):
    vm = tracejit.VM(**{"hot_compile": 0, **options})
    vm.jit.listeners.append(checking_listener(vm, seen))
    return vm


# ----- options ------------------------------------------------------------------------------------
def test_parse_size():
    assert parse_size(1000) == 1000
    assert parse_size("4096") == 4096
    assert parse_size("64M") == 64 * 2**20
    assert parse_size("64MiB") == parse_size("64mb") == 64 * 2**20
    assert parse_size("1.5G") == 3 * 2**29
    assert parse_size("512K") == 2**19
    for bad in ("0", 0, -5, "-1M", "abc", "12X", "", "1.5.2M"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_the_option_from_the_vm_the_environment_and_the_command_line(monkeypatch):
    assert tracejit.VM().jit.memory.max_bytes == DEFAULT_MAX_TRACE_MEM == 256 * 2**20
    assert tracejit.VM(max_trace_mem="3M").jit.memory.max_bytes == 3 * 2**20
    assert tracejit.VM(max_trace_mem=5000).stats()["max_trace_mem"] == 5000
    monkeypatch.setenv("TRACEJIT_MAX_TRACE_MEM", "7M")
    assert tracejit.VM().jit.memory.max_bytes == 7 * 2**20
    assert tracejit.VM(max_trace_mem="1G").jit.memory.max_bytes == 2**30   # the argument wins
    with pytest.raises(ValueError):
        tracejit.VM(max_trace_mem="lots")
    assert build_parser().parse_args(["run", "p.py", "--max-trace-mem", "64M"]).max_trace_mem == 64 * 2**20
    assert build_parser().parse_args(["run", "p.py"]).max_trace_mem is None
    with pytest.raises(SystemExit) as exc, contextlib.redirect_stderr(io.StringIO()):
        build_parser().parse_args(["run", "p.py", "--max-trace-mem", "0"])
    assert exc.value.code == 2


# ----- results never change -----------------------------------------------------------------------
def test_several_loops_nests_and_side_traces_under_tiny_bounds():
    assert_same(LOOPS, "main", (8,), modes=list(MEMORY_MODES))


def test_eviction_happens_often_and_keeps_the_invariants():
    seen = []
    vm = run_checked(COUNTED, "main", (8,), seen, hot_loop=1, hot_exit=1, max_trace_mem="3M", cache=False)
    stats = vm.stats()
    assert len(events(seen, "evict")) == stats["traces_evicted"] >= 5, stats
    assert stats["trace_rerecords"] >= 2, stats
    assert stats["trace_mem"] <= stats["max_trace_mem"]
    check_memory(vm)


# ----- counting -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compiled_loops():
    """A VM holding the trees of ``COUNTED`` (big bound): while it lives, other VMs find
    identical trees' machine code in this process and compile nothing again."""
    vm = tracejit.VM(hot_loop=1, hot_exit=1, cache=False)
    vm.load_source(COUNTED, "<prog>").call("main", 8)
    vm2 = tracejit.VM(hot_loop=5, cache=False)
    module = vm2.load_source(COUNTED, "<prog>")
    for name, arg in (("a", 50), ("b", 50)):
        module.call(name, arg)
    return vm, vm2


def test_the_bound_holds_after_every_install_and_evicted_loops_compile_again(compiled_loops):
    seen = []
    vm = bounded_vm(seen, hot_loop=5, max_trace_mem=ONE_TREE, cache=False)
    module = vm.load_source(COUNTED, "<prog>")
    for _ in range(3):
        assert module.call("a", 50) == sum(i * 5 % 9 for i in range(50))
        assert module.call("b", 50) == sum(i * 0.75 for i in range(50))
        check_memory(vm)
        assert len(vm.jit.installed) == 1        # the bound holds one tree: the last one installed
    stats = vm.stats()
    evicted = events(seen, "evict")
    compiled = events(seen, "compiled")
    assert stats["traces_evicted"] == len(evicted) == len(compiled) - 1 >= 4
    assert stats["traces_compiled"] == len(compiled)
    # both loops were evicted and compiled again, under new trace numbers
    lines = {f["where"] for f in evicted}
    assert len(lines) == 2
    assert stats["trace_rerecords"] == len(compiled) - 2
    assert len({f["number"] for f in compiled}) == len(compiled)
    # what evicted trees ran still counts: the same instructions per opcode as with the JIT off
    off = tracejit.VM(jit=False).load_source(COUNTED, "<prog>")
    for _ in range(3):
        off.call("a", 50), off.call("b", 50)
    assert stats["opcodes"] == off.vm.stats()["opcodes"]
    assert sum(stats["opcodes_compiled"].values()) > 0


def test_an_evicted_loop_backs_off_then_is_blacklisted(compiled_loops):
    seen = []
    vm = bounded_vm(seen, hot_loop=5, max_trace_mem=ONE_TREE, cache=False)
    module = vm.load_source(COUNTED, "<prog>")
    counters = []
    for _ in range(2 * MAX_EVICTIONS + 2):
        module.call("a", 100)
        module.call("b", 100)
        (decoded, loop), = [key for key in vm.jit.loops if key[0].code.name == "a"]
        counters.append(decoded.loop_counters[loop])
    evicted = events(seen, "evict")
    by_loop = {}
    for f in evicted:
        by_loop.setdefault(f["where"], []).append(f["evictions"])
    assert all(counts == list(range(1, len(counts) + 1)) and len(counts) <= MAX_EVICTIONS
               for counts in by_loop.values()), by_loop
    blacklisted = [f for f in evicted if f["blacklisted"]]
    assert len(blacklisted) == 1 and blacklisted[0]["evictions"] == MAX_EVICTIONS
    assert vm.stats()["blacklisted_loops"] == 1
    # after each eviction the counter restarted at hot_loop << evictions (a's counter is
    # read after b's call, which evicted a's tree)
    assert any(counter == 5 << 1 for counter in counters) and any(counter == 5 << 2 for counter in counters)


def test_an_evicted_tree_is_not_kept_alive():
    """No reference to an evicted tree or its machine code is left (cache off: each
    compilation is Numba's; two fresh loops, so no other test holds their code)."""
    source = TWO_LOOPS % (9173, 9174)
    vm = tracejit.VM(hot_loop=5, max_trace_mem=ONE_TREE, cache=False, hot_compile=0)
    module = vm.load_source(source, "<prog>")
    module.call("p", 50)
    first, = vm.jit.installed
    code = first.compiled.code
    refs = [weakref.ref(first), weakref.ref(code), weakref.ref(code.body()), weakref.ref(first.xi)]
    key = code.key
    del first, code
    module.call("q", 50)
    assert vm.stats()["traces_evicted"] == 1 and len(vm.jit.installed) == 1
    gc.collect()
    assert [r() for r in refs] == [None] * len(refs)
    assert key not in numba_backend._compiled_cache
    module.call("p", 50 + (5 << 1))                  # hot again: Numba compiles it again
    stats = vm.stats()
    assert stats["traces_compiled"] == 3 and stats["trace_rerecords"] == 1 and stats["traces_evicted"] == 2
    assert key in numba_backend._compiled_cache


def test_inner_trees_are_evicted_after_the_trees_that_call_them(compiled_loops):
    """The outer tree of ``nest`` calls its inner loop's tree: an install that needs room
    evicts the outer tree first, never the inner one while the outer one lives."""
    seen = []
    vm = bounded_vm(seen, hot_loop=5, max_trace_mem="12M", cache=False)
    module = vm.load_source(COUNTED, "<prog>")
    module.call("nest", 20, 9)
    callers = {t.number: [inner.number for inner in t.nested] for t in vm.jit.installed}
    outer, = [number for number, inner in callers.items() if inner]
    inner, = callers[outer]
    for name in ("a", "b", "branchy", "a", "b", "branchy"):
        module.call(name, 60)
        check_memory(vm)
    evicted = [f["number"] for f in events(seen, "evict")]
    assert outer in evicted, (evicted, callers)
    if inner in evicted:
        assert evicted.index(outer) < evicted.index(inner)


def test_a_tree_bigger_than_the_bound_is_not_installed():
    seen = []
    vm = run_checked(TWO_LOOPS % (3, 4), "p", (60,), seen, hot_loop=5, max_trace_mem="100K")
    stats = vm.stats()
    assert stats["trace_mem"] == 0 and not vm.jit.installed
    assert stats["abort_reasons"] == {"TRACE_MEM": 1} and stats["blacklisted_loops"] == 1
    abort, = events(seen, "abort")
    assert "the tree needs" in abort["detail"] and "more than max_trace_mem 100.0 KiB" in abort["detail"]


def test_a_tree_grows_no_side_trace_beyond_the_bound(compiled_loops):
    """A side trace that would not fit is not recorded (the tree is full: logged why)."""
    seen = []
    vm = run_checked(COUNTED, "branchy", (300,), seen, hot_loop=5, hot_exit=2, max_trace_mem="2500K", cache=False)
    full = events(seen, "tree_full")
    assert full and "max_trace_mem" in full[0]["limit"], seen
    assert vm.stats()["side_traces"] == 0 and len(vm.jit.installed) == 1


# ----- the persistent cache: evicted shared objects are unloaded, their files closed ----------------
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc/self/fd")
def test_evicting_cache_loaded_trees_leaks_no_files(tmp_path):
    source = TWO_LOOPS % (7411, 7412)
    filler = tracejit.VM(hot_loop=5, cache=str(tmp_path))
    module = filler.load_source(source, "<prog>")
    module.call("p", 50), module.call("q", 50)
    keys = [t.compiled.code.key for t in filler.jit.installed]
    if filler.jit.cache.stored < 2:
        pytest.skip("the persistent cache stores nothing here (no C compiler?)")
    del filler, module
    for key in keys:                  # only the files can give the code now
        numba_backend._compiled_cache.pop(key)
    vm = tracejit.VM(hot_loop=5, cache=str(tmp_path), max_trace_mem="250K")   # one loaded tree
    module = vm.load_source(source, "<prog>")
    module.call("p", 50), module.call("q", 50)
    gc.collect()
    files = len(os.listdir("/proc/self/fd"))
    for round_ in range(1, 3):
        module.call("p", 50 + (5 << (2 * round_))), module.call("q", 50 + (5 << (2 * round_)))
    gc.collect()
    stats = vm.stats()
    assert stats["traces_from_cache"] >= 4 and stats["traces_evicted"] >= 3, stats
    assert len(os.listdir("/proc/self/fd")) <= files


# ----- the trace log and -jv ------------------------------------------------------------------------
def test_evictions_in_the_log_and_on_the_command_line(tmp_path, compiled_loops):
    path = tmp_path / "prog.py"
    path.write_text(COUNTED + "\nfor r in range(3):\n    a(50)\n    b(50)\n")
    result = subprocess.run([sys.executable, "-m", "tracejit", "run", str(path), "--hot-loop", "5", "--hot-compile", "0",
                             "--max-trace-mem", ONE_TREE, "--no-cache", "-jv", "--stats",
                             "--log", str(tmp_path / "log.jsonl")],
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if " evicted (" in line]
    assert lines and lines[0].startswith("[TRACE   1 prog.py:4 evicted ("), result.stderr
    assert "coldest: last entered" in lines[0] and "of 2.0 MiB]" in lines[0]
    stats = {line.split()[0]: line.split()[-1] for line in result.stderr.splitlines() if line.strip()}
    assert int(stats["traces_evicted"]) == len(lines) and int(stats["trace_mem"]) <= 2 * 2**20
    events = log.read_log(str(tmp_path / "log.jsonl"))
    assert events[0]["max_trace_mem"] == 2 * 2**20
    evicts = [e for e in events if e["event"] == "evict"]
    assert len(evicts) == len(lines)
    exits = [e for e in events if e["event"] == "exits" and e["reason"] == "evict"]
    assert [e["traces"][0]["number"] for e in exits] == [e["number"] for e in evicts]
    shown = subprocess.run([sys.executable, "-m", "tracejit", "log", "show", str(tmp_path / "log.jsonl")],
                           capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert "---- TRACE 1 evicted (" in shown.stdout, shown.stdout + shown.stderr


# ----- every program of tests/programs under tiny bounds --------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("path", program_paths(), ids=lambda p: os.path.basename(p)[:-3])
def test_programs_under_tiny_bounds(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    namespace = {"__name__": "prog"}
    exec(compile(source, path, "exec"), namespace)
    outcome = assert_same(source, "main", (namespace["TEST_N"],), modes=list(MEMORY_MODES))
    assert outcome.error is None
