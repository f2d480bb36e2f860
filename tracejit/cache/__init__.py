"""The persistent trace cache: machine code of compiled traces kept across processes.

A second run of a program finds its traces' machine code here and starts compiled,
without importing Numba. One module per job:

- ``location``: which directory (``VM(cache=...)``, ``TRACEJIT_CACHE_DIR``, XDG);
- ``key``: the cache key (the trace's source and signature, toolchain, CPU);
- ``entry``: an entry file's format (header with version and checksum);
- ``store``: atomic writes, least-recently-used eviction under a size cap;
- ``link``: object code -> self-contained shared object (system C compiler);
- ``loader``: shared object -> callable C entry (cffi's C core).

``TraceCache`` ties them together for the backend (``compile_trace``). Nothing here
raises into the program: a corrupt, truncated or foreign entry, machine code that
needs more than libc/libm, or a full disk is reported to ``report(action, key,
detail)`` (the JIT's ``cache`` log event) and the trace is compiled (or not stored).
"""
from __future__ import annotations

import time

from .entry import CorruptEntry, pack, unpack
from .key import entry_key
from .location import cache_directory, default_directory
from .store import EntryStore

__all__ = ["TraceCache", "cache_directory", "default_directory"]


class TraceCache:
    def __init__(self, directory: str, max_bytes: int | None = None, report=None):
        self.store = EntryStore(directory, max_bytes)
        self.report = report          # callable(action, key, detail) or None
        self.loaded = 0
        self.stored = 0
        self.load_seconds = 0.0       # reading, checking and loading entries (hits and rejects)
        self.store_seconds = 0.0      # emitting object code, linking and writing entries

    @property
    def directory(self) -> str:
        return self.store.directory

    def load(self, trace_key: str, symbol: str, c_types):
        """(C entry, library handle) of the cached machine code of ``trace_key``, or None."""
        start = time.perf_counter()
        try:
            key = entry_key(trace_key)
            data = self.store.read(key)
            if data is None:
                return None
            try:
                payload = unpack(key, data)
            except CorruptEntry as exc:
                self._report("rejected", key, f"{self.store.path(key)}: {exc}")
                return None
            from .loader import load_function
            try:
                loaded = load_function(payload, symbol, c_types)
            except Exception as exc:   # (a foreign object file, a missing symbol...)
                self._report("rejected", key, f"{self.store.path(key)}: cannot load: {exc}")
                return None
            self.loaded += 1
            return loaded
        except OSError as exc:
            self._report("rejected", trace_key, f"cannot read the cache: {exc}")
            return None
        finally:
            self.load_seconds += time.perf_counter() - start

    def store_code(self, trace_key: str, object_code) -> bool:
        """Store the machine code ``object_code()`` (a relocatable object) returns."""
        from .link import NotCacheable, shared_object
        start = time.perf_counter()
        key = trace_key
        try:
            key = entry_key(trace_key)
            self.store.write(key, pack(key, shared_object(object_code())))
            self.stored += 1
            return True
        except NotCacheable as exc:
            self._report("not_cacheable", key, str(exc))
        except Exception as exc:   # a full disk, a read-only directory, an llvmlite error...
            self._report("store_failed", key, f"{type(exc).__name__}: {exc}")
        finally:
            self.store_seconds += time.perf_counter() - start
        return False

    def _report(self, action: str, key: str, detail: str) -> None:
        if self.report is not None:
            self.report(action, key, detail)
