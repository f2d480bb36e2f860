"""Markdown and JSON for bench/compare.py's measurements.

A ``Row`` is one program: its size, each engine's ``Measurement`` and whether its
result agrees with CPython's. Invariants: a speedup is CPython's time divided by the
engine's time for the same phase (first call with first call, steady with steady), so
> 1 is faster than CPython; a cell of a run whose result disagrees says MISMATCH and
never shows a time; geometric means use only agreeing, measured cells.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from engines import Measurement

PHASES = (("steady", "Steady state: best of the repeated calls"),
          ("first", "First call: tracing, compilation and warm-up included"))


@dataclass
class Row:
    program: str
    n: int
    cells: dict = field(default_factory=dict)    # engine key -> Measurement
    agree: dict = field(default_factory=dict)    # engine key -> bool (ok cells only)

    def problems(self):
        """(engine key, text) of each mismatch or error in this row."""
        for key, m in self.cells.items():
            if m.status == "error":
                yield key, f"ERROR: {m.detail}"
            elif m.status == "ok" and not self.agree.get(key, True):
                yield key, f"MISMATCH: {short(m.result)} vs CPython {short(self.cells['cpython'].result)}"


def short(value, limit=120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def seconds(t: float) -> str:
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} µs"


def speedup(reference: float | None, t: float | None) -> float | None:
    if reference is None or t is None or t <= 0:
        return None
    return reference / t


def cell(row: Row, key: str, phase: str) -> str:
    m = row.cells.get(key)
    if m is None:
        return "-"
    if m.status == "skipped":
        return "skipped"
    if m.status == "error":
        return "ERROR"
    if not row.agree.get(key, True):
        return "MISMATCH"
    t = getattr(m, phase)
    if t is None:
        return "-"
    if key == "cpython":
        return seconds(t)
    ratio = speedup(getattr(row.cells["cpython"], phase), t)
    return seconds(t) + (f" ({ratio:.3g}x)" if ratio is not None else "")


def geomean_speedup(rows, key, phase) -> float | None:
    ratios = []
    for row in rows:
        m = row.cells.get(key)
        if m is not None and m.status == "ok" and row.agree.get(key, True):
            ratio = speedup(getattr(row.cells["cpython"], phase), getattr(m, phase))
            if ratio is not None:
                ratios.append(ratio)
    if not ratios:
        return None
    return math.exp(sum(math.log(r) for r in ratios) / len(ratios))


def table(rows, engines, phase: str, title: str) -> list[str]:
    lines = [f"### {title}", "",
             "| program | n | " + " | ".join(e.label for e in engines) + " |",
             "|---|---:|" + "---:|" * len(engines)]
    for row in rows:
        lines.append(f"| {row.program} | {row.n} | "
                     + " | ".join(cell(row, e.key, phase) for e in engines) + " |")
    means = []
    for e in engines:
        g = geomean_speedup(rows, e.key, phase) if e.key != "cpython" else None
        means.append(f"{g:.3g}x" if g is not None else "")
    lines.append("| geomean speedup | | " + " | ".join(means) + " |")
    return lines


def jit_details(rows) -> list[str]:
    """What the JIT did in each program's process (first and steady calls): vm.stats()."""
    lines = ["### tracejit JIT: what was compiled", "",
             "| program | traces | side traces | retired | aborts | abort reasons | JIT coverage |",
             "|---|---:|---:|---:|---:|---|---:|"]
    for row in rows:
        m = row.cells.get("tj_jit")
        if m is None or m.status != "ok":
            continue
        s = m.stats
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(s.get("abort_reasons", {}).items())) or "-"
        counts = " | ".join(str(s.get(key, "-")) for key in
                            ("traces_compiled", "side_traces", "retired_traces", "trace_aborts"))
        lines.append(f"| {row.program} | {counts} | {reasons} | {s.get('jit_coverage', 0):.3f} |")
    return lines


def markdown(rows, engines) -> str:
    lines = []
    for phase, title in PHASES:
        lines += table(rows, engines, phase, title) + [""]
    lines += jit_details(rows) + [""]
    skipped = {}
    for row in rows:
        for key, m in row.cells.items():
            if m.status == "skipped":
                skipped.setdefault((key, m.detail), []).append(row.program)
    labels = {e.key: e.label for e in engines}
    for (key, detail), programs in skipped.items():
        lines.append(f"- {labels[key]} skipped ({detail}): {', '.join(programs)}")
    for row in rows:
        for key, text in row.problems():
            lines.append(f"- **{row.program} / {labels[key]}: {text}**")
    return "\n".join(lines).rstrip() + "\n"


def measurement_json(m: Measurement, agree) -> dict:
    return {"status": m.status, "first": m.first, "steady": m.steady, "agree": agree,
            "result": repr(m.result) if m.status == "ok" else None,
            "detail": m.detail, "stats": m.stats}


def to_json(rows, meta: dict) -> dict:
    return dict(meta, ok=not any(True for row in rows for _ in row.problems()), programs=[
        {"program": row.program, "n": row.n,
         "engines": {key: measurement_json(m, row.agree.get(key)) for key, m in row.cells.items()}}
        for row in rows])
