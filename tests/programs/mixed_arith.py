"""Mixed int/float arithmetic: accumulates a harmonic-like series with int floor division, rounding and conversions."""
import math

TEST_N = 5000
BENCH_N = 3000000


def main(n):
    fsum = 0.0
    isum = 0
    rsum = 0
    mixed = 0.0
    for i in range(1, n + 1):
        q = i // 3
        r = i % 7
        f = i / 3
        fsum += f - q
        isum += int(f * 2.5) - q
        rsum += round(i * 0.37)
        mixed += (r + 0.5) ** 2 / (q + 1)
        if i % 1000 == 0:
            mixed = mixed - math.floor(mixed)
    m = float(isum) + fsum * 1e-3
    q2, r2 = divmod(-n, 7)
    return (fsum, isum, rsum, mixed, m, int(-7.9), q2, r2, -n // 7, -n % 7, 7.5 // 2, -7.5 % 2)
