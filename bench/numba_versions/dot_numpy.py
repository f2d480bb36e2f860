"""Dot products, norms and axpy on float64 arrays (tests/programs/dot_numpy.py) in Numba."""
import math

import numba
import numpy as np


@numba.njit
def dot_passes(n):
    a = np.zeros(n, dtype=np.float64)
    b = np.empty(n)
    idx = np.arange(n)
    for i in range(n):
        a[i] = (idx[i] % 13) * 0.25 - 1.5
        b[i] = 1.0 / (1 + idx[i] % 7)
    dot = 0.0
    for _ in range(5):
        dot = 0.0
        na = 0.0
        for i in range(len(a)):
            dot += a[i] * b[i]
            na += a[i] * a[i]
        alpha = dot / (na + 1.0)
        for i in range(n):
            b[i] -= alpha * a[i]
    nb = 0.0
    for i in range(n):
        nb += b[i] * b[i]
    return dot, math.sqrt(nb), idx[n - 1]


def main(n):
    dot, norm, last = dot_passes(n)
    return (float(dot), float(norm), int(last))
