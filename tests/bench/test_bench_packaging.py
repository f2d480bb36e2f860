"""A wheel holds every package (asv and `pip install .` install wheels): each directory
with an __init__.py under interp/ and tracejit/ is matched by pyproject's package find."""
import fnmatch
import os

import pytest

from bench_paths import ROOT

tomllib = pytest.importorskip("tomllib")


def test_every_package_directory_is_included():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        include = tomllib.load(f)["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = []
    for top in ("interp", "tracejit"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            if "__init__.py" in files:
                packages.append(os.path.relpath(dirpath, ROOT).replace(os.sep, "."))
    assert "tracejit.backend" in packages
    missing = [p for p in packages if not any(fnmatch.fnmatchcase(p, pattern) for pattern in include)]
    assert missing == []
