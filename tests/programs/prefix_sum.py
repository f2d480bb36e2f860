"""Computes prefix sums of a list and answers range-sum queries, plus the maximum subarray sum (Kadane)."""

TEST_N = 3000
BENCH_N = 1700000


def main(n):
    a = [0] * n
    x = 7
    for i in range(n):
        x = (x * 48271) % 2147483647
        a[i] = x % 201 - 100
    pre = [0] * (n + 1)
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
        if cur > best:
            best = cur
    return (pre[-1], qsum, best)
