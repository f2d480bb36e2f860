"""Counts n-queens solutions for board sizes 1..n with list-based backtracking, cross-checked by a bitmask solver."""

TEST_N = 6
BENCH_N = 12


def solve(n, row, cols, diag1, diag2):
    if row == n:
        return 1
    count = 0
    for c in range(n):
        d1 = row + c
        d2 = row - c + n - 1
        if cols[c] or diag1[d1] or diag2[d2]:
            continue
        cols[c] = True
        diag1[d1] = True
        diag2[d2] = True
        count += solve(n, row + 1, cols, diag1, diag2)
        cols[c] = False
        diag1[d1] = False
        diag2[d2] = False
    return count


def solve_bits(n, row, cols, d1, d2):
    if row == n:
        return 1
    count = 0
    free = ~(cols | d1 | d2) & ((1 << n) - 1)
    while free:
        bit = free & -free
        free ^= bit
        count += solve_bits(n, row + 1, cols | bit, ((d1 | bit) << 1) & ((1 << n) - 1), (d2 | bit) >> 1)
    return count


def main(n):
    counts = []
    for k in range(1, n + 1):
        cols = [False] * k
        diag1 = [False] * (2 * k - 1)
        diag2 = [False] * (2 * k - 1)
        counts.append(solve(k, 0, cols, diag1, diag2))
    bits = solve_bits(n, 0, 0, 0, 0)
    print(n, "queens:", counts[-1], bits)
    return (counts, bits == counts[-1])
