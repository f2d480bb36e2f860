"""Computes square roots of 1..n by bisection and compares them with math.sqrt, returning total error and sum."""
import math

TEST_N = 300
BENCH_N = 300000


def bisect_sqrt(x, tol):
    lo = 0.0
    hi = max(1.0, x)
    steps = 0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if mid * mid < x:
            lo = mid
        else:
            hi = mid
        steps += 1
    return (lo + hi) / 2, steps


def main(n):
    total = 0.0
    max_err = 0.0
    steps = 0
    for k in range(1, n + 1):
        r, s = bisect_sqrt(float(k), 1e-10)
        steps += s
        total += r
        err = abs(r - math.sqrt(k))
        if err > max_err:
            max_err = err
    return (total, max_err < 1e-9, steps, math.floor(total))
