"""Run-time helpers called by generated code (``interp.templates``), with CPython's
exceptions and messages. Nothing here dispatches; each helper does one thing."""
from __future__ import annotations

from .code import Function
from .lists import List
from .values import bound_method, get_attribute, type_name


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"


UNBOUND = _Sentinel("unbound")       # a local register before its first assignment
MISSING = _Sentinel("missing")       # dict lookup miss
EXHAUSTED = _Sentinel("exhausted")   # iterator end


def make_builtin_loader(builtins: dict):
    def load_builtin(name):
        try:
            return builtins[name]
        except KeyError:
            raise NameError(f"name '{name}' is not defined") from None
    return load_builtin


def raise_unbound(name):
    raise UnboundLocalError(
        f"cannot access local variable '{name}' where it is not associated with a value")


def _index(value):
    if type(value) is int:
        return value
    try:
        return value.__index__()
    except AttributeError:
        raise TypeError(f"'{type_name(value)}' object cannot be interpreted as an integer") from None


def range_args(start, stop, step):
    """(start, stop, step) of ``range(start, stop, step)`` as ints, CPython's errors."""
    if type(start) is int and type(stop) is int and type(step) is int and step:
        return start, stop, step
    start, stop, step = _index(start), _index(stop), _index(step)
    if step == 0:
        raise ValueError("range() arg 3 must not be zero")
    return start, stop, step


def unpack_values(value, n):
    """The n values of ``value`` for ``a, b, ... = value``, with CPython's errors."""
    if type(value) is tuple and len(value) == n:
        return value
    try:
        iterator = iter(value)
    except TypeError:
        raise TypeError(f"cannot unpack non-iterable {type_name(value)} object") from None
    items = []
    for item in iterator:
        items.append(item)
        if len(items) > n:
            raise ValueError(f"too many values to unpack (expected {n})")
    if len(items) < n:
        raise ValueError(f"not enough values to unpack (expected {n}, got {len(items)})")
    return items


def raise_keyword_to_function(fn, keyword):
    raise TypeError(f"{fn.code.name}() got an unexpected keyword argument '{keyword}'")


def namespace_for(machine, decoded) -> dict:
    """Globals of the generated code of one decoded code object."""
    namespace = {
        "__builtins__": {},
        "G": decoded.globals, "DC": decoded, "LC": decoded.loop_counters,
        "XC": machine.exit_counts, "machine": machine,
        "push_call": machine.push_call, "on_return": machine.on_return_event,
        "on_hot_loop": machine.on_hot_loop_event,
        "load_builtin": make_builtin_loader(machine.builtins),
        "UNBOUND": UNBOUND, "MISSING": MISSING, "EXHAUSTED": EXHAUSTED,
        "raise_unbound": raise_unbound, "range_args": range_args,
        "unpack_values": unpack_values, "list_from": List.from_iterable,
        "get_attribute": get_attribute, "bound_method": bound_method,
        "raise_keyword_to_function": raise_keyword_to_function, "Function": Function,
        "type": type, "iter": iter, "next": next,
    }
    if machine.profiler is not None:
        namespace.update(machine.profiler.namespace)
    return namespace
