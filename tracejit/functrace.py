"""Function traces: a function the interpreter calls often, traced from its entry to its
return (LuaJIT's function traces, which start at a FUNCF header).

Loops get hot at their headers; a function without a hot loop of its own, called from
code that is not compiled (a cold loop, a loop whose recording aborts, the module's top
level), would otherwise run interpreted forever. The interpreter counts the calls it
makes to each function (``DecodedCode.func_counter``, from ``hot_func``); at zero the
machine calls ``JIT.on_hot_func`` with the callee's frame pushed and its arguments in
place. With a compiled function trace whose entry checks pass, the trace runs;
otherwise the function is recorded from its first instruction.

A function trace is a trace whose loop never comes round, so everything loop traces
have serves it unchanged:

- its recorder is a ``Recorder`` of loop None whose header pc is ``FUNCTION_ENTRY`` (-1,
  before the first instruction: no pc of the function closes the trace, and the entry
  exit resumes at pc 0); its live-ins are the function's parameters (and the globals it
  assigns), read at entry as a loop's are;
- it ends at the RETURN of its own frame with the op ``ret``: an exit like any other,
  whose snapshot holds the registers live at the RETURN (the returned one). The
  interpreter resumes there and runs the RETURN, so a function trace hands its result
  back the way every guard deoptimizes, and a guard failing earlier leaves
  mid-function with the exact state (inlined frames rebuilt) as in a loop trace;
- calls inside are inlined (a recursive call aborts: RECURSION); a loop inside runs as
  its compiled loop trace (``call_loop``), or the recording waits until it has one, as
  an outer loop's does;
- its state is the ``LoopTraces`` of key ``(decoded, None)`` in ``JIT.loops``: aborts back
  off (``hot_func << aborts`` calls) and blacklist, type changes get another trace (at
  most ``MAX_TRACES_PER_LOOP``), failed entry guards record it again.

Entering and leaving a trace costs microseconds of Python (entry checks, the call, the
exit), paid on every call, while the interpreter runs straight-line code at ~15 ns an
instruction, so a function trace must save enough per call: one whose recorded call
would cost the interpreter less than ``MIN_FUNC_WORK`` instructions (an inlined call
counting ``CALL_WORK``) is not compiled (TOO_SHORT), unless it calls an inner loop. A
leaf function taking only scalars enters and leaves through ``FastEntry`` (~1.8 us the
round trip, against ~5 us the general way). Exits of function traces grow no side
traces (yet): a branch the trace did not record leaves there, and the interpreter runs
the rest of the call; a trace that most calls leave before their end is retired after
``RETIRE_AFTER_ENTRIES`` entries and the function recorded again at its next call (the
call recorded may have taken a rare path), until ``MAX_TRACES_PER_LOOP`` traces were
retired: then the function is blacklisted.
"""
from __future__ import annotations

from interp.interpreter import NEVER

from .abort import TraceAbort
from .ir import POSITION_BASE, verify_trace
from .jit import (MAX_ENTRY_RETRIES, MAX_TRACES_PER_LOOP, MAX_UNSTABLE_RETRIES, RETIRE_AFTER_ENTRIES, LoopTraces,
                  add_snapshots, loop_location)
from .recorder import Recorder
from .registers import register_value
from . import logdata

# What a function trace must save per call to pay for its entry and exit (~1.8 us), in
# bytecode instructions (~15 ns each interpreted, straight-line): the instructions it
# runs, an inlined call counting CALL_WORK more (~1 us: the interpreter's frame push and
# return). Measured on leaf functions called from an interpreted loop: docs/architecture.md.
MIN_FUNC_WORK = 120
CALL_WORK = 60


class FunctionRecorder(Recorder):
    """Records one call of the function of ``decoded`` running in ``frame``, from its
    first instruction to its RETURN (module docstring)."""

    kind = "func"

    def __init__(self, jit, machine, decoded, frame):
        super().__init__(jit, machine, decoded, None, frame)
        self.inlined_calls = 0

    def enter_inlined_call(self, frame):
        super().enter_inlined_call(frame)
        self.inlined_calls += 1

    def work(self) -> int:
        """What running the recorded call interpreted costs, in instructions (MIN_FUNC_WORK)."""
        return self.recorded + CALL_WORK * self.inlined_calls

    def loop_end(self) -> int:
        """The whole function is the body: every loop in it is an inner loop."""
        return len(self.root.code.instrs) - 1

    def root_return(self, pc):
        self.guard("ret", (), pc)
        self.end_pc = pc     # the interpreter runs the RETURN (the recording ends before it)
        return None

    def finish(self, unit):
        self.detach()
        return self.jit.functions.finish_recording(self)

    def aborted(self, reason, detail):
        self.detach()
        self.jit.recording_aborted(self, reason, detail)


class FunctionTraces:
    """The JIT's policy for function entries: ``on_hot_func`` (the machine's hook),
    recording and entering function traces, their statistics."""

    def __init__(self, jit):
        self.jit = jit
        self.fast = {}                  # InstalledTrace -> its FastEntry, or None: the general way

    def on_hot_func(self, machine, decoded):
        jit = self.jit
        jit.trace_lookups += 1
        state = jit.loops.get((decoded, None))
        if state is None:
            state = jit.loops[(decoded, None)] = LoopTraces()
        if jit.recorder is not None:
            decoded.func_counter = NEVER if state.blacklisted else 1
            return None
        if state.traces:
            resume = self.enter(machine, decoded, state)
            if resume is not None:
                decoded.func_counter = 1   # enter again at the next call
                return resume
        if state.blacklisted or len(state.traces) >= MAX_TRACES_PER_LOOP \
                or (state.traces and state.unstable >= MAX_UNSTABLE_RETRIES):
            decoded.func_counter = 1 if state.traces else NEVER if state.blacklisted else jit.hot_func
            return None
        jit.recordings_started += 1
        recorder = jit.recorder = FunctionRecorder(jit, machine, decoded, machine.frame)
        machine.observer = recorder
        if jit.listeners:
            jit.emit_event("start", where=loop_location(decoded, None),
                           details=lambda: logdata.start_details(recorder))
        return decoded.steps.at(0)

    def finish_recording(self, recorder):
        """The function's RETURN came: compile the trace, enter it from the next call."""
        jit = self.jit
        machine = recorder.machine
        machine.observer = None
        jit.recorder = None
        decoded = recorder.root.decoded
        resume = machine.unit_at(decoded, recorder.end_pc)
        trace = recorder.trace
        trace.body_instructions = recorder.recorded
        trace.main_end = len(trace.ins)
        add_snapshots(trace, recorder)
        trace.complete_snapshots()
        if recorder.work() < MIN_FUNC_WORK and not trace.nested:
            jit.recording_aborted(recorder, TraceAbort.TOO_SHORT,
                                  f"{recorder.recorded} instructions, {recorder.inlined_calls} calls inlined: "
                                  f"{recorder.work()} < MIN_FUNC_WORK {MIN_FUNC_WORK}")
            return machine.switch_to(resume)
        try:
            verify_trace(trace)
            compiled, stages = jit.compile(recorder, trace)
        except Exception as exc:  # an optimizer or backend bug must not take the program down
            jit.recording_aborted(recorder, TraceAbort.COMPILE_FAILED, f"{type(exc).__name__}: {exc}")
            return machine.switch_to(resume)
        if jit.install(recorder, compiled, stages) is not None:
            decoded.func_counter = 1
        return machine.switch_to(resume)

    def enter(self, machine, decoded, state):
        """Run the first function trace of ``state`` whose entry checks pass on the frame
        just pushed; the unit to resume at (where its exit left), or None."""
        jit = self.jit
        R = machine.frame.regs
        for installed in state.traces:
            fast = self.fast.get(installed, False)
            if fast is False:
                fast = self.fast[installed] = FastEntry.of(installed, machine)
            if fast is not None:
                exit_number = fast.run(R, machine.depth)
                if exit_number is None:
                    continue
                if exit_number == fast.ret_exit:
                    fast.returned(installed, jit, machine)
                    return fast.resume
                exit_number, exit_, pc = jit.left(installed, machine, exit_number, None)
            else:
                args = jit.entry_arguments(installed, machine, R)
                if args is None:
                    continue
                exit_number, exit_, pc = jit.run(installed, machine, args, R)
            if exit_number == installed.entry_exit and exit_.count >= jit.hot_exit and \
                    len(state.entry_states) < MAX_ENTRY_RETRIES:
                # what the optimizer assumed of the recorded arguments does not hold for
                # these: record the function again, assuming only what holds here too
                state.entry_states.append({reg: register_value(machine.frame, reg) for reg in installed.param_regs})
                jit.retire(state, installed, blacklist=False)
            elif installed.entries >= RETIRE_AFTER_ENTRIES and 2 * self.returns(installed) < installed.entries:
                # most calls leave it before the end: the exit costs more than the trace saves.
                # The call recorded may have taken a rare path: record another one (a few times)
                jit.retire(state, installed, blacklist=len(state.retired) >= MAX_TRACES_PER_LOOP)
            return machine.unit_at(machine.frame.decoded, pc)
        return None

    @staticmethod
    def returns(installed) -> int:
        """Entries of function trace ``installed`` that ran to its RETURN."""
        return sum(installed.exits[number].count for number in ret_exits(installed))

    def stats(self) -> dict:
        traces = [installed for installed in self.jit.installed if installed.trace_loop is None]
        return {
            "function_traces": len(traces),
            "function_entries": sum(installed.entries for installed in traces),
            "blacklisted_functions": sum(1 for (_, loop), state in self.jit.loops.items()
                                         if loop is None and state.blacklisted),
        }


class FastEntry:
    """The cheap way into and out of a function trace that takes only scalars from the
    function's registers and calls no inner loop (most leaf functions): one generated
    function ``run(R, depth)`` checks what ``JIT.entry_arguments`` checks (call depth,
    the globals the trace read, each live-in's type, in that order), calls the trace and,
    when it left through its ``ret`` exit, restores the returned registers straight from
    the exit buffers. It returns None (an entry check failed) or the exit number; other
    exits are restored the general way (``JIT.left``)."""

    def __init__(self, run, ret_exit, resume):
        self.run = run
        self.ret_exit = ret_exit
        self.resume = resume          # the unit running the RETURN

    @classmethod
    def of(cls, installed, machine):
        """The FastEntry of ``installed`` running in ``machine``, or None (the general way)."""
        if installed.nested_sites or installed.object_regs or installed.appended or installed.derived_rows or \
                any(reg >= POSITION_BASE or to_c is not None for reg, _type, _check, to_c in installed.args_plan):
            return None
        rets = ret_exits(installed)
        exit_ = installed.exits[rets[0]] if len(rets) == 1 else None
        if exit_ is None or exit_.frames or exit_.nested is not None or \
                any(kind not in ("int", "float") or flag is not None or reg >= POSITION_BASE
                    for reg, kind, _where, flag in exit_.restores):
            return None
        return cls(_run_function(installed, machine, rets[0], exit_.restores), rets[0],
                   installed.decoded.blocks.at(exit_.pc))

    def returned(self, installed, jit, machine) -> None:
        """Count an entry that left through the ``ret`` exit as ``JIT.left`` counts one."""
        installed.last_entry = jit.trace_entries
        exit_ = installed.exits[self.ret_exit]
        exit_.count += 1
        installed.entries += 1
        jit.trace_entries += 1
        jit.side_exits += 1
        ran = exit_.ninstructions
        jit.traced_instructions += ran
        machine.partial_instructions += ran


def ret_exits(installed) -> list:
    """The exit numbers of the ``ret`` ops of function trace ``installed``."""
    return [number for number, ref in installed.guard_of_snapshot.items() if installed.trace.ins[ref].op == "ret"]


_MISSING = object()


def _run_function(installed, machine, ret_exit, restores):
    """Generated: ``FastEntry.run`` for ``installed`` in ``machine`` (its exit ``ret_exit``
    restores ``restores``, kinds 'int' and 'float' only). The buffers are read through
    memoryviews, which give Python ints and floats."""
    names = {"MISSING": _MISSING, "BUILTINS": machine.builtins, "ENTRY": installed.entry,
             "TAIL": list(installed.buffer_arguments) + [machine.trace_budget()],
             "XI": memoryview(installed.xi), "XF": memoryview(installed.xf)}
    lines = ["def run(R, depth):",
             f"    if depth + {installed.max_inline_depth} >= {machine.recursion_limit}: return None"]
    for k, (globals_, name, value) in enumerate(installed.globals_read):
        names.update({f"G{k}": globals_, f"N{k}": name, f"K{k}": value})
        lines += [f"    c = G{k}.get(N{k}, MISSING)", f"    if c is MISSING: c = BUILTINS.get(N{k})",
                  f"    if c is not K{k}: return None"]
    for i, (reg, _type, check, _to_c) in enumerate(installed.args_plan):
        names[f"C{i}"] = check
        lines += [f"    v{i} = R[{reg}]", f"    if not C{i}(v{i}): return None"]
    lines += [f"    n = ENTRY({''.join(f'v{i}, ' for i in range(len(installed.args_plan)))}*TAIL)",
              f"    if n == {ret_exit}:"]
    for k, (reg, kind, (slot, conversion, _type), _flag) in enumerate(restores):
        value = f"{'XI' if kind == 'int' else 'XF'}[{slot}]"
        if conversion not in (int, float):
            names[f"V{k}"] = conversion
            value = f"V{k}({value})"
        lines.append(f"        R[{reg}] = {value}")
    if not restores:     # the RETURN returns a constant or a register the trace never wrote
        lines.append("        pass")
    lines.append("    return n")
    exec(compile("\n".join(lines) + "\n", f"<entry of {installed.label}>", "exec"), names)
    return names["run"]
