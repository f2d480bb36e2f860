"""Spectral norm by power iteration (tests/programs/spectral_norm.py) in Numba."""
import math

import numba
import numpy as np


@numba.njit
def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


@numba.njit
def mul_av(v, out, n, transposed):
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += (eval_a(j, i) if transposed else eval_a(i, j)) * v[j]
        out[i] = s


@numba.njit
def mul_atav(v, out, tmp, n):
    mul_av(v, tmp, n, False)
    mul_av(tmp, out, n, True)


@numba.njit
def spectral_norm(n):
    u = np.ones(n)
    v = np.zeros(n)
    tmp = np.zeros(n)
    for _ in range(10):
        mul_atav(u, v, tmp, n)
        mul_atav(v, u, tmp, n)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


def main(n):
    return spectral_norm(n)
