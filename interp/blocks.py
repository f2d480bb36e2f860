"""Code generation of dispatch units from instruction templates.

A *block* is a generated function ``B<pc>(R)`` running the instructions of one basic
block (from a leader to the first instruction that ends a block, or to the next leader)
with registers cached in Python locals; a *step* is the same for exactly one
instruction (``S<pc>``), used while the JIT records a trace. In profile mode
(``machine.profiler``) every instruction of either kind is bracketed by the profiler's
measurement lines (``interp.profile``).

Invariants of every generated function:
- it reads ``R[x]`` once, at entry, for each register it reads before writing;
- on every exit it writes back each register it wrote, then counts the instructions it
  executed (``XC[slot] += 1``, the slot's weight in ``Machine.exit_weights``), then
  returns the next unit of the same mode or ``None`` after setting ``machine.event``;
- an exception leaves registers unwritten: guest programs cannot catch exceptions,
  so the frame is discarded;
- each generated source line maps to the pc of the instruction it belongs to
  (``Unit.line_pcs``), which gives tracebacks their line.
"""
from __future__ import annotations

import contextlib
import math

from .opcodes import OPCODES, ends_block, jump_targets
from .templates import TEMPLATES

_LITERAL_TYPES = (int, str, bool, type(None))
_MAX_LITERAL_INT = 10 ** 100   # larger ints are bound by name: repr() of huge ints is limited


class BlockBuilder:
    """Collects the source of one generated function (see ``interp.templates``)."""

    def __init__(self, unit, start: int):
        self.unit = unit
        self.consts = unit.code.consts
        self.start = start
        self.pc = start
        self.body = []          # (indent, text, pc)
        self.depth = 1
        self.loaded = []
        self.written = []

    # vocabulary used by templates
    def r(self, x: int) -> str:
        if x not in self.written and x not in self.loaded:
            self.loaded.append(x)
        return f"r{x}"

    def w(self, x: int) -> str:
        if x not in self.written:
            self.written.append(x)
        return f"r{x}"

    def rk(self, x: int) -> str:
        if x < 0:
            return self.k(self.consts[-1 - x])
        return self.r(x)

    def k(self, value) -> str:
        if (type(value) in _LITERAL_TYPES and not (type(value) is int and abs(value) > _MAX_LITERAL_INT)) \
                or (type(value) is float and math.isfinite(value)):
            return f"({value!r})"
        return self.unit.constant_name(value)

    def line(self, text: str) -> None:
        self.body.append((self.depth, text, self.pc))

    @contextlib.contextmanager
    def indent(self):
        """A nested block. Registers written inside it count as written only there:
        templates only nest code that leaves the unit or raises."""
        self.depth += 1
        written = list(self.written)
        try:
            yield
        finally:
            self.depth -= 1
            self.written = written

    def writeback(self) -> None:
        for x in self.written:
            self.line(f"R[{x}] = r{x}")

    def profile_lines(self, lines) -> None:
        for text in lines:
            self.line(text)

    def count(self) -> None:
        profiler = self.unit.machine.profiler
        if profiler is not None:
            self.profile_lines(profiler.finish(profiler.slot(self.unit.decoded, self.pc)))
        slot = self.unit.machine.new_exit_slot(self.pc - self.start + 1, self.unit.decoded,
                                               self.start)
        self.line(f"XC[{slot}] += 1")

    def exit(self, target: int) -> None:
        self.writeback()
        self.count()
        self.line(f"return {self.block_name(target)}")

    def exit_event(self, writeback: bool = True) -> None:
        if writeback:
            self.writeback()
        self.count()
        self.line("return None")

    def block_name(self, pc: int) -> str:
        return self.unit.name_for(pc)

    # assembling
    def emit_instruction(self, pc: int) -> None:
        profiler = self.unit.machine.profiler
        if profiler is not None and pc != self.start:
            # the previous instruction fell through to this one
            self.profile_lines(profiler.finish(profiler.slot(self.unit.decoded, pc - 1)))
            self.pc = pc
            self.profile_lines(profiler.start())
        self.pc = pc
        opcode, *operands = self.unit.code.instrs[pc]
        TEMPLATES[opcode](self, pc, *operands)

    def source(self, first_line: int):
        """(source lines, pc of each line) of the function, starting at ``first_line``."""
        name = self.unit.name_for(self.start)
        lines = [f"def {name}(R):"]
        profiler = self.unit.machine.profiler
        if profiler is not None:
            lines += ["    " + text for text in profiler.prologue() + profiler.start()]
        pcs = [self.start] * len(lines)
        for x in self.loaded:
            lines.append(f"    r{x} = R[{x}]")
            pcs.append(self.start)
        for depth, text, pc in self.body:
            lines.append("    " * depth + text)
            pcs.append(pc)
        return lines, pcs


class Units:
    """The generated functions of one decoded code object in one mode.

    ``mode`` is ``"block"`` (basic blocks from every leader; a block for any other pc
    is generated on first request) or ``"step"`` (one function per instruction)."""

    def __init__(self, decoded, mode: str, namespace: dict):
        self.decoded = decoded
        self.machine = decoded.machine
        self.code = decoded.code
        self.mode = mode
        self.prefix = "B" if mode == "block" else "S"
        self.namespace = namespace
        self.const_names = {}
        self.filename = (f"<tracejit {mode}s of {self.code.name} "
                         f"{self.code.filename}:{self.code.firstline} #{id(self):x}>")
        self.line_pcs = [0]           # 1-based source line -> pc
        self.start_of = {}            # generated function -> pc of its first instruction
        self.by_pc = {}
        code = self.code
        self.leaders = leaders(code) if mode == "block" else set(range(len(code.instrs)))
        self.generate(sorted(self.leaders))

    def name_for(self, pc: int) -> str:
        return f"{self.prefix}{pc}"

    def constant_name(self, value) -> str:
        name = self.const_names.get(id(value))
        if name is None:
            name = f"K{len(self.const_names)}"
            self.const_names[id(value)] = name
            self.namespace[name] = value
        return name

    def generate(self, starts) -> None:
        source_lines = []
        first = len(self.line_pcs)
        for start in starts:
            builder = BlockBuilder(self, start)
            pc = start
            while True:
                builder.emit_instruction(pc)
                opcode = self.code.instrs[pc][0]
                if ends_block(OPCODES[opcode]):
                    break
                pc += 1
                if self.mode == "step" or pc in self.leaders:
                    builder.pc = pc - 1
                    builder.exit(pc)
                    break
            lines, pcs = builder.source(first + len(source_lines))
            source_lines += lines
            self.line_pcs += pcs
        # pad so that every generate() call's lines number after the previous ones
        text = "\n" * (first - 1) + "\n".join(source_lines) + "\n"
        exec(compile(text, self.filename, "exec"), self.namespace)
        for start in starts:
            fn = self.namespace[self.name_for(start)]
            self.by_pc[start] = fn
            self.start_of[fn] = start
        self.machine.unit_files[self.filename] = self

    def at(self, pc: int):
        """The function that starts running at ``pc`` (generated on first request)."""
        fn = self.by_pc.get(pc)
        if fn is None:
            self.generate([pc])
            fn = self.by_pc[pc]
        return fn

    def pc_of_line(self, lineno: int) -> int:
        if 0 < lineno < len(self.line_pcs):
            return self.line_pcs[lineno]
        return 0


def leaders(code) -> set:
    """Instructions that start a basic block: the entry, jump targets, and every
    instruction following one that ends a block."""
    result = {0}
    for pc, instr in enumerate(code.instrs):
        result.update(jump_targets(instr))
        if ends_block(OPCODES[instr[0]]) and pc + 1 < len(code.instrs):
            result.add(pc + 1)
    return result
