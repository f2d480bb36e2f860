"""The asv benchmarks import, and their setup and bodies work on one program."""
import os
import shutil
import subprocess
import sys

import pytest

from bench_paths import ROOT
from asv_benchmarks import bench_interp, bench_jit, bench_traces, common


def test_steady_state_setup_compiles_and_the_timed_call_runs_compiled_code():
    bench = bench_jit.TimeJITSteady()
    bench.setup("leibniz_pi")
    before = bench.module.vm.stats()
    assert before["traces_compiled"] >= 1
    bench.time_repeat_call("leibniz_pi")
    after = bench.module.vm.stats()
    assert after["traces_compiled"] == before["traces_compiled"]   # nothing recompiled
    assert after["trace_entries"] > before["trace_entries"]


def test_interpreter_benchmark_has_no_jit():
    bench = bench_interp.TimeInterpreter()
    bench.setup("histogram")
    assert bench.vm.jit is None
    bench.time_main("histogram")


def test_profile_reads_trace_figures_from_jit_events():
    figures = common.profile("leibniz_pi", common.test_n("leibniz_pi"))
    assert figures["traces_compiled"] == 1
    assert figures["ir_ops_per_trace"] > figures["guards_per_trace"] > 0
    assert 0 < figures["jit_coverage"] <= 1
    track = bench_traces.TrackJIT()
    for figure in bench_traces.FIGURES:
        assert getattr(track, "track_" + figure)({"leibniz_pi": figures}, "leibniz_pi") == figures[figure]


def test_every_benchmarked_program_exists():
    for name in common.PROGRAMS + bench_jit.TimeRawProcess.params:
        assert name in common.SIZES
        assert common.test_n(name) > 0


ASV = shutil.which("asv", path=os.path.dirname(sys.executable)) or shutil.which("asv")


@pytest.mark.skipif(ASV is None, reason="asv not installed (pip install -e '.[bench]')")
def test_asv_discovers_the_benchmarks():
    proc = subprocess.run([ASV, "check", "--python=same"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, ASV_PYTHONPATH=ROOT))
    assert proc.returncode == 0 and "No problems found" in proc.stdout, proc.stdout + proc.stderr
