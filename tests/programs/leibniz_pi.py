"""Approximates pi with the Leibniz series and returns the approximation and its error."""
import math

TEST_N = 10000
BENCH_N = 20000000


def main(n):
    total = 0.0
    sign = 1.0
    for k in range(n):
        total += sign / (2 * k + 1)
        sign = -sign
    approx = 4.0 * total
    return (approx, abs(approx - math.pi))
