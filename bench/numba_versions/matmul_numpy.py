"""Triple-loop matrix multiply (tests/programs/matmul_numpy.py) in Numba."""
import numba
import numpy as np


@numba.njit
def fill(n, seed):
    m = np.zeros((n, n), dtype=np.float64)
    for i in range(n):
        for j in range(n):
            m[i, j] = ((i * 7 + j * 13 + seed) % 17) / 8.0 - 1.0
    return m


@numba.njit
def matmul(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i, p] * b[p, j]
            c[i, j] = s
    return c


@numba.njit
def trace_and_checksum(n):
    c = matmul(fill(n, 1), fill(n, 5))
    trace = 0.0
    for i in range(n):
        trace += c[i, i]
    checksum = 0.0
    for i in range(n):
        for j in range(n):
            checksum += c[i, j] * (1 + (i + j) % 3)
    return trace, checksum


def main(n):
    return trace_and_checksum(n)
