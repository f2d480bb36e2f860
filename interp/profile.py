"""Profile mode: time and memory per bytecode instruction, measured by counting.

A ``ProfilingMachine`` generates instrumented units (``interp.blocks`` asks its
``Profiler`` for the lines): every instruction a unit runs is bracketed by clock reads
(``time.perf_counter``) and, when memory is profiled, by reads of tracemalloc's traced
memory, so every execution of every instruction is measured, none sampled. Units,
exit counters and fuel are those of normal mode, so results and instruction counts
are the same with profiling on. Time spent between instructions (calls, returns,
hot-loop events, the JIT's observer) is timed per kind of event.

Per instruction (a slot: one (decoded code, pc)) the profiler sums:
- ``seconds``: clock after it minus clock before it. Each window also holds a fixed
  part of the measurement, ``floor``: calibrated at the start of the first session
  (median over an empty instruction) and subtracted in ``report``.
- with memory, ``allocated``: how far tracemalloc's peak rose above the traced memory
  at the instruction's start (``reset_peak`` there): the bytes it allocated when it
  frees nothing before its last allocation (``s = s + t`` makes the new string before
  dropping the old one), a lower bound otherwise; ``net``: traced memory after it
  minus before it. Both include what its runtime helpers and builtins allocate
  (list growth, numpy arrays, the frame of a guest call it makes).

Time mode generates the clock reads inline (one per instruction: each end is the next
start). Memory mode calls two small probe functions (``memory_probes``) whose own
allocations tracemalloc never sees between ``reset_peak`` and the end read, so the
memory figures carry no bias from the measurement; calibration checks it
(``allocated_bias`` and ``net_bias``, subtracted, are 0 when it holds). Every completed
execution of an instruction adds to its slot once; one that raises adds nothing.
"""
from __future__ import annotations

import contextlib
import statistics
import time
import tracemalloc
from collections import Counter

from .interpreter import Machine
from .opcode_counts import instruction_counts, opcode_of
from .opcodes import OPCODES

EVENT_KINDS = ("call", "return", "hot_loop", "switch", "observer")
CALIBRATION_RUNS = 2001


class Profiler:
    """Per-instruction measurement slots, the instrumentation's source lines, and
    per-event-kind times."""

    def __init__(self, memory: bool = True):
        self.memory = memory
        self.slot_of = {}           # (decoded, pc) -> slot
        self.seconds = []
        self.allocated = []
        self.net = []
        self.event_seconds = dict.fromkeys(EVENT_KINDS, 0.0)
        self.floor = None           # seconds; calibrated by the first session
        self.overhead = 0.0         # seconds of instrumentation per instruction, in and out of windows
        self.allocated_bias = self.net_bias = 0.0
        self.owns_tracing = False   # this profiler's session started tracemalloc
        self.namespace = self._namespace(self.seconds, self.allocated, self.net)

    @staticmethod
    def _namespace(seconds, allocated, net) -> dict:
        start, finish = memory_probes(seconds, allocated, net)
        return {"PT": seconds, "PS": start, "PF": finish, "clock": time.perf_counter}

    def slot(self, decoded, pc) -> int:
        key = (decoded, pc)
        slot = self.slot_of.get(key)
        if slot is None:
            slot = self.slot_of[key] = len(self.seconds)
            self.seconds.append(0.0)
            self.allocated.append(0.0)
            self.net.append(0.0)
        return slot

    # ----- generated code: a unit's prologue, then start ... finish around each instruction
    def prologue(self) -> list:
        return [] if self.memory else ["_pte = clock()"]

    def start(self) -> list:
        return ["PS()"] if self.memory else ["_pts = _pte"]

    def finish(self, slot: int) -> list:
        if self.memory:
            return [f"PF({slot})"]
        return ["_pte = clock()", f"PT[{slot}] += _pte - _pts"]

    # ----- events ---------------------------------------------------------------------
    def timed(self, kind: str, fn):
        """``fn`` with its time added to ``event_seconds[kind]``."""
        totals = self.event_seconds
        clock = time.perf_counter

        def timed_call(*args):
            start = clock()
            try:
                return fn(*args)
            finally:
                totals[kind] += clock() - start
        return timed_call

    def untraced(self, fn):
        """``fn`` run with tracemalloc paused when this profiler's session started it:
        for the JIT's observer, which records and compiles between instructions (Numba
        allocates so much that tracing it multiplies compile time). Instructions are
        unaffected: each one reads its own base."""
        if not self.memory:
            return fn

        def untraced_call(*args):
            if not self.owns_tracing:
                return fn(*args)
            tracemalloc.stop()
            try:
                return fn(*args)
            finally:
                tracemalloc.start(1)
        return untraced_call

    # ----- sessions -----------------------------------------------------------------------
    @contextlib.contextmanager
    def session(self):
        """Profile what runs inside: tracemalloc traces (when memory is profiled and
        nobody traces yet), and the measurement is calibrated once."""
        started = self.memory and not tracemalloc.is_tracing()
        if started:
            tracemalloc.start(1)
            self.owns_tracing = True
        try:
            if self.floor is None:
                self.calibrate()
            yield
        finally:
            if started:
                self.owns_tracing = False
                tracemalloc.stop()

    def _probe(self, instructions: int, namespace: dict):
        """A function measuring ``instructions`` empty instructions, as a unit does."""
        body = self.prologue()
        for slot in range(instructions):
            body += self.start() + self.finish(slot)
        exec("def probe():\n" + "".join(f"    {line}\n" for line in body), namespace)
        return namespace["probe"]

    def calibrate(self, runs: int = CALIBRATION_RUNS) -> None:
        """Measure empty instructions with the generated lines. ``floor``: the median
        window of an instruction that follows another; the biases: the most common
        memory figures there; ``overhead``: what one more instruction's lines cost."""
        seconds, allocated, net = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
        namespace = self._namespace(seconds, allocated, net)
        samples = []
        probe = self._probe(2, namespace)
        for _ in range(runs):
            seconds[1] = allocated[1] = net[1] = 0.0
            probe()
            samples.append((seconds[1], allocated[1], net[1]))
        self.floor = statistics.median(t for t, _, _ in samples)
        self.allocated_bias = Counter(a for _, a, _ in samples).most_common(1)[0][0]
        self.net_bias = Counter(n for _, _, n in samples).most_common(1)[0][0]
        self.overhead = max(0.0, _best_time(self._probe(2, namespace), runs)
                            - _best_time(self._probe(1, namespace), runs))

    # ----- results ----------------------------------------------------------------------
    def report(self, machine) -> dict:
        """Per opcode name, most time first: executions measured (the interpreter's),
        seconds (floor subtracted, at least 0), with memory allocated and net bytes
        (bias subtracted); event seconds; ``measurement_seconds``, the
        instrumentation's whole cost (overhead x instructions measured)."""
        counts = instruction_counts(machine)
        floor = self.floor or 0.0
        per_opcode = {}
        for key, slot in self.slot_of.items():
            row = per_opcode.setdefault(opcode_of(*key), [0, 0.0, 0.0, 0.0])
            n = counts.get(key, 0)
            row[0] += n
            row[1] += self.seconds[slot]
            row[2] += self.allocated[slot] - n * self.allocated_bias
            row[3] += self.net[slot] - n * self.net_bias
        rows = []
        measured = 0
        for opcode, (n, seconds, allocated, net) in per_opcode.items():
            if not n:
                continue
            measured += n
            entry = {"count": n, "seconds": max(0.0, seconds - n * floor)}
            if self.memory:
                entry.update(allocated_bytes=max(0, round(allocated)), net_bytes=round(net))
            rows.append((OPCODES[opcode].name, entry))
        rows.sort(key=lambda row: (-row[1]["seconds"], row[0]))
        return {
            "method": "counting",
            "memory": self.memory,
            "floor_ns": floor * 1e9,
            "overhead_ns": self.overhead * 1e9,
            "measurement_seconds": measured * self.overhead,
            "event_seconds": dict(self.event_seconds),
            "opcodes": dict(rows),
        }


def _best_time(fn, runs: int) -> float:
    """Seconds per call of ``fn``: the best of five batches of ``runs // 5`` calls."""
    batch = max(1, runs // 5)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        best = min(best, (time.perf_counter() - start) / batch)
    return best


def memory_probes(seconds: list, allocated: list, net: list):
    """(start, finish(slot)): the measurement of one instruction in memory mode, as two
    small functions (tracemalloc finds the line of each allocation by a scan from the
    start of its function, so the probes' own allocations stay cheap in them).

    ``start`` leaves, in ``state``, the traced memory at ``reset_peak`` and the clock.
    Its old clock float is dropped before the memory read; the read's int replaces the
    old base int of the same size; the new clock float comes from the float free list
    it just refilled, which tracemalloc does not see. So nothing the probes do is
    traced between ``reset_peak`` and ``finish``'s read."""
    state = [None, None]            # base traced memory (int), start clock (float)
    traced, reset_peak, clock = (tracemalloc.get_traced_memory, tracemalloc.reset_peak,
                                 time.perf_counter)

    def start():
        state[1] = None
        state[0] = traced()[0]
        reset_peak()
        state[1] = clock()

    def finish(slot):
        current, peak = traced()
        seconds[slot] += clock() - state[1]
        allocated[slot] += peak - state[0]
        net[slot] += current - state[0]

    return start, finish


class ProfilingMachine(Machine):
    """A machine whose units are instrumented by ``profiler`` and whose events and
    observer (the JIT's recorder) are timed by kind."""

    def __init__(self, profiler: Profiler, **options):
        self.profiler = profiler
        self._observer = None
        super().__init__(**options)
        for kind in ("call", "return", "hot_loop", "switch"):
            name = f"on_{kind}_event"
            setattr(self, name, profiler.timed(kind, getattr(self, name)))

    @property
    def observer(self):
        return self._observer

    @observer.setter
    def observer(self, value):
        profiler = self.profiler
        self._observer = None if value is None else profiler.timed("observer", profiler.untraced(value))
