"""Command line: ``tracejit run``, ``tracejit dis``, ``tracejit log show|stats|html`` and
``tracejit cache info|clear``.

Exit status: 0 on success, 1 when the program fails to compile or raises, 2 on bad
command-line usage. Errors print as ``file:line:col: message`` (compile errors) or a
guest traceback followed by ``ExceptionType: message`` (runtime errors), on stderr.
"""
from __future__ import annotations

import argparse
import ast
import sys

from interp import CompileError, compile_source
from interp.disasm import disassemble
from interp.errors import GUEST_TRACEBACK_ATTR, format_guest_traceback


def _literal(text: str):
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise argparse.ArgumentTypeError(f"not an int or float literal: {text!r}") from None
    if type(value) not in (int, float):
        raise argparse.ArgumentTypeError(f"not an int or float literal: {text!r}")
    return value


def _size(text: str) -> int:
    from .trace_memory import parse_size
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tracejit", description="A tracing JIT for a Python subset.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a program's top level (and optionally call a function)")
    run.add_argument("program")
    run.add_argument("--call", nargs="+", metavar=("FUNCTION", "ARG"),
                     help="after the top level, call FUNCTION(ARG...) with int/float literal args "
                          "and print repr(result)")
    run.add_argument("--no-jit", action="store_true", help="interpreter only")
    run.add_argument("--hot-loop", type=int, default=None, metavar="N",
                     help="loop iterations before a loop is traced (default: $TRACEJIT_HOT_LOOP or 100)")
    run.add_argument("--hot-func", type=int, default=None, metavar="N",
                     help="calls of a function before it is traced from its entry "
                          "(default: $TRACEJIT_HOT_FUNC or 10000)")
    run.add_argument("--hot-exit", type=int, default=None, metavar="N",
                     help="exits through one guard before a side trace grows from it "
                          "(default: $TRACEJIT_HOT_EXIT or 10)")
    run.add_argument("--hot-compile", type=int, default=None, metavar="N",
                     help="iterations a new trace tree runs in the Python tier before Numba compiles it; "
                          "0: at once (default: $TRACEJIT_HOT_COMPILE or 1000)")
    run.add_argument("--max-trace-mem", type=_size, default=None, metavar="SIZE",
                     help="estimated memory compiled trace trees may hold, in bytes or with a suffix K, M, G "
                          "(64M); the coldest trees are evicted (default: $TRACEJIT_MAX_TRACE_MEM or 256M)")
    run.add_argument("--opts", default=None, metavar="LIST",
                     help="optimizer passes: a comma list of fold,cse,guards,ranges,dce; '-name' disables one, "
                          "'none' all (default: $TRACEJIT_OPTS or every pass; docs/optimizer.md)")
    run.add_argument("--stats", action="store_true",
                     help="print VM statistics and instructions per opcode to stderr")
    run.add_argument("--profile", nargs="?", const="all", choices=("all", "time"),
                     help="measure every instruction: time and tracemalloc memory per opcode "
                          "(--profile), or time only (--profile=time, cheaper); table on stderr")
    run.add_argument("-jv", "--verbose-jit", action="store_true",
                     help="one line per JIT event (trace compiled, aborted, blacklisted) on stderr")
    run.add_argument("--fuel", type=int, default=None, help="maximum bytecode instructions per call")
    run.add_argument("--log", metavar="FILE", default=None,
                     help="write the trace log (JSON lines, docs/trace-log.md) to FILE (default: $TRACEJIT_LOG)")
    run.add_argument("--cache", metavar="DIR", default=None,
                     help="the persistent trace cache's directory (default: $TRACEJIT_CACHE_DIR, "
                          "else ~/.cache/tracejit; docs/cache.md)")
    run.add_argument("--no-cache", action="store_true", help="neither read nor write the persistent trace cache")
    dis = sub.add_parser("dis", help="print the bytecode of a program with its source lines")
    dis.add_argument("program")
    log = sub.add_parser("log", help="inspect a trace log written with run --log")
    views = log.add_subparsers(dest="view", required=True)
    show = views.add_parser("show", help="-jdump-style dump: bytecode, IR with snapshots, generated source")
    show.add_argument("file")
    show.add_argument("--trace", type=int, default=None, metavar="N", help="only trace N")
    show.add_argument("--pass", dest="pass_name", default=None, metavar="NAME",
                      help="the IR after pass NAME (default: the last; 'all': every pass)")
    stats = views.add_parser("stats", help="tables: traces, hot exits, aborts by reason, blacklisted loops")
    stats.add_argument("file")
    html = views.add_parser("html", help="one self-contained HTML report")
    html.add_argument("file")
    html.add_argument("-o", "--output", required=True, metavar="REPORT.html")
    cache = sub.add_parser("cache", help="the persistent trace cache (docs/cache.md)")
    actions = cache.add_subparsers(dest="action", required=True)
    for action, text in (("info", "print the directory, number of entries and size"),
                         ("clear", "remove every entry")):
        actions.add_parser(action, help=text).add_argument(
            "--dir", default=None, help="the cache directory (default: $TRACEJIT_CACHE_DIR, else ~/.cache/tracejit)")
    return parser


def _report_error(exc: BaseException) -> int:
    if isinstance(exc, CompileError):
        print(f"tracejit: {exc}", file=sys.stderr)
        return 1
    entries = getattr(exc, GUEST_TRACEBACK_ATTR, None)
    if entries:
        print(format_guest_traceback(entries), file=sys.stderr)
    print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


def cmd_run(args) -> int:
    from .vm import VM
    call_args = []
    if args.call:
        try:
            call_args = [_literal(a) for a in args.call[1:]]
        except argparse.ArgumentTypeError as exc:
            print(f"tracejit: --call: {exc}", file=sys.stderr)
            return 2
    for option, value in (("--hot-loop", args.hot_loop), ("--hot-func", args.hot_func),
                          ("--hot-exit", args.hot_exit)):
        if value is not None and value < 1:
            print(f"tracejit: {option} must be a positive int", file=sys.stderr)
            return 2
    if args.hot_compile is not None and args.hot_compile < 0:
        print("tracejit: --hot-compile must be an int >= 0", file=sys.stderr)
        return 2
    profile = {None: False, "all": True, "time": "time"}[args.profile]
    if args.opts is not None:
        from .opt import parse_opts
        try:
            parse_opts(args.opts)
        except ValueError as exc:
            print(f"tracejit: --opts: {exc}", file=sys.stderr)
            return 2
    try:
        vm = VM(jit=not args.no_jit, hot_loop=args.hot_loop, hot_func=args.hot_func, hot_exit=args.hot_exit,
                hot_compile=args.hot_compile,
                fuel=args.fuel, profile=profile, log=args.log, opts=args.opts,
                cache=False if args.no_cache else args.cache, max_trace_mem=args.max_trace_mem)
    except OSError as exc:
        print(f"tracejit: cannot write the log {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if args.verbose_jit and vm.jit is not None:
        from .verbose import stderr_printer
        vm.jit.listeners.append(stderr_printer())
    status = 0
    try:
        module = vm.load_file(args.program)
        if args.call:
            result = module.call(args.call[0], *call_args)
            print(repr(result))
    except OSError as exc:
        print(f"tracejit: cannot read {args.program}: {exc.strerror or exc}", file=sys.stderr)
        status = 1
    except Exception as exc:
        status = _report_error(exc)
    if args.stats or profile:
        from .tables import print_tables, profile_tables, stats_tables
        stats = vm.stats()
        print_tables((stats_tables(stats) if args.stats else []) +
                     (profile_tables(stats) if profile else []))
    vm.close()
    return status


def cmd_dis(args) -> int:
    try:
        with open(args.program, encoding="utf-8") as f:
            text = f.read()
        print(disassemble(compile_source(text, args.program)))
    except OSError as exc:
        print(f"tracejit: cannot read {args.program}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except CompileError as exc:
        return _report_error(exc)
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    if args.command == "log":
        from .logview.command import run_view
        return run_view(args)
    if args.command == "cache":
        from .cache.command import run_command
        return run_command(args)
    return {"run": cmd_run, "dis": cmd_dis}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
