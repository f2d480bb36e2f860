"""What the JIT produces, tracked per commit (asv draws each figure's history, so a
pass or a trace shape that changes shows as a step): traces compiled, JIT coverage,
trace aborts, and per-trace IR ops, guards and Numba compile time."""
from .common import PROGRAMS, SIZES, profile, warm_numba


class TrackJIT:
    """Every program runs once, in setup_cache (one process, Numba warmed up first);
    each track_ reads one figure of that run."""
    params = PROGRAMS
    param_names = ["program"]
    timeout = 300

    def setup_cache(self):
        warm_numba()
        return {name: profile(name, SIZES[name]) for name in PROGRAMS}

    def track_traces_compiled(self, profiles, program):
        return profiles[program]["traces_compiled"]
    track_traces_compiled.unit = "traces"

    def track_trace_aborts(self, profiles, program):
        return profiles[program]["trace_aborts"]
    track_trace_aborts.unit = "aborts"

    def track_jit_coverage(self, profiles, program):
        return profiles[program]["jit_coverage"]
    track_jit_coverage.unit = "fraction of instructions"

    def track_ir_ops_per_trace(self, profiles, program):
        return profiles[program]["ir_ops"]
    track_ir_ops_per_trace.unit = "IR ops"

    def track_guards_per_trace(self, profiles, program):
        return profiles[program]["guards"]
    track_guards_per_trace.unit = "guards"

    def track_compile_ms_per_trace(self, profiles, program):
        return profiles[program]["compile_ms"]
    track_compile_ms_per_trace.unit = "ms"
