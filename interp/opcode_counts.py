"""Instructions the interpreter executed, per instruction and per opcode, read from
the counters generated units already keep (nothing is added to the hot path).

Every exit of a generated unit counts itself (``XC[slot] += 1``). Slot ``s`` belongs to
the unit starting at ``Machine.exit_units[s] = (decoded, start)`` and, when taken, means
the unit ran the ``Machine.exit_weights[s]`` consecutive instructions from ``start``
(units are straight-line code: only their last instruction may branch). A unit that
raised ran the instructions listed in ``Machine.raised_units``.

Invariant: ``sum(instruction_counts(m).values())`` equals ``m.instructions`` minus what
the machine's hook added for instructions it ran itself (compiled traces).
"""
from __future__ import annotations

from collections import Counter

from .opcodes import OPCODES


def instruction_counts(machine) -> dict:
    """(decoded, pc) -> times the interpreter executed that instruction."""
    counts = {}
    runs = zip(machine.exit_counts, machine.exit_weights, machine.exit_units)
    raised = ((1, ran, (decoded, start)) for decoded, start, ran in machine.raised_units)
    for times, weight, (decoded, start) in (*runs, *raised):
        if times:
            for pc in range(start, start + weight):
                key = (decoded, pc)
                counts[key] = counts.get(key, 0) + times
    return counts


def opcode_of(decoded, pc) -> int:
    return decoded.code.instrs[pc][0]


def opcode_counts(counts: dict) -> Counter:
    """Opcode number -> executions, from ``instruction_counts``."""
    result = Counter()
    for (decoded, pc), times in counts.items():
        result[opcode_of(decoded, pc)] += times
    return result


def by_name(counts: Counter) -> dict:
    """Opcode number -> n as opcode name -> n, most executed first (ties by name)."""
    return {OPCODES[op].name: n for op, n in
            sorted(counts.items(), key=lambda item: (-item[1], OPCODES[item[0]].name)) if n}
