"""PyPy-style storage-strategy lists for the guest interpreter.

Every list value of the guest program is an instance of :class:`List`.  A
``List`` stores its elements according to a *storage strategy*, chosen so
that homogeneous lists of machine numbers or of bools are kept unboxed in a
numpy array
(which the tracing JIT can read and write directly), while everything else
falls back to an ordinary Python list.

Strategies (module-level ints; ``STRATEGY_NAMES[s]`` is a readable name)::

    EMPTY  = 0   no element has ever been stored; the first store picks one
    INT    = 1   every element is an exact ``int`` (``type(x) is int``, so
                 never a ``bool``) with ``INT64_MIN <= x <= INT64_MAX``
    FLOAT  = 2   every element is an exact ``float`` (``type(x) is float``)
    OBJECT = 3   anything (plain Python list of the element objects)
    BOOL   = 4   every element is ``True`` or ``False`` (``type(x) is bool``;
                 the ints 0 and 1 are not bools and are never stored here)

INT, FLOAT and BOOL are the *unboxed* strategies (``_DTYPES[s]`` is their
numpy dtype; None for EMPTY and OBJECT).  ``bool`` is a subclass of ``int``,
so every type test here is exact (``type(x) is int``, never ``isinstance``):
an INT list never holds a bool and a BOOL list never holds an int.

Invariants (the JIT reads these three attributes directly -- they are the
whole state of a ``List``; ``__slots__ == ("strategy", "storage", "length")``):

* ``strategy`` is one of ``EMPTY``, ``INT``, ``FLOAT``, ``OBJECT``, ``BOOL``.
* ``length`` is the number of elements, an ``int >= 0``.
* The elements are ``storage[0:length]``.  Slots ``storage[length:]`` of an
  unboxed array are unused capacity with unspecified contents.
* ``EMPTY``:  ``length == 0`` and ``storage is None``.
* ``INT``:    ``storage`` is a 1-d, C-contiguous ``numpy.ndarray`` of dtype
  ``int64`` with ``len(storage) >= length`` (the capacity).
* ``FLOAT``:  same with dtype ``float64``.  The bit pattern of every stored
  float is preserved (``-0.0``, infinities); nan is never stored here.
* ``BOOL``:   same with dtype ``bool_`` (one byte per element, 0 or 1).
* ``OBJECT``: ``storage`` is a plain Python ``list`` and
  ``len(storage) == length``.  Operations on an OBJECT list mutate that list
  object in place; it is never replaced by another list object.
* ``INT``/``FLOAT``/``BOOL`` lists may have ``length == 0`` (e.g. after
  ``pop``); they keep their strategy.
* Strategy transitions happen only on a *successful store* (append,
  setitem, slice assignment, extend/``+=``) and only in these directions:
  ``EMPTY -> INT | FLOAT | BOOL | OBJECT`` (picked by the first stored
  value(s): BOOL when they are all exact bools) and
  ``INT | FLOAT | BOOL -> OBJECT`` (the first time a value that does not fit
  is stored -- for BOOL anything that is not exactly a bool, including the
  ints 0 and 1; the existing elements are converted to plain Python
  ``int`` / ``float`` / ``bool``).  An OBJECT list never switches back; an
  unboxed strategy never becomes another unboxed one (no widening of BOOL
  to INT or INT to FLOAT: elements keep their exact types).  A store that
  raises (e.g. index out of range) never changes the strategy.
* Unboxed capacity grows geometrically (doubling, minimum ``MIN_CAPACITY``),
  so ``append`` is amortized O(1).
* Reads (indexing, iteration, ``pop``, ``to_python``...) always return plain
  Python objects (``int``/``float``/``bool``), never numpy scalars.

Newly created lists: ``List.from_iterable`` / ``from_python`` pick the
tightest strategy (EMPTY when there are no elements).  Lists derived from one
list (``copy``, slicing, ``*``) keep the source strategy (EMPTY if the
result is empty); ``a + b`` keeps a common strategy, takes the other
operand's strategy if one operand is empty, and is OBJECT otherwise (a BOOL
list plus an INT list is OBJECT: ``[True] + [2]`` is ``[True, 2]``).

Semantics follow CPython's ``list`` including exception types and messages.
To get CPython's messages for errors raised by the interpreter core
(``unhashable type: 'list'``, ``'<' not supported between instances of
'list' and 'int'``, ...), ``List.__name__`` is set to ``"list"``
(``List.__qualname__`` stays ``"List"``).

Identity and nan: CPython compares list elements with an identity shortcut
(``x = float('nan'); [x] == [x]`` is True, ``x in [x]`` is True).  The only
float that is not equal to itself is nan, so nan is never stored unboxed:
storing a nan switches the list to OBJECT (``strategy_for_value``), which keeps
the nan object and with it CPython's result for ``==``, ``in``, ``count`` and
``index``.  Every other unboxed float, int or bool compares by value exactly
as the original object would (``True == 1 == 1.0``: ``[True] == [1]`` and
``1 in [True]`` hold for a BOOL list as in CPython); only ``is`` on a
read-back element can differ (reads make new objects; bools read back are
the singletons ``True``/``False``), and CPython itself leaves the identity of
numbers unspecified.

Host helpers: :func:`from_python` converts host values (lists, recursively
through lists, tuples and dict keys/values) into ``List`` objects; :func:`to_python`
converts back (``List`` -> ``list``, recursively through lists, tuples and
dict keys/values).  Both preserve sharing and cycles.
"""

from __future__ import annotations

import operator
import sys

import numpy as np

__all__ = [
    "EMPTY", "INT", "FLOAT", "OBJECT", "BOOL", "STRATEGY_NAMES", "MIN_CAPACITY",
    "INT64_MIN", "INT64_MAX", "List", "ListIterator", "from_python",
    "to_python", "strategy_for_value",
]

EMPTY = 0
INT = 1
FLOAT = 2
OBJECT = 3
BOOL = 4
STRATEGY_NAMES = ("EMPTY", "INT", "FLOAT", "OBJECT", "BOOL")

MIN_CAPACITY = 8
# Above this many elements, searches/comparisons of unboxed storage use
# vectorised numpy operations instead of converting to a Python list.
_NUMPY_THRESHOLD = 64
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

_INT64 = np.dtype(np.int64)
_FLOAT64 = np.dtype(np.float64)
_BOOL = np.dtype(np.bool_)
_DTYPES = (None, _INT64, _FLOAT64, None, _BOOL)
_MAXSIZE = sys.maxsize
_index = operator.index
_new_array = np.empty
_array = np.array


def strategy_for_value(value) -> int:
    """The strategy an EMPTY list would pick when ``value`` is stored."""
    t = type(value)
    if t is int:
        return INT if INT64_MIN <= value <= INT64_MAX else OBJECT
    if t is float:
        return FLOAT if value == value else OBJECT   # nan keeps its identity boxed
    if t is bool:
        return BOOL
    return OBJECT


def _classify(items: list):
    """``(strategy, array)`` for a new list holding the Python list
    ``items``: the tightest strategy, and for INT/FLOAT/BOOL the elements as
    a numpy array (exact capacity); ``array`` is None for EMPTY/OBJECT."""
    if not items:
        return EMPTY, None
    types = set(map(type, items))
    if len(types) == 1:
        t = types.pop()
        if t is int:
            try:
                return INT, _array(items, _INT64)
            except OverflowError:       # some element does not fit int64
                return OBJECT, None
        if t is float:
            array = _array(items, _FLOAT64)
            if np.isnan(array).any():
                return OBJECT, None
            return FLOAT, array
        if t is bool:
            return BOOL, _array(items, _BOOL)
    return OBJECT, None


def _fits(strategy: int, items: list) -> bool:
    """Do all ``items`` fit the unboxed ``strategy`` (INT, FLOAT or BOOL)?"""
    if not items:
        return True
    types = set(map(type, items))
    if strategy == INT:
        return types == {int} and INT64_MIN <= min(items) and max(items) <= INT64_MAX
    if strategy == BOOL:
        return types == {bool}
    return types == {float} and all(x == x for x in items)


def _type_name(x) -> str:
    return type(x).__name__


def _repeat_count(n) -> int:
    """Convert the count of ``seq * n`` like CPython's ``sq_repeat``."""
    if type(n) is not int:
        if not hasattr(type(n), "__index__"):
            raise TypeError(
                f"can't multiply sequence by non-int of type '{_type_name(n)}'")
        n = _index(n)
    if n > _MAXSIZE or n < -_MAXSIZE - 1:
        raise OverflowError("cannot fit 'int' into an index-sized integer")
    return n


def _full(n: int, value, dtype):
    try:
        return np.full(n, value, dtype=dtype)
    except (ValueError, MemoryError):
        # numpy: "array is too big" (ValueError) or its own MemoryError
        # subclass ("Unable to allocate ..."); CPython raises a bare
        # MemoryError
        raise MemoryError from None


_SEQUENCE_TYPES = (str, bytes, bytearray, tuple, list)
# Iterables whose iteration cannot fail part-way: extend() converts them in
# one go instead of element by element.
_BULK_ITERABLES = frozenset({list, tuple, range, str, set, frozenset, dict})

_repr_running: set = set()


class List:
    """A guest-program list with PyPy-style storage strategies.

    See the module docstring for the meaning of ``strategy``, ``storage`` and
    ``length`` and the invariants they obey.
    """

    __slots__ = ("strategy", "storage", "length")

    def __init__(self):
        self.strategy = EMPTY
        self.storage = None
        self.length = 0

    # ------------------------------------------------------------------
    # construction

    @classmethod
    def _make(cls, strategy: int, storage, length: int) -> "List":
        res = cls.__new__(cls)
        if length == 0:
            res.strategy = EMPTY
            res.storage = None
            res.length = 0
        else:
            res.strategy = strategy
            res.storage = storage
            res.length = length
        return res

    def _init_from_items(self, items: list, owned: bool = True) -> None:
        """Set the contents (of a fresh list) to the Python list ``items``,
        picking the tightest strategy.  If ``owned`` the List may keep
        ``items`` itself as OBJECT storage, otherwise it copies."""
        s, arr = _classify(items)
        self.strategy = s
        if s == OBJECT:
            self.storage = items if owned else items[:]
        else:
            self.storage = arr
        self.length = len(items)

    @classmethod
    def from_iterable(cls, iterable=()) -> "List":
        """A new list of the elements of ``iterable``, tightest strategy."""
        if type(iterable) is List:
            s = iterable.strategy
            if s != OBJECT and s != EMPTY:      # unboxed: copy the array
                n = iterable.length
                return cls._make(s, iterable.storage[:n].copy(), n)
            items = iterable._items_copy()
        elif type(iterable) is list:
            res = cls.__new__(cls)
            res._init_from_items(iterable, owned=False)
            return res
        else:
            items = list(iterable)
        res = cls.__new__(cls)
        res._init_from_items(items)
        return res

    @classmethod
    def repeat(cls, value, n) -> "List":
        """``[value] * n``."""
        n = _repeat_count(n)
        if n <= 0:
            return cls()
        s = strategy_for_value(value)
        if s == OBJECT:
            return cls._make(OBJECT, [value] * n, n)
        return cls._make(s, _full(n, value, _DTYPES[s]), n)

    def copy(self) -> "List":
        """A shallow copy (``lst.copy()`` / ``lst[:]``)."""
        s = self.strategy
        n = self.length
        if s == OBJECT:
            return List._make(OBJECT, self.storage[:], n)
        if s == EMPTY:
            return List()
        return List._make(s, self.storage[:n].copy(), n)

    __copy__ = copy

    # ------------------------------------------------------------------
    # internal helpers

    def _items(self) -> list:
        """The elements as a Python list (the storage itself for OBJECT --
        do not mutate the result)."""
        s = self.strategy
        if s == OBJECT:
            return self.storage
        if s == EMPTY:
            return []
        return self.storage[:self.length].tolist()

    def _items_copy(self) -> list:
        """The elements as a fresh Python list."""
        s = self.strategy
        if s == OBJECT:
            return self.storage[:]
        if s == EMPTY:
            return []
        return self.storage[:self.length].tolist()

    def _switch_to_object(self) -> None:
        s = self.strategy
        if s == OBJECT:
            return
        if s == EMPTY:
            self.storage = []
        else:
            self.storage = self.storage[:self.length].tolist()
        self.strategy = OBJECT

    def _grow(self, needed: int):
        """Ensure unboxed capacity >= ``needed``; return the storage."""
        old = self.storage
        cap = len(old)
        if cap >= needed:
            return old
        new_cap = cap * 2
        if new_cap < needed:
            new_cap = needed
        if new_cap < MIN_CAPACITY:
            new_cap = MIN_CAPACITY
        new = _new_array(new_cap, dtype=old.dtype)
        n = self.length
        new[:n] = old[:n]
        self.storage = new
        return new

    def _start(self, strategy: int, capacity: int = MIN_CAPACITY) -> None:
        """Leave EMPTY for ``strategy`` (no elements yet)."""
        self.strategy = strategy
        if strategy == OBJECT:
            self.storage = []
        else:
            self.storage = _new_array(max(capacity, MIN_CAPACITY),
                                      dtype=_DTYPES[strategy])

    def _set_items(self, items: list) -> None:
        """Replace all elements by the Python list ``items`` (owned), as a
        store of those values: may leave EMPTY or switch to OBJECT."""
        s = self.strategy
        if s == EMPTY:
            self._init_from_items(items)
            return
        if s != OBJECT and not _fits(s, items):
            self._switch_to_object()
            s = OBJECT
        n = len(items)
        if s == OBJECT:
            self.storage[:] = items
        else:
            if len(self.storage) < n:
                self.storage = _new_array(max(n, 2 * len(self.storage)),
                                          dtype=_DTYPES[s])
            if n:
                self.storage[:n] = items
        self.length = n

    def _norm_index(self, i, msg: str) -> int:
        """Normalise a non-slice index; raise like CPython."""
        if type(i) is not int:
            if not hasattr(type(i), "__index__"):
                raise TypeError(
                    f"list indices must be integers or slices, not {_type_name(i)}")
            i = _index(i)
        if i > _MAXSIZE or i < -_MAXSIZE - 1:
            raise IndexError("cannot fit 'int' into an index-sized integer")
        n = self.length
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(msg)
        return i

    # ------------------------------------------------------------------
    # basic protocol

    def __len__(self) -> int:
        return self.length

    def __bool__(self) -> bool:
        return self.length != 0

    def __getitem__(self, i):
        if type(i) is int:
            if self.strategy == OBJECT:
                return self.storage[i]
            n = self.length
            if 0 <= i < n:
                return self.storage.item(i)
            if -n <= i < 0:
                return self.storage.item(i + n)
        return self._getitem_slow(i)

    def _getitem_slow(self, i):
        if isinstance(i, slice):
            return self._getslice(i)
        i = self._norm_index(i, "list index out of range")
        if self.strategy == OBJECT:
            return self.storage[i]
        return self.storage.item(i)

    def _getslice(self, sl: slice) -> "List":
        s = self.strategy
        if s == OBJECT:
            items = self.storage[sl]
            return List._make(OBJECT, items, len(items))
        start, stop, step = sl.indices(self.length)   # validates like CPython
        k = len(range(start, stop, step))
        if k == 0:
            return List()
        # k > 0 implies 0 <= start < length; stop == -1 means "before 0".
        arr = self.storage[start:(stop if stop >= 0 else None):step].copy()
        return List._make(s, arr, k)

    def __setitem__(self, i, v):
        s = self.strategy
        if s == INT:
            if type(v) is int and type(i) is int and 0 <= i < self.length:
                try:
                    self.storage[i] = v     # OverflowError outside int64
                    return
                except OverflowError:
                    pass
        elif s == OBJECT:
            if type(i) is int:
                self.storage[i] = v
                return
        elif s == FLOAT:
            if type(v) is float and v == v and type(i) is int and 0 <= i < self.length:
                self.storage[i] = v
                return
        elif s == BOOL:
            if type(v) is bool and type(i) is int and 0 <= i < self.length:
                self.storage[i] = v
                return
        self._setitem_slow(i, v)

    def _setitem_slow(self, i, v):
        if isinstance(i, slice):
            self._setslice(i, v)
            return
        i = self._norm_index(i, "list assignment index out of range")
        s = self.strategy
        if s != OBJECT and strategy_for_value(v) != s:
            self._switch_to_object()
            s = OBJECT
        self.storage[i] = v

    def _setslice(self, sl: slice, v) -> None:
        if self.strategy == OBJECT:
            if type(v) is List:
                v = v._items_copy()
            self.storage[sl] = v
            self.length = len(self.storage)
            return
        tmp = self._items_copy()
        if type(v) is List:
            v = v._items_copy()
        tmp[sl] = v                # raises exactly like CPython
        self._set_items(tmp)

    def __delitem__(self, i):
        if isinstance(i, slice):
            if self.strategy == OBJECT:
                del self.storage[i]
                self.length = len(self.storage)
                return
            tmp = self._items_copy()
            del tmp[i]
            self._set_items(tmp)
            return
        i = self._norm_index(i, "list assignment index out of range")
        self._remove_at(i)

    def _remove_at(self, i: int) -> None:
        if self.strategy == OBJECT:
            del self.storage[i]
        else:
            n = self.length
            st = self.storage
            if i < n - 1:
                st[i:n - 1] = st[i + 1:n]
        self.length -= 1

    def append(self, v) -> None:
        s = self.strategy
        if s == INT:
            if type(v) is int:
                n = self.length
                try:
                    # IndexError: capacity exhausted; OverflowError: v does
                    # not fit int64.  Both are handled by _append_slow.
                    self.storage[n] = v
                except (IndexError, OverflowError):
                    self._append_slow(v)
                    return
                self.length = n + 1
                return
        elif s == OBJECT:
            self.storage.append(v)
            self.length += 1
            return
        elif (s == FLOAT and type(v) is float and v == v) or (s == BOOL and type(v) is bool):
            n = self.length
            try:
                self.storage[n] = v
            except IndexError:      # capacity exhausted
                self._append_slow(v)
                return
            self.length = n + 1
            return
        self._append_slow(v)

    def _append_slow(self, v) -> None:
        s = self.strategy
        vs = strategy_for_value(v)
        if s == EMPTY:
            self._start(vs)
            s = vs
        elif s != vs:
            self._switch_to_object()
            s = OBJECT
        n = self.length
        if s == OBJECT:
            self.storage.append(v)
        else:
            st = self.storage
            if n == len(st):
                st = self._grow(n + 1)
            st[n] = v
        self.length = n + 1

    def extend(self, iterable) -> None:
        """``lst.extend(iterable)`` (also used by ``+=``)."""
        t = type(iterable)
        if t is List:
            s = self.strategy
            os = iterable.strategy
            m = iterable.length
            if m == 0:
                return
            if (s == os or s == EMPTY) and os != OBJECT:
                n = self.length
                if s == EMPTY:
                    self._start(os, m)
                st = self._grow(n + m)
                st[n:n + m] = iterable.storage[:m]
                self.length = n + m
                return
            items = iterable._items_copy()
        elif t in _BULK_ITERABLES:
            items = list(iterable)
        else:
            # Arbitrary iterables: element-wise like CPython, so elements
            # produced before an exception are kept.
            append = self.append
            for x in iterable:
                append(x)
            return
        if not items:
            return
        s = self.strategy
        if s == EMPTY:
            self._init_from_items(items)
            return
        if s != OBJECT and not _fits(s, items):
            self._switch_to_object()
            s = OBJECT
        if s == OBJECT:
            self.storage.extend(items)
            self.length = len(self.storage)
        else:
            n = self.length
            m = len(items)
            st = self._grow(n + m)
            st[n:n + m] = items
            self.length = n + m

    def __iadd__(self, other):
        self.extend(other)
        return self

    def pop(self, i=-1):
        n = self.length
        if type(i) is not int:
            i = _index(i)
        if i > _MAXSIZE or i < -_MAXSIZE - 1:
            raise OverflowError("Python int too large to convert to C ssize_t")
        if n == 0:
            raise IndexError("pop from empty list")
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("pop index out of range")
        if self.strategy == OBJECT:
            v = self.storage.pop(i)
            self.length = n - 1
            return v
        st = self.storage
        v = st.item(i)
        if i < n - 1:
            st[i:n - 1] = st[i + 1:n]
        self.length = n - 1
        return v

    def __iter__(self) -> "ListIterator":
        return ListIterator(self)

    def __contains__(self, v) -> bool:
        s = self.strategy
        if s == OBJECT:
            return v in self.storage
        if s == EMPTY:
            return False
        n = self.length
        if n > _NUMPY_THRESHOLD:
            tv = type(v)
            if (s == INT and tv is int) or (s == FLOAT and tv is float):
                if s == INT and not INT64_MIN <= v <= INT64_MAX:
                    return False
                return bool((self.storage[:n] == v).any())
            if s == BOOL and (tv is bool or tv is int or tv is float):
                # an exact bool/int/float equals True iff it == 1, False
                # iff it == 0 (nan equals neither)
                if v == 1:
                    return bool(self.storage[:n].any())
                if v == 0:
                    return not self.storage[:n].all()
                return False
        return v in self.storage[:n].tolist()

    def count(self, v) -> int:
        s = self.strategy
        if s == OBJECT:
            return self.storage.count(v)
        if s == EMPTY:
            return 0
        n = self.length
        if n > _NUMPY_THRESHOLD:
            tv = type(v)
            if (s == INT and tv is int) or (s == FLOAT and tv is float):
                if s == INT and not INT64_MIN <= v <= INT64_MAX:
                    return 0
                return int(np.count_nonzero(self.storage[:n] == v))
            if s == BOOL and (tv is bool or tv is int or tv is float):
                if v == 1:
                    return int(np.count_nonzero(self.storage[:n]))
                if v == 0:
                    return n - int(np.count_nonzero(self.storage[:n]))
                return 0
        return self.storage[:n].tolist().count(v)

    def index(self, v, *args) -> int:
        return self._items().index(v, *args)

    # ------------------------------------------------------------------
    # comparisons

    def __eq__(self, other):
        if type(other) is List:
            if self is other:
                return True
            n = self.length
            if n != other.length:
                return False
            s = self.strategy
            if s == other.strategy:
                if s == INT or s == BOOL:   # equality is bytewise equality
                    return (self.storage[:n].tobytes()
                            == other.storage[:n].tobytes())
                if s == FLOAT and n > _NUMPY_THRESHOLD:
                    return bool((self.storage[:n] == other.storage[:n]).all())
            return self._items() == other._items()
        if isinstance(other, List):
            return self._items() == other._items()
        if isinstance(other, list):
            return self._items() == other
        return NotImplemented

    def __ne__(self, other):
        r = self.__eq__(other)
        if r is NotImplemented:
            return r
        return not r

    def _cmp_operand(self, other):
        if isinstance(other, List):
            return other._items()
        if isinstance(other, list):
            return other
        return None

    def __lt__(self, other):
        o = self._cmp_operand(other)
        if o is None:
            return NotImplemented
        if self is other:
            return False
        return self._items() < o

    def __le__(self, other):
        o = self._cmp_operand(other)
        if o is None:
            return NotImplemented
        if self is other:
            return True
        return self._items() <= o

    def __gt__(self, other):
        o = self._cmp_operand(other)
        if o is None:
            return NotImplemented
        if self is other:
            return False
        return self._items() > o

    def __ge__(self, other):
        o = self._cmp_operand(other)
        if o is None:
            return NotImplemented
        if self is other:
            return True
        return self._items() >= o

    __hash__ = None

    # ------------------------------------------------------------------
    # arithmetic

    def __add__(self, other):
        if not isinstance(other, List):
            raise TypeError(
                f'can only concatenate list (not "{_type_name(other)}") to list')
        n, m = self.length, other.length
        if m == 0:
            return self.copy()
        if n == 0:
            return other.copy()
        s = self.strategy
        if s == other.strategy:
            if s == OBJECT:
                return List._make(OBJECT, self.storage + other.storage, n + m)
            return List._make(
                s, np.concatenate((self.storage[:n], other.storage[:m])), n + m)
        return List._make(OBJECT, self._items() + other._items(), n + m)

    def __mul__(self, n):
        n = _repeat_count(n)
        m = self.length
        if n <= 0 or m == 0:
            return List()
        if m > _MAXSIZE // n:
            raise MemoryError
        s = self.strategy
        if s == OBJECT:
            return List._make(OBJECT, self.storage * n, m * n)
        try:
            arr = np.tile(self.storage[:m], n)
        except (ValueError, MemoryError):   # as in _full
            raise MemoryError from None
        return List._make(s, arr, m * n)

    def __imul__(self, n):
        """``lst *= n`` repeats in place, as CPython's list does (aliases see it)."""
        n = _repeat_count(n)
        if self.strategy == OBJECT:
            self.storage *= n
            self.length = len(self.storage)
            return self
        repeated = self * n
        if repeated.length:
            self.storage = repeated.storage
        self.length = repeated.length
        return self

    def __rmul__(self, n):
        if isinstance(n, _SEQUENCE_TYPES):
            # ``"ab" * lst``: let the left sequence's repeat report the error
            # ("can't multiply sequence by non-int of type 'list'").
            return NotImplemented
        return self.__mul__(n)

    # numpy scalars/arrays must not treat a List as an array operand
    # (``np.int64(2) * lst`` is a list repeat, as for a plain list).
    __array_ufunc__ = None

    # ------------------------------------------------------------------
    # conversion / display

    def __repr__(self) -> str:
        s = self.strategy
        if s == EMPTY or self.length == 0:
            return "[]"
        if s != OBJECT:
            return repr(self.storage[:self.length].tolist())
        key = id(self)
        if key in _repr_running:
            return "[...]"
        _repr_running.add(key)
        try:
            return repr(self.storage)
        finally:
            _repr_running.discard(key)

    __str__ = __repr__

    def to_python(self) -> list:
        """A plain Python ``list`` (deep: nested Lists converted too)."""
        return to_python(self)

    def strategy_name(self) -> str:
        return STRATEGY_NAMES[self.strategy]


# Make interpreter-core error messages read like CPython's
# ("unhashable type: 'list'", "... instances of 'list' and 'int'").
List.__name__ = "list"


class ListIterator:
    """Iterator over a :class:`List` (``iter(lst)``).

    ``lst`` is the list being iterated (``None`` once exhausted) and
    ``index`` the next position.  Like CPython's list iterator, it re-reads
    ``lst.length`` on every step (so appends during iteration are seen) and
    never yields again once it has been exhausted.
    """

    __slots__ = ("lst", "index")

    def __init__(self, lst: List):
        self.lst = lst
        self.index = 0

    def __iter__(self):
        return self

    def __next__(self):
        lst = self.lst
        if lst is not None:
            i = self.index
            if i < lst.length:
                self.index = i + 1
                if lst.strategy == OBJECT:
                    return lst.storage[i]
                return lst.storage.item(i)
            self.lst = None
        raise StopIteration

    def __length_hint__(self) -> int:
        lst = self.lst
        if lst is None:
            return 0
        return max(lst.length - self.index, 0)


# ----------------------------------------------------------------------
# host <-> guest conversion

def to_python(value, _memo=None):
    """Convert ``value`` to host objects: every ``List`` becomes a ``list``,
    recursively through Lists, lists, tuples and dicts (keys and values).
    Other values are returned unchanged.  Sharing and cycles are preserved.
    """
    t = type(value)
    if t is not List and t is not list and t is not tuple and t is not dict:
        return value
    if _memo is None:
        _memo = {}
    key = id(value)
    if key in _memo:
        return _memo[key]
    if t is List:
        s = value.strategy
        if s != OBJECT and s != EMPTY:      # unboxed: INT, FLOAT, BOOL
            res = value.storage[:value.length].tolist()
            _memo[key] = res
            return res
        res = []
        _memo[key] = res
        if s == OBJECT:
            res.extend([to_python(x, _memo) for x in value.storage])
        return res
    if t is list:
        res = []
        _memo[key] = res
        res.extend([to_python(x, _memo) for x in value])
        return res
    if t is tuple:
        res = tuple([to_python(x, _memo) for x in value])
        _memo[key] = res
        return res
    res = {}
    _memo[key] = res
    for k, v in value.items():
        res[to_python(k, _memo)] = to_python(v, _memo)
    return res


def from_python(value, _memo=None):
    """Convert a host value for the VM: every ``list`` becomes a ``List``
    (tightest strategy), recursively through lists, tuples and dicts (keys
    and values).  Other values (including ``List``) are returned unchanged.
    Sharing and cycles are preserved.
    """
    t = type(value)
    if t is not list and t is not tuple and t is not dict:
        return value
    if _memo is None:
        _memo = {}
    key = id(value)
    if key in _memo:
        return _memo[key]
    if t is list:
        res = List()
        _memo[key] = res
        res._init_from_items([from_python(x, _memo) for x in value])
        return res
    if t is tuple:
        res = tuple([from_python(x, _memo) for x in value])
        _memo[key] = res
        return res
    res = {}
    _memo[key] = res
    for k, v in value.items():
        res[from_python(k, _memo)] = from_python(v, _memo)
    return res
