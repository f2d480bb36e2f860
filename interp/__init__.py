"""The tracejit language: front-end, register bytecode, verifier and interpreter.

Pure Python + numpy; never imports ``tracejit`` or numba.
"""
from .code import Code, Function
from .compiler import compile_source
from .errors import CompileError, FuelExhausted, VerifyError
from .interpreter import Machine
from .verifier import verify

__all__ = ["Code", "Function", "compile_source", "CompileError", "FuelExhausted",
           "VerifyError", "Machine", "verify"]
