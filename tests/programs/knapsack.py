"""0/1 knapsack by dynamic programming over a 1-D list with deterministic pseudo-random items."""

TEST_N = 40
BENCH_N = 1200


def main(n):
    weights = []
    values = []
    x = 1234567
    total_w = 0
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        w = 5 + (x >> 16) % 60
        v = 1 + (x >> 4) % 100
        weights.append(w)
        values.append(v)
        total_w += w
    cap = total_w // 3
    best = [0] * (cap + 1)
    for i in range(n):
        w = weights[i]
        v = values[i]
        c = cap
        while c >= w:
            cand = best[c - w] + v
            if cand > best[c]:
                best[c] = cand
            c -= 1
    return (cap, best[cap], best[cap // 2])
