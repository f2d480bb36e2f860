"""Primes below n by trial division (tests/programs/primes_trial.py) in Numba: the
growing list of primes is a preallocated int64 array and a count."""
import numba
import numpy as np


@numba.njit
def primes_trial(n):
    primes = np.empty(max(n, 1), dtype=np.int64)
    count = 0
    total = 0
    for c in range(2, n):
        is_prime = True
        for p in primes[:count]:
            if p * p > c:
                break
            if c % p == 0:
                is_prime = False
                break
        if is_prime:
            primes[count] = c
            count += 1
            total += c
    return count, total, primes[count - 1]


def main(n):
    return primes_trial(n)
