"""Every program of tests/programs: main(TEST_N) under CPython and in the VM (every mode)."""
import os

import pytest

from conftest import program_paths
from differential import assert_same


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _test_n(source, path):
    namespace = {"__name__": "prog_" + os.path.splitext(os.path.basename(path))[0]}
    exec(compile(source, path, "exec"), namespace)
    return namespace["TEST_N"]


@pytest.mark.parametrize("path", program_paths(), ids=lambda p: os.path.basename(p)[:-3])
def test_program(path):
    source = _read(path)
    n = _test_n(source, path)
    outcome = assert_same(source, "main", (n,))
    assert outcome.error is None, f"{path}: main({n}) raised {outcome.error.__name__} under CPython"
