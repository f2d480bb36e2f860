"""Lists of lists inside traces (``lol:<elem>``, ``itl:<elem>``).

A list whose items are all int, float or bool lists of one strategy is passed to a
trace as a table of its rows; ``grid[i]`` (``lol_get``) and ``for row in grid`` read
rows in place, which exits restore as the outer list's item at its index. Differential
tests (CPython vs every VM mode) for nested indexing, rotated ``for row in rows``
loops, rows shared by two slots, jagged rows, out-of-range and negative indices, rows
whose strategy changes, outer lists changed between entries (rows replaced by rows of the same length too), and exits leaving a row in
a register (checked by identity); counting tests check the loops compiled.
"""
import pytest
from hypothesis import given, settings, strategies as st

import tracejit
from differential import assert_same
from jit_checks import check_no_internal_errors, trace_ops

SUM_GRID = """
def make(n, kind):
    grid = []
    for i in range(n):
        row = []
        for j in range(n):
            if kind == 0:
                row.append(i * n + j)
            elif kind == 1:
                row.append((i * n + j) * 0.5)
            else:
                row.append((i + j) % 3 == 0)
        grid.append(row)
    return grid

def main(n, kind):
    grid = make(n, kind)
    total = 0
    for i in range(n):
        for j in range(n):
            total += grid[i][j]
    diag = 0
    for i in range(n):
        diag += grid[i][i] + grid[-1 - i][i]
    return total, diag
"""

FOR_ROW = """
def main(n, bump):
    grid = []
    for i in range(n):
        grid.append([i * 1.0, i * 2.0, 0.5])
    for k in range(3):
        for r in grid:
            r[0] += bump
            r[2] = r[0] * r[1]
    s = 0.0
    last = None
    for r in grid:
        s += r[2]
        last = r
    return s, grid, last is grid[-1], r is grid[-1]
"""

SHARED_ROWS = """
def main(n):
    a = [0] * 4
    b = [1] * 4
    grid = [a, b, a, b, a]
    for i in range(n):
        row = grid[i % 5]
        row[i % 4] += row[(i + 1) % 4] + 1
    return grid, a, b
"""

JAGGED = """
def main(n, k):
    rows = []
    for i in range(n):
        rows.append([i] * (i % 4 + 1))
    total = 0
    for i in range(n):
        r = rows[i]
        total += r[k]
    return total
"""

BREAK_WITH_ROW = """
def main(n, stop):
    grid = []
    for i in range(n):
        grid.append([i, i + 1, i + 2])
    row = None
    t = 0
    for i in range(n):
        row = grid[i]
        if row[1] == stop:
            break
        t += row[2]
    return t, row, row is grid[min(stop - 1, n - 1)] if stop > 0 else row is grid[-1]
"""

STRATEGY_CHANGE = """
def main(n, k, odd):
    grid = []
    for i in range(n):
        grid.append([i, i * 2])
    total = 0
    for i in range(n):
        if i == k:
            grid[(i + 3) % n][0] = odd
        r = grid[i]
        total += r[0] + r[1]
    return total, grid[(k + 3) % n]
"""

CHANGED_BETWEEN_ENTRIES = """
def walk(grid, m):
    t = 0
    for i in range(m):
        r = grid[i % len(grid)]
        t += r[i % len(r)]
    return t

def main(n):
    grid = [[1, 2], [3, 4, 5]]
    out = []
    for rep in range(6):
        out.append(walk(grid, n))
        grid[0].append(rep * 10)          # a row's storage grows
        grid.append([rep, rep + 1])       # the outer list grows
        grid[1] = [7] * (rep + 2)         # a row is replaced
    return out
"""

SAME_SHAPE_BETWEEN_ENTRIES = """
def walk(grid, m):
    t = 0
    for i in range(m):
        t += grid[i % 3][i % 2]
    return t

def main(n):
    grid = [[1, 2], [3, 4], [5, 6]]
    out = []
    for rep in range(8):
        out.append(walk(grid, n))
        grid[rep % 3] = [rep * 10, rep * 10 + 1]   # a row replaced by one of the same length
        if rep == 5:
            grid[2] = [0.5, 1.5]                    # a row of another strategy, same length
        elif rep == 6:
            grid[2] = [9, 8]
    return out
"""

APPEND_WHILE_READING = """
def main(n):
    grid = [[1, 2, 3], [4, 5, 6]]
    out = []
    for i in range(n):
        out.append(grid[i % 2][i % 3])
        grid[i % 2].append(i)
    return out, grid
"""


@pytest.mark.parametrize("kind", [0, 1, 2])
def test_nested_indexing(kind):
    assert_same(SUM_GRID, "main", (30, kind))


@pytest.mark.parametrize("bump", [1.0, 2])
def test_for_row_in_rows(bump):
    assert_same(FOR_ROW, "main", (40, bump))


def test_rows_shared_by_two_slots():
    assert_same(SHARED_ROWS, "main", (400,))


@pytest.mark.parametrize("k", [0, 1, -1, 3])
def test_jagged_rows_index_out_of_range(k):
    assert_same(JAGGED, "main", (60, k))


@pytest.mark.parametrize("stop", [0, 1, 37, 1000])
def test_exit_leaves_the_row_in_its_register(stop):
    assert_same(BREAK_WITH_ROW, "main", (80, stop))


@pytest.mark.parametrize("odd", [2.5, 2 ** 70, "x"])
@pytest.mark.parametrize("k", [0, 20, 79])
def test_a_row_changes_strategy(k, odd):
    assert_same(STRATEGY_CHANGE, "main", (80, k, odd))


def test_outer_list_and_rows_changed_between_entries():
    assert_same(CHANGED_BETWEEN_ENTRIES, "main", (50,))


def test_rows_replaced_by_rows_of_the_same_length_between_entries():
    # the row table kept for a list between entries (``abi._rows``) must not outlive its rows
    assert_same(SAME_SHAPE_BETWEEN_ENTRIES, "main", (40,))


def test_append_to_a_row_while_reading_rows():
    assert_same(APPEND_WHILE_READING, "main", (300,))


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.lists(st.integers(-10 ** 6, 10 ** 6), min_size=0, max_size=6), min_size=1, max_size=6),
       picks=st.lists(st.tuples(st.integers(-7, 7), st.integers(-7, 7)), min_size=1, max_size=40))
def test_random_jagged_grids_and_indices(rows, picks):
    source = f"""
def main():
    grid = {rows!r}
    picks = {picks!r}
    total = 0
    for p in picks:
        total += grid[p[0]][p[1]]
    return total
"""
    assert_same(source, "main", (), modes=["interp", "jit-hot1"])


def _compiled(source, fn, *args, hot_loop=5):
    vm = tracejit.VM(hot_loop=hot_loop)
    got = vm.load_source(source, "<prog>").call(fn, *args)
    assert got == tracejit.VM(jit=False).load_source(source, "<prog>").call(fn, *args)
    check_no_internal_errors(vm)
    return vm


def test_nested_indexing_compiles_one_nest():
    vm = _compiled(SUM_GRID, "main", 60, 1)
    # the i loop calls the compiled j loop with the grid, which it reads grid[i][j] from
    # (the row grid[i] is a dead temporary at the j loop's exits: nothing restores it)
    calls = [(installed.trace, ins) for installed in vm.jit.installed for ins in installed.trace.ins
             if ins.op == "call_loop"]
    assert any(trace.type_of(arg).startswith("lol:") for trace, ins in calls for arg in ins.args)
    assert not any(trace_ops(vm, i)["lol_get"] + trace_ops(vm, i)["lol_get_inbounds"]
                   for i, installed in enumerate(vm.jit.installed) if installed.nested)
    assert "UNSUPPORTED_TYPE" not in vm.stats()["abort_reasons"]   # (the rows are built by appends to [])


def test_for_row_loop_reads_rows_from_its_iterator():
    vm = _compiled(FOR_ROW, "main", 400, 1.0)
    rows_read = [i for i, installed in enumerate(vm.jit.installed) if installed.derived_rows]
    assert rows_read, "no trace read its loop variable from its iterator"
    assert any(installed.trace.type_of(ref).startswith("itl:")
               for installed in vm.jit.installed for ref in installed.trace.params)


def test_nbody_runs_compiled():
    import os
    from conftest import PROGRAMS_DIR
    with open(os.path.join(PROGRAMS_DIR, "nbody.py"), encoding="utf-8") as f:
        source = f.read()
    vm = _compiled(source, "main", 400)
    stats = vm.stats()
    assert stats["jit_coverage"] > 0.9, stats["jit_coverage"]
    # advance()'s step loop compiled as one nest over the bodies' rows
    assert any(trace_ops(vm, i)["call_loop"] >= 2 for i in range(len(vm.jit.installed)))
