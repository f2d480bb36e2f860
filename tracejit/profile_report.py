"""``stats()["profile"]``: the interpreter's per-instruction profile (``interp.profile``)
with the run's time split by what it went to.

Invariant: the values of ``time`` add up to the VM's ``run_seconds`` ("other" is what
no measurement claimed: the dispatch loop between units and the API's conversions;
it is never negative unless the clocks disagree by more than that).
"""
from __future__ import annotations

# time buckets, in display order, with what each holds
TIME_BUCKETS = {
    "instructions": "bytecode instructions in the interpreter (measurement floor subtracted)",
    "measurement": "the profiler's own lines: their calibrated cost x instructions measured",
    "calls_returns": "guest calls and returns between units (frames)",
    "jit_hot_loops": "hot-loop events: trace lookup and entry, compiled code, exits",
    "jit_recording": "recording traces (the JIT's observer), compiling excluded",
    "jit_compiling": "compiling traces with Numba",
    "other": "the dispatch loop, generating code for units, argument and result conversion",
}


def profile_stats(report: dict, stats: dict) -> dict:
    """``report`` (``Profiler.report``) with ``time``: seconds per bucket of
    ``TIME_BUCKETS`` (the JIT's buckets only when the JIT is on)."""
    events = report["event_seconds"]
    compiling = stats.get("compile_seconds", 0.0)
    time = {
        "instructions": sum(row["seconds"] for row in report["opcodes"].values()),
        "measurement": report["measurement_seconds"],
        "calls_returns": events["call"] + events["return"],
    }
    if stats["jit"]:
        time["jit_hot_loops"] = events["hot_loop"]
        time["jit_recording"] = max(0.0, events["observer"] + events["switch"] - compiling)
        time["jit_compiling"] = compiling
    time["other"] = stats["run_seconds"] - sum(time.values())
    profile = {key: value for key, value in report.items()
               if key not in ("event_seconds", "measurement_seconds")}
    profile["time"] = time
    return profile
