"""The cache's files without Numba: entry format, atomic store, eviction, location,
linking, loading, and the ``tracejit cache`` command."""
import os
import subprocess
import sys

import pytest

from tracejit.cache import entry, location, store
from tracejit.cache.link import NotCacheable, compiler, shared_object

KEY = "ab" * 32
OTHER_KEY = "cd" * 32


def test_an_entry_unpacks_to_its_payload():
    assert entry.unpack(KEY, entry.pack(KEY, b"payload bytes")) == b"payload bytes"


@pytest.mark.parametrize("damage, reason", [
    (lambda data: data[:-1], "truncated"),
    (lambda data: data[:10], "truncated"),
    (lambda data: data[:-3] + bytes([data[-3] ^ 0x40]) + data[-2:], "checksum"),
    (lambda data: data[:8] + (99).to_bytes(4, "little") + data[12:], "format version 99"),
    (lambda data: b"\x7fELF" + data[4:], "bad magic"),
    (lambda data: entry.pack(OTHER_KEY, b"payload bytes"), "another key"),
])
def test_a_damaged_or_foreign_entry_is_refused_with_the_reason(damage, reason):
    with pytest.raises(entry.CorruptEntry, match=reason):
        entry.unpack(KEY, damage(entry.pack(KEY, b"payload bytes")))


def test_store_writes_atomically_and_reads_back(tmp_path):
    entries = store.EntryStore(str(tmp_path / "cache"))
    assert entries.read(KEY) is None
    entries.write(KEY, b"one")
    entries.write(KEY, b"two")            # replaces: readers see one version or the other
    assert entries.read(KEY) == b"two"
    assert os.listdir(tmp_path / "cache") == [KEY + store.SUFFIX]   # no temporary file left


def test_eviction_removes_the_least_recently_used_entries_first(tmp_path):
    entries = store.EntryStore(str(tmp_path), max_bytes=250)
    keys = [f"{i:02x}" * 32 for i in range(3)]
    for age, key in enumerate(keys):
        entries.write(key, bytes(100))
        os.utime(entries.path(key), (1000 + age, 1000 + age))
    # writing the third went over the cap: the oldest went
    assert entries.read(keys[0]) is None
    assert entries.read(keys[1]) is not None          # read: now the most recently used
    entries.write("ff" * 32, bytes(100))
    assert entries.read(keys[2]) is None and entries.read(keys[1]) is not None
    assert sum(size for _, size, _ in entries.entries()) <= 250


def test_stale_temporary_files_of_dead_writers_are_removed(tmp_path):
    stale = tmp_path / (store.TEMP_PREFIX + "dead")
    stale.write_bytes(b"partial")
    os.utime(stale, (1, 1))
    fresh = tmp_path / (store.TEMP_PREFIX + "writing")
    fresh.write_bytes(b"partial")
    assert store.EntryStore(str(tmp_path)).entries() == []
    assert not stale.exists() and fresh.exists()


def test_cache_location(monkeypatch, tmp_path):
    for name in ("TRACEJIT_CACHE_DIR", "TRACEJIT_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert location.cache_directory() == str(tmp_path / ".cache" / "tracejit")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert location.cache_directory(True) == str(tmp_path / "xdg" / "tracejit")
    monkeypatch.setenv("TRACEJIT_CACHE_DIR", str(tmp_path / "explicit"))
    assert location.cache_directory() == str(tmp_path / "explicit")
    assert location.cache_directory(tmp_path / "given") == str(tmp_path / "given")
    assert location.cache_directory(False) is None
    monkeypatch.setenv("TRACEJIT_CACHE", "0")
    assert location.cache_directory() is None
    assert location.cache_directory(str(tmp_path / "given")) == str(tmp_path / "given")


needs_cc = pytest.mark.skipif(compiler() is None, reason="no C compiler")


def _object(tmp_path, text):
    source = tmp_path / "code.c"
    source.write_text(text)
    subprocess.run(compiler() + ["-c", "-fPIC", "-O1", "-o", str(tmp_path / "code.o"), str(source)], check=True)
    return (tmp_path / "code.o").read_bytes()


@needs_cc
def test_code_needing_more_than_libc_and_libm_is_not_cacheable(tmp_path):
    code = _object(tmp_path, "extern void *numba_unpickle(void *);\n"
                             "void *f(void *p) { return numba_unpickle(p); }\n")
    with pytest.raises(NotCacheable, match="numba_unpickle"):
        shared_object(code)


@needs_cc
def test_a_linked_entry_loads_without_numba(tmp_path):
    code = _object(tmp_path, "#include <math.h>\n#include <stdint.h>\n"
                             "int64_t entry(int64_t a, double x, int64_t *out) "
                             "{ out[0] = a + (int64_t)pow(x, 2.0); return -1; }\n")
    payload = shared_object(code)
    script = ("import sys, numpy as np\n"
              "from tracejit.cache.loader import load_function\n"
              "from tracejit.backend.abi import pointer_to\n"
              f"fn, lib = load_function(open({str(tmp_path / 'p.so')!r}, 'rb').read(), 'entry', "
              "['int64', 'double', 'ptr:int64'])\n"
              "out = np.zeros(1, np.int64)\n"
              "print(fn(5, 3.0, pointer_to(out)), out[0], 'numba' in sys.modules)\n")
    (tmp_path / "p.so").write_bytes(payload)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.split() == ["-1", "14", "False"], result.stderr


def test_cache_info_and_clear_commands(tmp_path):
    entries = store.EntryStore(str(tmp_path))
    entries.write(KEY, entry.pack(KEY, b"x" * 100))
    entries.write(OTHER_KEY, entry.pack(OTHER_KEY, b"y" * 50))

    def command(*args):
        result = subprocess.run([sys.executable, "-m", "tracejit", "cache", *args, "--dir", str(tmp_path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    info = command("info")
    assert f"directory: {tmp_path}" in info and "entries:   2" in info
    assert f"size:      {2 * entry.HEADER_SIZE + 150} bytes" in info
    assert "removed 2 entries" in command("clear")
    assert "entries:   0" in command("info")
