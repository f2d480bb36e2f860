"""bench/trace_costs.py measures Numba compilations: its traces must get machine code at
once (a tree in the Python tier compiles nothing, which the table would show as 0 ms)."""
import random

import bench_paths  # noqa: F401

import trace_costs


def test_trace_costs_compiles_each_trace_with_numba():
    salt = random.randrange(10 ** 6) * 1000      # source unseen in this process: no reuse
    seconds, nins, nguards = trace_costs.compile_seconds(trace_costs.int_body(2, salt))
    assert seconds > 0 and nins > 10 and nguards >= 3
