"""Interpreter speed: main(n) with the JIT off."""
from .common import SIZES, Sampled, load, quiet_call


class TimeInterpreter(Sampled):
    """One call of main(n) in a VM without a JIT (setup loads the program)."""

    def setup(self, program):
        self.vm, self.module = load(program, jit=False)

    def time_main(self, program):
        quiet_call(self.module, SIZES[program])
