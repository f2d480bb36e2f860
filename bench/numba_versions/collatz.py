"""Longest Collatz sequence below n (tests/programs/collatz.py) in Numba."""
import numba


@numba.njit
def collatz_len(x):
    steps = 0
    while x != 1:
        x = 3 * x + 1 if x & 1 else x >> 1
        steps += 1
    return steps


@numba.njit
def collatz(n):
    best = 1
    best_len = 0
    total = 0
    for start in range(1, n):
        length = collatz_len(start)
        total += length
        if length > best_len:
            best_len = length
            best = start
    return best, best_len, total


def main(n):
    return collatz(n)
