"""The pass registry and the pass manager.

``PASSES`` is the ordered chain (PyPy's ``ALL_OPTS``): each pass has a name, a stage
and a doc. ``emit`` passes run as the recorder emits each instruction
(``Emitter``); ``trace`` passes run, in order, on the optimized copy of a finished
tree before it is compiled. ``parse_opts`` turns a switch string into the enabled
names: ``VM(opts=...)``, ``TRACEJIT_OPTS``, ``tracejit run --opts``.

The ``Optimizer`` (one per JIT) makes each recording's ``Emitter``, runs the trace
passes, times each pass, counts ops and guards before and after it (``Stage``), runs
``verify_trace`` after each pass when ``verify`` is on (the tests turn it on with
``TRACEJIT_VERIFY_IR=1``) and keeps totals per pass for ``vm.stats()``.
"""
from __future__ import annotations

import os
import time
from typing import NamedTuple

from ..ir import format_trace, verify_trace
from .dce import eliminate_dead_code
from .dominance import dominating_ranges
from .emitter import Emitter
from .guards import eliminate_guards
from .ranges import eliminate_range_checks
from .rewrite import optimized_copy


class PassDef(NamedTuple):
    name: str
    stage: str          # 'emit' or 'trace'
    run: object         # trace passes: run(copy) edits the optimized copy in place
    doc: str


PASSES = (
    PassDef("fold", "emit", None, "constant folding and algebraic simplification, by rule table (fold.py)"),
    PassDef("cse", "emit", None, "common-subexpression elimination, loads until an aliasing store (cse.py)"),
    PassDef("guards", "trace", eliminate_guards, "branch guards implied by dominating guards (guards.py)"),
    PassDef("ranges", "trace", eliminate_range_checks,
            "overflow and bounds checks that integer ranges exclude, with entry guards (ranges.py)"),
    PassDef("dce", "trace", eliminate_dead_code, "dead-code elimination (dce.py)"),
)
PASS_NAMES = tuple(p.name for p in PASSES)
DEFAULT_OPTS = PASS_NAMES


def parse_opts(spec) -> tuple:
    """The enabled pass names, in chain order, for a switch string: None or '' (the
    default set), 'none', or a comma list of names (exactly those) and/or '-name'
    (the default set, or the names given, without that one)."""
    if spec is None or spec.strip() == "":
        return DEFAULT_OPTS
    items = [item.strip() for item in spec.split(",") if item.strip()]
    if items == ["none"]:
        return ()
    unknown = [item for item in items if item.lstrip("-") not in PASS_NAMES]
    if unknown:
        raise ValueError(f"unknown optimizer pass {unknown[0]!r} in {spec!r}: known passes are "
                         f"{', '.join(PASS_NAMES)} ('-name' disables one, 'none' disables all)")
    enabled = [item for item in items if not item.startswith("-")] or list(DEFAULT_OPTS)
    disabled = {item[1:] for item in items if item.startswith("-")}
    return tuple(name for name in PASS_NAMES if name in enabled and name not in disabled)


class Stage(NamedTuple):
    """One pass's work on one compilation (or on one recording, for emit passes)."""
    name: str
    seconds: float
    ops_before: int
    ops_after: int
    guards_before: int
    guards_after: int
    ir: str | None        # the IR text after it (only when asked: for the trace log)


class PassTotals:
    __slots__ = ("runs", "seconds", "ops_removed", "guards_removed")

    def __init__(self):
        self.runs = 0
        self.seconds = 0.0
        self.ops_removed = 0
        self.guards_removed = 0

    def add(self, stage: Stage) -> None:
        self.runs += 1
        self.seconds += stage.seconds
        self.ops_removed += stage.ops_before - stage.ops_after
        self.guards_removed += stage.guards_before - stage.guards_after


class Optimizer:
    def __init__(self, opts=None, verify: bool | None = None):
        self.enabled = parse_opts(opts)
        self.verify = os.environ.get("TRACEJIT_VERIFY_IR") == "1" if verify is None else verify
        self.emit_passes = tuple(p.name for p in PASSES if p.stage == "emit" and p.name in self.enabled)
        self.trace_passes = tuple(p for p in PASSES if p.stage == "trace" and p.name in self.enabled)
        self.totals = {name: PassTotals() for name in self.enabled}

    @property
    def opts(self) -> str:
        return ",".join(self.enabled) or "none"

    def emitter(self, trace, side_guard=None):
        """The Emitter for a recording into ``trace`` (a side trace growing from guard
        ``side_guard``), or None when no emit pass is enabled."""
        if not self.emit_passes:
            return None
        ranges = dominating_ranges(trace, side_guard) if side_guard is not None else ()
        return Emitter(trace, self.emit_passes, ranges)

    def optimize(self, trace, emitter=None, keep_ir: bool = False, samples=()):
        """(the trace to compile, [Stage]) for the finished tree ``trace`` whose last
        recording went through ``emitter``: an optimized copy when a trace pass is
        enabled, else ``trace`` itself. ``samples``: the copy's ``recorded_values``."""
        stages = []
        ops, guards = trace.op_count(), len(trace.guards())
        ir = format_trace(trace) if keep_ir and emitter is not None else None
        if emitter is not None:
            # the recorded trace is the emit passes' output: each reports what it removed
            for name in self.emit_passes:
                stats = emitter.stats[name]
                stages.append(Stage(name, stats.seconds, ops + stats.ops_removed, ops,
                                    guards + stats.guards_removed, guards, ir))
        result = trace
        if self.trace_passes:
            result = optimized_copy(trace)
            result.recorded_values = list(samples)
            for p in self.trace_passes:
                ops, guards = result.op_count(), len(result.guards())
                start = time.perf_counter()
                p.run(result)
                seconds = time.perf_counter() - start
                if self.verify:
                    verify_trace(result)
                stages.append(Stage(p.name, seconds, ops, result.op_count(), guards, len(result.guards()),
                                    format_trace(result) if keep_ir else None))
        for stage in stages:
            self.totals[stage.name].add(stage)
        return result, stages

    def stats(self) -> dict:
        """The ``vm.stats()`` entries: totals over every compilation and recording."""
        return {
            "opts": self.opts,
            "opt_ops_removed": sum(t.ops_removed for t in self.totals.values()),
            "opt_guards_removed": sum(t.guards_removed for t in self.totals.values()),
            "opt_seconds": sum(t.seconds for t in self.totals.values()),
            "opt_passes": {name: {"runs": t.runs, "seconds": t.seconds, "ops_removed": t.ops_removed,
                                  "guards_removed": t.guards_removed} for name, t in self.totals.items()},
        }
