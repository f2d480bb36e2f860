"""Mandelbrot set membership on an n x n grid (tests/programs/mandelbrot.py) in Numba."""
import numba

MAX_ITER = 50


@numba.njit
def escape_time(cr, ci):
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
    return it


@numba.njit
def mandelbrot(n):
    inside = 0
    checksum = 0
    for y in range(n):
        ci = 3.0 * y / n - 1.5
        for x in range(n):
            it = escape_time(3.0 * x / n - 2.0, ci)
            if it == MAX_ITER:
                inside += 1
            checksum = (checksum * 31 + it) % 1000000007
    return inside, checksum


def main(n):
    return mandelbrot(n)
