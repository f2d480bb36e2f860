"""The C calling convention of compiled traces: one place for argument kinds.

Every compiled trace is entered through one C function

    int64_t entry(<live-in arguments>, <exit buffers>, int64_t budget)

whether its machine code was just compiled by Numba or loaded from the persistent
cache (``tracejit/cache/``). Arguments are C scalars and raw pointers with lengths,
never Python or numpy objects, so the code needs no runtime support library.

A live-in value of trace type ``type_`` (``tracejit.ir``) becomes the C arguments
``c_arguments(type_)`` lists: (name suffix, C type) pairs. The generated source names
them ``v<reg><suffix>``; ``marshal(type_)`` turns the Python value into those
arguments at each entry. C types are ``int64``, ``double``, ``bool`` and
``ptr:<element>`` (a pointer to int64, double or uint8 elements; a bool array or list
element is one byte, read as ``!= 0``; ``ptr:ptr:<element>`` points to row pointers).

A list of lists (``lol:<elem>``) and an iterator over one (``itl:<elem>``) pass a table
of their rows built at each entry: the rows' storage pointers, the rows' lengths, and
the number of rows. The tables live as long as the entry's argument list.

Adding a value kind: a row in ``c_arguments`` and in ``marshal``; the backend's source
generation, Numba signature, cffi function type and the argument list at entry all
follow from them.
"""
from __future__ import annotations

import operator

SCALAR_C_TYPES = {"i64": "int64", "ni64": "int64", "f64": "double", "nf64": "double",
                  "bool": "bool", "nbool": "bool"}
ELEMENT_C_TYPES = {"i64": "int64", "f64": "double", "bool": "uint8"}
BUFFER_C_TYPES = {"int": "ptr:int64", "float": "ptr:double"}
BUDGET_C_TYPE = "int64"
RESULT_C_TYPE = "int64"


def c_arguments(type_: str) -> list:
    """[(name suffix, C type)] of a live-in value of trace type ``type_``."""
    if type_ in SCALAR_C_TYPES:
        return [("", SCALAR_C_TYPES[type_])]
    kind, element, *rest = type_.split(":")
    if kind == "arr":      # data pointer, then the length of each dimension
        return [("", "ptr:" + ELEMENT_C_TYPES[element])] + [(f"_d{k}", "int64") for k in range(int(rest[0]))]
    if kind == "lst":    # the storage, the length and the capacity (appends fill it)
        return [("_st", "ptr:" + ELEMENT_C_TYPES[element]), ("_n", "int64"), ("_cap", "int64")]
    if kind == "it":     # its list's storage and length
        return [("_st", "ptr:" + ELEMENT_C_TYPES[element]), ("_n", "int64")]
    if kind in ("lol", "itl"):   # (its list's) row storage pointers, row lengths, row count
        return [("_rows", "ptr:ptr:" + ELEMENT_C_TYPES[element]), ("_lens", "ptr:int64"), ("_n", "int64")]
    raise NotImplementedError(f"no C arguments for a live-in of type {type_}")


def argument_names(name: str, type_: str) -> list:
    """The C argument names of the live-in called ``name`` in the generated source."""
    return [name + suffix for suffix, _ in c_arguments(type_)]


def c_signature(layout, buffer_kinds) -> list:
    """C argument types of an entry: the live-ins of ``layout`` ([(reg, type)]), the exit
    buffers (``'int'``/``'float'`` each), the iteration budget."""
    return [c for _reg, type_ in layout for _, c in c_arguments(type_)] + \
        [BUFFER_C_TYPES[kind] for kind in buffer_kinds] + [BUDGET_C_TYPE]


# ----- marshalling: Python values -> C arguments ---------------------------------------------
def _pointer_factory():
    import _cffi_backend as backend   # cffi's C core: no C parser, no import cost worth naming
    char_array = backend.new_array_type(backend.new_pointer_type(backend.new_primitive_type("char")), None)
    from_buffer = backend.from_buffer
    return lambda array: from_buffer(char_array, array, True)


pointer_to = _pointer_factory()    # numpy array -> pointer to its data (kept alive by the cdata)


def _address_factory():
    import _cffi_backend as backend
    char_array = backend.new_array_type(backend.new_pointer_type(backend.new_primitive_type("char")), None)
    intptr = backend.new_primitive_type("intptr_t")
    from_buffer, cast = backend.from_buffer, backend.cast
    return lambda array: int(cast(intptr, from_buffer(char_array, array, True)))


address_of = _address_factory()    # numpy array -> the address of its data (not kept alive)


def _array(value):
    return (pointer_to(value),) + value.shape


def _list(value):
    storage = value.storage
    return pointer_to(storage), value.length, len(storage)


def _iterator(value):
    lst = value.lst
    return pointer_to(lst.storage), lst.length


_ROW_TABLES = {}      # id(list of lists) -> (the list, its rows' storage ids and lengths, table, storages)
MAX_ROW_TABLES = 64   # lists of lists whose tables are kept (all are dropped when one more comes)
_storage_of = operator.attrgetter("storage")
_length_of = operator.attrgetter("length")


def _rows(lst):
    """The row table of a list of lists (its rows keep their storage alive: the outer list
    holds them, and nothing in a trace changes it).

    A table is built once per list and reused while the list holds rows with the same
    storage objects and lengths: a row that is replaced, grows past its capacity or
    changes strategy has another storage, and one that grows or shrinks in place has
    another length. (The kept storages keep their ids unique.) Building a table costs
    about 0.4 us per row; checking one about 0.04 us per row."""
    rows = lst.storage
    storages = tuple(map(_storage_of, rows))
    ids = tuple(map(id, storages))
    lengths = tuple(map(_length_of, rows))
    kept = _ROW_TABLES.get(id(lst))
    if kept is not None and kept[0] is lst and kept[1] == ids and kept[2] == lengths:
        return kept[3]
    import numpy as np
    addresses = np.fromiter((address_of(storage) for storage in storages), np.int64, len(rows))
    table = pointer_to(addresses), pointer_to(np.array(lengths, dtype=np.int64)), len(rows)
    if len(_ROW_TABLES) >= MAX_ROW_TABLES:
        _ROW_TABLES.clear()
    _ROW_TABLES[id(lst)] = (lst, ids, lengths, table, storages)
    return table


def _row_iterator(value):
    return _rows(value.lst)


def marshal(type_: str):
    """None when a value of ``type_`` is passed as it is (a scalar), else a function
    from the value to the tuple of its C arguments."""
    if type_ in SCALAR_C_TYPES:
        return None
    return {"arr": _array, "lst": _list, "it": _iterator, "lol": _rows, "itl": _row_iterator}[type_.split(":")[0]]


def buffer_pointers(buffers) -> list:
    """C arguments for the exit buffers (numpy arrays that live as long as the trace)."""
    return [pointer_to(buffer) for buffer in buffers]


# ----- the C function object ------------------------------------------------------------------
_CFFI_TYPES = {}


def _cffi_type(c_type: str):
    import _cffi_backend as backend
    if c_type not in _CFFI_TYPES:
        if c_type.startswith("ptr:"):
            _CFFI_TYPES[c_type] = backend.new_pointer_type(backend.new_void_type())
        else:
            _CFFI_TYPES[c_type] = backend.new_primitive_type(
                {"int64": "int64_t", "double": "double", "bool": "_Bool"}[c_type])
    return _CFFI_TYPES[c_type]


def function_type(c_types):
    """The cffi function type ``int64_t (*)(c_types...)``."""
    import _cffi_backend as backend
    return backend.new_function_type(tuple(_cffi_type(t) for t in c_types), _cffi_type(RESULT_C_TYPE), False)


def function_at(address: int, c_types):
    """The C function at ``address`` as a Python callable."""
    import _cffi_backend as backend
    return backend.cast(function_type(c_types), address)


def numba_type(c_type: str):
    """The Numba type of a C argument type (imports numba: compile time only)."""
    from numba import types
    if c_type.startswith("ptr:"):
        return types.CPointer(numba_type(c_type[4:]))
    return {"int64": types.int64, "double": types.float64, "bool": types.boolean, "uint8": types.uint8}[c_type]
