"""Register liveness of a code object, derived from the opcode table's operand kinds.

``live_in(code)[pc]`` is the set of registers some path from ``pc`` may read before
writing: a register outside it at ``pc`` is never read again before it is written,
so whatever it holds there cannot change what the program does. (The language has no
closures, no ``locals()`` and no exception handlers: a frame's registers are read
only by its own instructions.)

What an instruction reads and writes follows from ``OPCODES``:
- reads: ``reg`` operands, ``rk`` operands that name a register, ``base`` runs
  (``count`` registers; 2 x count for BUILDDICT) and ``base3`` triples;
- writes that kill the old value: ``dst`` operands and ``dstbase`` runs. A branch's
  ``dst`` (FORPREP, FORLOOP, FORITER) is written on one of its ways only, so it does
  not kill;
- successors: the jump targets, and ``pc + 1`` unless the instruction is a JUMP or a
  RETURN.
"""
from __future__ import annotations

import weakref

from .opcodes import OPCODES

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def uses_and_kills(instr) -> tuple:
    """(registers read, registers certainly written) by one instruction."""
    info = OPCODES[instr[0]]
    operands = instr[1:]
    uses, kills = set(), set()
    for i, (kind, value) in enumerate(zip(info.operands, operands)):
        if kind == "reg" or (kind == "rk" and value >= 0):
            uses.add(value)
        elif kind == "base":
            width = operands[i + 1] * (2 if info.name == "BUILDDICT" else 1)
            uses.update(range(value, value + width))
        elif kind == "base3":
            uses.update(range(value, value + 3))
        elif kind == "dstbase":
            kills.update(range(value, value + operands[i + 1]))
        elif kind == "dst" and info.effect != "branch":
            kills.add(value)
    return uses, kills


def successors(instrs, pc) -> list:
    instr = instrs[pc]
    info = OPCODES[instr[0]]
    ways = [operand for kind, operand in zip(info.operands, instr[1:]) if kind == "jump"]
    if info.name != "JUMP" and info.effect != "return":
        ways.append(pc + 1)
    return ways


def live_in(code) -> tuple:
    """A frozenset of registers per pc: those live on entry to instruction ``pc``."""
    cached = _CACHE.get(code)
    if cached is None:
        cached = _CACHE[code] = _solve(code.instrs)
    return cached


def _solve(instrs) -> tuple:
    n = len(instrs)
    gen, kill, succ = [0] * n, [0] * n, []
    for pc, instr in enumerate(instrs):
        uses, kills = uses_and_kills(instr)
        gen[pc] = _bits(uses)
        kill[pc] = _bits(kills - uses)
        succ.append([s for s in successors(instrs, pc) if s < n])
    live = [0] * n
    changed = True
    while changed:      # backward: a pass from the end settles straight-line code at once
        changed = False
        for pc in range(n - 1, -1, -1):
            out = 0
            for s in succ[pc]:
                out |= live[s]
            new = gen[pc] | (out & ~kill[pc])
            if new != live[pc]:
                live[pc] = new
                changed = True
    return tuple(frozenset(_registers(bits)) for bits in live)


def _bits(registers) -> int:
    bits = 0
    for reg in registers:
        bits |= 1 << reg
    return bits


def _registers(bits: int) -> list:
    out, reg = [], 0
    while bits:
        if bits & 1:
            out.append(reg)
        bits >>= 1
        reg += 1
    return out
