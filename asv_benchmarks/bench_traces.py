"""What the JIT produces, tracked per commit (asv draws each figure's history, so a
pass or a trace shape that changes shows as a step): traces compiled, JIT coverage,
trace aborts, and per-trace IR ops, guards and Numba compile time."""
from .common import PROGRAMS, SIZES, PerProgram, profile, warm_numba

# figure of common.profile -> unit; TrackJIT gets a track_<figure> for each
FIGURES = {
    "traces_compiled": "traces",
    "trace_aborts": "aborts",
    "jit_coverage": "fraction of instructions",
    "ir_ops_per_trace": "IR ops",
    "guards_per_trace": "guards",
    "compile_ms_per_trace": "ms",
}


class TrackJIT(PerProgram):
    """Every program runs once, in setup_cache (one process, Numba warmed up first);
    each track_ reads one figure of that run."""
    timeout = 300

    def setup_cache(self):
        warm_numba()
        return {name: profile(name, SIZES[name]) for name in PROGRAMS}


def _tracker(figure, unit):
    def track(self, profiles, program):
        return profiles[program][figure]
    track.__name__ = "track_" + figure
    track.unit = unit
    return track


for _figure, _unit in FIGURES.items():
    setattr(TrackJIT, "track_" + _figure, _tracker(_figure, _unit))
