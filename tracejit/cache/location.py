"""Where the persistent trace cache lives.

``VM(cache=...)``: a directory path, ``True``/``None`` (the default location) or
``False`` (no cache). The default location is ``$TRACEJIT_CACHE_DIR``, else
``$XDG_CACHE_HOME/tracejit``, else ``~/.cache/tracejit``. ``TRACEJIT_CACHE=0`` (or
``off``, ``no``, ``false``) turns the default off.
"""
from __future__ import annotations

import os

OFF_VALUES = ("0", "off", "no", "false")


def default_directory() -> str:
    """The cache directory used when none is given (whether or not the cache is on)."""
    explicit = os.environ.get("TRACEJIT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tracejit")


def cache_directory(option=None) -> str | None:
    """The directory for ``VM(cache=option)``, or None when caching is off."""
    if option is False:
        return None
    if option is None or option is True:
        if os.environ.get("TRACEJIT_CACHE", "").strip().lower() in OFF_VALUES:
            return None
        return default_directory()
    return os.fspath(option)
