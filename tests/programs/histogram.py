"""Bins pseudo-random sums of three dice-like values into a histogram list and returns the bucket counts."""

TEST_N = 3000
BENCH_N = 4500000
BUCKETS = 31


def main(n):
    hist = [0] * BUCKETS
    x = 99991
    for i in range(n):
        x = (x * 69069 + 1) % 4294967296
        a = (x >> 8) % 11
        b = (x >> 15) % 11
        c = (x >> 22) % 11
        hist[a + b + c] += 1
    mode = 0
    for k in range(BUCKETS):
        if hist[k] > hist[mode]:
            mode = k
    mean_num = 0
    for k in range(BUCKETS):
        mean_num += k * hist[k]
    print("mode bucket", mode, "count", hist[mode])
    return (hist, mode, mean_num / n)
