"""Naive doubly-recursive Fibonacci number, cross-checked against an iterative big-int version."""

TEST_N = 15
BENCH_N = 35


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def fib_iter(n):
    a, b = 0, 1
    for i in range(n):
        a, b = b, a + b
    return a


def main(n):
    r = fib(n)
    return (r, r == fib_iter(n), fib_iter(n * 10) % 1000000007)
