"""Dice-sum histogram (tests/programs/histogram.py) in Numba: the list is an int64 array."""
import numba
import numpy as np

BUCKETS = 31


@numba.njit
def histogram(n):
    hist = np.zeros(BUCKETS, dtype=np.int64)
    x = 99991
    for _ in range(n):
        x = (x * 69069 + 1) % 4294967296
        hist[(x >> 8) % 11 + (x >> 15) % 11 + (x >> 22) % 11] += 1
    mode = 0
    mean_num = 0
    for k in range(BUCKETS):
        if hist[k] > hist[mode]:
            mode = k
        mean_num += k * hist[k]
    return hist, mode, mean_num / n


def main(n):
    hist, mode, mean = histogram(n)
    return (hist.tolist(), mode, mean)
