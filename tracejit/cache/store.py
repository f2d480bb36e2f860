"""The cache directory: one file per entry, named by its key; atomic writes;
least-recently-used eviction under a size cap.

A file appears under its final name only complete (written to a temporary file in
the same directory, then ``os.replace``d), so a process reading concurrently sees the
old entry, the new one, or none. Reading an entry refreshes its modification time:
eviction removes the entries read or written longest ago until the directory holds at
most ``max_bytes``. Files another process removes meanwhile are simply gone.
"""
from __future__ import annotations

import os
import time

SUFFIX = ".tjtrace"
TEMP_PREFIX = ".tmp-"
DEFAULT_MAX_BYTES = 256 * 1024 * 1024     # TRACEJIT_CACHE_MAX_MB overrides
STALE_TEMP_SECONDS = 3600                 # a temporary file this old belonged to a dead writer


def default_max_bytes() -> int:
    value = os.environ.get("TRACEJIT_CACHE_MAX_MB")
    return int(float(value) * 1024 * 1024) if value else DEFAULT_MAX_BYTES


class EntryStore:
    def __init__(self, directory: str, max_bytes: int | None = None):
        self.directory = directory
        self.max_bytes = default_max_bytes() if max_bytes is None else max_bytes

    def path(self, key: str) -> str:
        return os.path.join(self.directory, key + SUFFIX)

    def read(self, key: str) -> bytes | None:
        """The bytes of entry ``key`` (None if there is none); marks it recently used."""
        path = self.path(key)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        try:
            os.utime(path)
        except OSError:
            pass
        return data

    def write(self, key: str, data: bytes) -> None:
        """Put ``data`` under ``key`` atomically, then evict down to the size cap."""
        import tempfile   # (not needed to read: a warm start never imports it)
        os.makedirs(self.directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.directory, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temp, self.path(key))
        except BaseException:
            _remove(temp)
            raise
        self.evict()

    def entries(self) -> list:
        """[(path, size, modification time)] of the entries, least recently used first."""
        found = []
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        for name in names:
            path = os.path.join(self.directory, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue
            if name.endswith(SUFFIX):
                found.append((path, stat.st_size, stat.st_mtime))
            elif name.startswith(TEMP_PREFIX) and stat.st_mtime < time.time() - STALE_TEMP_SECONDS:
                _remove(path)
        return sorted(found, key=lambda entry: entry[2])

    def evict(self) -> int:
        """Remove least recently used entries until the total is at most ``max_bytes``;
        returns how many were removed."""
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        removed = 0
        for path, size, _ in entries:
            if total <= self.max_bytes:
                break
            _remove(path)
            total -= size
            removed += 1
        return removed

    def clear(self) -> int:
        entries = self.entries()
        for path, _, _ in entries:
            _remove(path)
        return len(entries)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
