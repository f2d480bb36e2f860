"""The persistent trace cache with the JIT: a second process finds every trace in the
cache and runs it without importing Numba, with the results and exits of the first;
damaged entries are ignored (with a ``cache`` log event) and recompiled; concurrent
writers share one directory. Each run is a subprocess with its own cache directory."""
import json
import os
import shutil
import subprocess
import sys

import pytest

import tracejit
from tracejit.backend import numba_backend, numba_compile
from tracejit.cache import TraceCache, store
from tracejit.cache.key import entry_key
from tracejit.cache.link import compiler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
pytestmark = pytest.mark.skipif(compiler() is None, reason="no C compiler: nothing is cached")

# an outer loop calling a compiled inner loop, a branch that flips at i == n // 2 (a side
# trace), a pow call (libm's pow linked in) and list reads and writes
PROGRAM = """
import math

def main(n):
    xs = [1.5, 2.0, 3.25, 4.0]
    total = 0.0
    count = 0
    for i in range(n):
        j = 0
        while j < 4:
            total += xs[j] * 0.5
            j += 1
        if i < n // 2:
            total += math.pow(1.0001, i)
        else:
            count += 1
            xs[i % 4] = xs[i % 4] + 0.25
    return total, count
"""
N = 3000
RUNNER = """
import json, sys
import tracejit
vm = tracejit.VM(hot_loop=20, hot_exit=5)
events = []

def listen(kind, fields):
    if kind in ("compiled", "side", "cache", "promote"):
        events.append({name: value for name, value in fields.items() if name != "details"})

vm.jit.listeners.append(listen)
result = vm.load_file(sys.argv[1]).call("main", int(sys.argv[2]))
stats = vm.stats()
keys = ("traces_compiled", "traces_from_cache", "side_traces", "side_exits", "trace_entries",
        "jit_coverage", "trace_aborts", "promotions", "compile_seconds")
print(json.dumps({"result": result, "numba": "numba" in sys.modules, "events": events,
                  "stats": {key: stats[key] for key in keys}}))
"""


def _expected():
    namespace = {}
    exec(PROGRAM, namespace)
    return list(namespace["main"](N))


def _start(tmp_path, cache_dir, program_text=PROGRAM, **env):
    program = tmp_path / "prog.py"
    program.write_text(program_text)
    # (traces get their machine code at once unless a test says otherwise: only machine
    # code is cached, and a tree that grows in the Python tier never has any)
    environment = dict(os.environ, TRACEJIT_CACHE_DIR=str(cache_dir), TRACEJIT_HOT_COMPILE="0",
                       PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    environment.update(env)
    environment.pop("TRACEJIT_CACHE", None)     # (a developer's setting must not turn the cache off)
    return subprocess.Popen([sys.executable, "-c", RUNNER, str(program), str(N)], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process):
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out.splitlines()[-1])


def run(tmp_path, cache_dir, program_text=PROGRAM, **env):
    return _finish(_start(tmp_path, cache_dir, program_text, **env))


def cache_events(run_, action):
    return [e for e in run_["events"] if "action" in e and e["action"] == action]


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    """A first run into an empty cache: (its output, the filled cache directory)."""
    tmp = tmp_path_factory.mktemp("cold")
    first = run(tmp, tmp / "cache")
    assert first["result"] == _expected()
    assert first["stats"]["traces_compiled"] >= 2 and first["stats"]["side_traces"] >= 1, first
    assert first["stats"]["traces_from_cache"] == 0 and first["numba"]
    assert not cache_events(first, "not_cacheable") and not cache_events(first, "store_failed"), first
    return first, tmp / "cache"


def copy_of(cache_dir, tmp_path):
    copy = tmp_path / "cache"
    shutil.copytree(cache_dir, copy)
    return copy


def test_a_warm_run_loads_every_trace_from_the_cache_without_numba(cold, tmp_path):
    first, cache_dir = cold
    warm = run(tmp_path, copy_of(cache_dir, tmp_path))
    assert warm["result"] == first["result"] == _expected()
    assert not warm["numba"]
    assert warm["stats"]["traces_compiled"] == 0
    assert warm["stats"]["traces_from_cache"] == first["stats"]["traces_compiled"]
    # the same traces, side traces and exits as the first run
    for key in ("side_traces", "side_exits", "trace_entries", "jit_coverage", "trace_aborts"):
        assert warm["stats"][key] == first["stats"][key], key
    made = [e for e in warm["events"] if e.get("action") is None]
    assert made and all(e["from_cache"] and e["compile_ms"] == 0 for e in made)
    assert all(not e["from_cache"] for e in first["events"] if e.get("action") is None)


# one loop, which starts in the Python tier (a branch flipping at n // 3 grows a side
# trace after the first promotion)
FLAT = """
def main(n):
    xs = [1, 2, 3]
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += xs[i % 3]
        else:
            total -= 1
        if i > n // 3:
            total += i * 2     # two instructions: a side trace (one would be converted)
    return [total, n]
"""


def test_trees_promoted_from_the_python_tier_come_from_the_cache_in_a_warm_run(tmp_path):
    # every tree the first run promoted was stored; the second finds each at once
    cold_dir = tmp_path / "cold"
    cold_dir.mkdir()
    first = run(cold_dir, cold_dir / "cache", FLAT, TRACEJIT_HOT_COMPILE="200")
    namespace = {}
    exec(FLAT, namespace)
    assert first["result"] == namespace["main"](N) and first["numba"]
    assert first["stats"]["promotions"] >= 2 and first["stats"]["side_traces"] >= 1, first
    promoted = [e for e in first["events"] if "iterations" in e]
    assert len(promoted) == first["stats"]["promotions"]
    assert all(not e["from_cache"] and e["compile_ms"] > 0 and e["iterations"] >= 200 for e in promoted)
    assert all(e["compile_ms"] == 0 for e in first["events"] if "sides" in e or "kind" in e)   # Python tier
    warm = run(tmp_path, copy_of(cold_dir / "cache", tmp_path), FLAT, TRACEJIT_HOT_COMPILE="200")
    assert warm["result"] == first["result"]
    assert not warm["numba"] and warm["stats"]["compile_seconds"] == 0
    assert warm["stats"]["side_traces"] == first["stats"]["side_traces"]
    # versions the first run grew in the Python tier run there again; the others are loaded
    made = [e for e in warm["events"] if "sides" in e or "kind" in e]
    assert any(e["from_cache"] for e in made) and all(e["compile_ms"] == 0 for e in made)
    assert all(e["from_cache"] for e in warm["events"] if "iterations" in e)


DAMAGE = {
    "truncated": lambda data: data[:len(data) // 2],
    "checksum mismatch": lambda data: data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:],
    "format version": lambda data: data[:8] + (7).to_bytes(4, "little") + data[12:],
}


def test_damaged_entries_are_ignored_with_an_event_and_recompiled(cold, tmp_path):
    first, cache_dir = cold
    damaged_dir = copy_of(cache_dir, tmp_path)
    paths = sorted(path for path, _, _ in store.EntryStore(str(damaged_dir)).entries())
    reasons = list(DAMAGE)
    for number, path in enumerate(paths):
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(DAMAGE[reasons[number % len(reasons)]](data))
    again = run(tmp_path, damaged_dir)
    assert again["result"] == _expected()
    rejected = cache_events(again, "rejected")
    assert len(rejected) == len(paths), again["events"]
    for reason in reasons[:len(paths)]:
        assert any(reason in event["detail"] for event in rejected), (reason, rejected)
    assert again["stats"]["traces_compiled"] == first["stats"]["traces_compiled"]
    # the recompiled code replaced the damaged entries
    fixed = run(tmp_path, damaged_dir)
    assert fixed["result"] == _expected() and not fixed["numba"] and not cache_events(fixed, "rejected")


def test_two_processes_compiling_into_one_cache_at_once(tmp_path):
    shared = tmp_path / "shared"
    runs = [_finish(process) for process in [_start(tmp_path, shared), _start(tmp_path, shared)]]
    assert all(r["result"] == _expected() for r in runs)
    assert all(not cache_events(r, "rejected") for r in runs)
    assert not [name for name in os.listdir(shared) if name.startswith(store.TEMP_PREFIX)]
    warm = run(tmp_path, shared)
    assert warm["result"] == _expected() and not warm["numba"] and not cache_events(warm, "rejected")


def test_the_cache_size_cap_holds_after_a_run(tmp_path):
    capped = tmp_path / "capped"
    result = run(tmp_path, capped, TRACEJIT_CACHE_MAX_MB="0.03")
    assert result["result"] == _expected()
    sizes = [size for _, size, _ in store.EntryStore(str(capped)).entries()]
    assert sizes and sum(sizes) <= 0.03 * 2**20


def test_machine_code_that_needs_other_libraries_is_run_but_not_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(numba_backend, "_compiled_cache", {})     # compile again in this process
    source = tmp_path / "needs.c"
    source.write_text("extern void *numba_unpickle(void *);\nvoid *f(void *p) { return numba_unpickle(p); }\n")
    subprocess.run(compiler() + ["-c", "-fPIC", "-o", str(tmp_path / "needs.o"), str(source)], check=True)
    monkeypatch.setattr(numba_compile, "object_code", lambda *code: (tmp_path / "needs.o").read_bytes())
    events = []
    vm = tracejit.VM(hot_loop=5, hot_compile=0, cache=TraceCache(str(tmp_path / "cache")))
    vm.jit.listeners.append(lambda kind, fields: events.append((kind, fields)))
    module = vm.load_source("def main(n):\n    s = 0\n    for i in range(n):\n        s += i * 3\n    return s\n")
    assert module.call("main", 100) == sum(i * 3 for i in range(100))
    assert vm.stats()["traces_compiled"] == 1
    (event,) = [fields for kind, fields in events if kind == "cache"]
    assert event["action"] == "not_cacheable" and "numba_unpickle" in event["detail"]
    assert store.EntryStore(str(tmp_path / "cache")).entries() == []


def test_an_outer_trace_compiles_against_a_cached_inner_loop_and_is_stored(cold, tmp_path, monkeypatch):
    """The inner loop's machine code came from the cache (no Numba body yet): compiling
    the outer trace compiles the inner's body for it, and the stored outer trace holds
    the inner's code."""
    first, cache_dir = cold
    directory = copy_of(cache_dir, tmp_path)
    program = tmp_path / "prog.py"
    program.write_text(PROGRAM)
    loaded = []
    original_load = TraceCache.load

    def spy(self, trace_key, symbol, c_types):
        found = original_load(self, trace_key, symbol, c_types)
        if found is not None:
            loaded.append(self.store.path(entry_key(trace_key)))
        return found

    monkeypatch.setattr(TraceCache, "load", spy)

    def run_in_process():
        monkeypatch.setattr(numba_backend, "_compiled_cache", {})
        events = []
        vm = tracejit.VM(hot_loop=20, hot_exit=5, cache=TraceCache(str(directory)))
        vm.jit.listeners.append(lambda kind, fields: events.append((kind, fields.get("action"))))
        assert list(vm.load_file(str(program)).call("main", N)) == _expected()
        return vm.stats(), events

    stats, _ = run_in_process()
    assert stats["traces_compiled"] == 0 and len(loaded) >= 2
    inner = loaded[0]               # the inner loop is compiled (and found) first
    for path, _, _ in store.EntryStore(str(directory)).entries():
        if path != inner:
            os.remove(path)
    loaded.clear()
    stats, events = run_in_process()
    assert loaded == [inner] and stats["traces_from_cache"] == 1 and stats["traces_compiled"] >= 1
    assert ("cache", "not_cacheable") not in events and ("cache", "store_failed") not in events
    warm = run(tmp_path, directory)
    assert warm["result"] == _expected() and not warm["numba"] and warm["stats"]["traces_compiled"] == 0
