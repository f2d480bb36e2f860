"""Cache keys: a trace's key (its source, C signature and inner loops: see
``tracejit.backend.numba_backend.trace_key``) combined with everything else that
determines its machine code, computed without importing numba or llvmlite:

- the entry format version and tracejit's version, and a hash of the backend's own
  source files (a change to code generation never reuses old machine code);
- the numba and llvmlite versions (read from their installed metadata);
- the CPU: machine, model name and feature flags (``/proc/cpuinfo`` where it exists),
  and ``NUMBA_*`` environment variables (``NUMBA_CPU_NAME``, ``NUMBA_OPT``...).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import platform

from .entry import FORMAT_VERSION

_fingerprint = []


def entry_key(trace_key: str) -> str:
    """The cache key (hex) of the trace whose in-process key is ``trace_key``."""
    return hashlib.sha256(f"{environment_fingerprint()}\0{trace_key}".encode()).hexdigest()


def environment_fingerprint() -> str:
    if not _fingerprint:
        from .. import __version__
        parts = [f"format={FORMAT_VERSION}", f"tracejit={__version__}", f"backend={_backend_hash()}",
                 f"numba={package_version('numba')}", f"llvmlite={package_version('llvmlite')}",
                 f"cpu={cpu_description()}"]
        parts += sorted(f"{name}={value}" for name, value in os.environ.items() if name.startswith("NUMBA_"))
        _fingerprint.append("\n".join(parts))
    return _fingerprint[0]


def _backend_hash() -> str:
    directory = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "backend")
    digest = hashlib.sha256()
    for name in sorted(os.listdir(directory)):
        if name.endswith(".py"):
            with open(os.path.join(directory, name), "rb") as f:
                digest.update(name.encode() + b"\0" + f.read())
    return digest.hexdigest()


def package_version(name: str) -> str:
    """The installed version of package ``name`` from its ``.dist-info`` directory name
    (``importlib.metadata`` costs ~60 ms to import), else its ``__init__`` file's size
    and modification time; ``missing`` if it is not installed."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return "missing"
    package_dir = os.path.dirname(spec.origin)
    site = os.path.dirname(package_dir)
    prefix = name.replace("-", "_") + "-"
    try:
        for entry in os.listdir(site):
            if entry.startswith(prefix) and entry.endswith((".dist-info", ".egg-info")):
                return entry[len(prefix):].rsplit(".", 1)[0]
    except OSError:
        pass
    stat = os.stat(spec.origin)
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


def cpu_description() -> str:
    lines = [platform.machine()]
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return " ".join(lines)
    for field in ("model name", "flags", "Features", "CPU part"):
        for line in text.splitlines():
            if line.split(":", 1)[0].strip() == field:
                lines.append(line.split(":", 1)[1].strip())
                break
    return " | ".join(lines)
