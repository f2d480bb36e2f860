"""Code objects and function values of the register bytecode.

Invariants of a ``Code`` (checked by ``interp.verifier``):
- ``instrs[i]`` is ``(opcode, *operands)`` matching ``OPCODES[opcode].operands``;
- registers ``0 .. nparams-1`` hold the parameters, every register operand is
  ``< nregs``; ``rk`` constants and ``const``/``name`` operands index ``consts``;
- ``positions[i]`` is the ``(line, col)`` of instruction ``i`` in ``source.filename``;
- ``loops[k]`` is the pc of the ``LOOP k`` instruction (the loop's header);
- the last instruction is a ``RETURN`` or ``JUMP`` (control never runs off the end).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(eq=False)
class SourceFile:
    """A program's source text, shared by every code object compiled from it."""

    filename: str
    text: str
    lines: list = field(init=False)

    def __post_init__(self):
        self.lines = re.split(r"\r\n|\r|\n", self.text)

    def column(self, lineno: int, byte_offset: int) -> int:
        """Character column of ``ast``'s UTF-8 byte offset on line ``lineno``."""
        return len(self.line(lineno).encode("utf-8")[:byte_offset].decode("utf-8", "ignore"))

    def line(self, lineno: int) -> str:
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return ""


@dataclass(eq=False)
class Code:
    name: str
    source: SourceFile
    instrs: tuple
    consts: tuple
    nregs: int
    nparams: int
    argnames: tuple
    regnames: tuple           # name of each local register ('' for temporaries)
    positions: tuple
    loops: tuple
    firstline: int = 1

    @property
    def filename(self) -> str:
        return self.source.filename

    def line_of(self, pc: int) -> int:
        if 0 <= pc < len(self.positions):
            return self.positions[pc][0]
        return self.firstline


class Function:
    """A guest function value: code, evaluated defaults and its module's globals."""

    __slots__ = ("code", "defaults", "globals", "__name__", "decoded")

    def __init__(self, code: Code, defaults: tuple, globals_: dict):
        self.code = code
        self.defaults = defaults
        self.globals = globals_
        self.__name__ = code.name
        self.decoded = None   # the interpreter's DecodedCode for (code, globals), cached

    def __repr__(self) -> str:
        return f"<function {self.code.name}>"


class GuestModule:
    """A whitelisted host module as the guest sees it: a fixed table of attributes."""

    __slots__ = ("name", "attrs")

    def __init__(self, name: str, attrs: dict):
        self.name = name
        self.attrs = attrs

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"
