"""Floyd-Warshall all-pairs shortest paths (tests/programs/floyd_warshall.py) in Numba:
the list of lists is a 2-D int64 array; row views alias like the program's lists."""
import numba
import numpy as np

INF = 1000000000


@numba.njit
def floyd_warshall(n):
    dist = np.full((n, n), INF, dtype=np.int64)
    for i in range(n):
        dist[i, i] = 0
        for j in range(n):
            h = (i * 131 + j * 71 + i * j) % 97
            if i != j and h < 20:
                dist[i, j] = 1 + h
    for k in range(n):
        dk = dist[k]
        for i in range(n):
            di = dist[i]
            dik = di[k]
            if dik == INF:
                continue
            for j in range(n):
                nd = dik + dk[j]
                if nd < di[j]:
                    di[j] = nd
    total = 0
    unreachable = 0
    longest = 0
    for d in dist.ravel():
        if d == INF:
            unreachable += 1
        else:
            total += d
            longest = max(longest, d)
    return total, unreachable, longest


def main(n):
    return floyd_warshall(n)
