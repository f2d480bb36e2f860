"""Dot products, norms and an axpy update on 1-D float64 numpy arrays, repeated over several passes."""
import math
import numpy as np

TEST_N = 1000
BENCH_N = 250000


def main(n):
    a = np.zeros(n, dtype=np.float64)
    b = np.empty(n)
    idx = np.arange(n)
    for i in range(n):
        a[i] = (idx[i] % 13) * 0.25 - 1.5
        b[i] = 1.0 / (1 + idx[i] % 7)
    dot = 0.0
    for rep in range(5):
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
    return (float(dot), float(math.sqrt(nb)), int(idx[n - 1]))
