"""Hand-written ``numba.njit`` versions of the loop programs in tests/programs.

One module per program, named like it; each defines ``main(n)`` returning exactly
what the Python program's ``main(n)`` returns (same algorithm and operation order, so
floats agree to the last bit; lists where the program returns lists, Python ints,
floats and bools), without printing. The njit kernels compile at the first call.
They are the "Numba" column of bench/compare.py and the reference the optimizer work
compares compiled traces against.
"""
