"""The engines bench/compare.py runs, each in a fresh child process, and what one run yields.

An engine is a command line that runs one program at one size and prints a
``RESULT-JSON`` line (bench/engine_runner.py for the Python-based engines,
bench/lua/run.lua for LuaJIT). Invariants:
  - every run is a fresh process, so "first" is a true first call: no trace, njit or
    PyPy JIT code survives from an earlier program or engine;
  - children of the Python engines import tracejit from this checkout (PYTHONPATH);
  - a missing peer (no ``pypy3``/``luajit`` on PATH, or a program it cannot run) gives
    status "skipped" with the reason, never "error"; "error" is a crash, a timeout or
    unreadable output, and makes compare.py fail like a mismatch.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

import suite

RUNNER = os.path.join(suite.BENCH_DIR, "engine_runner.py")
LUA_RUNNER = os.path.join(suite.LUA_DIR, "run.lua")
MARKER = "RESULT-JSON "


@dataclass
class Measurement:
    """One engine's run of one program: times in seconds (None when not measured)."""
    status: str                       # "ok", "skipped" or "error"
    first: float | None = None
    steady: float | None = None
    result: object = None
    stats: dict = field(default_factory=dict)
    detail: str = ""                  # why skipped, or the error


class Engine:
    """A column of the comparison: how to run a program and read its result back.

    ``by_value``: results compare by numeric value (LuaJIT has one number type).
    """

    def __init__(self, key: str, label: str, argv_prefix, by_value: bool = False):
        self.key = key
        self.label = label
        self.argv_prefix = list(argv_prefix)   # the command before the program arguments
        self.by_value = by_value

    def skip_reason(self, program: suite.Program) -> str | None:
        return None

    def argv(self, program: suite.Program, n: int, repeat: int) -> list[str]:
        return self.argv_prefix + [program.name, str(n), str(repeat)]

    def decode(self, result):
        """The result from the JSON line: Python engines send ``repr`` text."""
        return ast.literal_eval(result)

    def run(self, program: suite.Program, n: int, repeat: int, timeout: float) -> Measurement:
        reason = self.skip_reason(program)
        if reason:
            return Measurement("skipped", detail=reason)
        env = dict(os.environ, PYTHONPATH=suite.ROOT)
        try:
            proc = subprocess.run(self.argv(program, n, repeat), capture_output=True, text=True,
                                  timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return Measurement("error", detail=f"timed out after {timeout:g} s")
        lines = [line for line in proc.stdout.splitlines() if line.startswith(MARKER)]
        if proc.returncode != 0 or not lines:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return Measurement("error", detail=f"exit {proc.returncode}: {tail}")
        try:
            payload = json.loads(lines[-1][len(MARKER):])
            result = self.decode(payload["result"])
        except (ValueError, SyntaxError, KeyError) as exc:
            return Measurement("error", detail=f"unreadable output: {exc}")
        return Measurement("ok", payload["first"], payload["steady"], result, payload.get("stats", {}))


class PeerEngine(Engine):
    """An engine that may be absent: found on PATH by its executable's name."""

    def __init__(self, key, label, executable, argv_tail, by_value=False):
        self.executable = executable
        found = shutil.which(executable)
        super().__init__(key, label, [found] + list(argv_tail) if found else [], by_value)

    def skip_reason(self, program):
        if not self.argv_prefix:
            return f"{self.executable} not installed"
        return None


class PyPyEngine(PeerEngine):
    """PyPy runs the CPython engine's runner; programs that import numpy need numpy in PyPy."""

    def __init__(self):
        super().__init__("pypy", "PyPy", "pypy3", [RUNNER, "python"])
        self._has_numpy = None

    def skip_reason(self, program):
        reason = super().skip_reason(program)
        if reason or not program.numpy:
            return reason
        if self._has_numpy is None:
            probe = subprocess.run([self.argv_prefix[0], "-c", "import numpy"], capture_output=True)
            self._has_numpy = probe.returncode == 0
        return None if self._has_numpy else "pypy3 has no numpy"


class LuaJITEngine(PeerEngine):
    def __init__(self):
        super().__init__("luajit", "LuaJIT", "luajit", [LUA_RUNNER], by_value=True)

    def decode(self, result):
        return result                  # run.lua sends the value itself as JSON


def python_engine(key: str, label: str, runner_engine: str) -> Engine:
    return Engine(key, label, [sys.executable, RUNNER, runner_engine])


def all_engines() -> list[Engine]:
    """Every column, in table order; CPython first (the reference for results and ratios)."""
    return [
        python_engine("cpython", "CPython", "python"),
        python_engine("tj_interp", "tracejit interp", "tracejit-interp"),
        python_engine("tj_jit", "tracejit JIT", "tracejit-jit"),
        python_engine("numba", "Numba", "numba"),
        PyPyEngine(),
        LuaJITEngine(),
    ]
