"""The command line, run as a user would: a subprocess per command."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tracejit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tracejit", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=120)


@pytest.fixture
def prog(tmp_path):
    def write(text, name="prog.py"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)
    return write


def test_run_top_level_prints_like_python(prog):
    path = prog("x = 3\nprint('x is', x, sep=': ', end='!\\n')\nfor i in range(2):\n    print(i)\n")
    result = tracejit("run", path)
    expected = subprocess.run([sys.executable, path], capture_output=True, text=True).stdout
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected


def test_run_call_prints_repr_of_result_last(prog):
    path = prog("def main(n, x):\n    print('hi')\n    return [n * 2, x]\n")
    result = tracejit("run", path, "--call", "main", "21", "1.5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["hi", "[42, 1.5]"]


def test_run_rejects_non_literal_call_args(prog):
    path = prog("def main(n):\n    return n\n")
    result = tracejit("run", path, "--call", "main", "os.system")
    assert result.returncode == 2
    assert "literal" in result.stderr


def test_stats_go_to_stderr(prog):
    path = prog("def main(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n")
    result = tracejit("run", path, "--call", "main", "100", "--stats", "--no-jit")
    assert result.returncode == 0
    assert result.stdout.strip() == "4950"
    assert "instructions" in result.stderr


def test_stats_tables_are_plain_when_piped(prog):
    path = prog("def main(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n")
    result = tracejit("run", path, "--call", "main", "10", "--stats", "--hot-loop", "1", "--no-cache")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "\x1b[" not in result.stderr and "│" not in result.stderr and "━" not in result.stderr
    rows = {}
    for line in lines:
        if line.strip():
            rows.setdefault(line.split()[0], line.split()[1:])
    assert rows["instructions"] == ["39"] and rows["trace_cache[hits]"] == ["1"]
    assert rows["compiles"] == ["1"] and "jit_coverage" in rows
    assert lines.index("instructions executed per opcode (of all: share of every instruction; "
                       "compiled: share of the opcode's that ran in compiled traces)") > 0
    assert rows["IADD"] == ["10", "25.6%", "90.0%"]


@pytest.mark.parametrize("option", ["--profile", "--profile=time"])
def test_profile_table(prog, option):
    path = prog("def main(n):\n    s = ''\n    for i in range(n):\n        s = s + 'ab'\n    return len(s)\n")
    result = tracejit("run", path, "--call", "main", "100", "--no-jit", option)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"
    lines = result.stderr.splitlines()
    memory = option == "--profile"
    title = next(line for line in lines if "per opcode" in line)
    assert title.startswith("time and memory per opcode (counting" if memory else "time per opcode (counting")
    header = lines[lines.index(title) + 1].split()
    assert header[:4] == ["opcode", "executed", "ms", "ns"]
    assert ("allocated" in header) is memory
    add = next(line.split() for line in lines if line.split()[:1] == ["ADD"])
    assert add[1] == "100"
    if memory:
        assert int(add[-2]) > 100 * 49          # every new string has a 49-byte header
    assert "where the run time went" in lines
    assert "instructions executed per opcode" not in result.stderr     # that is --stats


def test_compile_error_has_file_line_col(prog):
    path = prog("x = 1\ny = [i for i in range(3)]\n")
    result = tracejit("run", path)
    assert result.returncode == 1
    assert f"{path}:2:5: list comprehensions not supported" in result.stderr


def test_runtime_error_prints_guest_traceback(prog):
    path = prog("def f(x):\n    return 1 // x\n\ndef main():\n    return f(0)\n")
    result = tracejit("run", path, "--call", "main")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "tracejit traceback (most recent call last):"
    assert f'File "{path}", line 5, in main' in result.stderr
    assert f'File "{path}", line 2, in f' in result.stderr
    assert lines[-1] == "ZeroDivisionError: integer division or modulo by zero"


def test_missing_file(tmp_path):
    result = tracejit("run", str(tmp_path / "nope.py"))
    assert result.returncode == 1 and "cannot read" in result.stderr


def test_dis_shows_source_lines_and_opcodes(prog):
    path = prog("def main(n):\n    s = 0\n    while s < n:\n        s += 1\n    return s\n")
    result = tracejit("dis", path)
    assert result.returncode == 0
    assert "code main" in result.stdout
    assert f"; {path}:3: while s < n:" in result.stdout
    for opname in ("LOOP", "IADD", "JLT", "RETURN"):
        assert opname in result.stdout


def test_hot_loop_option_compiles_a_trace(prog):
    path = prog("def main(n):\n    s = 0.0\n    for i in range(n):\n        s += i * 0.5\n    return s\n")
    result = tracejit("run", path, "--call", "main", "200", "--hot-loop", "10", "--stats", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(sum(i * 0.5 for i in range(200)))
    assert "traces_compiled" in result.stderr
    line = next(l for l in result.stderr.splitlines() if "traces_compiled" in l)
    assert int(line.split()[-1]) == 1
    assert tracejit("run", path, "--hot-loop", "0").returncode == 2


def test_verbose_jit_lines(prog):
    path = prog("def main(n):\n    s = 0.0\n    for i in range(n):\n        s += i * 0.5\n"
                "    d = {}\n    for i in range(n):\n        d[i] = i\n    return s\n")
    result = tracejit("run", path, "--call", "main", "300", "--hot-loop", "50", "-jv")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any(l.startswith("[TRACE   1 prog.py:3 loop,") and l.endswith(" ms]") for l in lines), lines
    assert "[TRACE --- prog.py:6 -- unsupported operation: SETITEM" not in result.stderr
    assert any(l.startswith("[TRACE --- prog.py:6 -- ") and "at prog.py:7]" in l for l in lines), lines


def test_fuel_limit(prog):
    path = prog("def main():\n    while True:\n        pass\n")
    result = tracejit("run", path, "--call", "main", "--fuel", "1000", "--no-jit")
    assert result.returncode == 1
    assert "FuelExhausted" in result.stderr
