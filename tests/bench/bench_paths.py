"""Puts the benchmark tooling (bench/, asv_benchmarks/) on sys.path for tests/bench.

A plain module, not a conftest.py: a second ``conftest`` would shadow tests/conftest.py,
which other test modules import by that name."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
for path in (ROOT, BENCH):
    if path not in sys.path:
        sys.path.insert(0, path)
