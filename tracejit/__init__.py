"""tracejit: a tracing JIT runtime for a Python subset.

    vm = tracejit.VM()
    mod = vm.load_file("prog.py")
    mod.call("main", 1000)
"""
from interp import CompileError, FuelExhausted, VerifyError

from .vm import VM, Module
from .decorator import jit

__version__ = "0.1.0"
__all__ = ["VM", "Module", "jit", "CompileError", "VerifyError", "FuelExhausted", "__version__"]
