/**
 * The lesson's sum, parallelized on a worker Pool: the part you write in exercise 2.
 *
 * A worker cannot receive a function, only a reference to one that it can import: define the
 * task(s) that the pool's workers run here, in this file, with
 * `defineTasks(import.meta.url, { ... })` from `../../lib/mod.ts`.
 *
 * @module
 */
import type { Pool } from "../../lib/mod.ts";

// TODO: define the task(s) the workers run, e.g. one that sums a span [lo, hi) exactly:
// const tasks = defineTasks(import.meta.url, { sumSpan });

/**
 * Returns the exact sum of the integers in [lo, hi), computed on the pool's workers.
 *
 * @param lo The first integer of the range.
 * @param hi The integer just past the end of the range.
 * @param pool The pool to run the work on (the grader passes one in; do not close it).
 * @returns The exact sum; `0n` when `hi <= lo`.
 */
// deno-lint-ignore no-unused-vars -- the stub does not use `pool` until you write it
export function parallelSum(lo: number, hi: number, pool: Pool): Promise<bigint> {
  // TODO: cut [lo, hi) into spans, sum them on the pool, and add the partial sums as bigint.
  throw new Error(`TODO: parallelSum(${lo}, ${hi}, pool) is not written yet (parallel_sum.ts)`);
}
