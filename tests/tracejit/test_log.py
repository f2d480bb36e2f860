"""The trace log: every event follows the schema, the IR text round-trips, the log
holds what happened, logging off builds nothing, the docs table is the schema."""
import importlib
import json
import os
import subprocess
import sys

import pytest

import tracejit
from log_programs import BASIC_OPTIONS, BASIC_PROGRAM, N, TREE_OPTIONS, TREE_PROGRAM, paths_source
from tracejit import ir, log, logdata
from tracejit.abort import TraceAbort
from tracejit.logview import model as logmodel

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def events(written, kind=None):
    found = log.read_log(written.path)
    return [e for e in found if kind is None or e["event"] == kind]


def test_every_line_validates_and_time_never_goes_back(basic_log, tree_log):
    for written in (basic_log, tree_log):
        with open(written.path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        times = []
        for line in lines:
            event = json.loads(line)
            log.validate_event(event)
            times.append(event["t"])
        assert times == sorted(times)
        assert json.loads(lines[0])["event"] == "vm_start"
        assert json.loads(lines[-1])["event"] == "vm_stats"


def test_the_two_programs_write_every_kind_of_event(basic_log, tree_log):
    kinds = {e["event"] for e in events(basic_log) + events(tree_log)}
    # tree_full: test_a_full_tree_is_logged_once; cache: tests/tracejit/cache/ makes the cache skip entries;
    # evict: test_trace_memory.py
    assert kinds == set(log.EVENTS) - {"tree_full", "cache", "evict"}


def test_basic_log_holds_the_traces_abort_and_exit(basic_log):
    compiled = events(basic_log, "compiled")
    assert [(e["number"], e["line"], e["func"]) for e in compiled] == [(1, 3, "main"), (2, 12, "main")]
    aborts = events(basic_log, "abort")
    assert len(aborts) == 4
    assert {(e["reason"], e["line"], e["at_line"], e["kind"]) for e in aborts} == {("UNSUPPORTED_TYPE", 8, 9, "root")}
    assert all(e["message"] == TraceAbort.UNSUPPORTED_TYPE.message for e in aborts)
    (blacklist,) = events(basic_log, "blacklist")
    assert (blacklist["line"], blacklist["aborts"]) == (8, 4)
    (exits,) = events(basic_log, "exits")
    assert exits["reason"] == "close"
    first = exits["traces"][0]
    assert (first["number"], first["version"], first["retired"]) == (1, 0, False)
    assert [(x["line"], x["op"], x["count"]) for x in first["exits"]] == [(4, "guard_false", N_EXITS)]
    (source,) = events(basic_log, "source")
    with open(basic_log.program, encoding="utf-8") as f:
        assert source["text"] == f.read()


N_EXITS = 30    # i % 100 == 99 in 3000 iterations, once per entry after the trace is compiled


def test_compiled_event_has_bytecode_with_source_ir_snapshots_and_code(basic_log):
    first = events(basic_log, "compiled")[0]
    assert [b["src"] for b in first["bytecode"]][:2] == ["if i % 100 == 99:"] * 2
    assert {b["line"] for b in first["bytecode"]} == {3, 4, 6}
    stages = first["passes"]
    assert [stage["name"] for stage in stages] == ["record", "fold", "cse", "guards", "ranges", "dce"]
    # the last stage is what was compiled
    assert stages[-1]["ops"] == first["ops"] and stages[-1]["guards"] == first["guards"]
    for before, after in zip(stages, stages[1:]):
        if after["name"] in ("guards", "ranges", "dce"):    # the trace passes: counted before and after
            assert before["ops"] - after["ops"] == after["removed_ops"]
            assert before["guards"] - after["guards"] == after["removed_guards"]
    assert len(first["snapshots"]) == stages[0]["guards"]     # one per recorded guard
    assert first["source"].startswith("def trace(")
    named = {(r["reg"], r["name"]) for snap in first["snapshots"] for r in snap["regs"]}
    assert {"i", "s"} <= {name for _, name in named}


def test_ir_text_in_the_log_round_trips_through_parse_trace(basic_log, tree_log):
    for written in (basic_log, tree_log):
        for event in events(written, "compiled") + events(written, "side"):
            for stage in event["passes"]:
                trace = ir.parse_trace(stage["ir"])
                assert ir.format_trace(trace) == stage["ir"]
                assert trace.op_count() == stage["ops"] and len(trace.guards()) == stage["guards"]
                assert len(trace.snapshots) == len(event["snapshots"])


def test_tree_log_holds_the_side_trace_and_the_retired_trace(tree_log):
    starts = events(tree_log, "start")
    # pick() goes on being called by the interpreter once its loop's trace is retired: at
    # hot_func calls it is recorded from its entry, too short to compile (TOO_SHORT)
    assert [e["kind"] for e in starts] == ["root", "side", "root", "func"]
    assert [(e["kind"], e["reason"], e["func"]) for e in events(tree_log, "abort")][-1:] == [("func", "TOO_SHORT", "pick")]
    side_start = starts[1]
    (side,) = events(tree_log, "side")
    assert (side["number"], side["exit"], side["sides"]) == (side_start["parent"], side_start["exit"], 1)
    assert [b["func"] for b in side["bytecode"] if b["depth"] == 1][:1] == ["step"]
    assert side["inlined_functions"] == ["step"]
    trace = ir.parse_trace(side["passes"][-1]["ir"])
    assert (trace.sides[0].guard, trace.sides[0].start, trace.sides[0].end) == (side["guard"], side["start"], side["end"])
    (retire,) = events(tree_log, "retire")
    assert (retire["number"], retire["line"], retire["blacklisted"]) == (2, 22, True)
    recompile, close = events(tree_log, "exits")
    assert recompile["reason"] == "recompile" and [t["version"] for t in recompile["traces"]] == [0]
    assert [(t["number"], t["version"], t["retired"]) for t in close["traces"]] == [(1, 1, False), (2, 0, True)]
    frames = [s["frames"] for s in events(tree_log, "compiled")[1]["snapshots"] if s["frames"]]
    assert frames and frames[0][0]["func"] == "pick"


@pytest.mark.parametrize("written", ["basic_log", "tree_log"])
def test_per_line_counts_add_up_to_the_vm_instruction_counts(written, request):
    """With at most one side trace per tree the per-line counts are exact: interpreted +
    compiled instructions over all lines are the VM's instructions, compiled its JIT coverage."""
    written = request.getfixturevalue(written)
    counts = logmodel.line_counts(logmodel.load(written.path))
    interpreted = sum(c[0] for c in counts.values())
    compiled = sum(c[1] for c in counts.values())
    stats = written.stats
    assert interpreted + compiled == stats["instructions"]
    assert compiled == pytest.approx(stats["jit_coverage"] * stats["instructions"], abs=0.5)


def test_per_line_counts_of_the_basic_program(basic_log):
    counts = logmodel.line_counts(logmodel.load(basic_log.path))
    program = basic_log.program
    assert counts[(program, 9)] == [N, 0]            # the blacklisted loop's body
    assert counts[(program, 5)][1] == 0 < counts[(program, 5)][0]   # only run after an exit


def test_log_is_free_when_off(monkeypatch):
    """No listener: no emit call, no details built, no bytecode kept by the recorder."""
    def forbidden(*args, **kwargs):
        raise AssertionError("trace-log work done with logging off")
    monkeypatch.delenv("TRACEJIT_LOG", raising=False)
    monkeypatch.setattr(importlib.import_module("tracejit.jit").JIT, "emit_event", forbidden)
    for name in ("start_details", "abort_details", "loop_details", "trace_details", "side_details", "exits_details"):
        monkeypatch.setattr(logdata, name, forbidden)
    recorders = []
    original = tracejit.recorder.Recorder.__init__

    def spy(self, *args):
        original(self, *args)
        recorders.append(self)
    monkeypatch.setattr(tracejit.recorder.Recorder, "__init__", spy)
    for text, options in ((BASIC_PROGRAM, BASIC_OPTIONS), (TREE_PROGRAM, TREE_OPTIONS)):
        vm = tracejit.VM(**options)
        assert vm.log is None and vm.jit.listeners == []
        vm.load_source(text).call("main", N)
        stats = vm.stats()
        assert stats["traces_compiled"] + stats["traces_from_cache"] == 2 and (stats["trace_aborts"] or stats["side_traces"])
        vm.close()
    assert recorders and all(r.bytecode is None for r in recorders)


def test_environment_variable_enables_the_log(tmp_path, monkeypatch):
    path = tmp_path / "env.jsonl"
    monkeypatch.setenv("TRACEJIT_LOG", str(path))
    vm = tracejit.VM(jit=False)
    vm.load_source("x = 1\n", "x.py")
    vm.close()
    vm.close()
    assert [e["event"] for e in log.read_log(str(path))] == ["vm_start", "source", "lines", "vm_stats"]


def test_write_log_exits_on_demand_and_log_closed_at_exit(tmp_path):
    """A VM never closed still ends its log with exits, lines and vm_stats at interpreter exit."""
    path = tmp_path / "atexit.jsonl"
    script = ("import tracejit\n"
              f"vm = tracejit.VM(log={str(path)!r}, hot_loop=20)\n"
              "m = vm.load_source('def main(n):\\n    s = 0\\n    for i in range(n):\\n        s += i\\n    return s\\n')\n"
              "m.call('main', 100)\n"
              "vm.write_log_exits()\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    kinds = [e["event"] for e in log.read_log(str(path))]
    assert kinds[-4:] == ["exits", "exits", "lines", "vm_stats"]
    assert "compiled" in kinds


def test_docs_schema_table_is_generated_from_the_schema():
    with open(os.path.join(ROOT, "docs", "trace-log.md"), encoding="utf-8") as f:
        doc = f.read()
    assert log.DOC_BEGIN in doc and log.DOC_END in doc
    assert doc.split(log.DOC_BEGIN, 1)[1].split(log.DOC_END, 1)[0] == log.schema_markdown(), \
        "regenerate the schema section of docs/trace-log.md with: python -m tracejit.log"


def test_schema_types_and_items_are_consistent():
    for schema in list(log.EVENTS.values()) + [log.EventSchema("", fields) for fields in log.ITEMS.values()]:
        for field in schema.fields:
            item = field.type[5:-1] if field.type.startswith("list[") else None
            assert item in log.ITEMS or field.type in ("int", "int?", "number", "str", "bool", "dict",
                                                       "dict[int]", "list[str]", "list[int]"), field


@pytest.mark.parametrize("text, message", [
    ("", "does not start with a vm_start event"),
    ("not json\n", ":1: not a trace log line (invalid JSON"),
    ('{"a": 1}\n', ':1: not a trace log event'),
    ('{"v": 99, "event": "vm_start", "t": 0}\n', ":1: schema version 99, this tracejit reads version 1"),
    ('{"v": 1, "event": "nope", "t": 0}\n', ":1: unknown event 'nope'"),
    ('{"v": 1, "event": "source", "t": 0, "file": "x.py"}\n', ":1: source: missing field text"),
    ('{"v": 1, "event": "source", "t": 0, "file": 3, "text": ""}\n', ":1: source: file is not str"),
    ('{"v": 1, "event": "lines", "t": 0, "files": [{"file": "x", "counts": {"1": "2"}}]}\n',
     ":1: lines.files[0]: counts is not dict[int]"),
    ('{"v": 1, "event": "source", "t": 0, "file": "x.py", "text": "", "extra": 1}\n', "unknown field extra"),
])
def test_bad_logs_raise_one_line_errors(tmp_path, text, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    with pytest.raises(log.LogError) as info:
        log.read_log(str(path))
    assert message in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith(str(path))


def test_a_failing_listener_is_detached_and_the_program_goes_on():
    import warnings
    source = "def main(n):\n    s = 0\n    for i in range(n):\n        s += i * 3\n    return s\n"
    vm = tracejit.VM(hot_loop=5)

    def broken(kind, fields):
        raise OSError(28, "No space left on device")
    vm.jit.listeners.append(broken)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert vm.load_source(source, "<prog>").call("main", 50) == sum(i * 3 for i in range(50))
    assert broken not in vm.jit.listeners
    assert any("listener failed" in str(w.message) for w in caught)


PATHS_SOURCE = paths_source(6, 64)


def test_a_full_tree_is_logged_once(tmp_path, monkeypatch):
    """2**6 paths: the tree reaches its side trace limit and says so once."""
    monkeypatch.setattr(sys.modules["tracejit.jit"], "MAX_SIDE_TRACES", 2)
    path = tmp_path / "paths.jsonl"
    with tracejit.VM(hot_loop=1, hot_exit=1, log=str(path)) as vm:
        result = vm.load_source(PATHS_SOURCE, "<paths>").call("main", 400)
    assert result == tracejit.VM(jit=False).load_source(PATHS_SOURCE, "<paths>").call("main", 400)
    events = list(log.read_log(str(path)))
    full = [e for e in events if e["event"] == "tree_full"]
    sides = [e for e in events if e["event"] == "side"]
    assert len(full) == 1 and full[0]["sides"] == 2 and len(sides) == 2, [e["event"] for e in events]
