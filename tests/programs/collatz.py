"""Finds the starting value below n with the longest Collatz sequence, plus the total number of steps."""

TEST_N = 2000
BENCH_N = 250000


def collatz_len(x):
    steps = 0
    while x != 1:
        if x & 1:
            x = 3 * x + 1
        else:
            x = x >> 1
        steps += 1
    return steps


def main(n):
    best = 1
    best_len = 0
    total = 0
    for start in range(1, n):
        length = collatz_len(start)
        total += length
        if length > best_len:
            best_len = length
            best = start
    print("longest below", n, "starts at", best, "with", best_len, "steps")
    return (best, best_len, total)
