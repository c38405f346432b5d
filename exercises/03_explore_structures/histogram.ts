/**
 * Part 4, a shared array: a `SharedArray` histogram that several pool workers fill at once, each
 * increment under the array's lock, the chunks sent with `pool.apply`.
 *
 * @module
 */
import type { Pool, SharedArray } from "../../lib/mod.ts";

/**
 * Counts `values` into `histogram` on the pool's workers: for each value `v`, `histogram.array[v]`
 * goes up by one. Several workers fill the same shared array at once.
 *
 * @param values The values, each an index into the histogram (0 <= v < histogram.length).
 * @param histogram The shared bins (a `SharedArray` of type `"i"`, all 0, created with its lock;
 * the grader makes it and reads it).
 * @param pool The pool whose workers fill it (the grader passes one in; do not close it).
 * @returns Once every value is counted.
 */
export function fillHistogram(
  values: number[],
  // deno-lint-ignore no-unused-vars -- the stub does not use `histogram` until you write it
  histogram: SharedArray<"i">,
  // deno-lint-ignore no-unused-vars -- the stub does not use `pool` until you write it
  pool: Pool,
): Promise<void> {
  // TODO: define a task with defineTasks(import.meta.url, { ... }) that adds one chunk of values
  // to the histogram, each increment while holding histogram.getLock(); cut `values` into one
  // chunk per worker, send every chunk with pool.apply(task, [chunk, histogram]) before awaiting
  // any (Promise.all), and resolve once all are done.
  throw new Error(`TODO: fillHistogram(${values.length} values) is not written yet (histogram.ts)`);
}
