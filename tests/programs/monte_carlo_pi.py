"""Estimates pi by Monte Carlo sampling of the unit square with a hand-written Park-Miller generator kept in a global."""

TEST_N = 5000
BENCH_N = 5000000
MODULUS = 2147483647
SEED = 1


def rand():
    global SEED
    SEED = (SEED * 16807) % MODULUS
    return SEED / MODULUS


def main(n):
    global SEED
    SEED = 20240601
    hits = 0
    for i in range(n):
        x = rand()
        y = rand()
        if x * x + y * y <= 1.0:
            hits += 1
    estimate = 4.0 * hits / n
    print("pi ~", estimate)
    return (hits, estimate, SEED)
