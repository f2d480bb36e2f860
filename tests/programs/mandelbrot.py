"""Counts points of an n x n grid over [-2,1]x[-1.5,1.5] that lie in the Mandelbrot set (50 iterations)."""

TEST_N = 24
BENCH_N = 900
MAX_ITER = 50


def main(n):
    inside = 0
    checksum = 0
    for y in range(n):
        ci = 3.0 * y / n - 1.5
        for x in range(n):
            cr = 3.0 * x / n - 2.0
            zr = 0.0
            zi = 0.0
            it = 0
            while it < MAX_ITER:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                it += 1
            if it == MAX_ITER:
                inside += 1
            checksum = (checksum * 31 + it) % 1000000007
    print("inside:", inside)
    return (inside, checksum)
