"""The on-emit passes: what ``Trace.emit`` runs while a recorder writes a trace.

Each instruction the recorder asks for goes through fold (if enabled), then cse (if
enabled), then is appended: the trace never holds an instruction a rule would have
folded. A folded guard takes no snapshot: ``Recorder.guard`` adds one only when the
answer is a guard instruction appended by this request.

Counting: a request that does not end as a new instruction of its own (an earlier
ref, a constant, or nothing) is one op removed by the pass that answered it; a guard
request that does not end as a new guard is one guard removed.
"""
from __future__ import annotations

import time

from ..abort import TraceAbort, TraceAborted
from ..ir import OPS, result_type
from .cse import CSETable
from .fold import DROP, Const, Fail, Ref, Retry, fold

MAX_RETRIES = 8     # rules retry with simpler ops; a cycle would be a bug in the rules


class EmitStats:
    """What one on-emit pass did during one recording."""

    __slots__ = ("seconds", "ops_removed", "guards_removed")

    def __init__(self):
        self.seconds = 0.0
        self.ops_removed = 0
        self.guards_removed = 0


class TraceView:
    """Read access to the trace for fold rules."""

    __slots__ = ("trace",)

    def __init__(self, trace):
        self.trace = trace

    def ins(self, ref):
        return self.trace.ins[ref]

    def type(self, ref):
        return self.trace.ins[ref].type

    def value(self, ref):
        return self.trace.ins[ref].aux[1]


class Emitter:
    """The on-emit passes of one recording into ``trace``; ``passes`` are the enabled
    pass names (``fold``, ``cse``); ``ranges`` the refs dominating where recording
    starts (``dominance.dominating_ranges`` for a side trace; none for a root trace)."""

    def __init__(self, trace, passes, ranges=()):
        self.trace = trace
        self.view = TraceView(trace)
        self.folding = "fold" in passes
        self.cse = CSETable(trace, ranges) if "cse" in passes else None
        self.stats = {name: EmitStats() for name in passes}

    def emit(self, op, args, aux, type_, snap):
        trace = self.trace
        before = len(trace.ins)
        requested, decided_by, result = op, None, None
        for _ in range(MAX_RETRIES):
            if self.folding:
                start = time.perf_counter()
                answer = fold(self.view, op, args, aux)
                self.stats["fold"].seconds += time.perf_counter() - start
                if type(answer) is Retry:
                    decided_by = "fold"
                    op, args, aux, type_ = answer.op, answer.args, answer.aux, None
                    continue
                if answer is not None and self._accept(answer, op, args, aux, type_):
                    decided_by = "fold"
                    result = self._apply(answer)
                    break
            if self.cse is not None:
                start = time.perf_counter()
                shared = self.cse.lookup(op, args, aux)
                self.stats["cse"].seconds += time.perf_counter() - start
                if shared is not None and trace.ins[shared].type == (type_ or result_type(trace, op, args, aux)):
                    decided_by, result = "cse", shared
                    break
            result = trace.append(op, args, aux, type_, snap if "guard" in OPS[op].flags else None)
            if self.cse is not None:
                self.cse.add(result)
            break
        else:
            raise AssertionError(f"fold rules retry {requested} without end")
        if decided_by is not None and requested != "const":
            self._count(decided_by, requested, before, result)
        return result

    def _accept(self, answer, op, args, aux, type_) -> bool:
        """A Ref or Const answer must keep the result type; DROP is for void guards only."""
        if type(answer) in (Ref, Const):
            answer_type = self.trace.ins[answer.ref].type if type(answer) is Ref else answer.type
            return answer_type == (type_ or result_type(self.trace, op, args, aux))
        if answer is DROP:
            return OPS[op].result == "void"
        return True

    def _apply(self, answer):
        if type(answer) is Ref:
            return answer.ref
        if type(answer) is Const:
            return self.trace.emit("const", (), (answer.type, answer.value))
        if type(answer) is Fail:
            raise TraceAborted(TraceAbort.GUARD_ALWAYS_FAILS, answer.detail)
        return None     # DROP

    def _count(self, decided_by, requested, before, result):
        trace = self.trace
        new = result is not None and result >= before and trace.ins[result].op != "const"
        stats = self.stats[decided_by]
        if not new:
            stats.ops_removed += 1
        if "guard" in OPS[requested].flags and not (new and trace.ins[result].is_guard):
            stats.guards_removed += 1
