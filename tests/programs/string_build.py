"""FizzBuzz-style string building: concatenates tokens into lines and returns line count, length checksum and last line."""

TEST_N = 500
BENCH_N = 6000000
WORDS = ("alpha", "beta", "gamma", "delta", "epsilon")


def token(i):
    if i % 15 == 0:
        return "FizzBuzz"
    if i % 5 == 0:
        return WORDS[(i // 5) % 5]
    if i % 3 == 0:
        return "Fizz"
    return str(i)


def main(n):
    line = ""
    lines = 0
    checksum = 0
    fizz = 0
    for i in range(1, n + 1):
        t = token(i)
        if t == "Fizz":
            fizz += 1
        if len(line) > 0:
            line = line + ","
        line += t
        if len(line) >= 72:
            lines += 1
            checksum = (checksum * 131 + len(line)) % 1000003
            line = ""
    print("lines:", lines, "fizz:", fizz)
    return (lines, checksum, fizz, line)
