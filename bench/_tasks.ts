/**
 * The task functions the Pool benchmarks run in workers.
 *
 * @module
 */
import { defineTasks } from "../lib/task.ts";

/** Does nothing: the per-task overhead benchmark's task. */
export function noop(): void {}

/** Returns its argument squared: the granularity benchmark's task. */
export function square(x: number): number {
  return x * x;
}

/**
 * Sums the integers in [lo, hi) as a plain `number`: exact while the block's sum stays below
 * 2^53 (a block of 1e6 numbers below 1e9 sums to under 1e15).
 */
export function sumBlock(lo: number, hi: number): number {
  let total = 0;
  for (let i = lo; i < hi; i++) total += i;
  return total;
}

/**
 * Sums one lesson task's range `[lo, hi)` (1000 numbers), as exercise 1's `pymp1.ts` does: the
 * lesson granularity benchmark's task, on the pool and in the raw worker alike.
 */
export function sumChunk(range: readonly [number, number]): number {
  let total = 0;
  for (let i = range[0]; i < range[1]; i++) total += i;
  return total;
}

/** The benchmarks' tasks. */
export const tasks = defineTasks(import.meta.url, { noop, square, sumBlock, sumChunk });
