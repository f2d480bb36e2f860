"""The public API: ``VM``, modules loaded into it, and ``@tracejit.jit``.

A ``VM`` owns one interpreter ``Machine`` (frames, counters, decoded code) and the
modules loaded into it. Values cross the API boundary as plain Python objects:
arguments are converted in (lists become strategy lists) and results out.

A VM with a trace log (``log=`` or ``TRACEJIT_LOG``) writes its closing events and
closes the file on ``close()``, on leaving a ``with`` block, or at interpreter exit,
whichever comes first.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import time
import weakref

from interp import Machine, compile_source
from interp.code import Function
from interp.lists import from_python, to_python
from interp.opcode_counts import by_name, instruction_counts, opcode_counts
from interp.profile import Profiler, ProfilingMachine

from .profile_report import profile_stats

DEFAULT_RECURSION_LIMIT = 1000


class Module:
    """A program loaded into a VM; its top level has run once."""

    def __init__(self, vm: "VM", code, globals_: dict):
        self.vm = vm
        self.code = code
        self.globals = globals_

    @property
    def filename(self) -> str:
        return self.code.filename

    def function(self, name: str) -> Function:
        try:
            fn = self.globals[name]
        except KeyError:
            raise NameError(f"name '{name}' is not defined in {self.filename}") from None
        if type(fn) is not Function:
            raise TypeError(f"'{name}' is not a function of {self.filename}")
        return fn

    def call(self, name: str, *args):
        """Run ``name(*args)`` in the VM and return the result as a plain Python value."""
        return self.vm.call_function(self.function(name), args)


class VM:
    """A tracejit virtual machine.

    ``jit``: record hot loops and run them as compiled traces (default True).
    ``hot_loop``: loop iterations before a loop is recorded (default: the
    ``TRACEJIT_HOT_LOOP`` environment variable, else ``tracejit.jit.DEFAULT_HOT_LOOP``).
    ``hot_func``: calls of a function (by interpreted code) before it is recorded from its
    entry, a function trace (default: ``TRACEJIT_HOT_FUNC``, else
    ``tracejit.jit.DEFAULT_HOT_FUNC``; see ``tracejit/functrace.py``).
    ``hot_exit``: exits through one guard before a side trace is recorded from it
    (default: ``TRACEJIT_HOT_EXIT``, else ``tracejit.jit.DEFAULT_HOT_EXIT``).
    ``hot_compile``: iterations a new trace tree runs in the Python
    tier (its generated source run by CPython) before Numba compiles it; 0 compiles at
    once (default: ``TRACEJIT_HOT_COMPILE``, else ``tracejit.jit.DEFAULT_HOT_COMPILE``;
    see ``docs/architecture.md``, "Tiers").
    ``max_trace_mem``: the estimated memory the compiled trace trees may hold, in bytes
    or as a size like ``"64M"``; the coldest trees are evicted to stay under it
    (default: ``TRACEJIT_MAX_TRACE_MEM``, else
    ``tracejit.trace_memory.DEFAULT_MAX_TRACE_MEM``, 256 MiB; see ``docs/architecture.md``).
    ``fuel``: maximum dispatches (basic blocks or calls) per top-level call (None: unlimited).
    ``recursion_limit``: maximum guest call depth (RecursionError beyond it).
    ``opts``: the optimizer passes, a comma list (``tracejit.opt.parse_opts``: names,
    ``-name`` to disable one, ``none``; default: the ``TRACEJIT_OPTS`` environment
    variable, else every pass; see ``docs/optimizer.md``).
    ``log``: write the trace log (``docs/trace-log.md``) to this file (default: the
    ``TRACEJIT_LOG`` environment variable, else no log).
    ``profile``: measure time and memory per instruction (True), time only ("time"), or
    nothing (False, the default); see ``docs/profiling.md``. Results never depend on it.
    ``cache``: the persistent trace cache (``docs/cache.md``): a directory, a
    ``tracejit.cache.TraceCache``, None (the default: ``TRACEJIT_CACHE_DIR``, else the
    user's cache directory; ``TRACEJIT_CACHE=0`` turns it off) or False (off).
    """

    def __init__(self, jit: bool = True, hot_loop: int | None = None, hot_exit: int | None = None,
                 fuel: int | None = None, recursion_limit: int = DEFAULT_RECURSION_LIMIT,
                 profile: bool | str = False, log: str | None = None, opts: str | None = None, cache=None,
                 max_trace_mem: int | str | None = None, hot_func: int | None = None,
                 hot_compile: int | None = None):
        if fuel is not None and (type(fuel) is not int or fuel <= 0):
            raise ValueError("fuel must be a positive int or None")
        if profile not in (False, True, "time"):
            raise ValueError('profile must be False, True or "time"')
        self.jit = None
        if jit:
            from .jit import JIT, DEFAULT_HOT_COMPILE, DEFAULT_HOT_EXIT, DEFAULT_HOT_FUNC, DEFAULT_HOT_LOOP
            from .trace_memory import DEFAULT_MAX_TRACE_MEM, parse_size
            if hot_loop is None:
                hot_loop = int(os.environ.get("TRACEJIT_HOT_LOOP", DEFAULT_HOT_LOOP))
            if hot_func is None:
                hot_func = int(os.environ.get("TRACEJIT_HOT_FUNC", DEFAULT_HOT_FUNC))
            if hot_exit is None:
                hot_exit = int(os.environ.get("TRACEJIT_HOT_EXIT", DEFAULT_HOT_EXIT))
            if hot_compile is None:
                hot_compile = int(os.environ.get("TRACEJIT_HOT_COMPILE", DEFAULT_HOT_COMPILE))
            if max_trace_mem is None:
                max_trace_mem = os.environ.get("TRACEJIT_MAX_TRACE_MEM", DEFAULT_MAX_TRACE_MEM)
            if opts is None:
                opts = os.environ.get("TRACEJIT_OPTS")
            self.jit = JIT(hot_loop=hot_loop, hot_exit=hot_exit, opts=opts, cache=_trace_cache(cache),
                           max_trace_mem=parse_size(max_trace_mem), hot_func=hot_func, hot_compile=hot_compile)
        options = dict(hook=self.jit, fuel=fuel, recursion_limit=recursion_limit)
        if profile:
            self.machine = ProfilingMachine(Profiler(memory=profile is True), **options)
        else:
            self.machine = Machine(**options)
        self.modules = []
        self.run_seconds = 0.0
        self.log = None
        log = log or os.environ.get("TRACEJIT_LOG")
        if log:
            self._open_log(log)

    def _open_log(self, path: str) -> None:
        from . import __version__
        from .log import TraceLog
        self.log = TraceLog(path)
        jit = self.jit
        self.log.write("vm_start", {"version": __version__, "jit": jit is not None,
                                    "hot_loop": jit.hot_loop if jit else None,
                                    "hot_func": jit.hot_func if jit else None,
                                    "hot_exit": jit.hot_exit if jit else None,
                                    "hot_compile": jit.hot_compile if jit else None,
                                    "max_trace_mem": jit.memory.max_bytes if jit else None,
                                    "opts": jit.optimizer.opts if jit else "", "pid": os.getpid()})
        if jit is not None:
            jit.listeners.append(self.log)
        _logging_vms.add(self)

    def write_log_exits(self) -> None:
        """Write the exit counts of every compiled trace to the trace log now (if any)."""
        if self.log is not None and self.jit is not None:
            from .logdata import exits_details
            self.log.write("exits", exits_details(self.jit, "request"))

    def close(self) -> None:
        """Finish the trace log: exit counts, per-line counts, ``vm_stats``; close the file.
        The VM stays usable (without a log); closing again does nothing."""
        log = self.log
        if log is None:
            return
        from .logdata import exits_details, interpreted_lines
        if self.jit is not None:
            log.write("exits", exits_details(self.jit, "close"))
            self.jit.listeners.remove(log)
        log.write("lines", interpreted_lines(self.machine))
        log.write("vm_stats", {"stats": self.stats()})
        log.close()
        self.log = None
        _logging_vms.discard(self)

    def __enter__(self) -> "VM":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def load_source(self, text: str, filename: str = "<string>") -> Module:
        """Compile ``text`` and run its top level; return the module."""
        code = compile_source(text, filename)
        if self.log is not None:
            self.log.write("source", {"file": filename, "text": text})
        globals_ = {"__name__": os.path.splitext(os.path.basename(filename))[0]}
        module = Module(self, code, globals_)
        self.call_function(Function(code, (), globals_), ())
        self.modules.append(module)
        return module

    def load_file(self, path: str) -> Module:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return self.load_source(text, filename=str(path))

    def call_function(self, fn: Function, args):
        profiler = self.machine.profiler
        with profiler.session() if profiler is not None else contextlib.nullcontext():
            start = time.perf_counter()
            try:
                return to_python(self.machine.call_function(fn, [from_python(a) for a in args]))
            finally:
                self.run_seconds += time.perf_counter() - start

    def stats(self) -> dict:
        m = self.machine
        loops = {}
        for (dc, loop), count in m.loop_iterations().items():
            code = dc.code
            loops[f"{code.filename}:{code.line_of(code.loops[loop])}:{code.name}"] = count
        opcodes = opcode_counts(instruction_counts(m))
        stats = {
            "instructions": m.instructions,
            "calls": m.calls,
            "run_seconds": self.run_seconds,
            "jit": self.jit is not None,
            "loop_iterations": loops,
        }
        if self.jit is not None:
            from .trace_opcodes import compiled_opcode_counts
            stats.update(self.jit.stats(m))
            compiled = compiled_opcode_counts(self.jit.installed)
            compiled.update(self.jit.memory.evicted_opcodes)     # what evicted trees ran
            opcodes.update(compiled)
            stats["opcodes_compiled"] = by_name(compiled)
        stats["opcodes"] = by_name(opcodes)
        if m.profiler is not None:
            stats["profile"] = profile_stats(m.profiler.report(m), stats)
        return stats


def _trace_cache(option):
    """The ``TraceCache`` for ``VM(cache=option)``, or None."""
    from .cache import TraceCache, cache_directory
    if isinstance(option, TraceCache):
        return option
    directory = cache_directory(option)
    return TraceCache(directory) if directory is not None else None


_logging_vms = weakref.WeakSet()    # VMs with an open trace log


@atexit.register
def _close_logging_vms():
    for vm in list(_logging_vms):
        vm.close()
