"""A trace log read back into traces, aborts and per-line counts, for the views.

``load`` validates every event (``tracejit.log.read_log``). A ``TraceRecord`` gathers
one trace number's events: its ``compiled`` event, the ``side`` events that grew the
tree (version k is the tree after k side traces) and the last ``exits`` record of
each version (records are cumulative per version, so the last one holds its totals).

Per-line execution (``line_counts``), in bytecode instructions:
- interpreted: exact, from the ``lines`` event (the interpreter's block counters);
- compiled: for each trace version, each path's complete iterations times the
  instructions of each line in the path's recorded bytecode (a side path: the root
  path's first ``prefix`` instructions, then its own) and the loop header it passes
  again, plus, for each exit taken ``c`` times, ``c`` times the instructions of its path
  before the exit (less the header for budget exits, where the interpreter runs it).
A tree counts its complete iterations ``I`` and their instructions ``N`` but not the
iterations of each path, so ``path_iterations`` derives them: exactly for a root
trace alone (all ``I``) and for a tree with one side trace (two unknowns, two
equations); with more side traces, by assuming the side paths ran equally often
(the root path's share still solves ``N``), an estimate.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..log import read_log


@dataclass
class TraceRecord:
    number: int
    compiled: dict
    sides: list = field(default_factory=list)
    exits: dict = field(default_factory=dict)      # version -> trace_exits item (its last record)
    retire: dict | None = None
    promotions: list = field(default_factory=list)   # "promote" events of its versions
    evict: dict | None = None

    @property
    def latest(self) -> dict:
        """The event describing the tree as it runs now (its passes, snapshots, source)."""
        return self.sides[-1] if self.sides else self.compiled

    def version_event(self, version: int) -> dict:
        return self.sides[version - 1] if version else self.compiled

    def pass_names(self) -> list:
        return [p["name"] for p in self.latest["passes"]]

    @property
    def entries(self) -> int:
        return sum(record["entries"] for record in self.exits.values())

    @property
    def iterations(self) -> int:
        return sum(record["iterations"] for record in self.exits.values())

    def exit_totals(self) -> list:
        """[(exit item, total count)] over every version, most taken first; an exit is
        identified by its number and guard (numbers are stable as the tree grows)."""
        totals, first = Counter(), {}
        for record in self.exits.values():
            for item in record["exits"]:
                key = (item["exit"], item["guard"])
                totals[key] += item["count"]
                first.setdefault(key, item)
        return [(first[key], count) for key, count in totals.most_common()]

    @property
    def exits_taken(self) -> int:
        return sum(count for _, count in self.exit_totals())

    def compiled_ms(self) -> float:
        """Numba's time for every version: compiled when made, or when promoted."""
        return self.compiled["compile_ms"] + sum(side["compile_ms"] for side in self.sides) + \
            sum(promotion["compile_ms"] for promotion in self.promotions)


@dataclass
class LogModel:
    path: str
    events: list
    sources: dict = field(default_factory=dict)          # file -> text
    traces: dict = field(default_factory=dict)           # number -> TraceRecord
    aborts: list = field(default_factory=list)
    blacklists: list = field(default_factory=list)
    interpreted: dict = field(default_factory=dict)      # file -> {line: instructions}
    stats: dict | None = None

    def trace(self, number: int) -> TraceRecord:
        return self.traces[number]


def load(path: str) -> LogModel:
    """Read and index the log at ``path`` (``LogError`` if it is not a valid one)."""
    model = LogModel(path, read_log(path))
    for event in model.events:
        kind = event["event"]
        if kind == "source":
            model.sources[event["file"]] = event["text"]
        elif kind == "compiled":
            model.traces[event["number"]] = TraceRecord(event["number"], event)
        elif kind == "side":
            model.traces[event["number"]].sides.append(event)
        elif kind == "retire":
            model.traces[event["number"]].retire = event
        elif kind == "promote":
            model.traces[event["number"]].promotions.append(event)
        elif kind == "evict":
            model.traces[event["number"]].evict = event
        elif kind == "exits":
            for record in event["traces"]:
                if record["number"] in model.traces:
                    model.traces[record["number"]].exits[record["version"]] = record
        elif kind == "abort":
            model.aborts.append(event)
        elif kind == "blacklist":
            model.blacklists.append(event)
        elif kind == "lines":
            for entry in event["files"]:
                counts = model.interpreted.setdefault(entry["file"], {})
                for line, count in entry["counts"].items():
                    counts[int(line)] = counts.get(int(line), 0) + count
        elif kind == "vm_stats":
            model.stats = event["stats"]
    return model


def _path_before(record: TraceRecord, version: int, snap_number: int) -> list:
    """The bytecode a trace version ran, in an iteration, before the guard of
    snapshot ``snap_number``."""
    event = record.version_event(version)
    snap = event["snapshots"][snap_number]
    root = record.compiled["bytecode"]
    for side in record.sides[:version]:
        if side["start"] <= snap["guard"] < side["end"]:
            path = root[:side["prefix"]] + side["bytecode"]
            break
    else:
        path = root
    return path[:snap["n"]]


def path_iterations(record: TraceRecord, version: int, exits: dict) -> list:
    """[(path bytecode, complete iterations)] of a trace version: the root path, then
    each side path (see the module docstring)."""
    root = record.compiled["bytecode"]
    sides = [root[:side["prefix"]] + side["bytecode"] for side in record.sides[:version]]
    total = exits["iterations"]
    # the converted branches' instructions ran on no path (their runs are counted apart)
    instructions = exits["instructions"] - sum(item["count"] for item in exits.get("converted", ()))
    if not sides:
        return [(root, total)]
    side_length = sum(map(len, sides)) / len(sides)
    if side_length == len(root):
        on_root = total / (len(sides) + 1)
    else:
        on_root = (instructions - total * side_length) / (len(root) - side_length)
    on_root = min(max(on_root, 0), total)
    on_side = (total - on_root) / len(sides)
    return [(root, on_root)] + [(path, on_side) for path in sides]


def line_counts(model: LogModel) -> dict:
    """(file, line) -> [interpreted, compiled] instructions (see the module docstring);
    compiled counts are rounded to ints."""
    counts = defaultdict(lambda: [0, 0])
    for file, lines in model.interpreted.items():
        for line, count in lines.items():
            counts[(file, line)][0] += count
    for record in model.traces.values():
        for version, exits in record.exits.items():
            for path, iterations in path_iterations(record, version, exits):
                for ins in path:
                    counts[(ins["file"], ins["line"])][1] += iterations
            # each complete iteration also passed the loop header (LOOP), except the last
            # one before a budget exit: the interpreter resumes at the header and runs it
            header = (record.compiled["file"], record.compiled["line"])
            counts[header][1] += exits["iterations"]
            for item in exits["exits"]:
                if item["exit"] < 0:
                    counts[header][1] -= item["count"]
                    continue
                for ins in _path_before(record, version, item["exit"]):
                    counts[(ins["file"], ins["line"])][1] += item["count"]
            for item in exits.get("converted", ()):    # a converted branch's instruction
                counts[(item["file"], item["line"])][1] += item["count"]
    return {key: [interpreted, round(compiled)] for key, (interpreted, compiled) in counts.items()}


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]
