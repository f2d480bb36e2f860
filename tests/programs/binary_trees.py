"""Binary-trees benchmark: allocates and walks complete binary trees built from nested lists."""

TEST_N = 6
BENCH_N = 15
MIN_DEPTH = 4


def make_tree(depth):
    if depth == 0:
        return [None, None]
    depth -= 1
    return [make_tree(depth), make_tree(depth)]


def check_tree(node):
    left = node[0]
    if left is None:
        return 1
    return 1 + check_tree(left) + check_tree(node[1])


def main(n):
    max_depth = max(MIN_DEPTH + 2, n)
    stretch = max_depth + 1
    results = []
    results.append(check_tree(make_tree(stretch)))
    long_lived = make_tree(max_depth)
    for d in range(MIN_DEPTH, max_depth + 1, 2):
        iters = 2 ** (max_depth - d + MIN_DEPTH)
        check = 0
        for i in range(iters):
            check += check_tree(make_tree(d))
        results.append(check)
    results.append(check_tree(long_lived))
    return results
