"""The pass registry and manager: switches, per-pass statistics, the verifier hook."""
import json
import os
import subprocess
import sys

import pytest

import tracejit
from tracejit.opt import DEFAULT_OPTS, PASS_NAMES, Optimizer, parse_opts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# x * 1 and x + 0 fold; i * i is computed twice (cse); the branch is tested twice (guards)
PROGRAM = """
def main(n):
    s = 0
    k = 0
    for i in range(n):
        s += i * 1 + 0
        s += i * i + i * i
        if i % 3 == 0:
            k = k + 1 - 0       # two instructions: a branch (one would become a select)
        if i % 3 == 0:
            k = k + 2 - 0
    return s, k
"""


@pytest.mark.parametrize("spec, enabled", [
    (None, DEFAULT_OPTS), ("", DEFAULT_OPTS), ("none", ()), ("fold", ("fold",)),
    ("dce,fold", ("fold", "dce")), ("-cse", ("fold", "guards", "ranges", "dce")),
    ("-cse,-dce", ("fold", "guards", "ranges")), ("fold,cse,-cse", ("fold",)), (" cse , dce ", ("cse", "dce")),
])
def test_parse_opts(spec, enabled):
    assert parse_opts(spec) == enabled


@pytest.mark.parametrize("spec", ["licm", "fold,bogus", "-nothing", "none,fold"])
def test_unknown_pass_names_are_a_clear_error(spec):
    with pytest.raises(ValueError, match="known passes are fold, cse, guards, ranges, dce"):
        parse_opts(spec)
    with pytest.raises(ValueError, match="unknown optimizer pass"):
        tracejit.VM(opts=spec)


def test_the_chain_is_ordered_and_every_pass_is_documented():
    assert PASS_NAMES == ("fold", "cse", "guards", "ranges", "dce")
    from tracejit.opt import PASSES
    assert all(p.doc and p.stage in ("emit", "trace") for p in PASSES)
    assert [p.stage for p in PASSES] == ["emit", "emit", "trace", "trace", "trace"]   # emit passes first


def _run(opts=None, **options):
    vm = tracejit.VM(hot_loop=1, hot_exit=1, opts=opts, **options)
    result = vm.load_source(PROGRAM, "prog.py").call("main", 300)
    return vm, result


def _python_result():
    namespace = {}
    exec(PROGRAM, namespace)
    return namespace["main"](300)


def test_stats_total_what_each_pass_removed():
    vm, result = _run()
    assert result == _python_result()
    stats = vm.stats()
    assert stats["opts"] == "fold,cse,guards,ranges,dce"
    passes = stats["opt_passes"]
    assert set(passes) == set(PASS_NAMES)
    assert passes["fold"]["ops_removed"] >= 2 and passes["fold"]["guards_removed"] >= 2   # x * 1, x + 0
    assert passes["cse"]["guards_removed"] >= 1            # the second i * i
    assert passes["guards"]["guards_removed"] >= 1         # the second i % 3 == 0
    assert stats["opt_ops_removed"] == sum(p["ops_removed"] for p in passes.values())
    assert stats["opt_guards_removed"] == sum(p["guards_removed"] for p in passes.values())
    assert stats["opt_seconds"] > 0
    none_vm, none_result = _run("none")
    assert none_result == result
    none_stats = none_vm.stats()
    assert none_stats["opts"] == "none" and none_stats["opt_passes"] == {} and none_stats["opt_ops_removed"] == 0


def test_environment_variable_and_explicit_option(monkeypatch):
    monkeypatch.setenv("TRACEJIT_OPTS", "-guards")
    assert tracejit.VM().jit.optimizer.opts == "fold,cse,ranges,dce"
    assert tracejit.VM(opts="dce").jit.optimizer.opts == "dce"      # the argument wins
    monkeypatch.setenv("TRACEJIT_OPTS", "nonsense")
    with pytest.raises(ValueError, match="nonsense"):
        tracejit.VM()


def test_the_tests_verify_the_ir_after_every_pass(monkeypatch):
    assert tracejit.VM().jit.optimizer.verify       # tests/conftest.py sets TRACEJIT_VERIFY_IR=1
    monkeypatch.delenv("TRACEJIT_VERIFY_IR")
    assert not Optimizer().verify


def test_a_pass_that_breaks_the_ir_is_caught_by_the_verifier(monkeypatch):
    from tracejit.ir import IRError, Ins
    from tracejit.opt import passes

    def break_it(trace):     # removes an instruction something still uses
        used = next(a for ins in trace.ins for a in ins.args if trace.ins[a].op != "param")
        trace.ins[used] = Ins("nop", (), (), "void")

    broken = tuple(p._replace(run=break_it) if p.name == "dce" else p for p in passes.PASSES)
    monkeypatch.setattr(passes, "PASSES", broken)
    vm = tracejit.VM(hot_loop=1, opts="dce")
    assert vm.load_source(PROGRAM, "prog.py").call("main", 50) == _python_result_for(50)
    assert vm.stats()["abort_reasons"].get("COMPILE_FAILED")     # the program still runs, uncompiled
    with pytest.raises(IRError, match="no value"):
        Optimizer("dce", verify=True).optimize(_recorded_trace())


def _python_result_for(n):
    namespace = {}
    exec(PROGRAM, namespace)
    return namespace["main"](n)


def _recorded_trace():
    vm = tracejit.VM(hot_loop=1, opts="none")
    vm.load_source(PROGRAM, "prog.py").call("main", 50)
    return vm.jit.installed[0].trace


def test_cli_opts_switch_and_log(tmp_path):
    path = tmp_path / "prog.py"
    path.write_text(PROGRAM)
    log = tmp_path / "log.jsonl"
    env = dict(os.environ, TRACEJIT_HOT_LOOP="1")
    run = subprocess.run([sys.executable, "-m", "tracejit", "run", str(path), "--call", "main", "300",
                          "--opts", "fold,dce", "--log", str(log)], capture_output=True, text=True,
                         cwd=ROOT, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == repr(_python_result())
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert events[0]["opts"] == "fold,dce"
    compiled = next(e for e in events if e["event"] == "compiled")
    stages = compiled["passes"]
    assert [s["name"] for s in stages] == ["record", "fold", "dce"]
    assert stages[1]["removed_guards"] >= 2
    stats = events[-1]["stats"]
    assert stats["opts"] == "fold,dce" and stats["opt_passes"]["fold"]["guards_removed"] >= 2
    bad = subprocess.run([sys.executable, "-m", "tracejit", "run", str(path), "--opts", "fold,licm"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "unknown optimizer pass 'licm'" in bad.stderr
