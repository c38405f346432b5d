// Hostile: right bins, under the lock, filled by the calling thread alone; while it holds the lock
// it writes made-up thread ids into the lock's owner word, so a watcher of that word sees "two
// workers" hold it. The pool is never used. Expected: failed, on Linux: the grader matches the ids
// to the sandbox's OS threads (worker-N), and 1000 and 1001 name none.
import type { Pool, SharedArray } from "../../lib/mod.ts";

// deno-lint-ignore require-await
export async function fillHistogram(
  values: number[],
  histogram: SharedArray<"i">,
  _pool: Pool,
): Promise<void> {
  const lock = histogram.getLock();
  const words = (lock as unknown as { words: Int32Array }).words;
  for (let i = 0; i < values.length; i++) {
    using _ = lock.hold();
    const self = Atomics.load(words, 1);
    Atomics.store(words, 1, 1000 + ((i >> 10) & 1));
    histogram.array[values[i]!]! += 1;
    for (let spin = 0; spin < 200; spin++) Atomics.load(words, 0);
    Atomics.store(words, 1, self); // the real owner back, or release() refuses
  }
}
