"""Numba's part of the backend: generated source -> machine code with a C entry point.

The only module that imports numba and llvmlite (at call time: a process whose
traces all come from the persistent cache never imports them).

A trace's source is compiled by ``numba.njit`` with an explicit signature of C
scalar and pointer types (``abi``), without Numba's runtime (``_nrt=False``) and
without a CPython wrapper: the *body*. An outer trace calls an inner loop's body
(Numba links the callee's code into the caller's library), so an outer trace's
machine code is self-contained. The *entry* is a small function with a plain C ABI
generated here in LLVM IR: it calls the body with Numba's calling convention and
returns its result (-2 if the body reported an error, which generated code never
does). Unlike ``numba.cfunc``, whose wrapper reports errors through the CPython API
and Numba's helper library, the entry needs nothing but the body. In this process the
entry's library only declares the body (Numba's JIT resolves it to the body's code).

While a trace compiles, Numba's typing of scalar operators is memoized
(``_typing_memo``) and its CPU target loads only the registries generated source can
use (``_trace_registries``).

``object_code`` links the entry and the body's code into one relocatable,
position-independent object file for the persistent cache. The C library's ``pow`` is called through the
symbol ``tracejit_pow`` (LLVM rewrites calls it recognizes as ``pow`` with constant
operands, which can change the last bit compared with CPython): in this process the
symbol is bound to libm's ``pow``; in an object file a one-line function calls ``pow``
marked ``nobuiltin``.
"""
from __future__ import annotations

import contextlib
import operator

from . import abi

ERROR_RESULT = -2     # the entry's result when the body returned an error status
POW_SYMBOL = "tracejit_pow"
_POW_STUB = f"""
declare double @pow(double, double)

define hidden double @{POW_SYMBOL}(double %x, double %y) {{
  %r = call double @pow(double %x, double %y) #0
  ret double %r
}}

attributes #0 = {{ nobuiltin }}
"""
_state = {}


def libm_pow():
    """What generated source calls as ``libm_pow``: the external function ``tracejit_pow``."""
    if "pow" not in _state:
        import ctypes
        import ctypes.util

        import llvmlite.binding as llvm
        from numba import types
        pow_ = ctypes.CDLL(ctypes.util.find_library("m")).pow
        llvm.add_symbol(POW_SYMBOL, ctypes.cast(pow_, ctypes.c_void_p).value)
        _state["pow"] = types.ExternalFunction(POW_SYMBOL, types.float64(types.float64, types.float64))
    return _state["pow"]


def compile_body(function, c_types):
    """``numba.njit`` of the trace function for C argument types ``c_types``, through
    ``trace_pipeline``. The memo and the trimmed registries replace Numba's methods for
    the whole process while they are in place, so they are put in place under Numba's
    compiler lock: a compilation in another thread waits for them to be gone."""
    import numba
    from numba.core.compiler_lock import global_compiler_lock
    signature = abi.numba_type(abi.RESULT_C_TYPE)(*[abi.numba_type(t) for t in c_types])
    with global_compiler_lock, _typing_memo(), _trace_registries():
        return numba.njit(signature, error_model="numpy", boundscheck=False, nogil=True,
                          _nrt=False, no_cpython_wrapper=True, no_cfunc_wrapper=True,
                          pipeline_class=trace_pipeline())(function)


@contextlib.contextmanager
def _typing_memo():
    """While a trace compiles: Numba's typing of a function applied to scalar argument
    types answers from earlier answers for the same function and argument types.

    Numba types an operator by trying every template registered for it (NumPy's ufunc
    rules among them), at each use, and again at each use while lowering (to find the
    implementation) and for each item assignment: a third of a trace's compile time
    went there, for the same few (operator, int64/float64/bool/pointer) pairs each time.
    An answer depends only on the function and the argument types (keys of Numba's
    interned types, literal values included), so two memos keep them:

    - ``_state["typing"]``: the typing context's ``resolve_function_type`` for typed
      functions and ``operator``'s item access;
    - ``_state["calls"]``: ``get_call_type`` of a function type (``BaseFunction``),
      which typing, lowering and item assignment all reach. Its first answer also left
      the implementation key on the (interned) function type, which lowering reads.

    Failures, keyword arguments and anything but scalar and pointer argument types (a
    called inner loop's dispatcher, say) go to Numba."""
    from numba.core import types
    from numba.core.registry import cpu_target
    from numba.core.types.functions import BaseFunction
    context = cpu_target.typing_context
    if "resolve_function_type" in vars(context):     # a compilation inside one: memoized already
        yield
        return
    if "typing" not in _state:
        _state["typing"] = ({}, (types.Integer, types.IntegerLiteral, types.Float, types.Boolean,
                                 types.BooleanLiteral, types.CPointer))
        _state["calls"] = {}
    memo, scalar = _state["typing"]
    calls = _state["calls"]
    resolve = context.resolve_function_type
    get_call_type = BaseFunction.get_call_type

    def memoized(func, args, kws):
        typed = isinstance(func, types.Function) or func is operator.getitem or func is operator.setitem
        if kws or not typed or not all(type(a) in scalar for a in args):
            return resolve(func, args, kws)
        key = (func, tuple(args))
        found = memo.get(key)
        if found is None:
            found = resolve(func, args, kws)
            if found is not None:
                memo[key] = found
        return found

    def memoized_call_type(function, typing_context, args, kws):
        if kws or typing_context is not context or not all(type(a) in scalar for a in args):
            return get_call_type(function, typing_context, args, kws)
        key = (function, tuple(args))
        found = calls.get(key)
        if found is None:
            found = calls[key] = get_call_type(function, typing_context, args, kws)   # raises if none
        return found

    context.resolve_function_type = memoized
    BaseFunction.get_call_type = memoized_call_type
    try:
        yield
    finally:
        del context.resolve_function_type     # the class's method again
        BaseFunction.get_call_type = get_call_type


@contextlib.contextmanager
def _trace_registries():
    """While a trace compiles, Numba's CPU target loads only the implementations and
    typing templates generated source can use: Python's scalar numbers and builtins,
    tuples, ranges and iterators, ``math``, items of C pointers (and its runtime, which
    every library links). Loading all of them (NumPy's, typed containers', jitclass, cffi...)
    took 60 ms of a process's first compilation. Registries load incrementally: a
    compilation outside a trace (a program's own ``numba.njit`` code, say) still loads
    the rest, at its first use."""
    from numba.core import cpu
    from numba.core.typing import context as typing_context
    targets = (cpu.CPUContext, typing_context.Context)
    if "registries" not in _state:
        def target_registries(context):
            from numba.core.runtime import rtsys
            rtsys.initialize(context)
            from numba.cpython import builtins, iterators, numbers, rangeobj, tupleobj  # noqa: F401
            from numba.cpython import cmathimpl, mathimpl
            context.install_registry(mathimpl.registry)
            context.install_registry(cmathimpl.registry)

        def typing_registries(context):
            from numba.core.typing import cmathdecl, mathdecl
            context.install_registry(mathdecl.registry)
            context.install_registry(cmathdecl.registry)
        _state["registries"] = (target_registries, typing_registries)
    originals = [vars(target)["load_additional_registries"] for target in targets]
    for target, trimmed in zip(targets, _state["registries"]):
        target.load_additional_registries = trimmed
    try:
        yield
    finally:
        for target, original in zip(targets, originals):
            target.load_additional_registries = original


def trace_pipeline():
    """Numba's nopython pipeline cut to the passes generated trace source needs.

    Generated source has no closures, ``with``, ``raise``, literal unrolling or calls
    to inline, and each of its variables has one type (the backend names one variable
    per IR value; a loop variable keeps its type round the loop), so the untyped
    rewrites, inlining and the SSA reconstruction (with its phi stripping) have nothing
    to do but cost time: about a third of each compilation (docs/architecture.md,
    "Compile time"). What is left: bytecode to Numba IR, type inference, legalization,
    lowering and the backend."""
    if "pipeline" not in _state:
        from numba.core import typed_passes as typed
        from numba.core import untyped_passes as untyped
        from numba.core.compiler import CompilerBase
        from numba.core.compiler_machinery import PassManager

        class TracePipeline(CompilerBase):
            def define_pipelines(self):
                pm = PassManager("tracejit")
                pm.add_pass(untyped.TranslateByteCode, "analyzing bytecode")
                pm.add_pass(untyped.FixupArgs, "fix up args")
                pm.add_pass(untyped.IRProcessing, "processing IR")
                pm.add_pass(typed.NopythonTypeInference, "nopython frontend")
                pm.add_pass(typed.IRLegalization, "ensure IR is legal prior to lowering")
                pm.add_pass(typed.AnnotateTypes, "annotate types")
                pm.add_pass(typed.NativeLowering, "native lowering")
                pm.add_pass(typed.NoPythonBackend, "nopython mode backend")
                pm.finalize()
                return [pm]

        _state["pipeline"] = TracePipeline
    return _state["pipeline"]


def entry_library(body, c_types, symbol):
    """(Numba code library holding the C entry ``symbol``, its address). The library only
    declares the body: Numba's JIT resolves it to the body's code already in the process
    (linking it in would generate the body's machine code a second time)."""
    from llvmlite import ir
    from numba.core import cgutils
    from numba.core.compiler_lock import global_compiler_lock
    argtypes = tuple(abi.numba_type(t) for t in c_types)
    result = body.overloads[argtypes]
    context = result.target_context
    restype = abi.numba_type(abi.RESULT_C_TYPE)
    module = context.create_module(symbol)
    callee = cgutils.get_or_insert_function(module, context.call_conv.get_function_type(restype, argtypes),
                                            result.fndesc.llvm_func_name)
    entry = ir.Function(module, ir.FunctionType(context.get_value_type(restype),
                                                [context.get_value_type(t) for t in argtypes]), symbol)
    builder = ir.IRBuilder(entry.append_basic_block())
    status, value = context.call_conv.call_function(builder, callee, restype, argtypes, list(entry.args))
    builder.ret(builder.select(status.is_ok, value, ir.Constant(value.type, ERROR_RESULT)))
    with global_compiler_lock:
        library = context.codegen().create_library(symbol)
        library.add_ir_module(module)
        library.finalize()
    return library, library.get_pointer_to_function(symbol)


def object_code(entry, body, c_types) -> bytes:
    """A position-independent object file (for the CPU Numba compiled for) holding the
    entry library ``entry`` and the code of the Numba ``body`` (with the inner loops'
    bodies Numba linked into it): self-contained but for libc and libm."""
    import llvmlite.binding as llvm
    module = llvm.parse_assembly(entry.get_llvm_str())
    argtypes = tuple(abi.numba_type(t) for t in c_types)
    module.link_in(llvm.parse_assembly(body.overloads[argtypes].library.get_llvm_str()))
    module.link_in(llvm.parse_assembly(_POW_STUB))
    return _object_machine().emit_object(module)


def _object_machine():
    if "machine" not in _state:
        import llvmlite.binding as llvm
        from numba.core.registry import cpu_target
        codegen = cpu_target.target_context.codegen()
        try:   # the CPU and features Numba's own machine code is generated for
            cpu, features = codegen._get_host_cpu_name(), codegen._tm_features
        except AttributeError:
            cpu, features = llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten()
        _state["machine"] = llvm.Target.from_default_triple().create_target_machine(
            cpu=cpu, features=features, opt=3, reloc="pic", codemodel="default")
    return _state["machine"]
