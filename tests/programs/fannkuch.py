"""Fannkuch-redux: max pancake flips and checksum over all permutations of 0..n-1 (run twice, results must agree)."""

TEST_N = 6
BENCH_N = 9


def fannkuch(n):
    perm1 = [0] * n
    for i in range(n):
        perm1[i] = i
    perm = [0] * n
    count = [0] * n
    max_flips = 0
    checksum = 0
    perm_count = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        for i in range(n):
            perm[i] = perm1[i]
        flips = 0
        k = perm[0]
        while k != 0:
            i = 0
            j = k
            while i < j:
                perm[i], perm[j] = perm[j], perm[i]
                i += 1
                j -= 1
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        checksum += flips if perm_count % 2 == 0 else -flips
        perm_count += 1
        while True:
            if r == n:
                return (checksum, max_flips)
            perm0 = perm1[0]
            for i in range(r):
                perm1[i] = perm1[i + 1]
            perm1[r] = perm0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def main(n):
    checksum, max_flips = fannkuch(n)
    again = fannkuch(n)
    print(checksum)
    print("Pfannkuchen(" + str(n) + ") = " + str(max_flips))
    return (checksum, max_flips, again == (checksum, max_flips))
