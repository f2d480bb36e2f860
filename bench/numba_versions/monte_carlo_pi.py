"""Monte Carlo pi with a Park-Miller generator (tests/programs/monte_carlo_pi.py) in
Numba: the program's global SEED is a local threaded through the loop."""
import numba

MODULUS = 2147483647


@numba.njit
def monte_carlo(n, seed):
    hits = 0
    for _ in range(n):
        seed = (seed * 16807) % MODULUS
        x = seed / MODULUS
        seed = (seed * 16807) % MODULUS
        y = seed / MODULUS
        if x * x + y * y <= 1.0:
            hits += 1
    return hits, 4.0 * hits / n, seed


def main(n):
    return monte_carlo(n, 20240601)
