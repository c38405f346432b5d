"""The lesson's program, the Python original that pymp1.ts ports: the sum of [1, ulim) serially,
then on a multiprocessing Pool as tasks of 1000 numbers, building the task list included, then
with the list already built. Prints the three times in seconds.

    python3 exercises/01_guess_run_times/pymp1.py [ulim]    (default 100000000)

Exercise 3's README compares these times with the kit's (pymp1.ts, granularity.ts).
"""
import sys
import time
from multiprocessing import Pool


def main():
    ulim = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000_000
    with Pool() as p:
        start = time.perf_counter()
        serial = sum(range(1, ulim))
        print(f"serial: {time.perf_counter() - start:.6f}")
        start = time.perf_counter()
        input_list = [range(x, x + 1000) for x in range(1, ulim, 1000)]
        parallel = sum(p.map(sum, input_list))
        print(f"parallel, inc. alloc.: {time.perf_counter() - start:.6f}")
        start = time.perf_counter()
        parallel = sum(p.map(sum, input_list))
        print(f"straight parallel: {time.perf_counter() - start:.6f}")
        # The original's parallel ranges cover [1, ulim] (range(x, x + 1000) past the end): one more.
        print(f"serial total {serial}, parallel total {parallel}, difference {parallel - serial}")


if __name__ == "__main__":
    main()
