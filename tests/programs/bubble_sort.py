"""Bubble-sorts a pseudo-random list of ints and returns a checksum of the sorted order and swap count."""

TEST_N = 150
BENCH_N = 6000


def main(n):
    a = []
    x = 42
    for i in range(n):
        x = (x * 214013 + 2531011) % 4294967296
        a.append((x >> 16) % 10000)
    swaps = 0
    end = n - 1
    swapped = True
    while swapped:
        swapped = False
        for i in range(end):
            if a[i] > a[i + 1]:
                a[i], a[i + 1] = a[i + 1], a[i]
                swaps += 1
                swapped = True
        end -= 1
    ok = True
    for i in range(n - 1):
        if a[i] > a[i + 1]:
            ok = False
    checksum = 0
    for i in range(n):
        checksum = (checksum * 31 + a[i]) % 1000000007
    return (ok, swaps, a[0], a[-1], checksum)
