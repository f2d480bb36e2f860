"""Square roots by bisection (tests/programs/bisect_sqrt.py) in Numba."""
import math

import numba


@numba.njit
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


@numba.njit
def sqrt_table(n):
    total = 0.0
    max_err = 0.0
    steps = 0
    for k in range(1, n + 1):
        r, s = bisect_sqrt(float(k), 1e-10)
        steps += s
        total += r
        max_err = max(max_err, abs(r - math.sqrt(k)))
    return total, max_err < 1e-9, steps, math.floor(total)


def main(n):
    return sqrt_table(n)
