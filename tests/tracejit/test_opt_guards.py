"""guards: branch guards implied by dominating guards go, with their snapshots."""
import pytest

from opt_text import optimize, same_text

HEAD = "TRACE t loop_pc=0 body=1 main_end={}\n"


def test_repeated_and_negated_int_comparisons():
    got = optimize(HEAD.format(11) + """
        0000   i64 param 'i64' 0
        0001   i64 param 'i64' 1
        0002   bool int_lt 0000 0001
        0003 > void guard_true 0002 #0
        0004 > void guard_true 0002 #1
        0005   bool int_ge 0000 0001
        0006 > void guard_false 0005 #2
        0007   bool int_gt 0001 0000
        0008 > void guard_true 0007 #3
        0009   bool not 0002
        0010 > void guard_false 0009 #4
        SNAP #0 pc=1 n=0 [r2=0002]
        SNAP #1 pc=2 n=1 [r2=0002]
        SNAP #2 pc=3 n=2 [r2=0002]
        SNAP #3 pc=4 n=3 [r2=0002]
        SNAP #4 pc=5 n=4 [r2=0002]
        LOOP [r2=0002]
        """, "guards")
    # a < b holds: a < b again, a >= b false, b > a, not (a < b) false are all implied;
    # their snapshots are emptied, keeping their numbers (the exits never fire)
    same_text(got, HEAD.format(11) + """
        0000   i64 param 'i64' 0
        0001   i64 param 'i64' 1
        0002   bool int_lt 0000 0001
        0003 > void guard_true 0002 #0
        0004   void nop
        0005   bool int_ge 0000 0001
        0006   void nop
        0007   bool int_gt 0001 0000
        0008   void nop
        0009   bool not 0002
        0010   void nop
        SNAP #0 pc=1 n=0 [r2=0002]
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        SNAP #3 pc=4 n=3 []
        SNAP #4 pc=5 n=4 []
        LOOP [r2=0002]
        """)


def test_float_comparisons_imply_only_what_nan_cannot_break():
    text = HEAD.format(8) + """
        0000   f64 param 'f64' 0
        0001   f64 param 'f64' 1
        0002   bool float_lt 0000 0001
        0003 > void guard_false 0002 #0
        0004   bool float_ge 0000 0001
        0005 > void guard_true 0004 #1
        0006   bool float_gt 0001 0000
        0007 > void guard_false 0006 #2
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        LOOP []
        """
    got = optimize(text, "guards")
    # not (a < b) does not make a >= b (nan); it does make b > a false
    assert "0005 > void       guard_true 0004 #1" in got
    assert "0007   void       nop" in got and "SNAP #2 pc=3 n=2 []" in got


# the root path branches on 0002 at 0003; the side path (recorded from that exit)
# re-checks the branch, then checks a comparison the root path checks after 0003
TREE = HEAD.format(7) + """
    0000   i64 param 'i64' 0
    0001   i64 param 'i64' 1
    0002   bool int_lt 0000 0001
    0003 > void guard_true 0002 #0
    0004   bool int_eq 0000 0001
    0005 > void guard_false 0004 #1
    0006 > void guard_true 0002 #2
    0007 > void guard_false 0002 #3
    0008 > void guard_false 0004 #4
    SNAP #0 pc=1 n=0 []
    SNAP #1 pc=2 n=1 []
    SNAP #2 pc=3 n=2 []
    SNAP #3 pc=1 n=0 []
    SNAP #4 pc=2 n=1 []
    SIDE guard=0003 start=7 end=9 body=2 []
    LOOP []
    """


def test_a_side_path_knows_its_guard_failed_and_nothing_after_it():
    got = optimize(TREE, "guards")
    lines = got.splitlines()
    assert lines[4] == "0003 > void       guard_true 0002 #0"       # a side grows from it: kept
    assert lines[7] == "0006   void       nop"                      # root: a < b again
    assert lines[8] == "0007   void       nop"                      # side: a < b failed
    assert lines[9] == "0008 > void       guard_false 0004 #4"      # side: a == b is the root's, later


def test_a_guard_a_side_trace_grows_from_is_never_removed():
    text = TREE.replace("SIDE guard=0003", "SIDE guard=0006")
    got = optimize(text, "guards")
    assert "0006 > void       guard_true 0002 #2" in got


@pytest.mark.parametrize("opts", ["guards", "guards,dce"])
def test_the_optimized_copy_leaves_the_recorded_trace_alone(opts):
    from opt_text import parsed
    from tracejit.ir import format_trace
    from tracejit.opt import Optimizer
    trace = parsed(TREE)
    before = format_trace(trace)
    optimized, stages = Optimizer(opts, verify=True).optimize(trace)
    assert format_trace(trace) == before and optimized is not trace
    assert len(optimized.ins) == len(trace.ins) and len(optimized.snapshots) == len(trace.snapshots)
    assert [s.name for s in stages] == opts.split(",")
    assert stages[0].guards_before - stages[0].guards_after == 2


def test_an_index_checked_once_needs_no_second_bounds_check():
    got = optimize(HEAD.format(11) + """
        0000   arr:f64:2 param 'arr:f64:2' 0
        0001   i64 param 'i64' 1
        0002   i64 param 'i64' 2
        0003 > nf64 arr_get2 0000 0001 0002 #0
        0004   nf64 float_add 0003 0003
        0005 > void arr_set2 0000 0001 0002 0004 #1
        0006 > void arr_set2 0000 0002 0001 0004 #2
        0007   lst:f64 param 'lst:f64' 3
        0008 > f64 lst_get 0007 0001 #3
        0009 > void lst_set 0007 0001 0008 #4
        0010 > f64 lst_get 0007 0001 #5
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        SNAP #3 pc=4 n=3 []
        SNAP #4 pc=5 n=4 []
        SNAP #5 pc=6 n=5 []
        LOOP []
        """, "guards")
    # a[i, j] read, then written: no second check; a[j, i] is another element; the
    # list store keeps its guard (it exits on a nan), the second read loses its check
    lines = got.splitlines()
    assert lines[6] == "0005   void       arr_set2_inbounds 0000 0001 0002 0004"
    assert lines[7] == "0006 > void       arr_set2 0000 0002 0001 0004 #2"
    assert lines[10] == "0009 > void       lst_set 0007 0001 0008 #4"
    assert lines[11] == "0010   f64        lst_get_inbounds 0007 0001"
    assert "SNAP #1 pc=2 n=1 []" in got and "SNAP #5 pc=6 n=5 []" in got


def test_a_list_store_of_a_value_that_cannot_be_nan_loses_its_bounds_check():
    got = optimize(HEAD.format(7) + """
        0000   lst:i64 param 'lst:i64' 0
        0001   i64 param 'i64' 1
        0002 > i64 lst_get 0000 0001 #0
        0003   i64 const 'i64' 5
        0004 > void lst_set 0000 0001 0003 #1
        0005   lst:bool param 'lst:bool' 2
        0006 > void lst_set 0005 0001 0003 #2
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        LOOP []
        """, "guards")
    # an int list's element read, then written: no second check (an int is never a nan);
    # another list's element keeps its check
    lines = got.splitlines()
    assert lines[5] == "0004   void       lst_set_inbounds 0000 0001 0003"
    assert lines[7] == "0006 > void       lst_set 0005 0001 0003 #2"
