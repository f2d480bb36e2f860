"""Counts occurrences of pseudo-random keys (ints and strings) in dicts and returns summary statistics."""

TEST_N = 2000
BENCH_N = 4500000


def main(n):
    counts = {}
    x = 12345
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        k = (x >> 8) % 1000
        counts[k] = counts.get(k, 0) + 1
    most = -1
    most_key = -1
    for k in range(1000):
        if k in counts:
            c = counts[k]
            if c > most:
                most = c
                most_key = k
    names = {}
    for i in range(n // 10):
        key = "k" + str(i % 97)
        if key in names:
            names[key] += i
        else:
            names[key] = i
    print("distinct:", len(counts), "most common:", most_key, most)
    return (len(counts), most_key, most, len(names), names["k0"], names.get("zzz", -1))
