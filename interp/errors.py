"""Errors raised by the language front-end, the verifier and the interpreter.

``CompileError`` is a ``SyntaxError`` and always carries filename, line and column.
Runtime errors of guest programs are the host exception CPython would raise; the
interpreter attaches the guest traceback to them (``attach_guest_traceback``).
"""
from __future__ import annotations


class CompileError(SyntaxError):
    """Source the front-end does not accept: unsupported syntax, or invalid Python."""

    def __init__(self, message: str, filename: str, lineno: int, col: int, source_line: str | None = None):
        super().__init__(message, (filename, lineno, col + 1, source_line))
        self.col = col

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}:{self.col + 1}: {self.msg}"


class VerifyError(Exception):
    """A code object that violates the bytecode invariants; it is never run."""


class FuelExhausted(RuntimeError):
    """The guest program executed more bytecode instructions than its fuel allows.

    ``pc``: where the innermost frame stands, when whoever ran out knew it better than
    the interpreter's unit (compiled code charging its iterations at an exit); else None."""

    pc = None


GUEST_TRACEBACK_ATTR = "tracejit_traceback"


def format_guest_traceback(entries) -> str:
    """Format ``[(filename, line, function, source_line)]`` (outermost first)."""
    lines = ["tracejit traceback (most recent call last):"]
    for filename, line, function, source_line in entries:
        lines.append(f'  File "{filename}", line {line}, in {function}')
        if source_line:
            lines.append(f"    {source_line.strip()}")
    return "\n".join(lines)


def attach_guest_traceback(exc: BaseException, entries) -> None:
    """Attach the guest traceback once (the innermost handler that sees it wins)."""
    if getattr(exc, GUEST_TRACEBACK_ATTR, None) is not None:
        return
    try:
        setattr(exc, GUEST_TRACEBACK_ATTR, list(entries))
    except (AttributeError, TypeError):
        return
    note = format_guest_traceback(entries)
    if hasattr(exc, "add_note"):
        exc.add_note(note)
