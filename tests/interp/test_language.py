"""Differential tests of the language subset, one small program per feature and edge.

Every case runs under CPython and in the VM (every mode of ``differential.MODES``) and
must agree exactly: result (types included, recursively), printed output (top level
included) and exception type.

A case is ``(id, source)`` or ``(id, source, args)``. When the source defines ``f``,
the test calls ``f(*args)``; otherwise only the module's top level runs.
Known differences from CPython are kept as tests asserting CPython's behaviour and
marked ``xfail(strict=True)`` with the reason starting ``bug:`` (see ``BUG_CASES``).
"""
import textwrap

import pytest

from differential import assert_same


def _param(case, marks=()):
    ident, source, *rest = case
    args = tuple(rest[0]) if rest else ()
    return pytest.param(textwrap.dedent(source), args, id=ident, marks=marks)


def _run(source, args):
    fn = "f" if "\ndef f(" in "\n" + source else None
    assert_same(source, fn, args)


def _params(cases):
    ids = [c[0] for c in cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    return [_param(c) for c in cases]


# ----------------------------------------------------------------------------------
# module top level: imports, defs, assignments, prints

TOPLEVEL = [
    ("top_print_values", """
        print(1, 2.5, "s", None, True, False)
        x = 3
        y = x * 2
        print(x, y)
    """),
    ("top_import_math", """
        import math
        print(math.sqrt(16.0), math.pi, math.floor(2.5))
    """),
    ("top_from_math", """
        from math import sqrt, pi, floor, inf
        print(sqrt(2.0), pi, floor(-2.5), inf)
    """),
    ("top_import_math_alias", """
        import math as m
        print(m.cos(0.0), m.e)
    """),
    ("top_import_numpy", """
        import numpy as np
        a = np.zeros(3)
        a[1] = 2.5
        print(a[1], len(a), a.shape)
    """),
    ("top_def_and_call", """
        def g(x):
            return x + 1
        print(g(1), g(2.5))
    """),
    ("top_for_loop_globals", """
        total = 0
        for i in range(5):
            total += i
        print(total, i)
    """),
    ("top_while_loop", """
        n = 0
        while n < 5:
            n += 2
        else:
            print("else", n)
        print(n)
    """),
    ("top_if_elif_else", """
        x = 7
        if x < 5:
            print("small")
        elif x < 10:
            print("medium")
        else:
            print("large")
    """),
    ("top_name_error_before_assignment", """
        print("start")
        print(later)
        later = 1
    """),
    ("top_global_read_in_function_before_assignment", """
        def g():
            return late
        print("a")
        print(g())
        late = 5
    """),
    ("top_global_defined_after_def", """
        def g():
            return late * 2
        late = 21
        print(g())
    """),
    ("top_shadow_builtin_len", """
        def len(x):
            return 5
        print(len([1, 2]), len("abc"))
    """),
    ("top_shadow_builtin_after_use", """
        a = abs(-3)
        def abs(x):
            return "mine"
        print(a, abs(-3))
    """),
    ("top_shadow_builtin_with_value", """
        print(max(1, 2))
        max = 3
        print(max)
        print(max(1, 2))
    """),
    ("top_shadow_range", """
        def range(n):
            return [10, 20]
        for i in range(5):
            print(i)
    """),
    ("top_docstring", '''
        """module docstring"""
        print("after docstring")
    '''),
    ("top_multiple_targets", """
        a = b = [1]
        a.append(2)
        print(a, b)
    """),
    ("top_tuple_unpack", """
        a, (b, c) = 1, (2, 3)
        print(a, b, c)
    """),
    ("top_augassign_global", """
        x = 10
        x -= 3
        x *= 2
        x //= 3
        print(x)
    """),
    ("top_error_after_output", """
        print("one")
        x = 1 // 0
        print("two")
    """),
]


@pytest.mark.parametrize("source,args", _params(TOPLEVEL))
def test_toplevel(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# integers

INTS = [
    ("int_add_sub_mul", "def f(): return 7 + 5, 7 - 12, -7 * 6, 0 * -5"),
    ("int_pow_64", "def f(): return 2 ** 64, 2 ** 63, 2 ** 63 - 1, -(2 ** 63), -(2 ** 63) - 1"),
    ("int_overflow_add", """
        def f():
            x = 9223372036854775807
            return x + 1, x + x, -x - 2
    """),
    ("int_overflow_mul", """
        def f():
            x = 2 ** 32
            return x * x, 9223372036854775807 * 2, -9223372036854775808 * -1
    """),
    ("int_overflow_loop", """
        def f():
            x = 1
            for i in range(100):
                x *= 3
            return x, x % 1000000007
    """),
    ("int_overflow_aug_double", """
        def f():
            x = 2 ** 62
            x += x
            y = x
            x += x
            return y, x
    """),
    ("int_min_negate", """
        def f():
            x = -2 ** 63
            return -x, abs(x), x // -1, x % -1, x * -1
    """),
    ("int_big_floordiv_mod", "def f(): return -2 ** 70 // 3, -(2 ** 70) % 7, 2 ** 70 // -1, (10 ** 30) % (10 ** 15 + 7)"),
    ("int_floordiv_signs", "def f(): return 7 // 2, -7 // 2, 7 // -2, -7 // -2, 0 // -3"),
    ("int_mod_signs", "def f(): return 7 % 3, -7 % 3, 7 % -3, -7 % -3, 0 % -3"),
    ("int_floordiv_zero", "def f(): return 5 // 0"),
    ("int_mod_zero", "def f(): return 5 % 0"),
    ("int_truediv_zero", "def f(): return 5 / 0"),
    ("int_truediv", "def f(): return 7 / 2, -7 / 2, 6 / 3, 1 / 3"),
    ("int_truediv_big", "def f(): return (10 ** 30) / (10 ** 15), (2 ** 1100) / (2 ** 1000), 10 ** 400 / 10 ** 399, (2 ** 53 + 1) / 1"),
    ("int_truediv_big_overflow", "def f(): return 2 ** 1100 / 3"),
    ("int_truediv_big_underflow", "def f(): return 1 / 2 ** 1100, -1 / 2 ** 1100"),
    ("int_pow_negative_exponent", "def f(): return 2 ** -2, (-2) ** 3, (-2) ** -1, 0 ** 0"),
    ("int_pow_zero_negative", "def f(): return 0 ** -1"),
    ("int_shifts", "def f(): return 1 << 10, 1 << 63, 1 << 64, 1 << 100, 5 >> 1, 2 ** 70 >> 68"),
    ("int_shift_negative_numbers", "def f(): return -5 >> 1, -1 >> 100, -5 << 3, -(2 ** 70) >> 3, -1 << 64"),
    ("int_shift_negative_count", "def f(): return 1 << -1"),
    ("int_rshift_negative_count", "def f(): return 8 >> -2"),
    ("int_bitwise", "def f(): return 12 & 10, 12 | 10, 12 ^ 10, -12 & 10, -12 | 10, -12 ^ 10, ~5, ~-1, ~(2 ** 64)"),
    ("int_bitwise_big", "def f(): return (2 ** 70 + 5) & 7, (2 ** 70) | 1, (2 ** 70) ^ (2 ** 70), -(2 ** 70) & 0xFF"),
    ("int_unary", "def f(): return -5, +5, - -5, -0, +(-3), ~0"),
    ("int_compare", "def f(): return 1 < 2, 2 <= 2, 3 > 4, 4 >= 5, 5 == 5, 5 != 5, 2 ** 64 > 2 ** 63"),
    ("int_float_compare_exact", "def f(): return 2 ** 53 + 1 > 2.0 ** 53, 2 ** 53 + 1 == 2.0 ** 53, 9007199254740993 < 9007199254740992.0, 10 ** 400 > 1e308, 10 ** 400 < float('inf')"),
    ("int_float_mixing", "def f(): return 1 + 2.0, 3 * 0.5, 10 // 3.0, 10 % 3.0, 2 ** 0.5, 2.0 ** 2, 7 - 0.5, 1.5 + 2"),
    ("int_big_float_mixing_overflow", "def f(): return 10 ** 400 * 1.0"),
    ("int_big_float_add_overflow", "def f(): return 10 ** 400 + 0.5"),
    ("int_pow_float_overflow", "def f(): return 10.0 ** 400"),
    ("int_big_loop_accumulate", """
        def f(n):
            s = 0
            p = 1
            for i in range(n):
                s += p
                p *= 7
            return s, s % 998244353, s > 2 ** 100
    """, (60,)),
]


@pytest.mark.parametrize("source,args", _params(INTS))
def test_ints(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# floats

FLOATS = [
    ("float_arith", "def f(): return 0.1 + 0.2, 0.1 + 0.2 == 0.3, 1.5 * 4, 7.5 / 2.5, 2.0 - 3.5"),
    ("float_floordiv_mod_signs", "def f(): return -7.0 // 2, -7.5 % 2, 7.5 % -2, -7.5 // -2, 7.5 // 2"),
    ("float_mod_signed_zero", "def f(): return -0.0 % 5, 0.0 % -5, 5.0 % 5.0, -5.0 % 5.0, -1e-300 % 1.0"),
    ("float_floordiv_zero", "def f(): return 5.0 // 0.0"),
    ("float_mod_zero", "def f(): return 5.0 % 0"),
    ("float_div_zero", "def f(): return 1.0 / 0"),
    ("float_pow_zero_negative", "def f(): return 0.0 ** -1"),
    ("float_negative_zero", """
        def f():
            z = -0.0
            return z, -z, 0.0 * -1, 0 * -1.0, -0.0 + 0.0, -0.0 - 0.0, z == 0.0, z < 0.0, abs(z)
    """),
    ("float_negative_zero_from_neg", """
        def f():
            x = 0.0
            x = -x
            return x, str(x), 1 / -float('inf')
    """),
    ("float_nan_compare", """
        def f():
            nan = float('nan')
            return nan == nan, nan != nan, nan < 1.0, nan > 1.0, nan <= nan, nan >= 0, 1 < nan
    """),
    ("float_nan_identity", """
        def f():
            x = float('nan')
            y = x
            return x == y, x is y, x != x
    """),
    ("float_nan_branch", """
        def f():
            nan = float('nan')
            out = []
            if nan < 1.0:
                out.append(1)
            if not (nan >= 1.0):
                out.append(2)
            if nan != nan:
                out.append(3)
            if nan == nan:
                out.append(4)
            while nan > 0:
                out.append(5)
                break
            return out
    """),
    ("float_inf", """
        def f():
            inf = float('inf')
            return inf > 10 ** 400, -inf < -10 ** 400, inf - inf, inf * 0, inf + 1, 1e308 * 10, -inf
    """),
    ("float_inf_compare_int", "def f(): return float('inf') == 10 ** 400, float('-inf') < -(10 ** 1000)"),
    ("float_unary", "def f(): return -1.5, +1.5, -(-0.0), not 0.0, not 0.5"),
    ("float_bitwise_error", "def f(): return 1.5 & 1"),
    ("float_invert_error", "def f(): return ~1.5"),
    ("float_shift_error", "def f(): return 1.0 << 1"),
    ("float_subnormal", "def f(): return 5e-324, 5e-324 / 2, 1e-320 * 1e10"),
    ("float_int_conversion", "def f(): return int(3.99), int(-3.99), int(-0.0), int(2.0 ** 70), float(2 ** 70), float(-7)"),
    ("float_int_inf_error", "def f(): return int(float('inf'))"),
    ("float_int_nan_error", "def f(): return int(float('nan'))"),
    ("float_of_huge_int_error", "def f(): return float(10 ** 400)"),
    ("float_accumulate_loop", """
        def f(n):
            s = 0.0
            x = 1.0
            for i in range(n):
                s += x
                x /= 3.0
                if i % 2:
                    s = -s
            return s, x
    """, (40,)),
]


@pytest.mark.parametrize("source,args", _params(FLOATS))
def test_floats(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# bools and None

BOOLS = [
    ("bool_arith", "def f(): return True + 1, True + True, True * 1.5, True / 2, True // 1, -True, +True, False - 1, True * 3"),
    ("bool_bitwise_keeps_bool", "def f(): return True & False, True | False, True ^ True, True & 1, True | 0, False ^ 1"),
    ("bool_compare", "def f(): return True == 1, False == 0, True == 1.0, True > False, True is True, False is not None"),
    ("bool_shift_pow", "def f(): return True << 3, True >> 1, True ** 2, 2 ** True, True % 2"),
    ("bool_not", "def f(): return not True, not False, not 0, not 1, not None, not '', not 'a', not [], not [0], not {}"),
    ("none_compare", "def f(): return None == None, None is None, None != 0, None == 0, None is not None"),
    ("none_arith_error", "def f(): return None + 1"),
    ("none_order_error", "def f(): return None < 1"),
    ("bool_builtin", "def f(): return bool(0), bool(0.0), bool(-0.0), bool(''), bool('0'), bool([]), bool([0]), bool({}), bool({1: 2}), bool(None), bool(2 ** 70), bool(()), bool((0,))"),
    ("bool_in_list_and_dict", """
        def f():
            d = {}
            d[1] = 'one'
            d[True] = 'true'
            d[1.0] = 'float'
            return d, [True, 1] == [1, True], True in [0, 1]
    """),
]


@pytest.mark.parametrize("source,args", _params(BOOLS))
def test_bools(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# strings

STRINGS = [
    ("str_concat_eq", "def f(): return 'ab' + 'cd', 'ab' == 'ab', 'ab' != 'ac', 'a' < 'b', 'abc' <= 'abd', 'b' > 'abc'"),
    ("str_repeat", "def f(): return 'ab' * 3, 3 * 'x', 'a' * 0, 'a' * -2, 'a' + 'b' * 2"),
    ("str_index", "def f(): s = 'hello'; return s[0], s[4], s[-1], s[-5], len(s)"),
    ("str_index_error", "def f(): return 'abc'[3]"),
    ("str_index_negative_error", "def f(): return 'abc'[-4]"),
    ("str_index_float_error", "def f(): s = 'abc'; return s[1.0]"),
    ("str_setitem_error", "def f(): s = 'abc'; s[0] = 'x'; return s"),
    ("str_in", "def f(): return 'b' in 'abc', 'bc' in 'abc', 'x' not in 'abc', '' in 'abc'"),
    ("str_iterate_build", """
        def f():
            out = ''
            for ch in 'hello':
                out = ch + out
            return out, len(out)
    """),
    ("str_conversions", "def f(): return str(1), str(-2.5), str(1.0), str(True), str(None), str(10 ** 30), str(1e16), str('x')"),
    ("str_repr", "def f(): return repr('a'), repr(\"a'b\"), repr('a\\nb'), repr(1.0), repr(None), repr(2 ** 70)"),
    ("str_concat_int_error", "def f(): return 'a' + 1"),
    ("str_sub_error", "def f(): return 'a' - 'b'"),
    ("str_order_int_error", "def f(): return 'a' < 1"),
    ("str_unicode", "def f(): s = 'h\u00e9llo \u2603'; return s, len(s), s[1], s[-1], s * 2"),
    ("str_augassign", """
        def f():
            s = ''
            for i in range(5):
                s += str(i)
                s += ','
            return s
    """),
    ("str_print", """
        def f():
            print('a', 'b c', '')
            print('quote\\'s', "tab\\t")
            return None
    """),
    ("str_empty", "def f(): return '' == '', len(''), '' + '', bool('')"),
]


@pytest.mark.parametrize("source,args", _params(STRINGS))
def test_strings(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# tuples and unpacking

TUPLES = [
    ("tuple_build_index", "def f(): t = (1, 'a', 2.5); return t, t[0], t[-1], t[1], len(t), ()"),
    ("tuple_single", "def f(): t = (5,); return t, len(t), t[0]"),
    ("tuple_index_error", "def f(): t = (1, 2); return t[2]"),
    ("tuple_setitem_error", "def f(): t = (1, 2); t[0] = 5; return t"),
    ("tuple_ops", "def f(): return (1, 2) + (3,), (1,) * 3, (1, 2) < (1, 3), (1, 2) == (1, 2), (1, 2) == (1, 2.0), () == (), 2 in (1, 2), (1, 2) < (1, 2, 0)"),
    ("tuple_iterate", """
        def f():
            s = 0
            for x in (3, 4, 5):
                s = s * 10 + x
            return s
    """),
    ("unpack_tuple", "def f(): t = (1, 2, 3); a, b, c = t; return c, b, a"),
    ("unpack_list", "def f(): a, b = [1, 2]; return a, b"),
    ("unpack_str", "def f(): a, b = 'xy'; return b + a"),
    ("unpack_dict_keys", "def f(): a, b = {'k': 1, 'j': 2}; return a, b"),
    ("unpack_nested", "def f(): a, (b, c), d = 1, (2, 3), 4; return a, b, c, d"),
    ("unpack_nested_list_target", "def f(): (a, b), [c, d] = [1, 2], (3, 4); return a, b, c, d"),
    ("unpack_too_many", "def f(): a, b = [1, 2, 3]; return a"),
    ("unpack_too_few", "def f(): a, b, c = (1, 2); return a"),
    ("unpack_non_iterable", "def f(): a, b = 1; return a"),
    ("swap", "def f(): a = 1; b = 2; a, b = b, a; return a, b"),
    ("rotate", "def f(): a, b, c = 1, 2, 3; a, b, c = c, a, b; return a, b, c"),
    ("fib_parallel_assign", """
        def f(n):
            a, b = 0, 1
            for i in range(n):
                a, b = b, a + b
            return a
    """, (90,)),
    ("swap_list_items", "def f(): l = [1, 2, 3]; l[0], l[2] = l[2], l[0]; return l"),
    ("unpack_index_then_use_new_index", "def f(): l = [0, 0, 0]; i = 0; i, l[i] = 2, 9; return i, l"),
    ("unpack_item_then_index", "def f(): l = [0, 0, 0]; i = 0; l[i], i = 9, 2; return i, l"),
    ("multiple_targets", "def f(): a = b = 5; c = d = []; c.append(1); return a, b, d"),
    ("chained_assignment_with_unpack", "def f(): a, b = t = 1, 2; return a, b, t"),
    ("for_unpack_pairs", """
        def f():
            s = 0
            for a, b in [(1, 2), (3, 4), (5, 6)]:
                s += a * b
            return s
    """),
    ("for_unpack_nested", """
        def f():
            out = []
            for a, (b, c) in ((1, (2, 3)), (4, (5, 6))):
                out.append(a + b * c)
            return out
    """),
]


@pytest.mark.parametrize("source,args", _params(TUPLES))
def test_tuples(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# lists (storage strategies)

LISTS = [
    ("list_literal", "def f(): return [], [1, 2, 3], [1.5, 2.5], ['a', None], [1, 2.5, 'x']"),
    ("list_repeat", "def f(): return [0] * 5, [1, 2] * 3, [1] * 0, [1] * -1, 3 * [7], [0.5] * 2, True * [1]"),
    ("list_repeat_float_error", "def f(): return [1] * 2.0"),
    ("list_index", "def f(): l = [10, 20, 30]; return l[0], l[2], l[-1], l[-3], l[True]"),
    ("list_index_error", "def f(): l = [10, 20, 30]; return l[3]"),
    ("list_index_negative_error", "def f(): l = [10, 20, 30]; return l[-4]"),
    ("list_index_float_error", "def f(): l = [10, 20, 30]; return l[1.0]"),
    ("list_index_huge_error", "def f(): l = [10, 20, 30]; return l[10 ** 20]"),
    ("list_index_str_error", "def f(): l = [1]; return l['a']"),
    ("list_index_tuple_error", "def f(): l = [[1, 2]]; return l[0, 1]"),
    ("list_setitem", "def f(): l = [1, 2, 3]; l[0] = 10; l[-1] = 30; return l"),
    ("list_setitem_error", "def f(): l = [1, 2, 3]; l[3] = 0; return l"),
    ("list_append_pop", """
        def f():
            l = []
            for i in range(6):
                l.append(i * i)
            a = l.pop()
            b = l.pop(0)
            c = l.pop(-2)
            return l, a, b, c, len(l)
    """),
    ("list_pop_empty", "def f(): l = []; return l.pop()"),
    ("list_pop_out_of_range", "def f(): l = [1, 2]; return l.pop(5)"),
    ("list_pop_float_index", "def f(): l = [1, 2]; return l.pop(1.0)"),
    ("list_iterate", """
        def f():
            s = 0
            for x in [1, 2, 3, 4]:
                s = s * 2 + x
            return s
    """),
    ("list_eq", "def f(): return [1, 2] == [1, 2], [1, 2] == [1, 2.0], [1] == [True], [1, 2] != [1, 2], [] == [], [0.0] == [-0.0], [1] == (1,), [[1], [2]] == [[1], [2]], [2 ** 70] == [2 ** 70]"),
    ("list_order", "def f(): return [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 5], [1] <= [1], [] < [0], [1.5] >= [1]"),
    ("list_order_type_error", "def f(): return [1, 'a'] < [1, 2]"),
    ("list_concat", "def f(): a = [1, 2]; b = [2.5]; c = a + b; return c, a + [], [] + b, a + a, ['x'] + a"),
    ("list_concat_tuple_error", "def f(): return [1] + (2,)"),
    ("list_in", "def f(): l = [1, 2, 3]; return 2 in l, 2.0 in l, True in l, 'a' in l, 2 ** 70 in l, 1.5 in l, 4 not in l, 2 in [1.0, 2.0], [1] in [[1], [2]]"),
    ("list_len", "def f(): return len([]), len([1]), len([0] * 100), len([[1, 2]])"),
    ("list_print", """
        def f():
            print([1, 2, 3], [1.5, -0.0, 1e16, 0.1], ['a', "b'c"], [None, True], [[1], [2.5, 'x']], [])
            print([float('nan'), float('inf')], [2 ** 70, -1], [(1, 2), {3: 4}])
            return str([1, 'a']), repr([2.0])
    """),
    ("list_aliasing_append", "def f(): a = [1]; b = a; b.append(2); return a, a is b"),
    ("list_aliasing_setitem", "def f(): a = [1, 2]; b = a; b[0] = 'x'; return a"),
    ("list_iadd_in_place", "def f(): a = [1]; b = a; a += [2]; a += (3,); a += 'xy'; return a, b, a is b"),
    ("list_add_rebinds", "def f(): a = [1]; b = a; a = a + [2]; return a, b, a is b"),
    ("list_iadd_item_aliasing", """
        def f():
            row = [1]
            grid = [row, row]
            grid[0] += [2]
            return grid, row
    """),
    ("list_nested_aliasing", """
        def f():
            row = [0] * 3
            grid = [row, row]
            grid[0][1] = 5
            return grid
    """),
    ("list_of_lists_built", """
        def f(n):
            grid = []
            for i in range(n):
                row = []
                for j in range(n):
                    row.append(i * j)
                grid.append(row)
            grid[1][2] = 2.5
            return grid, grid[2][1], len(grid[0])
    """, (4,)),
    ("list_int_append_float", "def f(): l = [1, 2]; l.append(2.5); return l, l[0], l[2], sum(l), l == [1, 2, 2.5]"),
    ("list_int_append_str", "def f(): l = [1, 2]; l.append('s'); l[0] += 5; return l, len(l), 's' in l"),
    ("list_int_append_bigint", "def f(): l = [1, 2]; l.append(2 ** 64); return l, l[-1] - 1, sum(l)"),
    ("list_int_boundaries", """
        def f():
            l = [0]
            l.append(2 ** 63 - 1)
            l.append(-2 ** 63)
            a = list_copy(l)
            l.append(2 ** 63)
            l.append(-2 ** 63 - 1)
            return l, a
        def list_copy(l):
            out = []
            for x in l:
                out.append(x)
            return out
    """),
    ("list_int_item_overflow", """
        def f():
            l = [2 ** 62, 1]
            l[0] += 2 ** 62
            l[1] *= -1
            return l, l[0] + l[1]
    """),
    ("list_int_store_bool", "def f(): l = [0] * 3; l[0] = True; l.append(False); return l, l[0] + 1"),
    ("list_bool_store_int", "def f(): l = [True] * 3; l[0] = 1; l.append(0); return l, l[0] + 1, l[1], l[3]"),
    ("list_bool_ops", """
        def f(n):
            flags = [True] * n
            flags[1] = False
            flags.append(False)
            a = flags + [False]
            b = flags + [2]
            c = [1.5] + flags
            d = flags * 2
            e = []
            for x in flags:
                e.append(x)
            e.pop(0)
            return flags, a, b, c, d, e, len(flags), sum(flags), max(flags), min(flags)
    """, (4,)),
    ("list_bool_compare", """
        def f():
            t = [True, False]
            return (t == [1, 0], t == [1.0, 0.0], [1, 0] == t, t == [True, False], t != [1, 2],
                    [False] < [0.5], [True] < [2], t < [True, True], t >= [1, 0],
                    1 in t, 0.0 in t, 2 in t, True in [1], False in [0.0], 'x' in t)
    """),
    ("list_bool_print", """
        def f():
            l = [False]
            print(l, [True, False] * 2)
            l.append(True)
            print(l)
            l.append(None)
            print(l)
            return l
    """),
    ("list_bool_sieve", """
        def f(n):
            flags = [True] * n
            flags[0] = False
            flags[1] = False
            i = 2
            while i * i < n:
                if flags[i]:
                    for j in range(i * i, n, i):
                        flags[j] = False
                i += 1
            out = []
            for k in range(n):
                if flags[k]:
                    out.append(k)
            return out, flags[0], flags[2], flags
    """, (60,)),
    ("list_zeros_then_floats", """
        def f():
            l = [0] * 4
            l[1] = 1.5
            l[3] = -0.0
            return l, sum(l), l[0], l[3]
    """),
    ("list_float_store_int", "def f(): l = [0.0] * 3; l[0] = 1; l.append(2); return l, l[0], l[1]"),
    ("list_float_specials", """
        def f():
            l = [0.0, 1.0]
            l[0] = -0.0
            l.append(float('inf'))
            l.append(float('nan'))
            return l, l[0], l[3] != l[3]
    """),
    ("list_empty_then_float_then_int", "def f(): l = []; l.append(1.5); l.append(2); l.append(None); return l"),
    ("list_pop_to_empty_then_switch", "def f(): l = [1]; l.pop(); l.append(2.5); l.append('x'); return l, len(l)"),
    ("list_repeat_empty_then_append", "def f(): l = [1, 2] * 0; l.append('x'); return l"),
    ("list_strategy_switch_print", """
        def f():
            l = [1, 2]
            print(l)
            l.append(2.5)
            print(l)
            l.append('s')
            print(l)
            l.append([3])
            print(l)
            return l
    """),
    ("list_append_while_iterating", """
        def f():
            l = [1, 2, 3]
            n = 0
            for x in l:
                n += 1
                if len(l) < 10:
                    l.append(x * 2)
            return l, n
    """),
    ("list_switch_strategy_while_iterating", """
        def f():
            l = [1, 2]
            seen = []
            for x in l:
                seen.append(x)
                if x == 1:
                    l.append(2.5)
                if x == 2:
                    l.append('s')
            return seen, l
    """),
    ("list_pop_while_iterating", """
        def f():
            l = [1, 2, 3, 4]
            seen = []
            for x in l:
                seen.append(x)
                l.pop()
            return seen, l
    """),
    ("list_setitem_while_iterating", """
        def f():
            l = [1, 2, 3]
            out = []
            for x in l:
                out.append(x)
                l[-1] = x + 10
            return out, l
    """),
    ("list_bool", "def f(): return bool([]), bool([0]), not [], not [[]]"),
    ("list_if_truthiness", """
        def f():
            l = []
            out = []
            while not l or len(l) < 3:
                l.append(len(l))
            if l:
                out.append('nonempty')
            return out, l
    """),
    ("list_is", "def f(): a = [1]; b = [1]; c = a; return a is b, a is c, a is not b, a == b"),
    ("list_unhashable_key", "def f(): d = {}; d[[1]] = 2; return d"),
    ("list_of_np_int_index", """
        import numpy as np
        def f():
            idx = np.arange(3)
            l = [10, 20, 30]
            return l[idx[2]], l[-idx[1]]
    """),
]


@pytest.mark.parametrize("source,args", _params(LISTS))
def test_lists(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# dicts

DICTS = [
    ("dict_literal_get_set", "def f(): d = {'a': 1, 'b': 2}; d['c'] = 3; d['a'] = 10; return d, d['b'], len(d)"),
    ("dict_in", "def f(): d = {1: 'x'}; return 1 in d, 2 in d, 1.0 in d, True in d, 'x' in d, 2 not in d"),
    ("dict_get_default", "def f(): d = {1: 'x'}; return d.get(1), d.get(2), d.get(2, 'dflt'), d.get(1, 'dflt')"),
    ("dict_missing_key", "def f(): d = {1: 2}; return d[3]"),
    ("dict_int_str_tuple_keys", """
        def f():
            d = {}
            d[1] = 'int'
            d['1'] = 'str'
            d[(1, 2)] = 'tuple'
            d[1, 3] = 'tuple2'
            d[2.5] = 'float'
            return d, d[1, 2], d[(1, 3)], d[1], d['1']
    """),
    ("dict_numeric_key_merging", "def f(): d = {1: 'a', 1.0: 'b', True: 'c'}; return d, len(d)"),
    ("dict_iteration_order", """
        def f():
            d = {}
            for k in [5, 3, 9, 1]:
                d[k] = k * k
            d[3] = 0
            keys = []
            for k in d:
                keys.append(k)
            return keys, d
    """),
    ("dict_count_words", """
        def f():
            counts = {}
            for w in ['a', 'b', 'a', 'c', 'a', 'b']:
                counts[w] = counts.get(w, 0) + 1
            return counts
    """),
    ("dict_augassign_items", """
        def f():
            d = {'x': 1, (1, 2): 2.5}
            d['x'] += 5
            d[1, 2] *= 2
            d[(1, 2)] -= 1
            return d
    """),
    ("dict_augassign_missing", "def f(): d = {}; d['k'] += 1; return d"),
    ("dict_list_values", """
        def f():
            d = {'a': [], 'b': [1.5]}
            d['a'].append(1)
            d['b'].append(2)
            return d
    """),
    ("dict_print", """
        def f():
            d = {1: 'a', 'b': [1, 2.5], (1, 2): None, 2.0: -0.0}
            print(d)
            print({})
            return str(d)
    """),
    ("dict_eq", "def f(): return {1: 2} == {1: 2}, {1: 2} == {1: 2.0}, {1: 2, 3: 4} == {3: 4, 1: 2}, {} == {}, {1: [1]} == {1: [1]}"),
    ("dict_mutate_while_iterating", """
        def f():
            d = {1: 1, 2: 2}
            for k in d:
                d[k + 10] = 0
            return d
    """),
    ("dict_update_while_iterating_ok", """
        def f():
            d = {1: 1, 2: 2}
            for k in d:
                d[k] = d[k] * 10
            return d
    """),
    ("dict_len_and_bool", "def f(): d = {}; a = bool(d); d[0] = 0; return a, bool(d), len(d)"),
    ("dict_np_scalar_key", """
        import numpy as np
        def f():
            d = {0: 'zero', 1.5: 'x'}
            a = np.arange(2)
            b = np.zeros(1)
            return d[a[0]], a[1] in d, d.get(b[0] + 1.5)
    """),
]


@pytest.mark.parametrize("source,args", _params(DICTS))
def test_dicts(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# operators: comparisons, boolean operators, conditional expressions

SIDE = """
def t(x):
    print('t', x)
    return x
"""

OPERATORS = [
    ("chained_basic", "def f(): x = 5; return 1 < x < 10, 1 < x > 10, 1 <= 1 < 2 <= 2, 3 > 2 > 1 > 0, 1 == 1 < 2, 1 < 2 == 2, 1 != 2 != 1"),
    ("chained_middle_once_value", SIDE + """
def f():
    a = 1 < t(2) < 3
    b = 1 < t(0) < t(5)
    c = 3 > t(2) > t(1) > t(0)
    return a, b, c
"""),
    ("chained_middle_once_if", SIDE + """
def f():
    out = []
    if 1 < t(2) < 3:
        out.append('yes')
    if not (0 < t(5) < t(4)):
        out.append('no')
    if t(1) < t(2) < t(3) < t(0):
        out.append('bad')
    return out
"""),
    ("chained_middle_once_while", SIDE + """
def f():
    i = 0
    while 0 <= t(i) < 3:
        i += 1
    return i
"""),
    ("chained_value_is_operand", "def f(): return (1 < 2 < 3), (1 < 0 < 3), (1 < 2 > 3), (2 in [1, 2] in [[1, 2]])"),
    ("chained_in_is", "def f(): l = [1]; return 1 in l is not None, None is None is None, 1 in l in [l], 2 not in l != 3"),
    ("short_circuit_and_value", SIDE + """
def f():
    a = t(1) and t(0) and t(2)
    b = t(1) and t(2) and t(3)
    return a, b
"""),
    ("short_circuit_or_value", SIDE + """
def f():
    a = t(0) or t('') or t(5) or t(6)
    b = t(0) or t(0.0)
    return a, b
"""),
    ("short_circuit_if", SIDE + """
def f():
    out = []
    if t(0) and t(1):
        out.append(1)
    if t(1) or t(0):
        out.append(2)
    if (t(0) or t(1)) and not t(0):
        out.append(3)
    if not (t(1) and t(0)) or t(9):
        out.append(4)
    while t(0) and t(1):
        out.append(5)
    return out
"""),
    ("and_or_return_operands", "def f(): return 0 and 1, [] or 'x', 1 and [1], 0.0 or None, '' and 1, 1 and 2 and 3, 0 or 0.0 or '', None or 0, 2 or 3, [] and 1"),
    ("and_or_mixed_precedence", "def f(x, y): return x and y or 'z', x or y and 'w', not x or y, not (x and y)", (0, 5)),
    ("and_or_mixed_precedence_2", "def f(x, y): return x and y or 'z', x or y and 'w', not x or y, not (x and y)", (3, 0)),
    ("ifexp_laziness", SIDE + """
def f(c):
    a = t('yes') if c else t('no')
    b = 1 / 0 if not c else 5
    c2 = t(1) if t(c) else t(2)
    return a, b, c2
""", (1,)),
    ("ifexp_laziness_false", SIDE + """
def f(c):
    a = t('yes') if c else t('no')
    b = 5 if not c else 1 / 0
    return a, b
""", (0,)),
    ("ifexp_nested", "def f(x): return 'neg' if x < 0 else 'zero' if x == 0 else 'pos', (1 if x else 2) + 10", (0,)),
    ("ifexp_truthiness", "def f(): return (1 if [] else 2), (1 if [0] else 2), (1 if 'a' else 2), (1 if 0.0 else 2), (1 if None else 2)"),
    ("is_operators", "def f(): x = None; l = [1]; return x is None, x is not None, l is l, l is not l, True is True"),
    ("arith_all_ops_ints", "def f(a, b): return a + b, a - b, a * b, a / b, a // b, a % b, a ** 3, a << 2, a >> 1, a & b, a | b, a ^ b", (-17, 5)),
    ("arith_all_ops_floats", "def f(a, b): return a + b, a - b, a * b, a / b, a // b, a % b, a ** 2, abs(a), -a", (-17.25, 4.5)),
    ("arith_mixed_types_matrix", """
        def f():
            vals = [3, -2.5, True, 2 ** 65]
            out = []
            for a in vals:
                for b in vals:
                    out.append((a + b, a - b, a * b, a / b, a // b, a % b))
            return out
    """),
    ("compare_mixed_types_matrix", """
        def f():
            vals = [3, -2.5, True, 2 ** 65, 3.0, 0]
            out = []
            for a in vals:
                for b in vals:
                    out.append((a < b, a <= b, a == b, a != b, a > b, a >= b))
            return out
    """),
    ("unary_all", "def f(x): return -x, +x, ~x, not x", (7,)),
    ("unary_big", "def f(): x = 2 ** 80; return -x, +x, ~x, not x, -(-x)"),
    ("precedence", "def f(): return 2 + 3 * 4 ** 2, -2 ** 2, (-2) ** 2, 2 ** -1, 2 ** 3 ** 2, 10 - 4 - 3, 100 // 10 // 3, 1 + 2 << 3, 6 & 3 | 8 ^ 1"),
]


@pytest.mark.parametrize("source,args", _params(OPERATORS))
def test_operators(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# augmented assignment

AUGMENTED = [
    ("aug_all_ops_int", """
        def f():
            x = 100
            out = []
            x += 7; out.append(x)
            x -= 10; out.append(x)
            x *= 3; out.append(x)
            x //= 4; out.append(x)
            x %= 50; out.append(x)
            x **= 2; out.append(x)
            x <<= 3; out.append(x)
            x >>= 2; out.append(x)
            x &= 0xFF; out.append(x)
            x |= 0x100; out.append(x)
            x ^= 0x1F; out.append(x)
            x /= 8; out.append(x)
            return out
    """),
    ("aug_all_ops_float", """
        def f():
            x = 2.5
            x += 1; x -= 0.25; x *= -2; x /= 3; x //= 0.5; x %= 4; x **= 2
            return x
    """),
    ("aug_list_items", """
        def f():
            l = [1, 2.5, 3, 'a']
            l[0] += 10
            l[1] *= 2
            l[-2] **= 2
            l[3] += 'b'
            l[2] //= 2
            return l
    """),
    ("aug_list_item_side_effect_order", """
        def t(x):
            print('t', x)
            return x
        def f():
            l = [1, 2, 3]
            l[t(1)] += t(10)
            return l
    """),
    ("aug_global", """
        counter = 0
        def inc(k):
            global counter
            counter += k
            return counter
        def f():
            inc(1)
            inc(2)
            return inc(3), counter
    """),
    ("aug_global_side_effect", """
        g = 1
        def bump():
            global g
            g = 100
            return 5
        def f():
            global g
            g += bump()
            return g
    """),
    ("aug_numpy_2d", """
        import numpy as np
        def f():
            a = np.zeros((2, 3))
            a[1, 2] += 1.5
            a[0, 0] -= 2
            a[1, 2] *= 4
            return a, a[1, 2]
    """),
    ("aug_tuple_rebinds", "def f(): t = (1,); u = t; t += (2,); return t, u"),
    ("aug_unbound_local", "def f(): x += 1; return x"),
    ("aug_truediv_int_to_float", "def f(): x = 7; x /= 2; y = 8; y /= 2; return x, y"),
    ("aug_zero_division", "def f(): x = 1; x //= 0; return x"),
]

# formerly a bug (list *= n rebound the name); now a regression test
BUG_AUGMENTED = [
    ("aug_list_imul_in_place", """
        def f():
            a = [1, 2]
            b = a
            a *= 2
            return a, b, a is b
    """),
]


@pytest.mark.parametrize("source,args", _params(AUGMENTED + BUG_AUGMENTED))
def test_augmented(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# control flow

CONTROL = [
    ("if_elif_else_chain", """
        def f(n):
            out = []
            for x in range(-2, n):
                if x < 0:
                    out.append('neg')
                elif x == 0:
                    out.append('zero')
                elif x % 2:
                    out.append('odd')
                else:
                    out.append('even')
            return out
    """, (5,)),
    ("if_nested", """
        def f(a, b):
            if a:
                if b:
                    return 1
                else:
                    return 2
            elif b:
                return 3
            return 4
    """, (0, 1)),
    ("if_truthiness_values", """
        def f():
            out = []
            for v in [0, 1, 0.0, -0.0, 0.5, '', 'a', None, [], [0], (), (0,), {}, {0: 0}, 2 ** 70]:
                if v:
                    out.append(1)
                else:
                    out.append(0)
            return out
    """),
    ("while_basic", "def f(n):\n    i = 0\n    s = 0\n    while i < n:\n        s += i\n        i += 1\n    return s, i", (10,)),
    ("while_true_break", """
        def f():
            i = 0
            while True:
                i += 3
                if i > 10:
                    break
            return i
    """),
    ("while_continue", """
        def f():
            i = 0
            out = []
            while i < 10:
                i += 1
                if i % 3:
                    continue
                out.append(i)
            return out
    """),
    ("while_else_no_break", """
        def f():
            i = 0
            while i < 3:
                i += 1
            else:
                i += 100
            return i
    """),
    ("while_else_with_break", """
        def f():
            i = 0
            while i < 3:
                i += 1
                if i == 2:
                    break
            else:
                i += 100
            return i
    """),
    ("while_else_false_initially", "def f():\n    while False:\n        pass\n    else:\n        return 'else'\n    return 'after'"),
    ("while_else_cond_false_initially", "def f(n):\n    while n > 0:\n        n -= 1\n    else:\n        n = 'else'\n    return n", (0,)),
    ("for_else_no_break", """
        def f():
            for i in range(3):
                pass
            else:
                return 'else', i
            return 'after'
    """),
    ("for_else_with_break", """
        def f():
            for x in [1, 2, 3]:
                if x == 2:
                    break
            else:
                return 'else'
            return 'broke', x
    """),
    ("for_else_empty", "def f():\n    for x in []:\n        return 'body'\n    else:\n        return 'else'"),
    ("nested_break_inner_only", """
        def f():
            out = []
            for i in range(4):
                for j in range(4):
                    if j > i:
                        break
                    out.append((i, j))
            return out
    """),
    ("nested_continue", """
        def f():
            s = 0
            for i in range(5):
                if i == 2:
                    continue
                j = 0
                while j < 5:
                    j += 1
                    if j % 2 == 0:
                        continue
                    s += i * j
            return s
    """),
    ("for_range_forms", """
        def f():
            out = []
            for i in range(4):
                out.append(i)
            for i in range(2, 6):
                out.append(i)
            for i in range(0, 10, 3):
                out.append(i)
            for i in range(10, 0, -3):
                out.append(i)
            for i in range(0, -10, -4):
                out.append(i)
            for i in range(-5):
                out.append('never')
            for i in range(3, 3):
                out.append('never')
            for i in range(5, 1):
                out.append('never')
            return out
    """),
    ("for_range_big_ints", """
        def f():
            out = []
            for i in range(2 ** 64, 2 ** 64 + 3):
                out.append(i)
            for i in range(-2 ** 63 + 1, -2 ** 63 - 2, -1):
                out.append(i)
            for i in range(2 ** 63 - 2, 2 ** 63 + 1):
                out.append(i)
            return out
    """),
    ("for_range_step_zero", "def f():\n    for i in range(1, 5, 0):\n        pass\n    return 1"),
    ("for_range_float_error", "def f():\n    for i in range(2.0):\n        pass\n    return 1"),
    ("for_range_bool_and_numpy_args", """
        import numpy as np
        def f():
            a = np.arange(5)
            out = []
            for i in range(True, a[3]):
                out.append(i)
            for i in range(a[1], a[4], a[2]):
                out.append(i)
            return out
    """),
    ("for_range_var_after_loop", "def f(n):\n    for i in range(n):\n        pass\n    return i", (5,)),
    ("for_range_var_after_negative_step", "def f():\n    for i in range(10, 0, -3):\n        pass\n    return i"),
    ("for_range_empty_unbound", "def f(n):\n    for i in range(n):\n        pass\n    return i", (0,)),
    ("for_range_empty_keeps_previous", "def f(n):\n    i = 'before'\n    for i in range(n):\n        pass\n    return i", (0,)),
    ("for_list_var_after_loop", "def f():\n    for x in [1, 2, 3]:\n        pass\n    return x"),
    ("for_list_empty_unbound", "def f():\n    for x in []:\n        pass\n    return x"),
    ("for_modify_loop_var", """
        def f():
            out = []
            for i in range(5):
                out.append(i)
                i = 100
                out.append(i)
            return out, i
    """),
    ("for_modify_loop_var_aug", """
        def f():
            out = []
            for i in range(0, 10, 2):
                i += 1
                out.append(i)
            return out, i
    """),
    ("for_modify_range_bound", """
        def f():
            n = 3
            count = 0
            for i in range(n):
                n += 1
                count += 1
            return count, n
    """),
    ("for_break_var", """
        def f():
            for i in range(100):
                if i * i > 50:
                    break
            return i
    """),
    ("for_over_tuple_str_dict", """
        def f():
            out = []
            for x in (1, 'a', 2.5):
                out.append(x)
            for ch in 'xyz':
                out.append(ch)
            for k in {'k1': 1, 'k2': 2}:
                out.append(k)
            return out
    """),
    ("for_over_range_object", """
        def f():
            r = range(2, 12, 3)
            out = []
            for i in r:
                out.append(i)
            return out, len(r), r[1], r[-1], 5 in r, r == range(2, 12, 3)
    """),
    ("for_over_int_error", "def f():\n    for x in 5:\n        pass\n    return 1"),
    ("for_nested_same_var", """
        def f():
            out = []
            for i in range(3):
                for i in range(i):
                    out.append(i)
            return out, i
    """),
    ("for_return_inside", """
        def f(n):
            for i in range(n):
                if i == 3:
                    return 'found', i
            return 'none'
    """, (10,)),
    ("while_return_inside_nested", """
        def f():
            i = 0
            while i < 10:
                j = 0
                while j < 10:
                    if i * j == 12:
                        return i, j
                    j += 1
                i += 1
            return None
    """),
    ("conditional_definition_unbound", """
        def f(c):
            if c:
                y = 1
            return y
    """, (0,)),
    ("conditional_definition_bound", """
        def f(c):
            if c:
                y = 1
            else:
                y = 2
            return y
    """, (0,)),
    ("local_read_before_assignment", """
        x = 1
        def f():
            print(x)
            x = 2
            return x
    """),
    ("unreachable_for_after_return", """
        def f():
            return 1
            for i in range(3):
                pass
    """),
    ("unreachable_while_after_break", """
        def f():
            for j in range(2):
                break
                while j < 3:
                    j += 1
            return j
    """),
    ("unreachable_loop_after_continue", """
        def f():
            s = 0
            for j in range(3):
                s += 1
                continue
                for k in range(2):
                    s += 100
            return s
    """),
    ("unreachable_loop_after_infinite_loop", """
        def f():
            while True:
                return 'out'
            for i in range(3):
                print(i)
    """),
    ("unreachable_loop_at_module_level", """
        for i in range(3):
            print(i)
            break
            while i < 3:
                i += 1
        print('done', i)
    """),
    ("unreachable_code_after_return", "def f():\n    return 5\n    print('x')"),
    ("constant_if_false_assigns", "def f():\n    if 0:\n        x = 1\n    return x"),
    ("constant_if_true_assigns", "def f():\n    if 1:\n        x = 1\n    return x"),
    ("while_true_assigns_then_break", "def f():\n    while True:\n        x = 1\n        break\n    return x"),
    ("for_else_continue_outer", """
        def f(n):
            out = []
            i = 0
            while i < n:
                i += 1
                for j in range(3):
                    if j == i:
                        break
                else:
                    continue
                out.append(i)
            return out
    """, (5,)),
    ("for_else_break_outer", """
        def f():
            out = []
            for i in range(3):
                for j in range(2):
                    pass
                else:
                    out.append(i)
                    break
            return out
    """),
    ("global_loop_variable", """
        def f():
            global gi
            for gi in range(3):
                pass
            return gi
        def g():
            return gi
    """),
    ("for_target_subscript", """
        def f():
            l = [0]
            for l[0] in range(3):
                pass
            d = {}
            for d['k'] in [1, 2]:
                pass
            return l, d
    """),
    ("for_iterate_variable_itself", "def f():\n    x = [1, 2, 3]\n    s = 0\n    for x in x:\n        s += x\n    return s, x"),
    ("pass_statement", "def f():\n    for i in range(3):\n        pass\n    if True:\n        pass\n    return 1"),
    ("return_none_implicit", "def f():\n    x = 1"),
    ("return_bare", "def f():\n    return"),
]


@pytest.mark.parametrize("source,args", _params(CONTROL))
def test_control(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# functions, recursion, globals

FUNCTIONS = [
    ("func_defaults", """
        def g(a, b=2, c='c'):
            return a, b, c
        def f():
            return g(1), g(1, 5), g(1, 5, 6)
    """),
    ("func_defaults_evaluated_once", """
        def g(x, acc=[]):
            acc.append(x)
            return len(acc)
        def f():
            g(1)
            g(2)
            return g(3)
    """),
    ("func_defaults_def_time_value", """
        y = 1
        def g(x=y):
            return x
        y = 2
        def f():
            return g(), y
    """),
    ("func_default_dict_shared", """
        def g(k, memo={}):
            memo[k] = memo.get(k, 0) + 1
            return memo
        def f():
            g('a')
            g('b')
            return g('a')
    """),
    ("func_too_many_args", "def g(a):\n    return a\ndef f():\n    return g(1, 2)"),
    ("func_too_few_args", "def g(a, b):\n    return a\ndef f():\n    return g(1)"),
    ("func_as_value", """
        def double(x):
            return 2 * x
        def apply(fn, x):
            return fn(x)
        def f():
            h = double
            return apply(h, 21), apply(abs, -3), apply(str, 5)
    """),
    ("func_call_non_callable", "def f():\n    x = 5\n    return x(1)"),
    ("recursion_fib", """
        def fib(n):
            if n < 2:
                return n
            return fib(n - 1) + fib(n - 2)
        def f(n):
            return fib(n)
    """, (15,)),
    ("recursion_ackermann", """
        def ack(m, n):
            if m == 0:
                return n + 1
            if n == 0:
                return ack(m - 1, 1)
            return ack(m - 1, ack(m, n - 1))
        def f():
            return ack(2, 3), ack(1, 5), ack(3, 2)
    """),
    ("recursion_mutual", """
        def is_even(n):
            if n == 0:
                return True
            return is_odd(n - 1)
        def is_odd(n):
            if n == 0:
                return False
            return is_even(n - 1)
        def f():
            return is_even(10), is_odd(7), is_even(7)
    """),
    ("recursion_depth_ok", """
        def depth(n):
            if n == 0:
                return 0
            return 1 + depth(n - 1)
        def f():
            return depth(400)
    """),
    ("recursion_too_deep", """
        def depth(n):
            if n == 0:
                return 0
            return 1 + depth(n - 1)
        def f():
            return depth(100000)
    """),
    ("recursion_bigint_factorial", """
        def fact(n):
            if n <= 1:
                return 1
            return n * fact(n - 1)
        def f():
            return fact(30), fact(25) % 1000003
    """),
    ("global_write_new", """
        def setz():
            global z
            z = 5
        def getz():
            return z
        def f():
            setz()
            return getz()
    """),
    ("global_read_unassigned", "def f():\n    return undefined_name_xyz"),
    ("global_declared_unassigned", "def f():\n    global gq\n    return gq"),
    ("global_list_mutation_without_decl", """
        items = []
        def add(x):
            items.append(x)
        def f():
            add(1)
            add(2.5)
            return items
    """),
    ("global_shadowed_by_local", """
        x = 'global'
        def g():
            x = 'local'
            return x
        def f():
            return g(), x
    """),
    ("builtin_shadowed_by_local", """
        def f():
            sum = 0
            for i in range(4):
                sum += i
            max = sum * 2
            return sum, max
    """),
    ("builtin_local_unbound", """
        def f():
            m = min(1, 2)
            min = 5
            return m
    """),
    ("range_shadowed_by_param", """
        def f(range):
            out = []
            for i in range:
                out.append(i)
            return out
    """, ((7, 8, 9),)),
    ("shadow_builtin_function_used_in_function", """
        def abs(x):
            return 'mine'
        def f():
            return abs(-1)
    """),
    ("print_in_function_returns_none", "def f():\n    return print('x')"),
    ("registers_survive_calls", """
        def g(x):
            a = x * 3
            b = x - 1
            return a + b
        def f(n):
            a = n + 1
            b = [a]
            c = g(a) + g(n) * a
            b.append(g(c))
            return a, b, c, abs(a) + g(a) - a
    """, (4,)),
    ("registers_survive_recursion", """
        def walk(n, acc):
            x = n * 2
            if n == 0:
                return acc
            y = walk(n - 1, acc + [x])
            return y + [x]
        def f():
            return walk(4, [])
    """),
    ("call_in_loop_condition", """
        def small(i):
            return i * i < 30
        def f():
            i = 0
            total = 0
            while small(i):
                total += i
                i += 1
            return i, total
    """),
    ("call_result_in_chained_compare", """
        def g(x):
            return x + 1
        def f():
            a = 3
            return 1 < g(a) < 10, g(a) < a, a < g(a) < g(g(a))
    """),
    ("evaluation_order_calls", SIDE + """
def f():
    return t(abs)(t(-1)), max(t(1), t(2), t(3))
"""),
    ("evaluation_order_subscript_assignment", SIDE + """
def f():
    l = [0, 0]
    t(l)[t(0)] = t(5)
    t(l)[t(1)] += t(7)
    return l
"""),
    ("evaluation_order_dict_literal", SIDE + """
def f():
    return {t(1): t(2), t(3): t(4)}
"""),
    ("evaluation_order_multiple_targets", SIDE + """
def f():
    a, b = t(1), t(2)
    x = y = t(3)
    return a, b, x, y
"""),
    ("evaluation_order_binop_error", SIDE + """
def f():
    return t(1) + t('a')
"""),
    ("evaluation_order_call_non_callable", SIDE + """
def f():
    x = 5
    return x(t(1))
"""),
    ("evaluation_order_print_kwargs", SIDE + """
def f():
    print(t(1), t(2), sep=t('-'), end=t('!\\n'))
    return 0
"""),
]


@pytest.mark.parametrize("source,args", _params(FUNCTIONS))
def test_functions(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# builtins and printing

BUILTINS = [
    ("print_sep_end", """
        def f():
            print(1, 2, 3, sep=', ')
            print('a', end='')
            print('b', end='\\n\\n')
            print(sep='-')
            print(1, 'a', 2.5, None, True, sep='|', end='$\\n')
            print(end='')
            print(1, 2, sep='')
            print(1, 2, sep=None, end=None)
            print()
            return 0
    """),
    ("print_floats", """
        def f():
            print(1e16, 123456789.0, 0.1 + 0.2, 1 / 3, 2.0 ** 0.5, float(10 ** 20), 1e-7, 100.0)
            print(-0.0, float('inf'), -float('inf'), float('nan'), 5e-324, 1.7976931348623157e308)
            print(1e15, 1e-4, 1e-5, 0.5, 2.0, 1e22, 12345678901234567890.0)
            return 0
    """),
    ("print_ints_bools", "def f():\n    print(2 ** 100, -5, True, False, None, 0)\n    return 0"),
    ("print_sep_type_error", "def f():\n    print(1, 2, sep=5)\n    return 0"),
    ("abs_values", "def f(): return abs(-5), abs(-2.5), abs(True), abs(-2 ** 70), abs(-0.0), abs(0)"),
    ("abs_error", "def f(): return abs('x')"),
    ("min_max", "def f(): return min(3, 1, 2), max(3, 1, 2), min([4, 2.5, 3]), max((1, 9)), min('bca'), max(1, 2.0), max(2.0, 2), min(0.0, -0.0), max([2 ** 70, 1])"),
    ("min_max_nan", "def f(): nan = float('nan'); return min(nan, 1.0), min(1.0, nan), max(nan, 1), max(1, nan)"),
    ("min_empty_error", "def f(): return min([])"),
    ("max_type_error", "def f(): return max(1, 'a')"),
    ("int_builtin", "def f(): return int(5), int(-2.7), int('42'), int(' -7 '), int('1_000'), int(True), int('ff', 16), int(2 ** 70 + 0.0)"),
    ("int_builtin_value_error", "def f(): return int('3.5')"),
    ("int_builtin_type_error", "def f(): return int(None)"),
    ("float_builtin", "def f(): return float(3), float('1e3'), float(' -1.5 '), float('inf'), float(True), float(2.5), float('-0')"),
    ("float_builtin_nan", "def f(): x = float('nan'); return x != x"),
    ("float_builtin_error", "def f(): return float('abc')"),
    ("round_builtin", "def f(): return round(2.5), round(3.5), round(-2.5), round(-0.4), round(2.675, 2), round(5, -1), round(15, -1), round(1.5, 0), round(-0.4, 0), round(7), round(2 ** 70 + 0.5)"),
    ("round_inf_error", "def f(): return round(float('inf'))"),
    ("round_nan_error", "def f(): return round(float('nan'))"),
    ("pow_builtin", "def f(): return pow(2, 10), pow(2.0, 3), pow(2, -1), pow(3, 4, 5), pow(2, -1, 5), pow(2, 0.5), pow(-8, 2)"),
    ("pow_mod_error", "def f(): return pow(2, 3, 0)"),
    ("divmod_builtin", "def f(): return divmod(7, 2), divmod(-7, 2), divmod(7, -2), divmod(-7.5, 2), divmod(7.5, -2), divmod(2 ** 70, 3)"),
    ("divmod_zero", "def f(): return divmod(7, 0)"),
    ("sum_builtin", "def f(): return sum([1, 2, 3]), sum([0.1] * 10), sum([1, 2.5]), sum([]), sum([1, 2], 10), sum(range(101)), sum((1, 2)), sum([[1], [2.5]], [])"),
    ("sum_type_error", "def f(): return sum(['a', 'b'])"),
    ("len_builtin", "def f(): return len([1]), len({1: 2}), len('abc'), len((1, 2)), len(range(10)), len(range(0, 10, 3)), len([])"),
    ("len_error", "def f(): return len(5)"),
    ("str_repr_builtin", "def f(): return str([1, 'a']), repr([2.0, None]), str((1, 'b')), repr((1,)), str({1: [2]}), repr(-0.0), str(float('nan'))"),
    ("builtins_no_args", "def f(): return str(), int(), float(), bool()"),
    ("range_no_args_error", "def f():\n    for i in range():\n        pass\n    return 0"),
    ("range_four_args_error", "def f():\n    for i in range(1, 2, 3, 4):\n        pass\n    return 0"),
    ("len_no_args_error", "def f(): return len()"),
    ("dict_get_unhashable", "def f(): d = {}; return d.get([1], 0)"),
    ("list_method_arity_errors", "def f(): l = [1]; l.append(1, 2); return l"),
    ("dict_get_arity_error", "def f(): d = {}; return d.get()"),
    ("method_on_wrong_type", "def f(): d = {1: 2}; d.append(3); return d"),
    ("sum_float_start", "def f(): return sum([1, 2], 0.5), sum([0.5] * 4, 1)"),
    ("range_builtin_value", "def f(): r = range(1, 10, 2); return r[2], len(r), r[-1], 7 in r, 8 in r"),
]


@pytest.mark.parametrize("source,args", _params(BUILTINS))
def test_builtins(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# math

MATH = [
    ("math_basic", """
        import math
        def f():
            return (math.sqrt(2.0), math.floor(2.7), math.floor(-2.5), math.ceil(2.1), math.ceil(-2.1),
                    math.trunc(-2.7), math.pi, math.e, math.tau, math.fabs(-3), math.floor(-0.0))
    """),
    ("math_exp_log", """
        import math
        def f():
            return (math.exp(1.0), math.log(8, 2), math.log(math.e), math.log10(1000), math.log2(1024),
                    math.log1p(1e-10), math.expm1(1e-10), math.log(10 ** 400))
    """),
    ("math_trig", """
        import math
        def f():
            return (math.sin(1.0), math.cos(1.0), math.tan(0.5), math.atan2(1, -1), math.asin(1),
                    math.acos(0.5), math.atan(1), math.hypot(3, 4), math.degrees(math.pi), math.radians(180),
                    math.sinh(1), math.cosh(1), math.tanh(1))
    """),
    ("math_int_functions", """
        import math
        def f():
            return (math.gcd(12, 18), math.factorial(30), math.comb(10, 3), math.perm(5, 2),
                    math.isqrt(10 ** 20 + 1), math.lcm(4, 6), math.prod([1, 2, 3, 4]), math.floor(10 ** 30 + 0.0))
    """),
    ("math_float_functions", """
        import math
        def f():
            return (math.copysign(1, -0.0), math.fmod(-7, 3), math.modf(-2.5), math.frexp(8.0),
                    math.ldexp(0.5, 4), math.fsum([0.1] * 10), math.isclose(1.0, 1.0 + 1e-12),
                    math.remainder(7, 4), math.sqrt(-0.0), math.pow(2, 10))
    """),
    ("math_special_values", """
        import math
        def f():
            return (math.isnan(math.nan), math.isinf(-math.inf), math.isfinite(1.0), math.inf > 10 ** 400,
                    math.nan == math.nan, math.isnan(math.inf - math.inf))
    """),
    ("math_sqrt_domain_error", "import math\ndef f():\n    return math.sqrt(-1)"),
    ("math_log_domain_error", "import math\ndef f():\n    return math.log(0)"),
    ("math_exp_overflow", "import math\ndef f():\n    return math.exp(1000)"),
    ("math_factorial_negative", "import math\ndef f():\n    return math.factorial(-1)"),
    ("math_from_import_in_function", """
        from math import sqrt, floor, pi
        def f(x):
            return sqrt(x), floor(x), pi * x
    """, (2.25,)),
    ("math_fsum_list", """
        import math
        def f():
            l = []
            for i in range(10):
                l.append(0.1)
            return math.fsum(l), sum(l)
    """),
]


@pytest.mark.parametrize("source,args", _params(MATH))
def test_math(source, args):
    _run(source, args)


# Every public name of the math module, called with each candidate argument list whose
# arity CPython accepts (domain and overflow errors included: they are compared too).
MATH_ARGS = ("0.5", "5", "-2.5", "0.0", "-0.0", "2 ** 70", "1e308", "float('inf')", "float('nan')",
             "True", "2.5, 1.5", "12, 18", "5, 2", "-7, 3", "0.5, 3", "1.0, -0.0",
             "[0.1, 0.2, 0.3]", "[1, 2, 3]", "[1.0, 2.0], [4.0, 6.0]")


def _math_cases():
    import math
    cases = []
    for name in sorted(n for n in dir(math) if not n.startswith("_")):
        fn = getattr(math, name)
        if not callable(fn):
            cases.append((f"math_{name}", f"import math\ndef f():\n    return math.{name}"))
            cases.append((f"from_math_{name}", f"from math import {name}\ndef f():\n    return {name}"))
            continue
        for i, args in enumerate(MATH_ARGS):
            try:
                eval(f"fn({args})", {"fn": fn})
            except TypeError:
                continue            # wrong arity or argument kinds: not a useful case
            except Exception:
                pass
            cases.append((f"math_{name}_{i}", f"import math\ndef f():\n    return math.{name}({args})"))
    return cases


MATH_ALL = _math_cases()


@pytest.mark.parametrize("source,args", _params(MATH_ALL))
def test_math_every_function(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# numpy

NUMPY = [
    ("np_zeros_ones_arange", """
        import numpy as np
        def f():
            return np.zeros(3), np.ones(4), np.arange(5), np.arange(2, 11, 3), np.zeros(3, dtype=np.int64), np.ones(2, dtype=np.bool_)
    """),
    ("np_empty_filled", """
        import numpy as np
        def f():
            a = np.empty(4)
            for i in range(4):
                a[i] = i * 0.5
            b = np.empty((2, 2), dtype=np.int64)
            for i in range(2):
                for j in range(2):
                    b[i, j] = i - j
            return a, b
    """),
    ("np_array_from_list", """
        import numpy as np
        def f():
            return (np.array([1, 2, 3]), np.array([1.5, 2]), np.array([True, False]),
                    np.array([[1, 2], [3, 4]]), np.array([1, 2], dtype=np.float64), np.array((1, 2.5, True)))
    """),
    ("np_arange_float_and_dtype", """
        import numpy as np
        def f():
            return np.arange(0.0, 1.0, 0.25), np.arange(5, dtype=np.float64), np.arange(-3, 3), np.arange(10, 0, -3)
    """),
    ("np_index_get_set", """
        import numpy as np
        def f():
            a = np.arange(5)
            a[0] = 10
            a[-1] = -4
            a[2] = 2.9
            return a, a[0], a[-1], a[2], len(a)
    """),
    ("np_index_error", "import numpy as np\ndef f():\n    a = np.zeros(3)\n    return a[3]"),
    ("np_index_float_error", "import numpy as np\ndef f():\n    a = np.zeros(3)\n    return a[1.5]"),
    ("np_setitem_overflow", "import numpy as np\ndef f():\n    a = np.zeros(3, dtype=np.int64)\n    a[0] = 10 ** 20\n    return a"),
    ("np_2d_shape_unpack", """
        import numpy as np
        def f(n, m):
            a = np.zeros((n, m))
            r, c = a.shape
            for i in range(r):
                for j in range(c):
                    a[i, j] = i * c + j
            return a, a.shape, r, c, len(a), a[1, 2], a[-1, -1]
    """, (3, 4)),
    ("np_2d_row_view", """
        import numpy as np
        def f():
            a = np.zeros((2, 3), dtype=np.int64)
            row = a[1]
            row[2] = 7
            return a, row, row.shape
    """),
    ("np_2d_index_error", "import numpy as np\ndef f():\n    a = np.zeros((2, 2))\n    return a[2, 0]"),
    ("np_bool_array", """
        import numpy as np
        def f():
            b = np.zeros(5, dtype=np.bool_)
            b[2] = True
            b[4] = 3
            c = 0
            for x in b:
                if x:
                    c += 1
            return b, b[2], b[0], not b[2], b[2] and 5, b[0] or 'x', c, bool(b[4])
    """),
    ("np_bool_2d", """
        import numpy as np
        def f():
            g = np.zeros((3, 3), dtype=np.bool_)
            g[1, 1] = True
            n = 0
            for i in range(3):
                for j in range(3):
                    if g[i, j]:
                        n += 1
            return g, n, g[1, 1] == True
    """),
    ("np_float_scalar_mixing", """
        import numpy as np
        def f():
            a = np.zeros(3)
            a[0] = 1.5
            x = a[0]
            return x + 1, x * 2.5, 1 + x, x / 2, x // 1, x % 1, x ** 2, -x, abs(-x), x > 1, x == 1.5, x + True
    """),
    ("np_int_scalar_mixing", """
        import numpy as np
        def f():
            b = np.arange(5)
            y = b[3]
            return y + 1, y * 2, 1 + y, y / 2, y // 2, y % 2, y ** 2, -y, y + 1.5, y < 4, y == 3, y & 1, y << 2
    """),
    ("np_int_scalar_python_bigint", "import numpy as np\ndef f():\n    b = np.arange(3)\n    return b[1] + 2 ** 70"),
    ("np_scalar_conversions", """
        import numpy as np
        import math
        def f():
            a = np.ones(2)
            b = np.arange(3)
            return (int(a[0]), float(b[2]), str(a[0]), repr(b[1]), math.floor(a[0] * 2.5), math.sqrt(b[2]),
                    round(a[0] * 2.5), bool(b[0]), min(a[0], 2), max(b[2], 1.5))
    """),
    ("np_scalar_accumulate", """
        import numpy as np
        def f():
            a = np.arange(4, dtype=np.float64)
            s = 0
            for x in a:
                s += x
            t = 0.0
            for i in range(len(a)):
                t += a[i]
            b = np.arange(4)
            u = 0
            for i in range(4):
                u += b[i]
            return s, t, u, sum(a), sum(b)
    """),
    ("np_scalar_into_list", """
        import numpy as np
        def f():
            a = np.ones(2)
            b = np.arange(3)
            l = [0.0] * 2
            l[0] = a[1]
            m = [1, 2]
            m.append(b[2])
            return l, m, l[0] + 1, m[2] * 2
    """),
    ("np_scalar_print", """
        import numpy as np
        def f():
            a = np.ones(2)
            b = np.arange(3)
            print(a[0], b[2], a[0] + b[2], [a[0], b[1]], (b[1],))
            print(a)
            print(np.zeros((2, 2), dtype=np.int64))
            return 0
    """),
    ("np_dot_loop", """
        import numpy as np
        def f(n):
            x = np.arange(n, dtype=np.float64)
            y = np.ones(n)
            s = 0.0
            for i in range(n):
                s += x[i] * y[i]
            return s
    """, (50,)),
    ("np_arange_index_loop", """
        import numpy as np
        def f():
            a = np.arange(10)
            s = 0
            for i in range(len(a)):
                if a[i] % 3 == 0:
                    s += a[i]
            return s, a[a[3]]
    """),
    ("np_shape_errors", "import numpy as np\ndef f():\n    a = np.zeros(3)\n    n, m = a.shape\n    return n"),
    ("np_dtype_python_types", """
        import numpy as np
        def f():
            return np.zeros(2, dtype=int), np.ones(2, dtype=float), np.zeros(2, dtype=bool)
    """),
]


@pytest.mark.parametrize("source,args", _params(NUMPY))
def test_numpy(source, args):
    _run(source, args)


# ----------------------------------------------------------------------------------
# Known divergences from CPython (each one is a bug report; see the module docstring).

# (id, source[, args], reason). In the subset:
BUG_CASES = [
    ("np_zeros_list_shape", """
        import numpy as np
        def f():
            return np.zeros([2, 3]), np.ones([2], dtype=np.int64), np.empty([1, 1]).shape
    """, "np.zeros/ones/empty reject a list as the shape (TypeError); numpy accepts any sequence"),
    ("np_arange_positional_dtype", """
        import numpy as np
        def f():
            return np.arange(0, 5, 1, np.int64)
    """, "np.arange does not accept dtype as its 4th positional argument (TypeError)"),
    ("method_lookup_before_arguments", SIDE + """
def f():
    x = 5
    x.append(t(1))
""", "obj.method(args): the arguments are evaluated before the method lookup fails; "
        "CPython raises AttributeError before evaluating them (extra side effects)"),
    ("method_lookup_before_arguments_dict_get", SIDE + """
def f():
    d = [1]
    return d.get(t(1), t(2))
""", "obj.method(args): arguments evaluated before the AttributeError of the lookup"),
    # Documented in interp/lists.py: unboxed INT/FLOAT storage does not keep element
    # identity, so identity-based CPython results differ.
    ("nan_identity_in_float_list", """
        def f():
            x = float('nan')
            l = [x]
            return x in l, [x] == [x], l == [x]
    """, "(documented) FLOAT lists drop element identity: x = nan; x in [x] is False"),
    ("math_nan_list_equality", """
        import math
        def f():
            return [math.nan] == [math.nan], math.nan in [math.nan, 1.0]
    """, "(documented) FLOAT lists drop element identity: [math.nan] == [math.nan] is False"),
    ("int_identity_in_int_list", """
        def f():
            x = 10 ** 6
            l = [x]
            return l[0] is x, x is l[-1]
    """, "(documented) INT lists drop element identity: l = [x]; l[0] is x is False for big x"),
    ("float_identity_in_float_list", """
        def f():
            x = 2.5
            l = [x, 1.5]
            y = l[0]
            return y is x, l[1] is l[1]
    """, "(documented) FLOAT lists drop element identity: l[0] is x is False"),
]

# Mixing lists and numpy arrays in arithmetic/comparison: not in the listed subset,
# but a difference from CPython all the same (List sets __array_ufunc__ = None and
# List.__add__ raises instead of returning NotImplemented).
BUG_CASES += [
    ("list_iadd_ndarray", """
        import numpy as np
        def f():
            l = [1, 2, 3]
            l += np.arange(3)
            return l
    """, "(outside subset) lst += ndarray extends the list; CPython gives ndarray.__radd__'s array"),
    ("list_add_ndarray", """
        import numpy as np
        def f():
            return [1, 2, 3] + np.arange(3)
    """, "(outside subset) lst + ndarray raises TypeError; CPython gives an element-wise array"),
    ("ndarray_add_list", """
        import numpy as np
        def f():
            l = [1, 2, 3]
            return np.arange(3) + l, np.arange(3) * l
    """, "(outside subset) ndarray + lst raises TypeError; CPython gives an element-wise array"),
    ("list_eq_ndarray", """
        import numpy as np
        def f():
            l = [0, 1, 3]
            return l == np.arange(3)
    """, "(outside subset) lst == ndarray gives False; CPython gives an element-wise bool array"),
    ("np_scalar_add_list", """
        import numpy as np
        def f():
            a = np.arange(3)
            return a[0] + [1], [1] + a[0]
    """, "(outside subset) np.int64 + lst raises TypeError; CPython gives array([1])"),
]


# Bugs found by these tests and since fixed: kept as regression tests.
FIXED_BUGS = {"np_zeros_list_shape", "np_arange_positional_dtype", "method_lookup_before_arguments",
              "method_lookup_before_arguments_dict_get", "nan_identity_in_float_list",
              "math_nan_list_equality"}


@pytest.mark.parametrize("source,args", [
    _param(c[:-1], marks=pytest.mark.xfail(strict=True, reason="bug: " + c[-1]))
    for c in BUG_CASES if c[0] not in FIXED_BUGS])
def test_known_bugs(source, args):
    _run(source, args)


@pytest.mark.parametrize("source,args", [_param(c[:-1]) for c in BUG_CASES if c[0] in FIXED_BUGS])
def test_fixed_bugs(source, args):
    _run(source, args)


def test_case_count():
    """The suite keeps at least 150 differential cases."""
    groups = (TOPLEVEL, INTS, FLOATS, BOOLS, STRINGS, TUPLES, LISTS, DICTS, OPERATORS, AUGMENTED,
              BUG_AUGMENTED, CONTROL, FUNCTIONS, BUILTINS, MATH, NUMPY, BUG_CASES)
    assert len(MATH_ALL) > 100
    assert sum(len(g) for g in groups) >= 150
