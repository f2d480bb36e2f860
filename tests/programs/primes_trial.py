"""Counts primes below n and sums them, using trial division by previously found primes."""

TEST_N = 3000
BENCH_N = 1500000


def main(n):
    primes = []
    total = 0
    for c in range(2, n):
        is_prime = True
        for p in primes:
            if p * p > c:
                break
            if c % p == 0:
                is_prime = False
                break
        if is_prime:
            primes.append(c)
            total += c
    return (len(primes), total, primes[-1])
