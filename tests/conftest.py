import os
import shutil
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(__file__))
# the optimizer verifies the IR after every pass (tracejit.opt.passes.Optimizer)
os.environ.setdefault("TRACEJIT_VERIFY_IR", "1")

PROGRAMS_DIR = os.path.join(os.path.dirname(__file__), "programs")


def program_paths():
    return sorted(os.path.join(PROGRAMS_DIR, f) for f in os.listdir(PROGRAMS_DIR)
                  if f.endswith(".py"))


def pytest_configure(config):
    """Every test process (each xdist worker too) gets its own persistent trace cache
    (docs/cache.md), inherited by the subprocesses its tests start: tests never read
    or write ~/.cache. Tests that count compilations turn it off or count cache loads."""
    directory = tempfile.mkdtemp(prefix="tracejit-test-cache-")
    config._tracejit_cache_dir = directory
    os.environ["TRACEJIT_CACHE_DIR"] = directory
    os.environ.pop("TRACEJIT_CACHE", None)


def pytest_unconfigure(config):
    directory = getattr(config, "_tracejit_cache_dir", None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def same():
    from differential import assert_same
    return assert_same


# the trace logs of ``tracejit/log_programs.py``, written once per session
@pytest.fixture(scope="session")
def basic_log(tmp_path_factory):
    from log_programs import BASIC_OPTIONS, BASIC_PROGRAM, write_log
    return write_log(tmp_path_factory.mktemp("basic"), "basic", BASIC_PROGRAM, BASIC_OPTIONS)


@pytest.fixture(scope="session")
def tree_log(tmp_path_factory):
    from log_programs import TREE_OPTIONS, TREE_PROGRAM, write_log
    return write_log(tmp_path_factory.mktemp("tree"), "tree", TREE_PROGRAM, TREE_OPTIONS)


# CI runs the property tests on a fixed sequence of examples (TRACEJIT_HYPOTHESIS_PROFILE=ci,
# set by .ci/run): a landing never turns red on a newly drawn example. Local runs draw new
# examples each time and keep failures in .hypothesis/ for replay.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True)
_hypothesis_settings.load_profile(os.environ.get("TRACEJIT_HYPOTHESIS_PROFILE", "default"))
