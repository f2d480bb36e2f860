"""N-body simulation of the Jovian planets (tests/programs/nbody.py) in Numba.

Bodies are rows of a (5, 7) float64 array: x, y, z, vx, vy, vz, mass; the
arithmetic is in the program's order, so both energies agree to the last bit.
"""
from math import sqrt

import numba
import numpy as np

SOLAR_MASS = 39.47841760435743
DAYS_PER_YEAR = 365.24
PLANETS = np.array(((4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04),
                    (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04),
                    (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05),
                    (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05)))


@numba.njit
def make_bodies(planets):
    bodies = np.zeros((len(planets) + 1, 7))
    bodies[0, 6] = SOLAR_MASS
    px = 0.0
    py = 0.0
    pz = 0.0
    for k in range(len(planets)):
        b = bodies[k + 1]
        b[0:3] = planets[k, 0:3]
        b[3:6] = planets[k, 3:6] * DAYS_PER_YEAR
        b[6] = planets[k, 6] * SOLAR_MASS
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    bodies[0, 3] = -px / SOLAR_MASS
    bodies[0, 4] = -py / SOLAR_MASS
    bodies[0, 5] = -pz / SOLAR_MASS
    return bodies


@numba.njit
def energy(bodies):
    e = 0.0
    nb = len(bodies)
    for i in range(nb):
        bi = bodies[i]
        e += 0.5 * bi[6] * (bi[3] * bi[3] + bi[4] * bi[4] + bi[5] * bi[5])
        for j in range(i + 1, nb):
            bj = bodies[j]
            dx = bi[0] - bj[0]
            dy = bi[1] - bj[1]
            dz = bi[2] - bj[2]
            e -= bi[6] * bj[6] / sqrt(dx * dx + dy * dy + dz * dz)
    return e


@numba.njit
def advance(bodies, dt, steps):
    nb = len(bodies)
    for _ in range(steps):
        for i in range(nb):
            bi = bodies[i]
            for j in range(i + 1, nb):
                bj = bodies[j]
                dx = bi[0] - bj[0]
                dy = bi[1] - bj[1]
                dz = bi[2] - bj[2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * sqrt(d2))
                bim = bi[6] * mag
                bjm = bj[6] * mag
                bi[3] -= dx * bjm
                bi[4] -= dy * bjm
                bi[5] -= dz * bjm
                bj[3] += dx * bim
                bj[4] += dy * bim
                bj[5] += dz * bim
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]


def main(n):
    bodies = make_bodies(PLANETS)
    e0 = energy(bodies)
    advance(bodies, 0.01, n)
    return (e0, energy(bodies))
