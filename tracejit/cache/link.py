"""Object code -> shared object, with the system C compiler (``$CC``, else ``cc``).

The link uses ``-Wl,-z,defs`` and only libm (and libc): machine code that needs any
other symbol (Numba's runtime or helper library, the CPython API) fails to link and
is not cached (``NotCacheable`` names the symbols).
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile


class NotCacheable(Exception):
    """This machine code cannot be stored as a self-contained shared object (message: why)."""


def compiler() -> list | None:
    command = shlex.split(os.environ.get("CC", "")) or [shutil.which("cc") or shutil.which("gcc") or ""]
    return command if command[0] and shutil.which(command[0]) else None


def shared_object(object_code: bytes) -> bytes:
    cc = compiler()
    if cc is None:
        raise NotCacheable("no C compiler to link with (set CC or install cc)")
    with tempfile.TemporaryDirectory(prefix="tracejit-link-") as directory:
        obj = os.path.join(directory, "trace.o")
        out = os.path.join(directory, "trace.so")
        with open(obj, "wb") as f:
            f.write(object_code)
        result = subprocess.run(cc + ["-shared", "-o", out, obj, "-lm", "-Wl,-z,defs"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            missing = sorted(set(re.findall(r"undefined reference to [`'‘]([^'’`]+)", result.stderr)))
            if missing:
                raise NotCacheable(f"needs symbols outside libc/libm: {', '.join(missing)}")
            lines = (result.stderr or result.stdout).strip().splitlines()
            raise NotCacheable(f"{cc[0]} failed: {lines[0] if lines else f'exit status {result.returncode}'}")
        with open(out, "rb") as f:
            return f.read()
