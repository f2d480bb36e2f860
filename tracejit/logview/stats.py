"""``tracejit log stats``: tables of what the JIT did, from a trace log.

Traces (loop, ops, guards, side traces, entries, iterations, exits taken, compile
ms), the most taken exits, aborts by reason, blacklisted loops and totals. Counts of
entries, iterations and exits are those of the last ``exits`` records (written at
close): a log of a VM that was never closed has none.
"""
from __future__ import annotations

from collections import Counter

from rich.table import Table

from ..verbose import short
from .model import LogModel, basename

HOT_EXITS = 10        # rows of the hot-exit table


def tables(model: LogModel) -> list:
    """The ``rich`` tables of the report, in order; a table with no rows is left out,
    except the totals."""
    shown = [_traces(model), _hot_exits(model), _aborts(model), _blacklisted(model)]
    return [table for table in shown if table.row_count] + [_totals(model)]


def _traces(model):
    table = Table(title="traces")
    for name in ("trace", "loop", "function", "ops", "guards", "sides", "entries", "iterations",
                 "exits taken", "compile ms", "state"):
        table.add_column(name, justify="right" if name not in ("loop", "function", "state") else "left")
    for record in model.traces.values():
        latest = record.latest
        table.add_row(str(record.number), short(record.compiled["where"]), record.compiled["func"],
                      str(latest["ops"]), str(latest["guards"]), str(len(record.sides)), str(record.entries),
                      str(record.iterations), str(record.exits_taken), f"{record.compiled_ms():.0f}",
                      "evicted" if record.evict else "retired" if record.retire else "live")
    return table


def _hot_exits(model):
    table = Table(title=f"most taken exits (top {HOT_EXITS})")
    for name in ("trace", "exit", "guard", "op", "line", "taken"):
        table.add_column(name, justify="right" if name in ("trace", "exit", "taken") else "left")
    rows = [(record.number, item, count) for record in model.traces.values()
            for item, count in record.exit_totals()]
    rows.sort(key=lambda row: -row[2])
    for number, item, count in rows[:HOT_EXITS]:
        guard = f"{item['guard']:04d}" if item["guard"] is not None else "-"
        table.add_row(str(number), str(item["exit"]), guard, item["op"],
                      f"{basename(item['file'])}:{item['line']}", str(count))
    return table


def _aborts(model):
    table = Table(title="aborts by reason")
    for name in ("reason", "count", "message", "loops"):
        table.add_column(name, justify="right" if name == "count" else "left")
    reasons = Counter(event["reason"] for event in model.aborts)
    for reason, count in reasons.most_common():
        events = [e for e in model.aborts if e["reason"] == reason]
        loops = sorted({short(e["where"]) for e in events})
        table.add_row(reason, str(count), events[0]["message"], " ".join(loops))
    return table


def blacklisted_loops(model) -> list:
    """{where, func, aborts, why} of every loop (or function) no longer traced: after
    ``MAX_ABORTS`` aborts (a ``blacklist`` event), or left without a trace by a
    retirement or an eviction that blacklisted it (the HTML report shows the same)."""
    rows = []
    for event in model.blacklists:
        last = [e for e in model.aborts if e["where"] == event["where"]][-1:]
        rows.append({"where": event["where"], "func": event["func"], "aborts": str(event["aborts"]),
                     "why": last[0]["reason"] if last else "aborts"})    # the last abort's reason
    for record in model.traces.values():
        for event, why in ((record.retire, "its trace was retired"), (record.evict, "evicted too often")):
            if event is not None and event.get("blacklisted"):
                rows.append({"where": event["where"], "func": event["func"], "aborts": "", "why": why})
    return rows


def _blacklisted(model):
    table = Table(title="blacklisted loops")
    for name in ("loop", "function", "aborts", "why"):
        table.add_column(name, justify="right" if name == "aborts" else "left")
    for row in blacklisted_loops(model):
        table.add_row(short(row["where"]), row["func"], row["aborts"], row["why"])
    return table


def totals(model: LogModel) -> list:
    """[(name, value)] of the totals table (also shown by the HTML report)."""
    records = list(model.traces.values())
    rows = [
        ("traces compiled", len(records)),
        ("side traces", sum(len(r.sides) for r in records)),
        ("aborts", len(model.aborts)),
        ("blacklisted loops", len(blacklisted_loops(model))),
        ("retired traces", sum(1 for r in records if r.retire)),
        ("evicted traces", sum(1 for r in records if r.evict)),
        ("trace entries", sum(r.entries for r in records)),
        ("compiled iterations", sum(r.iterations for r in records)),
        ("exits taken", sum(r.exits_taken for r in records)),
        ("compile ms", f"{sum(r.compiled_ms() for r in records):.0f}"),
    ]
    if model.stats is not None:
        rows += [(name, _number(model.stats[name])) for name in ("instructions", "jit_coverage", "run_seconds")
                 if name in model.stats]
    return [(name, str(value)) for name, value in rows]


def _totals(model):
    table = Table(title="totals")
    table.add_column("total")
    table.add_column("value", justify="right")
    for name, value in totals(model):
        table.add_row(name, value)
    return table


def _number(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
