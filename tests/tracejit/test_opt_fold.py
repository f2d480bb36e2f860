"""fold: rules applied as each op is emitted, as trace text in and trace text out."""
import math

import pytest

from opt_text import replay, same_text
from tracejit.abort import TraceAbort, TraceAborted
from tracejit.ir import OPS
from tracejit.opt import fold

HEAD = "TRACE t loop_pc=0 body=1 main_end={}\n"


def test_int_identities_and_constants():
    got = replay(HEAD.format(10) + """
        0000   i64 param 'i64' 0
        0001   i64 const 'i64' 0
        0002 > i64 int_add 0000 0001 #0
        0003   i64 const 'i64' 3
        0004   i64 const 'i64' 4
        0005 > i64 int_mul 0003 0004 #1
        0006 > i64 int_add 0002 0005 #2
        0007 > i64 int_sub 0006 0006 #3
        0008   i64 const 'i64' 1
        0009 > i64 int_mul 0006 0008 #4
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 [r1=0002]
        SNAP #2 pc=3 n=2 [r1=0002]
        SNAP #3 pc=4 n=3 [r1=0006]
        SNAP #4 pc=5 n=4 [r1=0006 r2=0007]
        LOOP [r0=0009 r2=0007]
        """, opts="fold,cse")
    # x + 0 -> x; 3 * 4 -> 12; x - x -> 0 (cse shares the constant 0); x * 1 -> x:
    # of five guarded ops one is left, with the snapshot of its own guard
    same_text(got, HEAD.format(7) + """
        0000   i64 param 'i64' 0
        0001   i64 const 'i64' 0
        0002   i64 const 'i64' 3
        0003   i64 const 'i64' 4
        0004   i64 const 'i64' 12
        0005 > i64 int_add 0000 0004 #0
        0006   i64 const 'i64' 1
        SNAP #0 pc=3 n=2 [r1=0000]
        LOOP [r0=0005 r2=0001]
        """)


def test_int_constants_that_overflow_keep_their_guarded_op():
    text = HEAD.format(3) + """
        0000   i64 const 'i64' 4611686018427387904
        0001 > i64 int_add 0000 0000 #0
        0002 > i64 int_mul 0000 0000 #1
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        LOOP [r0=0001 r1=0002]
        """
    same_text(replay(text, "fold"), text)


def test_float_folds_are_bit_exact_only():
    got = replay(HEAD.format(12) + """
        0000   f64 param 'f64' 0
        0001   f64 const 'f64' 0.0
        0002   f64 float_add 0000 0001
        0003   f64 float_sub 0000 0001
        0004   f64 const 'f64' 1.0
        0005   f64 float_mul 0000 0004
        0006   f64 float_mul 0000 0001
        0007   f64 const 'f64' -0.0
        0008   f64 float_add 0000 0007
        0009   f64 const 'f64' 0.1
        0010   f64 const 'f64' 0.2
        0011   f64 float_add 0009 0010
        LOOP [r1=0002 r2=0003 r3=0005 r4=0006 r5=0008 r6=0011]
        """, opts="fold")
    # kept: x + 0.0 (-0.0 + 0.0 is 0.0) and x * 0.0 (inf, nan, negatives); folded:
    # x - 0.0, x * 1.0, x + -0.0 -> x, and 0.1 + 0.2 to Python's double result
    same_text(got, HEAD.format(9) + f"""
        0000   f64 param 'f64' 0
        0001   f64 const 'f64' 0.0
        0002   f64 float_add 0000 0001
        0003   f64 const 'f64' 1.0
        0004   f64 float_mul 0000 0001
        0005   f64 const 'f64' -0.0
        0006   f64 const 'f64' 0.1
        0007   f64 const 'f64' 0.2
        0008   f64 const 'f64' {0.1 + 0.2!r}
        LOOP [r1=0002 r2=0000 r3=0000 r4=0004 r5=0000 r6=0008]
        """)


def test_guards_on_constants_and_negations():
    got = replay(HEAD.format(9) + """
        0000   bool param 'bool' 0
        0001   bool not 0000
        0002 > void guard_true 0001 #0
        0003   i64 const 'i64' 1
        0004   i64 const 'i64' 0
        0005   bool int_gt 0003 0004
        0006 > void guard_true 0005 #1
        0007   bool not 0001
        0008 > void guard_true 0007 #2
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 []
        SNAP #2 pc=3 n=2 []
        LOOP [r1=0001]
        """, opts="fold")
    # guard_true(not x) retries as guard_false(x); 1 > 0 folds to True and its guard is
    # dropped with its snapshot; not not x is x
    same_text(got, HEAD.format(7) + """
        0000   bool param 'bool' 0
        0001   bool not 0000
        0002 > void guard_false 0000 #0
        0003   i64 const 'i64' 1
        0004   i64 const 'i64' 0
        0005   bool const 'bool' True
        0006 > void guard_true 0000 #1
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=3 n=2 []
        LOOP [r1=0001]
        """)


@pytest.mark.parametrize("body", [
    "0000 bool const 'bool' False\n0001 > void guard_true 0000 #0\n",
    "0000 i64 param 'i64' 0\n0001 i64 const 'i64' 0\n0002 > i64 int_floordiv 0000 0001 #0\n",
    "0000 f64 param 'f64' 0\n0001 f64 const 'f64' 0.0\n0002 > f64 float_truediv 0000 0001 #0\n",
])
def test_a_guard_that_always_fails_aborts_the_recording(body):
    with pytest.raises(TraceAborted) as caught:
        replay(HEAD.format(3) + body + "SNAP #0 pc=1 n=0 []\nLOOP []\n", "fold")
    assert caught.value.reason is TraceAbort.GUARD_ALWAYS_FAILS


def test_comparisons_of_constants_and_of_a_value_with_itself():
    got = replay(HEAD.format(8) + """
        0000   i64 param 'i64' 0
        0001   bool int_lt 0000 0000
        0002   bool int_ge 0000 0000
        0003   f64 param 'f64' 1
        0004   bool float_lt 0003 0003
        0005   f64 const 'f64' nan
        0006   bool float_eq 0005 0005
        0007   bool float_ne 0005 0005
        LOOP [r2=0001 r3=0002 r4=0004 r5=0006 r6=0007]
        """, opts="fold")
    # x < x of a float stays (nan); nan == nan is False, nan != nan True
    same_text(got, HEAD.format(8) + """
        0000   i64 param 'i64' 0
        0001   bool const 'bool' False
        0002   bool const 'bool' True
        0003   f64 param 'f64' 1
        0004   bool float_lt 0003 0003
        0005   f64 const 'f64' nan
        0006   bool const 'bool' False
        0007   bool const 'bool' True
        LOOP [r2=0001 r3=0002 r4=0004 r5=0006 r6=0007]
        """)


def test_a_fold_never_changes_a_result_type():
    # not not x is x for a bool, but for a numpy.bool_ x it is a bool: not x
    text = HEAD.format(5) + """
        0000   nbool param 'nbool' 0
        0001   bool not 0000
        0002   bool not 0001
        0003   bool param 'bool' 1
        0004   bool not 0003
        0005   bool not 0004
        LOOP [r2=0002 r3=0005]
        """
    got = replay(text, "fold")
    assert "0002   bool       not 0001" in got and "LOOP [r2=0002 r3=0003]" in got


@pytest.mark.parametrize("a, b", [(5, 3), (-7, 2), (7, -2), (-(1 << 63), -1), (1 << 62, 2), (-5, 0)])
def test_int_constant_folds_agree_with_python(a, b):
    view = _View({0: ("i64", a), 1: ("i64", b)})
    for op, sym in (("int_add", "+"), ("int_sub", "-"), ("int_mul", "*"), ("int_floordiv", "//"),
                    ("int_mod", "%")):
        answer = fold.fold(view, op, (0, 1), ())
        try:
            expected = eval(f"a {sym} b")
        except ZeroDivisionError:
            assert type(answer) is fold.Fail
            continue
        if fold.INT64_MIN <= expected <= fold.INT64_MAX:
            assert answer == fold.Const("i64", expected), (op, a, b)
        else:
            assert answer is None, (op, a, b)    # the guarded op stays


@pytest.mark.parametrize("a, b", [(0.1, 0.2), (-0.0, 0.0), (1e308, 1e308), (float("inf"), float("-inf")),
                                  (float("nan"), 1.0), (3.0, -0.0)])
def test_float_constant_folds_are_python_results_bit_for_bit(a, b):
    view = _View({0: ("f64", a), 1: ("f64", b)})
    for op, fn in (("float_add", lambda x, y: x + y), ("float_sub", lambda x, y: x - y),
                   ("float_mul", lambda x, y: x * y)):
        answer = fold.fold(view, op, (0, 1), ())
        expected = fn(a, b)
        assert answer.type == "f64"
        assert math.isnan(answer.value) if math.isnan(expected) else \
            (answer.value == expected and math.copysign(1, answer.value) == math.copysign(1, expected))


def test_every_rule_is_documented_and_keyed_by_real_ops():
    table = fold.rules_table()
    assert len(table) > 30
    for key, doc in table:
        assert key[0] in OPS and doc
        assert all(part == "any" or part in OPS for part in key[1:]), key


class _View:
    """Operands by ref: (type, constant value)."""

    def __init__(self, consts):
        from tracejit.ir import Ins
        self._ins = {ref: Ins("const", (), (t, v), t) for ref, (t, v) in consts.items()}

    def ins(self, ref):
        return self._ins[ref]

    def type(self, ref):
        return self._ins[ref].type

    def value(self, ref):
        return self._ins[ref].aux[1]


def test_the_rule_table_in_the_docs_is_generated_from_the_rules():
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "docs", "optimizer.md"), encoding="utf-8") as f:
        assert fold.rules_markdown() in f.read(), \
            "paste tracejit.opt.fold.rules_markdown() into the fold section of docs/optimizer.md"


def test_constants_that_cannot_make_a_division_or_shift_exit_unguard_it():
    got = replay(HEAD.format(15) + """
        0000   i64 param 'i64' 0
        0001   f64 param 'f64' 1
        0002   i64 const 'i64' 7
        0003 > i64 int_mod 0000 0002 #0
        0004 > i64 int_floordiv 0000 0002 #1
        0005   i64 const 'i64' 63
        0006 > i64 int_rshift 0000 0005 #2
        0007   i64 const 'i64' -1
        0008 > i64 int_floordiv 0000 0007 #3
        0009   i64 const 'i64' 64
        0010 > i64 int_rshift 0000 0009 #4
        0011   i64 const 'i64' 2
        0012 > i64 int_rshift 0000 0007 #5
        0013   f64 const 'f64' 8.0
        0014 > f64 float_truediv 0001 0013 #6
        SNAP #0 pc=1 n=0 []
        SNAP #1 pc=2 n=1 [r1=0003]
        SNAP #2 pc=3 n=2 [r1=0003 r2=0004]
        SNAP #3 pc=4 n=3 [r1=0003 r2=0004]
        SNAP #4 pc=5 n=4 [r1=0003 r2=0004]
        SNAP #5 pc=6 n=5 [r1=0003 r2=0004]
        SNAP #6 pc=7 n=6 [r1=0003 r2=0004]
        LOOP [r0=0008 r1=0003 r2=0004 r3=0006 r4=0010 r5=0012 r6=0014]
        """, opts="fold")
    # x % 7, x // 7, x >> 63 and x / 8.0 cannot exit; x // -1 (overflow at INT64_MIN),
    # x >> 64 and x >> -1 keep their guards, with their snapshots
    same_text(got, HEAD.format(15) + """
        0000   i64 param 'i64' 0
        0001   f64 param 'f64' 1
        0002   i64 const 'i64' 7
        0003   i64 int_mod_k 0000 0002
        0004   i64 int_floordiv_k 0000 0002
        0005   i64 const 'i64' 63
        0006   i64 int_rshift_k 0000 0005
        0007   i64 const 'i64' -1
        0008 > i64 int_floordiv 0000 0007 #0
        0009   i64 const 'i64' 64
        0010 > i64 int_rshift 0000 0009 #1
        0011   i64 const 'i64' 2
        0012 > i64 int_rshift 0000 0007 #2
        0013   f64 const 'f64' 8.0
        0014   f64 float_truediv_k 0001 0013
        SNAP #0 pc=4 n=3 [r1=0003 r2=0004]
        SNAP #1 pc=5 n=4 [r1=0003 r2=0004]
        SNAP #2 pc=6 n=5 [r1=0003 r2=0004]
        LOOP [r0=0008 r1=0003 r2=0004 r3=0006 r4=0010 r5=0012 r6=0014]
        """)
