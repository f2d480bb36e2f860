"""``@tracejit.jit``: run a plain Python function in a shared default VM.

The function's module source is not used: only the function's own source (from
``inspect``) is compiled, so it may call only itself, builtins and math/numpy.
"""
from __future__ import annotations

import functools
import inspect
import textwrap

_default_vm = None


def default_vm():
    global _default_vm
    if _default_vm is None:
        from .vm import VM
        _default_vm = VM()
    return _default_vm


def jit(fn):
    """Compile ``fn`` (from its source) for the default VM on first call."""
    module = None

    @functools.wraps(fn)
    def wrapper(*args):
        nonlocal module
        if module is None:
            source = textwrap.dedent(inspect.getsource(fn))
            lines = source.splitlines()
            while lines and lines[0].lstrip().startswith("@"):
                lines.pop(0)
            filename = inspect.getsourcefile(fn) or "<jit>"
            firstline = inspect.getsourcelines(fn)[1]
            prefix = "import math\nimport numpy as np\n"
            padding = "\n" * max(firstline - 1 + len(lines) - len(source.splitlines()) - 2, 0)
            module = default_vm().load_source(prefix + padding + "\n".join(lines) + "\n", filename)
        return module.call(fn.__name__, *args)

    return wrapper
