"""Front-end rejection tests: every construct outside the supported subset raises
``tracejit.CompileError`` carrying the filename, the exact (line, 0-based column) of the
offending node and a message naming the construct; invalid Python raises CompileError
at CPython's own position. Nothing is silently dropped, not even in unreachable code."""

import ast
import builtins
import contextlib
import io

import pytest

import interp
import tracejit
from interp.values import ALLOWED_BUILTINS

FILENAME = "prog.py"


def compile_error(src, filename=FILENAME):
    vm = tracejit.VM()
    with pytest.raises(tracejit.CompileError) as info:
        vm.load_source(src, filename)
    return info.value


def check(src, line, col, words):
    """``src`` is rejected at (line, col) with a message containing every one of ``words``."""
    exc = compile_error(src)
    assert exc.filename == FILENAME
    assert (exc.lineno, exc.col) == (line, col), f"{exc} (expected {line}:{col})"
    msg = exc.msg.lower()
    for word in ([words] if isinstance(words, str) else words):
        assert word.lower() in msg, f"message {exc.msg!r} does not name {word!r}"
    return exc


# (id, source, line, col, words the message must contain)
UNSUPPORTED = [
    # definitions
    ("class", "x = 1\nclass A:\n    pass\n", 2, 0, "class"),
    ("class-in-function", "def f():\n    class A:\n        pass\n", 2, 4, "class"),
    ("class-decorated", "@d\nclass A:\n    pass\n", 2, 0, "class"),
    ("nested-def", "def f():\n    def g():\n        return 1\n    return g\n", 2, 4, "nested function"),
    ("nested-def-in-if", "def f(x):\n    if x:\n        def g():\n            pass\n", 3, 8, "nested function"),
    ("closure", "def f(x):\n    def g():\n        return x\n    return g\n", 2, 4, "closure"),
    ("lambda", "f = lambda x: x\n", 1, 4, "lambda"),
    ("lambda-in-function", "def f():\n    return (lambda: 1)\n", 2, 12, "lambda"),
    ("lambda-default", "def f(a=lambda: 1):\n    pass\n", 1, 8, "lambda"),
    ("decorator", "@foo\ndef f():\n    pass\n", 1, 1, "decorator"),
    ("decorator-call", "x = 1\n@foo(1)\ndef f():\n    pass\n", 2, 1, "decorator"),
    ("async-def", "async def f():\n    pass\n", 1, 0, "async"),
    ("async-def-await", "async def f():\n    await g()\n", 1, 0, "async"),
    # comprehensions and generators
    ("listcomp", "def f(n):\n    return [i for i in range(n)]\n", 2, 11, "list comprehension"),
    ("setcomp", "def f(n):\n    return {i for i in range(n)}\n", 2, 11, "set comprehension"),
    ("dictcomp", "def f(n):\n    return {i: i for i in range(n)}\n", 2, 11, "dict comprehension"),
    ("genexp", "def f(n):\n    return sum(i for i in range(n))\n", 2, 14, "generator expression"),
    ("genexp-parens", "def f(n):\n    g = (i for i in range(n))\n", 2, 8, "generator expression"),
    ("yield", "def f():\n    yield 1\n", 2, 4, "yield"),
    ("yield-expr", "def f():\n    x = yield\n", 2, 8, "yield"),
    ("yield-from", "def f():\n    yield from g()\n", 2, 4, "yield from"),
    # statements
    ("try-except", "def f():\n    try:\n        pass\n    except Exception:\n        pass\n", 2, 4, "try"),
    ("try-finally", "def f():\n    try:\n        pass\n    finally:\n        pass\n", 2, 4, "try"),
    ("with", "def f(x):\n    with x:\n        pass\n", 2, 4, "with"),
    ("raise", "def f():\n    raise ValueError\n", 2, 4, "raise"),
    ("raise-module", "x = 1\nraise ValueError('x')\n", 2, 0, "raise"),
    ("assert", "def f(x):\n    assert x\n", 2, 4, "assert"),
    ("del", "def f(x):\n    del x\n", 2, 4, "del"),
    ("del-subscript", "x = [1]\ndel x[0]\n", 2, 0, "del"),
    ("nonlocal", "def f():\n    nonlocal x\n", 2, 4, "nonlocal"),
    ("nonlocal-in-closure", "def f():\n    x = 1\n    def g():\n        nonlocal x\n", 3, 4, "nested function"),
    ("annotated-assignment", "def f():\n    x: int = 1\n", 2, 4, "annotated"),
    ("annotated-assignment-module", "x: int = 1\n", 1, 0, "annotated"),
    ("annotation-only", "def f():\n    x: int\n", 2, 4, "annotated"),
    # expressions
    ("fstring", "def f(x):\n    return f'{x}'\n", 2, 11, "f-string"),
    ("fstring-plain", "x = f'abc'\n", 1, 4, "f-string"),
    ("fstring-statement", "def f():\n    f'abc'\n", 2, 4, "f-string"),
    ("set-display", "def f(x):\n    return {1, x}\n", 2, 11, "set"),
    ("starred-list", "def f(x):\n    return [*x]\n", 2, 12, "starred"),
    ("starred-tuple", "def f(x):\n    return (1, *x)\n", 2, 15, "starred"),
    ("starred-subscript", "def f(x, y):\n    return x[*y]\n", 2, 13, "starred"),
    ("starred-assign-target", "def f(x):\n    a, *b = x\n", 2, 4, "starred"),
    ("starred-for-target", "def f(x):\n    for *a, b in x:\n        pass\n", 2, 8, "starred"),
    ("star-args-call", "def f(x):\n    return g(*x)\n", 2, 13, "*args"),
    ("star-args-range", "def f(x):\n    for i in range(*x):\n        pass\n", 2, 19, "*args"),
    ("star-kwargs-call", "def f(x):\n    return g(**x)\n", 2, 13, "**kwargs"),
    ("dict-unpack", "def f(x):\n    return {**x}\n", 2, 14, "**"),
    ("walrus", "def f(x):\n    if (y := x):\n        return y\n", 2, 8, ":="),
    ("slice", "def f(x):\n    return x[1:2]\n", 2, 13, "slicing"),
    ("slice-step", "def f(x):\n    return x[::2]\n", 2, 13, "slicing"),
    ("slice-2d", "def f(x):\n    return x[1, :]\n", 2, 13, "slicing"),
    ("slice-store", "def f(x):\n    x[1:2] = 3\n", 2, 6, "slicing"),
    ("slice-augassign", "def f(x):\n    x[1:] += 3\n", 2, 6, "slicing"),
    ("matmul", "def f(a, b):\n    return a @ b\n", 2, 11, "matmult"),
    ("matmul-inplace", "def f(a, b):\n    a @= b\n", 2, 4, "matmult"),
    ("bytes", "def f():\n    return b'x'\n", 2, 11, "bytes"),
    ("bytes-statement", "def f():\n    b'doc'\n    return 1\n", 2, 4, "bytes"),
    ("complex", "def f():\n    return 1j\n", 2, 11, "complex"),
    ("complex-in-arith", "def f(x):\n    return x + 2j\n", 2, 15, "complex"),
    ("ellipsis", "def f():\n    return ...\n", 2, 11, "ellipsis"),
    ("attribute-assignment", "def f(x):\n    x.a = 1\n", 2, 4, "attribute"),
    ("attribute-augassign", "def f(x):\n    x.a += 1\n", 2, 4, "augmented assignment"),
    ("attribute-for-target", "def f(x):\n    for x.a in range(3):\n        pass\n", 2, 8, "loop target"),
    # imports
    ("import-os", "import os\n", 1, 0, "'os'"),
    ("import-sys-in-function", "def f():\n    import sys\n", 2, 4, "'sys'"),
    ("import-several", "import math, os\n", 1, 0, "'os'"),
    ("import-dotted", "import numpy.linalg\n", 1, 0, "numpy.linalg"),
    ("import-dotted-as", "import numpy.linalg as la\n", 1, 0, "numpy.linalg"),
    ("import-as-unknown", "import collections as math\n", 1, 0, "'collections'"),
    ("from-os-import", "from os import path\n", 1, 0, "'os'"),
    ("from-relative-import", "from . import math\n", 1, 0, "import from"),
    ("from-math-star", "from math import *\n", 1, 0, "import *"),
    ("from-math-unknown", "from math import nonexistent\n", 1, 0, "math.nonexistent"),
    ("from-numpy-linalg", "from numpy import linalg\n", 1, 0, "numpy.linalg"),
    ("import-in-unreachable-module-code", "if 0:\n    import os\n", 2, 4, "'os'"),
    # attributes and methods outside the whitelist
    ("attr-real", "def f(x):\n    return x.real\n", 2, 11, ".real"),
    ("method-upper", "def f():\n    return 'a'.upper()\n", 2, 11, ".upper"),
    ("method-join", "def f(d):\n    return ','.join(d)\n", 2, 11, ".join"),
    ("method-value-append", "def f(x):\n    return x.append\n", 2, 11, ".append"),
    ("attr-of-math-constant", "import math\ndef f():\n    return math.pi.real\n", 3, 11, ".real"),
    ("math-nonexistent", "import math\ndef f():\n    return math.nonexistent\n", 3, 11, "math.nonexistent"),
    ("math-alias-nonexistent", "import math as m\ndef f():\n    return m.nonexistent\n", 3, 11, "math.nonexistent"),
    ("math-method-name", "import math\ndef f():\n    return math.append(1)\n", 3, 11, "math.append"),
    ("np-linalg", "import numpy as np\ndef f():\n    return np.linalg\n", 3, 11, "linalg"),
    ("np-sum", "import numpy as np\ndef f(x):\n    return np.sum(x)\n", 3, 11, "sum"),
    ("local-shadowing-module", "import math\ndef f(math):\n    return math.sqrt(4.0)\n", 3, 11, ".sqrt"),
    # keyword arguments outside print(sep=, end=) and np.zeros/ones/empty/arange/array(dtype=)
    ("kwarg-own-function", "def g(a):\n    return a\ndef f():\n    return g(a=1)\n", 4, 13, "keyword argument 'a'"),
    ("kwarg-print-file", "def f():\n    print(1, file=None)\n", 2, 13, "keyword argument 'file'"),
    ("kwarg-print-flush", "def f():\n    print(1, sep='', flush=True)\n", 2, 21, "keyword argument 'flush'"),
    ("kwarg-zeros-order", "import numpy as np\ndef f():\n    return np.zeros(3, order='C')\n", 3, 23,
     "keyword argument 'order'"),
    ("kwarg-arange-step", "import numpy as np\ndef f():\n    return np.arange(3, step=1)\n", 3, 24,
     "keyword argument 'step'"),
    ("kwarg-builtin", "def f():\n    return len(obj=1)\n", 2, 15, "keyword argument 'obj'"),
    ("kwarg-range", "def f():\n    for i in range(stop=3):\n        pass\n", 2, 19, "keyword argument 'stop'"),
    ("kwarg-int-base", "def f(s):\n    return int(s, base=2)\n", 2, 18, "keyword argument 'base'"),
    ("kwarg-method", "def f(x):\n    x.append(1, key=2)\n", 2, 16, "keyword argument"),
    ("kwarg-math", "import math\ndef f():\n    return math.log(x=1.0)\n", 3, 20, "keyword argument 'x'"),
    ("kwarg-dtype-on-other", "def f():\n    return max(1, 2, dtype=int)\n", 2, 21, "keyword argument 'dtype'"),
    # parameters
    ("keyword-only-param", "def f(a, *, b):\n    pass\n", 1, 0, "keyword-only"),
    ("positional-only-param", "def f(a, /, b):\n    pass\n", 1, 0, "positional-only"),
    ("star-args-param", "def f(*args):\n    pass\n", 1, 0, "*args"),
    ("star-kwargs-param", "def f(**kw):\n    pass\n", 1, 0, "**kwargs"),
    ("star-kwargs-param-later-def", "x = 1\n\ndef f(a, **kw):\n    pass\n", 3, 0, "**kwargs"),
]

if hasattr(ast, "Match"):
    UNSUPPORTED += [
        ("match", "def f(x):\n    match x:\n        case 1:\n            return 1\n", 2, 4, "match"),
        ("match-module", "x = 1\nmatch x:\n    case _:\n        pass\n", 2, 0, "match"),
    ]


@pytest.mark.parametrize("src, line, col, words", [c[1:] for c in UNSUPPORTED],
                         ids=[c[0] for c in UNSUPPORTED])
def test_unsupported_construct(src, line, col, words):
    check(src, line, col, words)


# Builtins outside the whitelist, each named in its own error.
FORBIDDEN_BUILTINS = [
    "open", "eval", "exec", "__import__", "getattr", "setattr", "hasattr", "type", "isinstance",
    "enumerate", "zip", "map", "filter", "sorted", "reversed", "list", "dict", "set", "tuple",
    "iter", "next", "id", "hash", "globals", "locals", "vars", "dir", "input", "compile",
    "object", "super", "chr", "ord", "any", "all", "callable", "breakpoint", "memoryview",
    "bytearray", "bytes", "complex", "frozenset", "slice", "property", "staticmethod",
    "ValueError", "Exception", "__build_class__",
]


@pytest.mark.parametrize("name", FORBIDDEN_BUILTINS)
def test_forbidden_builtin_in_call(name):
    assert hasattr(builtins, name) and name not in ALLOWED_BUILTINS
    src = f"def f(x):\n    y = 1\n    return {name}(x)\n"
    check(src, 3, 11, f"builtin '{name}'")


@pytest.mark.parametrize("name", ["open", "eval", "type", "enumerate"])
def test_forbidden_builtin_as_value(name):
    # not only calls: merely naming the builtin is rejected
    check(f"x = 1\nf = {name}\n", 2, 4, f"builtin '{name}'")


def test_forbidden_builtin_as_for_iterable():
    check("def f(x):\n    for i, v in enumerate(x):\n        pass\n", 2, 16, "builtin 'enumerate'")


@pytest.mark.parametrize("src", [
    # a module-level definition, a local or a global declaration shadows the builtin
    "def open():\n    return 1\ndef f():\n    return open()\n",
    "open = 1\ndef f():\n    return open\n",
    "def f():\n    open = 1\n    return open\n",
    "def f():\n    global type\n    type = 3\n    return type\n",
])
def test_shadowed_builtin_names_are_allowed(src):
    tracejit.VM().load_source(src, FILENAME)


@pytest.mark.parametrize("src", [
    "def f(*, a):\n    pass\n",
    "def f(a, *rest, b):\n    pass\n",
    "def f(a, /):\n    pass\n",
])
def test_parameter_kinds_rejected_with_function_position(src):
    check(src, 1, 0, "parameters")


# ----- supported boundary: the whitelisted forms compile ---------------------------------
SUPPORTED = [
    "def f():\n    print(1, 2, sep='-', end='')\n",
    "import numpy as np\ndef f():\n    return np.zeros(3, dtype=np.int64)\n",
    "import numpy as np\ndef f():\n    return (np.ones(2, dtype=np.float64), np.empty(2, dtype=np.bool_),"
    " np.arange(3, dtype=np.int64), np.array([1], dtype=np.int64))\n",
    "import numpy as np\ndef f():\n    return np.zeros((2, 3)).shape\n",
    "import math\ndef f():\n    return math.sqrt(math.pi)\n",
    "from math import sqrt, pi as PI\ndef f():\n    return sqrt(PI)\n",
    "import numpy\ndef f():\n    return numpy.zeros(2, dtype=numpy.int64)\n",
    "def f(x, d):\n    x.append(1)\n    d.get(1)\n    return x.pop()\n",
    "def f(x):\n    return [x.pop(0), x.pop()]\n",
    "global x\nx = 1\n",
    "def f():\n    'docstring'\n    return 1\n",
]


@pytest.mark.parametrize("src", SUPPORTED)
def test_supported_boundary_compiles(src):
    tracejit.VM().load_source(src, FILENAME)


# ----- unreachable code is still checked -------------------------------------------------
UNREACHABLE = [
    ("if-false-body", "def f():\n    if False:\n        lambda: 1\n    return 1\n", 3, 8, "lambda"),
    ("if-zero-module", "if 0:\n    class A:\n        pass\n", 2, 4, "class"),
    ("if-false-module-lambda", "if False:\n    f = lambda: 1\n", 2, 8, "lambda"),
    ("if-false-nested-def", "def f():\n    if False:\n        def g():\n            pass\n    return 1\n",
     3, 8, "nested function"),
    ("if-false-elif", "def f(x):\n    if False:\n        pass\n    elif x:\n        del x\n", 5, 8, "del"),
    ("if-false-nested-if-true", "def f():\n    if False:\n        if True:\n            del x\n", 4, 12, "del"),
    ("if-true-else", "def f():\n    if True:\n        return 1\n    else:\n        del x\n", 5, 8, "del"),
    ("after-return", "def f():\n    return 1\n    x = [i for i in y]\n", 3, 8, "list comprehension"),
    ("after-return-import", "def f():\n    return 1\n    import os\n", 3, 4, "'os'"),
    ("after-return-builtin", "def f():\n    return 1\n    open('x')\n", 3, 4, "builtin 'open'"),
    ("after-return-kwarg", "def f():\n    return 1\n    g(a=1)\n", 3, 6, "keyword argument 'a'"),
    ("after-return-attribute", "def f(x):\n    return 1\n    x.real\n", 3, 4, ".real"),
    ("after-return-matmul", "def f(x):\n    return 1\n    x @ x\n", 3, 4, "matmult"),
    ("after-return-bytes", "def f(x):\n    return 1\n    y = b'x'\n", 3, 8, "bytes"),
    ("after-return-nested-def", "def f():\n    return 1\n    def g():\n        pass\n", 3, 4, "nested function"),
    ("after-return-try", "def f():\n    return 1\n    try:\n        pass\n    finally:\n        pass\n", 3, 4, "try"),
    ("after-break", "def f():\n    for i in range(3):\n        break\n        lambda: 1\n", 4, 8, "lambda"),
    ("after-continue", "def f():\n    for i in range(3):\n        continue\n        del i\n", 4, 8, "del"),
    ("while-false-body", "def f():\n    while False:\n        del x\n    return 1\n", 3, 8, "del"),
    ("while-zero-else", "def f():\n    while 0:\n        pass\n    else:\n        lambda: 1\n", 5, 8, "lambda"),
    ("while-true-else", "def f():\n    while True:\n        return 1\n    else:\n        del x\n", 5, 8, "del"),
    ("after-infinite-loop", "def f():\n    while True:\n        pass\n    lambda: 1\n", 4, 4, "lambda"),
    ("and-false", "def f(x):\n    return False and [i for i in x]\n", 2, 21, "list comprehension"),
    ("ifexp-false-branch", "def f():\n    return (lambda: 1) if False else 2\n", 2, 12, "lambda"),
    ("if-false-in-second-function",
     "def f():\n    return 1\n\ndef g():\n    if False:\n        return {1, 2}\n    return 2\n", 6, 15, "set"),
]


@pytest.mark.parametrize("src, line, col, words", [c[1:] for c in UNREACHABLE],
                         ids=[c[0] for c in UNREACHABLE])
def test_unreachable_unsupported_code_still_raises(src, line, col, words):
    check(src, line, col, words)


def test_error_in_never_called_function_is_reported():
    # functions are compiled when the module is loaded, whether or not they are called
    check("def main():\n    return 1\n\ndef unused():\n    return [x for x in y]\n", 5, 11,
          "list comprehension")


# ----- invalid Python: CompileError at CPython's position ---------------------------------
INVALID_SYNTAX = [
    ("incomplete-expression", "def f():\n    return 1 +\n"),
    ("unclosed-paren", "x = 1\ny = (\n"),
    ("missing-indent", "def f():\nreturn 1\n"),
    ("inconsistent-tabs", "def f():\n\tif 1:\n        return 1\n"),
    ("unterminated-string", "x = 1\nx = 'abc\n"),
    ("assign-in-if", "def f(x):\n    if x = 1:\n        return 1\n"),
    ("duplicate-argument", "def f(a, a):\n    return a\n"),
    ("assign-to-literal", "1 = x\n"),
    ("return-outside-function", "x = 1\nreturn x\n"),
    ("yield-outside-function", "x = 1\nyield x\n"),
    ("await-outside-function", "await x\n"),
    ("break-outside-loop", "x = 1\nbreak\n"),
    ("continue-outside-loop", "def f():\n    continue\n"),
    ("nonlocal-at-module", "nonlocal x\n"),
    ("global-after-assignment", "def f():\n    x = 1\n    global x\n"),
    ("star-import-in-function", "def f():\n    from math import *\n"),
    ("bad-token", "x = 1\ny = 2 $ 3\n"),
    ("too-many-parentheses", "x = " + "(" * 300 + "1" + ")" * 300 + "\n"),
]


def cpython_syntax_error(src):
    with pytest.raises(SyntaxError) as info:
        compile(src, FILENAME, "exec", dont_inherit=True)
    return info.value


@pytest.mark.parametrize("src", [c[1] for c in INVALID_SYNTAX], ids=[c[0] for c in INVALID_SYNTAX])
def test_invalid_python_reports_cpython_position(src):
    expected = cpython_syntax_error(src)
    exc = compile_error(src)
    assert exc.filename == FILENAME
    assert exc.lineno == expected.lineno
    assert exc.col == expected.offset - 1
    assert expected.msg in exc.msg


def test_null_byte_source_is_a_compile_error():
    exc = compile_error("x = 1\0\n")
    assert exc.filename == FILENAME and exc.lineno == 1


@pytest.mark.parametrize("src", [
    "x = " + "-" * 100000 + "1\n",
    "x = 1" + " + 1" * 100000 + "\n",
    "x = " + "-" * 900 + "1\n",
    "def f(x):\n    return x" + ".shape" * 5000 + "\n",
], ids=["unary-100000", "binop-100000", "unary-900", "attribute-chain-5000"])
def test_pathologically_deep_source_is_a_compile_error(src):
    # never a RecursionError/MemoryError escaping from the front-end
    exc = compile_error(src)
    assert exc.filename == FILENAME and exc.lineno == 1


# ----- the CompileError object itself -------------------------------------------------------
def test_compile_error_is_a_syntax_error_with_location():
    src = "x = 1\n\ndef f(n):\n    return [i for i in range(n)]\n"
    exc = compile_error(src)
    assert isinstance(exc, SyntaxError)
    assert isinstance(exc, interp.CompileError) and tracejit.CompileError is interp.CompileError
    assert (exc.filename, exc.lineno, exc.col) == (FILENAME, 4, 11)
    assert exc.offset == 12                       # SyntaxError's offset is 1-based
    assert exc.text == "    return [i for i in range(n)]"
    assert str(exc) == f"prog.py:4:12: {exc.msg}"
    assert str(exc).startswith("prog.py:4:12: ") and "list comprehension" in str(exc)


@pytest.mark.parametrize("src, line, col, words", [c[1:] for c in UNSUPPORTED[::7]],
                         ids=[c[0] for c in UNSUPPORTED[::7]])
def test_compile_error_str_format(src, line, col, words):
    exc = compile_error(src)
    assert str(exc) == f"{FILENAME}:{line}:{col + 1}: {exc.msg}"


def test_compile_error_str_format_for_invalid_syntax():
    exc = compile_error("x = 1\ny = (1 +\n      2 +)\n")
    expected = cpython_syntax_error("x = 1\ny = (1 +\n      2 +)\n")
    assert isinstance(exc, SyntaxError)
    assert str(exc) == f"prog.py:{expected.lineno}:{expected.offset}: {exc.msg}"


def test_compile_error_can_be_caught_as_syntax_error():
    with pytest.raises(SyntaxError):
        tracejit.VM().load_source("def f():\n    yield 1\n", FILENAME)


@pytest.mark.parametrize("filename", ["other.py", "dir/sub/mod.py", "<string>"])
def test_compile_error_carries_the_given_filename(filename):
    exc = compile_error("def f():\n    del x\n", filename)
    assert exc.filename == filename
    assert str(exc) == f"{filename}:2:5: {exc.msg}"


def test_default_filename():
    with pytest.raises(tracejit.CompileError) as info:
        tracejit.VM().load_source("lambda: 1\n")
    assert info.value.filename == "<string>"


def test_compile_source_raises_the_same_error():
    with pytest.raises(interp.CompileError) as info:
        interp.compile_source("def f():\n    with x:\n        pass\n", "c.py")
    assert (info.value.filename, info.value.lineno, info.value.col) == ("c.py", 2, 4)


def test_failed_load_leaves_vm_usable():
    vm = tracejit.VM()
    with pytest.raises(tracejit.CompileError):
        vm.load_source("def f():\n    return [i for i in x]\n", FILENAME)
    mod = vm.load_source("def f(n):\n    return n * 2\n", FILENAME)
    assert mod.call("f", 21) == 42
    assert vm.modules == [mod]


def test_nothing_runs_when_a_later_statement_is_unsupported():
    # compilation is complete before the top level runs: no partial execution
    vm = tracejit.VM()
    src = "print('top level ran')\nx = lambda: 1\n"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(tracejit.CompileError):
        vm.load_source(src, FILENAME)
    assert out.getvalue() == ""


# ----- known bugs (correct behaviour asserted, marked xfail) -------------------------------
@pytest.mark.parametrize("src, col", [
    ('x = "é" + (lambda: 1)\n', 11),
    ('x = "日本" ; y = [i for i in x]\n', 15),
])
def test_column_counts_characters_on_non_ascii_lines(src, col):
    exc = compile_error(src)
    assert exc.lineno == 1
    assert exc.col == col
    assert src[exc.col:].startswith(("lambda", "[i"))


def test_error_text_is_the_offending_line_after_a_form_feed():
    src = "x = 1\n\x0c\ndef f():\n    return lambda: 1\n"
    exc = compile_error(src)
    assert (exc.lineno, exc.col) == (4, 11)
    assert exc.text == "    return lambda: 1"


def test_module_dunder_name_is_readable():
    vm = tracejit.VM()
    mod = vm.load_source("def main():\n    return 1\n\nif __name__ == 'prog':\n    x = main()\n"
                         "def get():\n    return __name__\n", FILENAME)
    assert mod.call("get") == "prog"


def test_import_inside_function_is_rejected_with_its_position():
    with pytest.raises(tracejit.CompileError) as info:
        tracejit.VM().load_source("def f():\n    import math\n    return math.sqrt(4.0)\n", FILENAME)
    assert (info.value.lineno, info.value.col) == (2, 4)
    assert "import inside a function" in info.value.msg
