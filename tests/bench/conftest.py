"""tests/bench: the benchmark tooling (bench/, asv_benchmarks/) is importable from here."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
for path in (ROOT, BENCH):
    if path not in sys.path:
        sys.path.insert(0, path)
