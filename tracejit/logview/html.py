"""``tracejit log html``: one self-contained HTML report of a trace log.

The page needs no network and no other file: its CSS and JS (``report.css``,
``report.js`` beside this module) are inlined, and the data is one JSON object in a
``<script type="application/json">`` element (``<`` escaped, so no text of the
program can close it). The script builds the page from it with ``textContent`` only.

What the page shows:
- each program file's source, every line shaded by the share of its bytecode
  instructions that ran compiled (``model.line_counts``: green = all compiled,
  orange = all interpreted, mixed linearly; no shade = never executed), with its
  counts in the margin, aborts (``!``) and exits taken (``<-`` and the count) marked
  on the lines where they happened;
- the list of traces; clicking one shows its IR after each pass (one tab per pass),
  the generated source, the bytecode recorded and its exits, and outlines its lines;
- a summary pane (totals, aborts, blacklisted loops) until a trace is chosen.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict

from .model import LogModel, line_counts
from .stats import blacklisted_loops, totals

_HERE = os.path.dirname(os.path.abspath(__file__))


def _asset(name: str) -> str:
    with open(os.path.join(_HERE, name), encoding="utf-8") as f:
        return f.read()


def _source_text(model: LogModel, file: str) -> str | None:
    """The file's text as the log holds it, else as it is on disk now, else None."""
    if file in model.sources:
        return model.sources[file]
    try:
        with open(file, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def report_data(model: LogModel) -> dict:
    """Everything the page shows, as JSON data."""
    counts = line_counts(model)
    aborts = defaultdict(list)
    for event in model.aborts:
        aborts[(event["at_file"], event["at_line"])].append(
            {"reason": event["reason"], "message": event["message"], "detail": event["detail"],
             "where": event["where"], "kind": event["kind"]})
    exits = defaultdict(int)
    for record in model.traces.values():
        for item, count in record.exit_totals():
            if item["exit"] >= 0:
                exits[(item["file"], item["line"])] += count
    files = sorted({file for file, _ in counts} | set(model.sources))
    file_data = []
    for file in files:
        text = _source_text(model, file)
        if text is None:
            continue
        lines = []
        for number, source in enumerate(text.splitlines(), 1):
            interpreted, compiled = counts.get((file, number), (0, 0))
            lines.append({"n": number, "text": source, "interp": interpreted, "compiled": compiled,
                          "aborts": aborts.get((file, number), []), "exits": exits.get((file, number), 0)})
        file_data.append({"file": file, "lines": lines})
    return {
        "title": os.path.basename(model.path),
        "files": file_data,
        "traces": [_trace_data(record) for record in model.traces.values()],
        "aborts": _abort_groups(model.aborts),
        "blacklisted": blacklisted_loops(model),
        "totals": totals(model),
    }


def _abort_groups(aborts) -> list:
    """Aborts with the same loop, reason, detail and place, counted once each."""
    keys = ("where", "reason", "message", "detail", "at", "kind")
    groups = {}
    for event in aborts:
        key = tuple(event[k] for k in keys)
        groups.setdefault(key, dict(zip(keys, key), count=0))["count"] += 1
    return list(groups.values())


def _trace_data(record) -> dict:
    compiled, latest = record.compiled, record.latest
    return {
        "number": record.number, "where": compiled["where"], "func": compiled["func"],
        "file": compiled["file"], "line": compiled["line"],
        "ops": latest["ops"], "guards": latest["guards"], "sides": len(record.sides),
        "entries": record.entries, "iterations": record.iterations, "exits_taken": record.exits_taken,
        "compile_ms": round(record.compiled_ms(), 1), "retired": record.retire is not None,
        "passes": [{key: stage[key] for key in ("name", "ops", "guards", "ms", "ir")} for stage in latest["passes"]],
        "source": latest["source"],
        "paths": [{"title": "root path", "bytecode": compiled["bytecode"]}] +
                 [{"title": f"side path from exit #{side['exit']} (guard {side['guard']:04d})",
                   "bytecode": side["bytecode"]} for side in record.sides],
        "exits": [dict(item, count=count) for item, count in record.exit_totals()],
    }


def render(model: LogModel) -> str:
    """The report's HTML text."""
    data = json.dumps(report_data(model)).replace("<", "\\u003c")
    title = os.path.basename(model.path).replace("&", "&amp;").replace("<", "&lt;")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>tracejit report: {title}</title>\n<style>\n{_asset('report.css')}</style>\n</head>\n"
        "<body>\n<header><h1>tracejit trace log: <span id=\"title\"></span></h1>"
        "<div class=\"legend\"><span class=\"swatch compiled\"></span>all compiled "
        "<span class=\"swatch mixed\"></span>mixed <span class=\"swatch interp\"></span>all interpreted "
        "<span class=\"swatch none\"></span>never run &middot; <b>!</b> abort &middot; "
        "<b>&larr;n</b> exits taken here</div></header>\n"
        "<main>\n<section id=\"source\"></section>\n"
        "<aside><h2>traces</h2><ul id=\"trace-list\"></ul><div id=\"pane\"></div></aside>\n</main>\n"
        f"<script type=\"application/json\" id=\"tracejit-data\">{data}</script>\n"
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"
    )


def write(model: LogModel, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(model))
