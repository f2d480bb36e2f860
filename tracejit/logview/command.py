"""``tracejit log show|stats|html FILE``: load the log, run the view, report errors.

Exit status 0, or 1 with one line ``tracejit: FILE[:LINE]: what is wrong`` on stderr
when the file is not a valid trace log or the view cannot answer (no such trace or pass).
"""
from __future__ import annotations

import sys

from rich.console import Console

from ..log import LogError
from . import html, model, show, stats


PIPED_WIDTH = 200     # rich's width when not writing to a terminal (its default, 80, cuts tables)


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=PIPED_WIDTH)
    return console


def run_view(args) -> int:
    try:
        log = model.load(args.file)
        if args.view == "show":
            lines = show.render(log, args.trace, args.pass_name)
            console = _console()
            for line in lines:
                console.print(line, soft_wrap=True)
        elif args.view == "stats":
            console = _console()
            for table in stats.tables(log):
                console.print(table)
        else:
            html.write(log, args.output)
            print(f"wrote {args.output}", file=sys.stderr)
    except (LogError, show.ViewError) as exc:
        print(f"tracejit: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"tracejit: cannot write {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
