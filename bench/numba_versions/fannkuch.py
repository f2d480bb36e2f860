"""Fannkuch-redux (tests/programs/fannkuch.py) in Numba, run twice like the program."""
import numba
import numpy as np


@numba.njit
def fannkuch(n):
    perm1 = np.arange(n)
    perm = np.zeros(n, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    max_flips = 0
    checksum = 0
    perm_count = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm[:] = perm1
        flips = 0
        k = perm[0]
        while k != 0:
            perm[:k + 1] = perm[k::-1].copy()
            flips += 1
            k = perm[0]
        max_flips = max(max_flips, flips)
        checksum += flips if perm_count % 2 == 0 else -flips
        perm_count += 1
        while True:
            if r == n:
                return checksum, max_flips
            perm0 = perm1[0]
            perm1[:r] = perm1[1:r + 1].copy()
            perm1[r] = perm0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def main(n):
    checksum, max_flips = fannkuch(n)
    return (checksum, max_flips, fannkuch(n) == (checksum, max_flips))
