"""A loop with 2**12 paths (twelve independent if/else): the JIT must finish with a
bounded number of traces and say why it stopped (issue #6), and never change results."""
import pytest

import tracejit
from log_programs import paths_source
from tracejit import log
from tracejit.jit import MAX_SIDE_TRACES, MAX_TRACES_PER_LOOP, MAX_TREE_OPS

PATHS = paths_source(12, 4096)


@pytest.mark.slow
def test_a_loop_with_4096_paths_stays_bounded_and_logs_why(tmp_path):
    path = tmp_path / "paths.jsonl"
    with tracejit.VM(hot_loop=1, hot_exit=1, log=str(path)) as vm:
        result = vm.load_source(PATHS, "<paths>").call("main", 6000)
        stats = vm.stats()
    assert result == tracejit.VM(jit=False).load_source(PATHS, "<paths>").call("main", 6000)
    assert stats["traces_compiled"] <= MAX_TRACES_PER_LOOP
    assert stats["side_traces"] <= MAX_SIDE_TRACES
    events = list(log.read_log(str(path)))
    kinds = [e["event"] for e in events]
    trees = [e for e in events if e["event"] in ("compiled", "side")]
    assert max(e["ops"] for e in trees) < MAX_TREE_OPS + MAX_TREE_OPS // 2
    # the tree stops growing with a logged reason, and a loop whose trace keeps exiting
    # is retired (and blacklisted) with a logged reason
    assert "tree_full" in kinds or "blacklist" in kinds or "retire" in kinds, kinds
