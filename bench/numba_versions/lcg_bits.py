"""LCG + xorshift bit twiddling (tests/programs/lcg_bits.py) in Numba (int64 arithmetic:
every intermediate stays below 2**53, so it equals Python's big ints)."""
import numba

MASK32 = 0xFFFFFFFF


@numba.njit
def popcount(x):
    c = 0
    while x:
        x &= x - 1
        c += 1
    return c


@numba.njit
def lcg_bits(n):
    state = 2463534242
    acc = 0
    ones = 0
    odd = 0
    for i in range(n):
        state = (state * 1664525 + 1013904223) & MASK32
        x = state
        x ^= (x << 13) & MASK32
        x ^= x >> 17
        x ^= (x << 5) & MASK32
        acc = (acc ^ x) + (i % 7)
        acc = ((acc << 3) | (acc >> 29)) & MASK32
        if (x >> 31) % 2 == 1:
            odd += 1
        if i % 16 == 0:
            ones += popcount(x)
    return acc, ones, odd, ~acc & 0xFF, -acc >> 40


def main(n):
    return lcg_bits(n)
