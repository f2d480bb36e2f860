"""Which refs of a trace tree dominate which: the paths of a tree and their prefixes.

A tree's ``ins[:main_end]`` is the root path; each ``SideTrace`` is ``ins[start:end]``
and runs where its guard fails. The backend emits a side path inside the ``if`` of its
guard and ends it with ``continue``, so the code after a guard on the parent path is
never reached from the side path. Hence the refs that dominate a side path are: the
parent path's refs before the guard, and those dominating the parent path, recursively.
A side path never sees another side path's refs (other than its ancestors' before
their branching guards).
"""
from __future__ import annotations


def path_of(trace, ref: int):
    """The ``SideTrace`` whose range holds ``ref``, or None for the root path."""
    for side in trace.sides:
        if side.start <= ref < side.end:
            return side
    return None


def dominating_ranges(trace, guard: int) -> list:
    """[(start, end)] ranges of refs, in execution order, that run before a side path
    growing from ``guard`` (the guard itself excluded)."""
    ranges = []
    while True:
        side = path_of(trace, guard)
        if side is None:
            ranges.append((0, guard))
            return ranges[::-1]
        ranges.append((side.start, guard))
        guard = side.guard


def walk_tree(trace, visit, enter_side, state):
    """Visit every ref of the tree in dominance order: ``visit(ref, state)`` for each ref
    of the root path in order; at a guard with a side path, before visiting the guard,
    ``enter_side(guard, state)`` gives the state the side path starts with (a copy:
    what the side path learns stays in it), then the side path is walked recursively."""
    sides_at = {side.guard: side for side in trace.sides}

    def walk(start, end, state):
        for ref in range(start, end):
            side = sides_at.get(ref)
            if side is not None:
                walk(side.start, side.end, enter_side(ref, state))
            visit(ref, state)

    walk(0, trace.main_end, state)
