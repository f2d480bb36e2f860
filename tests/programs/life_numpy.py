"""Conway's Game of Life on an n x n torus stored in 2-D int64/bool numpy arrays; returns live-cell counts."""
import numpy as np

TEST_N = 16
BENCH_N = 240
GENERATIONS = 20


def main(n):
    grid = np.zeros((n, n), dtype=np.int64)
    nxt = np.zeros((n, n), dtype=np.int64)
    seen = np.zeros((n, n), dtype=np.bool_)
    for i in range(n):
        for j in range(n):
            if (i * 37 + j * 11 + i * j) % 7 < 3:
                grid[i, j] = 1
    history = []
    for g in range(GENERATIONS):
        live = 0
        for i in range(n):
            up = (i - 1) % n
            down = (i + 1) % n
            for j in range(n):
                left = (j - 1) % n
                right = (j + 1) % n
                s = (grid[up, left] + grid[up, j] + grid[up, right] + grid[i, left]
                     + grid[i, right] + grid[down, left] + grid[down, j] + grid[down, right])
                alive = grid[i, j] == 1
                if s == 3 or (alive and s == 2):
                    nxt[i, j] = 1
                    live += 1
                    seen[i, j] = True
                else:
                    nxt[i, j] = 0
        grid, nxt = nxt, grid
        history.append(int(live))
    ever = 0
    for i in range(n):
        for j in range(n):
            if seen[i, j]:
                ever += 1
    return (history, ever)
