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
    assert sum(len(t.trace.sides) for t in optimized.jit.installed) >= 1   # (its odd-bit branch is a select)
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
        # + the entry exit if the code has entry guards (ranges), + the budget exit
        assert len(installed.exits) == len(tree.snapshots) + bool(code.entry_guards) + 1
        for ref, ins in enumerate(tree.ins):
            if ins.snap is None:
                continue
            assert installed.guard_of_snapshot[ins.snap] == ref        # numbering unchanged
            exit_ = installed.exits[ins.snap]
            if code.ins[ref].snap is None:      # removed (nop) or unguarded (_nov, _inbounds)
                checked += 1
                assert exit_.count == 0 and exit_.restores == [] and code.snapshots[ins.snap].entries == []
                assert f"ex = {ins.snap}; break\n" not in installed.compiled.source
            else:
                assert f"ex = {ins.snap}; break\n" in installed.compiled.source or ref in installed.sided_guards
    assert checked > 0


def _checks(vm):
    """(overflow checks, bounds checks, entry exits taken) of the code compiled for every tree."""
    trees = [t.compiled.optimized for t in vm.jit.installed]
    overflow = sum(1 for t in trees for i in t.ins if i.op in ("int_add", "int_sub", "int_mul"))
    bounds = sum(1 for t in trees for i in t.ins if i.op in ("arr_get1", "arr_set1", "arr_get2", "arr_set2", "lst_get"))
    entry_exits = sum(t.exits[t.entry_exit].count for t in vm.jit.installed if t.entry_exit is not None)
    return overflow, bounds, entry_exits


def test_ranges_removes_overflow_and_bounds_checks_of_range_loops():
    """spectral_norm's A(i, j) = 1 / ((i + j) * (i + j + 1) // 2 + i + 1), inlined into
    range loops over lists of n elements: with i, j < n <= 2**30 (checked once at entry)
    none of its additions and products can overflow, and v[j] is in bounds."""
    on, off = _compiled("spectral_norm", None), _compiled("spectral_norm", "-ranges")
    (overflow, bounds, entry_exits), (overflow_off, bounds_off, _) = _checks(on), _checks(off)
    assert overflow_off >= 12 and overflow <= overflow_off // 2
    assert bounds_off > 0 and bounds == 0
    assert entry_exits == 0
    assert on.stats()["opt_passes"]["ranges"]["guards_removed"] >= overflow_off - overflow + bounds_off
    inner = [t for t in on.jit.installed if any(i.op == "int_mul" for i in t.trace.ins)]   # A(i, j)'s loops
    assert len(inner) == 2
    for installed in inner:
        ops = {i.op for i in installed.compiled.optimized.ins}
        assert "int_mul_nov" in ops and not {"int_add", "int_sub", "int_mul", "lst_get"} & ops
        # the entry guards run once, before the loop
        assert "while True:" in installed.compiled.source.split(f"return {installed.entry_exit}\n")[1]


def test_ranges_range_len_loops_index_without_checks():
    """dot_numpy: ``for i in range(len(a))`` and ``for i in range(n)`` over arrays of n
    elements read and write a[i], b[i] unchecked (n <= len(a) checked at entry)."""
    (overflow, bounds, entry_exits), (_, bounds_off, _) = \
        _checks(_compiled("dot_numpy", None)), _checks(_compiled("dot_numpy", "-ranges"))
    assert bounds_off >= 8 and bounds == 0 and entry_exits == 0
