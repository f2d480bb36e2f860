"""Differential tests: interp.lists.List against CPython's list."""

import copy
import math
import struct
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interp.lists import (
    BOOL, EMPTY, FLOAT, INT, INT64_MAX, INT64_MIN, MIN_CAPACITY, OBJECT,
    STRATEGY_NAMES, List, ListIterator, from_python, strategy_for_value,
    to_python,
)

NAN = float("nan")
# nans with other bit patterns (sign, payload); CPython keeps them as they are
NEG_NAN = struct.unpack("<d", struct.pack("<Q", 0xFFF8_0000_0000_0000))[0]
PAYLOAD_NAN = struct.unpack("<d", struct.pack("<Q", 0x7FF8_0000_0000_1234))[0]


# ----------------------------------------------------------------------
# helpers

def same(a, b):
    """Strict structural equality: same types, floats compared bitwise-ish
    (nan matches nan, -0.0 does not match 0.0)."""
    if type(a) is not type(b):
        return False
    if type(a) is float:
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def fresh(v):
    """An equal value built from new float objects (and new lists), so
    CPython's identity shortcut never applies: a fresh nan is a different
    object from the original and compares unequal to it."""
    if type(v) is float:
        return struct.unpack("<d", struct.pack("<d", v))[0]
    if type(v) is list:
        return [fresh(x) for x in v]
    return v


def clone(v):
    """A copy of the (nested) lists of v that shares every other object with
    v: the plain-list counterpart of ``from_python(v)``, holding the very
    same element objects (so identity shortcuts apply to both alike)."""
    if type(v) is list:
        return [clone(x) for x in v]
    return v


def kind(v):
    """Model of ``strategy_for_value``."""
    if type(v) is int and INT64_MIN <= v <= INT64_MAX:
        return INT
    if type(v) is float and not math.isnan(v):   # nan is never unboxed
        return FLOAT
    if type(v) is bool:             # exactly True/False: never 0/1, np.bool_
        return BOOL
    return OBJECT


def tightest(values):
    ks = {kind(v) for v in values}
    if not ks:
        return EMPTY
    return ks.pop() if len(ks) == 1 else OBJECT


def after_store(strategy, values):
    """Model: the strategy after successfully storing ``values``."""
    values = list(values)
    if strategy == EMPTY:
        return tightest(values)
    if strategy == OBJECT:
        return OBJECT
    return strategy if all(kind(v) == strategy for v in values) else OBJECT


def check_invariants(lst):
    assert type(lst) is List
    s, storage, n = lst.strategy, lst.storage, lst.length
    assert s in (EMPTY, INT, FLOAT, OBJECT, BOOL)
    assert type(n) is int and n >= 0
    assert len(lst) == n
    if s == EMPTY:
        assert n == 0 and storage is None
    elif s == OBJECT:
        assert type(storage) is list and len(storage) == n
    else:
        assert isinstance(storage, np.ndarray)
        assert storage.ndim == 1 and storage.flags["C_CONTIGUOUS"]
        assert storage.dtype == {INT: np.int64, FLOAT: np.float64,
                                 BOOL: np.bool_}[s]
        assert len(storage) >= n
        if s == FLOAT:                  # nan is never stored unboxed
            assert not np.isnan(storage[:n]).any()
    # reads are plain Python objects (OBJECT storage returns what was stored)
    for x in lst:
        if s == INT:
            assert type(x) is int
        elif s == FLOAT:
            assert type(x) is float
        elif s == BOOL:
            assert type(x) is bool


def outcome(fn, *args):
    try:
        r = fn(*args)
    except Exception as e:  # noqa: BLE001 - we compare exceptions
        return ("raise", type(e), str(e))
    return ("ok", to_python(r))


def assert_same_outcome(fn, py, lst):
    a = outcome(fn, py)
    b = outcome(fn, lst)
    assert same(a, b), (a, b)
    return a


def L(items):
    return List.from_iterable(items)


# ----------------------------------------------------------------------
# constants / construction

def test_constants():
    assert (EMPTY, INT, FLOAT, OBJECT, BOOL) == (0, 1, 2, 3, 4)
    assert STRATEGY_NAMES == ("EMPTY", "INT", "FLOAT", "OBJECT", "BOOL")
    assert List.__slots__ == ("strategy", "storage", "length")
    assert not hasattr(List(), "__dict__")


def test_empty():
    lst = List()
    check_invariants(lst)
    assert lst.strategy == EMPTY and len(lst) == 0 and not lst
    assert to_python(lst) == [] and repr(lst) == "[]" and lst == []


@pytest.mark.parametrize("items, strategy", [
    ([], EMPTY),
    ([1, 2, 3], INT),
    ([INT64_MIN, INT64_MAX], INT),
    ([1, INT64_MAX + 1], OBJECT),
    ([INT64_MIN - 1], OBJECT),
    ([1.0, -0.0, float("inf")], FLOAT),
    ([1.0, -0.0, NAN], OBJECT),             # nan is never stored unboxed
    ([NAN], OBJECT),
    ([NEG_NAN, PAYLOAD_NAN], OBJECT),
    ([1.0] * 100 + [NAN], OBJECT),
    ([1, 2.0], OBJECT),
    ([True, False], BOOL),
    ([False], BOOL),
    ([True] * 100, BOOL),
    ([1, True], OBJECT),
    ([True, 1], OBJECT),
    ([False, 0], OBJECT),
    ([0, 1], INT),                          # 0/1 are ints, never bools
    ([1.0, True], OBJECT),
    ([True, 1.0], OBJECT),
    ([True, None], OBJECT),
    ([np.bool_(True)], OBJECT),             # numpy bools are not bools
    ([True, np.bool_(False)], OBJECT),
    (["a"], OBJECT),
    ([None], OBJECT),
    ([(1,)], OBJECT),
    ([np.int64(1)], OBJECT),
])
def test_from_iterable_picks_tightest(items, strategy):
    assert tightest(items) == strategy
    for src in (items, tuple(items), iter(items), L(items), clone(items)):
        lst = List.from_iterable(src)
        check_invariants(lst)
        assert lst.strategy == strategy
        assert same(to_python(lst), items)
        if strategy == OBJECT:          # the element objects themselves
            assert all(x is y for x, y in zip(lst, items))
    lst = from_python(items)
    check_invariants(lst)
    assert lst.strategy == strategy and same(to_python(lst), items)


def test_from_iterable_copies():
    src = L([1, 2, 3])
    dst = List.from_iterable(src)
    dst[0] = 9
    assert to_python(src) == [1, 2, 3]
    py = [1, "a"]
    dst = List.from_iterable(py)
    dst[0] = 5
    assert py == [1, "a"]


def test_list_of_list_is_object():
    assert L([L([1])]).strategy == OBJECT


# ----------------------------------------------------------------------
# strategy switching

@pytest.mark.parametrize("start, value, expected", [
    ([1, 2], 3, INT),
    ([1, 2], 3.0, OBJECT),
    ([1, 2], True, OBJECT),
    ([0, 1], False, OBJECT),
    ([1, 2], INT64_MAX + 1, OBJECT),
    ([1, 2], "x", OBJECT),
    ([1, 2], None, OBJECT),
    ([1, 2], (1, 2), OBJECT),
    ([1, 2], List(), OBJECT),
    ([1.0], 2.0, FLOAT),
    ([1.0], 2, OBJECT),
    ([1.0], False, OBJECT),
    ([1.0], NAN, OBJECT),
    ([1.0], NEG_NAN, OBJECT),
    ([1.0], float("inf"), FLOAT),
    ([1.0], -0.0, FLOAT),
    ([1, 2], NAN, OBJECT),
    ([NAN], 1.0, OBJECT),
    ([], 1, INT),
    ([], 1.0, FLOAT),
    ([], NAN, OBJECT),
    ([], True, BOOL),
    ([], False, BOOL),
    ([], np.bool_(True), OBJECT),
    ([], 2 ** 64, OBJECT),
    ([True], False, BOOL),
    ([False, False], True, BOOL),
    ([True], 1, OBJECT),                    # an int is not a bool
    ([False], 0, OBJECT),
    ([True], 1.0, OBJECT),
    ([True], 0.0, OBJECT),
    ([True], NAN, OBJECT),
    ([True], None, OBJECT),
    ([True], "x", OBJECT),
    ([True], np.bool_(True), OBJECT),
    ([True], List(), OBJECT),
    (["a"], 1, OBJECT),
])
def test_switch_on_append_and_setitem(start, value, expected):
    assert after_store(L(start).strategy, [value]) == expected
    lst = L(start)
    lst.append(value)
    check_invariants(lst)
    assert lst.strategy == expected
    assert same(to_python(lst), to_python(start + [value]))
    if expected == OBJECT:
        assert lst[-1] is value
    if start:
        lst = L(start)
        lst[0] = value
        check_invariants(lst)
        assert lst.strategy == expected
        assert same(to_python(lst), to_python([value] + start[1:]))
        if expected == OBJECT:
            assert lst[0] is value


def test_switch_converts_to_plain_objects_and_never_switches_back():
    lst = L([1, 2, 3])
    lst.append("x")
    assert lst.strategy == OBJECT
    assert all(type(x) is int for x in lst.storage[:3])
    lst.pop()
    lst[0] = 5
    lst.append(6)
    assert lst.strategy == OBJECT
    f = L([1.5, -0.0])
    f.append(1)
    assert f.strategy == OBJECT
    assert [type(x) for x in f.storage] == [float, float, int]
    assert math.copysign(1.0, f.storage[1]) == -1.0
    b = L([True, False])
    b.append(1)
    assert b.strategy == OBJECT
    assert [type(x) for x in b.storage] == [bool, bool, int]
    assert b.storage[0] is True and b.storage[1] is False
    b.pop()
    b.append(True)
    assert b.strategy == OBJECT and to_python(b) == [True, False, True]


def test_failed_store_does_not_switch():
    lst = L([1, 2])
    with pytest.raises(IndexError, match="list assignment index out of range"):
        lst[5] = "x"
    assert lst.strategy == INT
    with pytest.raises(TypeError):
        lst[1.0] = "x"
    assert lst.strategy == INT
    with pytest.raises(ValueError):
        lst[::2] = ["a", "b"]
    assert lst.strategy == INT
    e = List()
    with pytest.raises(IndexError):
        e[0] = 1
    assert e.strategy == EMPTY


def test_int_list_stays_int_when_emptied():
    lst = L([1])
    lst.pop()
    check_invariants(lst)
    assert lst.strategy == INT
    lst.append(2.0)
    assert lst.strategy == OBJECT
    b = L([True])
    b.pop()
    check_invariants(b)
    assert b.strategy == BOOL
    b.append(False)
    assert b.strategy == BOOL and to_python(b) == [False]
    b.pop()
    b.append(0)
    assert b.strategy == OBJECT and same(to_python(b), [0])


def test_growth_is_amortized():
    lst = List()
    reallocs = 0
    prev = None
    for i in range(10_000):
        lst.append(i)
        if lst.storage is not prev:
            reallocs += 1
            prev = lst.storage
        assert len(lst.storage) >= max(lst.length, MIN_CAPACITY)
    assert reallocs <= 15
    assert to_python(lst) == list(range(10_000))
    f = List()
    for i in range(100):
        f.append(float(i))
    assert len(f.storage) < 2 * 100 + MIN_CAPACITY
    b = List()
    for i in range(1000):
        b.append(i % 3 == 0)
    assert b.strategy == BOOL and len(b.storage) < 2 * 1000 + MIN_CAPACITY
    assert to_python(b) == [i % 3 == 0 for i in range(1000)]


@pytest.mark.parametrize("fill", [0, 1.5, True])
@pytest.mark.parametrize("extra", [7, 2.5, INT64_MAX + 1, INT64_MIN - 1, True,
                                   False, 1, 0, "s", NAN], ids=repr)
def test_append_at_every_capacity_boundary(fill, extra):
    # Exercises the "storage full" and "value does not fit" paths of append
    # at and around each reallocation point.
    for n in range(0, 40):
        lst = List()
        py = []
        for _ in range(n):
            lst.append(fill)
            py.append(fill)
        s0 = lst.strategy
        lst.append(extra)
        py.append(extra)
        check_invariants(lst)
        assert same(to_python(lst), py)
        assert lst.strategy == after_store(s0, [extra])
        lst[n] = extra
        lst.append(fill)
        py.append(fill)
        assert same(to_python(lst), py)


@pytest.mark.parametrize("v", [INT64_MAX, INT64_MIN, INT64_MAX + 1,
                               INT64_MIN - 1, 2 ** 64, -(2 ** 64)], ids=repr)
def test_int64_boundaries(v):
    lst = L([0, 0])
    lst[1] = v
    assert lst.strategy == kind(v) and lst[1] == v and type(lst[1]) is int
    lst = L([0])
    lst.append(v)
    assert lst.strategy == kind(v) and lst[-1] == v and type(lst[-1]) is int


# ----------------------------------------------------------------------
# reads, floats

def test_reads_are_plain_python_objects():
    lst = L([1, 2, 3])
    assert type(lst[0]) is int and type(lst[-1]) is int
    assert type(lst.pop()) is int and type(lst.pop(0)) is int
    assert all(type(x) is int for x in lst)
    assert all(type(x) is int for x in to_python(lst))
    f = L([1.0, 2.0])
    assert type(f[0]) is float and type(f[-2]) is float
    assert all(type(x) is float for x in f)
    assert type(f.pop()) is float
    assert type(L([1, 2])[True]) is int
    b = L([True, False, True])
    assert b.strategy == BOOL
    assert b[0] is True and b[1] is False and b[-1] is True and b[-2] is False
    assert [x for x in b] == [True, False, True]
    assert all(type(x) is bool for x in b)
    assert all(type(x) is bool for x in to_python(b))
    assert all(type(x) is bool for x in b[::-1])
    assert b.pop() is True and b.pop(0) is True and b.pop() is False


def test_negative_zero_and_special_floats_round_trip():
    vals = [-0.0, 0.0, float("inf"), float("-inf"), 5e-324, -5e-324,
            sys.float_info.max, -sys.float_info.min]
    lst = L(vals)
    assert lst.strategy == FLOAT
    for i, v in enumerate(vals):
        assert same(lst[i], v)
        lst[i] = v
        assert same(lst[i], v)
    assert lst.strategy == FLOAT
    assert same(to_python(lst), vals)
    # bit patterns survive (sign of zero, subnormals)
    bits = [struct.pack("<d", v) for v in vals]
    assert [struct.pack("<d", x) for x in lst] == bits
    assert repr(lst) == repr(vals)


NANS = [NAN, NEG_NAN, PAYLOAD_NAN, float("inf") - float("inf")]


@pytest.mark.parametrize("x", NANS, ids=lambda x: struct.pack("<d", x).hex())
def test_nan_round_trips_boxed(x):
    # A list holding a nan is OBJECT, so the nan object itself (sign,
    # payload, identity) is what is read back.
    vals = [-0.0, 1.5, x, float("inf")]
    lst = L(vals)
    assert lst.strategy == OBJECT
    check_invariants(lst)
    assert lst[2] is x and lst.pop(2) is x
    assert [struct.pack("<d", v) for v in to_python(lst)] == \
        [struct.pack("<d", v) for v in vals if v is not x]
    assert repr(L([x])) == repr([x])


def _nan_stores():
    """Functions ``store(t, x)``, each storing ``x`` into the list ``t`` by
    another path (pytest ids name the path)."""
    def setslice_ext(t, x):
        t[::2] = [x] * len(t[::2])

    def iadd(t, x):
        t += [x]

    stores = [
        ("append", lambda t, x: t.append(x)),
        ("setitem0", lambda t, x: t.__setitem__(0, x)),
        ("setitem-1", lambda t, x: t.__setitem__(-1, x)),
        ("setitem_np_index", lambda t, x: t.__setitem__(np.int64(0), x)),
        ("setitem_bool_index", lambda t, x: t.__setitem__(True, x)),
        ("setslice_list", lambda t, x: t.__setitem__(slice(0, 1), [x])),
        ("setslice_tuple", lambda t, x: t.__setitem__(slice(1, 1), (x,))),
        ("setslice_List", lambda t, x: t.__setitem__(slice(None), L([1.0, x]))),
        ("setslice_ext", setslice_ext),
        ("extend_list", lambda t, x: t.extend([2.0, x])),
        ("extend_tuple", lambda t, x: t.extend((x,))),
        ("extend_set", lambda t, x: t.extend({x})),
        ("extend_dict", lambda t, x: t.extend({x: 1})),
        ("extend_iter", lambda t, x: t.extend(iter([2.0, x]))),
        ("extend_gen", lambda t, x: t.extend(y for y in [x])),
        ("extend_List", lambda t, x: t.extend(L([2.0, x]))),
        ("iadd", iadd),
    ]
    return [pytest.param(store, id=name) for name, store in stores]


@pytest.mark.parametrize("x", NANS, ids=lambda x: struct.pack("<d", x).hex())
@pytest.mark.parametrize("start", [[1.0, 2.5], [1.0] * 100, [1, 2], [],
                                   [True, False], "emptied_float"], ids=repr)
@pytest.mark.parametrize("store", _nan_stores())
def test_storing_nan_switches_to_object(x, start, store):
    if start == "emptied_float":        # FLOAT strategy, length 0
        lst, py = L([1.0]), []
        lst.pop()
        assert lst.strategy == FLOAT and len(lst) == 0
    else:
        lst, py = L(start), list(start)
    s0 = lst.strategy
    a = outcome(store, py, x)
    b = outcome(store, lst, x)
    assert same(a, b), (a, b)
    check_invariants(lst)
    assert same(to_python(lst), py)
    if any(y is x for y in py):          # x was stored
        assert lst.strategy == OBJECT
        assert any(y is x for y in lst)     # the nan object itself is kept
        assert (x in lst) is (x in py) is True
        assert lst.count(x) == py.count(x) >= 1
        assert lst.index(x) == py.index(x)
        assert lst == py and py == lst and lst == L(py)
        assert (fresh(x) in lst) is (fresh(x) in py) is False
    else:                   # raised (index out of range) or stored nothing
        assert lst.strategy == s0


def test_strategy_for_value_and_repeat_box_nan():
    for x in NANS:
        assert strategy_for_value(x) == OBJECT
        r = List.repeat(x, 3)
        assert r.strategy == OBJECT and all(y is x for y in r)
        assert r == [x] * 3 and x in r and r.count(x) == 3
        assert from_python([1.0, x]).strategy == OBJECT
    assert strategy_for_value(1.5) == strategy_for_value(-0.0) == FLOAT
    assert strategy_for_value(float("inf")) == FLOAT
    assert strategy_for_value(np.float64("nan")) == OBJECT
    assert strategy_for_value(1) == INT and strategy_for_value(True) == BOOL
    assert strategy_for_value(False) == BOOL
    assert strategy_for_value(np.bool_(True)) == OBJECT
    assert strategy_for_value(2 ** 64) == OBJECT


def test_nan_identity_matches_cpython():
    # CPython compares list elements with an identity shortcut, so a list
    # holding a nan object equals a list holding the same object, and the
    # object is found in it.  A List holding that object must agree.
    x = float("nan")
    assert ([x] == [x]) is True and (x in [x]) is True
    assert (L([x]) == L([x])) is ([x] == [x]) is True
    assert (L([x]) != L([x])) is ([x] != [x]) is False
    assert (x in L([x])) is (x in [x]) is True
    assert (x not in L([x])) is False
    assert L([x]).count(x) == [x].count(x) == 1
    assert L([1.0, x]).index(x) == [1.0, x].index(x) == 1
    assert (L([x]) == [x]) is ([x] == L([x])) is True
    assert (L([x]) <= L([x])) is ([x] <= [x]) is True
    assert (L([x]) < L([x])) is ([x] < [x]) is False
    assert (L([x]) >= [x]) is True and (L([x]) > [x]) is False
    # a nan stored into an unboxed list keeps its identity as well
    f = L([1.0, 2.0])
    f.append(x)
    assert f == [1.0, 2.0, x] == L([1.0, 2.0, x]) and x in f
    assert f.index(x) == 2 and f.count(x) == 1
    f = L([1.0] * 100)
    f[50] = x
    big = [1.0] * 100
    big[50] = x
    assert f == big and (x in f) is (x in big) is True
    assert f.count(x) == big.count(x) == 1 and f.index(x) == big.index(x)
    # nested in tuples / lists
    assert L([(x,)]) == L([(x,)]) and (x,) in L([(x,)])
    assert from_python([[x]]) == from_python([[x]]) == [[x]]
    # ...and in slices, copies, concatenations and repeats of such a list
    o = L([x, 1.0])
    assert o[:1] == [x] and o.copy() == o and o + o == [x, 1.0, x, 1.0]
    assert o * 2 == [x, 1.0] * 2 and x in o[::-1]

    # Distinct nan objects: CPython compares unequal, and so do Lists.
    y = float("nan")
    assert ([float("nan")] == [float("nan")]) is False
    assert (L([float("nan")]) == L([float("nan")])) is False
    assert (L([x]) == L([y])) is ([x] == [y]) is False
    assert (L([x]) != [y]) is True
    assert (y in L([x])) is (y in [x]) is False
    assert L([x]).count(y) == 0
    with pytest.raises(ValueError):
        L([x]).index(y)
    assert (L([x, y]) == L([x, y])) is True
    assert (L([x, y]) == L([y, x])) is ([x, y] == [y, x]) is False
    assert (L([1.0, x]) < L([1.0, y])) is ([1.0, x] < [1.0, y]) is False
    # A list is always equal to itself.
    f = L([x, y])
    assert f == f and not (f != f) and f <= f and f >= f
    assert not (f < f) and not (f > f)
    # -0.0 == 0.0
    assert L([-0.0]) == L([0.0]) and L([-0.0]) == [0.0]
    assert 0.0 in L([-0.0]) and L([0.0, -0.0]).count(-0.0) == 2


# ----------------------------------------------------------------------
# differential unit tests

SAMPLES = [
    [], [1], [1, 2, 3], [3, 1, 2, 1], [1.5, -0.0, 2.5], [1.0, 1.0],
    [True, False, True], [False], [1, 0, 1], [1.0, 0.0, 1.0],
    [NAN], [1.0, NAN],                  # OBJECT: nan is never unboxed
    [1, "a", None], [True, 1, 1.0], [2 ** 70, -(2 ** 70)], ["b", "a"],
    [[1, 2], [3.0]], [(1, 2), {"k": 1}], [NAN, 1, (NAN,)],
]
# the first OPERANDS samples are also used as second operands / extenders
OPERANDS = SAMPLES[:14]
INDICES = [0, 1, 2, 3, -1, -2, -3, -4, 100, -100, True, False,
           2 ** 63, -(2 ** 63) - 1, 2 ** 100, 1.0, None, "0", np.int64(1)]


def both(items):
    """A Python list and the corresponding List (nested lists converted),
    holding the same element objects."""
    return clone(items), from_python(items)


@pytest.mark.parametrize("items", SAMPLES)
@pytest.mark.parametrize("i", INDICES, ids=repr)
def test_getitem_setitem_delitem_pop(items, i):
    assert_same_outcome(lambda t: t[i], *both(items))
    for v in (7, 7.5, "z", None, True, False, 1, 2 ** 64, NAN, -0.0):
        py, lst = both(items)
        a = assert_same_outcome(lambda t: t.__setitem__(i, v), py, lst)
        assert same(to_python(lst), py)
        check_invariants(lst)
        expected = after_store(from_python(items).strategy,
                               [v] if a[0] == "ok" else [])
        assert lst.strategy == expected
    py, lst = both(items)
    assert_same_outcome(lambda t: t.__delitem__(i), py, lst)
    assert same(to_python(lst), py)
    check_invariants(lst)
    py, lst = both(items)
    assert_same_outcome(lambda t: t.pop(i), py, lst)
    assert same(to_python(lst), py)
    check_invariants(lst)


@pytest.mark.parametrize("items", SAMPLES)
def test_pop_default_len_bool(items):
    py, lst = both(items)
    assert len(py) == len(lst) and bool(py) is bool(lst)
    while True:
        a = assert_same_outcome(lambda t: t.pop(), py, lst)
        check_invariants(lst)
        if a[0] == "raise":
            break
    assert a[1] is IndexError and a[2] == "pop from empty list"
    assert not lst and len(lst) == 0


def test_error_messages():
    cases = [
        (lambda t: t[5], IndexError, "list index out of range"),
        (lambda t: t[1.5], TypeError,
         "list indices must be integers or slices, not float"),
        (lambda t: t.__setitem__(5, 1), IndexError,
         "list assignment index out of range"),
        (lambda t: t.pop(5), IndexError, "pop index out of range"),
        (lambda t: t.pop(1.0), TypeError,
         "'float' object cannot be interpreted as an integer"),
        (lambda t: t * 1.5, TypeError,
         "can't multiply sequence by non-int of type 'float'"),
        (lambda t: 1.5 * t, TypeError,
         "can't multiply sequence by non-int of type 'float'"),
        (lambda t: t + 3, TypeError,
         'can only concatenate list (not "int") to list'),
        (lambda t: hash(t), TypeError, "unhashable type: 'list'"),
        (lambda t: t < 3, TypeError,
         "'<' not supported between instances of 'list' and 'int'"),
        (lambda t: t.index(9), ValueError, "9 is not in list"),
    ]
    for fn, exc, msg in cases:
        for t in ([1, 2], L([1, 2])):
            with pytest.raises(exc) as info:
                fn(t)
            assert str(info.value) == msg
    for t in ([], List()):
        with pytest.raises(IndexError, match="^pop from empty list$"):
            t.pop()


@pytest.mark.parametrize("items", SAMPLES)
@pytest.mark.parametrize("sl", [
    slice(None), slice(1, None), slice(None, -1), slice(None, None, -1),
    slice(None, None, 2), slice(-100, None, -1), slice(100, -100, -2),
    slice(1, 2), slice(5, 1), slice(None, None, 0), slice(1.5, None),
    slice(True, None), slice(-2, None, -1), slice(0, 0),
], ids=repr)
def test_slices(items, sl):
    py, lst = both(items)
    a = assert_same_outcome(lambda t: t[sl], py, lst)
    if a[0] == "ok":
        r = lst[sl]
        check_invariants(r)
        if len(r) and lst.strategy in (INT, FLOAT, BOOL):
            assert r.strategy == lst.strategy
    for vals in ([], [9], [9, 8], [1.5, 2.5], ["q"], [True, 1], [NAN],
                 [2.5, NAN], [True, False], [False], [0, 1], 5):
        py, lst = both(items)
        s0 = lst.strategy
        a = assert_same_outcome(lambda t: t.__setitem__(sl, vals), py, lst)
        assert same(to_python(lst), py)
        check_invariants(lst)
        if a[0] == "ok":
            assert lst.strategy == after_store(s0, py if s0 == EMPTY else vals)
        else:
            assert lst.strategy == s0
    py, lst = both(items)
    s0 = lst.strategy
    assert_same_outcome(lambda t: t.__delitem__(sl), py, lst)
    assert same(to_python(lst), py)
    check_invariants(lst)
    assert lst.strategy == s0


def test_slice_assign_from_list_and_self():
    py, lst = [1, 2, 3], L([1, 2, 3])
    py[1:2] = py
    lst[1:2] = lst
    assert to_python(lst) == py and lst.strategy == INT
    py[::-1] = [7.5] * len(py)
    lst[::-1] = L([7.5] * len(lst))
    assert same(to_python(lst), py) and lst.strategy == OBJECT
    o = L(["a", "b"])
    storage = o.storage
    o[0:1] = L([1, 2])
    assert o.storage is storage and to_python(o) == [1, 2, "b"]


@pytest.mark.parametrize("items", SAMPLES)
@pytest.mark.parametrize("other", OPERANDS)
def test_binary_ops(items, other):
    # ``clone``: both operands hold the same element objects (shared nans
    # are identical); ``fresh``: the right operand holds new float objects.
    for mk in (clone, fresh):
        for op in (
            lambda a, b: a == b, lambda a, b: a != b, lambda a, b: a < b,
            lambda a, b: a <= b, lambda a, b: a > b, lambda a, b: a >= b,
            lambda a, b: a + b,
        ):
            a = outcome(op, clone(items), mk(other))
            b = outcome(op, from_python(items), from_python(mk(other)))
            assert same(a, b), (a, b)
        # comparisons against plain lists too
        for op in (lambda a, b: a == b, lambda a, b: a != b,
                   lambda a, b: a < b, lambda a, b: a >= b,
                   lambda a, b: b == a, lambda a, b: b != a):
            a = outcome(op, clone(items), mk(other))
            b = outcome(op, from_python(items), mk(other))
            assert same(a, b), (a, b)
    lhs, rhs = from_python(items), from_python(other)
    res = lhs + rhs
    check_invariants(res)
    assert res is not lhs and res is not rhs
    if lhs.strategy == rhs.strategy != EMPTY and len(res):
        assert res.strategy == lhs.strategy
    elif len(lhs) and len(rhs):         # no widening: BOOL + INT is OBJECT
        assert res.strategy == OBJECT


@pytest.mark.parametrize("items", SAMPLES)
@pytest.mark.parametrize("n", [-1, 0, 1, 3, True, np.int64(2), 2.0, "2",
                               None, 2 ** 100], ids=repr)
def test_repeat(items, n):
    assert_same_outcome(lambda t: t * n, *both(items))
    assert_same_outcome(lambda t: n * t, *both(items))
    if len(items) == 1:
        a = outcome(lambda: [items[0]] * n)
        b = outcome(lambda: List.repeat(items[0], n))
        assert same(a, b), (a, b)
    r = outcome(lambda: from_python(items) * n)
    if r[0] == "ok":
        res = from_python(items) * n
        check_invariants(res)
        if len(res):
            assert res.strategy == from_python(items).strategy


def test_repeat_strategies_and_sharing():
    assert List.repeat(0, 5).strategy == INT
    assert List.repeat(0.0, 5).strategy == FLOAT
    assert List.repeat(None, 5).strategy == OBJECT
    assert List.repeat(2 ** 64, 2).strategy == OBJECT
    assert List.repeat(0, 0).strategy == EMPTY
    assert List.repeat(-0.0, 2).strategy == FLOAT
    assert List.repeat(True, 5).strategy == BOOL
    assert List.repeat(False, 3) == [False] * 3
    assert all(x is False for x in List.repeat(False, 3))
    assert List.repeat(np.bool_(True), 2).strategy == OBJECT
    assert List.repeat(1, 3).strategy == INT and List.repeat(1, 3)[0] is not True
    nan_rep = List.repeat(NAN, 3)           # nan is never stored unboxed
    assert nan_rep.strategy == OBJECT and all(x is NAN for x in nan_rep)
    assert nan_rep == [NAN] * 3 and NAN in nan_rep
    assert (L([NAN]) * 3).strategy == OBJECT and L([NAN]) * 2 == [NAN, NAN]
    inner = L([1])
    outer = List.repeat(inner, 3)
    assert all(x is inner for x in outer)
    with pytest.raises(OverflowError):
        List.repeat(1, 2 ** 100)
    with pytest.raises(MemoryError):
        L([1, 2]) * (sys.maxsize // 2 + 1)
    # numpy's own MemoryError subclass ("Unable to allocate ...") becomes
    # CPython's bare MemoryError (for one-byte bools m * n <= maxsize passes
    # the size check and reaches the allocation)
    for v in (0, 0.0, True):
        for make in (lambda: List.repeat(v, 2 ** 59),
                     lambda: L([v]) * 2 ** 59, lambda: L([v]) * sys.maxsize,
                     lambda: List.repeat(v, sys.maxsize)):
            with pytest.raises(MemoryError) as info:
                make()
            assert info.type is MemoryError and str(info.value) == ""


def imul(t, n):
    """``t *= n``; returns what the name ``t`` is bound to afterwards."""
    t *= n
    return t


@pytest.mark.parametrize("items", SAMPLES)
@pytest.mark.parametrize("n", [
    -1, 0, 1, 3, True, False, np.int64(2), 2.0, "2", None, [2], 2 ** 100,
    -(2 ** 100), sys.maxsize, sys.maxsize // 2 + 1,
], ids=repr)
def test_imul(items, n):
    py, lst = both(items)
    s0, storage0 = lst.strategy, lst.storage
    a = outcome(imul, py, n)
    b = outcome(imul, lst, n)
    assert same(a, b), (a, b)
    # In place: ``imul`` rebound only its own name, yet ``lst`` (an alias)
    # sees the result -- or the unchanged list after an error.
    assert same(to_python(lst), py)
    check_invariants(lst)
    # nothing new is stored: the strategy never changes (an unboxed list
    # keeps its strategy when emptied), OBJECT storage is mutated in place
    assert lst.strategy == s0
    if s0 == OBJECT:
        assert lst.storage is storage0
    if a[0] == "raise":
        assert same(py, items) and lst.storage is storage0
    else:
        assert imul(lst, 1) is lst
        if s0 == OBJECT:    # elements are repeated by reference, as in CPython
            m = len(items)
            assert [x is lst[i % m] for i, x in enumerate(lst)] == \
                [x is py[i % m] for i, x in enumerate(py)]


def test_imul_in_place_aliases_and_iterators():
    for items in ([1, 2], [1.5, -0.0], ["a", None], [1.0, NAN], [], [7],
                  [True, False]):
        for n in (3, 1, 0, -2):
            py, lst = clone(items), L(items)
            s0 = lst.strategy
            holder_py, holder = [py, py], L([lst, lst])
            it_py, it = iter(py), iter(lst)
            assert same(next(it, "end"), next(it_py, "end"))
            alias_py, alias = py, lst
            alias_py *= n
            alias *= n
            assert alias is lst and alias_py is py
            check_invariants(lst)
            assert lst.strategy == s0
            assert same(to_python(lst), py)
            assert holder[0] is lst and holder[1] is lst
            assert same(to_python(holder), holder_py)
            # a live iterator sees the new length, like CPython's
            assert same(list(it), list(it_py))
            # the list is still fully usable afterwards
            for t in (py, lst):
                t.append(4)
                t *= 2
            check_invariants(lst)
            assert same(to_python(lst), py)


def test_imul_strategies_and_sharing():
    for n in (0, -1, False, -(2 ** 62)):
        for items, s in (([1, 2], INT), ([1.5], FLOAT), ([True], BOOL)):
            lst = L(items)
            lst *= n
            check_invariants(lst)
            assert lst.strategy == s and len(lst) == 0 and lst == []
            lst.append(items[0])
            assert lst.strategy == s and to_python(lst) == items[:1]
        o = L(["a", 1])
        storage = o.storage
        o *= n
        assert o.strategy == OBJECT and o.storage is storage and storage == []
        e = List()
        e *= n
        assert e.strategy == EMPTY and e.storage is None
    e = List()
    e *= 5
    assert e.strategy == EMPTY and len(e) == 0
    lst = L([1, 2])
    lst *= 3
    assert lst.strategy == INT and to_python(lst) == [1, 2] * 3
    f = L([1.5, -0.0])
    f *= 2
    assert f.strategy == FLOAT
    assert [struct.pack("<d", x) for x in f] == \
        [struct.pack("<d", x) for x in [1.5, -0.0] * 2]
    # OBJECT: the same objects, repeated by reference
    inner = L([1])
    o = L([inner, "s"])
    o *= 3
    assert o.strategy == OBJECT and all(o[i] is inner for i in (0, 2, 4))
    # nan stays boxed and keeps its identity
    x = float("nan")
    py, o = [1.0, x], L([1.0, x])
    py *= 2
    o *= 2
    assert o.strategy == OBJECT and o[1] is x and o[3] is x
    assert o == py and (x in o) is (x in py) is True
    assert o.count(x) == py.count(x) == 2 and o.index(x) == py.index(x) == 1
    # a list containing itself
    py, lst = [1], L([1])
    py.append(py)
    lst.append(lst)
    py *= 2
    lst *= 2
    assert repr(lst) == repr(py) == "[1, [...], 1, [...]]"
    assert lst[1] is lst and lst[3] is lst
    # ``k *= lst`` with an int on the left is a new list (no in-place repeat)
    k, lst = 2, L([1.5])
    k *= lst
    assert type(k) is List and k is not lst and to_python(k) == [1.5, 1.5]
    assert to_python(lst) == [1.5]


@pytest.mark.parametrize("items", [[1, 2], [1.5, 2.5], ["a", "b"], [NAN, 1],
                                   [7], [7.5], [None], [], [True, False]],
                         ids=repr)
@pytest.mark.parametrize("n, exc", [
    (sys.maxsize // 2 + 1, MemoryError), (sys.maxsize, MemoryError),
    (2 ** 100, OverflowError), (-(2 ** 100), OverflowError),
    (1.5, TypeError), ("2", TypeError), (None, TypeError), ([2], TypeError),
], ids=repr)
def test_imul_errors_leave_list_unchanged(items, n, exc):
    py, lst = clone(items), L(items)
    s0, storage0 = lst.strategy, lst.storage
    alias = lst
    a = outcome(imul, py, n)
    b = outcome(imul, lst, n)
    assert same(a, b), (a, b)
    if items or exc is not MemoryError:     # [] * huge is just []
        assert a[:2] == ("raise", exc)
        assert b[1] is exc                  # exactly, not a subclass
    assert alias is lst and lst.strategy == s0 and lst.storage is storage0
    assert same(to_python(lst), py) and same(py, items)
    lst2 = L(items)
    with pytest.raises(TypeError,
                       match="^can't multiply sequence by non-int of type 'list'$"):
        lst2 *= lst2


@pytest.mark.parametrize("items", SAMPLES)
@pytest.mark.parametrize("v", [1, 1.0, 1.5, -0.0, 0, True, False, 2, "a", None,
                               2 ** 70, NAN, [1, 2], (1, 2), INT64_MAX + 1],
                         ids=repr)
def test_contains_count_index(items, v):
    # mk(v) is v itself (may be identical to an element, e.g. NAN) or a
    # fresh equal object (never identical to an element).
    py, lst = both(items)
    for mk in (fresh, lambda x: x):
        for fn in (lambda t: mk(v) in t, lambda t: mk(v) not in t,
                   lambda t: t.count(mk(v)), lambda t: t.index(mk(v)),
                   lambda t: t.index(mk(v), 1),
                   lambda t: t.index(mk(v), -2, 10)):
            a = outcome(fn, py)
            b = outcome(fn, lst)
            assert same(a, b), (a, b)


@pytest.mark.parametrize("items, strategy", [
    (list(range(200)), INT),
    ([float(i) for i in range(200)] + [-0.0, float("inf")], FLOAT),
    ([float(i) for i in range(200)] + [-0.0, NAN], OBJECT),
    ([i % 7 for i in range(300)], INT),
    ([0.5] * 100, FLOAT),
    ([0.5] * 100 + [NAN] + [0.5] * 100, OBJECT),
    ([i % 3 == 0 for i in range(200)], BOOL),
    ([True] * 100, BOOL),
    ([False] * 100, BOOL),
    ([False] * 100 + [True], BOOL),
], ids=["int200", "float200", "float200nan", "mod7", "float_rep",
        "float_rep_nan", "bool200", "all_true", "all_false", "last_true"])
@pytest.mark.parametrize("v", [0, 1, 3, 199, 1000, 0.0, 1.0, 3.0, -0.0, 0.5,
                               NAN, True, False, INT64_MAX + 1, "a",
                               float("inf")], ids=repr)
def test_large_lists_vectorised_paths(items, strategy, v):
    py, lst = both(items)
    assert lst.strategy == strategy
    for mk in (fresh, lambda x: x):
        for fn in (lambda t: mk(v) in t, lambda t: t.count(mk(v)),
                   lambda t: t.index(mk(v))):
            assert same(outcome(fn, py), outcome(fn, lst))
    # other list: same element objects (clone) or new float objects (fresh)
    for mk in (clone, fresh):
        other_py = mk(items)
        other = from_python(mk(items))
        assert (lst == other) == (py == other_py)
        assert (lst == other_py) == (py == other_py)
        other_py[-1] = v
        other[-1] = v
        check_invariants(other)
        assert (lst == other) == (py == other_py)
        assert (lst != other) == (py != other_py)
        assert (other == lst) == (other_py == py)


@pytest.mark.parametrize("items", SAMPLES)
def test_repr_str(items):
    py, lst = both(items)
    assert repr(lst) == repr(py)
    assert str(lst) == str(py)
    assert f"{lst}" == f"{py}"


def test_recursive_repr():
    py = [1, 2]
    py.append(py)
    lst = L([1, 2])
    lst.append(lst)
    assert repr(lst) == repr(py) == "[1, 2, [...]]"
    py2 = [py, py]
    lst2 = L([lst, lst])
    assert repr(lst2) == repr(py2)
    a, b = [], []
    a.append(b)
    b.append(a)
    la, lb = List(), List()
    la.append(lb)
    lb.append(la)
    assert repr(la) == repr(a)


def test_nested_eq_and_to_python():
    lst = from_python([[1, [2.0, "x"]], (3, [4]), {"k": [5]}])
    assert lst.strategy == OBJECT
    assert lst[0].strategy == OBJECT and lst[0][1].strategy == OBJECT
    assert type(lst[1]) is tuple and type(lst[1][1]) is List
    assert lst[1][1].strategy == INT
    assert type(lst[2]["k"]) is List
    expected = [[1, [2.0, "x"]], (3, [4]), {"k": [5]}]
    assert lst == expected
    assert lst.to_python() == expected
    assert same(lst.to_python(), expected)
    assert to_python((L([1]), {1: L([2.0])})) == ([1], {1: [2.0]})
    assert to_python(5) == 5 and to_python("s") == "s"
    assert from_python(5) == 5
    already = L([1])
    assert from_python(already) is already


def test_conversion_preserves_sharing_and_cycles():
    inner = [1, 2]
    py = [inner, inner]
    lst = from_python(py)
    assert lst[0] is lst[1]
    back = to_python(lst)
    assert back[0] is back[1] and back == py
    cyc = [1]
    cyc.append(cyc)
    lc = from_python(cyc)
    assert lc[1] is lc and lc.strategy == OBJECT
    pc = to_python(lc)
    assert pc[1] is pc and pc[0] == 1


def test_eq_other_types():
    lst = L([1, 2])
    assert (lst == 3) is False and (lst != 3) is True
    assert (lst == (1, 2)) is False
    assert lst.__eq__(3) is NotImplemented
    assert lst == [1, 2] and [1, 2] == lst and not (lst != [1, 2])
    assert L([1]) == L([1.0]) == L([True])
    assert L([True]) == L([1]) and L([1]) == L([True]) and L([True]) == [1]
    assert L([False, True]) == L([0.0, 1.0]) and L([True]) != L([2])
    assert L([2 ** 53 + 1]) != L([float(2 ** 53 + 1)])
    assert [2 ** 53 + 1] != [float(2 ** 53 + 1)]


# ----------------------------------------------------------------------
# BOOL strategy

def test_bool_comparisons_with_other_strategies():
    b = L([True])
    assert b.strategy == BOOL
    for other in ([1], [1.0], [True]):
        assert (b == L(other)) is ([True] == other) is True
        assert (L(other) == b) is True and (b != L(other)) is False
        assert (b == other) is True and (other == b) is True
    assert (L([True, False]) == L([1, 0])) is True
    assert (L([True, False]) == L([1.0, -0.0])) is True
    assert (L([True, False]) == L([1, 2])) is ([True, False] == [1, 2]) is False
    assert (L([True]) == L(["True"])) is False
    assert (L([False]) < L([0.5])) is ([False] < [0.5]) is True
    assert (L([True]) < L([0.5])) is ([True] < [0.5]) is False
    assert (L([False]) < L([True])) is True and (L([True]) > L([False])) is True
    assert (L([True]) <= L([1])) is True and (L([True]) < L([1])) is False
    assert (L([True, False]) < L([1, 1])) is True
    assert (L([1, 0]) >= L([True, False])) is True
    assert (L([True]) < L([2])) is True and (L([2]) > L([True])) is True
    assert (L([False]) < [0.5]) is True and ([0.5] > L([False])) is True
    with pytest.raises(TypeError, match="'<' not supported between instances "
                                        "of 'bool' and 'str'"):
        L([True]) < L(["a"])
    for big in (False, True):           # the vectorised paths too
        n = 100 if big else 3
        t = L([True] * n)
        assert (1 in t) is (1.0 in t) is (True in t) is True
        assert (0 in t) is (0.0 in t) is (-0.0 in t) is (False in t) is False
        assert (2 in t) is (0.5 in t) is (NAN in t) is ("1" in t) is False
        assert (2 ** 70 in t) is (None in t) is False
        assert t.count(1) == t.count(1.0) == t.count(True) == n
        assert t.count(0) == t.count(False) == t.count(2) == 0
        assert t.index(1) == t.index(1.0) == 0
        t[1] = False
        assert t.strategy == BOOL
        assert (0 in t) is (-0.0 in t) is True
        assert t.count(0) == t.count(0.0) == t.count(False) == 1
        assert t.count(1) == n - 1 and t.index(0.0) == t.index(False) == 1
        assert (np.bool_(False) in t) is True and t.count(np.bool_(True)) == n - 1
        with pytest.raises(ValueError, match="^2 is not in list$"):
            t.index(2)
        assert t == [True, False] + [True] * (n - 2)
        assert t == L([1, 0] + [1] * (n - 2))
        assert t != L([True] * n) and t == L([True, False] + [True] * (n - 2))
    assert L([True, False]) == [True, False] and repr(L([True, False])) == \
        "[True, False]" and str(L([False])) == "[False]"


def test_bool_no_widening_and_exact_types():
    # INT never accepts a bool and BOOL never accepts an int (0 and 1 are
    # not bools), whatever the store path; elements keep their exact types.
    def stores():
        yield "append", lambda t, x: t.append(x)
        yield "setitem", lambda t, x: t.__setitem__(0, x)
        yield "setitem_neg", lambda t, x: t.__setitem__(-1, x)
        yield "setslice", lambda t, x: t.__setitem__(slice(0, 1), [x])
        yield "setslice_List", lambda t, x: t.__setitem__(slice(1, None), L([x]))
        yield "extend_list", lambda t, x: t.extend([x])
        yield "extend_List", lambda t, x: t.extend(L([x, x]))
        yield "extend_gen", lambda t, x: t.extend(y for y in [x])
        yield "iadd", lambda t, x: t.__iadd__(L([x]))
    cases = [([1, 0], True), ([1, 0], False), ([True, False], 1),
             ([True, False], 0), ([True], 1.0), ([0.0], False),
             ([True], np.bool_(True)), ([1] * 100, True), ([True] * 100, 0)]
    for start, x in cases:
        for name, store in stores():
            py, lst = list(start), L(start)
            s0 = lst.strategy
            store(py, x)
            store(lst, x)
            check_invariants(lst)
            assert lst.strategy == OBJECT, (start, x, name)
            assert same(to_python(lst), py), (start, x, name)
            assert [type(y) for y in lst] == [type(y) for y in py]
            assert after_store(s0, [x]) == OBJECT
    # concatenation: a common strategy is kept, otherwise OBJECT
    r = L([True]) + L([2])
    assert r.strategy == OBJECT and same(to_python(r), [True, 2])
    r = L([2]) + L([False])
    assert r.strategy == OBJECT and same(to_python(r), [2, False])
    r = L([True]) + L([1.5])
    assert r.strategy == OBJECT and same(to_python(r), [True, 1.5])
    r = L([True]) + L([False, True])
    assert r.strategy == BOOL and same(to_python(r), [True, False, True])
    r = L([True]) + List()
    assert r.strategy == BOOL and same(to_python(r), [True])
    r = List() + L([False])
    assert r.strategy == BOOL and same(to_python(r), [False])
    # stores of bools into a BOOL list keep it BOOL, on every path
    for name, store in stores():
        lst = L([True, False, True])
        store(lst, False)
        assert lst.strategy == BOOL, name
        assert all(type(y) is bool for y in lst)


def test_bool_list_operations():
    py, b = [True, False, False, True], L([True, False, False, True])
    assert b.strategy == BOOL
    for fn in (lambda t: t[1:3], lambda t: t[::-1], lambda t: t * 3,
               lambda t: 2 * t, lambda t: t + t, lambda t: t.copy(),
               lambda t: copy.copy(t), lambda t: t[::2]):
        r = fn(b)
        assert r.strategy == BOOL and same(to_python(r), fn(py))
        check_invariants(r)
    assert (b * 0).strategy == EMPTY and b[2:2].strategy == EMPTY
    assert List.from_iterable(b).strategy == BOOL
    assert from_python([[True], (False, [False])])[0].strategy == BOOL
    assert same(to_python(from_python([[True], (False, [False])])),
                [[True], (False, [False])])
    assert sorted(b) == sorted(py) and sum(b) == 2 and type(sum(b)) is int
    assert list(reversed(b)) == py[::-1] and max(b) is True
    for t in (py, b):
        t += [True]
        t *= 2
        del t[0]
        del t[::3]
        t[1:3] = [False, False, False]
        t.extend((True,))
    assert b.strategy == BOOL and same(to_python(b), py)
    it = iter(b)
    assert type(it) is ListIterator and next(it) is py[0]
    # a sieve
    n = 100
    flags = List.repeat(True, n)
    flags[0] = flags[1] = False
    for i in range(2, 10):
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
    assert flags.strategy == BOOL
    assert [k for k in range(n) if flags[k]][:6] == [2, 3, 5, 7, 11, 13]
    assert flags.count(True) == 25


def test_unhashable():
    with pytest.raises(TypeError, match="unhashable type: 'list'"):
        hash(List())
    with pytest.raises(TypeError):
        {L([1]): 1}
    assert List.__hash__ is None


def test_copy():
    for items in SAMPLES:
        py, lst = both(items)
        c = lst.copy()
        check_invariants(c)
        assert c is not lst and same(to_python(c), py)
        if len(c):
            assert c.strategy == lst.strategy
            c[0] = "changed"
            assert same(to_python(lst), py)
        c2 = copy.copy(lst)
        assert c2 is not lst and same(to_python(c2), py)
        c3 = copy.deepcopy(lst)
        assert same(to_python(c3), py)


# ----------------------------------------------------------------------
# iteration

def test_iteration_sees_appends_like_cpython():
    for start in ([1, 2], [1.0], ["a"], [], [True, False]):
        for extra in (5, 5.0, "s", False):
            py, lst = list(start), L(start)
            seen_py, seen_l = [], []
            for x in py:
                seen_py.append(x)
                if len(py) < 6:
                    py.append(extra)
            for x in lst:
                seen_l.append(x)
                if len(lst) < 6:
                    lst.append(extra)
            assert same(seen_l, seen_py)
            assert same(to_python(lst), py)


def test_iterator_exhaustion_is_final():
    for t in ([1], L([1]), L([1.0]), L(["a"]), L([False])):
        it = iter(t)
        assert next(it) is not None
        with pytest.raises(StopIteration):
            next(it)
        t.append(t[0])
        with pytest.raises(StopIteration):
            next(it)


def test_iterator_during_pop_and_switch():
    lst = L([1, 2, 3, 4])
    out = []
    for x in lst:
        out.append(x)
        if x == 2:
            lst.append("tail")
        if x == 3:
            lst.pop(0)
    py = [1, 2, 3, 4]
    out_py = []
    for x in py:
        out_py.append(x)
        if x == 2:
            py.append("tail")
        if x == 3:
            py.pop(0)
    assert out == out_py and to_python(lst) == py


def test_iterator_type_and_helpers():
    lst = L([1, 2, 3])
    it = iter(lst)
    assert type(it) is ListIterator and iter(it) is it
    assert it.lst is lst and it.index == 0
    assert it.__length_hint__() == 3
    next(it)
    assert it.__length_hint__() == 2
    assert list(reversed(lst)) == [3, 2, 1]
    assert sorted(L([3, 1, 2])) == [1, 2, 3]
    assert sum(L([1.5, 2.5])) == 4.0
    assert list(it) == [2, 3] and it.lst is None


def test_extend_and_iadd():
    for a in SAMPLES:
        for b in OPERANDS:
            for conv in (list, tuple, iter, from_python, set, dict.fromkeys,
                         lambda x: (y for y in x)):
                try:
                    expected_items = to_python(list(conv(b)))
                except TypeError:           # unhashable elements
                    continue
                py, lst = both(a)
                s0 = lst.strategy
                py.extend(clone(expected_items))
                lst.extend(conv(b))         # a fresh iterable of the same kind
                check_invariants(lst)
                assert same(to_python(lst), py)
                assert lst.strategy == after_store(s0, expected_items)
    py, lst = [1, 2], L([1, 2])
    alias = lst
    lst += L([3])
    assert lst is alias and to_python(lst) == [1, 2, 3]
    lst += (4.5,)
    assert lst.strategy == OBJECT
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        lst += 3
    lst = L([1, 2])
    lst.extend(lst)
    assert to_python(lst) == [1, 2, 1, 2]
    lst.extend(range(3))
    assert lst.strategy == INT and to_python(lst) == [1, 2, 1, 2, 0, 1, 2]
    lst.extend("ab")
    assert lst.strategy == OBJECT and to_python(lst)[-2:] == ["a", "b"]

    def gen():
        yield 1
        yield 2
        raise RuntimeError("boom")
    py, lst = [0], L([0])
    for t in (py, lst):
        with pytest.raises(RuntimeError):
            t.extend(gen())
    assert to_python(lst) == py == [0, 1, 2]


# ----------------------------------------------------------------------
# hypothesis: random operation sequences vs. a Python list

ints = st.one_of(st.integers(-5, 5), st.integers(INT64_MIN, INT64_MAX),
                 st.sampled_from([INT64_MIN, INT64_MAX]))
big_ints = st.one_of(st.integers(min_value=INT64_MAX + 1),
                     st.integers(max_value=INT64_MIN - 1),
                     st.sampled_from([INT64_MAX + 1, INT64_MIN - 1, 2 ** 64]))
floats_no_nan = st.one_of(st.floats(allow_nan=False, allow_infinity=True),
                          st.sampled_from([0.0, -0.0, float("inf")]))
# NAN / NEG_NAN are fixed objects: drawing one of them twice gives the very
# same object, so identity shortcuts are exercised as well.
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, NAN, NEG_NAN, float("inf")]))
bools = st.booleans()
# bools mixed with ints equal to them (0, 1) and not (-1, 2): a BOOL list
# must switch to OBJECT on the first int, an INT list on the first bool
bools_ints = st.one_of(bools, st.integers(-1, 2))
others = st.one_of(st.none(), st.text(max_size=3))
any_value = st.one_of(ints, big_ints, floats, bools, others)


@st.composite
def values_for_run(draw):
    # Most runs use one kind of value so unboxed lists live long; any kind
    # of value is stored only by the dedicated "append_any"/"setitem_any"
    # operations (so the switch to OBJECT happens at a random point).
    # ``floats`` includes nan, which also switches a FLOAT list to OBJECT.
    return draw(st.sampled_from([ints, floats_no_nan, floats, bools,
                                 bools_ints, any_value]))


indices = st.one_of(
    st.integers(-12, 12),
    st.sampled_from([2 ** 63, -(2 ** 63) - 1, 2 ** 100, True, False, 1.0,
                     None]),
)
small_ints = st.integers(-12, 12)
slices = st.builds(slice, st.none() | small_ints, st.none() | small_ints,
                   st.none() | st.integers(-3, 3))


@st.composite
def operations(draw):
    values = draw(values_for_run())
    op = st.one_of(
        st.tuples(st.just("append"), values),
        st.tuples(st.just("append"), values),
        st.tuples(st.just("append"), values),
        st.tuples(st.just("append_any"), any_value),
        st.tuples(st.just("setitem"), indices, values),
        st.tuples(st.just("setitem_any"), indices, any_value),
        st.tuples(st.just("getitem"), indices),
        st.tuples(st.just("pop")),
        st.tuples(st.just("pop_i"), indices),
        st.tuples(st.just("delitem"), indices),
        st.tuples(st.just("contains"), values),
        st.tuples(st.just("count"), values),
        st.tuples(st.just("index"), values),
        st.tuples(st.just("contains_same"), values),
        st.tuples(st.just("count_same"), values),
        st.tuples(st.just("index_same"), values),
        st.tuples(st.just("getslice"), slices),
        st.tuples(st.just("setslice"), slices,
                  st.lists(values, max_size=4)),
        st.tuples(st.just("extend"), st.lists(values, max_size=4)),
        st.tuples(st.just("eq"), st.lists(values, max_size=3)),
        st.tuples(st.just("lt"), st.lists(values, max_size=3)),
        st.tuples(st.just("add"), st.lists(values, max_size=3)),
        st.tuples(st.just("mul"), st.integers(-1, 3)),
        st.tuples(st.just("imul"), st.one_of(
            st.integers(-1, 3),
            st.sampled_from([True, False, 1.5, None, 2 ** 100]))),
        st.tuples(st.just("iter")),
        st.tuples(st.just("repr")),
        st.tuples(st.just("len")),
    )
    return draw(st.lists(op, max_size=80))


def apply_op(t, op, wrap):
    """Apply op to t (a list or a List); ``wrap`` builds an operand of the
    same kind from a Python list."""
    name = op[0]
    if name in ("append", "append_any"):
        return t.append(op[1])
    if name in ("setitem", "setitem_any"):
        t[op[1]] = op[2]
        return None
    if name == "getitem":
        return t[op[1]]
    if name == "pop":
        return t.pop()
    if name == "pop_i":
        return t.pop(op[1])
    if name == "delitem":
        del t[op[1]]
        return None
    # "contains"/"count"/"index" look for a new float object; the "_same"
    # variants for the drawn object itself, which may be identical to an
    # element (both lists hold the same element objects).
    if name == "contains":
        return fresh(op[1]) in t
    if name == "count":
        return t.count(fresh(op[1]))
    if name == "index":
        return t.index(fresh(op[1]))
    if name == "contains_same":
        return (op[1] in t, op[1] not in t)
    if name == "count_same":
        return t.count(op[1])
    if name == "index_same":
        return t.index(op[1])
    if name == "getslice":
        return t[op[1]]
    if name == "setslice":
        t[op[1]] = wrap(op[2])
        return None
    if name == "extend":
        return t.extend(wrap(op[1]))
    if name == "eq":
        return (t == wrap(fresh(op[1])), t == wrap(fresh(to_python(t))),
                t != wrap(fresh(op[1])), t == t,
                # same element objects: CPython's identity shortcut applies
                t == wrap(op[1]), t == wrap(list(t)), t != wrap(list(t)),
                t == list(t), list(t) == t)
    if name == "lt":
        return (t < wrap(fresh(op[1])), t >= wrap(fresh(op[1])),
                t < wrap(list(t)), t <= wrap(list(t)), t > list(t))
    if name == "add":
        return t + wrap(op[1])
    if name == "mul":
        return t * op[1]
    if name == "imul":
        n = op[1]
        if type(n) is int and len(t) > 64:
            n = min(n, 1)           # keep the lists small
        alias = t
        t *= n
        return (t is alias, len(alias))
    if name == "iter":
        return [x for x in t]
    if name == "repr":
        return repr(t)
    if name == "len":
        return (len(t), bool(t))
    raise AssertionError(name)


def stored_values(op):
    """Values an op stores (if it succeeds), for the strategy model."""
    name = op[0]
    if name in ("append", "append_any"):
        return [op[1]]
    if name in ("setitem", "setitem_any"):
        return [op[2]]
    if name in ("setslice", "extend"):
        return op[-1]
    return []               # (imul repeats elements but stores no new value)


def run_differential(initial, ops):
    py = list(initial)
    lst = List.from_iterable(initial)
    expected = tightest(initial)
    assert lst.strategy == expected
    for op in ops:
        before = list(py)
        a = outcome(apply_op, py, op, list)
        b = outcome(apply_op, lst, op, List.from_iterable)
        assert same(a, b), (op, a, b)
        assert same(to_python(lst), py), (op, lst, py)
        check_invariants(lst)
        if a[0] == "ok":
            vals = stored_values(op)
            if op[0] == "setslice" and expected == EMPTY:
                vals = py
            expected = after_store(expected, vals)
            if op[0] in ("getslice", "add", "mul"):
                res = apply_op(List.from_iterable(before), op,
                               List.from_iterable)
                check_invariants(res)
        assert lst.strategy == expected, (op, STRATEGY_NAMES[lst.strategy],
                                          STRATEGY_NAMES[expected])


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_operation_sequences(data):
    values = data.draw(values_for_run())
    initial = data.draw(st.lists(values, max_size=12))
    ops = data.draw(operations())
    run_differential(initial, ops)


@settings(max_examples=300, deadline=None)
@given(st.lists(any_value, max_size=20))
def test_from_iterable_property(items):
    lst = List.from_iterable(items)
    check_invariants(lst)
    assert lst.strategy == tightest(items)
    assert same(to_python(lst), items)
    assert repr(lst) == repr(items)
    assert same([lst[i] for i in range(len(items))], items)
    assert same([lst[-i] for i in range(1, len(items) + 1)],
                [items[-i] for i in range(1, len(items) + 1)])
    assert same(from_python(items).to_python(), items)
    # the List holds the same objects as ``items`` wherever identity can
    # matter (nan is boxed), so CPython's identity shortcut gives equal results
    assert lst == items and items == lst and not (lst != items)
    assert lst == List.from_iterable(items) and lst <= items
    for x in items:
        assert x in lst
        assert lst.count(x) == items.count(x)
        assert lst.index(x) == items.index(x)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([ints, floats_no_nan, bools]), st.data(),
       st.one_of(any_value, st.sampled_from([NAN, NEG_NAN])),
       st.integers(0, 40), st.booleans())
def test_first_mismatch_switches_exactly_once(homog, data, value, pos, via_set):
    items = data.draw(st.lists(homog, min_size=1, max_size=30))
    lst = List.from_iterable(items)
    s0 = tightest(items)
    assert lst.strategy == s0 != OBJECT
    # stores that fit never switch
    for x in data.draw(st.lists(homog, max_size=10)):
        lst.append(x)
        lst[pos % len(lst)] = x
        assert lst.strategy == s0
    # the first mismatching store switches, exactly then (a nan never fits)
    if via_set:
        at = pos % len(lst)
        lst[at] = value
    else:
        at = len(lst)
        lst.append(value)
    expected = after_store(s0, [value])
    assert lst.strategy == expected
    if type(value) is float and math.isnan(value):
        assert expected == OBJECT
    check_invariants(lst)
    if expected == OBJECT:
        assert all(type(x) in (int, float, bool) or x is value
                   for x in lst.storage)
        assert lst[at] is value
        assert value in lst and lst.index(value) <= at
    # ... and an OBJECT list never switches back, whatever is stored
    for x in data.draw(st.lists(homog, max_size=10)):
        lst.append(x)
        lst[pos % len(lst)] = x
        del lst[0]
        assert lst.strategy == expected
