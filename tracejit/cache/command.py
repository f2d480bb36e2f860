"""``tracejit cache info`` and ``tracejit cache clear``."""
from __future__ import annotations

import os

from .location import OFF_VALUES, default_directory
from .store import EntryStore


def run_command(args) -> int:
    store = EntryStore(args.dir or default_directory())
    if args.action == "clear":
        print(f"removed {store.clear()} entries from {store.directory}")
        return 0
    entries = store.entries()
    size = sum(entry[1] for entry in entries)
    off = os.environ.get("TRACEJIT_CACHE", "").strip().lower() in OFF_VALUES
    print(f"directory: {store.directory}")
    print(f"entries:   {len(entries)}")
    print(f"size:      {size} bytes ({size / 2**20:.1f} MiB of at most {store.max_bytes / 2**20:.0f} MiB)")
    if off and not args.dir:
        print("(off by default: TRACEJIT_CACHE is set to turn it off)")
    return 0
