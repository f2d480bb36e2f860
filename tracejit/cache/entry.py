"""The format of one cache entry file: a header, then a shared object.

    magic    8 bytes  b"TJTRACE\\0"
    version  4 bytes  FORMAT_VERSION (little-endian)
    length   8 bytes  payload size
    key     32 bytes  the entry's cache key (sha256)
    digest  32 bytes  sha256 of key + payload
    payload           the shared object (ELF on Linux) defining the trace's C entry

``unpack`` accepts only a complete entry of this version for the expected key whose
digest matches: anything else (truncated, bit-flipped, another version, another key)
raises ``CorruptEntry`` with the reason.
"""
from __future__ import annotations

import hashlib
import struct

MAGIC = b"TJTRACE\0"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<8sIQ32s32s")
HEADER_SIZE = _HEADER.size


class CorruptEntry(Exception):
    """A cache file that is not a valid entry for the key looked up (message: why)."""


def pack(key: str, payload: bytes) -> bytes:
    key_bytes = bytes.fromhex(key)
    digest = hashlib.sha256(key_bytes + payload).digest()
    return _HEADER.pack(MAGIC, FORMAT_VERSION, len(payload), key_bytes, digest) + payload


def unpack(key: str, data: bytes) -> bytes:
    """The payload of entry ``data`` stored under ``key``."""
    if len(data) < HEADER_SIZE:
        raise CorruptEntry(f"truncated: {len(data)} bytes, shorter than the header")
    magic, version, length, stored_key, digest = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise CorruptEntry("not a tracejit cache entry (bad magic)")
    if version != FORMAT_VERSION:
        raise CorruptEntry(f"format version {version}, this tracejit reads version {FORMAT_VERSION}")
    if stored_key != bytes.fromhex(key):
        raise CorruptEntry("stored under another key")
    payload = data[HEADER_SIZE:]
    if len(payload) != length:
        raise CorruptEntry(f"truncated: {len(payload)} of {length} payload bytes")
    if hashlib.sha256(stored_key + payload).digest() != digest:
        raise CorruptEntry("checksum mismatch")
    return payload
