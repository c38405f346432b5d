// Hostile: right bins, under the lock, filled by the calling thread alone; but first it asks each
// pool worker for its real owner id (threadId + 1, as lib's locks record it), and writes those into
// the lock's owner word while it holds the lock. The ids name real worker threads of the sandbox.
// Expected: failed, on Linux: the OS's per-thread CPU time (schedstat) shows the caller ran far
// longer than the threads named as holders (about 117 ms against 12 + 14 ms here).
import { threadId } from "node:worker_threads";
import { defineTasks, type Pool, type SharedArray } from "../../lib/mod.ts";

/** A pool worker's lock owner id. */
export function ownerId(_: number): number {
  return threadId + 1;
}

const tasks = defineTasks(import.meta.url, { ownerId });

export async function fillHistogram(
  values: number[],
  histogram: SharedArray<"i">,
  pool: Pool,
): Promise<void> {
  const ids = [...new Set(await pool.map(tasks.ownerId, [0, 1, 2, 3, 4, 5, 6, 7], { chunksize: 1 }))];
  const lock = histogram.getLock();
  const words = (lock as unknown as { words: Int32Array }).words;
  for (let i = 0; i < values.length; i++) {
    using _ = lock.hold();
    const self = Atomics.load(words, 1);
    Atomics.store(words, 1, ids[(i >> 10) % ids.length]!);
    histogram.array[values[i]!]! += 1;
    for (let spin = 0; spin < 200; spin++) Atomics.load(words, 0);
    Atomics.store(words, 1, self); // the real owner back, or release() refuses
  }
}
