"""bench/compare.py end to end, as a user runs it: a subprocess with a controlled PATH."""
import json
import os
import subprocess
import sys

import pytest

from bench_paths import BENCH

COMPARE = os.path.join(BENCH, "compare.py")


def compare(*args, path):
    env = dict(os.environ, PATH=path)
    return subprocess.run([sys.executable, COMPARE, "--quick", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def fake_peer(directory, name, script):
    """An executable ``name`` in ``directory`` that runs ``script`` (sh)."""
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)


def test_quick_run_agrees_and_marks_absent_peers_skipped(tmp_path):
    proc = compare("--programs", "leibniz_pi", "histogram", "--json", path=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True
    assert [row["program"] for row in report["programs"]] == ["leibniz_pi", "histogram"]
    for row in report["programs"]:
        engines = row["engines"]
        for key in ("cpython", "tj_interp", "tj_jit", "numba"):
            assert engines[key]["status"] == "ok", engines[key]
            assert engines[key]["first"] > 0 and engines[key]["steady"] > 0
        for key in ("tj_interp", "tj_jit", "numba"):
            assert engines[key]["agree"] is True
        assert engines["pypy"] == dict(engines["pypy"], status="skipped", detail="pypy3 not installed")
        assert engines["luajit"]["status"] == "skipped"
        assert engines["tj_jit"]["stats"]["traces_compiled"] >= 1


def test_markdown_table_says_skipped(tmp_path):
    proc = compare("--programs", "leibniz_pi", "--engines", "pypy", "luajit", path=str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    row = next(line for line in proc.stdout.splitlines() if line.startswith("| leibniz_pi |"))
    assert row.count("skipped") == 2
    assert "all agree with CPython" in proc.stdout


def test_wrong_result_and_crashing_peer_fail_the_run(tmp_path):
    fake_peer(tmp_path, "luajit",
              'echo \'RESULT-JSON {"first": 0.1, "steady": 0.1, "result": [3.0, 1e-07]}\'\n')
    fake_peer(tmp_path, "pypy3", "echo boom >&2\nexit 3\n")
    proc = compare("--programs", "leibniz_pi", "--engines", "pypy", "luajit", path=str(tmp_path))
    assert proc.returncode == 1
    assert "**leibniz_pi / LuaJIT: MISMATCH" in proc.stdout
    assert "**leibniz_pi / PyPy: ERROR: exit 3: boom**" in proc.stdout
    assert "MISMATCH or ERROR" in proc.stdout


@pytest.mark.parametrize("bad", [["--repeat", "-1"], ["--scale", "0"], ["--programs", "nope"]])
def test_bad_options_are_usage_errors(bad, tmp_path):
    assert compare(*bad, path=str(tmp_path)).returncode == 2
