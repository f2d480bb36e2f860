"""Bytecode instructions executed inside compiled traces, per opcode, exactly.

A compiled trace tree runs whole loop iterations, each along one path: the root path
or a side trace's. The recorder keeps the opcodes of the iteration it records, from
the instruction after the loop header to the back edge (``Recorder.recorded_opcodes``);
a side trace's path is its parent path up to the guard followed by what the side
recorder saw. An installed trace counts its iterations (``InstalledTrace.iterations``)
and the exits taken (``TraceExit.count``: every one, never reset; a side recording that
waits for an inner loop restarts the exit's hotness at ``TraceExit.hot_from`` instead);
the compiled code also counts the iterations along each side path
(``XI[('path', guard)]``), which ``count_sides`` adds up per entry.
So the instructions run inside the tree are exactly

    sum over paths p of iterations(p) x (opcodes of p, plus one LOOP: the header the
        next iteration passes)
    + for each exit, times taken x the opcodes of its path before the guarded
      instruction (which the interpreter re-executes; for an inner loop's exit, the inner
      loop's header too: the inner loop ran, and its own counts follow)
    - one LOOP per budget exit (-1): the interpreter resumes at the header and runs it.

Invariant: the total of ``compiled_opcode_counts`` equals the instructions ``JIT.enter``
added to the machine's count (the tests check it against the JIT off).
"""
from __future__ import annotations

from collections import Counter

from interp.opcodes import Op

from .recorder import SideRecorder

NESTED_GUARDS = ("guard_loop_exit", "guard_loop_wrote")   # their exits restore an inner loop's exit


class TracePaths:
    """The opcodes of each path of one installed trace tree: ``iteration`` per path
    (the root path, then each side trace in ``trace.sides`` order) and ``exits`` per
    exit of ``InstalledTrace.exits`` (one per snapshot, the entry exit if the compiled
    code has entry guards, then the budget exit), as Counters; ``grown_from``: the
    installed tree this one grew from (None for a root). That tree keeps counting what
    outer traces compiled against it run."""

    def __init__(self, paths: list, trace, compiled, grown_from=None):
        self.paths = paths
        self.iteration = [Counter(ops) + Counter({Op.LOOP: 1}) for ops in paths]
        self.side_slots = [compiled.int_slots[("path", side.guard)] for side in trace.sides]
        self.side_iterations = [0] * len(trace.sides)
        # converted branches (recorder.convert_branch): their instruction is on no path;
        # the compiled code counts the passes that ran it
        converted = [(ref, ins.aux) for ref, ins in enumerate(compiled.optimized.ins) if ins.op == "count_if"]
        self.branch_slots = [compiled.int_slots[("branch", ref)] for ref, _aux in converted]
        self.branch_opcodes = [Counter({aux[0]: 1}) for _ref, aux in converted]
        self.branch_pcs = [aux[1] for _ref, aux in converted]
        self.branch_runs = [0] * len(converted)
        self.counted = bool(self.side_slots or self.branch_slots)
        self.grown_from = grown_from
        path_ranges = [(0, trace.main_end)] + [(side.start, side.end) for side in trace.sides]
        guards = {ins.snap: ref for ref, ins in enumerate(trace.ins) if ins.snap is not None}
        self.exit_paths = []         # (path, instructions of the iteration before the guard)
        for number, snapshot in enumerate(trace.snapshots):
            path = next(p for p, (start, end) in enumerate(path_ranges) if start <= guards[number] < end)
            self.exit_paths.append((path, snapshot.ninstructions))
        # an inner loop's exit (its guard_loop_exit or guard_loop_wrote failed) also ran the
        # inner loop's header once: the instruction the guard stands at
        self.exits = [Counter(paths[path][:n]) + Counter({Op.LOOP: int(trace.ins[guards[number]].op in NESTED_GUARDS)})
                      for number, (path, n) in enumerate(self.exit_paths)]
        if compiled.optimized.entry_guards:    # the entry exit: nothing ran in the trace
            self.exits.append(Counter())
        self.exits.append(Counter({Op.LOOP: -1}))

    @classmethod
    def of(cls, recorder, trace, compiled) -> "TracePaths":
        """The paths of the tree ``recorder`` just finished: a new root trace, or an
        installed tree grown by a side trace (no longer entered from the interpreter, but
        outer traces may still call its code: its counts are added in)."""
        if not isinstance(recorder, SideRecorder):
            return cls([list(recorder.recorded_opcodes)], trace, compiled)
        old = recorder.installed
        grown = old.opcode_paths
        parent, before_guard = grown.exit_paths[recorder.exit_number]
        side = grown.paths[parent][:before_guard] + recorder.recorded_opcodes
        return cls(grown.paths + [side], trace, compiled, old)

    def count_sides(self, xi) -> None:
        """After an entry: add the iterations it ran along each side path and the runs of
        each converted branch's instruction (``xi``: the installed trace's int exit
        buffer, or the counts an outer trace summed, by slot)."""
        for number, slot in enumerate(self.side_slots):
            self.side_iterations[number] += int(xi[slot])
        for number, slot in enumerate(self.branch_slots):
            self.branch_runs[number] += int(xi[slot])

    def opcode_counts(self, installed) -> Counter:
        """Opcode number -> executions by all entries of ``installed`` (whose paths these
        are) and of the trees it grew from."""
        root = installed.iterations - sum(self.side_iterations)
        runs = [(self.iteration[0], root), *zip(self.iteration[1:], self.side_iterations),
                *((opcodes, exit_.count) for opcodes, exit_ in zip(self.exits, installed.exits)),
                *zip(self.branch_opcodes, self.branch_runs)]
        old = self.grown_from
        total = old.opcode_paths.opcode_counts(old) if old is not None else Counter()
        total[Op.LOOP] += installed.skipped_headers
        for opcodes, times in runs:
            if times:
                for opcode, n in opcodes.items():
                    total[opcode] += n * times
        return total


def compiled_opcode_counts(installed_traces) -> Counter:
    """Opcode number -> executions inside the compiled traces ``installed_traces`` (the
    JIT's current trees, retired ones included)."""
    total = Counter()
    for installed in installed_traces:
        total.update(installed.opcode_paths.opcode_counts(installed))
    return +total
