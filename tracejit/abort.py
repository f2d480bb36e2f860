"""Why a trace was not completed: one enum, each member with its message."""
from __future__ import annotations

import enum


class TraceAbort(enum.Enum):
    """Reasons to abandon recording a trace (LuaJIT's TREDEF)."""

    TOO_LONG = "trace too long"
    TOO_SHORT = "a function trace too short to be worth its entry and exit"
    UNSUPPORTED_OP = "unsupported operation"
    UNSUPPORTED_TYPE = "unsupported value type"
    EXCEPTION = "the recorded code raised an exception"
    INNER_LOOP = "an inner loop cannot run as compiled code inside this trace"
    RECURSION = "recursive call"
    TOO_DEEP = "calls nested too deeply to inline"
    LEFT_LOOP = "execution left the loop while recording"
    TYPE_UNSTABLE = "a loop variable changes type between iterations"
    GLOBAL_STORE = "the loop writes a global"
    GUARD_ALWAYS_FAILS = "a guard fails on every iteration (the optimizer folded it)"
    COMPILE_FAILED = "the backend failed to compile the trace"
    TRACE_MEM = "the compiled tree does not fit in max_trace_mem"
    INTERNAL_ERROR = "internal error in the recorder (a tracejit bug)"

    @property
    def message(self) -> str:
        return self.value


class TraceAborted(Exception):
    """Raised inside the recorder; carries the reason and a detail for the log."""

    def __init__(self, reason: TraceAbort, detail: str = ""):
        super().__init__(f"{reason.message}: {detail}" if detail else reason.message)
        self.reason = reason
        self.detail = detail
