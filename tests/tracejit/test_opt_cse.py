"""cse: an instruction equal to a dominating one reuses its ref; loads until a store."""
from opt_text import parsed, replay, same_text
from tracejit.opt import Optimizer
from tracejit.opt.dominance import dominating_ranges

HEAD = "TRACE t loop_pc=0 body=1 main_end={}\n"


def test_pure_ops_value_guards_and_loads_until_a_store():
    got = replay(HEAD.format(16) + """
        0000   f64 param 'f64' 0
        0001   f64 param 'f64' 1
        0002   f64 float_mul 0000 0001
        0003   f64 float_mul 0000 0001
        0004   f64 float_add 0002 0003
        0005   arr:f64:1 param 'arr:f64:1' 2
        0006   i64 param 'i64' 3
        0007 > nf64 arr_get1 0005 0006 #0
        0008 > nf64 arr_get1 0005 0006 #1
        0009 > i64 int_add 0006 0006 #2
        0010 > i64 int_add 0006 0006 #3
        0011 > void arr_set1 0005 0010 0004 #4
        0012 > nf64 arr_get1 0005 0006 #5
        0013   i64 arr_dim 0005 0
        0014   i64 arr_dim 0005 0
        0015 > i64 int_add 0013 0014 #6
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 [r4=0007]
        SNAP #2 pc=3 n=2 [r4=0007]
        SNAP #3 pc=4 n=3 [r4=0007 r5=0009]
        SNAP #4 pc=5 n=4 [r4=0007 r5=0009]
        SNAP #5 pc=6 n=5 [r4=0007 r5=0009]
        SNAP #6 pc=7 n=6 [r4=0012]
        LOOP [r4=0012 r5=0010 r6=0015 r7=0008]
        """, opts="cse")
    # the second a[i] and the second i + i (its overflow guard passed with the same
    # operands) share the first ones, without snapshots; after the store a[i] is
    # loaded again; a.shape[0] is not changed by stores
    same_text(got, HEAD.format(12) + """
        0000   f64 param 'f64' 0
        0001   f64 param 'f64' 1
        0002   f64 float_mul 0000 0001
        0003   f64 float_add 0002 0002
        0004   arr:f64:1 param 'arr:f64:1' 2
        0005   i64 param 'i64' 3
        0006 > nf64 arr_get1 0004 0005 #0
        0007 > i64 int_add 0005 0005 #1
        0008 > void arr_set1 0004 0007 0003 #2
        0009 > nf64 arr_get1 0004 0005 #3
        0010   i64 arr_dim 0004 0
        0011 > i64 int_add 0010 0010 #4
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=3 n=2 [r4=0006]
        SNAP #2 pc=5 n=4 [r4=0006 r5=0007]
        SNAP #3 pc=6 n=5 [r4=0006 r5=0007]
        SNAP #4 pc=7 n=6 [r4=0009]
        LOOP [r4=0009 r5=0007 r6=0011 r7=0006]
        """)


def test_void_guards_stores_tuples_and_params_are_never_shared():
    text = HEAD.format(9) + """
        0000   bool param 'bool' 0
        0001 > void guard_true 0000 #0
        0002 > void guard_true 0000 #1
        0003   lst:i64 param 'lst:i64' 1
        0004   i64 const 'i64' 0
        0005 > void lst_set 0003 0004 0004 #2
        0006 > void lst_set 0003 0004 0004 #3
        0007   tuple tuple 0004 0004
        0008   tuple tuple 0004 0004
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        SNAP #3 pc=4 n=3 []
        LOOP []
        """
    same_text(replay(text, "cse"), text)


# a tree: the root path branches at 0004 (side A: 0008-0011) and at 0006 (side B: 0011-0013)
TREE = HEAD.format(8) + """
    0000   i64 param 'i64' 0
    0001   i64 param 'i64' 1
    0002 > i64 int_add 0000 0001 #0
    0003   bool int_lt 0000 0001
    0004 > void guard_true 0003 #1
    0005 > i64 int_mul 0000 0001 #2
    0006 > void guard_false 0003 #3
    0007 > i64 int_sub 0000 0001 #4
    0008 > i64 int_sub 0000 0001 #5
    0009   bool int_gt 0008 0001
    0010 > void guard_true 0009 #6
    0011 > i64 int_floordiv 0000 0001 #7
    0012   i64 int_xor 0000 0001
    SNAP #0 pc=1 n=0 []
    SNAP #1 pc=2 n=1 []
    SNAP #2 pc=3 n=2 []
    SNAP #3 pc=4 n=3 []
    SNAP #4 pc=5 n=4 []
    SNAP #5 pc=2 n=1 []
    SNAP #6 pc=3 n=2 []
    SNAP #7 pc=4 n=3 []
    SIDE guard=0004 start=8 end=11 body=3 []
    SIDE guard=0006 start=11 end=13 body=4 []
    LOOP [r0=0007]
    """


def test_dominating_ranges_of_side_traces():
    tree = parsed(TREE)
    assert dominating_ranges(tree, 4) == [(0, 4)]
    assert dominating_ranges(tree, 10) == [(0, 4), (8, 10)]     # a side of side A: its prefix too


def _side_emitter(tree, guard):
    tree.emitter = Optimizer("cse", verify=True).emitter(tree, guard)
    return tree


def test_a_side_recording_reuses_only_refs_that_dominate_its_guard():
    tree = _side_emitter(parsed(TREE), 6)       # side B, after 0006
    assert tree.emit("int_add", (0, 1), snap=8) == 2          # before both guards
    assert tree.emit("int_mul", (0, 1), snap=8) == 5          # root, before 0006
    fresh = tree.emit("int_sub", (0, 1), snap=8)              # 0007 is after 0006, 0008 in side A
    assert fresh == 13
    assert tree.emit("int_floordiv", (0, 1), snap=9) == 14    # 0011 is not in the prefix of 0006
    tree = _side_emitter(parsed(TREE), 4)       # side A, after 0004
    assert tree.emit("int_mul", (0, 1), snap=8) == 13         # 0005 follows the guard
    assert tree.emit("int_add", (0, 1), snap=8) == 2
