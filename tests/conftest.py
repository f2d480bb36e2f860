import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

PROGRAMS_DIR = os.path.join(os.path.dirname(__file__), "programs")


def program_paths():
    return sorted(os.path.join(PROGRAMS_DIR, f) for f in os.listdir(PROGRAMS_DIR)
                  if f.endswith(".py"))


@pytest.fixture
def same():
    from differential import assert_same
    return assert_same
