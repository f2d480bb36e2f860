"""What the asv benchmarks share: the programs and their sizes, loading them into a VM,
warming Numba up, and profiling a run through the JIT's events.

Invariants:
  - ``SIZES`` keeps one interpreted call of every program around 0.05-0.5 s, so a
    full ``asv run`` of a commit takes minutes on a 2-core machine;
  - nothing here compiles a trace of a benchmark program except the benchmark itself
    (``warm_numba`` compiles an unrelated loop), so a benchmark that runs once per
    process sees an empty trace cache: a cold run is really cold; the persistent trace
    cache (docs/cache.md) is off for the same reason: every VM is made by ``new_vm``,
    with ``TRACEJIT_CACHE=0`` set while it is made (older commits ignore it; the
    whole-process benchmark sets it in its process);
  - programs come from this checkout's tests/programs, so every commit runs the same
    workload.
"""
from __future__ import annotations

import contextlib
import os
import sys

import tracejit
from tracejit.log import COMPILE_EVENTS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from suite import module_constant  # noqa: E402

PROGRAMS_DIR = os.path.join(ROOT, "tests", "programs")

# program -> n for the timed runs (interpreter, cold JIT, steady state)
SIZES = {
    "leibniz_pi": 200_000,
    "histogram": 60_000,
    "collatz": 2_000,
    "spectral_norm": 30,
    "nbody": 1_000,
    "dot_numpy": 10_000,
    "lcg_bits": 20_000,
}
PROGRAMS = list(SIZES)

WARM_UP_SOURCE = """
def warm(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s
"""


class PerProgram:
    """asv parameters shared by every benchmark class: one benchmark per program."""
    params = PROGRAMS
    param_names = ["program"]


class Sampled(PerProgram):
    """Several samples in each of two processes; setup (re-run before every sample)
    must be cheap after its first run."""
    rounds = 2
    repeat = (2, 5, 5.0)
    warmup_time = 0.0


class OneCallPerProcess(PerProgram):
    """Exactly one timed call per process (two processes): for calls that must be the
    first of their kind, since a second one would find the traces in the backend's
    in-process cache."""
    number = 1
    repeat = 1
    min_run_count = 1
    warmup_time = 0.0
    rounds = 2


def program_path(name: str) -> str:
    return os.path.join(PROGRAMS_DIR, name + ".py")


def test_n(name: str) -> int:
    """The program's TEST_N: small, but with loops hot enough to compile."""
    return module_constant(program_path(name), "TEST_N")


def quiet_call(module, n):
    """``module.call("main", n)`` with the program's printing discarded."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        return module.call("main", n)


def new_vm(**options):
    """``tracejit.VM(**options)`` without the persistent trace cache (see the invariants)."""
    saved = os.environ.get("TRACEJIT_CACHE")
    os.environ["TRACEJIT_CACHE"] = "0"
    try:
        return tracejit.VM(**options)
    finally:
        if saved is None:
            del os.environ["TRACEJIT_CACHE"]
        else:
            os.environ["TRACEJIT_CACHE"] = saved


def load(name: str, jit: bool, **options):
    """A fresh VM with the program loaded (its top level run): (vm, module)."""
    vm = new_vm(jit=jit, **options)
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        module = vm.load_file(program_path(name))
    return vm, module


def warm_numba():
    """Compile one unrelated trace, so Numba's one-time start-up (LLVM, typing
    tables) is not charged to the benchmark that compiles next in this process."""
    vm = new_vm(jit=True, hot_loop=2, hot_compile=0)     # machine code at once: Numba starts up
    vm.load_source(WARM_UP_SOURCE, "<warm-up>").call("warm", 100)


def profile(name: str, n: int) -> dict:
    """Run main(n) once in a fresh JIT VM and summarize what the JIT did.

    Returns stats figures and per-trace means from the events: IR ops and guards of
    root traces ("compiled" events; "side" events carry no counts), compile ms of
    every Numba compilation (a tree compiled when made, or promoted from the Python
    tier: "promote" events); a mean over no traces is 0.
    """
    vm, module = load(name, jit=True)
    compiled, compile_ms = [], []

    def listener(kind, fields):
        if kind == "compiled":
            compiled.append(fields)
        if kind in COMPILE_EVENTS and fields["compile_ms"] > 0:
            compile_ms.append(fields["compile_ms"])
    vm.jit.listeners.append(listener)
    quiet_call(module, n)
    stats = vm.stats()

    def mean(values):
        return sum(values) / len(values) if values else 0.0
    return {
        "traces_compiled": stats["traces_compiled"],
        "trace_aborts": stats["trace_aborts"],
        "jit_coverage": stats["jit_coverage"],
        "ir_ops_per_trace": mean([f["ops"] for f in compiled]),
        "guards_per_trace": mean([f["guards"] for f in compiled]),
        "compile_ms_per_trace": mean(compile_ms),
    }
