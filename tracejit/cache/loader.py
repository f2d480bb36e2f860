"""Shared object bytes -> the C entry function, with cffi's C core (no numba, no C parser).

The verified bytes themselves are loaded: through an anonymous memory file
(``memfd_create``) where the system has one, else through a private temporary file
removed right after loading (a unique name each time); never by reopening the cache
file, which another process may have replaced meanwhile.
"""
from __future__ import annotations

import os

from ..backend import abi


def load_function(payload: bytes, symbol: str, c_types):
    """(the C function ``symbol`` of the shared object ``payload``, the library handle
    that must stay alive as long as the function is used)."""
    import _cffi_backend as backend
    if hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
        # the file stays open while the process lives: the dynamic loader knows a library
        # by its path, and a path /proc/self/fd/N reused for another library would be
        # taken for the one loaded before
        fd = os.memfd_create("tracejit-trace", os.MFD_CLOEXEC)
        os.write(fd, payload)
        library = backend.load_library(f"/proc/self/fd/{fd}")
    else:
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".so", prefix="tracejit-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
            library = backend.load_library(path)
        finally:
            os.remove(path)
    return library.load_function(abi.function_type(c_types), symbol), library
