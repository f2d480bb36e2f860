"""Pseudo-registers: values a trace holds like registers of the loop's (root) frame
although the interpreter keeps them elsewhere.

- ``POSITION_BASE + r``: the position (``.index``) of the list iterator in register ``r``;
- ``GLOBAL_BASE + k``: the module global named ``global_name(GLOBAL_BASE + k)`` in the
  root frame's globals dict (only scalar globals the loop assigns become registers;
  globals it only reads are constants checked at entry);
- ``LENGTH_BASE + r``: the ``length`` of the list in register ``r``, written by the trace
  when it appends to that list (read-only lists need no such register).

Globals and lengths belong to the root frame whichever frame writes them.

``register_value`` / ``set_register`` are the one place that reads and writes them, for
recording, entering a trace and restoring its exits. The name table is append-only
(like ``sys.intern``): a global's register number never changes within a process.
"""
from __future__ import annotations

from .ir import GLOBAL_BASE, LENGTH_BASE, POSITION_BASE

_global_names: list = []
_global_numbers: dict = {}


def position_register(reg: int) -> int:
    """The pseudo-register holding the position of the list iterator in register ``reg``."""
    return POSITION_BASE + reg


def position_of(reg: int) -> int | None:
    """The iterator register whose position pseudo-register ``reg`` is, or None."""
    return reg - POSITION_BASE if POSITION_BASE <= reg < GLOBAL_BASE else None


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
    return GLOBAL_BASE <= reg < LENGTH_BASE


def length_register(reg: int) -> int:
    """The pseudo-register holding the length of the list in register ``reg``."""
    return LENGTH_BASE + reg


def is_length(reg: int) -> bool:
    return reg >= LENGTH_BASE


def of_root_frame(reg: int) -> bool:
    """Whether ``reg`` belongs to the loop's own frame whichever frame is recording."""
    return reg >= GLOBAL_BASE


def register_value(frame, reg):
    """The value of register (or pseudo-register) ``reg`` of interpreter ``frame``."""
    if reg < POSITION_BASE:
        return frame.regs[reg]
    if reg < GLOBAL_BASE:
        return frame.regs[reg - POSITION_BASE].index
    if reg < LENGTH_BASE:
        return frame.decoded.globals[_global_names[reg - GLOBAL_BASE]]
    return frame.regs[reg - LENGTH_BASE].length


def set_register(frame, reg, value) -> None:
    if reg < POSITION_BASE:
        frame.regs[reg] = value
    elif reg < GLOBAL_BASE:
        frame.regs[reg - POSITION_BASE].index = value
    elif reg < LENGTH_BASE:
        frame.decoded.globals[_global_names[reg - GLOBAL_BASE]] = value
    else:
        frame.regs[reg - LENGTH_BASE].length = value
