"""dce: ops nothing live uses become nops; effects, snapshots and back edges are uses."""
from opt_text import optimize, same_text

HEAD = "TRACE t loop_pc=0 body=1 main_end={}\n"


def test_dead_ops_go_and_every_kind_of_use_keeps_an_op():
    got = optimize(HEAD.format(13) + """
        0000   i64 param 'i64' 0
        0001   i64 param 'i64' 1
        0002   i64 const 'i64' 7
        0003   i64 int_and 0000 0002
        0004   i64 int_xor 0000 0001
        0005   i64 int_or 0000 0001
        0006   bool int_lt 0005 0002
        0007 > void guard_true 0006 #0
        0008   arr:i64:1 param 'arr:i64:1' 2
        0009 > void arr_set1 0008 0000 0001
        0010   i64 int_min 0000 0001
        0011   i64 arr_dim 0008 0
        0012 > ni64 arr_get1 0008 0001 #1
        SNAP #0 pc=1 n=0 [r3=0004]
        SNAP #1 pc=2 n=1 [r3=0004]
        LOOP [r0=0010]
        """.replace("arr_set1 0008 0000 0001", "arr_set1 0008 0000 0001 #2")
        .replace("LOOP", "SNAP #2 pc=3 n=2 []\nLOOP"), "dce")
    # 0003 (unused) goes; 0004 (in snapshots), 0005-0006 (feed a guard), 0010 (carried
    # round the loop), the store, the guarded load and the params stay; 0011 goes
    same_text(got, HEAD.format(13) + """
        0000   i64 param 'i64' 0
        0001   i64 param 'i64' 1
        0002   i64 const 'i64' 7
        0003   void nop
        0004   i64 int_xor 0000 0001
        0005   i64 int_or 0000 0001
        0006   bool int_lt 0005 0002
        0007 > void guard_true 0006 #0
        0008   arr:i64:1 param 'arr:i64:1' 2
        0009 > void arr_set1 0008 0000 0001 #2
        0010   i64 int_min 0000 0001
        0011   void nop
        0012 > ni64 arr_get1 0008 0001 #1
        SNAP #0 pc=1 n=0 [r3=0004]
        SNAP #1 pc=2 n=1 [r3=0004]
        SNAP #2 pc=3 n=2 []
        LOOP [r0=0010]
        """)


def test_a_removed_guard_frees_what_only_it_and_its_snapshot_used():
    got = optimize(HEAD.format(7) + """
        0000   i64 param 'i64' 0
        0001   i64 param 'i64' 1
        0002   bool int_lt 0000 0001
        0003 > void guard_true 0002 #0
        0004   i64 int_and 0000 0001
        0005   bool int_gt 0001 0000
        0006 > void guard_true 0005 #1
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 [r5=0004]
        LOOP []
        """, "guards,dce")
    assert got.splitlines()[5:8] == ["0004   void       nop", "0005   void       nop", "0006   void       nop"]


def test_side_paths_values_are_uses():
    text = HEAD.format(4) + """
        0000   i64 param 'i64' 0
        0001   bool int_gt 0000 0000
        0002 > void guard_true 0001 #0
        0003   i64 int_xor 0000 0000
        0004   i64 int_invert 0000
        SNAP #0 pc=1 n=0 []
        SIDE guard=0002 start=4 end=5 body=1 [r1=0004]
        LOOP []
        """
    got = optimize(text, "dce")
    assert "0003   void       nop" in got and "0004   i64        int_invert 0000" in got
