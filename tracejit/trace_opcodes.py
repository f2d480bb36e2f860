"""Bytecode instructions executed inside compiled traces, per opcode, exactly.

A compiled trace tree runs whole loop iterations, each along one path: the root path
or a side trace's. The recorder keeps the opcodes of the iteration it records, from
the instruction after the loop header to the back edge (``Recorder.recorded_opcodes``);
a side trace's path is its parent path up to the guard followed by what the side
recorder saw. After each entry the compiled code has reported the iterations it
completed (``XI[ITERATIONS_SLOT]``), how many of them took each side path
(``XI[('path', guard)]``), and the exit it took; so the instructions of the entry are

    sum over paths p of iterations(p) x (opcodes of p, plus one LOOP: the header the
        next iteration passes)
    + the opcodes of the exit's path before its guarded instruction (re-executed by
      the interpreter)
    - one LOOP for the budget exit (-1): the interpreter resumes at the header and runs it.

Invariant: the total of ``CompiledOpcodeTally.opcode_counts()`` equals the instructions
``JIT.enter`` adds to the machine's count (checked by the tests against the JIT off).
"""
from __future__ import annotations

from collections import Counter

from interp.opcodes import Op

from .recorder import SideRecorder


class Composition:
    """How many of each opcode one run of a path (or of a path's prefix) executes.
    Hashed by identity: a tally keys runs by the composition object."""

    __slots__ = ("counts",)

    def __init__(self, counts: Counter):
        self.counts = counts


class TracePaths:
    """Opcodes of each path of one compiled trace tree, as compositions of a whole
    iteration (``iteration[0]`` the root path, then one per side trace in
    ``trace.sides`` order) and of each exit's partial iteration (``exits``, aligned
    with ``InstalledTrace.exits``: one per snapshot, then the budget exit)."""

    def __init__(self, paths: list, trace, compiled):
        self.paths = paths
        self.iteration = [Composition(Counter(ops) + Counter({Op.LOOP: 1})) for ops in paths]
        self.side_slots = [compiled.int_slots[("path", side.guard)] for side in trace.sides]
        path_ranges = [(0, trace.main_end)] + [(side.start, side.end) for side in trace.sides]
        self.exit_paths = []         # (path index, instructions before the guard) per snapshot
        guards = {ins.snap: ref for ref, ins in enumerate(trace.ins) if ins.snap is not None}
        for number, snapshot in enumerate(trace.snapshots):
            path = next(p for p, (start, end) in enumerate(path_ranges) if start <= guards[number] < end)
            self.exit_paths.append((path, snapshot.ninstructions))
        self.exits = [Composition(Counter(paths[path][:n])) for path, n in self.exit_paths]
        self.exits.append(Composition(Counter({Op.LOOP: -1})))

    @classmethod
    def of(cls, recorder, trace, compiled) -> "TracePaths":
        """The paths of the tree ``recorder`` just finished: a new root trace, or an
        installed tree grown by a side trace."""
        if not isinstance(recorder, SideRecorder):
            return cls([list(recorder.recorded_opcodes)], trace, compiled)
        grown = recorder.installed.opcode_paths
        parent, before_guard = grown.exit_paths[recorder.exit_number]
        side = grown.paths[parent][:before_guard] + recorder.recorded_opcodes
        return cls(grown.paths + [side], trace, compiled)


class CompiledOpcodeTally:
    """Runs of path compositions over all entries into compiled traces."""

    def __init__(self):
        self.runs = Counter()        # Composition -> times run

    def add(self, installed, exit_number: int, iterations: int) -> None:
        """Count one entry of ``installed`` that completed ``iterations`` and left
        through ``exit_number`` (its buffers still hold the entry's counts)."""
        paths = installed.opcode_paths
        runs = self.runs
        root = iterations
        for slot, composition in zip(paths.side_slots, paths.iteration[1:]):
            taken = int(installed.xi[slot])
            if taken:
                runs[composition] += taken
                root -= taken
        if root:
            runs[paths.iteration[0]] += root
        runs[paths.exits[exit_number]] += 1

    def opcode_counts(self) -> Counter:
        """Opcode number -> executions inside compiled traces."""
        total = Counter()
        for composition, times in self.runs.items():
            for opcode, n in composition.counts.items():
                total[opcode] += n * times
        return total
