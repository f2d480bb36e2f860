"""Disassembler output is derived from the opcode table and shows source lines."""
import interp
from interp.disasm import disassemble, format_instruction
from interp.opcodes import OPCODES

SOURCE = """\
import math
SCALE = 2.5
def main(n, k=3):
    total = 0.0
    for i in range(n):
        total += math.sqrt(i) * SCALE
    return [total, k, {1: (n,)}]
"""


def test_disassembly_lists_every_code_object_with_lines():
    text = disassemble(interp.compile_source(SOURCE, "d.py"))
    assert "code <module> (d.py:1)" in text and "code main (d.py:3) params=2" in text
    assert "; d.py:6: total += math.sqrt(i) * SCALE" in text
    assert "FORPREP" in text and "FORLOOP" in text and "LOOP         loop0" in text
    assert "K" in text and "r0(n)" in text


def test_every_instruction_renders_with_its_opcode_name():
    code = interp.compile_source(SOURCE, "d.py")
    main_code = next(c for c in code.consts if isinstance(c, interp.Code))
    for pc, instr in enumerate(main_code.instrs):
        line = format_instruction(main_code, pc)
        assert OPCODES[instr[0]].name in line and line.lstrip().startswith(str(pc))


def test_long_constants_are_shortened():
    code = interp.compile_source("x = 'abcdefghijklmnopqrstuvwxyz0123456789'\n", "d.py")
    assert "..." in disassemble(code)
