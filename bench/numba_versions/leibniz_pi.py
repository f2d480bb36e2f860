"""Leibniz series for pi (tests/programs/leibniz_pi.py) in Numba."""
import math

import numba


@numba.njit
def leibniz_sum(n):
    total = 0.0
    sign = 1.0
    for k in range(n):
        total += sign / (2 * k + 1)
        sign = -sign
    return total


def main(n):
    approx = 4.0 * leibniz_sum(n)
    return (approx, abs(approx - math.pi))
