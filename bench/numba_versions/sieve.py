"""Sieve of Eratosthenes, three times (tests/programs/sieve.py) in Numba: flags are a bool array."""
import numba
import numpy as np


@numba.njit
def sieve(n):
    flags = np.ones(n, dtype=np.bool_)
    flags[0] = False
    if n > 1:
        flags[1] = False
    i = 2
    while i * i < n:
        if flags[i]:
            flags[i * i:n:i] = False
        i += 1
    count = 0
    last = 0
    for k in range(n):
        if flags[k]:
            count += 1
            last = k
    return count, last


@numba.njit
def three_sieves(n):
    total = 0
    last = 0
    for rep in range(3):
        count, last = sieve(n - rep)
        total += count
    return total, last


def main(n):
    return three_sieves(n)
