"""Multiplies two deterministic n x n float64 numpy matrices with a triple loop and returns trace and checksum."""
import numpy as np

TEST_N = 12
BENCH_N = 175


def fill(n, seed):
    m = np.zeros((n, n), dtype=np.float64)
    for i in range(n):
        for j in range(n):
            m[i, j] = ((i * 7 + j * 13 + seed) % 17) / 8.0 - 1.0
    return m


def matmul(a, b):
    n = a.shape[0]
    m = b.shape[1]
    k = a.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i, p] * b[p, j]
            c[i, j] = s
    return c


def main(n):
    a = fill(n, 1)
    b = fill(n, 5)
    c = matmul(a, b)
    trace = 0.0
    for i in range(n):
        trace += c[i, i]
    checksum = 0.0
    for i in range(n):
        for j in range(n):
            checksum += c[i, j] * (1 + (i + j) % 3)
    return (float(trace), float(checksum))
