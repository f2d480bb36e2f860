"""Disassembler and bytecode reference, both generated from the opcode table.

``disassemble(code)`` renders one code object (and, with ``recursive``, the code
objects among its constants) with source lines; ``opcode_reference()`` renders the
Markdown of ``docs/bytecode.md``.
"""
from __future__ import annotations

from .code import Code
from .opcodes import EFFECTS, OPCODES, OPERAND_KINDS, const_index


def format_operand(code: Code, kind: str, value: int) -> str:
    if kind in ("dst", "reg", "base", "dstbase", "base3"):
        name = code.regnames[value] if value < len(code.regnames) else ""
        return f"r{value}" + (f"({name})" if name else "")
    if kind == "rk":
        if value < 0:
            return f"K{const_index(value)}({_short(code.consts[const_index(value)])})"
        return format_operand(code, "reg", value)
    if kind in ("const", "name"):
        return f"K{value}({_short(code.consts[value])})"
    if kind == "jump":
        return f"->{value}"
    if kind == "loop":
        return f"loop{value}"
    return str(value)


def _short(value) -> str:
    if isinstance(value, Code):
        return f"<code {value.name}>"
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def format_instruction(code: Code, pc: int) -> str:
    opcode, *operands = code.instrs[pc]
    info = OPCODES[opcode]
    args = ", ".join(format_operand(code, kind, value) for kind, value in zip(info.operands, operands))
    return f"{pc:4d}  {info.name:<12} {args}"


def disassemble(code: Code, recursive: bool = True) -> str:
    out = [f"code {code.name} ({code.filename}:{code.firstline}) params={code.nparams} "
           f"regs={code.nregs} loops={len(code.loops)}"]
    last_line = None
    for pc in range(len(code.instrs)):
        line = code.positions[pc][0]
        if line != last_line:
            out.append(f"      ; {code.filename}:{line}: {code.source.line(line).strip()}")
            last_line = line
        out.append(format_instruction(code, pc))
    text = "\n".join(out)
    if recursive:
        for const in code.consts:
            if isinstance(const, Code):
                text += "\n\n" + disassemble(const, recursive=True)
    return text


def opcode_reference() -> str:
    """The Markdown text of docs/bytecode.md."""
    lines = [
        "# tracejit bytecode",
        "",
        "Generated from `interp/opcodes.py` by `python -m interp.disasm --reference`;",
        "a test checks that this file is current.",
        "",
        "Instructions are `(opcode, operand...)`. `R[x]` is register x of the frame,",
        "`K[x]` constant x, `RK[x]` a register (x >= 0) or constant `-1 - x` (x < 0).",
        "",
        "## Operand kinds",
        "",
    ]
    lines += [f"- `{kind}`: {meaning}" for kind, meaning in OPERAND_KINDS.items()]
    lines += ["", "## Effects", ""]
    lines += [f"- `{effect}`: {meaning}" for effect, meaning in EFFECTS.items()]
    lines += ["", "## Opcodes", "", "| # | name | operands | effect | meaning |",
              "|---|---|---|---|---|"]
    for number, info in enumerate(OPCODES):
        doc_text = info.doc.replace("|", "\\|")
        lines.append(f"| {number} | `{info.name}` | {' '.join(info.operands)} | {info.effect} | {doc_text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--reference"]:
        sys.stdout.write(opcode_reference())
    else:
        sys.exit("usage: python -m interp.disasm --reference")
