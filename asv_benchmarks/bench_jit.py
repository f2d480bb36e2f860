"""JIT speed: cold (a fresh VM: recording, Numba compilation and the run), steady state
(traces compiled in setup, the repeat call timed), record-and-compile alone, and a
whole fresh process.

Cold and compile benchmarks time exactly one call per process (number = repeat = 1,
no warm-up): traces compiled by an earlier sample would otherwise be found in the
backend's in-process cache. asv's ``rounds`` gives one sample per process.
"""
from .common import (SIZES, OneCallPerProcess, Sampled, load, program_path, quiet_call, test_n,
                     warm_numba)


COMPILE_HOT_LOOP = 50   # at TEST_N, every program's compilable loops reach this


class TimeJITCold(OneCallPerProcess):
    """main(n) in a fresh VM: interpreting until loops are hot, recording, compiling, running."""

    def setup(self, program):
        warm_numba()
        self.vm, self.module = load(program, jit=True)

    def time_first_call(self, program):
        quiet_call(self.module, SIZES[program])


class TimeTraceCompile(OneCallPerProcess):
    """main(TEST_N) in a fresh VM whose loops are hot after COMPILE_HOT_LOOP iterations
    and compiled at once (no Python tier): the run is short, so the time is mostly
    recording and Numba compilation of every trace the program gets."""

    def setup(self, program):
        warm_numba()
        self.vm, self.module = load(program, jit=True, hot_loop=COMPILE_HOT_LOOP, hot_compile=0)

    def time_record_and_compile(self, program):
        quiet_call(self.module, test_n(program))


_warm = {}   # program -> module whose traces are compiled (kept across asv's setup calls)


class TimeJITSteady(Sampled):
    """main(n) again in a VM that has already run it: compiled traces, no recording."""

    def setup(self, program):
        if program not in _warm:
            _, module = load(program, jit=True)
            quiet_call(module, SIZES[program])
            _warm[program] = module
        self.module = _warm[program]

    def time_repeat_call(self, program):
        quiet_call(self.module, SIZES[program])


class TimeRawProcess:
    """A whole fresh process: import tracejit (and Numba), load, main(n), as a user's
    ``tracejit run`` pays it. Two programs only: each sample is a new interpreter."""
    params = ["leibniz_pi", "spectral_norm"]
    param_names = ["program"]
    rounds = 1
    repeat = 2

    def timeraw_import_load_run(self, program):
        return f"""
import contextlib, os
os.environ["TRACEJIT_CACHE"] = "0"
import tracejit
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    tracejit.VM().load_file({program_path(program)!r}).call("main", {SIZES[program]})
"""
