"""Bounded trace memory: what each installed trace tree is estimated to hold, and the
eviction of cold trees that keeps the total under ``max_trace_mem``.

``TraceMemory`` (one per JIT) keeps the estimate of every live tree by trace number
(``trace_mem`` is their sum), decides which trees to evict when a tree is installed,
and keeps the instructions evicted trees ran, so that ``vm.stats()`` stays exact.

The estimate (``tree_bytes``) is a model calibrated on process RSS growth
(``bench/trace_memory.py``, figures in ``docs/architecture.md``): per compiled version
of a tree, tracejit's own objects (IR, optimized copy, snapshots, exit plans, source,
exit buffers) plus Numba's compilation (its Python objects, the LLVM module and the
machine code: a constant plus a cost per IR instruction Numba compiled, inner bodies
linked in included) or a shared object loaded from the persistent cache. A tree counts
every version it keeps: a tree that grew side traces keeps its older versions (outer
traces compiled against them call them, and their counts add up).

Cold: the tree entered least recently, counted in ``JIT.trace_entries`` (every run of a
compiled trace, from the interpreter or by a recording); ties go to the older tree. A
tree that installed trees call (``call_loop``) is not a candidate: its callers go
first, and it then counts as entered when its most recent caller was.

Invariants:
- after every install, ``total <= max_bytes``; a tree that does not fit even with
  every other tree evicted (with the inner trees it calls) is not installed
  (``TraceAbort.TRACE_MEM``);
- a tree is never evicted while an installed tree calls it;
- eviction runs only while the JIT installs a tree, from the interpreter: no compiled
  code is running and no recording is under way (``JIT.recorder`` is None; the inner
  trees the finished recording called are the new tree's, which are protected).
"""
from __future__ import annotations

import re
from collections import Counter

from interp.interpreter import NEVER

from . import logdata
from .backend.numba_backend import release_code
from .verbose import format_size

DEFAULT_MAX_TRACE_MEM = 256 * 2**20   # see docs/architecture.md, "Trace memory"
MAX_EVICTIONS = 4                     # trees of one loop evicted before the loop is blacklisted

# The model (bytes), fitted to RSS growth per tree (bench/trace_memory.py):
TREE_BYTES = 48 * 2**10               # tracejit's objects per version...
TREE_BYTES_PER_OP = 5 * 2**10         # ...per IR instruction of the version
NUMBA_BYTES = 640 * 2**10             # a Numba compilation in this process...
NUMBA_BYTES_PER_OP = 48 * 2**10       # ...per IR instruction compiled (inner bodies included)
LOADED_BYTES = 32 * 2**10             # a shared object loaded from the persistent cache

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)


def parse_size(text) -> int:
    """Bytes of a size: an int, or a string of digits with an optional suffix K, M, G or
    T (powers of 1024; ``64M``, ``1.5G``, ``512KiB``). ValueError unless positive."""
    if type(text) is int:
        value = text
    else:
        match = _SIZE.fullmatch(str(text))
        if match is None:
            raise ValueError(f"not a size: {text!r} (bytes, or a number with K, M, G or T)")
        number, suffix = match.groups()
        value = int(float(number) * 1024 ** " kmgt".index(suffix.lower() or " "))
    if value < 1:
        raise ValueError(f"max_trace_mem must be a positive number of bytes, not {text!r}")
    return value


def compiled_ops(compiled) -> int:
    """IR instructions Numba compiles for a version: those of its optimized copy and of
    every inner version it calls, directly or not, each once (Numba links each body in
    once, however many calls there are)."""
    bodies, todo = {}, [compiled]
    while todo:
        version = todo.pop()
        if id(version) not in bodies:
            bodies[id(version)] = version.optimized.op_count()
            todo += [version.optimized.nested[ins.aux[0]] for ins in version.optimized.ins if ins.op == "call_loop"]
    return sum(bodies.values())


def version_bytes(installed) -> int:
    """The estimated memory of one compiled version of a tree (an ``InstalledTrace``)."""
    compiled = installed.compiled
    size = TREE_BYTES + TREE_BYTES_PER_OP * compiled.optimized.op_count() + installed.xi.nbytes + installed.xf.nbytes
    code = compiled.code
    # Numba compiled it in this process (for this tree, an outer one or another VM), or
    # will when the tree is promoted from the Python tier (counted from the start, so that
    # a promotion never grows an installed tree's estimate)
    if code.compiled_here or not code.machine:
        size += NUMBA_BYTES + NUMBA_BYTES_PER_OP * compiled_ops(compiled)
    if code.from_cache:
        size += LOADED_BYTES
    return size


def versions(installed) -> list:
    """The versions a tree keeps: the current one, then those it grew from."""
    chain = []
    while installed is not None:
        chain.append(installed)
        installed = installed.opcode_paths.grown_from
    return chain


def tree_bytes(installed) -> int:
    """The estimated memory of a tree: every version it keeps."""
    return sum(version_bytes(version) for version in versions(installed))


class TraceMemory:
    """The memory estimate of one JIT's installed trees and their eviction."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_TRACE_MEM):
        self.max_bytes = parse_size(max_bytes)
        self.sizes = {}               # trace number -> tree_bytes of its live tree
        self.evicted = 0
        self.rerecords = 0            # root trees installed on a loop after one of its trees was evicted
        self.loop_evictions = Counter()   # (decoded, loop) -> its evicted trees that it was entering
        self.evicted_opcodes = Counter()  # opcode -> executions inside evicted trees

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def stats(self) -> dict:
        return {"trace_mem": self.total, "max_trace_mem": self.max_bytes,
                "traces_evicted": self.evicted, "trace_rerecords": self.rerecords}

    def can_grow(self, jit, installed) -> str | None:
        """None if tree ``installed`` may grow another version (a side trace) within the
        bound, else why not: the grown tree keeps this version and is at least as big."""
        need = tree_bytes(installed) + version_bytes(installed) + self._callees_bytes(jit, installed)
        if need <= self.max_bytes:
            return None
        return (f"max_trace_mem {format_size(self.max_bytes)}: another version would make the tree and "
                f"the inner trees it calls at least {format_size(need)}")

    def make_room(self, jit, tree, replaces=None) -> str | None:
        """Account for ``tree`` (a new root, or the version of an installed tree that
        ``replaces`` it), evicting the coldest other trees until everything fits. Returns
        None when it fits (the caller installs it), else why it cannot: it and the inner
        trees it calls need more than the bound (checked before anything is evicted)."""
        protected = {tree.number} | self._callee_numbers(jit, tree)
        live = {installed.number: installed for installed in jit.installed}
        for number in protected - {tree.number}:
            self.sizes[number] = tree_bytes(live[number])   # a cached inner's body may just have been compiled
        size = tree_bytes(tree)
        need = size + sum(self.sizes[number] for number in protected - {tree.number})
        if need > self.max_bytes:
            what = "the tree needs" if need == size else "the tree and the inner trees it calls need"
            return f"{what} {format_size(need)}, more than max_trace_mem {format_size(self.max_bytes)}"
        old = self.sizes.pop(tree.number, None)
        while self.total + size > self.max_bytes:
            victim = self.coldest(jit, protected)
            if victim is None:
                if old is not None:
                    self.sizes[tree.number] = old
                return f"no tree can be evicted to make room for {format_size(size)}"
            self.evict(jit, victim, f"{self._coldness(jit, victim)}; room for a tree of {format_size(size)}")
        self.sizes[tree.number] = size
        tree.last_entry = jit.trace_entries
        tree.compiled.code.users.add(tree)
        if replaces is None and self.loop_evictions[(tree.decoded, tree.trace_loop)]:
            self.rerecords += 1
        return None

    def refused(self, compiled) -> None:
        """A compiled tree ``make_room`` refused will not be installed: let its code go."""
        release_code(compiled.code, None)

    def coldest(self, jit, protected):
        """The coldest live tree of a loop (``jit.loops``) that no live tree calls, outside
        ``protected`` (None if none: never while the protected trees fit, as the call graph
        has no cycles and every tree is a loop's)."""
        called = {inner.number for installed in jit.installed for version in versions(installed)
                  for inner in version.nested}
        candidates = [t for t in jit.installed if t.number not in called and t.number not in protected
                      and (t.decoded, t.trace_loop) in jit.loops]
        return min(candidates, key=lambda t: (t.last_entry, t.number), default=None)

    def evict(self, jit, victim, reason: str) -> None:
        """Drop tree ``victim``: it is no longer entered, its counts go to
        ``evicted_opcodes``, its machine code is released. A loop left without trees to
        enter may be recorded again, after ``hot_loop << evictions`` iterations (its
        entered trees evicted so far), and is blacklisted at ``MAX_EVICTIONS``: each
        compilation keeps memory Numba never frees (docs/architecture.md)."""
        from .jit import loop_location, set_hot_counter   # (jit imports this module)
        key = (victim.decoded, victim.trace_loop)
        state = jit.loops[key]
        if jit.listeners:   # its final exit counts (while it is still in its loop's lists: retired or not)
            jit.emit_event("exits", details=lambda: logdata.exits_details(jit, "evict", [victim]))
        entered = victim in state.traces
        (state.traces if entered else state.retired).remove(victim)
        jit.installed.remove(victim)
        jit.functions.fast.pop(victim, None)
        size = self.sizes.pop(victim.number)
        self.evicted += 1
        self.evicted_opcodes.update(victim.opcode_paths.opcode_counts(victim))
        live = {installed.number: installed for installed in jit.installed}
        for version in versions(victim):
            for inner in version.nested:   # it was their caller: they were entered when it was
                callee = live.get(inner.number)
                if callee is not None:
                    callee.last_entry = max(callee.last_entry, victim.last_entry)
            release_code(version.compiled.code, version)
        blacklisted = False
        if entered:
            self.loop_evictions[key] += 1
            if not state.traces and not state.blacklisted:
                blacklisted = self.loop_evictions[key] >= MAX_EVICTIONS
                state.blacklisted = blacklisted
                hot = jit.hot_loop if victim.trace_loop is not None else jit.hot_func
                set_hot_counter(victim.decoded, victim.trace_loop,
                                NEVER if blacklisted else hot << self.loop_evictions[key])
        if jit.listeners:
            jit.emit_event("evict", number=victim.number, where=loop_location(victim.decoded, victim.trace_loop),
                           bytes=size, reason=reason, trace_mem=self.total, max_trace_mem=self.max_bytes,
                           evictions=self.loop_evictions[key], blacklisted=blacklisted,
                           details=lambda: logdata.loop_details(victim.decoded, victim.trace_loop))

    def _coldness(self, jit, victim) -> str:
        ago = jit.trace_entries - victim.last_entry
        entries = f"{victim.entries} entr{'y' if victim.entries == 1 else 'ies'}"
        return f"coldest: last entered {ago} trace entries ago ({entries}, {victim.iterations} iterations)"

    def _callee_numbers(self, jit, tree) -> set:
        """Numbers of the live trees ``tree`` calls, directly or through them."""
        live = {installed.number: installed for installed in jit.installed}
        found, todo = set(), [inner.number for inner in tree.nested]
        while todo:
            number = todo.pop()
            if number in found or number not in live:
                continue
            found.add(number)
            todo += [inner.number for version in versions(live[number]) for inner in version.nested]
        return found

    def _callees_bytes(self, jit, tree) -> int:
        return sum(self.sizes.get(number, 0) for number in self._callee_numbers(jit, tree))
