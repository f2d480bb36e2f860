"""Counts primes below n with the sieve of Eratosthenes on a list of bools, repeated a few times."""

TEST_N = 20000
BENCH_N = 6000000


def sieve(n):
    flags = [True] * n
    flags[0] = False
    if n > 1:
        flags[1] = False
    i = 2
    while i * i < n:
        if flags[i]:
            for j in range(i * i, n, i):
                flags[j] = False
        i += 1
    count = 0
    last = 0
    for k in range(n):
        if flags[k]:
            count += 1
            last = k
    return count, last


def main(n):
    total = 0
    last = 0
    for rep in range(3):
        c, last = sieve(n - rep)
        total += c
    return (total, last)
