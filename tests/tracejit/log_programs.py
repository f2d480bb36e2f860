"""Two small programs whose trace logs the log tests read (``conftest.py`` writes each
once per session, with ``write_log``).

``BASIC_PROGRAM``: two compiled traces (lines 3 and 12), a guard exit taken 30 times
(line 4: its branch is over two instructions, so the recorder keeps it a branch), four aborts of the loop at line 8 (a dict store at line 9) and its blacklisting.
``TREE_PROGRAM``: a trace that grows a side trace (with an inlined call on the side path)
and a trace whose guard inside an inlined call keeps failing, so it is retired; the
function it called, then called by the interpreter, is recorded from its entry (too short
to compile).
"""
import tracejit

BASIC_PROGRAM = """\
def main(n):
    s = 0.0
    for i in range(n):
        if i % 100 == 99:
            s = s + 0.5 + 0.25
        s += i * 0.5
    d = {}
    for i in range(n):
        d[i] = i
    t = 0
    k = 0
    while k < n:
        t += k
        k += 1
    return s + t + len(d)
"""
BASIC_OPTIONS = {"hot_loop": 50, "hot_exit": 100000, "hot_compile": 0}

TREE_PROGRAM = """\
def step(x):
    return x * 2 + 1


def pick(i):
    if i % 2 == 0:
        return 1
    return -1


def main(n):
    s = 0
    i = 0
    while i < n:
        if i % 3 == 0:
            s += step(i) % 7
        else:
            s -= 1
        i += 1
    u = 0
    k = 0
    while k < n:
        u += pick(k)
        k += 1
    return s + u
"""
TREE_OPTIONS = {"hot_loop": 50, "hot_exit": 5, "hot_func": 1000, "hot_compile": 100}
N = 3000


class WrittenLog:
    """A program, the log its run wrote, and what the run returned."""

    def __init__(self, program_path, log_path, result, stats):
        self.program = str(program_path)
        self.path = str(log_path)
        self.result = result
        self.stats = stats


def write_log(directory, name, text, options) -> WrittenLog:
    program = directory / f"{name}.py"
    program.write_text(text)
    log = directory / f"{name}.jsonl"
    with tracejit.VM(log=str(log), **options) as vm:
        result = vm.load_file(str(program)).call("main", N)
        stats = vm.stats()
    return WrittenLog(program, log, result, stats)


def paths_source(bits: int, modulus: int) -> str:
    """A loop with ``2**bits`` paths: ``bits`` independent if/else on the bits of a
    scrambled counter (``x`` in ``range(modulus)``)."""
    branches = "".join(f"""        if (x >> {b}) & 1:
            total += {b + 1}
        else:
            total -= {b}
""" for b in range(bits))
    return f"""
def main(n):
    total = 0
    for i in range(n):
        x = (i * 2654435761) % {modulus}
{branches}    return total
"""
