"""``tracejit run --log`` and ``tracejit log show|stats|html``, run as a user would
(a subprocess per command, output piped: plain text)."""
import json
import os
import re
import subprocess
import sys

import pytest

from log_programs import BASIC_PROGRAM, N
from tracejit.logview.model import load

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tracejit(*args):
    return subprocess.run([sys.executable, "-m", "tracejit", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_run_log_writes_a_log_show_reads(tmp_path):
    program = tmp_path / "prog.py"
    program.write_text(BASIC_PROGRAM)
    path = tmp_path / "run.jsonl"
    result = tracejit("run", str(program), "--call", "main", str(N), "--hot-loop", "50", "--hot-exit", "100000",
                      "--log", str(path))
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["event"] for line in path.read_text().splitlines()]
    assert kinds[:2] == ["vm_start", "source"] and kinds[-1] == "vm_stats"
    assert kinds.count("compiled") == 2 and kinds.count("abort") == 4


def test_run_log_to_an_unwritable_path(tmp_path):
    result = tracejit("run", "examples/spectral_norm.py", "--log", str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert result.returncode == 1
    assert result.stderr.startswith("tracejit: cannot write the log") and result.stderr.count("\n") == 1


def test_show_dumps_each_trace_like_jdump(basic_log):
    result = tracejit("log", "show", basic_log.path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out                      # piped: no colour
    assert "---- TRACE 1 start basic.py:3 in main() (loop pc " in out
    assert "      ; basic.py:4: if i % 100 == 99:" in out
    assert re.search(r"^ +\d+  JNEQ ", out, re.M)
    assert re.search(r"^0005 > void +guard_false 0004 #0$", out, re.M)
    assert re.search(r"^\.\.\.\. +SNAP #0 main:4 pc=\d+ \[.*r\d+\(i\)=~\d{4}", out, re.M)
    assert re.search(r"^---- LOOP \[.*r\d+\(s\)=\d{4}", out, re.M)
    assert "---- TRACE 1 IR after dce (" in out and "---- TRACE 1 mcode: generated source" in out
    assert "def trace(" in out and "---- TRACE 1 stop -> loop" in out
    assert out.count("---- TRACE --- abort basic.py:8 -- unsupported value type: item assignment on a dict "
                     "at basic.py:9  [UNSUPPORTED_TYPE]") == 4
    assert "---- TRACE --- blacklist basic.py:8 in main() after 4 aborts" in out
    assert re.search(r"^---- TRACE 1 exits: \d+ entries, \d+ iterations, 30 exits taken$", out, re.M)
    assert re.search(r"^  exit #0 +0005 guard_false +basic.py:4 in main\(\)  taken 30$", out, re.M)


def test_show_one_trace_and_one_pass(basic_log):
    result = tracejit("log", "show", basic_log.path, "--trace", "2", "--pass", "record")
    assert result.returncode == 0, result.stderr
    assert "---- TRACE 2 start basic.py:12" in result.stdout
    assert "TRACE 1" not in result.stdout and "abort" not in result.stdout


def test_show_side_trace_of_a_tree(tree_log):
    out = tracejit("log", "show", tree_log.path, "--trace", "1").stdout
    assert re.search(r"^---- TRACE 1 side start tree.py:14 from exit #\d+ \(guard \d{4}, after \d+ root "
                     r"instructions\); tree version 1$", out, re.M)
    assert "---- side path where guard" in out
    assert re.search(r"^\. +0  MUL +r\d+, r0\(x\)", out, re.M)    # step(x) inlined, one level deep


@pytest.mark.parametrize("args, message", [
    (["--trace", "9"], "no trace 9 in "),
    (["--pass", "licm"], "has no pass 'licm' (passes: record, fold, cse, guards, ranges, dce)"),
])
def test_show_bad_requests(basic_log, args, message):
    result = tracejit("log", "show", basic_log.path, *args)
    assert result.returncode == 1 and message in result.stderr and result.stderr.count("\n") == 1


def test_stats_tables(basic_log):
    result = tracejit("log", "stats", basic_log.path)
    assert result.returncode == 0, result.stderr
    rows = {tuple(cell.strip() for cell in line.split("│")[1:-1]) for line in result.stdout.splitlines() if "│" in line}
    trace_rows = [r for r in rows if len(r) == 11]
    assert ("1", "basic.py:3", "main") == sorted(trace_rows)[0][:3]
    assert sorted(trace_rows)[0][8] == "30" and sorted(trace_rows)[0][10] == "live"
    assert ("1", "0", "0005", "guard_false", "basic.py:4", "30") in rows
    assert ("UNSUPPORTED_TYPE", "4", "unsupported value type", "basic.py:8") in rows
    assert ("basic.py:8", "main", "4", "UNSUPPORTED_TYPE") in rows
    assert ("traces compiled", "2") in rows and ("aborts", "4") in rows and ("blacklisted loops", "1") in rows


def test_stats_of_a_retired_trace_and_side_trace(tree_log):
    out = tracejit("log", "stats", tree_log.path).stdout
    rows = [tuple(cell.strip() for cell in line.split("│")[1:-1]) for line in out.splitlines() if "│" in line]
    traces = {r[0]: r for r in rows if len(r) == 11}
    assert traces["1"][5] == "1" and traces["1"][10] == "live"
    assert traces["2"][10] == "retired"
    assert ("side traces", "1") in rows and ("retired traces", "1") in rows
    # the retirement left its loop without a trace: a blacklisted loop, counted and listed
    model = load(tree_log.path)
    if model.traces[2].retire["blacklisted"]:
        assert ("blacklisted loops", str(1 + len(model.blacklists))) in rows
        assert any(len(r) == 4 and r[3] == "its trace was retired" for r in rows)


def test_corrupt_or_foreign_files_give_one_line_errors(tmp_path, basic_log):
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    truncated = tmp_path / "truncated.jsonl"
    lines = open(basic_log.path).read().splitlines(True)
    truncated.write_text("".join(lines[:2]) + lines[2][:30])      # cut inside its third line
    cases = [(["show", "tests/programs/nbody.py"], "nbody.py:1: not a trace log line (invalid JSON"),
             (["stats", str(garbage)], "not a trace log (not UTF-8 text)"),
             (["show", str(truncated)], "truncated.jsonl:3: not a trace log line (invalid JSON"),
             (["html", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "r.html")], "cannot read: No such file")]
    for args, message in cases:
        result = tracejit("log", *args)
        assert result.returncode == 1, args
        assert result.stderr.startswith("tracejit: ") and message in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_html_report_is_self_contained(basic_log, tmp_path):
    report = tmp_path / "report.html"
    result = tracejit("log", "html", basic_log.path, "-o", str(report))
    assert result.returncode == 0, result.stderr
    page = report.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script>" in page and "<style>" in page
    data = json.loads(page.split('id="tracejit-data">', 1)[1].split("</script>", 1)[0])
    assert [t["number"] for t in data["traces"]] == [1, 2]
    (file,) = data["files"]
    line9 = file["lines"][8]
    assert line9["text"] == "        d[i] = i" and line9["aborts"][0]["reason"] == "UNSUPPORTED_TYPE"
    assert file["lines"][3]["exits"] == 30


def test_show_names_pseudo_registers_by_what_they_hold():
    from tracejit.ir import LENGTH_BASE, POSITION_BASE
    from tracejit.logview.show import _reg
    names = {3: "b", 20: ""}
    assert _reg(names, 3) == "r3(b)" and _reg(names, 20) == "r20"
    assert _reg(names, POSITION_BASE + 20) == "pos(r20)"
    assert _reg(names, LENGTH_BASE + 3) == "len(r3(b))"
