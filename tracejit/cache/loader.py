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
    """(the C function ``symbol`` of the shared object ``payload``, a ``LoadedLibrary``
    that must stay alive as long as the function is used)."""
    import _cffi_backend as backend
    if hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd"):
        fd = os.memfd_create("tracejit-trace", os.MFD_CLOEXEC)
        try:
            os.write(fd, payload)
            loaded = LoadedLibrary(backend.load_library(f"/proc/self/fd/{fd}"), fd)
        except BaseException:
            os.close(fd)
            raise
    else:
        import tempfile
        fd, path = tempfile.mkstemp(suffix=".so", prefix="tracejit-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
            loaded = LoadedLibrary(backend.load_library(path), None)
        finally:
            os.remove(path)
    return loaded.library.load_function(abi.function_type(c_types), symbol), loaded


class LoadedLibrary:
    """A loaded shared object and the memory file it came from. The file stays open
    while the library is loaded: the dynamic loader knows a library by its path, and a
    path /proc/self/fd/N reused for another library would be taken for this one. When
    this object is freed (an evicted trace's code, ``tracejit.trace_memory``), the
    library is unloaded (cffi closes it with its last reference), then the file closed."""

    __slots__ = ("library", "fd")

    def __init__(self, library, fd):
        self.library = library
        self.fd = fd

    def __del__(self, close=os.close):
        self.library = None
        if self.fd is not None:
            close(self.fd)
