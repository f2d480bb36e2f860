"""Front-end: Python source (``ast``) -> register bytecode ``Code`` objects.

Register layout of a function: parameters first, then the other locals, then
temporaries allocated as a stack above them. Invariants of the emitted code:
- a local register is read without a ``CHECKBOUND`` only where it is definitely
  assigned on every path (conservative flow analysis over the structured AST);
- every loop has exactly one ``LOOP`` instruction, its header, and every backward
  branch of that loop targets it;
- a construct outside the supported subset raises ``CompileError`` with filename,
  line and column; nothing is silently dropped.
"""
from __future__ import annotations

import ast
import builtins

from .code import Code, SourceFile
from .errors import CompileError
from .opcodes import (BINARY_OPERATORS, COMPARE_OPERATORS, OPCODE_NUMBERS, UNARY_OPERATORS,
                      rk_const)
from .values import (ALLOWED_BUILTINS, GUEST_MODULES, KEYWORDS_BY_CALLEE, METHOD_NAMES,
                     MODULE_ATTRIBUTES, VALUE_ATTRIBUTES)

_BINOP_NAMES = {
    ast.Add: "ADD", ast.Sub: "SUB", ast.Mult: "MUL", ast.Div: "TRUEDIV", ast.FloorDiv: "FLOORDIV",
    ast.Mod: "MOD", ast.Pow: "POW", ast.LShift: "LSHIFT", ast.RShift: "RSHIFT",
    ast.BitAnd: "BITAND", ast.BitOr: "BITOR", ast.BitXor: "BITXOR",
}
_CMP_NAMES = {
    ast.Lt: "LT", ast.LtE: "LE", ast.Gt: "GT", ast.GtE: "GE", ast.Eq: "EQ", ast.NotEq: "NE",
    ast.In: "IN", ast.NotIn: "NOTIN", ast.Is: "IS", ast.IsNot: "ISNOT",
}
_UNARY_NAMES = {ast.USub: "NEG", ast.UAdd: "POS", ast.Invert: "INVERT", ast.Not: "NOT"}
assert set(_BINOP_NAMES.values()) == {name for name, _ in BINARY_OPERATORS}
assert set(_CMP_NAMES.values()) == {name for name, _ in COMPARE_OPERATORS}
assert set(_UNARY_NAMES.values()) == {name for name, _ in UNARY_OPERATORS}

# What each unsupported node is called in error messages.
_UNSUPPORTED = {
    ast.ClassDef: "class definitions", ast.Lambda: "lambda", ast.ListComp: "list comprehensions",
    ast.SetComp: "set comprehensions", ast.DictComp: "dict comprehensions",
    ast.GeneratorExp: "generator expressions", ast.Yield: "yield", ast.YieldFrom: "yield from",
    ast.Await: "await", ast.AsyncFunctionDef: "async functions", ast.AsyncFor: "async for",
    ast.AsyncWith: "async with", ast.With: "with statements", ast.Try: "try statements",
    ast.Raise: "raise", ast.Assert: "assert", ast.Delete: "del", ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings", ast.Set: "set displays", ast.Starred: "starred expressions",
    ast.NamedExpr: "assignment expressions (:=)", ast.Slice: "slicing", ast.Nonlocal: "nonlocal",
    ast.AnnAssign: "annotated assignments",
}
if hasattr(ast, "Match"):
    _UNSUPPORTED[ast.Match] = "match statements"
if hasattr(ast, "TryStar"):
    _UNSUPPORTED[ast.TryStar] = "try statements"

_MODULES = frozenset(GUEST_MODULES)


def compile_source(text: str, filename: str = "<string>") -> Code:
    """Compile a module's source to the code object of its top level."""
    source = SourceFile(filename, text)
    try:
        tree = ast.parse(text, filename)
        compile(tree, filename, "exec", dont_inherit=True)  # CPython's own static checks
    except SyntaxError as exc:
        raise CompileError(f"invalid syntax: {exc.msg}", filename, exc.lineno or 1,
                           max((exc.offset or 1) - 1, 0), exc.text) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise CompileError(f"cannot parse: {exc}", filename, 1, 0) from None
    module_names, module_aliases = _scan_module(tree, source)
    compiler = _CodeCompiler(source, "<module>", None, module_names, module_aliases, tree)
    try:
        return compiler.compile_module(tree)
    except RecursionError:
        raise CompileError("expression nested too deeply", filename, 1, 0) from None


def _error(source: SourceFile, node, message: str) -> CompileError:
    line = getattr(node, "lineno", 1)
    col = source.column(line, getattr(node, "col_offset", 0))
    return CompileError(message, source.filename, line, col, source.line(line))


def _scan_module(tree: ast.Module, source: SourceFile):
    """Names bound at module level, and names bound to whitelisted modules anywhere."""
    names, aliases = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name not in _MODULES:
                    raise _error(source, node, f"import of module '{alias.name}' is not supported "
                                               "(only math and numpy)")
                if alias.asname is None and "." in alias.name:
                    raise _error(source, node, "dotted imports are not supported")
                aliases[alias.asname or alias.name] = alias.name
    for node in tree.body:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name) for a in sub.names)
            elif isinstance(sub, ast.Global):
                names.update(sub.names)
    return names, aliases


class _Loop:
    __slots__ = ("breaks", "continues")

    def __init__(self):
        self.breaks = []
        self.continues = []


class _CodeCompiler:
    """Compiles one code object (the module's top level or one function)."""

    def __init__(self, source, name, func, module_names, module_aliases, node):
        self.source = source
        self.name = name
        self.module_names = module_names
        self.module_aliases = module_aliases
        self.instrs = []
        self.positions = []
        self.consts = []
        self.const_keys = {}
        self.loops = []
        self.loop_stack = []
        self.pos = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        self.is_function = func is not None
        self.globals_declared = set()
        self.locals = {}
        self.argnames = ()
        self.assigned = set()     # locals definitely assigned at the current point
        self.terminated = False   # current point unreachable (after return/break/continue)
        if func is not None:
            self._collect_locals(func)
        self.ntemp_base = len(self.locals)
        self.top = self.ntemp_base
        self.max_regs = self.top

    # ----- emission helpers -------------------------------------------------
    def error(self, node, message):
        return _error(self.source, node, message)

    def emit(self, opname, *operands):
        self.instrs.append([OPCODE_NUMBERS[opname], *operands])
        self.positions.append(self.pos)
        return len(self.instrs) - 1

    def here(self):
        return len(self.instrs)

    def patch(self, pc, target):
        self.instrs[pc][-1] = target

    def const(self, value):
        if isinstance(value, float):
            key = (float, repr(value))
        elif isinstance(value, (int, str, bool)) or value is None:
            key = (type(value), value)
        else:
            key = (id(value),)
        index = self.const_keys.get(key)
        if index is None:
            index = len(self.consts)
            self.consts.append(value)
            self.const_keys[key] = index
        return index

    def temp(self):
        reg = self.top
        self.top += 1
        self.max_regs = max(self.max_regs, self.top)
        return reg

    def temps(self, count):
        base = self.top
        self.top += count
        self.max_regs = max(self.max_regs, self.top)
        return base

    def at(self, node):
        if hasattr(node, "lineno"):
            self.pos = (node.lineno, node.col_offset)

    # ----- scopes -------------------------------------------------------------
    def _collect_locals(self, func: ast.FunctionDef):
        args = func.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise self.error(func, "only plain positional parameters are supported "
                                   "(no *args, **kwargs, keyword-only or positional-only)")
        params = [a.arg for a in args.args]
        for p in params:
            self.locals[p] = len(self.locals)
        self.assigned.update(params)
        self.argnames = tuple(params)
        for node in ast.walk(func):
            if isinstance(node, ast.Global):
                self.globals_declared.update(node.names)
        for node in _walk_body(func.body):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                if node.id not in self.globals_declared and node.id not in self.locals:
                    self.locals[node.id] = len(self.locals)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if bound not in self.globals_declared and bound not in self.locals:
                        self.locals[bound] = len(self.locals)

    def local_reg(self, name):
        if self.is_function and name not in self.globals_declared:
            return self.locals.get(name)
        return None

    # ----- code objects ---------------------------------------------------------
    def finish(self, nparams):
        regnames = [""] * self.max_regs
        for name, reg in self.locals.items():
            regnames[reg] = name
        return Code(name=self.name, source=self.source,
                    instrs=tuple(tuple(i) for i in self.instrs), consts=tuple(self.consts),
                    nregs=max(self.max_regs, 1), nparams=nparams, argnames=self.argnames,
                    regnames=tuple(regnames), positions=tuple(self.positions),
                    loops=tuple(self.loops), firstline=self.pos[0])

    def compile_module(self, tree):
        self.at(tree.body[0] if tree.body else tree)
        return self.compile_body(tree.body, 0, self.pos[0])

    def compile_function(self, func: ast.FunctionDef):
        self.at(func)
        return self.compile_body(func.body, len(self.argnames), func.lineno)

    def compile_body(self, body, nparams, firstline):
        """The code object of a module's or function's body (a leading docstring is
        skipped; falling off the end returns None)."""
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body = body[1:]
        self.block(body)
        if not self.terminated:
            self.emit("RETURN", rk_const(self.const(None)))
        code = self.finish(nparams)
        code.firstline = firstline
        return code

    # ----- statements -------------------------------------------------------------
    def block(self, stmts):
        for i, stmt in enumerate(stmts):
            if self.terminated:
                # unreachable code is still checked for unsupported constructs
                self.check_only(stmts[i:])
                return
            self.stmt(stmt)

    def stmt(self, node):
        self.at(node)
        mark = self.top
        handler = _STMT_HANDLERS.get(type(node))
        if handler is None:
            what = _UNSUPPORTED.get(type(node), type(node).__name__)
            raise self.error(node, f"{what} not supported")
        handler(self, node)
        self.top = mark

    def s_FunctionDef(self, node):
        if self.is_function:
            raise self.error(node, "nested function definitions (closures) not supported")
        if node.decorator_list:
            raise self.error(node.decorator_list[0], "decorators not supported")
        inner = _CodeCompiler(self.source, node.name, node, self.module_names,
                              self.module_aliases, node)
        code = inner.compile_function(node)
        defaults = node.args.defaults
        base = self.temps(len(defaults))
        for i, d in enumerate(defaults):
            self.at(d)
            self.expr_to(d, base + i)
        self.at(node)
        dst = self.temp()
        self.emit("MAKEFUNC", dst, self.const(code), base, len(defaults))
        self.store_name(node.name, dst, node)

    def s_Return(self, node):
        if node.value is None:
            self.emit("RETURN", rk_const(self.const(None)))
        else:
            self.emit("RETURN", self.expr(node.value))
        self.terminated = True

    def s_Pass(self, node):
        pass

    def s_Global(self, node):
        pass

    def s_Expr(self, node):
        if isinstance(node.value, ast.Constant):
            self.expr(node.value)  # validates the constant kind
            return
        self.expr(node.value)

    def s_Import(self, node):
        self.module_level_only(node)
        for alias in node.names:
            dst = self.temp()
            self.emit("LOADK", dst, self.const(GUEST_MODULES[alias.name]))
            self.store_name(alias.asname or alias.name, dst, node)

    def module_level_only(self, node):
        if self.is_function:
            raise self.error(node, "import inside a function not supported (import at module level)")

    def s_ImportFrom(self, node):
        self.module_level_only(node)
        if node.module not in _MODULES or node.level:
            raise self.error(node, f"import from module '{node.module}' is not supported "
                                   "(only math and numpy)")
        allowed = MODULE_ATTRIBUTES[node.module]
        for alias in node.names:
            if alias.name == "*":
                raise self.error(node, "'from ... import *' not supported")
            if alias.name not in allowed:
                raise self.error(node, f"'{node.module}.{alias.name}' is not supported")
            mod = self.temp()
            self.emit("LOADK", mod, self.const(GUEST_MODULES[node.module]))
            self.emit("GETATTR", mod, mod, self.const(alias.name))
            self.store_name(alias.asname or alias.name, mod, node)

    def s_Assign(self, node):
        targets = node.targets
        if len(targets) == 1 and isinstance(targets[0], (ast.Tuple, ast.List)) \
                and isinstance(node.value, (ast.Tuple, ast.List)) \
                and len(node.value.elts) == len(targets[0].elts) \
                and not any(isinstance(e, ast.Starred) for e in targets[0].elts + node.value.elts):
            # parallel assignment: every value is computed before any target is written
            values = node.value.elts
            base = self.temps(len(values))
            for i, v in enumerate(values):
                self.expr_to(v, base + i)
            for i, t in enumerate(targets[0].elts):
                self.assign(t, base + i)
            return
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            reg = self.local_reg(targets[0].id)
            if reg is not None and _writes_last(node.value):
                self.expr_to(node.value, reg)
                self.assigned.add(targets[0].id)
                return
        value = self.expr_reg(node.value)
        for t in targets:
            self.assign(t, value)

    def s_AugAssign(self, node):
        opname = _BINOP_NAMES.get(type(node.op))
        if opname is None:
            raise self.error(node, f"operator {type(node.op).__name__} not supported")
        target = node.target
        if isinstance(target, ast.Name):
            reg = self.local_reg(target.id)
            if reg is not None:
                self.check_bound(target.id, reg, target)
                self.emit("I" + opname, reg, reg, self.expr(node.value))
                return
            cur = self.temp()
            self.load_name(target.id, cur, target)
            self.emit("I" + opname, cur, cur, self.expr(node.value))
            self.store_name(target.id, cur, target)
        elif isinstance(target, ast.Subscript):
            obj = self.expr_reg(target.value)
            index = self.subscript_index(target)
            cur = self.temp()
            self.at(target)
            if len(index) == 2:
                self.emit("GETITEM2", cur, obj, index[0], index[1])
            else:
                self.emit("GETITEM", cur, obj, index[0])
            self.emit("I" + opname, cur, cur, self.expr(node.value))
            self.at(target)
            if len(index) == 2:
                self.emit("SETITEM2", obj, index[0], index[1], cur)
            else:
                self.emit("SETITEM", obj, index[0], cur)
        else:
            raise self.error(target, "augmented assignment to this target not supported")

    def s_If(self, node):
        if isinstance(node.test, ast.Constant):
            taken = node.body if node.test.value else node.orelse
            skipped = node.orelse if node.test.value else node.body
            self.check_only(skipped)
            self.block(taken)
            return
        else_jumps = self.branch(node.test, False)
        before = set(self.assigned)
        self.block(node.body)
        body_assigned, body_terminated = self.assigned, self.terminated
        if node.orelse:
            end_jump = None if self.terminated else self.emit("JUMP", -1)
            self.patch_all(else_jumps, self.here())
            self.assigned, self.terminated = set(before), False
            self.block(node.orelse)
            if end_jump is not None:
                self.patch(end_jump, self.here())
        else:
            self.patch_all(else_jumps, self.here())
            self.assigned, self.terminated = set(before), False
        self.merge_flow(body_assigned, body_terminated)

    def merge_flow(self, other_assigned, other_terminated):
        if other_terminated:
            return
        if self.terminated:
            self.assigned, self.terminated = set(other_assigned), False
        else:
            self.assigned &= other_assigned

    def check_only(self, stmts):
        """Compile statements that can never run, only to report unsupported constructs."""
        saved = (self.instrs, self.positions, set(self.assigned), self.terminated,
                 len(self.loops), self.top)
        self.instrs, self.positions = [], []
        self.terminated = False
        self.loop_stack.append(_Loop())
        self.block(stmts)
        self.loop_stack.pop()
        self.instrs, self.positions, self.assigned, self.terminated, nloops, self.top = saved
        del self.loops[nloops:]

    def new_loop_header(self):
        loop_id = len(self.loops)
        pc = self.emit("LOOP", loop_id)
        self.loops.append(pc)
        return pc

    def loop_body(self, loop, body) -> int:
        """Compile a loop body; ``continue`` jumps to the returned pc (what follows)."""
        self.loop_stack.append(loop)
        self.block(body)
        self.loop_stack.pop()
        self.terminated = False
        continue_pc = self.here()
        self.patch_all(loop.continues, continue_pc)
        return continue_pc

    def s_While(self, node):
        before = set(self.assigned)
        loop = _Loop()
        constant = isinstance(node.test, ast.Constant)
        if constant and not node.test.value:
            self.check_only(node.body)
            self.block(node.orelse)
            return
        entry_jump = None if constant else self.emit("JUMP", -1)
        header = self.new_loop_header()
        test_pc = self.loop_body(loop, node.body)
        if constant:
            self.at(node)
            self.emit("JUMP", header)
        else:
            self.patch(entry_jump, test_pc)
            self.assigned = set(before)
            self.at(node.test)
            self.patch_all(self.branch(node.test, True), header)
        self.assigned = set(before)
        if not constant:
            self.block(node.orelse)
        else:
            self.check_only(node.orelse)
            if not loop.breaks:
                self.terminated = True
        self.patch_all(loop.breaks, self.here())
        if loop.breaks:
            self.terminated = False
            self.assigned = set(before)

    def s_For(self, node):
        it = node.iter
        before = set(self.assigned)
        loop = _Loop()
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
                and self.local_reg("range") is None and "range" not in self.module_names \
                and not it.keywords and 1 <= len(it.args) <= 3 \
                and not any(isinstance(a, ast.Starred) for a in it.args):
            base = self.temps(3)
            args = it.args
            if len(args) == 1:
                self.emit("LOADK", base, self.const(0))
                self.expr_to(args[0], base + 1)
                self.emit("LOADK", base + 2, self.const(1))
            else:
                self.expr_to(args[0], base)
                self.expr_to(args[1], base + 1)
                if len(args) == 3:
                    self.expr_to(args[2], base + 2)
                else:
                    self.emit("LOADK", base + 2, self.const(1))
            var = self.target_register(node.target)
            self.at(node)
            prep = self.emit("FORPREP", base, var, -1)
            header = self.new_loop_header()
            self.assign_loop_target(node.target, var)
            self.loop_body(loop, node.body)
            self.at(node)
            self.emit("FORLOOP", base, var, header)
            self.patch(prep, self.here())
        else:
            seq = self.expr_reg(it)
            iterator = self.temp()
            self.at(it)
            self.emit("GETITER", iterator, seq)
            var = self.target_register(node.target)
            entry_jump = self.emit("JUMP", -1)
            header = self.new_loop_header()
            self.assign_loop_target(node.target, var)
            next_pc = self.loop_body(loop, node.body)
            self.patch(entry_jump, next_pc)
            self.at(node)
            self.emit("FORITER", iterator, var, header)
        self.assigned = set(before)
        self.block(node.orelse)
        self.patch_all(loop.breaks, self.here())
        if loop.breaks:
            self.terminated = False
            self.assigned = set(before)

    def target_register(self, target):
        if isinstance(target, ast.Name):
            reg = self.local_reg(target.id)
            if reg is not None:
                return reg
        elif not isinstance(target, (ast.Tuple, ast.List, ast.Subscript)):
            raise self.error(target, "unsupported loop target")
        return self.temp()

    def assign_loop_target(self, target, var):
        if isinstance(target, ast.Name) and self.local_reg(target.id) == var:
            self.assigned.add(target.id)
            return
        self.assign(target, var)

    def s_Break(self, node):
        self.loop_stack[-1].breaks.append(self.emit("JUMP", -1))
        self.terminated = True

    def s_Continue(self, node):
        self.loop_stack[-1].continues.append(self.emit("JUMP", -1))
        self.terminated = True

    def patch_all(self, pcs, target):
        for pc in pcs:
            self.patch(pc, target)

    # ----- assignment -----------------------------------------------------------
    def assign(self, target, value_reg):
        self.at(target)
        if isinstance(target, ast.Name):
            reg = self.local_reg(target.id)
            if reg is not None:
                if reg != value_reg:
                    self.emit("MOVE", reg, value_reg)
                self.assigned.add(target.id)
            else:
                self.store_name(target.id, value_reg, target)
        elif isinstance(target, ast.Subscript):
            obj = self.expr_reg(target.value)
            index = self.subscript_index(target)
            self.at(target)
            if len(index) == 2:
                self.emit("SETITEM2", obj, index[0], index[1], value_reg)
            else:
                self.emit("SETITEM", obj, index[0], value_reg)
        elif isinstance(target, (ast.Tuple, ast.List)):
            if any(isinstance(e, ast.Starred) for e in target.elts):
                raise self.error(target, "starred assignment targets not supported")
            n = len(target.elts)
            base = self.temps(n)
            self.emit("UNPACK", base, n, value_reg)
            for i, elt in enumerate(target.elts):
                self.assign(elt, base + i)
        elif isinstance(target, ast.Attribute):
            raise self.error(target, "assignment to attributes not supported")
        else:
            raise self.error(target, f"assignment to {type(target).__name__} not supported")

    def store_name(self, name, value_reg, node):
        reg = self.local_reg(name)
        if reg is not None:
            if reg != value_reg:
                self.emit("MOVE", reg, value_reg)
            self.assigned.add(name)
        else:
            self.emit("STOREGLOBAL", self.const(name), value_reg)

    def load_name(self, name, dst, node):
        self.emit("LOADGLOBAL", dst, self.const(name))

    def check_bound(self, name, reg, node):
        if name not in self.assigned:
            self.at(node)
            self.emit("CHECKBOUND", reg, self.const(name))

    # ----- expressions ------------------------------------------------------------
    def expr(self, node):
        """Compile ``node``; return an rk operand holding its value."""
        if isinstance(node, ast.Constant):
            return rk_const(self.const(self.constant_value(node)))
        if isinstance(node, ast.Name):
            reg = self.local_reg(node.id)
            if reg is not None:
                self.check_bound(node.id, reg, node)
                return reg
        dst = self.temp()
        self.expr_to(node, dst)
        return dst

    def expr_reg(self, node):
        """Compile ``node``; return a register (never a constant) holding its value."""
        value = self.expr(node)
        if value < 0:
            reg = self.temp()
            self.emit("LOADK", reg, -1 - value)
            return reg
        return value

    def constant_value(self, node):
        value = node.value
        if value is None or type(value) in (int, float, bool, str):
            return value
        raise self.error(node, f"constants of type {type(value).__name__} not supported")

    def expr_to(self, node, dst):
        """Compile ``node`` so that its value ends up in register ``dst``."""
        self.at(node)
        handler = _EXPR_HANDLERS.get(type(node))
        if handler is None:
            what = _UNSUPPORTED.get(type(node), type(node).__name__)
            raise self.error(node, f"{what} not supported")
        mark = self.top
        handler(self, node, dst)
        self.top = max(mark, dst + 1) if dst >= mark else mark

    def e_Constant(self, node, dst):
        self.emit("LOADK", dst, self.const(self.constant_value(node)))

    def e_Name(self, node, dst):
        reg = self.local_reg(node.id)
        if reg is not None:
            self.check_bound(node.id, reg, node)
            if reg != dst:
                self.emit("MOVE", dst, reg)
            return
        if node.id not in self.module_names and node.id not in ALLOWED_BUILTINS \
                and node.id in _HOST_BUILTINS and node.id != "__name__":
            raise self.error(node, f"builtin '{node.id}' not supported")
        self.load_name(node.id, dst, node)

    def e_BinOp(self, node, dst):
        opname = _BINOP_NAMES.get(type(node.op))
        if opname is None:
            raise self.error(node, f"operator {type(node.op).__name__} not supported")
        left = self.expr(node.left)
        right = self.expr(node.right)
        self.at(node)
        self.emit(opname, dst, left, right)

    def e_UnaryOp(self, node, dst):
        operand = self.expr(node.operand)
        self.at(node)
        self.emit(_UNARY_NAMES[type(node.op)], dst, operand)

    def e_Compare(self, node, dst):
        if len(node.ops) == 1:
            left = self.expr(node.left)
            right = self.expr(node.comparators[0])
            self.at(node)
            self.emit(_CMP_NAMES[type(node.ops[0])], dst, left, right)
            return
        # chained: the value is the first false comparison's result, else the last one
        result = self.temp()
        ends = []
        left = self.expr(node.left)
        for i, (op, comp) in enumerate(zip(node.ops, node.comparators)):
            right = self.expr(comp)
            self.at(node)
            self.emit(_CMP_NAMES[type(op)], result, left, right)
            if i < len(node.ops) - 1:
                ends.append(self.emit("JUMPIFNOT", result, -1))
            left = right
        self.patch_all(ends, self.here())
        self.emit("MOVE", dst, result)

    def e_BoolOp(self, node, dst):
        result = self.temp()
        jump = "JUMPIFNOT" if isinstance(node.op, ast.And) else "JUMPIF"
        ends = []
        for i, value in enumerate(node.values):
            self.expr_to(value, result)
            if i < len(node.values) - 1:
                ends.append(self.emit(jump, result, -1))
        self.patch_all(ends, self.here())
        self.emit("MOVE", dst, result)

    def e_IfExp(self, node, dst):
        result = self.temp()
        else_jumps = self.branch(node.test, False)
        self.expr_to(node.body, result)
        end = self.emit("JUMP", -1)
        self.patch_all(else_jumps, self.here())
        self.expr_to(node.orelse, result)
        self.patch(end, self.here())
        self.emit("MOVE", dst, result)

    def e_Tuple(self, node, dst):
        self.build(node, "BUILDTUPLE", dst)

    def e_List(self, node, dst):
        self.build(node, "BUILDLIST", dst)

    def build(self, node, opname, dst):
        if not isinstance(node.ctx, ast.Load):
            raise self.error(node, "unsupported target")
        n = len(node.elts)
        base = self.temps(n)
        for i, elt in enumerate(node.elts):
            if isinstance(elt, ast.Starred):
                raise self.error(elt, "starred expressions not supported")
            self.expr_to(elt, base + i)
        self.at(node)
        self.emit(opname, dst, base, n)

    def e_Dict(self, node, dst):
        n = len(node.keys)
        base = self.temps(2 * n)
        for i, (k, v) in enumerate(zip(node.keys, node.values)):
            if k is None:
                raise self.error(v, "dict unpacking (**) not supported")
            self.expr_to(k, base + 2 * i)
            self.expr_to(v, base + 2 * i + 1)
        self.at(node)
        self.emit("BUILDDICT", dst, base, n)

    def subscript_index(self, node):
        index = node.slice
        if isinstance(index, ast.Slice):
            raise self.error(index, "slicing not supported")
        if isinstance(index, ast.Tuple) and len(index.elts) == 2 \
                and not any(isinstance(e, (ast.Slice, ast.Starred)) for e in index.elts):
            return (self.expr(index.elts[0]), self.expr(index.elts[1]))
        if isinstance(index, ast.Tuple) and any(isinstance(e, ast.Slice) for e in index.elts):
            raise self.error(index, "slicing not supported")
        return (self.expr(index),)

    def e_Subscript(self, node, dst):
        obj = self.expr_reg(node.value)
        index = self.subscript_index(node)
        self.at(node)
        if len(index) == 2:
            self.emit("GETITEM2", dst, obj, index[0], index[1])
        else:
            self.emit("GETITEM", dst, obj, index[0])

    def module_of(self, node):
        """The whitelisted module a Name refers to, or None."""
        if isinstance(node, ast.Name) and self.local_reg(node.id) is None:
            return self.module_aliases.get(node.id)
        return None

    def e_Attribute(self, node, dst):
        module = self.module_of(node.value)
        if module is not None:
            if node.attr not in MODULE_ATTRIBUTES[module]:
                raise self.error(node, f"'{module}.{node.attr}' not supported")
        elif node.attr not in VALUE_ATTRIBUTES:
            raise self.error(node, f"attribute access '.{node.attr}' not supported "
                                   f"(only math.*, np.* and array.shape)")
        obj = self.expr_reg(node.value)
        self.at(node)
        self.emit("GETATTR", dst, obj, self.const(node.attr))

    def e_Call(self, node, dst):
        func = node.func
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.error(arg, "*args in calls not supported")
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(kw, "**kwargs in calls not supported")
        if isinstance(func, ast.Attribute) and self.module_of(func.value) is None \
                and func.attr in METHOD_NAMES:
            if node.keywords:
                raise self.error(node.keywords[0], "keyword arguments not supported here")
            obj = self.expr_reg(func.value)
            method = self.temp()
            self.at(func)
            self.emit("GETMETHOD", method, obj, self.const(func.attr))
            base = self.temps(len(node.args))
            for i, arg in enumerate(node.args):
                self.expr_to(arg, base + i)
            self.at(node)
            self.emit("CALLMETHOD", dst, method, base, len(node.args))
            return
        kwnames = tuple(kw.arg for kw in node.keywords)
        if kwnames:
            allowed = self.allowed_keywords(func)
            for kw in node.keywords:
                if kw.arg not in allowed:
                    raise self.error(kw, f"keyword argument '{kw.arg}' not supported here"
                                         + (f" (supported: {', '.join(sorted(allowed))})" if allowed else ""))
        callee = self.expr_reg(func)
        nargs = len(node.args) + len(node.keywords)
        base = self.temps(nargs)
        for i, arg in enumerate(node.args):
            self.expr_to(arg, base + i)
        for i, kw in enumerate(node.keywords):
            self.expr_to(kw.value, base + len(node.args) + i)
        self.at(node)
        if kwnames:
            self.emit("CALLKW", dst, callee, base, nargs, self.const(kwnames))
        else:
            self.emit("CALL", dst, callee, base, nargs)

    def allowed_keywords(self, func):
        if isinstance(func, ast.Name) and self.local_reg(func.id) is None:
            return KEYWORDS_BY_CALLEE.get(func.id, frozenset())
        if isinstance(func, ast.Attribute):
            module = self.module_of(func.value)
            if module is not None:
                return KEYWORDS_BY_CALLEE.get(f"{module}.{func.attr}", frozenset())
        return frozenset()

    # ----- conditions -------------------------------------------------------------
    def branch(self, node, jump_if):
        """Emit a test of ``node``'s truth; return the pcs of jumps taken when it equals
        ``jump_if`` (to be patched); fall through otherwise."""
        self.at(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.branch(node.operand, not jump_if)
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            jumps = []
            if is_and != jump_if:
                # and/jump-if-false or or/jump-if-true: any operand decides
                for value in node.values:
                    jumps += self.branch(value, jump_if)
                return jumps
            skips = []
            for value in node.values[:-1]:
                skips += self.branch(value, not jump_if)
            jumps = self.branch(node.values[-1], jump_if)
            self.patch_all(skips, self.here())
            return jumps
        if isinstance(node, ast.Compare):
            mark = self.top
            left = self.expr(node.left)
            if len(node.ops) == 1:
                right = self.expr(node.comparators[0])
                self.at(node)
                name = _CMP_NAMES[type(node.ops[0])]
                pc = self.emit(("J" if jump_if else "JN") + name, left, right, -1)
                self.top = mark
                return [pc]
            jumps, skips = [], []
            for i, (op, comp) in enumerate(zip(node.ops, node.comparators)):
                right = self.expr(comp)
                name = _CMP_NAMES[type(op)]
                self.at(node)
                last = i == len(node.ops) - 1
                if not jump_if:
                    jumps.append(self.emit("JN" + name, left, right, -1))
                elif last:
                    jumps.append(self.emit("J" + name, left, right, -1))
                else:
                    skips.append(self.emit("JN" + name, left, right, -1))
                left = right
            self.patch_all(skips, self.here())
            self.top = mark
            return jumps
        mark = self.top
        value = self.expr(node)
        self.at(node)
        pc = self.emit("JUMPIF" if jump_if else "JUMPIFNOT", value, -1)
        self.top = mark
        return [pc]


def _writes_last(node) -> bool:
    """True when compiling ``node`` straight into a local's register is safe: the
    register is written only after every operand has been read."""
    return isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Call, ast.Subscript, ast.Attribute,
                             ast.Constant, ast.Name, ast.Tuple, ast.List, ast.Dict)) or \
        (isinstance(node, ast.Compare) and len(node.ops) == 1)


def _walk_body(stmts):
    """Walk statements of a function body (not into nested definitions' bodies)."""
    stack = list(stmts)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(ast.iter_child_nodes(node))


_HOST_BUILTINS = frozenset(dir(builtins))

_STMT_HANDLERS = {
    getattr(ast, name[2:]): method for name, method in vars(_CodeCompiler).items()
    if name.startswith("s_")
}
_EXPR_HANDLERS = {
    getattr(ast, name[2:]): method for name, method in vars(_CodeCompiler).items()
    if name.startswith("e_")
}
