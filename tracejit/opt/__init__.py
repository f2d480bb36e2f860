"""The trace optimizer: a chain of passes, each switchable by name (``passes.PASSES``).

    recorder --emit--> [fold -> cse] --> recorded tree --copy--> [guards -> ranges -> dce] --> backend

- ``fold`` and ``cse`` run as each instruction is emitted (``Trace.emit`` calls the
  recording's ``Emitter``): the recorded trace never holds an instruction they would
  have removed. They only ever answer with refs that dominate the new instruction.
- ``guards``, ``ranges`` and ``dce`` run on an *optimized copy* of the finished tree,
  which only the backend sees (``compile_trace(trace, name, optimized)``).

Invariants (what the rest of the JIT relies on):

- **The recorded tree is never edited by a trace pass.** Exits, restore plans, side
  recordings (which extend the tree and refer to its refs) and the trace log's
  ``record`` stage all use the recorded tree; a later side trace is appended to it and
  the whole tree is optimized again from scratch.
- **Refs and exit numbers do not move.** The copy has the same length: a removed
  instruction becomes ``nop``; a removed guard's snapshot becomes empty but keeps its
  number, so exit ``k`` is the same snapshot in the recorded tree and in the compiled
  code. A removed guard's exit simply never fires (``InstalledTrace`` gives it an
  empty restore plan); side traces hang off guards, and a guard with a side trace is
  never removed. The one exit a copy adds: the *entry exit* of its entry guards
  (``Trace.entry_guards``, checked once before the first iteration; ``ranges``),
  numbered ``len(snapshots)``.
- **Domination.** The root path ``ins[:main_end]`` is straight-line; a side path runs
  where its guard fails and never falls back into its parent path. A pass may replace
  a use by a ref only if that ref dominates it: an earlier ref of the same path, or of
  an ancestor path before the branching guard (``dominance.py``), never a ref of
  another side path. cse replays exactly those refs when a side recording starts;
  guard elimination walks the tree with facts copied into each side path.
- Passes never mutate an ``Ins`` (the copy shares them with the recorded tree): they
  replace list entries.
"""
from .passes import DEFAULT_OPTS, PASS_NAMES, PASSES, Optimizer, parse_opts

__all__ = ["DEFAULT_OPTS", "PASS_NAMES", "PASSES", "Optimizer", "parse_opts"]
