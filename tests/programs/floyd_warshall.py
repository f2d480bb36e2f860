"""All-pairs shortest paths with Floyd-Warshall on a deterministic weighted digraph stored as a list of lists."""

TEST_N = 25
BENCH_N = 330
INF = 1000000000


def main(n):
    dist = []
    for i in range(n):
        row = [INF] * n
        row[i] = 0
        dist.append(row)
    for i in range(n):
        for j in range(n):
            h = (i * 131 + j * 71 + i * j) % 97
            if i != j and h < 20:
                dist[i][j] = 1 + h
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
    for i in range(n):
        for j in range(n):
            d = dist[i][j]
            if d == INF:
                unreachable += 1
            else:
                total += d
                longest = max(longest, d)
    return (total, unreachable, longest)
