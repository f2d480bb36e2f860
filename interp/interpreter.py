"""The baseline interpreter: decoded code objects, pooled frames, the dispatch loop.

Decoding turns a code object into direct-threaded handlers (``interp.handlers``),
once per code object and interpreter. The dispatch loop calls the current handler
with the frame's registers; a handler returns its successor, or ``None`` after
setting ``machine.event`` to the method that must run next (call, return, hot loop).

Invariants:
- ``Machine.frame`` is the innermost running frame; frames form a ``parent`` chain;
- a frame's ``regs`` has exactly ``code.nregs`` entries; locals not yet assigned
  hold ``UNBOUND``; a frame returned to its code's pool has every register ``UNBOUND``;
- every executed instruction is counted once (``Machine.instructions``);
- the hot counter of loop ``k`` (``DecodedCode.loop_counters[k]``) counts down
  from ``hot_loop``; reaching zero calls ``hook.on_hot_loop``, which must reset it.
"""
from __future__ import annotations

import itertools

from .code import Code, Function
from .errors import FuelExhausted, attach_guest_traceback
from .handlers import FALLS_THROUGH, HANDLERS, JUMP_OPERAND, UNBOUND
from .opcodes import OPCODES
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
    """A code object's handlers bound to one interpreter and one globals dict.

    It is also the context handed to handler factories (``consts``, ``globals``,
    ``builtins``, ``machine``, ``loop_counters``)."""

    __slots__ = ("code", "handlers", "pc_of", "entry", "loop_counters", "pool", "blank",
                 "calls", "globals", "builtins", "consts", "machine", "nparams")

    def __init__(self, machine, code: Code, globals_: dict):
        verify(code)
        self.machine = machine
        self.code = code
        self.nparams = code.nparams
        self.globals = globals_
        self.builtins = machine.builtins
        self.consts = code.consts
        self.loop_counters = [machine.hot_loop_start] * len(code.loops)
        self.pool = []
        self.blank = [UNBOUND] * code.nregs
        self.calls = 0
        self.handlers = [HANDLERS[instr[0]](self, pc, *instr[1:])
                         for pc, instr in enumerate(code.instrs)]
        self.pc_of = {h: pc for pc, h in enumerate(self.handlers)}
        self._link()
        self.entry = self.handlers[0]

    def _link(self):
        handlers = self.handlers
        for pc, (h, instr) in enumerate(zip(handlers, self.code.instrs)):
            freevars = h.__code__.co_freevars
            if "nxt" in freevars and FALLS_THROUGH[instr[0]]:
                h.__closure__[freevars.index("nxt")].cell_contents = handlers[pc + 1]
            jump = JUMP_OPERAND[instr[0]]
            if jump is not None:
                h.__closure__[freevars.index("tgt")].cell_contents = handlers[instr[1 + jump]]

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
    """The hook of an interpreter without a JIT: loops never get hot."""

    hot_loop_start = NEVER

    def on_hot_loop(self, machine, decoded, loop):
        decoded.loop_counters[loop] = NEVER
        return None


class Machine:
    """Interpreter state: the frame stack, counters and the dispatch loop."""

    def __init__(self, hook=None, fuel=None, recursion_limit=1000):
        self.hook = hook if hook is not None else NullHook()
        self.hot_loop_start = self.hook.hot_loop_start
        self.builtins = dict(ALLOWED_BUILTINS)
        self.fuel = fuel
        self.recursion_limit = recursion_limit
        self.counter = itertools.count()
        self.frame = None
        self.depth = 0
        self.base_depth = 0
        self.event = None
        self.retval = None
        self.hot_loop = None
        self.decoded_by_code = {}
        # bound once: handlers store these in ``event`` without allocating
        self.on_call_event = self.on_call
        self.on_return_event = self.on_return
        self.on_hot_loop_event = self.on_hot_loop

    @property
    def calls(self) -> int:
        """Guest function calls so far (entries of every decoded function)."""
        return sum(dc.calls for dc in self.decoded_by_code.values())

    @property
    def instructions(self) -> int:
        """Bytecode instructions executed so far (read from the dispatch counter)."""
        return int(repr(self.counter)[6:-1])

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
        """Called by CALL handlers: push a frame for ``fn``; the loop switches to it."""
        if self.depth >= self.recursion_limit:
            raise RecursionError("maximum recursion depth exceeded")
        frame = self.bind_frame(fn, args)
        frame.parent = self.frame
        frame.ret_dst = ret_dst
        frame.resume = resume
        self.frame = frame
        self.depth += 1
        self.event = self.on_call_event

    def on_call(self):
        return self.frame.decoded.entry

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
        return resume

    def on_hot_loop(self):
        dc, loop = self.hot_loop
        resume = self.hook.on_hot_loop(self, dc, loop)
        if resume is not None:
            return resume
        return dc.handlers[dc.code.loops[loop] + 1]

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
        steps = self.counter if self.fuel is None else itertools.islice(self.counter, self.fuel)
        f = start
        R = frame.regs
        try:
            while True:
                for _ in steps:
                    f = f(R)
                    if f is None:
                        break
                else:
                    raise FuelExhausted(f"fuel exhausted: more than {self.fuel} bytecode instructions")
                f = self.event()
                if f is None:
                    return self.retval
                R = self.frame.regs
        except Exception as exc:
            attach_guest_traceback(exc, self.traceback_entries(f))
            raise
        finally:
            self.unwind_to(self.base_depth)
            self.base_depth = saved_base

    def unwind_to(self, depth):
        while self.depth > depth:
            frame = self.frame
            self.frame = frame.parent
            frame.decoded.release(frame)
            self.depth -= 1

    def traceback_entries(self, handler):
        """Guest traceback of the current stack, outermost first; ``handler`` is the one
        that was running in the innermost frame."""
        entries = []
        frame = self.frame
        depth = self.depth
        pc = frame.decoded.pc_of.get(handler, 0) if frame is not None else 0
        while frame is not None and depth > self.base_depth:
            code = frame.decoded.code
            line = code.line_of(pc)
            entries.append((code.filename, line, code.name, code.source.line(line)))
            if frame.resume is not None and frame.parent is not None:
                pc = frame.parent.decoded.pc_of.get(frame.resume, 1) - 1
            frame = frame.parent
            depth -= 1
        entries.reverse()
        return entries


OPCODE_NAMES = tuple(info.name for info in OPCODES)
