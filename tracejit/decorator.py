"""``@tracejit.jit``: run a plain Python function in a shared default VM.

Only the function's own source (from ``inspect``) is compiled, with ``math`` and
``numpy as np`` imported, so it may call itself, builtins, math and numpy, not other
host functions. Line numbers in errors and tracebacks are those of the host file.
"""
from __future__ import annotations

import functools
import inspect
import textwrap

_default_vm = None


def default_vm():
    """The VM shared by every ``@jit`` function (created on first use)."""
    global _default_vm
    if _default_vm is None:
        from .vm import VM
        _default_vm = VM()
    return _default_vm


def function_source(fn) -> tuple:
    """(filename, text) whose ``def`` of ``fn`` sits on its line in the host file."""
    lines, first = inspect.getsourcelines(fn)
    source = textwrap.dedent("".join(lines)).splitlines()
    while source and source[0].lstrip().startswith("@"):
        source.pop(0)
        first += 1
    header = "import math; import numpy as np"
    padding = max(first - 2, 0)
    text = header + "\n" * (padding + 1) + "\n".join(source) + "\n"
    if first < 2:   # no room above the def for the imports: keep the def first
        text = "\n".join(source) + "\n" + header + "\n"
    return inspect.getsourcefile(fn) or "<jit>", text


def jit(fn):
    """Compile ``fn`` for the default VM on its first call; later calls reuse it."""
    module = None

    @functools.wraps(fn)
    def wrapper(*args):
        nonlocal module
        if module is None:
            filename, text = function_source(fn)
            module = default_vm().load_source(text, filename)
        return module.call(fn.__name__, *args)

    return wrapper
