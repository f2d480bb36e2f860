"""Computes n! as an arbitrary-precision int and returns its digit sum, digit count and trailing zeros."""

TEST_N = 200
BENCH_N = 17000


def factorial(n):
    r = 1
    for k in range(2, n + 1):
        r *= k
    return r


def digit_sum(x):
    s = 0
    digits = 0
    while x > 0:
        x, d = divmod(x, 10)
        s += d
        digits += 1
    return s, digits


def main(n):
    f = factorial(n)
    s, digits = digit_sum(f)
    zeros = 0
    x = f
    while x % 10 == 0:
        x //= 10
        zeros += 1
    twos = 0
    p = 2
    while p <= n:
        twos += n // p
        p *= 2
    big = pow(3, n, 10 ** 40) + 2 ** 100 - (-7) ** 33
    print("digits:", digits, "sum:", s)
    return (s, digits, zeros, twos, big % 1000000007, f % 998244353)
