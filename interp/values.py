"""What a guest program can reach: builtins, modules, attributes and methods.

Everything here is a whitelist. A guest program holds only these kinds of values:
int, float, bool, None, str, tuple, ``interp.lists.List``, dict, range objects,
numpy arrays of dtype int64/float64/bool with 1 or 2 dimensions (and their scalars),
``interp.code.Function`` and the ``GuestModule`` objects below. Any host callable a
guest can call is listed in ``ALLOWED_BUILTINS``, a module's ``attrs`` or ``METHODS``.
"""
from __future__ import annotations

import builtins
import math

import numpy as np

from .code import GuestModule
from .lists import List, to_python

ARRAY_DTYPES = (np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.bool_))


def _check_dtype(dtype):
    if dtype is None:
        return None
    if dtype not in (np.int64, np.float64, np.bool_, int, float, bool):
        raise TypeError(f"unsupported array dtype {dtype!r} (int64, float64 or bool_)")
    return dtype


def _check_shape(shape):
    if type(shape) is List:
        shape = tuple(to_python(shape))
    dims = shape if isinstance(shape, tuple) else (shape,)
    if not 1 <= len(dims) <= 2:
        raise ValueError("only 1-D and 2-D arrays are supported")
    for d in dims:
        if type(d) not in (int, bool) and not isinstance(d, np.integer):
            raise TypeError(f"'{type(d).__name__}' object cannot be interpreted as an integer")
    return shape


def _checked_array(result):
    if result.dtype not in ARRAY_DTYPES:
        raise TypeError(f"unsupported array dtype {result.dtype} (int64, float64 or bool_)")
    if not 1 <= result.ndim <= 2:
        raise ValueError("only 1-D and 2-D arrays are supported")
    return result


def np_zeros(shape, dtype=np.float64):
    return np.zeros(_check_shape(shape), dtype=_check_dtype(dtype))


def np_ones(shape, dtype=np.float64):
    return np.ones(_check_shape(shape), dtype=_check_dtype(dtype))


def np_empty(shape, dtype=np.float64):
    # zero-filled: guest code must never observe uninitialised host memory
    return np.zeros(_check_shape(shape), dtype=_check_dtype(dtype))


def np_arange(*args, dtype=None):
    if len(args) == 4 and dtype is None:
        *args, dtype = args
    if not 1 <= len(args) <= 3:
        raise TypeError("arange() takes 1 to 4 positional arguments")
    return _checked_array(np.arange(*args, dtype=_check_dtype(dtype)))


def np_array(obj, dtype=None):
    return _checked_array(np.array(to_python(obj), dtype=_check_dtype(dtype)))


for _f, _name in ((np_zeros, "zeros"), (np_ones, "ones"), (np_empty, "empty"),
                  (np_arange, "arange"), (np_array, "array")):
    _f.__name__ = _f.__qualname__ = _name

GUEST_MODULES = {
    "math": GuestModule("math", {name: getattr(math, name) for name in dir(math)
                                 if not name.startswith("_")}),
    "numpy": GuestModule("numpy", {
        "zeros": np_zeros, "ones": np_ones, "empty": np_empty, "arange": np_arange,
        "array": np_array, "int64": np.int64, "float64": np.float64, "bool_": np.bool_,
    }),
}
MODULE_ATTRIBUTES = {name: frozenset(mod.attrs) for name, mod in GUEST_MODULES.items()}

ALLOWED_BUILTINS = {
    name: getattr(builtins, name) for name in (
        "range", "len", "abs", "min", "max", "int", "float", "bool", "str", "repr", "round",
        "pow", "print", "divmod", "sum")
}

# Keyword arguments accepted at call sites, by callee as written in the source.
KEYWORDS_BY_CALLEE = {
    "print": frozenset({"sep", "end"}),
    "numpy.zeros": frozenset({"dtype"}), "numpy.ones": frozenset({"dtype"}),
    "numpy.empty": frozenset({"dtype"}), "numpy.arange": frozenset({"dtype"}),
    "numpy.array": frozenset({"dtype"}),
}

# Attributes readable on non-module values, and methods callable on them.
VALUE_ATTRIBUTES = frozenset({"shape"})
METHODS = {
    (List, "append"): List.append,
    (List, "pop"): List.pop,
    (dict, "get"): dict.get,
    (dict, "pop"): dict.pop,
}
METHOD_NAMES = frozenset(name for _, name in METHODS)


def type_name(value) -> str:
    """The type name CPython would show for ``value`` in error messages."""
    if type(value) is List:
        return "list"
    return type(value).__name__


def get_attribute(obj, name):
    """``obj.name`` for whitelisted attributes; AttributeError like CPython otherwise."""
    if type(obj) is GuestModule:
        try:
            return obj.attrs[name]
        except KeyError:
            raise AttributeError(f"module '{obj.name}' has no attribute '{name}'") from None
    if name == "shape" and type(obj) is np.ndarray:
        return obj.shape
    raise AttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


def bound_method(obj, name):
    """``obj.name`` for a whitelisted method, bound to ``obj``; AttributeError otherwise."""
    method = METHODS.get((type(obj), name))
    if method is None:
        raise AttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")
    return method.__get__(obj)
