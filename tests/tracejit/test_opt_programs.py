"""The optimizer on real programs: results equal CPython's with each pass off and
with all off; what the passes remove, counted; exit numbers survive removed guards."""
import os

import pytest

import tracejit
from conftest import PROGRAMS_DIR, program_paths
from differential import OPT_MODES, assert_same
from jit_checks import check_no_internal_errors, check_ops

CHEAP = ["lcg_bits", "spectral_norm", "prefix_sum", "histogram"]   # side traces, folds, cse, guards


def _source(name):
    with open(os.path.join(PROGRAMS_DIR, name + ".py"), encoding="utf-8") as f:
        return f.read()


def _test_n(source):
    namespace = {"__name__": "prog"}
    exec(compile(source, "<prog>", "exec"), namespace)
    return namespace["TEST_N"]


@pytest.mark.parametrize("name", CHEAP)
def test_programs_without_optimizer(name):
    source = _source(name)
    assert_same(source, "main", (_test_n(source),), modes=["opts-none"])


@pytest.mark.slow
@pytest.mark.parametrize("path", program_paths(), ids=lambda p: os.path.basename(p)[:-3])
def test_every_program_with_each_pass_off_and_all_off(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    assert_same(source, "main", (_test_n(source),), modes=list(OPT_MODES))


def _compiled(name, opts):
    source = _source(name)
    vm = tracejit.VM(hot_loop=1, hot_exit=1, opts=opts)
    vm.load_source(source, name + ".py").call("main", _test_n(source))
    check_no_internal_errors(vm)
    return vm


def _totals(vm):
    """(ops, guards) of the code compiled for every trace tree (its last version)."""
    trees = [t.compiled.optimized for t in vm.jit.installed]
    return sum(t.op_count() for t in trees), sum(len(t.guards()) for t in trees)


def test_side_paths_do_not_recheck_the_branch_they_grew_from():
    """A side trace starts by re-executing the branch whose guard failed: its first
    guard is implied by that failure, and goes."""
    optimized = _compiled("lcg_bits", None)
    unoptimized = _compiled("lcg_bits", "none")
    for vm, removed in ((optimized, True), (unoptimized, False)):
        for installed in vm.jit.installed:
            tree, code = installed.trace, installed.compiled.optimized
            for side in tree.sides:
                first = next(ref for ref in range(side.start, side.end) if tree.ins[ref].is_guard)
                condition = tree.ins[tree.ins[first].args[0]]
                assert condition.op == tree.ins[tree.ins[side.guard].args[0]].op
                assert (code.ins[first].op == "nop") == removed
    assert sum(len(t.trace.sides) for t in optimized.jit.installed) >= 2
    ops, guards = _totals(optimized)
    ops_none, guards_none = _totals(unoptimized)
    assert guards < guards_none and ops < ops_none


def test_fold_and_cse_shrink_the_recorded_traces():
    """spectral_norm's A(i, j) is inlined: fold drops the peeled inner loops' guards on
    constant steps, cse shares the repeated (i + j) products."""
    optimized = _compiled("spectral_norm", "fold,cse")
    unoptimized = _compiled("spectral_norm", "none")
    stats = optimized.stats()["opt_passes"]
    assert stats["fold"]["guards_removed"] > 0 and stats["cse"]["ops_removed"] > 0
    assert len(optimized.jit.installed) == len(unoptimized.jit.installed)
    for fast, slow in zip(optimized.jit.installed, unoptimized.jit.installed):
        assert fast.trace.op_count() <= slow.trace.op_count()
        assert len(fast.trace.guards()) <= len(slow.trace.guards())
    ops, guards = _totals(optimized)
    ops_none, guards_none = _totals(unoptimized)
    assert ops < ops_none and guards < guards_none


def test_no_guard_on_a_constant_is_ever_compiled():
    for name in CHEAP:
        vm = _compiled(name, None)
        for installed in vm.jit.installed:
            ins = installed.trace.ins
            assert not any(i.op in ("guard_true", "guard_false") and ins[i.args[0]].op == "const" for i in ins)


def test_the_unoptimized_loop_repeats_what_fold_and_cse_remove():
    from test_opt_passes import PROGRAM
    vms = {}
    for opts in ("none", "fold,cse", None):
        vm = vms[opts] = tracejit.VM(hot_loop=1, hot_exit=1, opts=opts)
        vm.load_source(PROGRAM, "prog.py").call("main", 300)
    # none: i * 1, i * i twice; fold: no i * 1; fold+cse: one i * i
    check_ops(vms["none"], int_mul=3)
    check_ops(vms["fold,cse"], int_mul=1)
    branch_guards = [sum(1 for i in vm.jit.installed[0].compiled.optimized.ins
                         if i.op in ("guard_true", "guard_false")) for vm in vms.values()]
    assert branch_guards[2] < branch_guards[1] == branch_guards[0]   # guards: i % 3 == 0 once


def test_removed_guards_keep_exit_numbers_and_never_fire():
    vm = _compiled("lcg_bits", None)
    checked = 0
    for installed in vm.jit.installed:
        tree, code = installed.trace, installed.compiled.optimized
        assert len(installed.exits) == len(tree.snapshots) + 1         # + the budget exit
        for ref, ins in enumerate(tree.ins):
            if ins.snap is None:
                continue
            assert installed.guard_of_snapshot[ins.snap] == ref        # numbering unchanged
            exit_ = installed.exits[ins.snap]
            if code.ins[ref].op == "nop":
                checked += 1
                assert exit_.count == 0 and exit_.restores == [] and code.snapshots[ins.snap].entries == []
                assert f"return {ins.snap}\n" not in installed.compiled.source
            else:
                assert f"return {ins.snap}\n" in installed.compiled.source or ref in installed.sided_guards
    assert checked > 0
