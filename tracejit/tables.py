"""The tables ``tracejit run --stats`` and ``--profile`` print on stderr: rich tables
with borders on a terminal, plain aligned columns (no borders, no colour) otherwise.

Each ``*_tables`` function turns a part of ``VM.stats()`` into ``Table`` objects; it
derives only what is displayed (shares, time per execution), never a statistic.
"""
from __future__ import annotations

import sys

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .profile_report import TIME_BUCKETS

PLAIN_WIDTH = 160      # rich wraps to 80 columns when it cannot ask a terminal
TEXT_COLUMNS = ("what",)


def print_tables(tables, stream=None) -> None:
    """Print each table under its title (a line of its own: rich would wrap a title
    to the table's width)."""
    stream = stream or sys.stderr
    console = Console(file=stream, highlight=False)
    terminal = console.is_terminal
    if not terminal:
        console = Console(file=stream, highlight=False, width=PLAIN_WIDTH, no_color=True)
    for table in tables:
        console.print(Text(table.title, style="bold" if terminal else ""))
        table.title = None
        if not terminal:
            table.box = None
        console.print(table)


def _table(title: str, *columns) -> Table:
    """A table whose first and ``TEXT_COLUMNS`` columns are left-aligned, numbers right."""
    table = Table(title=title, box=box.SIMPLE_HEAVY)
    for number, name in enumerate(columns):
        table.add_column(name, justify="left" if number == 0 or name in TEXT_COLUMNS else "right")
    return table


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _percent(part, whole) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _leaves(name, value):
    if not isinstance(value, dict):
        return [(name, value)]
    return [leaf for key, sub in value.items() for leaf in _leaves(f"{name}[{key}]", sub)]


def stats_tables(stats: dict) -> list:
    """The run's statistics (one row per value; dicts as ``key[subkey]``, nested ones as
    ``key[subkey][subsubkey]``), then the instructions executed per opcode with the share
    that ran compiled."""
    summary = _table("tracejit stats", "statistic", "value")
    for key, value in stats.items():
        if key in ("opcodes", "opcodes_compiled", "profile"):
            continue
        for name, leaf in _leaves(key, value):
            summary.add_row(Text(name), _fmt(leaf))
    opcodes = _table("instructions executed per opcode (of all: share of every instruction; "
                     "compiled: share of the opcode's that ran in compiled traces)",
                     "opcode", "executed", "of all")
    if stats["jit"]:
        opcodes.add_column("compiled", justify="right")
    compiled = stats.get("opcodes_compiled", {})
    total = stats["instructions"]
    for name, count in stats["opcodes"].items():
        row = [name, str(count), _percent(count, total)]
        if stats["jit"]:
            row.append(_percent(compiled.get(name, 0), count))
        opcodes.add_row(*row)
    return [summary, opcodes]


def profile_tables(stats: dict) -> list:
    """Time (and memory) per opcode, then where the run's time went."""
    profile = stats["profile"]
    run = stats["run_seconds"]
    what = "time and memory" if profile["memory"] else "time"
    per_opcode = _table(f"{what} per opcode ({profile['method']}: every execution measured, "
                        f"{profile['floor_ns']:.0f} ns floor subtracted)",
                        "opcode", "executed", "ms", "ns each", "of run")
    if profile["memory"]:
        per_opcode.add_column("allocated B", justify="right")
        per_opcode.add_column("net B", justify="right")
    for name, row in profile["opcodes"].items():
        cells = [name, str(row["count"]), f"{1e3 * row['seconds']:.3f}",
                 f"{1e9 * row['seconds'] / row['count']:.0f}", _percent(row["seconds"], run)]
        if profile["memory"]:
            cells += [str(row["allocated_bytes"]), str(row["net_bytes"])]
        per_opcode.add_row(*cells)
    split = _table("where the run time went", "part", "ms", "of run", "what")
    for part, seconds in profile["time"].items():
        split.add_row(part, f"{1e3 * seconds:.3f}", _percent(seconds, run), TIME_BUCKETS[part])
    return [per_opcode, split]
