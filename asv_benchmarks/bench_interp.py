"""Interpreter speed: main(n) with the JIT off."""
from .common import PROGRAMS, SIZES, load, quiet_call


class TimeInterpreter:
    """One call of main(n) in a VM without a JIT (setup loads the program)."""
    params = PROGRAMS
    param_names = ["program"]
    rounds = 2
    repeat = (2, 5, 5.0)
    warmup_time = 0.0

    def setup(self, program):
        self.vm, self.module = load(program, jit=False)

    def time_main(self, program):
        quiet_call(self.module, SIZES[program])
