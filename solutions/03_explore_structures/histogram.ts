/**
 * Part 4, a shared array: pool workers fill one `SharedArray` histogram at once, each increment
 * while holding the array's lock; one chunk per worker, each sent with `pool.apply`.
 *
 * @module
 */
import { defineTasks, type Pool, type SharedArray } from "../../lib/mod.ts";

/**
 * Adds one chunk of values to the shared histogram: `histogram.array[v] += 1` reads, adds and
 * writes, so another worker could write between the read and the write and one count would be
 * lost. Each increment runs while holding the array's lock.
 *
 * @param values The chunk's values (indexes into the histogram).
 * @param histogram The shared bins.
 */
function addChunk(values: number[], histogram: SharedArray<"i">): void {
  const lock = histogram.getLock();
  const bins = histogram.array;
  for (const value of values) {
    using _ = lock.hold();
    bins[value]! += 1;
  }
}

const tasks = defineTasks(import.meta.url, { addChunk });

/**
 * Counts `values` into `histogram` on the pool's workers: one chunk per worker, each sent with
 * `pool.apply`. `pool.apply` runs one call and resolves with its result; every chunk's call is
 * started before any is awaited, so the workers fill the array at the same time (an `await` on
 * each `apply` in a loop would fill it one chunk after another).
 *
 * @param values The values, each an index into the histogram (0 <= v < histogram.length).
 * @param histogram The shared bins (a `SharedArray` of type `"i"`, created with its lock).
 * @param pool The pool whose workers fill it; it is left open.
 * @returns Once every value is counted.
 *
 * @example Usage
 * ```ts
 * import { fillHistogram } from "./histogram.ts";
 * import { Pool, SharedArray } from "../../lib/mod.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * await using pool = new Pool({ processes: 2 });
 * const histogram = new SharedArray("i", 3);
 * await fillHistogram([0, 2, 2, 1, 2], histogram, pool);
 * deepEqual(histogram.toArray(), [1, 1, 3]);
 * ```
 */
export async function fillHistogram(
  values: number[],
  histogram: SharedArray<"i">,
  pool: Pool,
): Promise<void> {
  const chunks = pool.processes;
  const calls = [];
  for (let i = 0; i < chunks; i++) {
    const chunk = values.slice(
      Math.floor(values.length * i / chunks),
      Math.floor(values.length * (i + 1) / chunks),
    );
    calls.push(pool.apply(tasks.addChunk, [chunk, histogram]));
  }
  await Promise.all(calls);
}
