"""Prefix sums, range queries and Kadane (tests/programs/prefix_sum.py) in Numba."""
import numba
import numpy as np


@numba.njit
def prefix_sum(n):
    a = np.empty(n, dtype=np.int64)
    x = 7
    for i in range(n):
        x = (x * 48271) % 2147483647
        a[i] = x % 201 - 100
    pre = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        pre[i + 1] = pre[i] + a[i]
    qsum = 0
    for q in range(n):
        lo = (q * 7919) % n
        hi = (q * 104729) % n
        if lo > hi:
            lo, hi = hi, lo
        qsum += pre[hi + 1] - pre[lo]
    best = a[0]
    cur = 0
    for v in a:
        cur = max(v, cur + v)
        best = max(best, cur)
    return pre[n], qsum, best


def main(n):
    return prefix_sum(n)
