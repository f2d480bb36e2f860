"""Pseudo-registers: values a trace holds like registers of the loop's (root) frame
although the interpreter keeps them elsewhere.

- ``POSITION_BASE + r``: the position (``.index``) of the list iterator in register ``r``;
- ``GLOBAL_BASE + k``: the module global named ``global_name(GLOBAL_BASE + k)`` in the
  root frame's globals dict (only scalar globals the loop assigns become registers;
  globals it only reads are constants checked at entry).

``register_value`` / ``set_register`` are the one place that reads and writes them, for
recording, entering a trace and restoring its exits. The name table is append-only
(like ``sys.intern``): a global's register number never changes within a process.
"""
from __future__ import annotations

from .ir import GLOBAL_BASE, POSITION_BASE

_global_names: list = []
_global_numbers: dict = {}


def global_register(name: str) -> int:
    """The pseudo-register standing for the global ``name`` of the root frame's module."""
    number = _global_numbers.get(name)
    if number is None:
        number = _global_numbers[name] = len(_global_names)
        _global_names.append(name)
    return GLOBAL_BASE + number


def global_name(reg: int) -> str:
    return _global_names[reg - GLOBAL_BASE]


def is_global(reg: int) -> bool:
    return reg >= GLOBAL_BASE


def register_value(frame, reg):
    """The value of register (or pseudo-register) ``reg`` of interpreter ``frame``."""
    if reg < POSITION_BASE:
        return frame.regs[reg]
    if reg < GLOBAL_BASE:
        return frame.regs[reg - POSITION_BASE].index
    return frame.decoded.globals[_global_names[reg - GLOBAL_BASE]]


def set_register(frame, reg, value) -> None:
    if reg < POSITION_BASE:
        frame.regs[reg] = value
    elif reg < GLOBAL_BASE:
        frame.regs[reg - POSITION_BASE].index = value
    else:
        frame.decoded.globals[_global_names[reg - GLOBAL_BASE]] = value
