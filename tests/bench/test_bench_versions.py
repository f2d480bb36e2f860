"""The hand-written Numba and LuaJIT versions compute exactly what the tracejit program
computes (main(TEST_N))."""
import contextlib
import io
import json
import shutil
import subprocess

import pytest

import bench_paths  # noqa: F401  (bench/ on sys.path)

import engine_runner
import suite

PROGRAMS = [p.name for p in suite.PROGRAMS]


def tracejit_result(program):
    import tracejit
    vm = tracejit.VM(jit=False)
    with contextlib.redirect_stdout(io.StringIO()):
        return suite.plain(vm.load_file(program.path).call("main", program.test_n))


@pytest.mark.slow          # about 1 s of njit compilation a program
@pytest.mark.parametrize("name", PROGRAMS)
def test_numba_version_equals_tracejit(name):
    program = suite.BY_NAME[name]
    main, _ = engine_runner.load("numba", program)
    assert suite.same(suite.plain(main(program.test_n)), tracejit_result(program))


@pytest.mark.skipif(shutil.which("luajit") is None, reason="luajit not installed")
@pytest.mark.parametrize("name", PROGRAMS)
def test_lua_version_equals_tracejit(name):
    program = suite.BY_NAME[name]
    proc = subprocess.run(["luajit", engine_runner.os.path.join(suite.LUA_DIR, "run.lua"), name,
                           str(program.test_n)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    line = proc.stdout.splitlines()[-1]
    assert line.startswith(engine_runner.MARKER)
    result = json.loads(line[len(engine_runner.MARKER):])["result"]
    assert suite.same(result, tracejit_result(program), by_value=True)
