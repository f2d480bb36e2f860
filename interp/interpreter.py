"""The baseline interpreter: decoded code objects, pooled frames, the dispatch loop.

Decoding generates, once per code object and interpreter, the functions that run it
(``interp.blocks``): basic-block superinstructions for normal execution, and
one-instruction steps for when every instruction must be observed. The dispatch loop
calls the current unit with the frame's registers; a unit returns its successor, or
``None`` after setting ``machine.event`` to the method that must run next (call,
return, hot loop).

Invariants:
- ``Machine.frame`` is the innermost running frame; frames form a ``parent`` chain;
- a frame's ``regs`` has exactly ``code.nregs`` entries; locals not yet assigned
  hold ``UNBOUND``; a frame returned to its code's pool has every register ``UNBOUND``;
- every executed instruction is counted once: ``instructions`` is the sum over exit
  slots of (times taken x instructions run before that exit), plus the instructions
  of units that raised (each listed in ``raised_units``), plus what the hook adds to
  ``partial_instructions`` for instructions it ran itself (compiled traces);
- the hot counter of loop ``k`` (``DecodedCode.loop_counters[k]``) counts down
  from ``hot_loop_start``; at zero the machine calls ``hook.on_hot_loop``, which
  must reset it;
- the entry counter of a function (``DecodedCode.func_counter``) counts down from
  ``hot_func_start`` at each call the interpreter makes while nothing observes; at
  zero the machine calls ``hook.on_hot_func`` with the callee's frame pushed, which
  must reset it.
"""
from __future__ import annotations

import itertools

from .blocks import Units
from .code import Code, Function
from .errors import FuelExhausted, attach_guest_traceback
from .runtime import UNBOUND, namespace_for
from .values import ALLOWED_BUILTINS
from .verifier import verify

NEVER = 1 << 62   # a hot counter that never reaches zero


class Frame:
    __slots__ = ("decoded", "regs", "parent", "ret_dst", "resume")

    def __init__(self, decoded, regs):
        self.decoded = decoded
        self.regs = regs
        self.parent = None
        self.ret_dst = 0
        self.resume = None


class DecodedCode:
    """A code object bound to one interpreter and one globals dict, with its generated
    units (``blocks`` eagerly, ``steps`` on first use), frame pool and counters."""

    __slots__ = ("code", "machine", "globals", "nparams", "loop_counters", "func_counter", "pool", "blank",
                 "calls", "namespace", "blocks", "_steps", "entry")

    def __init__(self, machine, code: Code, globals_: dict):
        verify(code)
        self.machine = machine
        self.code = code
        self.nparams = code.nparams
        self.globals = globals_
        self.loop_counters = [machine.hot_loop_start] * len(code.loops)
        self.func_counter = machine.hot_func_start
        self.pool = []
        self.blank = [UNBOUND] * code.nregs
        self.calls = 0
        self.namespace = namespace_for(machine, self)
        self.blocks = Units(self, "block", self.namespace)
        self._steps = None
        self.entry = self.blocks.at(0)

    @property
    def steps(self) -> Units:
        if self._steps is None:
            self._steps = Units(self, "step", self.namespace)
        return self._steps

    def start_pc(self, unit) -> int:
        """The pc at which generated function ``unit`` starts."""
        pc = self.blocks.start_of.get(unit)
        if pc is None and self._steps is not None:
            pc = self._steps.start_of.get(unit)
        return 0 if pc is None else pc

    def new_frame(self):
        pool = self.pool
        if pool:
            return pool.pop()
        return Frame(self, list(self.blank))

    def release(self, frame):
        frame.regs[:] = self.blank
        frame.parent = frame.resume = None
        self.pool.append(frame)


class NullHook:
    """The hook of an interpreter without a JIT: loops and functions never get hot."""

    hot_loop_start = NEVER
    hot_func_start = NEVER

    def on_hot_loop(self, machine, decoded, loop):
        decoded.loop_counters[loop] = NEVER
        return None

    def on_hot_func(self, machine, decoded):
        decoded.func_counter = NEVER
        return None

    def on_exception(self, machine, exc):
        machine.observer = None


class Machine:
    """Interpreter state: the frame stack, counters and the dispatch loop."""

    profiler = None     # an interp.profile.Profiler instruments generated units (profile mode)

    def __init__(self, hook=None, fuel=None, recursion_limit=1000):
        self.hook = hook if hook is not None else NullHook()
        self.hot_loop_start = self.hook.hot_loop_start
        self.counts_hot_loops = self.hot_loop_start < NEVER
        self.hot_func_start = self.hook.hot_func_start
        self.builtins = dict(ALLOWED_BUILTINS)
        self.fuel = fuel
        self.recursion_limit = recursion_limit
        self.frame = None
        self.depth = 0
        self.base_depth = 0
        self.event = None
        self.observer = None        # called with each step unit before it runs (JIT recording)
        self.retval = None
        self.hot_loop = None
        self.decoded_by_code = {}
        self.exit_counts = []       # XC of generated code: times each exit slot was taken
        self.exit_weights = []      # instructions executed by the unit before that exit
        self.exit_units = []        # (decoded, start pc) of the unit owning each exit
        self.partial_instructions = 0
        self.raised_units = []      # (decoded, start pc, instructions run) of units that raised
        self.unit_files = {}        # generated filename -> Units (for tracebacks)
        # bound once: generated code stores these in ``event`` without allocating
        self.on_call_event = self.on_counted_call if self.hot_func_start < NEVER else self.on_call
        self.on_return_event = self.on_return
        self.on_hot_loop_event = self.on_hot_loop
        self.on_switch_event = self.on_switch
        self.pending_unit = None
        self.steps = None           # the running call's dispatch budget (fuel)

    @property
    def calls(self) -> int:
        """Guest function calls so far (entries of every decoded function)."""
        return sum(dc.calls for dc in self.decoded_by_code.values())

    @property
    def instructions(self) -> int:
        """Bytecode instructions executed so far."""
        return sum(map(int.__mul__, self.exit_counts, self.exit_weights)) + self.partial_instructions

    def new_exit_slot(self, weight: int, decoded, start: int) -> int:
        """A counter for one exit of a generated unit of ``decoded`` starting at ``start``
        that has run ``weight`` instructions when it leaves there."""
        self.exit_counts.append(0)
        self.exit_weights.append(weight)
        self.exit_units.append((decoded, start))
        return len(self.exit_counts) - 1

    def unit_entries(self) -> dict:
        """(decoded, start pc) -> times a unit starting there ran to one of its exits."""
        entries = {}
        for count, key in zip(self.exit_counts, self.exit_units):
            if count:
                entries[key] = entries.get(key, 0) + count
        return entries

    def loop_iterations(self) -> dict:
        """(decoded, loop id) -> executions of that LOOP header."""
        entries = self.unit_entries()
        result = {}
        for dc in self.decoded_by_code.values():
            for loop, pc in enumerate(dc.code.loops):
                result[(dc, loop)] = entries.get((dc, pc), 0)
        return result

    def decode(self, code: Code, globals_: dict) -> DecodedCode:
        key = (id(code), id(globals_))
        dc = self.decoded_by_code.get(key)
        if dc is None:
            dc = self.decoded_by_code[key] = DecodedCode(self, code, globals_)
        return dc

    # ----- frames and calls ---------------------------------------------------------
    def decoded_for(self, fn: Function) -> DecodedCode:
        dc = fn.decoded
        if dc is None or dc.machine is not self:
            dc = fn.decoded = self.decode(fn.code, fn.globals)
        return dc

    def bind_frame(self, fn: Function, args) -> Frame:
        """A frame for ``fn`` with ``args`` bound to its parameters (CPython's errors)."""
        dc = self.decoded_for(fn)
        code = dc.code
        nparams = code.nparams
        nargs = len(args)
        if nargs != nparams:
            defaults = fn.defaults
            if nargs > nparams:
                raise TypeError(f"{code.name}() takes {nparams} positional argument"
                                f"{'' if nparams == 1 else 's'} but {nargs} "
                                f"{'was' if nargs == 1 else 'were'} given")
            needed = nparams - len(defaults)
            if nargs < needed:
                missing = code.argnames[nargs:needed]
                names = " and ".join(f"'{m}'" for m in missing) if len(missing) <= 2 else \
                    ", ".join(f"'{m}'" for m in missing[:-1]) + f", and '{missing[-1]}'"
                raise TypeError(f"{code.name}() missing {len(missing)} required positional "
                                f"argument{'' if len(missing) == 1 else 's'}: {names}")
            args = list(args) + list(defaults[nargs - needed:])
        frame = dc.new_frame()
        frame.regs[:nparams] = args
        dc.calls += 1
        return frame

    def push_call(self, fn: Function, args, ret_dst, resume):
        """Called by CALL: push a frame for ``fn``; the loop switches to it."""
        if self.depth >= self.recursion_limit:
            raise RecursionError("maximum recursion depth exceeded")
        dc = fn.decoded
        if dc is not None and dc.nparams == len(args) and dc.machine is self:
            frame = dc.new_frame()
            frame.regs[:len(args)] = args
            dc.calls += 1
        else:
            frame = self.bind_frame(fn, args)
        frame.parent = self.frame
        frame.ret_dst = ret_dst
        frame.resume = resume
        self.frame = frame
        self.depth += 1
        self.event = self.on_call_event

    def on_call(self):
        dc = self.frame.decoded
        return dc.steps.at(0) if self.observer is not None else dc.entry

    def on_counted_call(self):
        """``on_call`` of a machine whose hook wants hot functions: count the entry."""
        dc = self.frame.decoded
        if self.observer is not None:
            return dc.steps.at(0)
        count = dc.func_counter - 1
        dc.func_counter = count
        if not count:
            # the hook may run a compiled trace of the function or start recording it:
            # it returns the unit to go on with (None: the function's entry)
            resume = self.hook.on_hot_func(self, dc)
            if resume is not None:
                return resume
        return dc.entry

    def unit_at(self, dc: DecodedCode, pc: int):
        """The unit that resumes ``dc`` at ``pc`` in the current mode (steps while an
        observer is attached, blocks otherwise)."""
        return dc.steps.at(pc) if self.observer is not None else dc.blocks.at(pc)

    def on_return(self):
        frame = self.frame
        parent = frame.parent
        resume = frame.resume
        dst = frame.ret_dst
        frame.decoded.release(frame)
        self.depth -= 1
        if self.depth == self.base_depth:
            self.frame = parent
            return None
        parent.regs[dst] = self.retval
        self.frame = parent
        if self.observer is None:
            steps = parent.decoded._steps
            if steps is not None and resume in steps.start_of:
                # the call was made while observing: continue the caller in blocks
                return parent.decoded.blocks.at(steps.start_of[resume])
        return resume

    def switch_to(self, unit):
        """For an observer that detaches itself: return this (None) from the observer
        and the dispatch loop re-reads its mode, then continues with ``unit``."""
        self.pending_unit = unit
        self.event = self.on_switch_event
        return None

    def on_switch(self):
        unit, self.pending_unit = self.pending_unit, None
        return unit

    def on_hot_loop(self):
        dc, loop = self.hot_loop
        resume = self.hook.on_hot_loop(self, dc, loop)
        if resume is not None:
            return resume
        return self.unit_at(dc, dc.code.loops[loop] + 1)

    # ----- running -----------------------------------------------------------------------
    def call_function(self, fn: Function, args):
        """Run guest function ``fn`` on ``args`` to completion; return its result."""
        if self.depth >= self.recursion_limit:
            raise RecursionError("maximum recursion depth exceeded")
        frame = self.bind_frame(fn, args)
        return self.run_frame(frame, frame.decoded.entry)

    def run_frame(self, frame: Frame, start):
        """Run ``frame`` (pushed on the current stack) from handler ``start`` until it
        returns. Exceptions unwind the frames this call pushed and carry the guest traceback."""
        saved_base = self.base_depth
        frame.parent = self.frame
        self.frame = frame
        self.depth += 1
        self.base_depth = self.depth - 1
        steps = itertools.repeat(None) if self.fuel is None else itertools.repeat(None, self.fuel)
        saved_steps, self.steps = self.steps, steps
        f = start
        R = frame.regs
        try:
            while True:
                observer = self.observer
                if observer is None:
                    for _ in steps:
                        f = f(R)
                        if f is None:
                            break
                    else:
                        self.fuel_exhausted()
                else:
                    # every unit is a step; the observer sees it before it runs and may
                    # replace it, or return None after setting ``event``
                    for _ in steps:
                        f = observer(f, R)
                        if f is None:
                            break
                        f = f(R)
                        if f is None:
                            break
                    else:
                        self.fuel_exhausted()
                f = self.event()
                if f is None:
                    return self.retval
                R = self.frame.regs
        except Exception as exc:
            if self.observer is not None:
                self.hook.on_exception(self, exc)
            pc = exc.pc if isinstance(exc, FuelExhausted) and exc.pc is not None else self.failing_pc(exc)
            if pc is None and f is not None and self.frame is not None:
                pc = self.frame.decoded.start_pc(f)
            attach_guest_traceback(exc, self.traceback_entries(pc))
            raise
        finally:
            self.unwind_to(self.base_depth)
            self.base_depth = saved_base
            self.steps = saved_steps

    def trace_budget(self) -> int:
        """Loop iterations compiled code may run before returning to the interpreter:
        unbounded without fuel, else the fuel (each iteration is charged one dispatch)."""
        return NEVER if self.fuel is None else self.fuel

    def charge_fuel(self, dispatches: int, pc: int | None = None) -> None:
        """Consume ``dispatches`` from the running call's fuel (FuelExhausted when short,
        with ``pc``: where the innermost frame stands now)."""
        if self.fuel is not None and dispatches:
            for _ in itertools.islice(self.steps, dispatches - 1):
                pass
            if next(self.steps, False) is False:
                self.fuel_exhausted(pc)

    def fuel_exhausted(self, pc: int | None = None):
        exc = FuelExhausted(f"fuel exhausted: more than {self.fuel} dispatches (basic blocks or calls)")
        exc.pc = pc
        raise exc

    def unwind_to(self, depth):
        while self.depth > depth:
            frame = self.frame
            self.frame = frame.parent
            frame.decoded.release(frame)
            self.depth -= 1

    def failing_pc(self, exc):
        """The pc of the instruction that raised ``exc`` in the innermost frame, counting
        the instructions its unit ran; None when no generated unit raised it."""
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            units = self.unit_files.get(code.co_filename)
            if units is not None:
                pc = units.pc_of_line(tb.tb_lineno)
                start = units.start_of.get(tb.tb_frame.f_globals.get(code.co_name))
                if start is not None:
                    self.partial_instructions += pc - start + 1
                    self.raised_units.append((units.decoded, start, pc - start + 1))
                return pc
            tb = tb.tb_next
        return None

    def traceback_entries(self, pc):
        """Guest traceback of the current stack, outermost first; ``pc`` is where the
        innermost frame stopped (None: unknown)."""
        entries = []
        frame = self.frame
        depth = self.depth
        while frame is not None and depth > self.base_depth:
            code = frame.decoded.code
            line = code.line_of(pc) if pc is not None else code.firstline
            entries.append((code.filename, line, code.name, code.source.line(line)))
            if frame.resume is not None and frame.parent is not None:
                pc = frame.parent.decoded.start_pc(frame.resume) - 1
            frame = frame.parent
            depth -= 1
        entries.reverse()
        return entries
