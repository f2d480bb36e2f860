"""Session fixtures: the trace logs of ``log_programs``."""
import pytest

from log_programs import BASIC_OPTIONS, BASIC_PROGRAM, TREE_OPTIONS, TREE_PROGRAM, write_log


@pytest.fixture(scope="session")
def basic_log(tmp_path_factory):
    return write_log(tmp_path_factory.mktemp("basic"), "basic", BASIC_PROGRAM, BASIC_OPTIONS)


@pytest.fixture(scope="session")
def tree_log(tmp_path_factory):
    return write_log(tmp_path_factory.mktemp("tree"), "tree", TREE_PROGRAM, TREE_OPTIONS)
